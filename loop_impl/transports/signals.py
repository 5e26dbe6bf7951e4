"""Unix signals as loop callbacks: `add_signal_handler(SIGUSR1, callback)`.

A signal interrupts whatever the process is doing, even the middle of a
bytecode; running arbitrary code there is unsafe. So the loop does what
asyncio does: it asks Python to write the signal's number into the loop's
self-pipe (`signal.set_wakeup_fd`), and installs a do-nothing Python-level
handler. The byte wakes `select()`; the loop reads it from the self-pipe
and queues the callback on the ready queue like any other. The callback
thus runs between steps, in the loop's thread, never inside the signal.

Only the main thread may do this (Python delivers signals there), which is
why `add_signal_handler` from another thread raises RuntimeError, with
the message asyncio gives.
"""

from __future__ import annotations

import errno
import signal
from collections.abc import Callable
from typing import Any

from ..diagnostics import logger
from ..handles import Handle
from ..tasks import iscoroutine, iscoroutinefunction

__all__ = ("SignalHandlers",)


def _sighandler_noop(signum: int, frame: Any) -> None:
    """The Python-level handler: nothing to do, set_wakeup_fd() already told the loop."""


class SignalHandlers:
    """Mixin of EventLoop: add_signal_handler and remove_signal_handler."""

    def _signal_handler_table(self) -> dict[int, Handle]:
        handlers = self.__dict__.get("_signal_handlers")
        if handlers is None:
            handlers = self._signal_handlers = {}
        return handlers

    def add_signal_handler(self, sig: int, callback: Callable[..., Any], *args: Any) -> None:
        """Queue callback(*args) each time the process receives signal sig."""
        if iscoroutine(callback) or iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with add_signal_handler()")
        self._check_signal(sig)
        self._check_closed()
        if self._csock is None:
            self._make_self_pipe()  # the signal's byte must wake select(), and comes from outside
        try:
            # Early, because it raises ValueError outside the main thread
            # (why: a loop in another thread must not take the signals).
            signal.set_wakeup_fd(self._csock.fileno())
        except (ValueError, OSError) as exc:
            raise RuntimeError(str(exc))
        handlers = self._signal_handler_table()
        handlers[sig] = Handle(callback, args, self, None)
        try:
            signal.signal(sig, _sighandler_noop)
            signal.siginterrupt(sig, False)  # SA_RESTART: fewer EINTRs in other code
        except OSError as exc:
            del handlers[sig]
            if not handlers:
                _clear_wakeup_fd()
            if exc.errno == errno.EINVAL:
                raise RuntimeError(f"sig {sig:d} cannot be caught")
            raise

    def remove_signal_handler(self, sig: int) -> bool:
        """Stop handling sig (back to Python's default); False if no handler was set."""
        self._check_signal(sig)
        handlers = self._signal_handler_table()
        try:
            del handlers[sig]
        except KeyError:
            return False
        default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
        try:
            signal.signal(sig, default)
        except OSError as exc:
            if exc.errno == errno.EINVAL:
                raise RuntimeError(f"sig {sig:d} cannot be caught")
            raise
        if not handlers:
            _clear_wakeup_fd()
        return True

    def _check_signal(self, sig: Any) -> None:
        if not isinstance(sig, int):
            raise TypeError(f"sig must be an int, not {sig!r}")
        if sig not in signal.valid_signals():
            raise ValueError(f"invalid signal number {sig}")

    def _process_self_data(self, data: bytes) -> None:
        """Bytes read from the self-pipe: each non-zero byte is a signal number."""
        for signum in data:
            if signum:  # 0 is call_soon_threadsafe's plain wake-up byte
                self._handle_signal(signum)

    def _handle_signal(self, sig: int) -> None:
        handle = self._signal_handler_table().get(sig)
        if handle is None:
            return  # removed between the signal and now
        if handle._cancelled:
            self.remove_signal_handler(sig)
        else:
            self._ready.append(handle)

    def _close_selector(self) -> None:
        # A closed loop must not keep the process's signals (why: they
        # would be written into a self-pipe nobody reads any more).
        for sig in list(self.__dict__.get("_signal_handlers") or ()):
            self.remove_signal_handler(sig)
        super()._close_selector()


def _clear_wakeup_fd() -> None:
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError) as exc:
        logger.info("set_wakeup_fd(-1) failed: %s", exc)
