"""loop_magic.compare: verdicts where the backends agree, and where they really differ."""

from __future__ import annotations

import loop_magic

AGREE = """
async def worker(name, delay):
    await asyncio.sleep(delay)
    print(name, "done")
    return name

results = await asyncio.gather(worker("slow", 0.2), worker("fast", 0.1))
results
"""


def test_backends_that_agree_say_so_plainly():
    comparison = loop_magic.compare(AGREE, "asyncio", virtual_time=True, echo=False)
    assert comparison.equal
    assert comparison.verdict().startswith("Same results on tinyloop and asyncio")
    assert comparison.first_divergence() is None
    assert [row.aspect for row in comparison.rows] == [
        "printed output",
        "return value",
        "exception",
        "order of task steps",
    ]
    assert comparison.left.mode == "tinyloop" and comparison.right.mode == "asyncio"
    assert comparison.left.value == comparison.right.value == ["slow", "fast"]


def test_default_mode_is_asyncio_and_both_runs_print():
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        comparison = loop_magic.compare("print('hello')")
    assert comparison.right.mode == "asyncio"
    assert buffer.getvalue() == "── tinyloop ──\nhello\n── asyncio ──\nhello\n"


def test_generator_busy_polling_changes_the_steps_not_the_output():
    comparison = loop_magic.compare(AGREE, "generator", virtual_time=True, echo=False)
    rows = {row.aspect: row for row in comparison.rows}
    assert rows["printed output"].same and rows["return value"].same and rows["exception"].same
    steps = rows["order of task steps"]
    assert not steps.same
    # The first divergence names the step and what each loop ran there: the
    # generator loop runs a task for each sleep.
    assert steps.detail.startswith("step 4: tinyloop ran Task-3 (task #3), generator ran sleep 0.2 (task #4)")
    assert comparison.verdict() == "tinyloop and generator differ: order of task steps."
    assert comparison.right.summary.idle_polls > 0 and comparison.left.summary.idle_polls == 0


def test_output_that_depends_on_timing_differs_at_its_first_line():
    source = "print('start')\nprint(asyncio.get_running_loop().time())\nawait asyncio.sleep(0)"
    comparison = loop_magic.compare(source, "asyncio", echo=False)
    row = comparison.rows[0]
    assert not row.same
    assert row.detail.startswith("line 2: tinyloop printed '")
    assert comparison.first_divergence().startswith("printed output: line 2:")


def test_missing_output_lines_are_pointed_out():
    source = "print('a')\nif hasattr(asyncio, 'DeadlockError'):\n    print('only loop_impl has DeadlockError')"
    comparison = loop_magic.compare(source, "asyncio", echo=False)
    assert comparison.rows[0].detail == (
        "line 2: tinyloop printed 'only loop_impl has DeadlockError', asyncio printed nothing more"
    )


def test_return_values_and_exceptions_are_compared():
    comparison = loop_magic.compare("hasattr(asyncio, 'DeadlockError')", "asyncio", echo=False)
    assert comparison.rows[1].detail == "tinyloop: True, asyncio: False"

    source = "lock = asyncio.Lock()\nasync with lock:\n    pass"
    comparison = loop_magic.compare(source, "generator", echo=False)
    exception = comparison.rows[2]
    assert not exception.same
    assert exception.detail.startswith(
        "tinyloop: none; generator: AttributeError: the naive generator loop has no 'Lock'"
    )


def test_same_exception_is_same():
    comparison = loop_magic.compare("await asyncio.sleep(0)\nraise ValueError('same')", "asyncio", echo=False)
    assert comparison.equal
    assert comparison.rows[2].detail == "ValueError: same"


def test_the_table_reads_in_text_and_html():
    comparison = loop_magic.compare(AGREE, "generator", virtual_time=True, echo=False)
    text = comparison.table()
    assert "order of task steps  DIFFERENT  step 4" in text
    assert "generator: " in text and "idle polls" in text
    html = comparison._repr_html_()
    assert "<table" in html and "different" in html and "same" in html


def test_both_runs_of_a_compare_label_a_socket_wait_alike():
    # Issue 10, item 7: the same wait read "read fd 85" in one run and "Future" in the other.
    source = (
        "import socket\nserver = socket.socket()\nserver.bind(('127.0.0.1', 0))\nserver.listen()\n"
        "server.setblocking(False)\nloop = asyncio.get_running_loop()\n"
        "async def serve():\n    conn, _ = await loop.sock_accept(server)\n    conn.setblocking(False)\n"
        "    data = await loop.sock_recv(conn, 10)\n    conn.close()\n    return data\n"
        "async def client():\n    sock = socket.socket()\n    sock.setblocking(False)\n"
        "    await loop.sock_connect(sock, server.getsockname())\n    await asyncio.sleep(0.01)\n"
        "    await loop.sock_sendall(sock, b'hi')\n    sock.close()\n"
        "got, _ = await asyncio.gather(serve(), client())\nserver.close()\ngot"
    )
    comparison = loop_magic.compare(source, "asyncio", echo=False)
    labels = []
    for result in (comparison.left, comparison.right):
        assert result.value == b"hi", result.error
        kinds = {g.label.split(" fd ")[0] for g in result.timeline().layout.gaps if " fd " in g.label}
        labels.append(kinds)
    assert labels[0] == labels[1] and "read" in labels[0] and "accept" in labels[0], labels


def test_a_task_a_library_makes_itself_is_told_apart_by_creation_not_name(tmp_path, monkeypatch):
    # aiohttp makes its handlers with asyncio.Task(...): they take asyncio's own Task-N,
    # which neither backend's per-cell numbering shares. An aiohttp request compared
    # "DIFFERENT" on names alone; which task ran at each step was the same.
    (tmp_path / "library_that_makes_tasks.py").write_text(
        "import asyncio\n\ndef spawn(coro):\n    return asyncio.Task(coro, loop=asyncio.get_running_loop())\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    source = (
        "import library_that_makes_tasks as library\n"
        "async def handler(name):\n    await asyncio.sleep(0)\n    return name\n"
        "print(await asyncio.gather(library.spawn(handler('made')), asyncio.create_task(handler('usual'))))"
    )
    comparison = loop_magic.compare(source, "asyncio", echo=False)
    assert comparison.equal, comparison.rows
    swapped = source.replace("print(await", "await asyncio.sleep(0)\nprint(await")  # still the same order on both
    assert loop_magic.compare(swapped, "asyncio", echo=False).equal
