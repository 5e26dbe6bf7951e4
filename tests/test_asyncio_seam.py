"""asyncio_seam: what real asyncio sees while loop_impl's loop runs, and after.

The differential side (every program under real asyncio on loop_impl's loop) is
test_hosted_differential.py; the libraries are tests/libs. Here: the exact
save-and-restore of asyncio's running loop (in a kernel it is the kernel's own,
which must survive every way a run can end), the exceptions shared as one
class, and the clear errors for what the loop cannot host.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest

import loop_impl
from loop_impl.asyncio_seam import HostedEventLoop, hosting


class HostLoop:
    """Stands for a host's own running loop (ipykernel's), blocked while a cell runs."""


@pytest.fixture
def host_loop():
    host = HostLoop()
    saved = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(host)
    try:
        yield host
    finally:
        asyncio.events._set_running_loop(saved)


@pytest.mark.parametrize("name", loop_impl.exceptions.SHARED_WITH_ASYNCIO)
def test_exceptions_are_asyncios_own_classes(name):
    if not hasattr(asyncio, name):
        pytest.skip(f"asyncio {name} is newer than this Python")
    assert getattr(loop_impl.exceptions, name) is getattr(asyncio, name)


def test_hosted_loop_is_asyncios_running_loop_then_the_host_is_back(host_loop):
    loop = HostedEventLoop()
    seen = {}

    async def main():
        seen["running"] = asyncio.get_running_loop()
        seen["current"] = asyncio.current_task()
        seen["all"] = asyncio.all_tasks()
        await asyncio.sleep(0)

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    assert seen["running"] is loop
    assert isinstance(seen["current"], loop_impl.Task) and seen["all"] == {seen["current"]}
    assert asyncio.events._get_running_loop() is host_loop  # restored, not cleared
    assert asyncio.tasks.current_task(loop) is None


def test_the_host_is_back_after_an_interrupt_inside_a_step(host_loop):
    loop = HostedEventLoop()

    async def interrupted():
        await asyncio.sleep(0)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        loop.run_until_complete(interrupted())
    loop.close()
    assert asyncio.events._get_running_loop() is host_loop
    assert asyncio.tasks.current_task(loop) is None


def test_hosting_hides_the_host_loop_and_restores_it_however_left(host_loop):
    policy = asyncio.get_event_loop_policy()
    loop = HostedEventLoop()
    with pytest.raises(KeyboardInterrupt):
        with hosting([loop]):
            assert asyncio.events._get_running_loop() is None
            with pytest.raises(RuntimeError, match="no current event loop"):
                policy.get_event_loop()  # never the host's blocked loop
            asyncio.tasks._enter_task(loop, object())  # as if a stop landed inside a step
            raise KeyboardInterrupt
    loop.close()
    assert asyncio.events._get_running_loop() is host_loop
    assert asyncio.tasks.current_task(loop) is None


def test_a_missing_loop_method_names_itself_and_the_way_out():
    missing = [
        name
        for name, value in vars(asyncio.AbstractEventLoop).items()
        if callable(value) and not name.startswith("_") and not hasattr(loop_impl.EventLoop, name)
    ]
    if not missing:
        pytest.skip("loop_impl's EventLoop has every method of asyncio.AbstractEventLoop")
    loop = HostedEventLoop()
    try:
        with pytest.raises(NotImplementedError, match=rf"no {missing[0]}\(\).*--mode asyncio"):
            getattr(loop, missing[0])()
    finally:
        loop.close()


def test_the_plain_loop_pays_nothing_for_hosting():
    # A step enters asyncio's current-task table on a hosted loop only, with no
    # Python-level call of ours in between (a property there cost ~15% per switch).
    assert loop_impl.EventLoop._asyncio_enter_task is None and loop_impl.EventLoop._asyncio_leave_task is None
    assert HostedEventLoop._asyncio_enter_task is asyncio.tasks._enter_task
    assert HostedEventLoop._asyncio_leave_task is asyncio.tasks._leave_task
    seen = {}

    async def probe(kind):
        seen[kind] = asyncio.current_task() is loop_impl.current_task()

    plain = loop_impl.EventLoop()
    try:
        assert not isinstance(plain, asyncio.AbstractEventLoop)
        asyncio.events._set_running_loop(plain)  # (asyncio.current_task() asks the running loop)
        try:
            plain.run_until_complete(probe("plain"))
        finally:
            asyncio.events._set_running_loop(None)
    finally:
        plain.close()
    hosted = HostedEventLoop()
    try:
        hosted.run_until_complete(probe("hosted"))
        assert asyncio.current_task(hosted) is None  # every step left the table
    finally:
        hosted.close()
    assert seen == {"plain": False, "hosted": True}


def test_new_event_loop_and_run_make_hosted_loops():
    """`import loop_impl as asyncio` with a library that imports the real asyncio: they must agree."""
    loop = loop_impl.new_event_loop()
    try:
        assert type(loop) is HostedEventLoop
    finally:
        loop.close()

    async def main():
        return asyncio.get_running_loop() is loop_impl.get_running_loop()

    assert loop_impl.run(main()) is True


def test_policy_and_loop_factory_make_hosted_loops():
    made = loop_impl.EventLoopPolicy().new_event_loop()
    made.close()
    assert type(made) is HostedEventLoop
    with asyncio.Runner(loop_factory=loop_impl.HostedEventLoop) as runner:
        assert runner.run(asyncio.sleep(0, "ran")) == "ran"
        assert isinstance(runner.get_loop(), asyncio.AbstractEventLoop)


def test_run_cell_reaching_another_loop_stops_with_a_hint():
    from loop_magic import run_cell

    other = asyncio.new_event_loop()
    try:
        result = run_cell("await other_future", namespace={"other_future": other.create_future()}, echo=False)
    finally:
        other.close()
    assert isinstance(result.error, RuntimeError) and "attached to a different loop" in str(result.error)
    assert any("belongs to another event loop" in note and "--mode asyncio" in note for note in result.notes)


def test_run_cell_get_event_loop_outside_the_run_raises_instead_of_the_host_loop(host_loop):
    from loop_magic import run_cell

    result = run_cell("import importlib\nimportlib.import_module('asyncio').get_event_loop()", echo=False)
    assert isinstance(result.error, RuntimeError), result.error
    assert any("get_event_loop()" in note for note in result.notes)
    assert asyncio.events._get_running_loop() is host_loop


def test_kernel_loop_survives_an_interrupted_library_cell():
    """issue 10 item 1, for the hosted loop: after an interrupt the kernel's own loop still runs cells."""
    pytest.importorskip("jupyter_client")
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        kc.execute_interactive(
            "%load_ext loop_magic\nimport asyncio\nkernel_loop = asyncio.get_running_loop()", timeout=30
        )
        msg_id = kc.execute(
            "%%tinyloop --no-timeline\nimport importlib\nreal = importlib.import_module('asyncio')\nawait real.sleep(30)"
        )
        time.sleep(1.5)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "error"
        reply = kc.execute_interactive(
            "await asyncio.sleep(0.01)\nassert asyncio.get_running_loop() is kernel_loop", timeout=30
        )
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


