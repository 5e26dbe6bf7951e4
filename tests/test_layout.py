"""The timeline layout: lanes, bars, waits and wake-ups, frames, narration, scale.

Programs run on loop_impl with a recorder attached (tests/timeline_support.py);
the layout built from their traces must say what happened. There is no
asyncio to compare against here: real asyncio records no trace. The
expectations are the programs' own structure, and for the narration, the
control-flow walk of seed 004.
"""

from __future__ import annotations

import json
import time

import pytest
import timeline_support as ts

import loop_impl
import loop_impl.generator_loop as generator_loop
from loop_magic.layout import build_layout
from loop_magic.narration import arrow_line, indented_summary, narrate_iteration, walk
from loop_magic.segments import lane_segments

# -- seed 004 ---------------------------------------------------------------------------

# The seed's numbered list: "1. Control begins in program.py", then 16 x "Control is now in ...".
SEED_STEPS = [
    "program", "event-loop", "main_task.step", "program.main", "triple_task.__await__", "program.main",
    "main_task.step", "event-loop", "triple_task.step", "program.triple", "triple_task.step", "event-loop",
    "main_task.step", "triple_task.__await__", "program.main", "main-task.step", "event-loop",
]  # fmt: skip

# The seed's "another way of writing out that control-flow", verbatim.
SEED_SUMMARY = """\
program
    event-loop
        main_task.step
            program.main
                func_task.__await__
            program.main
        main_task.step
    event-loop
        func_task.step
            program.func
        func_task.step
    event-loop
        main_task.step 
            program.main
        main_task.step
    event-loop"""  # noqa: W291 (the seed's trailing space)


def seed_names(text: str, tasks: tuple[str, str] | None = None) -> str:
    """The seed's spelling, in the trace's: the trace knows coroutines (main), not the module
    they sit in (program.main); "event loop" is two words in our views; step 16 says
    "main-task" for main_task; the seed's summary was written when `triple` was `func`; and
    the seed calls its tasks by their variables, the timeline by the names asyncio gives
    them (Task-1, Task-2: the names its errors and reprs print)."""
    text = text.replace("program.", "").replace("event-loop", "event loop").replace("main-task", "main_task")
    text = text.replace("func_task", "triple_task").replace(".func", ".triple").replace("    func", "    triple")
    if tasks is not None:
        text = text.replace("main_task", tasks[0]).replace("triple_task", tasks[1])
    return "\n".join(line.rstrip() for line in text.splitlines())


@pytest.fixture(scope="module")
def seed_layout():
    return build_layout(ts.record(ts.main, forever=True))


def names_of(layout) -> tuple[str, str]:
    """The names of the seed's main_task and triple_task in this run."""
    return layout.lanes[1].name, layout.lanes[2].name


def test_seed_004_step_list(seed_layout):
    places = [t.place for t in walk(seed_layout)]
    assert places == [seed_names(step, names_of(seed_layout)) for step in SEED_STEPS]


def test_seed_004_indented_summary(seed_layout):
    assert indented_summary(walk(seed_layout)) == seed_names(SEED_SUMMARY, names_of(seed_layout))


def test_seed_004_first_iteration_in_one_line(seed_layout):
    # The issue's own example of the narration of one iteration.
    assert arrow_line(narrate_iteration(seed_layout, 0)) == seed_names(
        "event loop → main_task.step → main → triple_task.__await__ → yields triple_task → "
        "main_task.step adds a done callback → event loop",
        names_of(seed_layout),
    )


def test_seed_004_details_say_what_happened(seed_layout):
    steps = walk(seed_layout)
    main_task, triple_task = seed_layout.lanes[1].name, seed_layout.lanes[2].name
    assert f"creates {main_task}" in steps[0].detail
    assert f"creates {triple_task}" in steps[3].detail and f"awaits {triple_task}" in steps[3].detail
    assert "return value 15" in steps[9].detail
    assert f"{main_task}.wakeup" in steps[10].detail  # the done callback joins the ready queue
    assert "return value 17" in steps[14].detail


