"""Narration: where control is, transfer by transfer, in the words of seed 004.

Seed 004 walks a tiny program through the loop ("Control is now in
main_task.step ... Control is now in program.main ..."). This module writes
that walk for any run, from its layout, calling each task by its own name
(the one asyncio prints: the seed's main_task is Task-1 here):

    event loop → Task-1.step → main → Task-2.__await__ → yields Task-2
    → Task-1.step adds a done callback → event loop

The trace records steps, not frames, so the frames inside a step are derived
from what it does know: a step starts or resumes the task's coroutine (its
name is `Lane.coro`); a step that resumes after a wait passes through the
awaited object's `__await__` first; a step that ends waiting went down into
that object's `__await__`, which yielded it back up through the coroutine
to `Task.step`, which added the done callback. Coroutines awaited inside the
task's coroutine (helpers) are invisible to the trace and are not shown.

Each `Transfer` has a depth (0 program, 1 event loop, 2 a step or callback,
3 the task's coroutine, 4 an awaitable's `__await__`), so the same list
prints as the seed's numbered steps, as its indented summary, or as one
line of arrows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .layout_model import Bar, Iteration, Layout

__all__ = ("Transfer", "narrate_iteration", "narrate_prelude", "walk", "arrow_line", "indented_summary", "numbered")


@dataclass(slots=True)
class Transfer:
    place: str  # where control is now: "event loop", "Task-1.step", "main", "Task-2.__await__"
    depth: int  # 0 program, 1 event loop, 2 step or callback, 3 coroutine, 4 an awaitable's __await__
    arrow: str  # its words in the one-line form ("yields Task-2")
    detail: str  # what happens there, in a sentence
    iteration: int = 0
    summary: bool = True  # shown in the indented summary (a resumed __await__ is not: nothing stops there)


def narrate_prelude(layout: Layout) -> list[Transfer]:
    """What the program did before the loop's first iteration (created tasks, started the loop)."""
    if not layout.prelude and not layout.iterations:
        return []
    made = some([_task_phrase(layout, tid) for tid in layout.prelude], "tasks")
    if narration_polling.is_polling(layout):
        return [Transfer("program", 0, "program", narration_polling.prelude_detail(made))]
    detail = f"creates {made}, which joins the ready queue, and runs the event loop" if made else "runs the event loop"
    return [Transfer("program", 0, "program", detail)]


def narrate_iteration(layout: Layout, index: int, max_pops: int | None = None) -> list[Transfer]:
    """The control transfers of one iteration (by position in `layout.iterations`); with
    `max_pops`, those of its first entries only and one line for the rest (why: a panel shows
    a few dozen transfers, and an iteration of 100,000 steps would make 300,000 of them)."""
    if narration_polling.is_polling(layout):
        return narration_polling.narrate_iteration(layout, index)  # (its own mechanics, its own words)
    iterations = layout.iterations
    it = iterations[index]
    following = iterations[index + 1] if index + 1 < len(iterations) else None
    out: list[Transfer] = []
    intro = _loop_phase(it)
    pops = it.pops if max_pops is None else it.pops[:max_pops]
    for k, bar in enumerate(pops):
        lead = f"{intro}; then " if k == 0 and intro else ("cycles to the next entry in its queue: " if k else "")
        if bar is None:
            out.append(Transfer("event loop", 1, "event loop", f"{lead}skips a cancelled handle", it.n))
        elif bar.kind == "callback":
            out.append(Transfer("event loop", 1, "event loop", f"{lead}pops a callback and calls it", it.n))
            out.extend(_callback(layout, bar))
        else:
            label = layout.lanes[bar.lane].label
            how = "resumes it" if bar.why != "start" else "invokes it"
            detail = f"{lead}pops {label} from the ready queue and {how} by calling {label}.step()"
            out.append(Transfer("event loop", 1, "event loop", detail, it.n))
            out.extend(_step(layout, bar))
    if len(pops) < len(it.pops):
        rest = f"runs the other {len(it.pops) - len(pops):,} entries of its ready queue the same way"
        out.append(Transfer("event loop", 1, "event loop", rest, it.n))
    out.append(Transfer("event loop", 1, "event loop", _loop_after(layout, it, following, intro), it.n))
    return out


def walk(layout: Layout) -> list[Transfer]:
    """The whole run: the prelude, then every iteration, with back-to-back "event loop" entries merged."""
    out = narrate_prelude(layout)
    for index in range(len(layout.iterations)):
        for transfer in narrate_iteration(layout, index):
            if out and transfer.place == "event loop" and out[-1].place == "event loop":
                out[-1].detail = f"{out[-1].detail}; then {transfer.detail}"  # ("then it nothing was ready")
            else:
                out.append(transfer)
    return out


def arrow_line(transfers: list[Transfer]) -> str:
    return " → ".join(t.arrow for t in transfers)


