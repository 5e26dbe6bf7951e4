"""Read-side flow control: past 2 * limit buffered bytes the reader pauses
its transport; a read that brings the buffer back to the limit resumes it.
"""
import asyncio

SIZE = 200_000


async def handle(reader, writer):
    writer.write(b"a" * SIZE)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1000)
    transport = writer.transport
    print("reading at first:", transport.is_reading())
    await asyncio.sleep(0.02)
    print("after the data arrived, reading:", transport.is_reading(), "paused:", "paused" in repr(reader))
    await reader.readexactly(10)
    print("read 10 bytes, still paused:", not transport.is_reading())
    total = 10
    while True:
        chunk = await reader.read(500)
        if not chunk:
            break
        total += len(chunk)
    print("read all:", total, "reading:", transport.is_reading())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
