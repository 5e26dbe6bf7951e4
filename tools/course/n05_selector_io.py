"""Notebook 5: selector I/O: blocking and non-blocking sockets, select, add_reader, an echo server."""

from __future__ import annotations

from .cells import code, md

NAME = "05_selector_io"

ECHO_SERVER = '''
%%tinyloop
import socket

async def echo(conn, name):
    """The server side of one connection: send back whatever arrives, until the client hangs up."""
    loop = asyncio.get_running_loop()
    with conn:
        while data := await loop.sock_recv(conn, 1024):
            print(f"server: echoing {data!r} to {name}")
            await loop.sock_sendall(conn, data)
    print(f"server: {name} hung up")

async def serve(listener, count):
    """Accept `count` connections, one echo task each."""
    loop = asyncio.get_running_loop()
    handlers = []
    for number in range(1, count + 1):
        conn, _ = await loop.sock_accept(listener)
        handlers.append(asyncio.create_task(echo(conn, f"client-{number}")))
    await asyncio.gather(*handlers)

async def client(port, name, words):
    loop = asyncio.get_running_loop()
    with socket.socket() as sock:
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        for word in words:
            await loop.sock_sendall(sock, word)
            reply = await loop.sock_recv(sock, 1024)
            print(f"{name}: sent {word!r}, got back {reply!r}")

async def main():
    with socket.create_server(("127.0.0.1", 0)) as listener:  # port 0: any free port
        listener.setblocking(False)
        port = listener.getsockname()[1]
        await asyncio.gather(
            serve(listener, 2),
            client(port, "client-1", [b"ping", b"pong"]),
            client(port, "client-2", [b"hello", b"world"]),
        )

await main()
'''