def numbered(transfers: list[Transfer]) -> str:
    """The seed's numbered list: "1. Control is now in **Task-1.step**" and the detail below."""
    lines = []
    for n, t in enumerate(transfers, 1):
        where = "begins in" if t.depth == 0 else "is now in"
        lines.append(f"{n}. Control {where} {t.place}\n    * {t.detail}.")
    return "\n".join(lines)


def indented_summary(transfers: list[Transfer], indent: str = "    ") -> str:
    """The seed's "another way of writing out that control-flow": places indented by depth."""
    return "\n".join(indent * t.depth + t.place for t in transfers if t.summary)


# -- the pieces --------------------------------------------------------------------


def _task_phrase(layout: Layout, tid: int) -> str:
    lane = layout.lanes.get(tid)
    if lane is None:
        return f"task {tid}"
    return lane.label


def _coro_place(layout: Layout, tid: int) -> str:
    lane = layout.lanes[tid]
    return lane.coro.rpartition(".")[2] if lane.coro else f"{lane.label}'s coroutine"


def _awaitable(layout: Layout, fid: int, label: str) -> tuple[str, str]:
    """(place, name) of what a task awaited: a task's own __await__, or a Future's."""
    lane = layout.lanes.get(fid) if fid else None
    if lane is not None and fid:
        return f"{lane.label}.__await__", lane.label
    return "Future.__await__", f"the Future ({label})" if label and label != "Future" else "the Future"


def _step(layout: Layout, bar: Bar) -> list[Transfer]:
    n = bar.iteration
    task = layout.lanes[bar.lane].label
    coro = _coro_place(layout, bar.lane)
    step = f"{task}.step"
    out = []
    if bar.why == "start":
        out.append(Transfer(step, 2, step, f"begins the coroutine {coro} with coro.send(None)", n))
    elif bar.why == "throw":
        out.append(Transfer(step, 2, step, f"throws an exception into {coro} with coro.throw()", n))
    else:
        why = f" ({bar.cause})" if bar.cause else ""
        out.append(Transfer(step, 2, step, f"resumes the coroutine {coro} from where it yielded{why}", n))
    if bar.resumed and bar.resumed != "ready":
        place, name = _awaitable(layout, bar.resumed_fid, bar.resumed)
        awaited = layout.lanes.get(bar.resumed_fid) if bar.resumed_fid else None
        failed = bar.cause.startswith(("future failed", "future cancelled")) or (
            awaited is not None and awaited.end in ("raised", "cancelled")
        )
        if bar.why == "throw" or failed:  # (cancelled or failed: there is no result to return)
            detail = f"{name} is done with an exception, so __await__ raises it in the caller (at await {name})"
        else:
            detail = f"{name} is done, so __await__ returns its result to the caller (... = await {name})"
        out.append(Transfer(place, 4, place, detail, n, summary=False))
    body = _body(layout, bar)
    if bar.wait and bar.wait != "ready":
        place, name = _awaitable(layout, bar.wait_fid, bar.wait)
        out.append(Transfer(coro, 3, coro, _sentence(body + [f"awaits {name}, which calls its __await__"]), n))
        detail = f"{name} is not done: it sets _asyncio_future_blocking and yields {name}"
        out.append(Transfer(place, 4, place, detail, n))
        yielded = name[4:] if name.startswith("the ") else name  # "the yielded Future (...)", not "the yielded the ..."
        out.append(Transfer(coro, 3, f"yields {name}", f"await passes the yielded {yielded} up to {step}", n))
        detail = (
            f"{name} came back with the blocking flag set, so {task} waits on it: {step} adds {task}'s "
            f"wakeup as a done callback of {name} and returns to the event loop"
        )
        out.append(Transfer(step, 2, f"{step} adds a done callback", detail, n))
    elif bar.wait == "ready":
        out.append(Transfer(coro, 3, coro, _sentence(body + ["yields None (a bare yield, as sleep(0) does)"]), n))
        detail = f"a bare yield: {step} puts {task} back at the end of the ready queue and returns to the event loop"
        out.append(Transfer(step, 2, f"{step} requeues {task}", detail, n))
    elif bar.end:
        finish = {
            "returned": f"finishes and raises StopIteration with the return value {bar.end_detail} attached",
            "raised": f"raises {bar.end_detail}",
            "cancelled": "raises CancelledError",
        }[bar.end]
        out.append(Transfer(coro, 3, coro, _sentence(body + [finish]), n))
        out.append(Transfer(step, 2, f"{step} marks {task} {_done_word(bar.end)}", _done_detail(layout, bar), n))
    else:
        out.append(Transfer(coro, 3, coro, _sentence(body + ["is still running when the trace ends"]), n))
    return out


SOME = 4  # names a sentence lists before it summarises the rest


