"""Where asyncio changed between Python versions: the one table.

loop_impl behaves as the asyncio of the interpreter it runs on. Every
observable difference between 3.11, 3.12, 3.13 and 3.14 is one row below: a
module-level boolean named for the behaviour, computed from
`sys.version_info`, with the version, the CPython issue and one line of what
changes. The code branches on these names and nowhere else on the version,
so a reader finds every difference here, and adding a version is one row each.

Read the table as "True on this interpreter when ...". Rows marked
(documented) are differences loop_impl does not show by itself (an API it does
not claim, or one whose change cannot be observed by a program); they are
listed so that the table is complete. Rows marked (planned) are for 3.15 and
are False on every interpreter this project runs on today.

3.12
  WAIT_FOR_USES_TIMEOUT             gh-96764   wait_for() is `async with timeout()`: a coroutine runs in the
                                               caller's task, no inner Task is made (so wait_for(42, 1) fails
                                               in the await: "object int can't be used in 'await' expression")
  GATHER_DONE_CHILDREN_AT_ONCE      gh-104144  gather() over children already done returns an outer future
                                               that is done at once (their callbacks run inline)
  SERVER_WAIT_CLOSED_WAITS          gh-79033   3.12.1+: Server.wait_closed() waits until the server is
                                               closed and its last connection is gone, in either order
  SERVER_WAIT_CLOSED_3_11           gh-79033   before 3.12: it returns at once once close() was called, even
                                               with connections open (3.12.0 alone: it returns at once
                                               whenever no connection is open, even before close())
  EAGER_TASKS                       gh-97696   eager_task_factory, create_eager_task_factory,
                                               Task(eager_start=True): a task's first step runs inside
                                               create_task (and a TaskGroup counts a child done at once)
  SHUTDOWN_EXECUTOR_TIMEOUT         gh-82448   loop.shutdown_default_executor(timeout=None): give up on the
                                               executor's threads after timeout seconds, with a RuntimeWarning
  SHUTDOWN_EXECUTOR_TIMEOUT_WORKS   gh-111358  3.12.3+: that timeout really bounds the wait (3.12.0-3.12.2
                                               joined the thread only after it had finished)
  ISCOROUTINE_REJECTS_GENERATORS    gh-102748  asyncio.iscoroutine(generator) is False
  FORK_FORGETS_CURRENT_LOOP         gh-66285   a forked child does not share its parent's current loop
                                               (before, only the running loop was forgotten)
  COMMUNICATE_CLOSES_STDIN          gh-83925   Process.communicate() closes the child's stdin even with
                                               input=None (before, a child reading stdin hung)
  STREAM_START_TLS_SHUTDOWN_TIMEOUT (no gh)    StreamWriter.start_tls() takes ssl_shutdown_timeout
  DATAGRAM_TRANSPORT_SUBCLASSES_DATAGRAMTRANSPORT gh-90352 the selector loop's datagram transport is an
                                               asyncio.DatagramTransport (before, only a Transport)
  CREATE_CONNECTION_ALL_ERRORS      gh-93973   create_connection(all_errors=True) raises an ExceptionGroup
                                               of every address's failure
  EXCEPTION_HANDLER_IN_FAILURE_CONTEXT gh-96704 a custom exception handler runs in the contextvars
                                               context of the task or handle that failed
  RUN_TAKES_LOOP_FACTORY            gh-99388   asyncio.run(main, loop_factory=...) (Runner has taken one
                                               since 3.11)
  GET_EVENT_LOOP_WARNS_WHEN_CREATING gh-93453 3.12-3.13: get_event_loop() with no running or set loop warns
                                               DeprecationWarning "There is no current event loop" as it
                                               makes one (3.11.2+ made it silently, gh-100160)

3.13
  NAMED_TASK_KEEPS_NUMBER           gh-112622  asyncio.create_task(name=) passes the name down: a named task
                                               no longer uses up a Task-N number
  HANDLE_REPR_ARGS_ONLY_IN_DEBUG    gh-112997  Handle/TimerHandle/Future-callback reprs show the callback's
                                               arguments only in debug mode
  STOPITERATION_BECOMES_RUNTIMEERROR gh-112182 Future.set_exception(StopIteration()) stores a RuntimeError
                                               (its cause the StopIteration) instead of raising TypeError
  AS_COMPLETED_ASYNC_ITERATOR       gh-77714   as_completed() also is an async iterator yielding the original
                                               tasks; "expects an iterable of awaitables" in its TypeError
  TASKGROUP_RESTORES_CANCELLING     gh-116720  a TaskGroup uncancels its parent even when the body raised, so
                                               the parent's cancelling() count comes back; and uncancel()
                                               down to zero drops a cancel still due at the next step
  SLEEP_REJECTS_NAN                 gh-105331  asyncio.sleep(nan) raises ValueError (before: slept forever)
  CLIENT_CALLBACK_CANCEL_CLOSES     gh-113538  a start_server callback task that is cancelled closes its
                                               transport quietly (before, task.exception() raised in the done
                                               callback and the loop reported it)
  SERVER_PROTOCOL_DROPS_WRITER      (no gh)    StreamReaderProtocol keeps no reference to the StreamWriter it
                                               hands a start_server callback: one the callback drops unclosed
                                               is collected ("unclosed <StreamWriter" ResourceWarning)
  CONDITION_WAIT_HANDS_ON_WAKEUP    gh-112202  Condition.wait() failing (cancelled) notifies another waiter in
                                               its place, and re-raises the latest CancelledError itself
  SEMAPHORE_WAKES_ALL_FREE_SLOTS    (no gh)    a Semaphore.acquire() that got its slot wakes as many more
                                               waiters as there are free slots (before, at most one)
  TIMEOUT_MARKS_FOREIGN_ERRORS      (no gh)    timeout(): an error other than CancelledError raised while the
                                               timeout's cancellation unwinds the block gets a TimeoutError
                                               put into its __context__ chain (before, only a CancelledError
                                               became TimeoutError); CancelledError subclasses count as well
  READUNTIL_TUPLE_SEPARATORS        gh-81322   StreamReader.readuntil() takes a tuple of separators and
                                               stops at the match that ends first
  QUEUE_SHUTDOWN                    gh-96471   Queue.shutdown(immediate=False), QueueShutDown
  SERVER_CLOSE_CLIENTS              gh-113538  Server.close_clients(), Server.abort_clients()
  DATAGRAM_SENDS_EMPTY              gh-113812  DatagramTransport.sendto(b"") sends an empty datagram (before:
                                               dropped); a buffered datagram counts 8 header bytes in
                                               get_write_buffer_size()
  UNIX_SERVER_CLEANUP_SOCKET        gh-111246  create_unix_server(cleanup_socket=True) unlinks the socket file
                                               when the server closes
  SUBPROCESS_SIGNAL_BY_KILL         gh-87744   SubprocessTransport.send_signal() calls os.kill() itself and
                                               ignores a child that is already gone
  DATAGRAM_REJECTS_ONLY_STREAM_SOCKETS gh-114887 create_datagram_endpoint(sock=) refuses only SOCK_STREAM
                                               sockets ("A datagram socket was expected"); before, anything
                                               but SOCK_DGRAM ("A UDP Socket was expected"). Backported to
                                               3.12.3 and 3.11.9 (PRs 114977/114978; versions inferred from
                                               their dates, not verified here)
  BIND_ERROR_LOWERCASES_WHOLE_OSERROR (no gh) the bind failure message ends in str(exc).lower()
                                               ("[errno 98] address already in use"), not exc.strerror.lower()
  TASK_FACTORY_NAME_BECOMES_NONE    gh-130033  3.13.0 to 3.13.2 only (a regression, fixed in 3.13.3): with a
                                               task factory and no name, loop.create_task renames the task 'None'.
                                               loop_impl follows the interpreter it runs on, so it shows the
                                               regression on 3.13.0-3.13.2 and the fix from 3.13.3.
  FAILED_RUN_FOREVER_FORGETS_RUNNING_LOOP gh-130145 3.13.0 regression: run_forever() on a loop that is
                                               already running raises, and its cleanup (a `finally` around the
                                               failed check) then clears the running loop, so is_running() is
                                               False and another loop may run inside it. Verified: CPython's fix
                                               (GH-130146, "fix loop.run_forever when loop is already running")
                                               moves _run_forever_setup() out of that try; its 3.13 backport
                                               (GH-130147) was merged on 2025-02-15, after 3.13.2, so 3.13.3.

3.14 (no 3.14 interpreter here: checked under Pyodide by branch `lite`)
  TASK_FACTORY_GETS_KWARGS          gh-128308  loop.create_task(coro, **kwargs) hands name=, context= and any
                                               other keyword to the task factory (or Task) and sets no name
                                               afterwards; eager_task_factory takes eager_start= per task.
                                               Implemented in loop.create_task and eager.py; asyncio.create_task
                                               and TaskGroup.create_task still take only name=/context=.
  GET_EVENT_LOOP_RAISES             gh-126353  get_event_loop() with no running or set loop raises
                                               RuntimeError instead of making one (implemented, events.py)
  CALL_GRAPH                        gh-91048   capture_call_graph / format_call_graph / print_call_graph,
                                               future_add_to_awaited_by / future_discard_from_awaited_by, and
                                               gather/shield/wait/TaskGroup recording who awaits what
                                               (implemented, call_graph.py)
  POLICIES_DEPRECATED               gh-127949  get/set_event_loop_policy() and naming AbstractEventLoopPolicy or
                                               DefaultEventLoopPolicy warn DeprecationWarning; they leave __all__,
                                               BaseDefaultEventLoopPolicy goes (policies.py, __init__.py)
  ISCOROUTINEFUNCTION_DEPRECATED    gh-122875  asyncio.iscoroutinefunction warns DeprecationWarning (use
                                               inspect.iscoroutinefunction); loop_impl's own calls do not warn
  TASKGROUP_SCHEDULES_EAGER_DONE    gh-128550  TaskGroup.create_task schedules the done callback of a child that
                                               finished eagerly, as for any other (before, it was counted at once,
                                               and a failing one cancelled the parent too early); backported to
                                               3.13.2 (seen in the 3.13 branch) and, taken as likely, 3.12.9
  THREADSAFE_HANDLE                 gh-128340  call_soon_threadsafe returns a _ThreadSafeHandle (a Handle whose
                                               cancel and run take a lock)
  RUN_TAKES_ANY_AWAITABLE           gh-120284  asyncio.run() and Runner.run() take any awaitable; anything else
                                               is a TypeError (before: ValueError, coroutines only)
  BARRIER_SAYS_AT_LEAST_ONE         gh-129403  Barrier(0) says "parties must be >= 1", not "> 0" (found by
                                               tests/test_pyodide.py; 3.12.1 and 3.13.0 still say "> 0")

3.15 (planned: False everywhere today)
  PLANNED_POLICIES_REMOVED          gh-127949  (planned, 3.16) the policy system is removed
  PLANNED_ISCOROUTINEFUNCTION_REMOVED gh-122875 (planned, 3.16) asyncio.iscoroutinefunction is removed
"""

