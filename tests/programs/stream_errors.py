"""Errors on streams: a failing client_connected_cb, writing to a peer that
has gone, and a read cancelled while it waits.
"""
import asyncio


async def failing(reader, writer):
    await reader.readline()
    raise KeyError("boom")


async def closer(reader, writer):
    writer.close()


async def silent(reader, writer):
    await reader.read()
    writer.close()


def handler(loop, context):
    exc = context.get("exception")
    print(f"exception handler: {context['message']}: {exc!r}")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)

    # 1. The handler coroutine raises: asyncio reports it and closes the connection.
    server = await asyncio.start_server(failing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"go\n")
    print("client reads after the handler failed:", await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    # 2. The server hangs up; the client keeps writing.
    server = await asyncio.start_server(closer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("client sees EOF:", await reader.read())
    print("client closing?", writer.is_closing())
    errors = []
    for i in range(5):
        try:
            writer.write(b"data")
            await writer.drain()
        except ConnectionError as e:
            errors.append(type(e).__name__)
            break
        await asyncio.sleep(0.01)
    print("writing to a closed peer ended with:", errors)
    print("closing now?", writer.is_closing())
    writer.close()
    try:
        await writer.wait_closed()
        print("wait_closed: ok")
    except ConnectionError as e:
        print("wait_closed raised a ConnectionError")
    server.close()
    await server.wait_closed()

    # 3. A read cancelled while waiting; the stream stays usable.
    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        await asyncio.wait_for(reader.readline(), timeout=0.01)
    except TimeoutError:
        print("readline timed out")
    task = asyncio.create_task(reader.readexactly(5))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("readexactly cancelled")
    writer.write_eof()
    print("reader still works:", await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
