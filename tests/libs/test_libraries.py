"""Real asyncio libraries on the from-scratch loop (issue 9, parts 2-5).

Each program in tests/libs/programs/ uses one library on 127.0.0.1 (server and
client in one program where the library has both) and runs four ways:

(a) plain asyncio, `python program.py`: its output is the expectation;
(b) real asyncio plugged onto loop_impl's loop (loop_factory on 3.12+, the policy on 3.11);
(c) `loop_magic.run_cell` in the default mode, where `asyncio.run` makes a traced loop_impl loop;
(d) a `%%tinyloop` cell in a real Jupyter kernel, whose own asyncio loop is blocked meanwhile.

(b), (c) and (d) must print exactly what (a) prints, and the traces of (c) and (d)
must show the library's own tasks, and for the network libraries their waits on fds.
A library that is not installed skips its program: `pip install -e '.[libs]'`.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # difftest
from difftest import HOSTED, run_program, run_source, unified_diff  # noqa: E402
from lib_trace import trace_facts  # noqa: E402

PROGRAMS = sorted((HERE / "programs").glob("*.py"))
TIMEOUT = 60.0
NETWORK = {"aiohttp_server_client", "httpx_local_server", "websockets_echo", "fastapi_uvicorn"}
INSTALL = "pip install -e '.[libs]'"


def _libraries(path: Path) -> list[str]:
    """The third-party packages the program imports at its top."""
    names = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names += [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module.split(".")[0])
    return [n for n in names if n not in sys.stdlib_module_names]


def _param(path: Path) -> object:
    missing = [name for name in _libraries(path) if importlib.util.find_spec(name) is None]
    marks = [pytest.mark.skip(reason=f"needs {', '.join(missing)}: {INSTALL}")] if missing else []
    return pytest.param(path, marks=marks, id=path.stem)


PARAMS = [_param(p) for p in PROGRAMS]
_expected: dict[Path, str] = {}


def expected_output(path: Path) -> str:
    """(a): what the program prints under plain asyncio (run once per program)."""
    if path not in _expected:
        run = run_program(path, "asyncio", timeout=TIMEOUT)
        assert run.returncode == 0 and not run.timed_out, f"{path.name} fails under plain asyncio:\n{run.stderr}"
        _expected[path] = run.stdout
    return _expected[path]


def check_trace(name: str, facts: dict) -> None:
    if name in NETWORK:
        # a server task per connection or a client's tasks, besides main
        assert facts["tasks"] >= 3, facts
        assert facts["fd_waits"] or facts["fd_watches"], f"no fd wait on the timeline: {facts}"
    elif name == "async_timeout_deadline":
        assert facts["timers"] >= 2, facts  # its deadline is a timer on *this* loop
    else:
        assert facts["tasks"] >= 1, facts


@pytest.mark.parametrize("program", PARAMS)
def test_b_real_asyncio_on_loop_impl(program: Path) -> None:
    run = run_program(program, HOSTED, timeout=TIMEOUT)
    assert not run.timed_out, f"{program.name} timed out on loop_impl's loop\n{run.stderr}"
    assert run.stdout == expected_output(program), unified_diff(expected_output(program), run.stdout, b="hosted")
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("program", PARAMS)
def test_c_run_cell_default_mode(program: Path) -> None:
    from loop_magic import run_cell

    result = run_cell(program.read_text(), echo=False, timeout=TIMEOUT)
    assert result.error is None, result.error_text()
    assert result.stdout == expected_output(program), unified_diff(expected_output(program), result.stdout, b="cell")
    check_trace(program.stem, trace_facts(result.trace))


@pytest.fixture(scope="module")
def kernel():
    pytest.importorskip("jupyter_client")
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        kc.execute_interactive("%load_ext loop_magic", timeout=30)
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _execute(kc, code: str, timeout: float = TIMEOUT) -> tuple[dict, str]:
    """Run code in the kernel: (reply content, the printed text as the notebook shows it).

    That is the stream text, and, in a run long enough to show a live view, the
    printed-text display the magic keeps in place above it (updated in place:
    its last content counts, where it first appeared)."""
    msg_id = kc.execute(code)
    parts: list[str] = []
    slots: dict[str, int] = {}  # display id -> index in parts
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream" and content["name"] == "stdout":
            parts.append(content["text"])
        elif kind in ("display_data", "update_display_data"):
            display_id = content.get("transient", {}).get("display_id")
            if display_id in slots:
                parts[slots[display_id]] = content["data"].get("text/plain", "")
            elif content.get("metadata", {}).get("tinyloop", {}).get("printed"):
                slots[display_id] = len(parts)
                parts.append(content["data"].get("text/plain", ""))
    return kc.get_shell_msg(timeout=timeout)["content"], "".join(parts)


FACTS_CELL = """\
import json, loop_magic, sys
sys.path.insert(0, {here!r})
from lib_trace import trace_facts
print(json.dumps(trace_facts(loop_magic.last_run().trace)))
"""


@pytest.mark.parametrize("program", PARAMS)
def test_d_tinyloop_cell_in_a_real_kernel(kernel, program: Path) -> None:
    reply, printed = _execute(kernel, "%%tinyloop --no-timeline\n" + program.read_text())
    assert reply["status"] == "ok", reply
    expected = expected_output(program)
    assert printed == expected, unified_diff(expected, printed, b="kernel")
    reply, facts = _execute(kernel, FACTS_CELL.format(here=str(HERE)))
    assert reply["status"] == "ok", reply
    check_trace(program.stem, json.loads(facts))
    # the kernel's own loop is asyncio's running loop again, and works
    reply, printed = _execute(
        kernel, "import asyncio\nprint(asyncio.get_running_loop() is not None)\nawait asyncio.sleep(0.01)"
    )
    assert reply["status"] == "ok" and printed == "True\n", (reply, printed)


def _as_loop_impl(program: Path) -> str:
    """The program with its own `import asyncio` made `import loop_impl as asyncio`
    (the libraries it uses still import the real asyncio)."""
    source = program.read_text()
    assert "\nimport asyncio\n" in source, program.name
    return source.replace("\nimport asyncio\n", "\nimport loop_impl as asyncio\n", 1)


@pytest.mark.parametrize("program", PARAMS)
def test_e_import_loop_impl_as_asyncio(program: Path) -> None:
    """`import loop_impl as asyncio` and a library: loop_impl.run() makes a loop real asyncio sees."""
    run = run_source(_as_loop_impl(program), "asyncio", timeout=TIMEOUT)
    assert not run.timed_out, f"{program.name} timed out\n{run.stderr}"
    assert run.stdout == expected_output(program), unified_diff(expected_output(program), run.stdout, b="loop_impl")
    assert run.returncode == 0, run.stderr


def test_f_loop_impl_run_in_a_plain_kernel_cell_never_uses_the_kernels_loop(kernel) -> None:
    """In a notebook cell without the magic, the kernel's loop is asyncio's running loop:
    a library's timer must still land on the loop that loop_impl.run() runs, or it never fires."""
    program = HERE / "programs" / "async_timeout_deadline.py"
    if importlib.util.find_spec("async_timeout") is None:
        pytest.skip(f"needs async_timeout: {INSTALL}")
    reply, printed = _execute(kernel, _as_loop_impl(program))
    assert reply["status"] == "ok", reply
    assert printed == expected_output(program), unified_diff(expected_output(program), printed, b="kernel")