from __future__ import annotations

import sys

_V = sys.version_info

# -- 3.12 -----------------------------------------------------------------
WAIT_FOR_USES_TIMEOUT = _V >= (3, 12)  # gh-96764
GATHER_DONE_CHILDREN_AT_ONCE = _V >= (3, 12)  # gh-104144
SERVER_WAIT_CLOSED_WAITS = _V[:3] >= (3, 12, 1)  # gh-79033 (3.12.0 had a half fix)
SERVER_WAIT_CLOSED_3_11 = _V < (3, 12)  # gh-79033
EAGER_TASKS = _V >= (3, 12)  # gh-97696
SHUTDOWN_EXECUTOR_TIMEOUT = _V >= (3, 12)  # gh-82448
SHUTDOWN_EXECUTOR_TIMEOUT_WORKS = _V[:3] >= (3, 12, 3)  # gh-111358
ISCOROUTINE_REJECTS_GENERATORS = _V >= (3, 12)  # gh-102748
RUN_TAKES_LOOP_FACTORY = _V >= (3, 12)  # gh-99388
EXCEPTION_HANDLER_IN_FAILURE_CONTEXT = _V >= (3, 12)  # gh-96704
CREATE_CONNECTION_ALL_ERRORS = _V >= (3, 12)  # gh-93973
FORK_FORGETS_CURRENT_LOOP = _V >= (3, 12)  # gh-66285
COMMUNICATE_CLOSES_STDIN = _V >= (3, 12)  # gh-83925
STREAM_START_TLS_SHUTDOWN_TIMEOUT = _V >= (3, 12)  # StreamWriter.start_tls(ssl_shutdown_timeout=)
DATAGRAM_TRANSPORT_SUBCLASSES_DATAGRAMTRANSPORT = _V >= (3, 12)  # gh-90352
GET_EVENT_LOOP_WARNS_WHEN_CREATING = (3, 12) <= _V < (3, 14)  # gh-93453

