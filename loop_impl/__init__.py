"""loop_impl: asyncio, written from scratch to be read.

`import loop_impl as asyncio` and an ordinary asyncio program runs unchanged
and prints what it prints under asyncio. Read it in this order:

    handles.py    Handle, TimerHandle: a callback the loop promised to call
    futures.py    Future: a result that is not there yet
    tasks.py      Task: a coroutine stepped by the loop; sleep()
                  (coroutines.py: what counts as one; eager.py: 3.12's eager tasks)
    loop.py       EventLoop: the ready queue, the timer heap, the selector
    loop_services.py  errors, executors, async generators, "nothing can wake us"
    selector_io.py  waiting on sockets and file descriptors
    gathering.py, waiting.py, timeouts.py   gather, wait_for, wait, timeout
    locks.py, queues.py, streams.py          Event, Lock, Queue, streams
    barriers.py, taskgroups.py, threads.py   Barrier, TaskGroup, to_thread
    protocols.py  the interfaces: protocols and transports, as asyncio's
    connections.py  create_connection, create_server
    transports/   the transports, apart from the core: TCP and unix
                  sockets, UDP, pipes, subprocesses, signals, sendfile, TLS
    subprocess.py   create_subprocess_exec/shell and Process (streams)
    policies.py   event loop policies; versions.py  where asyncio's versions differ
    stream_reader.py  StreamReader: the buffer a stream read waits on
    runners.py    run(): make a loop, run main, clean up
    trace.py      the events a loop reports (the schema), recorder.py writes them
    diagnostics.py  deadlock and blocking-step reports
    reprs.py      how futures, tasks and callbacks print themselves
    call_graph.py  3.14's capture_call_graph: which task awaits which
    versions.py   every way asyncio differs between 3.11 and 3.14, one row each
    events.py     which loop is running (loop_impl's own registry)
    abstract_loop.py  AbstractEventLoop: what every event loop promises
    coroutines.py  iscoroutine, iscoroutinefunction, debug mode from the environment
    capabilities.py  threads, sockets, processes: which this Python has (none in Pyodide)
    generator_loop.py  the naive polling loop of the classic tutorials
                  (generator_loop_tools.py: its limits, statistics, tracing)
    asyncio_seam.py  the one seam to the real asyncio: HostedEventLoop and
                  EventLoopPolicy run asyncio programs and libraries on our
                  loop, as uvloop's do; the shared exception classes

It needs nothing beyond the standard library. Only asyncio_seam.py imports
asyncio (imported first, so the exceptions everyone raises are asyncio's).
"""

# The seam first, before any module takes a class from exceptions.py or protocols.py
# (why: asyncio_seam.py puts asyncio's own classes there; its docstring says why).
from .asyncio_seam import EventLoopPolicy, HostedEventLoop

# isort: split
from . import versions
from .abstract_loop import AbstractEventLoop
from .barriers import Barrier, BrokenBarrierError
from .connections import Server
from .events import AbstractServer, get_event_loop, get_running_loop, new_event_loop, set_event_loop
from .exceptions import (
    CancelledError,
    DeadlockError,
    IncompleteReadError,
    InvalidStateError,
    LimitOverrunError,
    SendfileNotAvailableError,
    TimeoutError,
)
from .futures import Future, isfuture, wrap_future
from .gathering import gather, shield
from .handles import Handle, TimerHandle
from .locks import BoundedSemaphore, Condition, Event, Lock, Semaphore
from .loop import EventLoop
from .policies import (
    AbstractEventLoopPolicy,
    BaseDefaultEventLoopPolicy,
    DefaultEventLoopPolicy,
    get_event_loop_policy,
    set_event_loop_policy,
)
from .protocols import (
    BaseProtocol,
    BaseTransport,
    BufferedProtocol,
    DatagramProtocol,
    DatagramTransport,
    Protocol,
    ReadTransport,
    SubprocessProtocol,
    SubprocessTransport,
    Transport,
    WriteTransport,
)
from .queues import LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull
from .runners import Runner, run
from .streams import (
    StreamReader,
    StreamReaderProtocol,
    StreamWriter,
    open_connection,
    open_unix_connection,
    start_server,
    start_unix_server,
)
from .subprocess import create_subprocess_exec, create_subprocess_shell
from .taskgroups import TaskGroup
from .tasks import (
    Task,
    all_tasks,
    create_task,
    current_task,
    ensure_future,
    iscoroutine,
    iscoroutinefunction,
    sleep,
)
from .threads import run_coroutine_threadsafe, to_thread
from .timeouts import Timeout, timeout, timeout_at
from .waiting import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, as_completed, wait, wait_for

