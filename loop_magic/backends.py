"""The three backends a cell can run on, and what `asyncio` means in the cell for each.

=============  ================================================
mode           the loop
=============  ================================================
``tinyloop``   `loop_impl.HostedEventLoop` (the from-scratch loop; while it
               runs, real asyncio sees it as the running loop, so libraries
               that import asyncio run on it: asyncio_seam.py)
``generator``  `loop_impl.generator_loop` (the tutorials' polling loop)
``asyncio``    the real asyncio, instrumented (instrumented.py)
=============  ================================================

Every mode's loop runs in a worker thread of the run (worker.py), never in
the kernel's thread (why: that thread already runs ipykernel's asyncio loop,
and must stay free to keep a time limit and to give up on a stuck run).

Each backend gives the cell a module to use as `asyncio`: a fresh copy per run
(`module_for_run`) of the real one (loop_impl, generator_loop, asyncio) in which every way to make a loop —
`run`, `new_event_loop`, `get_event_loop`, `Runner`, the loop classes — makes
one that reports to the run's recorder and that the run closes at the end.
Which run that is, is read from `active` (why a global: one run at a time,
and the asyncio backend's loop lives in another thread than the one that set it).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import loop_impl
import loop_impl.generator_loop as generator_loop
from loop_impl import asyncio_seam
from loop_impl import events as impl_events
from loop_impl import tasks as impl_tasks
from loop_impl.exceptions import CancelledError
from loop_impl.trace import Outcome

from . import browser
from .asyncio_tasks import creator_label
from .instrumented import InstrumentedLoop, TracedTask

__all__ = ("Backend", "TinyloopBackend", "GeneratorBackend", "AsyncioBackend", "get_backend", "MODES", "active")

MODES = ("tinyloop", "generator", "asyncio")


class _Active:
    session: Any = None  # the run under way (runner.Session), or None


active = _Active()


def _session() -> Any:
    session = active.session
    if session is None:
        raise RuntimeError("this loop factory only works while a %%tinyloop cell runs")
    return session


class Backend:
    """What a mode provides; see the subclasses."""

    name = ""
    module: types.ModuleType  # what `asyncio` means in the cell

    @contextlib.contextmanager
    def activate(self, session: Any) -> Iterator[None]:
        """Per-run state around the whole run (task name counters, ...)."""
        yield

    def module_for_run(self) -> types.ModuleType:
        """A fresh copy of `module` for one run (why: what a cell assigns to
        `asyncio.sleep` must not stay for the next cell, nor patch a shared module)."""
        return _copy_module(self.module)

    @contextlib.contextmanager
    def run_thread_context(self, session: Any) -> Iterator[None]:
        """Entered and left in the thread that runs the run's loops, around the cell's code
        and its clean-up: the place for per-thread state of the run."""
        yield

    def run_main(self, coro: Any, session: Any) -> Any:
        """Run the cell's coroutine (a cell with top-level await) as the main task."""
        return drive(session.new_loop(), coro, self.module, session)

    def new_loop(self, session: Any) -> Any:
        raise NotImplementedError

    def after_stop(self, session: Any) -> None:
        """After an interrupt or a timeout, once the loops are closed: finish what is left."""

    def hint_for(self, error: BaseException) -> str | None:
        """A note for an error that says the cell needs another mode, or None."""
        return None


def drive(loop: Any, main: Any, module: Any, session: Any = None) -> Any:
    """asyncio.run()'s contract on a given loop: run main, cancel what is left, close.

    With the run's session: marks when the cell's main coroutine has finished
    (why: a stop that comes during the shutdown after it must not lose its value).
    """
    task = loop.create_task(main)
    try:
        value = loop.run_until_complete(task)
        if session is not None:
            session.main_done = True
    except KeyboardInterrupt:
        raise  # the run is being stopped: the runner cleans up, within a time bound
    except BaseException:
        shutdown(loop, module, quiet=True)
        raise
    shutdown(loop, module)
    return value


