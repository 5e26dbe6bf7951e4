"""Notebook 1: generators, send, yield from, return through StopIteration (seeds 002, 003, 001, 004)."""

from __future__ import annotations

from .cells import code, md, seed

NAME = "01_generators"

CELLS = [
    md(
        """
        # 1 · Generators: functions that pause

        *About 15 minutes.* This is the first notebook of the tinyloop course. By the end of it you will
        know the one trick every event loop in Python is built on: **a function that can stop in the middle
        and be resumed later**.

        **What you'll learn**

        - a generator runs only when asked (`next`), and pauses at each `yield`;
        - `send(value)` resumes it *and* hands it a value;
        - `yield from` lets one generator delegate to another, and get back its `return` value;
        - a generator's `return` value travels inside the `StopIteration` exception;
        - a coroutine (`async def`) is the same machine: `coro.send(None)` runs it to its next pause.

        The examples come from the course's source documents ("seeds"): seed 002 (*How Python asyncio
        works: recreating it from scratch*), seed 003 (*Asyncio from scratch*), seed 001 (*Tiny-asyncio*)
        and seed 004 (*A conceptual overview of asyncio*). Each program is the seed's own code; where
        a seed is wrong about what Python does, this notebook says so and shows what really happens.

        Run the cells from top to bottom (Shift+Enter).
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect
        """
    ),
    md(
        """
        ## A generator pauses at `yield`

        A function with `yield` in its body is a *generator function*. Calling it runs **none** of its
        body: it returns a generator object. Each `next()` runs the body up to the next `yield`, hands
        out the yielded value and freezes the function, local variables and all, until the next `next()`.

        Seed 002's two examples, one after the other:
        """
    ),
    seed("seed002_generators_review.py", checks=["seed-output"]),
    md(
        """
        Let's watch *when* the body runs. Calling `noisy()` prints nothing: only `next()` runs code.
        When the body runs off its end, `next()` raises `StopIteration`: "no more values".
        """
    ),
    code(
        """
        def noisy():
            print("  body: started")
            yield 1
            print("  body: resumed after the first yield")
            yield 2
            print("  body: about to finish")

        gen = noisy()
        print("called noisy(): got a", type(gen).__name__, "and nothing ran yet")
        print("next ->", next(gen))
        print("next ->", next(gen))
        try:
            next(gen)
        except StopIteration:
            print("next -> StopIteration: the body has finished")
        """,
        checks=["noisy-generator"],
    ),
    md(
        """
        That pause is the whole secret of `async`/`await`. An event loop holds many paused functions and
        decides which one to resume next. Whoever calls `next()` is in charge; the generator only says
        "I'm done for now" by yielding.

        ## `send`: resuming with a value

        `yield` is also an expression: `value = yield` receives whatever the caller passes to
        `gen.send(value)`. Seed 003's example:
        """
    ),
    seed("seed003_send.py", checks=["seed-output"]),
    md(
        """
        Why the `next(c)` first? A fresh generator has not reached any `yield` yet, so there is nowhere
        for a sent value to land. Seed 003 says "the first call to `send` will not work"; to be exact,
        only a *non-None* first send fails. `c.send(None)` starts a generator exactly as `next(c)` does,
        and that is the spelling event loops use: a Task starts its coroutine with `coro.send(None)`.
        """
    ),
    code(
        """
        def coroutine():
            print("coroutine started")
            while True:
                value = yield
                print(f"received value: {value}")

        try:
            coroutine().send(1)
        except TypeError as error:
            print("send(1) first:", error)

        c = coroutine()
        c.send(None)  # the same as next(c)
        c.send(1)
        """,
        checks=["send-first"],
    ),
    md(
        """
        ## `yield from`: delegating to another generator

        Seed 001 explains `yield from` with three spellings that produce the same values:
        `yield from`, a `for` loop that re-yields, and the same loop written with `next()`:
        """
    ),
    seed("seed001_yield_from.py", checks=["seed-output"]),
    md(
        """
        For plain iteration they are the same. But `yield from` does more than the `for` loop: while the
        sub-generator runs, every `send()` goes **straight through** to it, and when the sub-generator
        *returns*, its return value becomes the value of the `yield from` expression.

        Seed 003 shows this with a sub-coroutine, and says the program prints `received value: 1` and
        `received value: 2` after each sub-coroutine line. **Python disagrees.** `sub_coroutine()` loops
        forever and never returns, so `value = yield from sub_coroutine()` never finishes, and the outer
        `print` never runs. Here is the seed's program as written, and what it really prints:
        """
    ),
    seed("seed003_yield_from.py", checks=["seed-output"]),
    md(
        """
        Let the sub-coroutine finish after one value, and the outer coroutine gets it back as the value of
        `yield from`, then starts a fresh sub-coroutine for the next value. Now the `received value` lines
        the seed expected appear:
        """
    ),
    code(
        """
        def sub_once():
            print("sub coroutine started")
            value = yield
            print(f"sub coroutine received value: {value}")
            return value  # finishing hands the value to `yield from`

        def coroutine():
            print("coroutine started")
            while True:
                value = yield from sub_once()
                print(f"received value: {value}")

        c = coroutine()
        next(c)
        c.send(1)
        c.send(2)
        """,
        checks=["yield-from-return"],
    ),
    md(
        """
        Keep this picture: **a chain of generators, each delegating to the next with `yield from`; a
        `yield` at the bottom travels all the way up to whoever called `send()`; the next `send()`
        travels all the way down.** Replace "generator" by "coroutine" and `yield from` by `await`, and
        that is asyncio.

        ## `return` travels inside `StopIteration`

        A generator can `return` a value. The caller does not get it from `next()`/`send()`: it arrives
        as the `value` attribute of the `StopIteration` exception that ends the generator.

        Seed 003 writes its example with `while value := yield:`. That line is a **SyntaxError**: an
        unparenthesized `yield` cannot be the right-hand side of `:=`. Python needs `(yield)`:
        """
    ),
    code(
        """
        seed_line = "def corou():\\n    while value := yield:\\n        print(value)\\n"
        try:
            compile(seed_line, "seed 003", "exec")
        except SyntaxError as error:
            print(f"SyntaxError: {error.msg} (line {error.lineno})")
        compile(seed_line.replace(":= yield:", ":= (yield):"), "seed 003", "exec")
        print("with (yield): compiles")
        """,
        checks=["walrus-syntax-error"],
    ),
    md(
        """
        With the parentheses, the seed's program runs. Its last `send(None)` makes the loop end, the
        generator returns `"done"`, and since nobody catches it, the notebook shows
        `StopIteration: done` (this error is expected):
        """
    ),
    seed("seed003_return.py", checks=["seed-output"], raises=True),
    md(
        """
        Catching it is how you read a generator's return value by hand. Remember these three lines:
        a Task does exactly this with its coroutine, and keeps `stop.value` as the task's result.
        """
    ),
    code(
        """
        def corou():
            while value := (yield):
                print(f"received value: {value}")
            return "done"

        c = corou()
        next(c)
        c.send(1)
        try:
            c.send(None)
        except StopIteration as stop:
            print("the generator returned", repr(stop.value))
        """,
        checks=["stopiteration-value"],
    ),
    md(
        """
        ## A coroutine is a generator in disguise

        `async def` functions create *coroutines*, and coroutines have the same `send()` as generators.
        `await x` asks `x` for an iterator (`x.__await__()`) and delegates to it like `yield from`. So a
        `yield` inside some `__await__` climbs up through every `await` to whoever called `send()`.

        Seed 004 drives a coroutine by hand, with no event loop at all:
        """
    ),
    seed("seed004_custom_awaitable.py", checks=["seed-output"]),
    md(
        """
        Read the output in order: `send(None)` starts the coroutine; it prints, awaits
        `custom_awaitable`, whose `__await__` yields `7`; that `7` comes out of **our** `send(None)` call,
        and the coroutine is paused. `send(42)` resumes it: `42` becomes the value of `yield 7`, then the
        value of the `await`, and the coroutine returns `23`, inside `StopIteration`.

        In a program using asyncio, *the caller of `send()` is a Task, run by the event loop*. Notebook 3
        shows the real one.

        ### `await` is not `yield from` for everything

        Seed 001 says that awaiting an `async def` that contains `yield` "is like `yield from foo()`",
        and that the event loop receives the values 1, 2, 3. **Python disagrees:** an `async def` with
        `yield` is an *asynchronous generator* (used with `async for`), not a coroutine, and it cannot be
        awaited at all. Here is the seed's code, run on tinyloop's loop and on the real asyncio
        (`--compare`, more on it in notebook 7). Both say the same thing:
        """
    ),
    seed(
        "seed001_await_async_generator.py",
        magic="%%tinyloop --compare --no-timeline",
        checks=["seed-output", "compare-same"],
    ),
    md(
        """
        ## Recap

        - Calling a generator function runs nothing; `next()` / `send(None)` run it to its next `yield`.
        - `send(v)` resumes a paused generator and makes `v` the value of the `yield` expression.
        - `yield from sub()` passes every `send()` straight through to `sub`, and evaluates to the
          value `sub` *returns*, which comes back inside `StopIteration`.
        - A coroutine is driven the same way: `coro.send(None)`; `await` delegates like `yield from`
          to the awaited object's `__await__`.
        - Corrections to the seeds: seed 003's `yield from` example never prints `received value`
          (its sub-coroutine never returns); its `while value := yield:` needs parentheses; seed 001's
          awaited async generator is a `TypeError`.

        **Questions to try**

        1. In the `noisy()` cell, call `next(gen)` a fourth time. What happens, and why?
        2. Make `sub_once()` return `value * 10`. What does `coroutine()` print now?
        3. Give `CustomAwaitable.__await__` a second `yield`. How many `send()` calls does the coroutine
           need before it returns `23`?
        4. Can you `send()` into a generator that is currently running? (Try calling `c.send(1)` from
           inside the generator's own body.)

        Next: **02_polling_loop.ipynb**, where a list of generators becomes an event loop.
        """
    ),
]
