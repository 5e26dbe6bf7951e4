"""Notebook 2: the polling loop of the tutorials, in --mode generator (seeds 002, 003, 000)."""

from __future__ import annotations

from .cells import code, md, seed

NAME = "02_polling_loop"

SLEEPING_BOUNDED = [
    (
        "from loop_impl.generator_loop import EventLoop, sleep",
        "from loop_impl.generator_loop import EventLoop, LimitReached, sleep",
    ),
    (
        "event_loop.run()",
        "try:\n"
        "    event_loop.run(max_polls=60)  # the seed's tasks loop forever: stop after 60 polls\n"
        "except LimitReached:\n"
        "    pass  # stopped on purpose: the note under the output says where",
    ),
]

CELLS = [
    md(
        """
        # 2 · The polling loop: generators taking turns

        *About 15 minutes.* Seeds 002 and 003 build an "asyncio from scratch" out of generators: a queue
        of tasks, each resumed in turn. It works, and it prints what asyncio prints. It also burns a
        CPU core while doing nothing, and this notebook measures how much.

        **What you'll learn**

        - the round-robin loop: a list of generators, each `next()`ed in turn;
        - `sleep` written as a generator that keeps checking the clock;
        - `Task.__await__` as "keep yielding until the task is done";
        - how to run the seeds' programs on that loop with `%%tinyloop --mode generator`, and read
          the **run summary** (steps, wall time, CPU time, *idle polls*);
        - seed 000's loop with timed sleepers, and the list of what it lacks.

        `loop_impl.generator_loop` is the seeds' loop, written once, carefully, so that it can run the
        same programs as the real event loop and be measured. Its code is shown below as it runs.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect
        import sys

        import loop_magic
        import loop_impl.generator_loop as generator_loop
        """
    ),
    md(
        """
        ## Round robin

        Seed 002's first event loop is a list of two generators and a `while True` loop that calls
        `next()` on each in turn. Each `yield` hands control back to the loop, which moves on to the next
        task. The seed's loop runs forever; here the outer `while True` is replaced by three rounds,
        so that the cell ends:
        """
    ),
    seed(
        "seed002_event_loop.py",
        replace=[("\nwhile True:\n", "\nfor round in range(3):  # the seed: `while True:` (forever)\n")],
        checks=["seed-output"],
    ),
    md(
        """
        Seed 003 starts the same way (its tasks print in lower case), also bounded to three rounds here:
        """
    ),
    seed(
        "seed003_event_loop.py",
        replace=[("\nwhile True:\n", "\nfor round in range(3):  # the seed: `while True:` (forever)\n")],
        checks=["seed-output"],
    ),
    md(
        """
        Nothing runs "at the same time": the tasks *take turns*, and each decides when its turn ends by
        yielding. That is **cooperative multitasking**, and it is what asyncio does too.

        ## Sleeping by polling the clock

        To sleep, a task in seed 002 delegates (`yield from`) to a `sleep` generator that yields until
        enough time has passed. The seed's *Sleeping* program: Task 1 sleeps 1 s, Task 2 sleeps 5 s
        (scaled by `SCALE` to 0.05 s and 0.25 s), forever. Here the loop stops after 0.22 s instead:
        """
    ),
    seed(
        "seed002_sleeping.py",
        replace=[
            (
                "\nwhile True:\n",
                "\nstop_at = time.time() + 0.22  # the seed: `while True:` (forever)\nwhile time.time() < stop_at:\n",
            )
        ],
        checks=["seed-output-start"],
    ),
    md(
        """
        Task 1 prints every (scaled) second while Task 2 sleeps; the loop calls `next()` on the sleeping
        tasks as fast as it can, and each `sleep` checks the clock and yields again. Seed 003's
        `sleep_async` is the same idea (1 s and 2 s, scaled; stopped after 0.09 s, before both wake at once):
        """
    ),
    seed(
        "seed003_sleep_async.py",
        replace=[
            (
                "\nwhile True:\n",
                "\nstop_at = time.time() + 0.09  # the seed: `while True:` (forever)\nwhile time.time() < stop_at:\n",
            )
        ],
        checks=["seed-output-start"],
    ),
    md(
        """
        `loop_impl.generator_loop` has the seeds' `sleep`, written once for all the programs of this
        notebook; here is its source:
        """
    ),
    code(
        """
        print(inspect.getsource(generator_loop._sleep))
        print(inspect.getsource(generator_loop.sleep))
        """,
        checks=["source:generator-sleep"],
    ),
    md(
        """
        `sleep(1)` makes a small task running `_sleep`, and waits for it with the task's `__await__`,
        which is seed 002's "keep yielding until it's finished":
        """
    ),
    code(
        """
        print(inspect.getsource(generator_loop.Task.__await__))
        print(inspect.getsource(generator_loop.EventLoop._poll))
        """,
        checks=["source:generator-await"],
    ),
    md(
        """
        `_poll` is one turn of one task: `coro.send(None)`. If the task yields *the very thing it yielded
        last time* ("still waiting for that sleep"), the poll was useless: an **idle poll**. The loop
        counts them, because that waste is the point of this notebook.

        Seed 002's *Sleeping* program, on this loop. Its tasks sleep 1 s and 5 s, forever; to keep the
        notebook fast, `--virtual-time` lets the loop's clock jump ahead when every task is waiting
        (notebook 4 explains how), and the last line stops the loop after 60 polls instead of never:
        """
    ),
    seed(
        "seed002_sleeping_generator_loop.py",
        magic="%%tinyloop --mode generator --virtual-time",
        replace=SLEEPING_BOUNDED,
        checks=["seed-output"],
    ),
    md(
        """
        Task 1 prints every second and Task 2 every five, as the seed says. The timeline above shows a
        lane per task, including the `sleep` tasks, and the orange marks are idle polls (`*` in the text view).

        ## Seed 002's program with `async`/`await`

        Seed 002 then moves to `async def` and `await`, with its loop in a module `jacobio.py`:
        `run()`, `create_task()`, a polling `Task`, and `sleep()` as a task running `_sleep`. Here is
        the seed's module, as written:
        """
    ),
    seed("seed002_jacobio.py"),
    md(
        """
        Let the seed's `import jacobio` find it, and run the seed's program on it (with `jacobio.sleep(1)`
        made `jacobio.sleep(0.05)`, so that it takes a tenth of a second instead of two):
        """
    ),
    code(
        """
        import types

        sys.modules["jacobio"] = types.SimpleNamespace(run=run, create_task=create_task, sleep=sleep)
        """
    ),
    seed("seed002_jacobio_program.py", checks=["seed-output"]),
    md(
        """
        It prints what the seed says. `loop_impl.generator_loop` is the same loop with the same names,
        written to be measured: it counts polls and records a trace. Let `import jacobio` find it
        instead, and run the same program in `--mode generator`. This time, watch the summary line:
        """
    ),
    code(
        """
        sys.modules["jacobio"] = generator_loop  # the seed's `import jacobio` now gets the generator loop
        """
    ),
    seed(
        "seed002_jacobio_program.py", magic="%%tinyloop --mode generator", checks=["seed-output", "generator-summary"]
    ),
    md(
        """
        The output is the seed's. Now read the summary line under it:

        - **steps**: polls in which a task actually moved;
        - **idle polls**: polls that found a task still waiting: tens of thousands, in a tenth of a second;
        - **CPU**: how long the loop's thread kept a processor busy. For a program that does nothing
          but wait, the CPU time is a large part of the wall time. The loop never rests: it asks
          "is it time yet?" as fast as it can.

        A run long enough to draw its timeline as it goes also says **live view**: the time tinyloop
        took from the loop's thread to redraw it. The loop waited meanwhile, so that time is in the
        wall time, but not in the CPU time, which is the program's own.

        ## The same program on a real event loop

        Seed 003 builds the same loop again (its `Task.new`, `run` and `_sleep`), and a program where
        `Task 1` sleeps 1 s and `Task 2` 2 s (scaled here to 0.05 s and 0.1 s). The seed's code, as
        written, on its own loop:
        """
    ),
    seed("seed003_coro.py", checks=["seed-output"]),
    md(
        """
        The same program written against `asyncio`. First on the polling loop:
        """
    ),
    seed("seed003_asyncio.py", magic="%%tinyloop --mode generator", checks=["seed-output", "generator-summary"]),
    code("polling = loop_magic.last_run()"),
    md(
        """
        And now the same cell on tinyloop (`--mode tinyloop`, the default), an event loop built the
        way asyncio is. Same output, same wall time:
        """
    ),
    seed("seed003_asyncio.py", magic="%%tinyloop", checks=["seed-output", "tinyloop-summary"]),
    code("waiting = loop_magic.last_run()"),
    code(
        """
        for run in (polling, waiting):
            s = run.summary
            print(
                f"{run.mode:>9}: wall {s.wall_time:.2f} s, CPU {100 * s.cpu_time / s.wall_time:4.1f}% of it, "
                f"{s.idle_polls} idle polls"
            )
        ratio = polling.summary.cpu_time / max(waiting.summary.cpu_time, 1e-6)
        print(f"The polling loop used {ratio:.0f} times more CPU for the same program.")
        """,
        checks=["cpu-table"],
    ),
    md(
        """
        Why? On tinyloop a sleeping task is not asked anything: `sleep` sets a timer, the task waits
        *off* the queue, and when nothing is ready the loop blocks in the operating system
        (`select()`) until the first timer is due. Notebooks 3 and 4 show that machinery.

        Seed 003 says that "at its core, `asyncio.sleep` basically does the same thing" as its polling
        `sleep_async`. The numbers above say otherwise: asyncio's sleep does not poll.

        ### A polling loop can hang, busily

        Seed 003's first draft of `Task.new` has a bug: it queues one `Task(coro)` and returns another,
        which nobody ever runs. Awaiting it polls forever. Here is that draft, stopped after 0.3 s by
        `--timeout` (the error at the end is expected):
        """
    ),
    seed(
        "seed003_first_draft.py",
        magic="%%tinyloop --timeout 0.3 --no-timeline",
        checks=["seed-output", "timed-out"],
        raises=True,
    ),
    md(
        """
        Each task printed once. Then every task waited on a `Task` object that nobody runs, and the
        loop polled them all, forever, keeping a core busy (the summary's CPU time is about its wall
        time).
        The same mistake on tinyloop cannot spin: a task that waits for something that will never
        happen leaves the loop with nothing to do, and it reports a deadlock instead (notebook 3 shows
        that report).

        ## Seed 000: a loop with timed sleepers

        Seed 000 builds a different loop: its `Sleep` awaitable yields *itself*, carrying the time it
        wants to wake at. The loop parks sleepers in a list and checks the clock once per round, with a
        `time.sleep(0.01)` between rounds "to prevent busy-waiting". The seed sleeps 4, 2, 9 and 11
        seconds; `SCALE` makes that 0.2, 0.1, 0.45 and 0.55 s here:
        """
    ),
    seed("seed000_sleep_eventloop.py", checks=["seed-output"]),
    md(
        """
        The tasks finish in order of their sleep, as the seed says. Its loop still wakes up 100 times a
        second to look at the clock, whether anything is due or not.

        The same tasks on tinyloop and on the real asyncio, with `asyncio.sleep` and the seed's full
        sleeps (4 to 11 seconds, made instant by `--virtual-time`). Same output, on both:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def my_task(t: float) -> None:
            print(f"Task start for sleep {t}")
            await asyncio.sleep(t)
            print(f"Task resumed after sleep {t}")

        await asyncio.gather(my_task(4), my_task(2), my_task(9), my_task(11))
        """,
        checks=["seed-output:seed000_sleep_eventloop.py", "compare-same"],
    ),
    md(
        """
        Seed 000 ends with what its loop lacks. Each of these works in tinyloop, and the course shows
        each one running:

        | seed 000's loop lacks | in tinyloop | shown in |
        |---|---|---|
        | real I/O handling (sockets) | `sock_recv`, `sock_sendall`, `start_server`, `open_connection` | notebook 5 |
        | task cancellation | `Task.cancel()`, `CancelledError` at the `await`, `wait_for` | notebook 6 |
        | exception propagation | an exception in a task reaches whoever awaits it; `gather`'s first exception | notebook 6 |
        | OS-level readiness (epoll, kqueue) | the loop blocks in `selectors.DefaultSelector` (epoll on Linux) | notebook 5 |
        | callback scheduling and futures | `call_soon`, `call_later`, `call_at`, `Future` | notebooks 3 and 4 |
        | thread safety | `call_soon_threadsafe`, `run_in_executor` | notebook 5 |

        ## Recap

        - The tutorials' loop is a queue of generators, each resumed in turn; `await task` and `sleep`
          are "yield until done", so every waiting task is asked again and again.
        - `%%tinyloop --mode generator` runs ordinary asyncio code on that loop; the summary line counts
          its **idle polls** and shows the **CPU** it burns while only waiting.
        - The same program on tinyloop prints the same lines, takes the same time, and uses almost
          no CPU.
        - Seed 003's first `Task.new` hangs; seed 000's loop sleeps in 10 ms slices and lacks I/O,
          cancellation, errors, futures and threads: all in the next notebooks.

        **Questions to try**

        1. Change `0.05` to `0.2` in the seed 003 cells. How do idle polls and CPU change on each loop?
        2. Run the jacobio program with `--virtual-time` added. What happens to the idle polls, and why?
        3. In seed 002's round-robin cell, make `task2` yield twice per turn. What does the output become?
        4. Seed 000's loop runs *every* ready task once per round, then sleeps 10 ms. What is the
           shortest sleep it can do accurately?

        Next: **03_futures_tasks_await.ipynb**, where waiting stops costing anything.
        """
    ),
]