def test_seed_004_one_name_per_task(seed_layout):
    """Lane, narration, panel and errors call a task by one name: its own (issue 10, item 7)."""
    lanes = seed_layout.lanes
    assert [(lane.id, lane.coro, lane.label) for lane in seed_layout.lane_order()] == [
        (0, "", "event loop"),
        (1, "main", lanes[1].name),
        (2, "triple", lanes[2].name),
    ]
    text = " ".join(t.place + " " + t.detail for t in walk(seed_layout))
    assert "main_task" not in text and "triple_task" not in text
    assert lanes[1].name.startswith("Task-") and lanes[2].name.startswith("Task-")  # unnamed tasks
    assert [(b.lane, b.iteration, b.why) for b in seed_layout.bars] == [
        (1, 1, "start"),
        (2, 2, "start"),
        (1, 3, "wakeup"),
    ]
    assert (lanes[1].end, lanes[1].end_detail, lanes[2].end, lanes[2].end_detail) == (
        "returned",
        "17",
        "returned",
        "15",
    )
    assert lanes[2].parent == 1
    (gap,) = seed_layout.gaps
    triple_name = lanes[2].name
    assert (gap.lane, gap.label, gap.cause) == (1, f"Task {triple_name}", f"task {triple_name} finished")
    (wake,) = seed_layout.wakes
    assert (wake.source.lane, wake.target.lane) == (2, 1)


def test_seed_004_frames(seed_layout):
    frames = seed_layout.frames()
    main_task, triple_task = seed_layout.lanes[1].name, seed_layout.lanes[2].name
    assert [frames[k].ready for k in range(len(frames))] == [
        [f"{main_task}.step"],
        [f"{triple_task}.step"],
        [f"{main_task}.wakeup"],
        [],
    ]
    waiting = f"waiting on Task {triple_task}"
    # triple's end queues main's wakeup: main's task ends the iteration ready, as frames[2].ready shows.
    assert frames[1].tasks == [(main_task, waiting, "ready"), (triple_task, "ready", "done: returned 15")]
    assert frames[0].narration[0].place == "program"  # the first frame starts before the loop


# -- waits and wake-ups ------------------------------------------------------------------


def waits_of(layout) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for gap in layout.gaps:
        out.setdefault(layout.lanes[gap.lane].label, []).append((gap.label, gap.cause))
    return out


def test_wait_labels_and_wake_causes():
    layout = build_layout(ts.record(ts.waits_main))
    fd = ts.FDS["reader"]
    main_task = layout.lanes[1].name
    assert waits_of(layout) == {
        main_task: [("gather(2)", "future resolved by task waiter"), ("ready", ""), ("Task reader", "task reader finished"),
                   ("Future", "call_soon_threadsafe")],
        "holder": [("sleep 0.01", "timer fired")],
        "waiter": [("Future", "future resolved by task holder")],
        "reader": [(f"read fd {fd}", f"fd {fd} ready")],
    }  # fmt: skip
    causes = {(w.cause, w.source.lane if w.source else None) for w in layout.wakes}
    holder = next(lane.id for lane in layout.lanes.values() if lane.name == "holder")
    assert ("timer fired", 0) in causes  # the timer's callback ran on the loop lane
    assert ("future resolved by task holder", holder) in causes


@pytest.mark.skipif(not hasattr(loop_impl, "Lock"), reason="loop_impl.Lock not available")
def test_lock_wait_is_labelled_lock():
    layout = build_layout(ts.record(ts.lock_main))
    assert ("Lock", "future resolved by task first") in waits_of(layout)["second"]


def test_outputs_belong_to_the_step_that_printed_them():
    layout = build_layout(ts.record(ts.waits_main))
    printed = {(layout.lanes[b.lane].name, line) for b in layout.bars for line in b.outputs or ()}
    assert printed == {("holder", "holder sleeps\n"), ("waiter", "waiter got go\n"), ("reader", "read b'hi'\n")}
    assert [text for _t, _lane, _n, text in layout.outputs] == ["holder sleeps\n", "waiter got go\n", "read b'hi'\n"]