BaseEventLoop = EventLoop
SelectorEventLoop = EventLoop

__all__ = (
    "ALL_COMPLETED", "AbstractEventLoop", "BaseEventLoop", "CancelledError", "DeadlockError",
    "EventLoop", "FIRST_COMPLETED", "FIRST_EXCEPTION", "Future", "Handle", "IncompleteReadError",
    "InvalidStateError", "LimitOverrunError", "Runner", "SelectorEventLoop", "Task", "Timeout",
    "TimeoutError", "TimerHandle", "all_tasks", "as_completed", "create_task", "current_task",
    "ensure_future", "gather", "get_event_loop", "get_running_loop", "iscoroutine",
    "iscoroutinefunction", "isfuture", "new_event_loop", "run", "set_event_loop", "shield",
    "sleep", "timeout", "timeout_at", "wait", "wait_for", "wrap_future",
    "BoundedSemaphore", "Condition", "Event", "Lock", "Semaphore",
    "LifoQueue", "PriorityQueue", "Queue", "QueueEmpty", "QueueFull",
    "TaskGroup", "run_coroutine_threadsafe", "to_thread", "Barrier", "BrokenBarrierError",
    "BaseProtocol", "BaseTransport", "Protocol", "Server", "StreamReader", "StreamReaderProtocol",
    "StreamWriter", "Transport", "open_connection", "start_server",
    "AbstractServer", "BufferedProtocol", "DatagramProtocol", "DatagramTransport", "ReadTransport",
    "SubprocessProtocol", "SubprocessTransport", "WriteTransport", "SendfileNotAvailableError",
    "open_unix_connection", "start_unix_server", "create_subprocess_exec", "create_subprocess_shell",
    "AbstractEventLoopPolicy", "BaseDefaultEventLoopPolicy", "DefaultEventLoopPolicy",
    "get_event_loop_policy", "set_event_loop_policy", "EventLoopPolicy", "HostedEventLoop",
)  # fmt: skip

# Names that exist only from some Python version on (see versions.py).
if versions.QUEUE_SHUTDOWN:
    from .queues import QueueShutDown

    __all__ += ("QueueShutDown",)
from . import tasks as _tasks  # noqa: E402 (for the 3.14 wrapper below)

if versions.ISCOROUTINEFUNCTION_DEPRECATED:  # 3.14 (gh-122875): the public name warns, loop_impl's own calls don't

    def iscoroutinefunction(func):  # type: ignore[no-redef]
        import warnings

        warnings.warn(
            "'asyncio.iscoroutinefunction' is deprecated and slated for removal in Python 3.16; "
            "use inspect.iscoroutinefunction() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return _tasks.iscoroutinefunction(func)


if versions.CALL_GRAPH:  # 3.14 (gh-91048): who awaits whom
    from .call_graph import (
        FrameCallGraphEntry,
        FutureCallGraph,
        capture_call_graph,
        format_call_graph,
        future_add_to_awaited_by,
        future_discard_from_awaited_by,
        print_call_graph,
    )

    __all__ += (
        "FrameCallGraphEntry", "FutureCallGraph", "capture_call_graph", "format_call_graph",
        "future_add_to_awaited_by", "future_discard_from_awaited_by", "print_call_graph",
    )  # fmt: skip
if versions.POLICIES_DEPRECATED:  # 3.14 (gh-127949): the policy classes warn when named
    _POLICY_CLASSES = {"AbstractEventLoopPolicy": AbstractEventLoopPolicy, "DefaultEventLoopPolicy": DefaultEventLoopPolicy}
    for _name in (*_POLICY_CLASSES, "BaseDefaultEventLoopPolicy"):
        del globals()[_name]
    __all__ = tuple(name for name in __all__ if not name.endswith("EventLoopPolicy") or name == "EventLoopPolicy")

    def __getattr__(name: str) -> object:
        if name in _POLICY_CLASSES:
            import warnings

            warnings.warn(f"'asyncio.{name}' is deprecated and slated for removal in Python 3.16", DeprecationWarning, stacklevel=2)
            return _POLICY_CLASSES[name]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if versions.EAGER_TASKS:
    from .eager import create_eager_task_factory, eager_task_factory

    __all__ += ("create_eager_task_factory", "eager_task_factory")

# asyncio.subprocess.PIPE, ...: a submodule, imported last (why: the seam above must be
# imported before any module that takes an exception class from .exceptions).
from . import subprocess  # noqa: E402, F401, I001
