"""The seeds' example programs print what the seeds say, each in the mode it belongs to.

The programs are the files in tests/seeds/ (see its README for the header format).
Where the seed is wrong about Python or real asyncio, the truth is asserted and the
seed's claim is quoted beside it. Seconds-long sleeps are scaled down in the files,
keeping every ordering claim (each file's `changed:` line says how).
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import importlib.util
import io
import logging
import re
import runpy
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

import loop_impl
import loop_impl.generator_loop as generator_loop

SEEDS = Path(__file__).parent / "seeds"
BACKENDS = {"generator": generator_loop, "tinyloop": loop_impl, "asyncio": asyncio}


# -- the files and their headers -------------------------------------------------------


def read_header(path: Path) -> dict:
    """The `# key: value` lines at the top of a seed file; `#   text` lines continue a key."""
    header: dict = {"modes": [], "expect": None, "expect-prefix": None, "expect-error": None, "seed-says": None}
    key = None
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"# ([a-z-]+):(.*)$", line)
        if match and match.group(1) in header | {"seed": 0, "changed": 0}:
            key, value = match.group(1), match.group(2).strip()
            if key == "modes":
                header["modes"] = [m.split()[0] for m in value.split(",")]
            elif key == "expect-error":
                header[key] = value
            elif key in header:
                header[key] = []
        elif line.startswith("#   ") and isinstance(header.get(key), list) and key != "modes":
            header[key].append(line[4:])
    return header


SEED_FILES = sorted(SEEDS.glob("seed*.py"))
HEADERS = {path.name: read_header(path) for path in SEED_FILES}

# Seed 002's Sleeping program, on the seed's own loop in real time: at 5 s both tasks
# wake "at once", and which prints first is the drift of the seed's clock (it shows
# Task 2). Only the lines before that instant are compared in real time; the
# generator loop, in virtual time, has no drift and prints the seed's 8 lines.
REAL_TIME_PREFIX = {"seed002_sleeping.py": 6}
# Programs that hang rather than loop: bounded by a subprocess timeout, tested apart.
HANGS = {"seed003_first_draft.py"}


def extra_modules(name: str, mode: str) -> dict:
    """The modules a program imports besides asyncio (seed 002's `import jacobio`)."""
    if name != "seed002_jacobio_program.py":
        return {}
    if mode == "generator":
        return {"jacobio": generator_loop}  # the generator loop is a drop-in for the seed's jacobio
    spec = importlib.util.spec_from_file_location("jacobio", SEEDS / "seed002_jacobio.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"jacobio": module}


# -- running a program ------------------------------------------------------------------


class Enough(BaseException):
    """Raised by the bounded print: the endless program has printed enough."""


@contextlib.contextmanager
def modules_installed(modules: dict):
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def run_program(name: str, mode: str, *, lines: int | None = None, virtual_time: bool = False) -> tuple:
    """Run a seed file in `mode`; return (printed lines, the exception it ended with or None).

    `lines`: stop an endless program once it has printed that many lines (plain mode:
    print raises; generator mode: virtual time and a poll limit).
    """
    modules = extra_modules(name, mode)
    if mode != "plain":
        modules["asyncio"] = BACKENDS[mode]
    init_globals = {}
    if lines is not None and mode == "plain":

        def bounded_print(*args, **kwargs):
            builtins.print(*args, **kwargs)
            bounded_print.count += 1
            if bounded_print.count >= lines:
                raise Enough

        bounded_print.count = 0
        init_globals["print"] = bounded_print
    options = {}
    if mode == "generator" and (virtual_time or lines is not None):
        options = {"virtual_time": True, "max_polls": None if lines is None else 20_000}
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out), modules_installed(modules), generator_loop.run_defaults(**options):
        try:
            names = runpy.run_path(str(SEEDS / name), init_globals=init_globals, run_name="__main__")
            loop = names.get("loop")
            if hasattr(loop, "is_closed") and not loop.is_closed():
                loop.close()  # seed 004's program leaves its loop open
        except (Enough, generator_loop.LimitReached):
            pass
        except Exception as exc:  # the program's own error is part of what it shows
            error = exc
    return out.getvalue().splitlines(), error


def cases(kind: str) -> list:
    found = []
    for name, header in HEADERS.items():
        if name in HANGS or header[kind] is None:
            continue
        found += [pytest.param(name, mode, id=f"{name[:-3]}-{mode}") for mode in header["modes"] if mode != "module"]
    return found


# -- every program, in every mode it belongs to ----------------------------------------------


def test_every_seed_file_says_where_it_runs_and_what_it_prints():
    assert len(SEED_FILES) >= 20
    for name, header in HEADERS.items():
        assert header["modes"], name
        assert set(header["modes"]) <= {"plain", "generator", "tinyloop", "asyncio", "module"}, name
        if "module" not in header["modes"]:
            assert header["expect"] is not None or header["expect-prefix"] is not None, name


@pytest.mark.parametrize("name, mode", cases("expect"))
def test_program_prints_what_the_seed_says(name, mode):
    header = HEADERS[name]
    printed, error = run_program(name, mode)
    assert printed == header["expect"]
    if header["expect-error"]:
        assert f"{type(error).__name__}: {error}" == header["expect-error"]
    else:
        assert error is None, error
    if mode in ("generator", "tinyloop") and "asyncio" in header["modes"]:
        # Real asyncio's output is the expectation; the seed's claim is checked above.
        assert printed == run_program(name, "asyncio")[0]
    if mode == "generator":
        again, again_error = run_program(name, mode, virtual_time=True)
        assert (again, repr(again_error)) == (printed, repr(error))


@pytest.mark.parametrize("name, mode", cases("expect-prefix"))
def test_endless_program_starts_as_the_seed_says(name, mode):
    prefix = HEADERS[name]["expect-prefix"]
    if mode == "plain":
        prefix = prefix[: REAL_TIME_PREFIX.get(name, len(prefix))]
    printed, error = run_program(name, mode, lines=len(prefix))
    assert error is None, error
    assert printed[: len(prefix)] == prefix


# -- seed 000 ----------------------------------------------------------------------------------
# (seed000_sleep_eventloop.py sleeps 0.05 s per second of the seed: 0.2, 0.1, 0.45, 0.55 s, so
# the tasks still wake in the seed's order 2, 4, 9, 11; it is run by the tests above.)


# -- seed 001 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lib", [loop_impl, asyncio], ids=["loop_impl", "asyncio"])
def test_future_await_yields_itself_flagged_and_the_task_takes_the_flag(lib):
    # Seed 001: "if not self.done(): self._asyncio_future_blocking = True; yield self".
    loop = lib.new_event_loop()
    try:
        future = loop.create_future()
        steps = future.__await__()
        assert next(steps) is future and future._asyncio_future_blocking is True
        future.set_result("r")
        with pytest.raises(StopIteration) as stop:
            next(steps)
        assert stop.value.value == "r"

        # Awaited inside a Task, the Task sees the flag, resets it and parks on the future.
        async def main():
            pending = loop.create_future()
            task = lib.ensure_future(_await(pending))
            await lib.sleep(0)
            seen = pending._asyncio_future_blocking
            pending.set_result(7)
            return seen, await task

        assert loop.run_until_complete(main()) == (False, 7)
    finally:
        loop.close()


async def _await(future):
    return await future


def test_the_flag_is_named_asyncio_future_blocking():
    # Seed 004 (and its Task.step): "self._asyncio_is_future_blocking = True". Real asyncio
    # calls it _asyncio_future_blocking, as seeds 001 and 003 write it; real asyncio wins.
    for lib in (asyncio, loop_impl):
        loop = lib.new_event_loop()
        future = loop.create_future()
        assert future._asyncio_future_blocking is False
        assert not hasattr(future, "_asyncio_is_future_blocking")
        loop.close()


# -- seed 002 -------------------------------------------------------------------------------------


def test_jacobio_program_on_all_four_loops():
    # The seed's own jacobio, the generator loop standing in for jacobio, loop_impl and real
    # asyncio: the same six lines.
    outputs = {
        "jacobio": run_program("seed002_jacobio_program.py", "plain")[0],
        "generator_loop as jacobio": run_program("seed002_jacobio_program.py", "generator")[0],
        "loop_impl": run_program("seed002_asyncio.py", "tinyloop")[0],
        "generator_loop": run_program("seed002_asyncio.py", "generator")[0],
    }
    expected = run_program("seed002_asyncio.py", "asyncio")[0]
    assert expected == ["Task 1", "Task 2", "Task 2", "Task 2", "Task 1", "done"]
    assert outputs == dict.fromkeys(outputs, expected)


def test_the_sleeping_rhythm_of_seed_002():
    # After the first two lines, Task 2 comes back once per five Task 1s.
    printed, _ = run_program("seed002_sleeping_generator_loop.py", "generator", lines=20)
    assert len(printed) >= 20
    task2_at = [i for i, line in enumerate(printed[:20]) if line == "Task 2"]
    assert task2_at == [1, 6, 12, 18]


# -- seed 003 -------------------------------------------------------------------------------------


def test_first_send_must_be_none_and_then_it_works():
    # Seed 003: "the first call to `send` will not work. This is because the coroutine is not yet
    # started." Only a non-None first send fails; send(None) starts it, exactly as next() does.
    def coroutine():
        value = yield
        return value

    with pytest.raises(TypeError, match="can't send non-None value to a just-started generator"):
        coroutine().send(1)
    c = coroutine()
    assert c.send(None) is None
    with pytest.raises(StopIteration) as stop:
        c.send(2)
    assert stop.value.value == 2


def test_the_seeds_walrus_yield_is_a_syntax_error():
    # Seed 003 writes `while value := yield:`; Python needs `while value := (yield):`
    # (tests/seeds/seed003_return.py has the parenthesized line).
    seed_text = (
        'def corou():\n\tprint("coroutine started")\n\twhile value := yield:\n\t\tprint(value)\n\treturn "done"\n'
    )
    with pytest.raises(SyntaxError):
        compile(seed_text, "seed003", "exec")
    compile(seed_text.replace(":= yield:", ":= (yield):"), "seed003", "exec")


def test_the_first_draft_of_task_new_hangs():
    # Seed 003's first Task.new queues Task(coro) and returns *another* Task(coro): nobody polls
    # the one returned, so `await task` never ends. The final program fixed it; the draft prints
    # each task's first line and spins forever.
    with pytest.raises(subprocess.TimeoutExpired) as hung:
        subprocess.run(
            [sys.executable, "-u", str(SEEDS / "seed003_first_draft.py")], capture_output=True, timeout=1.5, text=True
        )
    printed = hung.value.stdout
    printed = printed.decode() if isinstance(printed, bytes) else printed
    assert printed.splitlines() == ["Task 1", "Task 2"]


def test_asyncio_sleep_does_not_poll():
    # Seed 003: "At its core, the `asyncio.sleep` basically does the same thing" (as the polling
    # sleep_async). Real asyncio sleeps on a timer and the loop waits in select(): no CPU. The
    # generator loop is the one that polls.
    def cpu_of(run, sleep):
        async def main():
            await sleep(0.2)

        started = time.process_time()
        run(main())
        return time.process_time() - started

    assert cpu_of(asyncio.run, asyncio.sleep) < 0.05
    assert cpu_of(loop_impl.run, loop_impl.sleep) < 0.05
    assert cpu_of(generator_loop.run, generator_loop.sleep) > 0.05


# -- seed 004 -------------------------------------------------------------------------------------


def test_triple_program_on_loop_impl_stops_with_a_report(caplog):
    with caplog.at_level(logging.WARNING, logger="loop_impl"):
        with modules_installed({"asyncio": loop_impl}), contextlib.redirect_stdout(io.StringIO()) as out:
            names = runpy.run_path(str(SEEDS / "seed004_triple.py"), run_name="__main__")
    assert out.getvalue() == ""
    assert names["main_task"].result() == 17
    assert "nothing could ever wake the loop" in caplog.text
    names["loop"].close()


def test_triple_program_on_real_asyncio_never_leaves_run_forever():
    # Seed 004: "There's nothing in the queue. The event-loop cycles aimlessly onwards." True of
    # asyncio: run_forever() only returns because a watchdog stops it.
    stopped_by = []

    def new_event_loop():
        loop = asyncio.new_event_loop()
        loop.call_later(0.2, lambda: (stopped_by.append("watchdog"), loop.stop()))
        return loop

    shim = types.ModuleType("asyncio")
    shim.__dict__.update({k: getattr(asyncio, k) for k in ("Task", "sleep")}, new_event_loop=new_event_loop)
    with modules_installed({"asyncio": shim}):
        names = runpy.run_path(str(SEEDS / "seed004_triple.py"), run_name="__main__")
    assert stopped_by == ["watchdog"]
    assert names["main_task"].result() == 17
    names["loop"].close()
