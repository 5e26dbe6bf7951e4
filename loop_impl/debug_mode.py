"""Debug mode: what `asyncio.run(debug=True)`, `loop.set_debug(True)` and
PYTHONASYNCIODEBUG=1 (or `python -X dev`) change, as asyncio does.

A learner turns it on to find a bug, so each check is asyncio's own:

* a loop starts in debug mode when PYTHONASYNCIODEBUG is set or Python
  runs in development mode (`is_debug_mode`);
* call_soon/call_later/call_at from a thread other than the loop's raise
  RuntimeError (`check_thread`; call_soon_threadsafe is the way in);
* futures, tasks and callbacks remember where they were created
  (`extract_stack`): the exception handler's context gets a
  `source_traceback`, and the default handler prints it as
  "Object created at (most recent call last):";
* coroutines remember where they were created (origin tracking), so
  "coroutine ... was never awaited" says where;
* a callback or task step that holds the loop for `slow_callback_duration`
  or more is logged to the `asyncio` logger: "Executing <...> took 0.123 seconds".
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from typing import Any

__all__ = ("DEBUG_STACK_DEPTH", "is_debug_mode", "check_thread", "extract_stack", "log_slow_callback")

DEBUG_STACK_DEPTH = 10  # frames kept per source traceback, and coroutine origin depth (asyncio's constant)
asyncio_logger = logging.getLogger("asyncio")  # the documented logger name; a name, not an import


def is_debug_mode() -> bool:
    """The initial debug flag of a new loop."""
    return sys.flags.dev_mode or (not sys.flags.ignore_environment and bool(os.environ.get("PYTHONASYNCIODEBUG")))


def check_thread(loop: Any) -> None:
    """Only in debug mode (why: a thread id per call costs time): the loop's own thread only."""
    if loop._thread_id is not None and threading.get_ident() != loop._thread_id:
        raise RuntimeError("Non-thread-safe operation invoked on an event loop other than the current one")


def extract_stack(frame: Any) -> traceback.StackSummary:
    """Where an object was created: the last DEBUG_STACK_DEPTH frames, oldest first, no source lines read."""
    stack = traceback.StackSummary.extract(traceback.walk_stack(frame), limit=DEBUG_STACK_DEPTH, lookup_lines=False)
    stack.reverse()
    return stack


def drop_own_frames(handle: Any, count: int) -> Any:
    """A handle records where it was made; the loop methods that made it drop their own frames,
    as asyncio's do, so that the caller's line comes last. Returns the handle."""
    if handle._source_traceback:
        del handle._source_traceback[-count:]
    return handle


def set_origin_tracking(loop: Any, enabled: bool) -> None:
    """Coroutines record their creation frames while a debug loop runs (and only then)."""
    if enabled == loop._coroutine_origin_tracking:
        return
    if enabled:
        loop._saved_origin_depth = sys.get_coroutine_origin_tracking_depth()
        sys.set_coroutine_origin_tracking_depth(DEBUG_STACK_DEPTH)
    else:
        sys.set_coroutine_origin_tracking_depth(loop._saved_origin_depth)
    loop._coroutine_origin_tracking = enabled


def log_slow_callback(handle: Any, seconds: float) -> None:
    """asyncio's words for a step or callback that held the loop too long."""
    owner = getattr(getattr(handle, "_callback", None), "__self__", None)
    if hasattr(handle, "get_coro"):  # a task queued for its step, in place of a Handle
        what = repr(handle)
    elif owner is not None and hasattr(owner, "get_coro"):
        what = repr(owner)
    else:
        what = str(handle)
    asyncio_logger.warning("Executing %s took %.3f seconds", what, seconds)


def format_source_traceback(key: str, stack: Any) -> str:
    """How the default exception handler prints a creation stack."""
    what = "Object" if key == "source_traceback" else "Handle"
    return f"{what} created at (most recent call last):\n" + "".join(traceback.format_list(stack)).rstrip()