def shutdown(loop: Any, module: Any, *, quiet: bool = False) -> None:
    """Cancel the loop's leftover tasks, let them finish, close async generators and the loop."""
    try:
        leftovers = module.all_tasks(loop)
        for task in leftovers:
            task.cancel()
        if leftovers:
            loop.run_until_complete(module.gather(*leftovers, return_exceptions=True))
            for task in leftovers:
                if not task.cancelled() and task.exception() is not None:
                    loop.call_exception_handler(
                        {
                            "message": "unhandled exception during asyncio.run() shutdown",
                            "exception": task.exception(),
                            "task": task,
                        }
                    )
        # Only when there is something to shut down (why: each is one more task
        # on the timeline, and asyncio.run() would show nothing for it either).
        if len(loop._asyncgens):
            loop.run_until_complete(loop.shutdown_asyncgens())
        if loop._default_executor is not None:
            loop.run_until_complete(loop.shutdown_default_executor())
    except Exception:
        if not quiet:
            raise
    finally:
        if not loop.is_running():
            for task in module.all_tasks(loop):
                task._log_destroy_pending = False  # could not be finished (a deadlock): no warning
            loop.close()


def _copy_module(original: types.ModuleType, **overrides: Any) -> types.ModuleType:
    module = types.ModuleType("asyncio", original.__doc__)
    module.__dict__.update({k: v for k, v in vars(original).items() if k not in ("__name__", "__spec__", "__loader__")})
    module.__dict__.update(overrides)
    return module


def _make_run(module_ref: Callable[[], Any], get_running: Callable[[], Any], iscoroutine: Callable[[Any], bool]) -> Any:
    def run(main: Any, *, debug: bool | None = None) -> Any:
        """Run the coroutine `main` on a new (traced) loop and return its result."""
        if get_running() is not None:
            raise RuntimeError("asyncio.run() cannot be called from a running event loop")
        if not iscoroutine(main):
            raise ValueError(f"a coroutine was expected, got {main!r}")
        loop = _session().new_loop()
        if debug is not None:
            loop.set_debug(debug)
        return drive(loop, main, module_ref())

    return run


# -- tinyloop: loop_impl ------------------------------------------------------------------


class TracedEventLoop(asyncio_seam.HostedEventLoop):
    """loop_impl's loop that reports to the run under way (the cell's `asyncio.EventLoop`).

    Hosted (asyncio_seam.py): while it runs it is real asyncio's running loop too,
    so libraries that import the real asyncio (aiohttp, httpx, anyio...) run on it."""

    def __init__(self, *, virtual_time: bool | None = None, recorder: Any = None) -> None:
        session = _session()
        super().__init__(
            virtual_time=session.virtual_time if virtual_time is None else virtual_time,
            recorder=session.recorder if recorder is None else recorder,
        )
        self._main_thread_waits = True  # the kernel's thread only waits for the run's worker
        session.loops.append(self)

    def create_future(self) -> Any:
        future = super().create_future()
        # A future real asyncio made (a Lock's, a Queue's...) is named as the asyncio mode names it.
        creator = sys._getframe(1)
        if creator.f_globals.get("__name__", "").startswith("asyncio."):
            future._label = creator_label(creator)
        return future


class TinyloopBackend(Backend):
    name = "tinyloop"

    def __init__(self) -> None:
        def get_event_loop() -> Any:
            running = impl_events._get_running_loop()
            if running is not None:
                return running
            current = impl_events._registry.current  # (read only: what set_event_loop chose)
            if current is not None and not current.is_closed():
                return current
            loop = _session().new_loop()
            impl_events.set_event_loop(loop)
            return loop

        class Runner(loop_impl.Runner):
            def __init__(self, *, debug: bool | None = None, loop_factory: Any = None) -> None:
                super().__init__(debug=debug, loop_factory=loop_factory or (lambda: _session().new_loop()))

        self.module = _copy_module(
            loop_impl,
            EventLoop=TracedEventLoop,
            SelectorEventLoop=TracedEventLoop,
            HostedEventLoop=TracedEventLoop,
            new_event_loop=lambda: _session().new_loop(),
            get_event_loop=get_event_loop,
            Runner=Runner,
            run=_make_run(lambda: self.module, impl_events._get_running_loop, loop_impl.iscoroutine),
            all_tasks=asyncio_seam.all_tasks,  # (also an asyncio Task a library made on the loop)
        )

    def new_loop(self, session: Any) -> Any:
        return TracedEventLoop()

    def hint_for(self, error: BaseException) -> str | None:
        return asyncio_seam.unhostable_hint(error)

    @contextlib.contextmanager
    def activate(self, session: Any) -> Iterator[None]:
        # Per run: task names from Task-1, and the thread's current loop as it was.
        # Real asyncio sees the run's loops only, and afterwards exactly what it
        # saw before (in a kernel: the kernel's own loop), however the run ends.
        registry = impl_events._registry
        saved = (impl_tasks._task_name_counter, registry.current, registry.current_set)
        impl_tasks._task_name_counter = itertools.count(1).__next__
        try:
            yield
        finally:
            impl_tasks._task_name_counter, registry.current, registry.current_set = saved

    @contextlib.contextmanager
    def run_thread_context(self, session: Any) -> Iterator[None]:
        # In the run's own thread (why there: asyncio's running loop and current
        # loop are per thread, and the kernel thread's must never be touched).
        with asyncio_seam.hosting(session.loops):
            yield


