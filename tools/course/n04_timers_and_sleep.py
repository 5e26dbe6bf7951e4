"""Notebook 4: timers and sleep: call_later, the timer heap, periodic tasks, time.sleep vs asyncio.sleep."""

from __future__ import annotations

from .cells import code, md

NAME = "04_timers_and_sleep"

CELLS = [
    md(
        """
        # 4 · Timers and `sleep`

        *About 15 minutes.* In notebook 2, `sleep` was a task that kept looking at the clock. In
        asyncio it is a **timer**: "at time t, run this callback". This notebook opens the loop's timer
        heap and watches it drain.

        **What you'll learn**

        - `call_soon`, `call_later` and `call_at`: callbacks, run by the loop (seed 000's loop had
          none);
        - the **timer heap**: where deadlines wait, in deadline order, shown in the state panel;
        - `asyncio.sleep` = a future + a timer that resolves it;
        - a periodic background task, stopped by cancelling it;
        - how the loop tells a task that needs the CPU from one that waits, and why `time.sleep()`
          freezes every task while `asyncio.sleep()` does not;
        - `--virtual-time`: an hour of sleeping in a millisecond.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect

        import loop_impl
        import loop_magic
        from course_tools import show_state
        """
    ),
    md(
        """
        ## Callbacks: `call_soon`, `call_later`, `call_at`

        A callback is a plain function the loop calls for you: `call_soon(f, x)` at the next iteration,
        `call_later(delay, f, x)` after `delay` seconds, `call_at(when, f, x)` when the loop's clock
        (`loop.time()`) reaches `when`. Four callbacks, scheduled in a mixed-up order; they run in
        order of their deadlines. `--virtual-time` makes the clock exact, so the times print the
        same on every run, and `--compare` checks the order against the real asyncio:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        loop = asyncio.get_running_loop()
        start = loop.time()

        def say(what):
            print(f"at {loop.time() - start:.1f} s: {what}")

        loop.call_later(0.3, say, "call_later(0.3)")
        loop.call_later(0.1, say, "call_later(0.1)")
        loop.call_at(start + 0.2, say, "call_at(start + 0.2)")
        loop.call_soon(say, "call_soon")
        print("all four scheduled; now main sleeps 0.5 s")
        await asyncio.sleep(0.5)
        """,
        checks=["callbacks", "compare-same"],
    ),
    md(
        """
        Where were they waiting? `call_later` is `call_at(now + delay)`, and `call_at` pushes a
        `TimerHandle` onto a **heap** (Python's `heapq`), ordered by deadline. The loop only ever needs
        the *earliest* deadline, and a heap gives it in constant time:
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.loop.EventLoop.call_later))
        print(inspect.getsource(loop_impl.loop.EventLoop.call_at))
        """,
        checks=["source:call-at"],
    ),
    md(
        """
        The state panel of the second iteration, from the run above (the real asyncio's, the last one of
        `--compare`; tinyloop's is the same). `call_soon`'s callback is in the ready queue; the three
        others, and the timer of main's `sleep(0.5)`, are in the timer heap, earliest first:
        """
    ),
    code("show_state(loop_magic.last_run().timeline().frames()[1])", checks=["state-timer-heap"]),
    md(
        """
        In JupyterLab, the Play button under the timeline steps through every iteration: each one the
        loop waits in `select()` until the earliest deadline, pops the due timer into the ready queue
        (marked "fires now"), and runs it.

        ## `asyncio.sleep()` is a future and a timer

        Seed 001 left its `asyncio.sleep()` section empty. Here is the whole of it, as tinyloop runs it:
        """
    ),
    code("print(inspect.getsource(loop_impl.tasks.sleep))", checks=["source:sleep"]),
    md(
        """
        `sleep(0)` is a single bare `yield` (one trip to the back of the ready queue). Any other delay
        makes a future, asks the loop to resolve it `delay` seconds from now (`call_later`), and awaits
        it: the task parks on the future (notebook 3) and costs nothing until the timer fires.

        Seed 000's timed sleepers on tinyloop: four sleeps, four timers. The first iteration with all
        four in the heap:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time
        async def my_task(t: float) -> None:
            print(f"Task start for sleep {t}")
            await asyncio.sleep(t)
            print(f"Task resumed after sleep {t}")

        await asyncio.gather(my_task(4), my_task(2), my_task(9), my_task(11))
        """,
        checks=["seed-output:seed000_sleep_eventloop.py"],
    ),
    code(
        """
        frames = loop_magic.last_run().timeline().frames()
        show_state(next(frame for frame in frames if len(frame.timers) == 4))
        """,
        checks=["state-four-timers"],
    ),
    md(
        """
        All four tasks are *waiting on sleep*, the ready queue holds only the callback of the 2 s timer
        that fires now, and nothing else is touched. Compare seed 000's loop, which woke every 10 ms to
        scan its whole list of sleepers.

        How long does the loop sleep between two timers? `_run_once` (notebook 3) computes the
        `select()` timeout as *time until the earliest deadline*, so the loop wakes exactly when the
        next timer is due, and only then. (With `--virtual-time` it jumps its clock there instead of
        sleeping.) The iterations where a timer fired, and the loop's clock at each:
        """
    ),
    code(
        """
        for frame in frames:
            due = [what for _, what, note in frame.timers if note == "fires now"]
            if due:
                print(f"iteration {frame.iteration:>2}, clock at {frame.t:4.1f} s: {due[0]} fires")
        """,
        checks=["timers-fire"],
    ),
    md(
        """
        ## A periodic background task

        Seed 001's empty section *periodical background task*: a task that loops forever, sleeping
        between beats, while the main work goes on. When the work is done, `cancel()` stops it:
        `CancelledError` arrives at its `await asyncio.sleep(...)`, and its `finally` block runs
        (notebook 6 has more on cancellation).
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        async def heartbeat(interval):
            beats = 0
            try:
                while True:
                    await asyncio.sleep(interval)
                    beats += 1
                    print(f"  heartbeat {beats} at {loop.time() - start:.2f} s")
            finally:
                print("  heartbeat: stopped")

        async def work():
            for step in range(3):
                await asyncio.sleep(0.35)
                print(f"work: step {step} done at {loop.time() - start:.2f} s")

        loop = asyncio.get_running_loop()
        start = loop.time()
        beat = asyncio.create_task(heartbeat(0.25))
        await work()
        beat.cancel()
        """,
        checks=["heartbeat", "compare-same"],
    ),
    md(
        """
        Nobody awaits the cancelled heartbeat, yet its `finally` ran: when the cell's main task ends,
        the run cancels and finishes every task left over, as `asyncio.run()` does.

        ## A task that needs the CPU, and one that waits

        Seed 004 asks: *how does asyncio tell a task that doesn't need CPU time to make progress (a
        network request) from one that does (computing n-factorial)?* It doesn't have to guess:

        - a task that needs the CPU is **running**, or in the **ready queue** waiting for its turn;
          it keeps the loop until it reaches an `await` that yields;
        - a task that waits has yielded a future and is **parked**: in no queue; what the loop watches
          is the *thing* it waits for: a timer in the heap, a socket in the selector.

        Three tasks: `cruncher` computes in chunks and cedes control between them with `sleep(0)`;
        `ticker` takes turns with it; `sleeper` waits 10 s:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time --compare
        def crunch(n):
            return sum(i * i for i in range(n))

        async def cruncher():
            for chunk in range(3):
                crunch(50_000)  # CPU work: nothing else runs meanwhile
                print(f"cruncher: chunk {chunk} done")
                await asyncio.sleep(0)  # cede control for one iteration

        async def ticker():
            for tick in range(3):
                print(f"ticker: tick {tick}")
                await asyncio.sleep(0)

        async def sleeper():
            print("sleeper: sleeping 10 s")
            await asyncio.sleep(10)
            print("sleeper: awake")

        await asyncio.gather(cruncher(), ticker(), sleeper())
        """,
        checks=["cpu-and-wait", "compare-same"],
    ),
    code("show_state(loop_magic.last_run().timeline().frames()[2])", checks=["state-cpu-and-wait"]),
    md(
        """
        In that iteration, `cruncher` and `ticker` are in the ready queue (they need the CPU); `sleeper`
        is not: only its timer, 10 s away, is in the heap. The panel calls each task by its name
        (`Task-N`: `gather` made them without one); each lane says which coroutine its task runs.

        ## `time.sleep()` versus `asyncio.sleep()`

        Seed 004 asks: *how does `asyncio.sleep()` run asynchronously while `time.sleep()` does not?*
        `asyncio.sleep()` sets a timer and *yields*: the task parks and the loop runs others.
        `time.sleep()` never yields: it blocks the whole thread, and the loop with it. Two tasks, one of
        each (real time, since `time.sleep` sleeps for real):
        """
    ),
    code(
        """
        %%tinyloop
        import time

        async def polite(name):
            for tick in range(2):
                print(f"{name}: tick {tick} at {loop.time() - start:.1f} s")
                await asyncio.sleep(0.2)  # parks this task; the loop runs others

        async def rude(name):
            for tick in range(2):
                print(f"{name}: tick {tick} at {loop.time() - start:.1f} s")
                time.sleep(0.2)  # blocks the thread: the loop stops

        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(polite("polite"), rude("rude"))
        """,
        checks=["blocking-step"],
    ),
    md(
        """
        `rude` printed both ticks in one step: it never yielded. `polite` asked to be woken at 0.2 s, but
        the loop was stuck inside `rude`'s step for 0.4 s, so its tick 1 came only after that (0.4 s or a
        little more: real time; in a browser tab, where cells run on virtual time, the clock stands still
        while a step runs, so there it says 0.2 s and only the report below tells the 0.4 s). The summary
        counts a **blocking step** and names it, and the timeline
        draws that step in red (`!` in the text view). Real asyncio only reports this in debug mode
        (`slow_callback_duration`); tinyloop always does.

        Need a blocking call anyway? Run it in a thread: `await loop.run_in_executor(None, time.sleep,
        0.2)` (notebook 5).

        ## Virtual time

        `--virtual-time` gives the loop a clock that stands still while tasks run, and *jumps* to the
        next deadline when nothing is ready, instead of sleeping. An hour costs nothing, and every run
        gives the same trace:
        """
    ),
    code(
        """
        %%tinyloop --virtual-time
        loop = asyncio.get_running_loop()
        before = loop.time()
        await asyncio.sleep(3600)
        print(f"slept {loop.time() - before:.0f} s of loop time")
        """,
        checks=["virtual-hour"],
    ),
    md(
        """
        The summary's wall time is a millisecond or so. Here is where the jump happens: instead of
        blocking in `select(timeout)`, the loop only polls the selector (with no wait) and moves its
        clock forward by `timeout`:
        """
    ),
    code("print(inspect.getsource(loop_impl.loop.EventLoop._wait_for_io))", checks=["source:wait-for-io"]),
    md(
        """
        ## Recap

        - Callbacks: `call_soon` (next iteration), `call_later` / `call_at` (a `TimerHandle` in a heap
          ordered by deadline). The loop sleeps in `select()` until the earliest deadline.
        - `asyncio.sleep(d)` = a future + `call_later(d, set_result)`; the task parks on the future;
          `sleep(0)` is one bare yield.
        - A task that needs the CPU is running or ready; a task that waits is parked, and the loop
          watches its timer (or socket) instead.
        - `time.sleep()` in a task blocks every task: the summary reports a blocking step.
        - A periodic task is a loop around `sleep`, stopped with `cancel()`.
        - `--virtual-time` jumps the clock: long sleeps are instant and runs are repeatable.

        **Questions to try**

        1. Schedule two `call_later(0.2, ...)` callbacks with the same delay. In which order do they run,
           on tinyloop and on asyncio?
        2. The heartbeat drifts if a beat's work takes time. Rewrite it with `call_at` or with
           `loop.time()` so that beats stay on a 0.25 s grid.
        3. Remove the `await asyncio.sleep(0)` from `cruncher`. What happens to `ticker`'s output order,
           and what does the timeline show?
        4. Replace `time.sleep(0.2)` in `rude` by `await loop.run_in_executor(None, time.sleep, 0.2)`.
           Is there still a blocking step?

        Next: **05_selector_io.ipynb**: waiting for sockets instead of timers.
        """
    ),
]
