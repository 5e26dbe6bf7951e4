"""What a learner would look for on a library's timeline (shared by the tests and the kernel they drive)."""

from __future__ import annotations

import re

_FD_WAIT = re.compile(r"\b(read|write|connect|accept|connection_made|recv|send) fd \d+")


def trace_facts(trace) -> dict:
    """What a learner would look for on the timeline: tasks, what they waited for, timers."""
    from loop_impl.trace import Ev

    waits = {trace.string(e.a) for e in trace if e.kind == Ev.STEP_END and e.a}
    return {
        "tasks": sum(1 for e in trace if e.kind == Ev.TASK_CREATED),
        "fd_waits": sorted(w for w in waits if _FD_WAIT.search(w)),
        "fd_watches": sum(1 for e in trace if e.kind == Ev.FD_WATCH),
        "timers": sum(1 for e in trace if e.kind == Ev.TIMER_SCHEDULED),
    }
