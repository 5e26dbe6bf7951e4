"""Differential testing: run one asyncio program under real asyncio and under loop_impl.

A test program is ordinary asyncio code (`import asyncio` at the top). To run
it "under loop_impl" we install `sys.modules["asyncio"] = loop_impl` before the
program is executed, so its `import asyncio` gets our loop. Real asyncio's
output is the expectation; loop_impl must print the same thing.

Two ways to run:

* `run_program(path, impl)` / `run_source(source, impl)`: a fresh Python
  subprocess (a tiny bootstrap `-c` script, then `runpy`), with a timeout. Each
  run starts from a clean interpreter, so task numbering (`Task-1`, ...) and
  uncaught exceptions behave exactly as in `python program.py`.
* `run_in_process(source, module)`: exec the source in this interpreter with
  `asyncio` bound to `module`, stdout captured. Much faster (no interpreter
  start-up): the property tests run hundreds of programs this way. With
  `virtual_time=True` both implementations run on a virtual clock (the clock
  jumps to the next timer instead of sleeping), so timed programs are instant
  and exactly reproducible — real asyncio keeps all of its scheduling code,
  only its clock is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import io
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import loop_impl

__all__ = (
    "IMPLS",
    "RunResult",
    "exception_line",
    "run_program",
    "run_source",
    "run_in_process",
    "unified_diff",
    "VirtualAsyncioLoop",
    "program_requirement",
)

REPO = Path(__file__).resolve().parent.parent
IMPLS = ("asyncio", "loop_impl")
# "hosted": the real asyncio module, running on loop_impl's loop the way a user
# plugs in uvloop: asyncio.run(main, loop_factory=...) on 3.12+, the policy on 3.11.
HOSTED = "hosted"
DEFAULT_TIMEOUT = 20.0

# The bootstrap: argv[1] is the implementation, argv[2] the program. The
# program's folder goes first on sys.path, as `python program.py` would do.
_BOOTSTRAP = """\
import runpy, sys
impl, path = sys.argv[1], sys.argv[2]
if impl == "loop_impl":
    import loop_impl
    sys.modules["asyncio"] = loop_impl
elif impl == "hosted":
    import asyncio, loop_impl
    if sys.version_info >= (3, 12):
        _run = asyncio.run
        def run(main, *, debug=None, loop_factory=loop_impl.HostedEventLoop):
            return _run(main, debug=debug, loop_factory=loop_factory)
        asyncio.run = run
    else:
        asyncio.set_event_loop_policy(loop_impl.EventLoopPolicy())
sys.argv = [path]
sys.path.insert(0, __import__("os").path.dirname(path))
runpy.run_path(path, run_name="__main__")
"""


@dataclass
class RunResult:
    """What one run of a program produced."""

    impl: str
    stdout: str
    stderr: str
    returncode: int | None  # None: killed on timeout
    timed_out: bool = False

    @property
    def exception(self) -> str | None:
        """The final line of the uncaught exception's traceback, if the program died of one."""
        return exception_line(self.stderr) if self.returncode else None


def run_program(path: str | os.PathLike[str], impl: str, *, timeout: float = DEFAULT_TIMEOUT) -> RunResult:
    """Run the program file in a new interpreter under `impl` ("asyncio" or "loop_impl")."""
    if impl not in IMPLS + (HOSTED,):
        raise ValueError(f"impl must be one of {IMPLS}, got {impl!r}")
    env = dict(os.environ)
    # Why a fixed hash seed: a program that prints a set of strings must
    # print it in the same order under both runs.
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONASYNCIODEBUG", None)
    env.pop("PYTHONWARNINGS", None)
    cmd = [sys.executable, "-c", _BOOTSTRAP, impl, str(Path(path).resolve())]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)
    except subprocess.TimeoutExpired as exc:
        return RunResult(impl, _text(exc.stdout), _text(exc.stderr), None, timed_out=True)
    return RunResult(impl, proc.stdout, proc.stderr, proc.returncode)


def run_source(source: str, impl: str, *, timeout: float = DEFAULT_TIMEOUT) -> RunResult:
    """Like run_program, for a program given as a string."""
    with tempfile.TemporaryDirectory(prefix="difftest-") as tmp:
        path = Path(tmp) / "program.py"
        path.write_text(source)
        return run_program(path, impl, timeout=timeout)


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


_TRACEBACK_HEADER = "Traceback (most recent call last):"


