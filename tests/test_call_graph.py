"""3.14's call-graph introspection (gh-91048) on the host Python, with versions.CALL_GRAPH flipped on.

The differential check against 3.14's own asyncio is tests/programs/callgraph_*.py, run under
Pyodide by tests/test_pyodide.py. These tests keep the pieces honest on every host Python:
who records an "awaited by" edge, when it is dropped, and that nothing is recorded (and no
name exported) where the interpreter's asyncio has no call graphs.
"""

from __future__ import annotations

import importlib
import io

import pytest

import loop_impl
from loop_impl import call_graph, versions


@pytest.fixture
def on_314(monkeypatch):
    monkeypatch.setattr(versions, "CALL_GRAPH", True)


def names(graphs) -> list[str]:
    return [g.future.get_name() for g in graphs]


def code_names(graph) -> list[str]:
    return [entry.frame.f_code.co_name for entry in graph.call_stack]


async def _park(event: loop_impl.Event) -> None:
    await event.wait()


async def _inner(event: loop_impl.Event) -> str:
    await _park(event)
    return "done"


def _task_named(name: str) -> loop_impl.Task:
    return next(t for t in loop_impl.all_tasks() if t.get_name() == name)


def test_nested_tasks_draw_a_chain_of_waiters(on_314):
    async def outer(event):
        return await loop_impl.create_task(_inner(event), name="inner")

    async def main():
        event = loop_impl.Event()
        outer_task = loop_impl.create_task(outer(event), name="outer")
        await loop_impl.sleep(0)  # outer starts inner
        await loop_impl.sleep(0)  # inner parks
        inner = _task_named("inner")
        graph = call_graph.capture_call_graph(inner)
        assert code_names(graph) == ["wait", "_park", "_inner"]  # innermost first
        assert names(graph.awaited_by) == ["outer"]
        assert graph.awaited_by[0].awaited_by == ()  # main has not awaited outer (yet)
        assert code_names(call_graph.capture_call_graph(inner, limit=1)) == ["_inner"]
        assert code_names(call_graph.capture_call_graph(inner, limit=-1)) == ["wait"]
        assert call_graph.capture_call_graph(inner, limit=0).call_stack == ()
        mine = call_graph.capture_call_graph()
        assert code_names(mine) == ["main"] and mine.future is loop_impl.current_task()
        event.set()
        assert await outer_task == "done"
        assert call_graph.capture_call_graph(inner).awaited_by == ()  # woken: the edge is gone

    loop_impl.run(main())


def test_format_and_print_name_tasks_frames_and_waiters(on_314):
    async def main():
        event = loop_impl.Event()
        child = loop_impl.create_task(_inner(event), name="child")
        await loop_impl.sleep(0)
        text = call_graph.format_call_graph(child)
        lines = text.splitlines()
        assert lines[0] == f"* Task(name='child', id={id(child):#x})"
        assert lines[1] == "  + Call stack:"
        assert lines[2].endswith(", in async Event.wait()") and "_park()" in lines[3]
        buffer = io.StringIO()
        call_graph.print_call_graph(child, file=buffer)
        assert buffer.getvalue() == text + "\n"
        future = loop_impl.get_running_loop().create_future()
        call_graph.future_add_to_awaited_by(future, child)
        assert call_graph.format_call_graph(future).splitlines()[:3] == [
            f"* Future(id={id(future):#x})",
            "  + Awaited by:",
            f"    * Task(name='child', id={id(child):#x})",
        ]
        call_graph.future_discard_from_awaited_by(future, child)
        assert call_graph.format_call_graph(future) == f"* Future(id={id(future):#x})"
        event.set()
        await child

    loop_impl.run(main())


def test_gather_shield_wait_and_taskgroup_record_the_caller(on_314):
    async def main():
        me = loop_impl.current_task()
        event = loop_impl.Event()
        children = [loop_impl.create_task(_inner(event), name=f"c{i}") for i in range(4)]
        gathered = loop_impl.gather(children[0])
        shielded = loop_impl.shield(children[1])
        waiting = loop_impl.create_task(loop_impl.wait([children[2]]), name="waiter")
        await loop_impl.sleep(0)
        async with loop_impl.TaskGroup() as tg:
            grouped = tg.create_task(_inner(event), name="grouped")
            await loop_impl.sleep(0)
            for task, waiter in [(children[0], me), (children[1], me), (children[2], waiting), (grouped, me)]:
                assert call_graph.capture_call_graph(task).awaited_by[0].future is waiter, task
            assert call_graph.capture_call_graph(children[3]).awaited_by == ()  # nobody waits on it
            event.set()
        await gathered, shielded, waiting
        for task in [*children, grouped]:
            assert call_graph.capture_call_graph(task).awaited_by == (), task

    loop_impl.run(main())


def test_nothing_recorded_and_nothing_exported_before_314(monkeypatch):
    monkeypatch.setattr(versions, "CALL_GRAPH", False)

    async def main():
        event = loop_impl.Event()
        child = loop_impl.create_task(_inner(event), name="child")
        gathered = loop_impl.gather(child)
        assert getattr(child, "_awaited_by", None) is None
        event.set()
        await gathered

    loop_impl.run(main())
    try:
        fresh = importlib.reload(loop_impl)
        assert not hasattr(fresh, "capture_call_graph") and "capture_call_graph" not in fresh.__all__
        monkeypatch.setattr(versions, "CALL_GRAPH", True)
        fresh = importlib.reload(loop_impl)
        for name in call_graph.__all__:
            assert getattr(fresh, name) is getattr(call_graph, name) and name in fresh.__all__
    finally:
        monkeypatch.undo()
        for name in call_graph.__all__:  # (why: a reload adds names but never removes one)
            vars(loop_impl).pop(name, None)
        importlib.reload(loop_impl)


def test_bad_input_gets_asyncio_errors(on_314):
    with pytest.raises(RuntimeError, match="outside of a running event loop"):
        call_graph.capture_call_graph()

    async def main():
        with pytest.raises(TypeError, match="42 object does not appear to be compatible with asyncio.Future"):
            call_graph.capture_call_graph(42)
        call_graph.future_add_to_awaited_by(42, loop_impl.current_task())  # ignored, as in 3.14
        found = []
        loop_impl.get_running_loop().call_soon(lambda: found.append(call_graph.capture_call_graph()))
        await loop_impl.sleep(0)
        assert found == [None]  # a callback is no task

    loop_impl.run(main())
