"""Connecting to a port nobody listens on: ConnectionRefusedError.

The port comes from a socket we bound and closed, so nothing listens there.
Also the ValueErrors of create_connection/create_server for bad arguments.
"""
import asyncio
import errno
import socket


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


async def main():
    loop = asyncio.get_running_loop()
    port = closed_port()
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        print("open_connection:", type(e).__name__, errno.errorcode[e.errno], str(e).replace(str(port), "PORT"))

    sock = socket.socket()
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, ("127.0.0.1", port))
    except ConnectionRefusedError as e:
        print("sock_connect:", type(e).__name__, str(e).replace(str(port), "PORT"))
    finally:
        sock.close()

    # The same error through wait_for: the timeout is not what ends it.
    try:
        await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout=5)
    except ConnectionRefusedError as e:
        print("wait_for:", type(e).__name__)

    # Bad arguments.
    spare = socket.socket()
    checks = [
        ("no address", asyncio.open_connection()),
        ("host and sock", loop.create_connection(asyncio.Protocol, "127.0.0.1", port, sock=spare)),
        ("server_hostname", asyncio.open_connection("127.0.0.1", port, server_hostname="x")),
        ("server without address", loop.create_server(asyncio.Protocol)),
        ("ssl=True server", loop.create_server(asyncio.Protocol, "127.0.0.1", 0, ssl=True)),
    ]
    for label, coro in checks:
        try:
            await coro
        except (ValueError, TypeError) as e:
            print(f"{label}: {type(e).__name__}: {e}")
    spare.close()

    # Binding a port that is in use.
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    used = server.sockets[0].getsockname()[1]
    try:
        await asyncio.start_server(lambda r, w: None, "127.0.0.1", used, reuse_address=False)
    except OSError as e:
        print("bind in use:", type(e).__name__, errno.errorcode[e.errno], str(e).replace(str(used), "PORT"))
    server.close()
    await server.wait_closed()


asyncio.run(main())
