"""Notebook 6: gather, cancellation and timeouts; exceptions crossing task boundaries."""

from __future__ import annotations

from .cells import code, md

NAME = "06_gather_cancel_timeouts"

CELLS = [
    md(
        """
        # 6 · `gather`, cancellation and timeouts

        *About 15 minutes.* Real programs start many tasks, wait for all of them, and sometimes have to
        stop some. This notebook runs each of asyncio's rules for that on tinyloop, checks it against the
        real asyncio with `--compare`, and shows the code that makes it so. All sleeps use
        `--virtual-time`, so the seconds you see cost nothing.

        **What you'll learn**

        - `gather()` returns results in *argument* order, whatever order the tasks finish in
          (seed 001's empty *asyncio.gather()* section);
        - exceptions travel from a task to whoever awaits it, with the full traceback; `gather`
          passes on the first one and lets the others run; `return_exceptions=True` collects them
          (seed 000's loop lacked exception propagation);
        - `Task.cancel()`: `CancelledError` arrives *at the await*, and `finally` blocks run (seed 000's
          loop lacked cancellation);
        - cancelling a `gather` cancels its children;
        - `wait_for` and `asyncio.timeout`: give up after a while, and clean up properly.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect

        import loop_impl
        import loop_magic
        """
    ),
    md(
        """
        ## `gather`: results in argument order

        Three fetches that finish in the order fast, medium, slow. `gather` hands back their results in
        the order you *passed* them:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def fetch(name, delay):
            await asyncio.sleep(delay)
            print(f"{name}: finished after {delay} s")
            return name.upper()

        results = await asyncio.gather(fetch("slow", 3), fetch("fast", 1), fetch("medium", 2))
        print("gather returned", results)
        """,
        checks=["gather-order", "compare-same"],
    ),
    md(
        """
        How? `gather` wraps each awaitable in a task and returns one "outer" future. Each child gets a
        done-callback that counts down; the last one to finish builds the result list by walking the
        children in argument order. Nothing polls:
        """
    ),
    code("print(inspect.getsource(loop_impl.gathering.gather))", checks=["source:gather"]),
    md(
        """
        ## Exceptions cross task boundaries

        An exception raised in a task is stored in the task (a Task is a Future: `set_exception`), and
        raised again in whoever awaits it, with the whole traceback, through every `await`. Here `inner`
        fails inside a task; the cell awaits the task, and the error reaches the cell, pointing at the
        cell's own lines (this error is expected):
        """
    ),
    code(
        """
        %%tinyloop --no-timeline
        async def inner():
            raise KeyError("missing")

        async def outer():
            await inner()

        await asyncio.create_task(outer())
        """,
        checks=["propagates"],
        raises=True,
    ),
    md(
        """
        With `gather`, the **first** exception is raised in the awaiting task at once, and the other
        children are **not** cancelled: they keep running. With `return_exceptions=True`, exceptions are
        returned in the result list like values:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def ok(name, delay):
            await asyncio.sleep(delay)
            print(f"{name}: finished at {loop.time() - start:.0f} s")
            return name

        async def broken(delay):
            await asyncio.sleep(delay)
            raise ValueError(f"broken at {loop.time() - start:.0f} s")

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = [asyncio.create_task(ok("a", 3)), asyncio.create_task(broken(1)), asyncio.create_task(ok("b", 2))]
        try:
            await asyncio.gather(*tasks)
        except ValueError as error:
            print(f"gather raised at {loop.time() - start:.0f} s: {error!r}")
        print("done?", [task.done() for task in tasks])
        await asyncio.sleep(3)
        print("done?", [task.done() for task in tasks])
        print(await asyncio.gather(ok("c", 1), broken(2), return_exceptions=True))
        """,
        checks=["gather-first-exception", "compare-same"],
    ),
    md(
        """
        ## Cancelling a task

        `task.cancel()` does not stop anything by itself: it *asks*. If the task is parked on a future,
        that future is cancelled, which wakes the task with `CancelledError` raised **at its `await`**,
        so its `except` and `finally` blocks run, like for any exception. A task may even catch it
        and clean up (it should re-raise).
        """
    ),
    code("print(inspect.getsource(loop_impl.tasks.Task.cancel))", checks=["source:cancel"]),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def worker():
            try:
                print("worker: sleeping for an hour")
                await asyncio.sleep(3600)
                print("worker: never printed")
            except asyncio.CancelledError:
                print("worker: CancelledError arrived at the await")
                raise
            finally:
                print("worker: finally runs: cleanup done")

        task = asyncio.create_task(worker())
        await asyncio.sleep(1)
        print("main: task.cancel() returns", task.cancel())
        try:
            await task
        except asyncio.CancelledError:
            print("main: awaiting it raises CancelledError; task.cancelled() is", task.cancelled())
        """,
        checks=["cancel-task", "compare-same"],
    ),
    md(
        """
        On the timeline, the worker's wait is cut short: its wake-up says *future cancelled*, and its
        lane ends "cancelled". `CancelledError` is a `BaseException`, not an `Exception`, so that a
        plain `except Exception:` does not swallow a cancellation by accident.

        ## Cancelling a `gather` cancels its children
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def child(name, delay):
            try:
                await asyncio.sleep(delay)
                print(f"{name}: done")
                return name
            except asyncio.CancelledError:
                print(f"{name}: cancelled")
                raise

        group = asyncio.gather(child("quick", 1), child("slow-1", 10), child("slow-2", 20))
        await asyncio.sleep(5)
        print("main: group.cancel() returns", group.cancel())
        try:
            await group
        except asyncio.CancelledError:
            print("main: awaiting the gather raises CancelledError")
        """,
        checks=["cancel-gather", "compare-same"],
    ),
    md(
        """
        `quick` had already finished; the two slow children were parked on their sleeps, and each got
        `CancelledError` at its `await`.

        ## Timeouts: `wait_for` and `asyncio.timeout`

        `asyncio.wait_for(aw, timeout)` waits for `aw` *or* a timer, whichever comes first. If the
        timer wins, it cancels the work **and waits for it to finish** (so its cleanup runs before
        `wait_for` returns), then raises `TimeoutError`. `async with asyncio.timeout(delay)` does the
        same for a whole block.

        How it does it changed in Python 3.12 (gh-96764), a lesson in itself: up to 3.11, `wait_for`
        wraps a coroutine in a new task and races it against a timer; from 3.12 it is just
        `async with timeout(delay): return await aw`, so the coroutine runs inside *your* task and no
        extra task appears on the timeline. The output is the same either way; the timeline shows
        which Python you run:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def slow_answer():
            try:
                await asyncio.sleep(10)
                return 42
            finally:
                print(f"slow_answer: cleaned up at {loop.time() - start:.0f} s")

        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            print(await asyncio.wait_for(slow_answer(), timeout=1))
        except TimeoutError:
            print(f"wait_for: TimeoutError at {loop.time() - start:.0f} s")
        print("with time to spare:", await asyncio.wait_for(asyncio.sleep(1, result="on time"), timeout=5))
        try:
            async with asyncio.timeout(2):
                await slow_answer()
        except TimeoutError:
            print(f"asyncio.timeout: TimeoutError at {loop.time() - start:.0f} s")
        """,
        checks=["timeouts", "compare-same"],
    ),
    md(
        """
        `wait_for` in tinyloop follows the Python it runs on (`loop_impl/versions.py` lists every such
        difference): from 3.12 the `async with timeouts.timeout(...)` branch; up to 3.11 a waiter future,
        a timer that releases it, and `_cancel_and_wait`:
        """
    ),
    code("print(inspect.getsource(loop_impl.waiting.wait_for))", checks=["source:wait-for"]),
    md(
        """
        ## Recap

        - `gather` returns results in argument order; it is one future fed by the children's
          done-callbacks.
        - An exception in a task is stored and re-raised in its awaiter, traceback and all. `gather`
          raises the first one and leaves the siblings running; `return_exceptions=True` collects them.
        - `cancel()` asks: `CancelledError` is thrown in at the task's current `await`; `finally` runs.
          Cancelling a `gather` cancels the children still running.
        - `wait_for` / `asyncio.timeout` cancel the work when time is up, wait for its cleanup, and raise
          `TimeoutError`. (Since 3.12 `wait_for` *is* `asyncio.timeout` around an `await`.)

        **Questions to try**

        1. In the first-exception cell, make two children fail. Which error does `gather` raise? What
           happens to the other one?
        2. Make `worker` catch `CancelledError` and *not* re-raise it. What does `task.cancelled()` say,
           and what does `await task` return?
        3. Wrap `slow_answer()` in `asyncio.shield()` inside `wait_for`. Is it still cleaned up at 1 s?
        4. What does `gather()` return if you cancel one *child* (not the gather) while it runs?

        Next: **07_compare_with_asyncio.ipynb**: checking everything against the real asyncio, and
        where the tutorials' loop parts ways with it.
        """
    ),
]