# -- 3.13 -----------------------------------------------------------------
NAMED_TASK_KEEPS_NUMBER = _V >= (3, 13)  # gh-112622
HANDLE_REPR_ARGS_ONLY_IN_DEBUG = _V >= (3, 13)  # gh-112997
STOPITERATION_BECOMES_RUNTIMEERROR = _V >= (3, 13)  # gh-112182
AS_COMPLETED_ASYNC_ITERATOR = _V >= (3, 13)  # gh-77714
TASKGROUP_RESTORES_CANCELLING = _V >= (3, 13)  # gh-116720
SLEEP_REJECTS_NAN = _V >= (3, 13)  # gh-105331
READUNTIL_TUPLE_SEPARATORS = _V >= (3, 13)  # gh-81322
CONDITION_WAIT_HANDS_ON_WAKEUP = _V >= (3, 13)  # gh-112202
TIMEOUT_MARKS_FOREIGN_ERRORS = _V >= (3, 13)  # no gh number found (came with gh-116720's TaskGroup work?)
SEMAPHORE_WAKES_ALL_FREE_SLOTS = _V >= (3, 13)  # no gh number found; 3.13 locks.py Semaphore.acquire
CLIENT_CALLBACK_CANCEL_CLOSES = _V >= (3, 13)  # gh-113538
SERVER_PROTOCOL_DROPS_WRITER = _V >= (3, 13)  # no gh number found; 3.13's streams.py connection_made
QUEUE_SHUTDOWN = _V >= (3, 13)  # gh-96471
SERVER_CLOSE_CLIENTS = _V >= (3, 13)  # gh-113538
DATAGRAM_SENDS_EMPTY = _V >= (3, 13)  # gh-113812
UNIX_SERVER_CLEANUP_SOCKET = _V >= (3, 13)  # gh-111246
SUBPROCESS_SIGNAL_BY_KILL = _V >= (3, 13)  # gh-87744
DATAGRAM_REJECTS_ONLY_STREAM_SOCKETS = _V[:3] >= (3, 12, 3) or (3, 11, 9) <= _V[:3] < (3, 12)  # gh-114887
BIND_ERROR_LOWERCASES_WHOLE_OSERROR = _V >= (3, 13)  # no gh number found; base_events._create_server
TASK_FACTORY_NAME_BECOMES_NONE = (3, 13, 0) <= _V[:3] < (3, 13, 3)  # gh-130033, a 3.13.0-3.13.2 regression
# gh-130145, a 3.13.0 regression, fixed in 3.13.3 (the backport GH-130147 landed after 3.13.2):
FAILED_RUN_FOREVER_FORGETS_RUNNING_LOOP = (3, 13, 0) <= _V[:3] < (3, 13, 3)

