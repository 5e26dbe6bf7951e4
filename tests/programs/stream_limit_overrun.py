"""The reader's limit: LimitOverrunError from readuntil, ValueError from readline.

readuntil keeps the data (it can be read again); readline drops the long
line. readexactly and read are not limited: a reader paused at 2 * limit
bytes is resumed when a read needs more.
"""
import asyncio


async def handle(reader, writer):
    writer.write(b"x" * 20 + b"\n" + b"short\n" + b"y" * 30 + b"\nok\n" + b"z" * 40 + b"|" + b"w" * 5000)
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=16)
    await asyncio.sleep(0.01)  # everything has arrived
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        print("LimitOverrunError:", e, "consumed", e.consumed)
    print("still there:", await reader.readexactly(21))
    print("readline:", await reader.readline())
    try:
        await reader.readline()
    except ValueError as e:
        print("ValueError:", e, type(e).__name__)
    print("long line dropped, next:", await reader.readline())
    try:
        await reader.readuntil(b"|")
    except asyncio.LimitOverrunError as e:
        print("LimitOverrunError:", e, "consumed", e.consumed)
    try:
        await reader.readline()
    except ValueError as e:
        print("ValueError:", e)
    rest = await reader.read()
    print("read() after that:", len(rest), "bytes", set(rest))
    writer.close()

    # A hand-fed reader: the separator is found but lies beyond the limit.
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"abcdefgh;")
    try:
        await r.readuntil(b";")
    except asyncio.LimitOverrunError as e:
        print("LimitOverrunError:", e, "consumed", e.consumed)
    print("readexactly is not limited:", await r.readexactly(9))
    print("repr:", r)
    server.close()
    await server.wait_closed()


asyncio.run(main())
