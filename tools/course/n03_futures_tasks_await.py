"""Notebook 3: Futures, Tasks and __await__ (seeds 001, 004): the seed 004 walk, narrated."""

from __future__ import annotations

from .cells import code, md, seed

NAME = "03_futures_tasks_await"

CELLS = [
    md(
        """
        # 3 · Futures, Tasks and `__await__`

        *About 20 minutes.* The polling loop of notebook 2 asks every waiting task "are you done yet?"
        over and over. asyncio never asks. This notebook shows how: a **Future** that remembers who
        waits for it, a **Task** that parks on it, and a **done-callback** that puts the task back in
        line. You will watch seed 004's `triple` program run, with the seed's own control-flow walk
        written out for you by the timeline's narration.

        **What you'll learn**

        - plain tasks and `asyncio.run()`: when a task starts, and what awaiting a coroutine does;
        - what `Future.__await__` does, and the `_asyncio_future_blocking` flag;
        - how `Task.__step` runs a coroutine and parks it on a future;
        - how the loop knows where to resume a coroutine, and when the awaited thing is done;
        - why waiting costs nothing, why `run_until_complete` does not spin at 100% CPU;
        - Future versus Task, and how to write an awaitable of your own.

        Every piece of loop code shown here is the source of the loop that runs the cells
        (`inspect.getsource` on `loop_impl`), not a simplified copy.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect

        import loop_impl
        import loop_magic
        from loop_magic.narration import indented_summary, numbered
        from course_tools import show_state
        """
    ),
    md(
        """
        ## Plain tasks and `asyncio.run()`

        `asyncio.run(main())` makes a new loop, wraps `main()` in a Task, runs the loop until that task
        is done, cancels whatever tasks are left, and closes the loop. `asyncio.create_task(coro)` wraps
        a coroutine in a Task, which only *joins the ready queue*: it first runs when the current task
        gives control back to the loop.
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.tasks.create_task))
        print(inspect.getdoc(loop_impl.runners))
        """,
        checks=["source:create-task"],
    ),
    md(
        """
        Watch the order below. `main` creates a task, then *awaits a coroutine*: that runs `hello`
        right away, inside `main`'s own step, like a function call. Only when something really waits
        (the `sleep`) does control go back to the loop, and the task gets its first turn.
        `--compare` runs the cell on tinyloop and then on the real asyncio, and checks that they agree.
        """
    ),
    code(
        """
        %%tinyloop --compare
        async def hello(name, delay):
            print(f"{name}: started")
            await asyncio.sleep(delay)
            print(f"{name}: finished")
            return f"{name} result"

        async def main():
            task = asyncio.create_task(hello("task", 0.02))
            print("main: created the task; it has not started yet")
            value = await hello("coroutine", 0.01)
            print("main: the coroutine returned", repr(value))
            print("main: the task returned", repr(await task))

        asyncio.run(main())
        """,
        checks=["plain-tasks", "compare-same"],
    ),
    md(
        """
        Seed 004 makes the same point: "Unlike Tasks and Futures, `await`-ing a coroutine does not cede
        control!" Its snippet, with prints and one more task that can only run when `main` lets go:
        """
    ),
    seed("seed004_await_coroutine_or_task.py", magic="%%tinyloop --compare", checks=["seed-output", "compare-same"]),
    md(
        """
        ## What `Future.__await__` does

        Seed 001 asks: *if a coroutine can await a future, what does the future's `__await__` do?* Here
        is tinyloop's, the one running these cells:
        """
    ),
    code("print(inspect.getsource(loop_impl.futures.Future.__await__))", checks=["source:future-await"]),
    md(
        """
        Three cases:

        1. The future is already done: no `yield` at all, `await` just returns the result.
        2. Not done: set `_asyncio_future_blocking = True` and `yield self`. That `yield` travels up
           through every `await` of the coroutine (notebook 1) and comes out of the `coro.send(None)`
           that the **Task** called. The flag tells the Task: "this is a future; park until it is done".
        3. Resumed: the Task only resumes the coroutine once the future is done, so `__await__` returns
           `self.result()`. If someone resumed it early, that is a bug: `RuntimeError`.

        The seeds quote this method in three slightly different ways. Seed 001 has the right flag name but
        ends with `assert self.done(), "Future should be done"`; seed 003 raises `RuntimeError("Event loop
        stopped before done")`; seed 004 has the right message but calls the flag
        `_asyncio_is_future_blocking`. Real asyncio (3.11 to 3.13 alike) says `_asyncio_future_blocking` and
        `RuntimeError("await wasn't used with future")`, as above.

        Seed 001's `Future.__await__`, driven by hand as in notebook 1, on tinyloop and on asyncio:
        """
    ),
    seed("seed001_future_await.py", magic="%%tinyloop --compare --no-timeline", checks=["seed-output", "compare-same"]),
    md(
        """
        ## `Task.__step`: the only place a coroutine runs

        Seed 004 shows a simplified `Task.step`: send into the coroutine; on `StopIteration`, keep the
        result; if a future with the flag came back, add `self.step` as its done-callback. Here is the
        real one. `loop_impl`'s Task uses CPython's name, `__step`, which Python mangles to
        `_Task__step`:
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.tasks.Task._Task__step))
        print(inspect.getsource(loop_impl.tasks.Task._Task__park_on))
        print(inspect.getsource(loop_impl.tasks.Task._Task__wakeup))
        """,
        checks=["source:task-step"],
    ),
    md(
        """
        The heart of it is in `__park_on`: when the yielded object has `_asyncio_future_blocking` set,
        the task resets the flag, adds its own `__wakeup` as the future's done-callback, and returns.
        **The task is now in no queue at all.** Nothing will touch it until the future is done.

        ## Seed 004's walk, narrated by the timeline

        Seed 004 walks its `program.py` through the loop by hand, in 17 steps ("Control is now in
        `main_task.step`..."). Here is the seed's program, unchanged. It prints nothing; the timeline
        under the cell shows the two tasks, and in JupyterLab the Play button steps through the loop's
        iterations with the state panel and the narration of each:
        """
    ),
    seed("seed004_triple.py", magic="%%tinyloop", checks=["triple-result"]),
    md(
        """
        The note under the timeline is about the end of the seed's program: `loop.run_forever()` never
        returns in real asyncio ("The event-loop cycles aimlessly onwards", says the seed). tinyloop sees
        that nothing could ever wake it again, says so, and returns. More on that below.

        The narration of the whole run, numbered like the seed's list. Put it beside the seed's
        17 steps: same places, same order (the seed writes `program.main` where the trace knows
        `main`, and `event-loop` with a dash). The seed calls the tasks by its variables, `main_task`
        and `triple_task`; the timeline calls every task by its own name, the one asyncio gives it
        (`Task-N`, or the `name=` you pass) and prints in its errors and reprs, so one task has one name
        everywhere:
        """
    ),
    code(
        """
        run = loop_magic.last_run()
        print("main_task.result() =", main_task.result())
        names = dict(run.steps())  # task number in creation order -> the task's name
        print(f"the seed's main_task is {names[1]}, its triple_task {names[2]}\\n")
        walk = run.timeline().narration()
        print(numbered(walk))
        """,
        checks=["narration-seed004"],
    ),
    md("And the seed's second way of writing it out, indented by depth:"),
    code("print(indented_summary(walk))", checks=["narration-seed004-summary"]),
    md(
        """
        This answers seed 004's first question, *what happens when an object is awaited*, with the
        real run: the coroutine calls the object's `__await__`; a pending future yields itself up to
        the Task's step; the step parks the task on it and returns to the loop; when the future is
        done, its callback queues the task, and the next step resumes the coroutine inside
        `__await__`, which returns the result.

        Here is the loop's state at the second iteration, as the state panel shows it. `main_task` is
        not in the ready queue: it is *waiting on* `triple_task`, parked (by their names, as above):
        """
    ),
    code("show_state(run.timeline().frames()[1])", checks=["state-triple"]),
    md(
        """
        The seed's program ends with `loop.run_forever()` and nothing left to do. On real asyncio,
        does the loop "cycle aimlessly onwards", as seed 004 says (and as seed 001 fears)? Let's run the
        seed's last three lines on the **real** asyncio. A kernel already runs an event loop in this
        thread, so they run in a worker thread, with a watchdog that stops the loop after half a second;
        we measure the CPU time of the loop's thread meanwhile:
        """
    ),
    code(
        """
        import asyncio  # the real asyncio (main and triple above now use it)
        import threading
        import time

        def seed_program_ending(report):
            loop = asyncio.new_event_loop()
            main_task = asyncio.Task(main(), loop=loop)  # the seed's last three lines...
            threading.Timer(0.5, loop.call_soon_threadsafe, args=(loop.stop,)).start()  # ...and a watchdog
            started, cpu_started = time.perf_counter(), time.thread_time()
            loop.run_forever()
            wall, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
            report.update(result=main_task.result(), wall=wall, cpu=cpu)
            loop.close()

        report = {}
        worker = threading.Thread(target=seed_program_ending, args=(report,))
        worker.start()
        worker.join()
        print("main_task.result() =", report["result"])
        print(f"run_forever() returned after {report['wall']:.1f} s, only because the watchdog stopped it")
        asleep = report["cpu"] < report["wall"] / 2
        print("meanwhile the loop's thread was", "asleep in select(), using no CPU" if asleep else "busy")
        """,
        checks=["real-run-forever"],
    ),
    md(
        """
        Real asyncio never leaves `run_forever()` on its own here, as the seed says; but it does not
        cycle either. With nothing ready and no timer, it blocks in `select()` with no timeout, and the
        operating system wakes it only when something happens (here: the watchdog's
        `call_soon_threadsafe`). tinyloop blocks the same way, and also checks that *something could*
        still happen (a timer, a watched socket, another thread); when nothing could, it stops with the
        note you saw instead of hanging.
        """
    ),
    md(
        """
        ## Seed 004's empty sections

        Seed 004 ends with four headings and no text. Here are the answers, each one something you just
        saw run.

        **What does `await` do?** `await x` calls `x.__await__()` and delegates to it, like `yield from`.
        If `x` is a coroutine, that simply runs it (no pause). If `x` is a pending Future (or Task), its
        `__await__` yields the future up to the Task that runs the coroutine (steps 4 to 7 above).

        **How do I cede control from my coroutine to the event loop?** Await something that yields: a
        pending future, `asyncio.sleep(...)`, a lock, a socket read. `await asyncio.sleep(0)` is the
        smallest one: a bare `yield` that puts the task at the back of the ready queue for one iteration.

        **How does the loop know where to resume my coroutine?** It does not need to: the coroutine object
        keeps its own frame (where it stopped, its local variables) exactly like a paused generator, and
        the future keeps the Task's `__wakeup` as a done-callback. When the future is done, the callback
        steps the Task, which calls `coro.send(None)`, and Python resumes the frame where it paused.
        You can see both below.

        **How does the loop know when the thing I'm waiting for is done (and whether it needs CPU time)?**
        Someone *tells* it: whoever finishes the work calls `future.set_result(...)`, and that schedules
        the done-callbacks. It may be another task, a timer (`sleep`, notebook 4), or the selector
        reporting a socket ready (notebook 5). A task that needs CPU time is simply running, or in the
        ready queue; a task that waits is parked, in no queue, and costs nothing.

        A task waits for a future for three loop iterations. Watch where it is at each one:
        """
    ),
    code(
        """
        %%tinyloop --compare
        import inspect

        async def waiter(fut):
            print("waiter: waiting for the future")
            value = await fut
            print("waiter: got", value)

        async def main():
            loop = asyncio.get_running_loop()
            fut = loop.create_future()
            task = asyncio.create_task(waiter(fut))
            for i in range(3):
                await asyncio.sleep(0)  # let one loop iteration go by
                print(f"main: iteration {i}, is the waiter done? {task.done()}")
            frame = task.get_coro().cr_frame  # the coroutine's paused frame
            print("the waiter is paused at:", inspect.getframeinfo(frame).code_context[0].strip())
            print("the future it waits for:", fut)
            fut.set_result(42)
            await task

        await main()
        """,
        checks=["waiter", "compare-same"],
    ),
    md(
        """
        `cb=[Task.task_wakeup()]` is the parked task's wakeup, held by the future.

        After `--compare`, `loop_magic.last_run()` is the second run: the real asyncio's, traced. Its
        state at each iteration shows the waiter *off* the ready queue while it waits, and the waiter
        took only two steps in all, however long it waited:
        """
    ),
    code(
        """
        run = loop_magic.last_run()
        print("mode:", run.mode)
        waiter = dict(run.steps())[2]  # the second task made: the waiter's name
        for frame in run.timeline().frames():
            states = {name: before for name, before, after in frame.tasks}
            print(f"iteration {frame.iteration}: ready queue {frame.ready}, waiter: {states.get(waiter, '-')}")
        steps = [number for number, name in run.steps()]
        print(f"steps: main {steps.count(1)}, waiter {steps.count(2)}")
        """,
        checks=["waiter-off-queue"],
    ),
    md(
        """
        That is seed 001's question *how does a coroutine wait without being polled?* The answer is
        not "its status is set to pending": the Task is simply in no queue. Compare the polling loop
        of notebook 2, which asked the same waiting task again and again.

        When the future is resolved, `set_result` schedules its done-callbacks; it never calls them
        itself (why: the code that resolves a future should not run its waiters in the middle of its
        own work):
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.futures.Future.set_result))
        print(inspect.getsource(loop_impl.futures.Future._schedule_callbacks))
        """,
        checks=["source:set-result"],
    ),
    md(
        """
        And if nothing will ever resolve the future? Real asyncio would wait forever, silently. tinyloop
        notices that no callback is ready, no timer is set, no file descriptor is watched and no other
        thread could call in, and reports a **deadlock**, naming the task and the line it waits at
        (the error is expected):
        """
    ),
    code(
        """
        %%tinyloop
        async def main():
            never = asyncio.get_running_loop().create_future()
            print("main: waiting for a future nobody will resolve")
            await never

        await main()
        """,
        checks=["deadlock"],
        raises=True,
    ),
    md(
        """
        ## Does `run_until_complete` spin at 100% CPU?

        Seed 001 asks: *`run_until_complete` keeps running the loop until the task is done; with only one
        sleep scheduled and a `select` timeout of 0, does the loop busy-loop at 100% CPU?* No, because
        the timeout is not 0. Each iteration, the loop asks *how long may I sleep?*: zero if something
        is ready; until the earliest timer if there are timers; forever if there is only I/O to wait
        for. Then it blocks in `select()`:
        """
    ),
    code("print(inspect.getsource(loop_impl.loop.EventLoop._run_once))", checks=["source:run-once"]),
    code(
        """
        %%tinyloop --compare
        loop = asyncio.new_event_loop()
        loop.run_until_complete(asyncio.sleep(0.3))
        loop.close()
        """,
        checks=["no-spin"],
    ),
    md(
        """
        The two summary lines in the verdict say it: 0.3 s of wall time, about a millisecond of CPU, on
        tinyloop and on asyncio alike. The loop's part of the narration of the asyncio run (the last
        one) shows why: one wait of 0.3 s in `select()`, then the timer fires.
        """
    ),
    code(
        """
        for transfer in loop_magic.last_run().timeline().narration():
            if transfer.place == "event loop":
                print("-", transfer.detail)
        """,
        checks=["select-timeout"],
    ),
    md(
        """
        ## Future versus Task

        Seed 001's last question: *future vs task?* Both are awaitable through the same `__await__`, and
        a Task **is** a Future (a subclass). The difference is who resolves it:

        - a **Future** is a placeholder that *someone else* resolves (`set_result`): a timer callback,
          the selector, another task;
        - a **Task** resolves *itself*: it drives a coroutine step by step, and its result is the
          coroutine's return value. You cannot `set_result` a Task by hand.
        """
    ),
    code(
        """
        %%tinyloop --compare --virtual-time
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        loop.call_later(1, future.set_result, "set by a timer callback")
        task = asyncio.create_task(asyncio.sleep(2, result="returned by its coroutine"))

        print("a Task is a Future:", isinstance(task, asyncio.Future))
        print("future:", await future)
        print("task:", await task)
        try:
            task.set_result("set by hand")
        except RuntimeError as error:
            print("task.set_result:", error)
        """,
        checks=["future-vs-task", "compare-same"],
    ),
    md(
        """
        ## Writing your own awaitable

        Seed 004 asks *how would I write my own asynchronous variant of some operation?* Make an
        object whose `__await__` creates a future, arranges for *something* to resolve it later, and
        delegates to the future's own `__await__`. Here the something is a timer; in notebook 5 it is
        a socket becoming readable. It works on tinyloop and on the real asyncio alike:
        """
    ),
    code(
        """
        %%tinyloop --compare
        class Alarm:
            \"\"\"Awaitable: resumes the awaiting coroutine after `delay` seconds, with `message`.\"\"\"

            def __init__(self, delay, message):
                self.delay, self.message = delay, message

            def __await__(self):
                loop = asyncio.get_running_loop()
                future = loop.create_future()
                loop.call_later(self.delay, future.set_result, self.message)
                return (yield from future.__await__())  # yields the future up to the Task, returns its result

        print(await Alarm(0.1, "wake up!"))
        """,
        checks=["alarm", "compare-same"],
    ),
    md(
        """
        What may `__await__` yield? Only what the Task understands: a future with the blocking flag set
        (park me on it), or a bare `None` (`sleep(0)`: requeue me). Seed 000's `Sleep` yields *itself*,
        which only seed 000's own loop understands; the Task of asyncio (and of tinyloop) rejects it:
        """
    ),
    code(
        """
        %%tinyloop --compare --no-timeline
        class Sleep:  # seed 000's awaitable, reduced to its __await__
            def __init__(self, delay):
                self.delay = delay

            def __await__(self):
                yield self
                return None

        try:
            await Sleep(1)
        except RuntimeError as error:
            print("RuntimeError:", str(error).split(":")[0])
        """,
        checks=["bad-yield", "compare-same"],
    ),
    md(
        """
        ## Recap

        - `create_task` only queues a task; it runs when the current task yields to the loop.
          Awaiting a coroutine runs it inline; awaiting a pending Future or Task cedes control.
        - `Future.__await__`: not done → set `_asyncio_future_blocking`, `yield self` up to the Task;
          resumed → return the result.
        - `Task.__step` sends into the coroutine; on a flagged future it adds its `__wakeup` as a
          done-callback and leaves the task in **no** queue. The future's `set_result` schedules that
          callback, and the task steps again, resuming the coroutine's own frame where it paused.
        - Waiting costs nothing: the loop blocks in `select()` until the next timer, a ready socket, or
          a call from another thread. `run_until_complete` does not spin; `run_forever` with nothing to
          do sleeps (and tinyloop reports when nothing could ever wake it).
        - A Task is a Future that resolves itself from its coroutine.
        - The seeds' `Future.__await__` variants: the real names are `_asyncio_future_blocking` and
          `RuntimeError("await wasn't used with future")`.

        **Questions to try**

        1. In seed 004's program, make `triple` do `await asyncio.sleep(0)` before returning. How many
           iterations does the narration have now, and what new step appears?
        2. In the waiter cell, resolve the future with `fut.set_exception(ValueError("no"))`. Where does
           the exception come out?
        3. Write `Alarm` as an `async def alarm(delay, message)` function instead of a class. Which is
           simpler, and what does each cost in steps?
        4. Remove `_asyncio_future_blocking = True` from a copy of `Future.__await__` (in your head, or
           in a subclass). What would `Task.__step` do with the yielded future?

        Next: **04_timers_and_sleep.ipynb**: where timers live, and why `time.sleep` freezes everything.
        """
    ),
]
