"""Unix sockets in a temporary directory: a streams echo server, the protocol level, sock_connect on a path."""

import asyncio
import os
import socket
import tempfile


async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(b"echo: " + line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "echo.sock")
        server = await asyncio.start_unix_server(handle, path)
        print("listening on a socket file:", os.path.exists(path), server.is_serving())
        print("sockname is the path:", server.sockets[0].getsockname() == path)
        reader, writer = await asyncio.open_unix_connection(path)
        for word in (b"alpha\n", b"beta\n"):
            writer.write(word)
            print(await reader.readline())
        print("peername is the path:", writer.get_extra_info("peername") == path, "family:", writer.get_extra_info("socket").family)
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        # (3.13 removes the file on close; 3.11 and 3.12 leave it.)
        print("socket file after close:", os.path.exists(path))

        # A stale socket file from a dead server does not stop a new one.
        path = os.path.join(tmp, "stale.sock")
        stale = socket.socket(socket.AF_UNIX)
        stale.bind(path)
        stale.close()
        server = await loop.create_unix_server(asyncio.Protocol, path)
        print("bound over a stale file:", server.is_serving())
        try:
            await loop.create_unix_server(asyncio.Protocol, path)
        except OSError as exc:
            print("second bind:", type(exc).__name__)

        # The protocol level, and a socket we connect ourselves.
        got = loop.create_future()

        class Client(asyncio.Protocol):
            def connection_made(self, transport):
                print("client connection_made")

            def connection_lost(self, exc):
                print("client connection_lost", exc)
                got.set_result(None)

        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        await loop.sock_connect(sock, path)
        transport, _ = await loop.create_unix_connection(Client, sock=sock)
        transport.close()
        await got
        server.close()
        await server.wait_closed()

        for kwargs in ({}, {"path": path, "sock": socket.socket(socket.AF_UNIX)},
                       {"sock": socket.socket(socket.AF_INET)}, {"path": path, "server_hostname": "x"}):
            try:
                await loop.create_unix_connection(asyncio.Protocol, **kwargs)
            except (ValueError, OSError) as exc:
                print(type(exc).__name__, str(exc).split(", got")[0])
            finally:
                if "sock" in kwargs:
                    kwargs["sock"].close()
        for kwargs in ({}, {"sock": socket.socket(socket.AF_INET)}, {"path": path, "ssl": True}):
            try:
                await loop.create_unix_server(asyncio.Protocol, **kwargs)
            except (ValueError, TypeError) as exc:
                print(type(exc).__name__, str(exc).split(", got")[0])
            finally:
                if "sock" in kwargs:
                    kwargs["sock"].close()
        try:
            await asyncio.open_unix_connection(os.path.join(tmp, "nobody.sock"))
        except FileNotFoundError as exc:
            print("nobody listens:", type(exc).__name__)


asyncio.run(main())