TWO_WORKERS = """
import importlib
real = importlib.import_module("asyncio")
async def worker(n):
    await real.sleep(0.01 * n)
    lock = real.Lock()
    await lock.acquire()
    waiter = real.ensure_future(lock.acquire())
    await real.sleep(0)
    lock.release()
    await waiter
    return n
tasks = [{make}(worker(n), name=f"w{{n}}") for n in (1, 2)]
print(await real.gather(*tasks))
"""


def _story(result) -> list[tuple]:
    """The timeline's story of a run: who stepped, what each step ended waiting for, how tasks ended."""
    from loop_impl.trace import Ev

    trace = result.trace

    def name(tid: int) -> str:
        # (unnamed tasks are numbered from loop_impl's counter or asyncio's: compare them unnumbered)
        return re.sub(r"Task-\d+", "Task-N", trace.task_names.get(tid, "?"))

    story = []
    for e in trace:
        if e.kind == Ev.STEP_END:
            story.append(("step", name(e.task), re.sub(r"Task-\d+", "Task-N", trace.string(e.a))))
        elif e.kind == Ev.TASK_DONE:
            story.append(("done", name(e.task), e.a, trace.string(e.b)))
    return story


def test_asyncio_tasks_on_the_loop_are_traced_like_loop_impls_own():
    from loop_magic import run_cell

    # (virtual time: the two runs' timers fire at the same iterations however loaded the machine is)
    ours = run_cell(TWO_WORKERS.format(make="asyncio.create_task"), echo=False, virtual_time=True)  # loop_impl's
    theirs = run_cell(TWO_WORKERS.format(make="real.Task"), echo=False, virtual_time=True)  # asyncio's own, hosted
    assert ours.error is None and theirs.error is None, (ours.error, theirs.error)
    assert ours.stdout == theirs.stdout == "[1, 2]\n"
    story = _story(theirs)
    assert story == _story(ours)
    assert ("step", "w1", "sleep 0.01") in story and ("step", "w1", "Lock") not in story  # w1's waiter waits on Lock
    assert any(entry[0] == "step" and entry[2] == "Lock" for entry in story)
    assert ("done", "w2", 0, "2") in story