def test_task_ends():
    layout = build_layout(ts.record(ts.ends_main))
    ends = {lane.name: (lane.end, lane.end_detail) for lane in layout.lanes.values() if lane.id}
    assert ends["ok"] == ("returned", "42")
    assert ends["boom"] == ("raised", "ValueError: boom")
    assert ends["forever"][0] == "cancelled"
    forever = next(lane.id for lane in layout.lanes.values() if lane.name == "forever")
    assert [g.cause for g in layout.gaps if g.lane == forever] == [f"future cancelled by task {layout.lanes[1].name}"]


def test_bare_yield_is_a_queued_gap():
    layout = build_layout(ts.record(ts.ends_main))
    created, first, yielded, second, gathered = lane_segments(layout, 1)[:5]
    assert [s.kind for s in (created, first, yielded, second, gathered)] == ["queued", "step", "queued", "step", "wait"]
    assert "bare yield" in yielded.detail and gathered.label == "gather(3)"


def test_blocking_step_is_marked(caplog):
    layout = build_layout(ts.record(ts.blocking_main, setup=lambda loop: setattr(loop, "slow_callback_duration", 0.01)))
    (first, *_) = layout.bars
    assert first.blocked >= 0.02
    assert any(s.blocked for s in lane_segments(layout, 1))


# -- the two axes ------------------------------------------------------------------------


def test_iteration_axis_gives_each_iteration_one_unit():
    layout = build_layout(ts.record(ts.waits_main))
    assert layout.ncols == len(layout.iterations)
    for it in layout.iterations:
        bars = [b for b in it.pops if b is not None]
        assert all(it.col <= b.x0 < b.x1 <= it.col + 1 for b in bars)
        assert [b.x0 for b in bars] == sorted(b.x0 for b in bars)  # in the order the loop ran them
    waited = [it for it in layout.iterations if it.select_timeout is None or it.select_timeout > 0]
    assert waited and all(b.x0 > it.col for it in waited for b in it.pops if b)  # the wait gets the first share


def test_generator_loop_idle_polls_collapse():
    async def child() -> None:
        await generator_loop.sleep(0.01)

    async def gen_main() -> None:
        await generator_loop.gather(generator_loop.create_task(child()), generator_loop.create_task(child()))

    rec = ts.NamingRecorder()
    generator_loop.run(gen_main(), recorder=rec)
    layout = build_layout(rec.trace)
    assert layout.iterations  # no ITERATION events: one turn per poll
    polls = sum(run[4] for run in layout.idle_polls)
    assert polls > 3
    assert layout.ncols < len(layout.iterations)  # runs of idle turns share a column
    assert any(s.kind == "idle" for lane in layout.lanes for s in lane_segments(layout, lane))


def test_frames_show_timers_and_fds():
    layout = build_layout(ts.record(ts.waits_main))
    frames = layout.frames()
    all_frames = frames.build(list(range(len(frames))))
    fired = [f for f in all_frames if any(note == "fires now" for _due, _what, note in f.timers)]
    assert len(fired) == 1 and "timer fired" in fired[0].ready[0]
    (due, what, _note), *_ = fired[0].timers
    assert "_set_result_unless_cancelled" in what and 0.01 <= due <= layout.t_end
    fd = ts.FDS["reader"]
    assert any((fd, "read") in f.fds for f in all_frames)
    assert not all_frames[-1].fds  # unwatched once read


# -- scale -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_trace():
    trace = ts.spin_trace(tasks=50, turns=1000)
    assert len(trace) >= 100_000
    return trace


def test_100k_events_lay_out_quickly(big_trace):
    started = time.perf_counter()
    layout = build_layout(big_trace)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"layout of {len(big_trace)} events took {elapsed:.2f} s"
    assert len(layout.bars) >= 20_000
    # What is drawn at the default width stays near a pixel per segment, whatever the number of steps.
    drawn = sum(len(lane_segments(layout, lane)) for lane in layout.lanes)
    assert drawn < 2 * 960 * len(layout.lanes)


def test_frames_sent_to_a_browser_stay_small(big_trace):
    layout = build_layout(big_trace)
    data = layout.frames().to_data(max_frames=300)
    assert len(data["frames"]) <= 300 and data["total"] == len(layout.iterations)
    assert len(json.dumps(data)) < 3_000_000
