"""Notebook 7: checking against real asyncio: --compare, where the naive loop differs, the seeds' errors."""

from __future__ import annotations

from .cells import code, md, seed

NAME = "07_compare_with_asyncio"

CELLS = [
    md(
        """
        # 7 · Checking against the real asyncio

        *About 15 minutes.* tinyloop is only worth learning from if it behaves like the real thing.
        Every notebook so far has used `--compare` to check that; this one looks at the checker itself,
        shows a program where the tutorials' polling loop really does behave differently, and gathers
        every place where a seed says something real asyncio does not do.

        **What you'll learn**

        - what `%%tinyloop --compare` runs and compares, and how to read its verdict;
        - that the seeds' programs give the same results on tinyloop and on asyncio;
        - where the generator loop of seeds 002/003 parts ways with asyncio, and why;
        - the seeds' claims that are wrong for real asyncio, each with the cell that shows it.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect

        import loop_magic
        """
    ),
    md(
        """
        ## What `--compare` does

        `%%tinyloop --compare [MODE]` runs the cell twice: on tinyloop, then on MODE (by default the
        real `asyncio`, run on a private loop in a worker thread and instrumented to record the same
        trace). Then it compares four things:

        1. the **printed output**, line by line;
        2. the **return value** of the cell's last expression;
        3. the **exception**, by type and message;
        4. the **order of task steps**: which task ran at each step (tasks are numbered in the order
           they were created, since names and timings differ by nature).

        The verdict says "Same results" when all four agree; otherwise it names what differs and
        points at the first divergence. Seed 002's program, on tinyloop and on the real asyncio:
        """
    ),
    seed("seed002_asyncio.py", magic="%%tinyloop --compare", checks=["seed-output", "compare-same"]),
    md(
        """
        Same lines, same nine steps in the same order, and the summary lines agree on tasks, steps and
        loop iterations. Seed 003's version of the program, the same way:
        """
    ),
    seed("seed003_asyncio.py", magic="%%tinyloop --compare --no-timeline", checks=["seed-output", "compare-same"]),
    md(
        """
        Every `--compare` cell of notebooks 1 to 6 ran this check, on seed 001's `Future.__await__`,
        seed 004's "await a coroutine vs a task", timers, sockets, streams, threads, gather,
        cancellation and timeouts: all "Same results".

        ## Where the tutorials' loop differs

        `--compare generator` checks tinyloop against the generator loop of notebook 2 instead. On
        seed 002's program the printed output is the same, but not the steps: the generator loop makes
        a task for every `sleep`, and its summary line shows the idle polls and the CPU they burn:
        """
    ),
    seed("seed002_asyncio.py", magic="%%tinyloop --compare generator", checks=["seed-output", "compare-differs:steps"]),
    md(
        """
        Seed 003 says that "at its core, `asyncio.sleep` basically does the same thing" as its polling
        sleep. The two summary lines above are the answer: same output, but one loop slept in `select()`
        and the other kept a core busy asking the clock.

        Other programs print differently. `asyncio.run()` cancels the tasks still running when `main`
        returns; the tutorials' `run` keeps polling until the queue is empty, so a task left behind gets
        to finish:
        """
    ),
    code(
        """
        %%tinyloop --compare generator
        async def background():
            await asyncio.sleep(0.05)
            print("background: finished")

        async def main():
            asyncio.create_task(background())
            await asyncio.sleep(0)
            print("main: done")

        asyncio.run(main())
        """,
        checks=["compare-differs:output"],
    ),
    md(
        """
        And the tutorials' `gather` awaits its children one after the other, so an exception in the
        second child is only seen once the first has finished; asyncio's `gather` passes it on at once
        (notebook 6). With `--virtual-time`, the times are exact:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare generator
        async def ok(delay):
            await asyncio.sleep(delay)
            return "ok"

        async def broken(delay):
            await asyncio.sleep(delay)
            raise ValueError("broken")

        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            await asyncio.gather(ok(3), broken(1))
        except ValueError as error:
            print(f"gather raised {error!r} at {loop.time() - start:.0f} s")
        """,
        checks=["compare-differs:output"],
    ),
    md(
        """
        ## Where the seeds are wrong about asyncio

        The seeds are good guides, and the course follows them, but a few of their claims are not what
        Python or the real asyncio do. Each is shown running, where the course meets it:

        | seed | what it says | what really happens | shown in |
        |---|---|---|---|
        | 001 | `await foo()` on an `async def` with `yield` is like `yield from foo()` | `TypeError`: an async generator cannot be awaited | notebook 1 |
        | 003 | its `yield from` example prints `received value: 1` | never: the sub-coroutine never returns | notebook 1 |
        | 003 | `while value := yield:` | a `SyntaxError`; Python needs `(yield)` | notebook 1 |
        | 003 | the first `Task.new` (before "Putting it all together") | queues one task, returns another: the program hangs | notebook 2 |
        | 003 | "at its core, `asyncio.sleep` basically does the same thing" (polling) | a timer: no polling, no CPU | notebook 2, above |
        | 001 | `Future.__await__` ends with `assert self.done(), "Future should be done"` | `RuntimeError("await wasn't used with future")` | notebook 3 |
        | 003 | `Future.__await__` raises `RuntimeError("Event loop stopped before done")` | `RuntimeError("await wasn't used with future")` | notebook 3 |
        | 004 | the flag is `_asyncio_is_future_blocking` | `_asyncio_future_blocking` | notebook 3, below |
        | 001 | with a `select` timeout of 0, `run_until_complete` spins at 100% CPU? | the timeout is the time to the next timer; the loop sleeps | notebook 3 |
        | 004 | with an empty queue "the event-loop cycles aimlessly onwards" | it blocks in `select()`: no CPU, and `run_forever()` never returns | notebook 3 |
        | 004 | a "watcher-task" checks on an I/O request each cycle | the selector reports the socket ready; nothing polls | notebook 5, below |
        | 002 | "the asyncio event loop is written in C" | the loop is Python; `Future` and `Task` have C versions | below |

        The flag's name, on tinyloop and on the real asyncio:
        """
    ),
    code(
        """
        %%tinyloop --compare --no-timeline
        async def main():
            future = asyncio.get_running_loop().create_future()
            print("_asyncio_future_blocking:", future._asyncio_future_blocking)
            print("has _asyncio_is_future_blocking:", hasattr(future, "_asyncio_is_future_blocking"))

        await main()
        """,
        checks=["flag-name", "compare-same"],
    ),
    md(
        """
        No watcher polls a socket. Real asyncio (`--mode asyncio`) waits 0.2 s for a reply that a
        thread sends late; count the loop iterations and the CPU in the summary line:
        """
    ),
    code(
        """
        %%tinyloop --mode asyncio
        import socket
        import threading

        a, b = socket.socketpair()
        a.setblocking(False)
        threading.Timer(0.2, b.send, args=(b"a late reply",)).start()
        data = await asyncio.get_running_loop().sock_recv(a, 100)
        print("got", data)
        a.close()
        b.close()
        """,
        checks=["asyncio-io-no-polling"],
    ),
    md(
        """
        A handful of iterations in 0.2 s, and a few milliseconds of CPU at most: the loop slept in `select()`
        until the kernel said the socket was readable.

        Finally, seed 002's "the asyncio event loop is written in C". The event loop itself is Python
        code you can read (`asyncio/base_events.py`); what CPython accelerates in C is `Future` and
        `Task` (the `_asyncio` module), which is why tinyloop rewrites those in Python for you to step
        through:
        """
    ),
    code(
        """
        import asyncio  # the real one

        source = inspect.getsourcefile(asyncio.BaseEventLoop._run_once)
        print("BaseEventLoop._run_once is in", source.rsplit("/", 1)[-1])
        print("asyncio.Future is from module", asyncio.Future.__module__)
        print("asyncio.Task is from module", asyncio.Task.__module__)
        """,
        checks=["written-in-c"],
    ),
    md(
        """
        ## Recap

        - `--compare` runs a cell on tinyloop and on the real asyncio (or the generator loop) and
          compares output, value, exception and the order of task steps; the first divergence is
          pointed out.
        - The seeds' programs, and every program of this course, give the same results on tinyloop
          and on asyncio.
        - The tutorials' polling loop prints the same for simple programs, but takes other steps, burns
          CPU while waiting, lets leftover tasks finish, and sees `gather` errors late.
        - Where the seeds are wrong, the course says so and shows what really happens.

        **Questions to try**

        1. Take any program you have written with asyncio, paste it in a `%%tinyloop --compare` cell,
           and read the verdict. If it differs, is it your program (timing, randomness), or tinyloop?
        2. Find a program whose *printed output* is the same on the generator loop, but whose order of
           task steps is the same too. What must it avoid?
        3. `--export run.json` writes the trace of a run as Chrome trace JSON. Open it in
           https://ui.perfetto.dev and find the `select()` waits.

        That is the end of the course. The loop you have been watching is in `loop_impl/`: start with
        `loop.py`, `tasks.py` and `futures.py`; they read top to bottom in an hour.
        """
    ),
]
