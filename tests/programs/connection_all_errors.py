"""create_connection(all_errors=True), 3.12+ (gh-93973): when every address fails, an
ExceptionGroup of every failure instead of one OSError; before 3.12, a TypeError. Here
two closed ports on 127.0.0.1, one address each, so one failure each."""

import asyncio
import socket


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def main():
    loop = asyncio.get_running_loop()
    port = closed_port()
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    except OSError as exc:
        print("without all_errors:", type(exc).__name__)
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", port, all_errors=True)
    except ExceptionGroup as group:
        print("all_errors:", type(group).__name__, "-", group.message, "-", [type(e).__name__ for e in group.exceptions])
    except TypeError as exc:
        print("TypeError:", str(exc).partition("()")[2].strip())


asyncio.run(main())