CELLS = [
    md(
        """
        # 5 · Selector I/O: sockets, `select` and `add_reader`

        *About 20 minutes.* Timers are one reason a task waits; the network is the other, and the one
        asyncio was built for. This notebook goes from a plain blocking socket to an echo server where
        one thread serves many clients, and shows, iteration by iteration, what the loop asks the
        operating system to watch.

        **What you'll learn**

        - socket programming with blocking calls, and why one blocked call stops a whole thread
          (seed 001, *Appendix 1*);
        - non-blocking sockets and `selectors`: the operating system tells you *which* socket is
          ready (seed 001, *Appendix 2*; seed 000 lacked this "OS-level readiness");
        - how the loop turns that into awaitables: `add_reader`, and `sock_recv` built on it;
        - an echo server with clients on 127.0.0.1, and what `select()` waits for at each iteration;
        - an awaitable I/O operation of your own;
        - threads: `run_in_executor` and `call_soon_threadsafe` (seed 000 lacked thread safety).
        """
    ),
    code(
        """
        %load_ext loop_magic
        import inspect

        import loop_impl
        import loop_magic
        from course_tools import show_state
        """
    ),
    md(
        """
        ## Blocking sockets

        A TCP server in plain Python. Every call here can **block**: `accept()` waits for a client,
        `recv()` waits for bytes. While one of them waits, its thread can do nothing else, so the server
        needs a thread of its own (and a real server, a thread per client):
        """
    ),
    code(
        """
        import socket
        import threading

        server = socket.create_server(("127.0.0.1", 0))  # port 0: the OS picks a free port
        port = server.getsockname()[1]

        def serve_one_client():
            conn, _ = server.accept()  # blocks until a client connects
            with conn:
                while data := conn.recv(1024):  # blocks until bytes arrive (b"" when the client hangs up)
                    conn.sendall(data)

        thread = threading.Thread(target=serve_one_client)
        thread.start()
        with socket.create_connection(("127.0.0.1", port)) as client:
            for word in (b"hello", b"world"):
                client.sendall(word)
                print("client got back", client.recv(1024))  # blocks until the echo arrives
        thread.join()
        server.close()
        """,
        checks=["blocking-echo"],
    ),
    md(
        """
        ## Non-blocking sockets and selectors

        A **non-blocking** socket never waits: if there is nothing to read, `recv()` raises
        `BlockingIOError` at once. Then who tells us when to try again? The operating system: a
        **selector** (`select`, `epoll` on Linux, `kqueue` on macOS) takes a list of sockets and the
        events we care about, and `select(timeout)` sleeps until one of them is ready, or the timeout
        runs out. One thread can watch thousands of sockets this way.
        """
    ),
    code(
        """
        import selectors

        a, b = socket.socketpair()  # two connected sockets
        a.setblocking(False)
        try:
            a.recv(1024)
        except BlockingIOError:
            print("recv on an empty non-blocking socket: BlockingIOError (nothing yet, try later)")

        selector = selectors.DefaultSelector()
        print("this machine's selector:", type(selector).__name__)
        selector.register(a, selectors.EVENT_READ, data="a is readable")
        print("select(timeout=0.1) ->", selector.select(timeout=0.1), "(nothing ready: it slept 0.1 s)")

        b.send(b"ping")
        for key, events in selector.select(timeout=1):
            print(f"select(timeout=1) -> {key.data!r}; recv -> {a.recv(1024)!r}")
        selector.close()
        a.close()
        b.close()
        """,
        checks=["selector-demo"],
    ),
    md(
        """
        That is the heart of every event loop: *register what you wait for; sleep in `select()`; run the
        code for whatever is ready; repeat.* Add timers (the `select` timeout, notebook 4) and a ready
        queue, and you have asyncio.

        ## The loop's side: `add_reader` and `sock_recv`

        `loop.add_reader(fd, callback)` means "when `fd` is readable, queue `callback`". The loop keeps
        one selector, and `_poll_selector` is the only place it ever sleeps:
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.selector_io.SelectorIO.add_reader))
        print(inspect.getsource(loop_impl.selector_io.SelectorIO._poll_selector))
        """,
        checks=["source:selector"],
    ),
    md(
        """
        The socket coroutines are built on it: try the non-blocking call first; if it would block,
        register a reader that retries it when the fd is ready, and await a future that the reader
        resolves. The task parks on the future (notebook 3) and costs nothing until data arrives:
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.selector_io.SelectorIO.sock_recv))
        print(inspect.getsource(loop_impl.selector_io.SelectorIO._sock_read))
        print(inspect.getsource(loop_impl.selector_io.SelectorIO._sock_read_ready))
        """,
        checks=["source:sock-recv"],
    ),
    md(
        """
        ## An echo server and two clients, in one thread

        Seed 001's empty section *io & select()*: a server that accepts two connections and echoes
        what each client sends, and two clients that each make two round trips, all in one thread on
        127.0.0.1. Every wait is a `sock_*` call, so every wait is a registration in the selector:
        """
    ),
    code(ECHO_SERVER, checks=["echo-round-trips"]),
    md(
        """
        Both clients talk at the same time; the server serves both, in one thread, without blocking.
        What did the loop ask `select()` at each iteration? For each one: the file descriptors
        registered in the selector, how long `select()` could wait, and which fds it reported ready
        (`r` readable, `w` writable):
        """
    ),
    code(
        """
        timeline = loop_magic.last_run().timeline()
        for frame, it in zip(timeline.frames(), timeline.layout.iterations):
            watched = ", ".join(f"{fd} {mode}" for fd, mode in frame.fds) or "nothing"
            if it.select_timeout is None:
                select = "select() blocks until an fd is ready"
            elif it.select_timeout > 0:
                select = f"select() waits up to {it.select_timeout:.3g} s"
            elif it.select_timeout == 0:
                select = "select() only polls (work is ready)"
            else:
                select = "no select() (work is ready)"
            ready = f" -> ready: {', '.join(it.io)}" if it.io else ""
            print(f"iteration {it.n:>2}: watching fds {watched:<32} {select}{ready}")
        """,
        checks=["select-story"],
    ),
    md(
        """
        When everything waits on the network, the loop has no timer to wake it, so `select()` gets no
        timeout at all: the loop sleeps until the kernel reports an fd ready. The state panel of the
        first such iteration:
        """
    ),
    code(
        """
        first_wait = next(k for k, it in enumerate(timeline.layout.iterations) if it.select_timeout is None)
        show_state(timeline.frames()[first_wait])
        """,
        checks=["state-selector"],
    ),
    md(
        """
        Seed 004 pictures the waiting differently: a "watcher-task" that checks on the request each time
        the loop cycles, until "after say 6 cycles" it sees it done. There is no such polling: the task
        is parked, the fd is registered, and the loop wakes *because* the kernel says the fd is ready.

        Same program on the real asyncio? The functions are defined now, so `await main()` is enough:
        """
    ),
    code(
        """
        %%tinyloop --compare --no-timeline
        await main()
        """,
        checks=["echo-round-trips", "compare-same"],
    ),
    md(
        """
        ## An I/O awaitable of your own

        Seed 004 asks *how would I write my own asynchronous variant of some operation (a network
        request, a file read)?* With `add_reader` and a future: register a callback that resolves the
        future when the socket is readable, and return the future. Whoever awaits it parks until the
        kernel says "readable":
        """
    ),
    code(
        """
        %%tinyloop --compare
        import socket

        def wait_readable(sock):
            \"\"\"An awaitable operation of our own: a future resolved when `sock` has data to read.\"\"\"
            loop = asyncio.get_running_loop()
            future = loop.create_future()

            def on_readable():
                loop.remove_reader(sock.fileno())  # one wake-up is enough
                future.set_result(None)

            loop.add_reader(sock.fileno(), on_readable)  # the selector queues it when the fd is readable
            return future

        async def reader(sock):
            print("reader: waiting until the socket is readable")
            await wait_readable(sock)
            print("reader: readable! recv ->", sock.recv(100))

        async def writer(sock):
            await asyncio.sleep(0.05)
            print("writer: sending")
            sock.send(b"hello")

        a, b = socket.socketpair()
        a.setblocking(False)
        await asyncio.gather(reader(a), writer(b))
        a.close()
        b.close()
        """,
        checks=["wait-readable", "compare-same"],
    ),
    md(
        """
        On the timeline, `reader` waits on a `Future`, and the wake-up arrow says *fd ready*: the loop
        knew the awaited thing was done because the selector told it, not because anyone checked.

        ## In practice: streams

        Real code rarely calls `sock_recv`; it uses **streams**: `asyncio.start_server` and
        `asyncio.open_connection`, built on the same selector (through transports and protocols). A
        line-based echo server that shouts back, two clients, and their round trips:
        """
    ),
    code(
        """
        %%tinyloop --compare
        async def handle(reader, writer):
            name = (await reader.readline()).decode().strip()
            while line := await reader.readline():
                print(f"server: {name} sent {line!r}")
                writer.write(line.upper())
                await writer.drain()
            writer.close()
            served.append(name)

        async def client(port, name, lines):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"{name}\\n".encode())
            for line in lines:
                writer.write(line)
                await writer.drain()
                reply = await reader.readline()
                print(f"{name}: round trip {line!r} -> {reply!r}")
            writer.close()
            await writer.wait_closed()

        served = []
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            await asyncio.gather(client(port, "alice", [b"hi\\n", b"bye\\n"]), client(port, "bob", [b"yo\\n"]))
        """,
        checks=["streams-round-trips", "compare-same"],
    ),
    md(
        """
        ## A subprocess's pipes in the selector

        A child process talks to its parent through **pipes**, and a pipe is one more file descriptor.
        `asyncio.create_subprocess_exec` starts the child, then hands each of its pipes to the loop:
        `stdin` becomes a write pipe, `stdout` a read pipe, both registered in the same selector as the
        sockets above. Even the child's exit is an fd: Linux gives the loop a *pidfd* for the process,
        readable when it exits, so waiting for a child costs no thread and no polling.
        `communicate()` then writes, reads and waits all at once. Step through it with the slider:
        """
    ),
    code(
        """
        %%tinyloop
        proc = await asyncio.create_subprocess_exec(
            "cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        stdout_fd = proc._transport.get_pipe_transport(1)._fileno
        stdin_fd = proc._transport.get_pipe_transport(0)._fileno
        out, _ = await proc.communicate(b"hello through a pipe")
        print(f"cat (pid {proc.pid}) sent back {out!r} and exited with {proc.returncode}")
        """,
        checks=["subprocess-cat"],
    ),
    md(
        """
        What the selector watched, iteration by iteration. Three fds: the child's exit (its pidfd),
        `stdin`'s write end (watched for readability: that is how a writer learns the reader has gone),
        and `stdout`, where `cat`'s answer arrives:
        """
    ),
    code(
        """
        timeline = loop_magic.last_run().timeline()
        names = {stdin_fd: "stdin", stdout_fd: "stdout"}
        for frame, it in zip(timeline.frames(), timeline.layout.iterations):
            watched = ", ".join(f"{fd} ({names.get(fd, 'pidfd')})" for fd, _mode in frame.fds) or "nothing"
            ready = f" -> ready: {', '.join(it.io)}" if it.io else ""
            print(f"iteration {it.n:>2}: watching {watched}{ready}")
        busiest = max(range(len(timeline.frames())), key=lambda k: len(timeline.frames()[k].fds))
        show_state(timeline.frames()[busiest])
        """,
        checks=["subprocess-selector"],
    ),
    md(
        """
        On the timeline, the task reading `stdout` waits on `read fd N` and is woken by *fd N ready*,
        exactly like the echo server's sockets: to the loop, a child process is just more file
        descriptors.

        ## Threads: `run_in_executor` and `call_soon_threadsafe`

        The loop runs in one thread, and its queues are not meant to be touched from others. Two doors
        are safe (seed 000's loop had neither):

        - `await loop.run_in_executor(None, f, *args)` runs a blocking function in a worker thread
          and gives you a future for its result: the loop stays free meanwhile;
        - `loop.call_soon_threadsafe(callback, *args)`, called from another thread, queues the callback
          **and wakes the loop** out of `select()`, by writing a byte into a socket the loop itself
          watches (the "self-pipe"):
        """
    ),
    code(
        """
        print(inspect.getsource(loop_impl.loop.EventLoop.call_soon_threadsafe))
        print(inspect.getsource(loop_impl.selector_io.SelectorIO._drain_self_pipe))
        """,
        checks=["source:threadsafe"],
    ),
    code(
        """
        %%tinyloop --compare
        import threading
        import time

        def blocking_job(n):
            time.sleep(0.05)  # blocking, but in a worker thread: the loop stays free
            return n * n

        async def main():
            loop = asyncio.get_running_loop()
            print("run_in_executor ->", await loop.run_in_executor(None, blocking_job, 7))
            future = loop.create_future()

            def in_another_thread():
                time.sleep(0.05)
                loop.call_soon_threadsafe(future.set_result, "hello from a thread")

            threading.Thread(target=in_another_thread).start()
            print("call_soon_threadsafe ->", await future)

        await main()
        """,
        checks=["threads", "compare-same"],
    ),
    md(
        """
        ## Recap

        - A blocking call stops its whole thread. Non-blocking sockets + a selector let one thread wait
          for many sockets: `select(timeout)` sleeps until one is ready.
        - The loop: `add_reader(fd, callback)` registers; `_poll_selector` sleeps in `select()` and
          queues the callbacks of ready fds; `sock_recv` tries, registers, and awaits a future.
        - With only I/O to wait for, `select()` has no timeout: the loop sleeps until the kernel wakes it.
        - Your own I/O awaitable: a future + `add_reader` (or `add_writer`) that resolves it.
        - Streams (`start_server`, `open_connection`) are the everyday API on top.
        - A subprocess's pipes, and its exit (a pidfd), are fds in the same selector.
        - Other threads: `run_in_executor` for blocking work, `call_soon_threadsafe` to call in (it wakes
          `select()` through the self-pipe).

        **Questions to try**

        1. Give the echo server a third client. How many fds does the selector watch at the busiest
           iteration?
        2. In `wait_readable`, remove the `remove_reader` call. What goes wrong on the next iteration, and
           which error do you get?
        3. Make one client `await asyncio.sleep(1)` between its two words (add `--virtual-time`). What
           `select()` timeout does the loop use while it waits?
        4. Call `future.set_result(...)` directly from the thread, instead of `call_soon_threadsafe`. Why
           can the loop then sleep through it?

        Next: **06_gather_cancel_timeouts.ipynb**: many tasks at once, and how to stop them.
        """
    ),
]
