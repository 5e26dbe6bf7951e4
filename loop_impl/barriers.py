"""Barrier (new in asyncio 3.11): n tasks wait until all n have arrived.

A Barrier is built from a Condition, and is a good example of using one:
every change of state is made under the condition's lock, followed by
`notify_all()`, and every wait is a `wait_for(predicate)` on that state.

The states, in a cycle::

    FILLING ──the n-th task arrives──▶ DRAINING ──the last one leaves──▶ FILLING

Tasks that arrive while the barrier drains wait until it is FILLING again
(why: so a fast task cannot lap the others and count toward the same round
twice). `reset()` and `abort()` send the waiting tasks away with
BrokenBarrierError.
"""

from __future__ import annotations

import enum

from . import versions
from .exceptions import BrokenBarrierError
from .locks import Condition, _LoopBoundMixin

__all__ = ("Barrier", "BrokenBarrierError")


class _BarrierState(enum.Enum):
    FILLING = "filling"
    DRAINING = "draining"
    RESETTING = "resetting"
    BROKEN = "broken"


class Barrier(_LoopBoundMixin):
    """Let `parties` tasks wait for one another; wait() returns each one's arrival index."""

    def __init__(self, parties: int) -> None:
        if parties < 1:
            raise ValueError("parties must be >= 1" if versions.BARRIER_SAYS_AT_LEAST_ONE else "parties must be > 0")
        self._cond = Condition()  # notified on every change of state
        self._cond._waiter_label = "Barrier"  # what a trace shows its waiters waiting for
        self._parties = parties
        self._state = _BarrierState.FILLING
        self._count = 0  # tasks inside wait() right now

    def __repr__(self) -> str:
        extra = f"{self._state.value}"
        if not self.broken:
            extra += f", waiters:{self.n_waiting}/{self.parties}"
        return f"<{object.__repr__(self)[1:-1]} [{extra}]>"

    async def __aenter__(self) -> int:
        return await self.wait()

    async def __aexit__(self, *args: object) -> None:
        pass

    async def wait(self) -> int:
        """Wait until `parties` tasks are waiting; return 0..parties-1, in arrival order."""
        async with self._cond:
            await self._block()  # a previous round may still be draining
            try:
                index = self._count
                self._count += 1
                if index + 1 == self._parties:
                    await self._release()  # the last to arrive opens the barrier
                else:
                    await self._wait()
                return index
            finally:
                self._count -= 1
                self._exit()

    async def _block(self) -> None:
        await self._cond.wait_for(lambda: self._state not in (_BarrierState.DRAINING, _BarrierState.RESETTING))
        if self._state is _BarrierState.BROKEN:
            raise BrokenBarrierError("Barrier aborted")

    async def _release(self) -> None:
        self._state = _BarrierState.DRAINING
        self._cond.notify_all()

    async def _wait(self) -> None:
        await self._cond.wait_for(lambda: self._state is not _BarrierState.FILLING)
        if self._state in (_BarrierState.BROKEN, _BarrierState.RESETTING):
            raise BrokenBarrierError("Abort or reset of barrier")

    def _exit(self) -> None:
        # The last task out turns a draining (or resetting) barrier back to filling.
        if self._count == 0:
            if self._state in (_BarrierState.RESETTING, _BarrierState.DRAINING):
                self._state = _BarrierState.FILLING
            self._cond.notify_all()

    async def reset(self) -> None:
        """Back to the empty FILLING state; tasks waiting now get BrokenBarrierError."""
        async with self._cond:
            if self._count > 0:
                if self._state is not _BarrierState.RESETTING:
                    self._state = _BarrierState.RESETTING
            else:
                self._state = _BarrierState.FILLING
            self._cond.notify_all()

    async def abort(self) -> None:
        """Break the barrier for good: every wait(), now or later, raises BrokenBarrierError."""
        async with self._cond:
            self._state = _BarrierState.BROKEN
            self._cond.notify_all()

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        """Tasks waiting for this round to fill (0 while it drains)."""
        if self._state is _BarrierState.FILLING:
            return self._count
        return 0

    @property
    def broken(self) -> bool:
        return self._state is _BarrierState.BROKEN
