"""Notebook 8: a real library (httpx) requesting a page from a local server, on the from-scratch loop."""

from __future__ import annotations

from .cells import code, md

NAME = "08_real_libraries"

REQUEST = '''
%%tinyloop
async def handle(reader, writer):
    """A tiny HTTP server: read one request, answer it, hang up."""
    request = await reader.readuntil(b"\\r\\n\\r\\n")
    path = request.split(b" ")[1].decode()
    print(f"server: got GET {path}")
    body = f"hello from {path}".encode()
    writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n%s" % (len(body), body))
    await writer.drain()
    writer.close()
    await writer.wait_closed()

async def fetch(port, path):
    """GET http://127.0.0.1:port/path with httpx (or, without httpx, by hand with asyncio's streams)."""
    if httpx is None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n".encode())
        head = await reader.readuntil(b"\\r\\n\\r\\n")
        body = await reader.read()
        writer.close()
        await writer.wait_closed()
        return int(head.split()[1]), body.decode()
    # verify=False: plain HTTP to 127.0.0.1, so no certificates to load (that takes a while: see the questions)
    async with httpx.AsyncClient(verify=False) as client:
        response = await client.get(f"http://127.0.0.1:{port}{path}")
        return response.status_code, response.text

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)  # port 0: any free port
    port = server.sockets[0].getsockname()[1]
    async with server:
        status, text = await fetch(port, "/lesson")
    print(f"client: {status} {text!r}")

await main()
'''

CELLS = [
    md(
        """
        # 8 · A real library on the from-scratch loop

        *About 15 minutes.* Until now every program used `asyncio` as the cell gives it: loop_impl. The
        code you use every day imports the *real* asyncio: httpx, aiohttp, anyio, FastAPI. This notebook
        runs one of them, httpx, on loop_impl's loop, and steps through its request: its own tasks, the
        file descriptors it waits on, and the loop's state while it waits.

        **What you'll learn**

        - how a loop becomes part of asyncio (the way uvloop does it): the four doors through which
          asyncio and its libraries reach a loop;
        - a real HTTP request, by a real library, on the loop you have been reading;
        - which tasks the library makes, and what `select()` watches for them;
        - that it prints exactly what it prints on the real asyncio.
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect
        import sys

        import loop_impl
        import loop_magic
        from course_tools import show_state
        from loop_impl.trace import Ev
        """
    ),
    md(
        """
        ## How real asyncio finds our loop

        A library never gets the cell's `asyncio`: it does `import asyncio` in its own module and gets the
        real one. For the library to run on loop_impl's loop, the *real* asyncio must see that loop. One
        module of loop_impl, and only one, imports asyncio to make that so. Its docstring says how:
        """
    ),
    code(
        """
        print(inspect.getdoc(loop_impl.asyncio_seam))
        """,
        checks=["source:seam"],
    ),
    md(
        """
        See it from inside a cell: `sys.modules["asyncio"]` is the real library, as httpx sees it.
        """
    ),
    code(
        """
        %%tinyloop --no-timeline
        real_asyncio = sys.modules["asyncio"]

        async def who_runs_me():
            loop = real_asyncio.get_running_loop()
            print("real asyncio's running loop is loop_impl's:", isinstance(loop, loop_impl.EventLoop))
            print("real asyncio's current task:", real_asyncio.current_task().get_name())
            print("one CancelledError for both:", real_asyncio.CancelledError is loop_impl.CancelledError)

        await who_runs_me()
        """,
        checks=["seam-who"],
    ),
    md(
        """
        ## A request with httpx

        httpx is an HTTP client for asyncio. Is it installed in this kernel's environment?
        """
    ),
    code(
        """
        try:
            import httpx
        except ImportError:
            httpx = None
            print("httpx is not installed here: run `%pip install httpx` and restart the kernel to see it; "
                  "until then the cells below make the same request by hand with asyncio's streams.")
        else:
            print(f"httpx {httpx.__version__} is installed")
        """
    ),
    md(
        """
        The server is the one you could write after notebook 5, with asyncio's streams; the client is
        httpx. Both run in the same cell, on one loop, in one thread:
        """
    ),
    code(REQUEST, checks=["library-request"]),
    md(
        """
        ## The library's own tasks

        httpx runs on anyio, which starts a task to connect (its name is the function it runs:
        `...connect_tcp.<locals>.try_connect`); `start_server` makes a task to look the address up, one to
        accept the connection and one for `handle`. Each step of each task ended waiting for something;
        here is what:
        """
    ),
    code(
        """
        trace = loop_magic.last_run().trace
        runs = trace.meta["coro_names"]  # the coroutine each task runs, as the timeline's lanes name it
        waits = {}
        for event in trace:
            if event.kind == Ev.STEP_END and event.a:
                task = f"{trace.task_names[event.task]} ({runs.get(event.task, '?').split('.')[-1]})"
                waits.setdefault(task, []).append(trace.string(event.a))
        for task, what in waits.items():
            print(f"{task}: {', '.join(dict.fromkeys(what))}")
        """,
        checks=["library-tasks"],
    ),
    md(
        """
        `connect fd N`: the connection is under way, the task waits until the socket is writable.
        `read fd N`: the server's `handle` waits until the request's bytes arrive. Nothing polls: each task
        is parked on a future, the fd is in the selector, and `select()` wakes the loop. What did the
        loop watch, iteration by iteration?
        """
    ),
    code(
        """
        timeline = loop_magic.last_run().timeline()
        for frame, it in zip(timeline.frames(), timeline.layout.iterations):
            watched = ", ".join(f"{fd} {mode}" for fd, mode in frame.fds) or "nothing"
            ready = f" -> ready: {', '.join(it.io)}" if it.io else ""
            print(f"iteration {it.n:>2}: watching fds {watched}{ready}")
        """,
        checks=["library-select"],
    ),
    md(
        """
        The state panel of the iteration where the server's task first waits to read the request:
        """
    ),
    code(
        """
        first_read = next(
            k for k, frame in enumerate(timeline.frames())
            if any("read fd" in state for _, state, _ in frame.tasks)
        )
        show_state(timeline.frames()[first_read], len(timeline.frames()))
        """,
        checks=["state-library"],
    ),
    md(
        """
        ## The same request on the real asyncio

        `--compare` runs the cell again on the real asyncio (its own loop, in a worker thread) and
        compares what both printed:
        """
    ),
    code(
        """
        %%tinyloop --compare --no-timeline
        await main()
        """,
        checks=["library-request", "compare-same"],
    ),
    md(
        """
        ## Recap

        - asyncio reaches its loop through four doors: the running loop, the current task, the loop's
          methods, and its exceptions. `loop_impl/asyncio_seam.py` opens them for loop_impl's loop, so
          `asyncio.run(main(), loop_factory=loop_impl.HostedEventLoop)` runs any asyncio program on it,
          and `%%tinyloop` runs libraries on it.
        - A library's request is tasks parked on futures, and fds in the selector: the same machinery
          as notebook 5's echo server, with more tasks.
        - It prints what it prints on the real asyncio.

        **Questions to try**

        1. Drop `verify=False`. `httpx.AsyncClient()` now loads the system's certificates, a blocking
           call inside a task: does the summary report a blocking step? How long did it hold the loop?
        2. Request three pages at once with `asyncio.gather(fetch(port, "/a"), fetch(port, "/b"),
           fetch(port, "/c"))`. How many `handle` tasks are there, and how many fds does `select()` watch?
        3. Try another library: `aiohttp`, `websockets` or `anyio` (`%pip install aiohttp` in a cell, then restart the kernel).
        """
    ),
]