def test_every_module_raises_asyncios_shared_exceptions():
    """No module of loop_impl bound its own copy of a shared class (an import-order slip would)."""
    import asyncio
    import importlib
    import pkgutil

    from loop_impl import exceptions

    for info in pkgutil.walk_packages(loop_impl.__path__, "loop_impl."):
        module = importlib.import_module(info.name)
        for name in exceptions.SHARED_WITH_ASYNCIO:
            if name in vars(module) and hasattr(asyncio, name):
                assert vars(module)[name] is getattr(asyncio, name), f"{info.name}.{name}"


def test_protocols_and_transports_are_asyncios_interfaces():
    """One hierarchy: asyncio.BufferedProtocol is our BufferedProtocol, our transports are asyncio's kinds."""
    import asyncio

    from loop_impl import events, protocols

    for name in protocols.SHARED_WITH_ASYNCIO:
        assert getattr(protocols, name) is getattr(asyncio, name), name
        assert getattr(loop_impl, name) is getattr(asyncio, name), name
    assert events.AbstractServer is loop_impl.AbstractServer is asyncio.AbstractServer
    assert issubclass(loop_impl.transports.socket._SelectorSocketTransport, asyncio.Transport)


def test_a_c_method_called_unbound_on_our_task_is_a_clear_type_error():
    """The one thing isinstance() cannot lend: asyncio's C methods check the C layout itself.

    isinstance(task, asyncio.Future) is true of ours, yet `asyncio.Future.set_exception(task, e)`
    on a C build refuses it, naming both classes, and leaves the task untouched. Going through the
    Future class the task is built on (`type(task).__mro__[-2]`) works on every loop
    (tests/programs/errors_task_done_behind_its_back.py).
    """
    if asyncio.Future is asyncio.futures._PyFuture:
        pytest.skip("this Python has no C Future: asyncio.Future is Python and accepts any object")
    loop = loop_impl.new_event_loop()
    try:
        coro = asyncio.sleep(0, "slept")
        task = loop.create_task(coro)
        assert isinstance(task, asyncio.Future)
        with pytest.raises(TypeError, match=r"'_asyncio\.Future'.*'Task'"):
            asyncio.Future.set_exception(task, ValueError("from outside"))
        assert not task.done()
        type(task).__mro__[-2].set_exception(task, ValueError("from outside"))
        assert isinstance(task.exception(), ValueError)
        coro.close()
    finally:
        loop.close()
