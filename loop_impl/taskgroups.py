"""TaskGroup: structured concurrency, `async with TaskGroup() as tg:`.

The block does not end before every task created with `tg.create_task()`
has finished. If one of them fails, the group cancels all the others (and
the body of the `async with` itself, by cancelling the task running it),
waits for them, and raises every error together in an ExceptionGroup.

The delicate part is cancellation, because a CancelledError can mean two
things here: "the group is stopping the body because a child failed" or
"someone outside is cancelling the task that runs the group". The group
tells them apart with the task's cancel count: it remembers that it called
`parent.cancel()` itself (`_parent_cancel_requested`) and takes that request
back with `parent.uncancel()` on exit. If no request is left, the
CancelledError was its own and is not propagated; if one is, it came from
outside and goes on.
"""

from __future__ import annotations

from typing import Any

from . import events, versions
from .call_graph import future_add_to_awaited_by, future_discard_from_awaited_by
from .exceptions import CancelledError
from .tasks import Task, current_task

__all__ = ("TaskGroup",)


class TaskGroup:
    """An async context manager that owns tasks and waits for all of them."""

    def __init__(self) -> None:
        self._entered = False
        self._exiting = False
        self._aborting = False
        self._loop: Any = None
        self._parent_task: Task | None = None
        self._parent_cancel_requested = False
        # A dict used as an ordered set. asyncio uses a set, so the order in
        # which _abort() cancels children follows memory addresses and can
        # change from run to run; insertion order is one of the orders asyncio
        # may show, and the same on every run (why: reproducible timelines).
        self._tasks: dict[Task, None] = {}
        self._errors: list[BaseException] | None = []
        self._base_error: BaseException | None = None
        self._on_completed_fut: Any = None

    def __repr__(self) -> str:
        info = [""]
        if self._tasks:
            info.append(f"tasks={len(self._tasks)}")
        if self._errors:
            info.append(f"errors={len(self._errors)}")
        if self._aborting:
            info.append("cancelling")
        elif self._entered:
            info.append("entered")
        return f"<TaskGroup{' '.join(info)}>"

    async def __aenter__(self) -> TaskGroup:
        if self._entered:
            raise RuntimeError(f"TaskGroup {self!r} has already been entered")
        if self._loop is None:
            self._loop = events.get_running_loop()
        self._parent_task = current_task(self._loop)
        if self._parent_task is None:
            raise RuntimeError(f"TaskGroup {self!r} cannot determine the parent task")
        self._entered = True
        return self

    async def __aexit__(self, et: Any, exc: BaseException | None, tb: Any) -> None:
        self._exiting = True

        if exc is not None and self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc

        propagate_cancellation_error = exc if et is not None and issubclass(et, CancelledError) else None
        if self._parent_cancel_requested and not versions.TASKGROUP_RESTORES_CANCELLING:
            # 3.11/3.12: take back our own cancel request only here, so a body
            # that raised something else leaves the parent's count raised.
            if self._parent_task.uncancel() == 0:
                propagate_cancellation_error = None

        if et is not None and not self._aborting:
            # The body raised (or was cancelled from outside): stop the children.
            self._abort()

        # A loop, not one await: while we wait, our parent may be cancelled
        # again (each time interrupting this await), and we still must not
        # leave before the last child has finished.
        while self._tasks:
            if self._on_completed_fut is None:
                self._on_completed_fut = self._loop.create_future()
                self._on_completed_fut._label = "TaskGroup"
            try:
                await self._on_completed_fut
            except CancelledError as ex:
                if not self._aborting:
                    # Cancelled from outside while the children still run:
                    # cancel them too, and remember to re-raise.
                    propagate_cancellation_error = ex
                    self._abort()
            self._on_completed_fut = None

        assert not self._tasks

        if self._base_error is not None:
            raise self._base_error  # KeyboardInterrupt/SystemExit: never wrapped

        if self._parent_cancel_requested and versions.TASKGROUP_RESTORES_CANCELLING:
            # 3.13 (gh-116720): after the children, whatever the body raised,
            # we cancelled our parent ourselves: take that request back. If
            # it was the only one, the CancelledError was ours to swallow.
            if self._parent_task.uncancel() == 0:
                propagate_cancellation_error = None

        # Errors take priority over a cancellation.
        if propagate_cancellation_error is not None and not self._errors:
            raise propagate_cancellation_error

        if et is not None and not issubclass(et, CancelledError):
            self._errors.append(exc)

        if self._errors:
            try:
                # BaseExceptionGroup gives an ExceptionGroup when all are Exceptions.
                me = BaseExceptionGroup("unhandled errors in a TaskGroup", self._errors)
                if versions.TASKGROUP_RESTORES_CANCELLING and self._parent_task.cancelling():
                    # 3.13 (gh-116720): an outside cancel request still pending
                    # is re-armed, so the parent's next await sees it.
                    self._parent_task.uncancel()
                    self._parent_task.cancel()
                raise me from None
            finally:
                self._errors = None  # drop the references: exceptions hold frames

    def create_task(self, coro: Any, *, name: Any = None, context: Any = None) -> Task:
        """Create a task in this group (like asyncio.create_task)."""
        refusal = None
        if not self._entered:
            refusal = f"TaskGroup {self!r} has not been entered"
        elif self._exiting and not self._tasks:
            refusal = f"TaskGroup {self!r} is finished"
        elif self._aborting:
            refusal = f"TaskGroup {self!r} is shutting down"
        if refusal is not None:
            if versions.NAMED_TASK_KEEPS_NUMBER:
                coro.close()  # 3.13: no "never awaited" warning for a refused coroutine
            raise RuntimeError(refusal)
        if versions.NAMED_TASK_KEEPS_NUMBER:
            # 3.13 (gh-112622): the name goes down to the loop; a named task takes no number.
            kwargs = {"name": name} if context is None else {"name": name, "context": context}
            task = self._loop.create_task(coro, **kwargs)
        else:
            task = self._loop.create_task(coro) if context is None else self._loop.create_task(coro, context=context)
            # Named after creation, as 3.11/3.12 do (why: the task still takes a
            # "Task-N" number, so later unnamed tasks get the numbers asyncio gives).
            if name is not None:
                task.set_name(name)
        if versions.CALL_GRAPH:  # 3.14 (gh-91048): the parent waits on its children until each is done
            future_add_to_awaited_by(task, self._parent_task)
        if versions.EAGER_TASKS and task.done() and not versions.TASKGROUP_SCHEDULES_EAGER_DONE:
            self._on_task_done(task)  # 3.12: an eager task may be done already; count it now
        else:
            task.add_done_callback(self._on_task_done)
            self._tasks[task] = None
        return task

    def _is_base_error(self, exc: BaseException) -> bool:
        # Since 3.8 tasks carry every exception to their awaiter, except these two.
        return isinstance(exc, (SystemExit, KeyboardInterrupt))

    def _abort(self) -> None:
        self._aborting = True
        for t in self._tasks:
            if not t.done():
                t.cancel()

    def _on_task_done(self, task: Task) -> None:
        self._tasks.pop(task, None)
        if versions.CALL_GRAPH:
            future_discard_from_awaited_by(task, self._parent_task)

        if self._on_completed_fut is not None and not self._tasks:
            if not self._on_completed_fut.done():
                self._on_completed_fut.set_result(True)

        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return

        self._errors.append(exc)
        if self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc

        if self._parent_task.done():
            # Nobody is left to raise to: report it like an unhandled error.
            self._loop.call_exception_handler(
                {
                    "message": f"Task {task!r} has errored out but its parent task {self._parent_task} is already completed",
                    "exception": exc,
                    "task": task,
                }
            )
            return

        if not self._aborting and not self._parent_cancel_requested:
            # First failure: cancel the siblings, and the body by cancelling
            # the parent task (taken back with uncancel() in __aexit__).
            self._abort()
            self._parent_cancel_requested = True
            self._parent_task.cancel()
