"""readline / readuntil / readexactly / read(n) / read() / async for / at_eof.

The server sends a script in small pieces with a yield between them, so the
client's reads sometimes find the data already there and sometimes wait.
"""
import asyncio

PIECES = [b"first line\nsec", b"ond line\nAB", b"CDEF", b"--END--tail", b" part\nx\ny\n", b"rest"]


async def handle(reader, writer):
    for piece in PIECES:
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(0.001)
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("readline:", await reader.readline())
    print("readline:", await reader.readline())
    print("readexactly(3):", await reader.readexactly(3))
    print("readuntil(b'--END--'):", await reader.readuntil(b"--END--"))
    print("read(0):", await reader.read(0))
    print("readexactly(0):", await reader.readexactly(0))
    print("readline:", await reader.readline())
    async for line in reader:
        print("async for:", line)
        if line == b"y\n":
            break
    print("at_eof before read():", reader.at_eof())
    print("read():", await reader.read())
    print("at_eof after read():", reader.at_eof())
    print("read() again:", await reader.read())
    print("readline at eof:", await reader.readline())
    print("read(5) at eof:", await reader.read(5))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    # A StreamReader can also be fed by hand, without any transport.
    r = asyncio.StreamReader()
    r.feed_data(b"abc\ndef")
    print("fed readline:", await r.readline())
    waiter = asyncio.create_task(r.readuntil(b"!"))
    await asyncio.sleep(0)
    print("waiting:", not waiter.done())
    r.feed_data(b"gh!ij")
    print("fed readuntil:", await waiter)
    r.feed_eof()
    print("fed read(1):", await r.read(1), "at_eof:", r.at_eof())
    print("fed read():", await r.read(), "at_eof:", r.at_eof())
    for bad in (lambda: r.readexactly(-1), lambda: r.readuntil(b"")):
        try:
            await bad()
        except ValueError as e:
            print("ValueError:", e)
    try:
        asyncio.StreamReader(limit=0)
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
