"""Narration for the polling loop (`--mode generator`): its own words, not asyncio's.

The polling loop (loop_impl/generator_loop.py) has no futures with done
callbacks, no `_asyncio_future_blocking` and no `select()`. Each turn it takes
the task at the front of its queue, polls it (`coro.send(None)`), and puts it
at the back unless it finished. A task that waits is polled all the same, and
yields the very thing it yielded last time: an idle poll. Nobody wakes a task
here: it finds out that what it awaits is done by being asked again. Telling
that story with asyncio's words ("adds a done callback", "nothing was ready")
would hide the contrast notebook 2 is about, so the polling loop is narrated
here, with narration.py's Transfer and depths.
"""

from __future__ import annotations

from .layout_model import Bar, Layout
from .narration import Transfer

__all__ = ("is_polling", "narrate_iteration", "prelude_detail")


def is_polling(layout: Layout) -> bool:
    trace = layout.trace
    return trace is not None and trace.meta.get("mode") == "generator"


def prelude_detail(made: str) -> str:
    return f"creates {made}, which joins the loop's queue, and runs the loop" if made else "runs the loop"


def narrate_iteration(layout: Layout, index: int) -> list[Transfer]:
    """One turn of the polling loop: the poll it made, and what the polled task did."""
    it = layout.iterations[index]
    n = it.n
    out: list[Transfer] = []
    for tid, polls in (it.idle or {}).items():
        task, what = _label(layout, tid), _what(_waiting_on(layout, tid, it.n))
        times = f" ({polls} polls)" if polls > 1 else ""
        out.append(Transfer("event loop", 1, "event loop", f"takes {task} from the front of its queue and polls it{times}", n))  # fmt: skip
        if _coro(layout, tid) == "_sleep":
            detail = f"reads the clock: the time is not up yet, so it yields again. An idle poll: {task} goes to the back of the queue"  # fmt: skip
        else:
            detail = (
                f"sends None into {_coro(layout, tid)}, which is still waiting on {what}: it yields {what} again at "
                f"once. An idle poll: nothing changed, and {task} goes to the back of the queue"
            )
        out.append(Transfer(f"{task}.poll", 2, f"{task}.poll (idle)", detail, n))
    for bar in it.pops:
        if bar is not None and bar.kind == "step":
            out.extend(_poll(layout, bar))
    out.append(Transfer("event loop", 1, "event loop", _after(layout, index), n))
    return out


def _poll(layout: Layout, bar: Bar) -> list[Transfer]:
    n, task, coro = bar.iteration, _label(layout, bar.lane), _coro(layout, bar.lane)
    poll = f"{task}.poll"
    first = "starts" if bar.why == "start" else "resumes"
    out = [
        Transfer(
            "event loop",
            1,
            "event loop",
            f"takes {task} from the front of its queue and polls it by calling {poll}()",
            n,
        ),  # fmt: skip
        Transfer(poll, 2, poll, f"{first} the coroutine {coro} with coro.send(None)", n),
    ]
    said = []
    if bar.resumed and bar.resumed != "ready":
        said.append(f"finds {_what(bar.resumed)} done at last, so its await returns")
    for tid in bar.created or ():
        said.append(f"creates {_label(layout, tid)}, which joins the back of the queue")
    for text in (bar.outputs or ())[:3]:
        said.append(f"prints {text.rstrip()!r}")
    if bar.outputs and len(bar.outputs) > 3:
        said.append(f"prints {len(bar.outputs) - 3} more lines")
    if bar.end:
        finish = {"returned": f"returns {bar.end_detail}", "raised": f"raises {bar.end_detail}", "cancelled": "is cancelled"}[bar.end]  # fmt: skip
        out.append(Transfer(coro, 3, coro, "; ".join([*said, finish]), n))
        detail = (
            f"{task} is finished and leaves the queue; a task that awaits it finds out when it is next polled "
            "(nobody tells it)"
        )
        out.append(Transfer(poll, 2, f"{task} finished", detail, n))
    elif bar.wait == "ready":
        out.append(Transfer(coro, 3, coro, "; ".join([*said, "yields (a bare yield)"]), n))
        out.append(Transfer(poll, 2, f"{task} to the back", f"{task} goes to the back of the queue", n))
    elif bar.wait and coro == "_sleep":  # the sleep task itself: it reads the clock
        out.append(Transfer(coro, 3, coro, "; ".join([*said, "reads the clock: the time is not up, so it yields"]), n))
        detail = f"{task} goes to the back of the queue, to read the clock again next turn"
        out.append(Transfer(poll, 2, f"{task} to the back", detail, n))
    elif bar.wait:
        what = _what(bar.wait)
        said.append(f"awaits {what}, which is not done: its __await__ yields {what}")
        out.append(Transfer(coro, 3, f"yields {what}", "; ".join(said), n))
        detail = (
            f"{task} yielded {what}: the loop puts {task} at the back of its queue and will poll it again on its "
            f"next turn, whether {what} is done by then or not"
        )
        out.append(Transfer(poll, 2, f"{task} to the back", detail, n))
    else:
        out.append(Transfer(coro, 3, coro, "; ".join([*said, "is still running when the trace ends"]), n))
    return out


def _after(layout: Layout, index: int) -> str:
    iterations = layout.iterations
    if index + 1 < len(iterations):
        waiting = iterations[index + 1].ready_len
        if not waiting:
            return "the turn is over; the queue is empty"
        return f"the turn is over; {waiting} task{' waits' if waiting == 1 else 's wait'} in the queue to be polled"
    return "the turn is over, and the queue is empty: the loop has nothing left to poll"


def _what(wait: str) -> str:
    """A wait label in the narration's names: the polling loop labels an awaited task "Task Task-2"."""
    return wait.removeprefix("Task ")


def _label(layout: Layout, tid: int) -> str:
    lane = layout.lanes.get(tid)
    return lane.label if lane is not None else f"task {tid}"


def _coro(layout: Layout, tid: int) -> str:
    lane = layout.lanes.get(tid)
    if lane is None or not lane.coro:
        return f"{_label(layout, tid)}'s coroutine"
    return lane.coro.rpartition(".")[2]


def _waiting_on(layout: Layout, tid: int, iteration: int) -> str:
    """What the task yielded at its last real poll before this iteration."""
    what = "what it awaits"
    for bar in layout.by_lane.get(tid, ()):
        if bar.iteration >= iteration:
            break
        if bar.wait and bar.wait != "ready":
            what = bar.wait
    return what