# -- generator: the tutorials' polling loop ------------------------------------------------


class GeneratorBackend(Backend):
    name = "generator"

    def __init__(self) -> None:
        self.module = generator_loop  # its EventLoop and run() read the defaults set in activate()

    @contextlib.contextmanager
    def activate(self, session: Any) -> Iterator[None]:
        saved = generator_loop._task_counter
        generator_loop._task_counter = itertools.count(1).__next__
        session.recorder.measure_steps = True  # it does not time its steps itself
        try:
            with generator_loop.run_defaults(recorder=session.recorder, virtual_time=session.virtual_time):
                yield
        finally:
            generator_loop._task_counter = saved

    def run_main(self, coro: Any, session: Any) -> Any:
        return generator_loop.run(coro)

    def after_stop(self, session: Any) -> None:
        # A stop that lands between the loop taking a task off its queue and
        # polling it leaves that task on no queue: the loop cannot close it. Close
        # it here, so its `finally` blocks run now, inside the run.
        for task in list(session.recorder.tasks.values()):
            if not task.done():
                try:
                    task.get_coro().close() if hasattr(task, "get_coro") else task._coro.close()
                finally:
                    task._finish(None, CancelledError())
                    session.recorder.task_done(task, Outcome.CANCELLED, "closed")


# -- asyncio: the real library, instrumented, in a worker thread ------------------------------


class SessionSelectorEventLoop(InstrumentedLoop):
    """The cell's `asyncio.SelectorEventLoop`: a real one, reporting to the run under way."""

    def __init__(self, selector: Any = None) -> None:
        session = _session()
        super().__init__(session.recorder, virtual_time=session.virtual_time)
        session.loops.append(self)


class AsyncioBackend(Backend):
    name = "asyncio"

    def __init__(self) -> None:
        def get_event_loop() -> Any:
            running = asyncio.events._get_running_loop()
            if running is not None:
                return running
            loop = _session().current_asyncio_loop
            if loop is None or loop.is_closed():
                loop = _session().new_loop()
                asyncio.set_event_loop(loop)
            return loop

        def set_event_loop(loop: Any) -> None:
            _session().current_asyncio_loop = loop
            asyncio.set_event_loop(loop)

        class Runner(asyncio.Runner):
            def __init__(self, *, debug: bool | None = None, loop_factory: Any = None) -> None:
                super().__init__(debug=debug, loop_factory=loop_factory or (lambda: _session().new_loop()))

        eager = {}
        if hasattr(asyncio, "eager_task_factory"):  # 3.12+: the eager first step runs in TracedTask, seen
            eager["eager_task_factory"] = asyncio.create_eager_task_factory(TracedTask)
        self.module = _copy_module(
            asyncio,
            SelectorEventLoop=SessionSelectorEventLoop,
            Task=TracedTask,
            **eager,
            new_event_loop=lambda: _session().new_loop(),
            get_event_loop=get_event_loop,
            set_event_loop=set_event_loop,
            Runner=Runner,
            run=_make_run(lambda: self.module, asyncio.events._get_running_loop, asyncio.iscoroutine),
        )

    def new_loop(self, session: Any) -> Any:
        if browser.NO_THREADS_HERE:
            return browser.without_self_pipe(SessionSelectorEventLoop)()
        return SessionSelectorEventLoop()


_BACKENDS: dict[str, Backend] = {}


def get_backend(mode: str) -> Backend:
    """The backend for a mode name; ValueError naming the modes for anything else."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    backend = _BACKENDS.get(mode)
    if backend is None:
        backend = _BACKENDS[mode] = {
            "tinyloop": TinyloopBackend,
            "generator": GeneratorBackend,
            "asyncio": AsyncioBackend,
        }[mode]()
    return backend