def some(names: list[str], what: str) -> str:
    """"a, b, c" or, past SOME of them, "a, b, c, …, z (12,000 tasks)": a sentence stays readable."""
    if len(names) <= SOME:
        return ", ".join(names)
    return f"{', '.join(names[: SOME - 1])}, …, {names[-1]} ({len(names):,} {what})"


def _body(layout: Layout, bar: Bar) -> list[str]:
    """What the coroutine did during the step that the trace saw."""
    said = []
    created = bar.created or ()
    if len(created) > SOME:  # (one clause for them all: a step that makes 100,000 tasks is one sentence)
        said.append(f"creates {some([_task_phrase(layout, tid) for tid in created], 'tasks')}, which join the ready queue")
    else:
        said += [f"creates {_task_phrase(layout, tid)}, which joins the ready queue" for tid in created]
    for text in (bar.outputs or ())[:3]:
        said.append(f"prints {text.rstrip()!r}")
    if bar.outputs and len(bar.outputs) > 3:
        said.append(f"prints {len(bar.outputs) - 3} more lines")
    resolved = [fid for fid, _ in bar.resolved or () if fid not in layout.lanes]
    if resolved:
        said.append(f"resolves {len(resolved)} future{'s' if len(resolved) > 1 else ''}")
    end = bar.done_at if bar.done_at >= 0 else len(bar.scheduled or ())
    woken = [desc for _tid, desc in (bar.scheduled or [])[:end] if desc.endswith(".wakeup")]
    if woken:
        said.append(f"so {some(woken, 'wakeups')} join{'s' if len(woken) == 1 else ''} the ready queue")
    return said


def _done_word(end: str) -> str:
    return {"returned": "done", "raised": "failed", "cancelled": "cancelled"}.get(end, end)


def _done_detail(layout: Layout, bar: Bar) -> str:
    task = layout.lanes[bar.lane].label
    caught = {"returned": "StopIteration", "raised": "the exception", "cancelled": "CancelledError"}[bar.end]
    saved = f"its result {bar.end_detail} is saved" if bar.end == "returned" else f"{bar.end_detail} is saved"
    detail = f"catches {caught}: {task} is marked {_done_word(bar.end)} and {saved}"
    queued = [desc for _tid, desc in bar.scheduled or ()]
    split = bar.done_at if bar.done_at >= 0 else 0
    if queued[split:]:
        detail += f"; its done callbacks ({', '.join(queued[split:])}) join the ready queue"
    return detail + "; the step returns control to the event loop"


def _callback(layout: Layout, bar: Bar) -> list[Transfer]:
    name = bar.desc.split("(", 1)[0]
    said = [f"the loop calls {bar.desc}"]
    if bar.origin and bar.origin[0] in ("timer", "io"):
        said[0] += " (timer fired)" if bar.origin[0] == "timer" else f" (fd {bar.origin[1]} ready)"
    if bar.resolved:
        said.append(f"it resolves {len(bar.resolved)} future{'s' if len(bar.resolved) > 1 else ''}")
    queued = [desc for _tid, desc in bar.scheduled or ()]
    if queued:
        said.append(f"{', '.join(queued)} join{'s' if len(queued) == 1 else ''} the ready queue")
    for text in (bar.outputs or ())[:3]:
        said.append(f"prints {text.rstrip()!r}")
    return [Transfer(f"callback {name}", 2, f"callback {name}", _sentence(said), bar.iteration)]


def _loop_phase(it: Iteration) -> str:
    """What the loop did before running anything: wait in select, fire timers, see fds ready."""
    said = []
    if it.select_timeout is None:
        said.append("waits in select() until a file descriptor is ready")
    elif it.select_timeout > 0:
        said.append(f"waits in select() for up to {it.select_timeout:.3g} s, until the next timer is due")
    if it.io:
        said.append(f"fd {', '.join(it.io)} ready")
    if it.fired:
        said.append(f"{len(it.fired)} timer{'s' if len(it.fired) > 1 else ''} fired")
    return ", ".join(said)


def _loop_after(layout: Layout, it: Iteration, following: Iteration | None, intro: str) -> str:
    if following is not None:
        waiting = following.ready_len
        head = "the iteration is over" if it.pops else (intro or "nothing was ready")
        tail = f"{waiting} entr{'y waits' if waiting == 1 else 'ies wait'} for the next one" if waiting else ""
        text = f"{head}; {tail}" if tail else head
    else:
        left = len(layout.pushes) - it.ready_lo - len(it.pops)
        if left > 0:
            text = f"the loop stops with {left} entr{'y' if left == 1 else 'ies'} left in the ready queue"
        else:
            text = "finds nothing in the queue: the event loop has nothing left to run"
        if intro and not it.pops:
            text = f"{intro}; {text}"
    for note in it.notes or ():
        text += f" (note: {note.splitlines()[0]})"
    return text


def _sentence(parts: list[Any]) -> str:
    return "; ".join(str(p) for p in parts)


from . import narration_polling  # noqa: E402  (it builds on Transfer, defined above)