# -- 3.14 -----------------------------------------------------------------
TASK_FACTORY_GETS_KWARGS = _V >= (3, 14)  # gh-128308
CALL_GRAPH = _V >= (3, 14)  # gh-91048
RUN_TAKES_ANY_AWAITABLE = _V >= (3, 14)  # gh-120284
THREADSAFE_HANDLE = _V >= (3, 14)  # gh-128340
# gh-128550/gh-128588 (found by tests/test_pyodide.py); the 3.12.9 backport is inferred, not seen:
TASKGROUP_SCHEDULES_EAGER_DONE = _V >= (3, 14) or (3, 13, 2) <= _V[:3] < (3, 14) or (3, 12, 9) <= _V[:3] < (3, 13)
BARRIER_SAYS_AT_LEAST_ONE = _V >= (3, 14)  # gh-129403
POLICIES_DEPRECATED = _V >= (3, 14)  # gh-127949
GET_EVENT_LOOP_RAISES = _V >= (3, 14)  # gh-126353
ISCOROUTINEFUNCTION_DEPRECATED = _V >= (3, 14)  # gh-122875

# -- 3.15 (planned) ---------------------------------------------------------
PLANNED_POLICIES_REMOVED = False  # gh-127949, planned for 3.16
PLANNED_ISCOROUTINEFUNCTION_REMOVED = False  # gh-122875, planned for 3.16
