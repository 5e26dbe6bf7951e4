"""loop_impl/versions.py is the one table of asyncio's differences between versions, and it is honest.

* every flag is a row of the docstring's table and every row is a flag;
* every flag the table does not mark as documented-only, not implemented or planned is used by
  the code (the code branches on these names);
* the version-gated names exist in loop_impl exactly when this interpreter's asyncio has them;
* the 3.14 branches, which no interpreter here runs, do what their rows say (flags flipped).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

import loop_impl
from loop_impl import events, versions

LOOP_IMPL = Path(loop_impl.__file__).parent
FLAGS = {name: value for name, value in vars(versions).items() if name.isupper() and not name.startswith("_")}
ROWS = dict(re.findall(r"^  ([A-Z][A-Z0-9_]+)\s+(.*(?:\n {20,}.*)*)", versions.__doc__, re.M))
NOT_IN_CODE = ("(documented)", "Not implemented yet", "(planned")


def test_every_flag_is_a_boolean_row_of_the_table_and_every_row_a_flag():
    assert FLAGS, "versions.py defines no flags"
    assert all(isinstance(value, bool) for value in FLAGS.values()), FLAGS
    assert set(FLAGS) == set(ROWS), set(FLAGS) ^ set(ROWS)


def test_every_row_names_its_cpython_issue():
    for name, text in ROWS.items():
        assert re.search(r"gh-\d+|\(no gh\)", text), f"{name}: no CPython issue"


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_the_code_branches_on_the_flag(name):
    if any(marker in ROWS[name] for marker in NOT_IN_CODE):
        pytest.skip(f"{name}: the table says it is not in the code")
    users = [
        path.name
        for path in LOOP_IMPL.rglob("*.py")  # the transports/ subpackage too
        if path.name != "versions.py" and f"versions.{name}" in path.read_text()
    ]
    assert users, f"versions.{name} is used nowhere in loop_impl"


@pytest.mark.parametrize(
    "flag, names",
    [
        ("EAGER_TASKS", ["eager_task_factory", "create_eager_task_factory"]),
        ("QUEUE_SHUTDOWN", ["QueueShutDown"]),
        (
            "CALL_GRAPH",
            [
                "capture_call_graph",
                "format_call_graph",
                "print_call_graph",
                "FrameCallGraphEntry",
                "FutureCallGraph",
                "future_add_to_awaited_by",
                "future_discard_from_awaited_by",
            ],
        ),
    ],
)
def test_version_gated_names_exist_when_this_asyncio_has_them(flag, names):
    for name in names:
        assert hasattr(asyncio, name) == getattr(versions, flag) == hasattr(loop_impl, name), name


def test_queue_and_server_methods_follow_this_asyncio():
    assert hasattr(asyncio.Queue, "shutdown") == hasattr(loop_impl.Queue, "shutdown")
    assert hasattr(asyncio.Server, "close_clients") == hasattr(loop_impl.Server, "close_clients")


def test_314_task_factory_gets_every_keyword(monkeypatch):
    monkeypatch.setattr(versions, "TASK_FACTORY_GETS_KWARGS", True)
    seen = []

    def factory(loop, coro, **kwargs):
        seen.append(kwargs)
        return loop_impl.Task(coro, loop=loop, **kwargs)

    async def main():
        loop = loop_impl.get_running_loop()
        loop.set_task_factory(factory)
        task = loop.create_task(loop_impl.sleep(0), name="given")
        await task
        return task.get_name()

    assert loop_impl.run(main()) == "given"
    assert seen[0] == {"name": "given"}  # (then run()'s own shutdown tasks, unnamed)


def test_314_get_event_loop_never_makes_a_loop(monkeypatch):
    monkeypatch.setattr(versions, "GET_EVENT_LOOP_RAISES", True)
    monkeypatch.setattr(events._registry, "current", None)
    monkeypatch.setattr(events._registry, "current_set", False)
    with pytest.raises(RuntimeError, match="There is no current event loop"):
        loop_impl.get_event_loop()


def test_314_iscoroutinefunction_warns(monkeypatch):
    import importlib

    monkeypatch.setattr(versions, "ISCOROUTINEFUNCTION_DEPRECATED", True)
    try:
        fresh = importlib.reload(loop_impl)
        with pytest.warns(DeprecationWarning, match="inspect.iscoroutinefunction"):
            assert fresh.iscoroutinefunction(test_314_iscoroutinefunction_warns) is False
    finally:
        monkeypatch.undo()
        importlib.reload(loop_impl)