def exception_line(stderr: str) -> str | None:
    """`Type: message` of the last traceback in stderr, module prefix normalised.

    `loop_impl.exceptions.CancelledError` is reported as
    `asyncio.exceptions.CancelledError`: the same class in its own package.
    """
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line == _TRACEBACK_HEADER]
    if not starts:
        return None
    # The exception line is the first unindented line after the frames.
    for line in lines[starts[-1] + 1 :]:
        if line and not line[0].isspace():
            return re.sub(r"^loop_impl\.", "asyncio.", line)
    return None


def unified_diff(expected: str, actual: str, a: str = "asyncio", b: str = "loop_impl") -> str:
    """A unified diff of two outputs, line by line."""
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), fromfile=a, tofile=b))


_REQUIRES = "# requires-python:"


def program_requirement(path: str | os.PathLike[str]) -> str | None:
    """Why this interpreter is too old for the program, or None if it can run it.

    A program needing a newer asyncio API says so in its first lines:
    `# requires-python: 3.13 Queue.shutdown (gh-96471)`.
    """
    with open(path) as f:
        head = [next(f, "") for _ in range(5)]
    for line in head:
        if line.startswith(_REQUIRES):
            version, _, why = line[len(_REQUIRES) :].strip().partition(" ")
            needed = tuple(int(part) for part in version.split("."))
            if sys.version_info < needed:
                return f"needs Python {version}+ ({why or 'a newer asyncio API'}); this is {sys.version.split()[0]}"
    return None


# -- in-process runs -----------------------------------------------------------


class ProgramTimeout(BaseException):
    """An in-process program ran past its time limit (BaseException: no `except Exception` eats it)."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    # SIGALRM interrupts even a select() that would block forever. Only the
    # main thread receives signals; elsewhere the run is simply not limited.
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _on_alarm(signum: int, frame: Any) -> None:
        raise ProgramTimeout(f"program still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _asyncio_bound_to(module: ModuleType) -> Iterator[None]:
    saved = sys.modules.get("asyncio")
    sys.modules["asyncio"] = module
    try:
        yield
    finally:
        if saved is None:
            del sys.modules["asyncio"]
        else:
            sys.modules["asyncio"] = saved


def run_in_process(
    source: str,
    module: ModuleType,
    *,
    virtual_time: bool = False,
    entry: str = "main",
    timeout: float | None = 10.0,
) -> str:
    """Run `source` here with `import asyncio` giving `module`; return what it printed.

    Without virtual_time the source runs as `__main__` (so it should end with
    `asyncio.run(main())`). With virtual_time it is executed as a module and
    its coroutine function `entry` is run on a virtual-clock loop of `module`.
    An exception escaping the program is printed as a last line `!! Type: message`.
    """
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__program__" if virtual_time else "__main__"}
    code = compile(source, "<program>", "exec")
    with _asyncio_bound_to(module), contextlib.redirect_stdout(out), _time_limit(timeout):
        try:
            exec(code, namespace)
            if virtual_time:
                with module.Runner(loop_factory=_virtual_loop_factory(module)) as runner:
                    runner.run(namespace[entry]())
        except ProgramTimeout:
            raise
        except BaseException as exc:  # the program's own error is part of its output
            print(f"!! {type(exc).__name__}: {exc}")
    return out.getvalue()


def _virtual_loop_factory(module: ModuleType) -> Any:
    if module is loop_impl:
        return lambda: loop_impl.EventLoop(virtual_time=True)
    if module is asyncio:
        return VirtualAsyncioLoop
    raise ValueError(f"no virtual-time loop for {module!r}")


# -- real asyncio on a virtual clock ---------------------------------------------


class _VirtualClockSelector:
    """A selector that, instead of sleeping for `timeout`, advances the loop's clock.

    It still polls the real selector (timeout 0), so I/O and the loop's
    self-pipe work. Blocking forever with nothing to wait for is a deadlock,
    which real asyncio would hang on: raise instead.
    """

    def __init__(self, loop: VirtualAsyncioLoop) -> None:
        self._selector = selectors.DefaultSelector()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list:
        events = self._selector.select(0)
        if events or timeout == 0:
            return events
        if timeout is None:
            if self._selector.get_map() and len(self._selector.get_map()) > 1:
                return self._selector.select(None)  # real I/O besides the self-pipe
            raise RuntimeError("virtual clock: nothing ready, no timer, no I/O (deadlock)")
        self._loop._virtual_now += timeout
        return []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)


class VirtualAsyncioLoop(asyncio.SelectorEventLoop):
    """Real asyncio, every line of its scheduling kept, with a clock that jumps."""

    def __init__(self) -> None:
        self._virtual_now = 0.0
        super().__init__(selector=_VirtualClockSelector(self))

    def time(self) -> float:
        return self._virtual_now
