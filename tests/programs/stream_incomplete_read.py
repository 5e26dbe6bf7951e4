"""The peer closes early: IncompleteReadError carries what did arrive.

Also: two coroutines reading one stream at once is a RuntimeError, and an
exception set on the reader is raised by every later read.
"""
import asyncio

SENDS = [b"12345", b"no separator here", b"half a line"]


async def handle(reader, writer):
    index = int(await reader.readexactly(1))
    writer.write(SENDS[index])
    await writer.drain()
    writer.close()  # close early: the client wanted more


async def ask(port, index):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(str(index).encode())
    return reader, writer


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    reader, writer = await ask(port, 0)
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print(type(e).__name__, "|", e, "| partial", e.partial, "expected", e.expected)
        print("is EOFError:", isinstance(e, EOFError))
    writer.close()

    reader, writer = await ask(port, 1)
    try:
        await reader.readuntil(b"\r\n")
    except asyncio.IncompleteReadError as e:
        print(type(e).__name__, "|", e, "| partial", e.partial, "expected", e.expected)
    print("buffer emptied:", await reader.read())
    writer.close()

    reader, writer = await ask(port, 2)
    print("readline returns the partial line:", await reader.readline())
    print("then:", await reader.readline())
    writer.close()

    # Two readers on one stream.
    reader, writer = await ask(port, 0)
    first = asyncio.create_task(reader.readexactly(100))
    await asyncio.sleep(0)
    try:
        await reader.read(1)
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        await first
    except asyncio.IncompleteReadError as e:
        print("first reader:", e.partial)
    writer.close()

    # set_exception: the waiting reader and every later read raise it.
    r = asyncio.StreamReader()
    waiting = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    r.set_exception(ConnectionResetError("gone"))
    for coro in (waiting, r.read(1), r.readexactly(1), r.readuntil(b"x")):
        try:
            await coro
        except ConnectionResetError as e:
            print("raised:", repr(e), "exception():", repr(r.exception()))

    server.close()
    await server.wait_closed()


asyncio.run(main())
