"""Server: start_serving=False, close, wait_closed, async with, serve_forever.

wait_closed() started before close() waits for the last connection to end;
in Python 3.11 a wait_closed() called after close() returns at once, from
3.12.1 it waits for the connections too (gh-79033): the program prints which.
"""
import asyncio

release = None


async def handle(reader, writer):
    print("handler: connected")
    await reader.read()  # until the client closes
    print("handler: client gone")
    writer.close()
    await writer.wait_closed()
    print("handler: closed")


async def main():
    global release
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
    print("created: serving", server.is_serving(), "get_loop ok", server.get_loop() is loop)
    await server.start_serving()
    print("started: serving", server.is_serving())
    port = server.sockets[0].getsockname()[1]

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.01)
    waiter = asyncio.create_task(server.wait_closed())
    await asyncio.sleep(0)
    print("wait_closed pending before close:", not waiter.done())
    server.close()
    print("closed: serving", server.is_serving(), "sockets", server.sockets)
    await asyncio.sleep(0.01)
    print("wait_closed pending while a connection lives:", not waiter.done())
    late = asyncio.ensure_future(server.wait_closed())
    await asyncio.sleep(0.01)
    print("wait_closed after close() returned at once:", late.done())
    writer.close()
    await writer.wait_closed()
    print("client closed")
    await waiter
    await late
    print("early wait_closed done", late.done())
    server.close()  # a second close is harmless

    # async with: the server is closed on exit.
    async with await asyncio.start_server(handle, "127.0.0.1", 0) as srv:
        print("in async with: serving", srv.is_serving())
    print("after async with: serving", srv.is_serving(), "sockets", srv.sockets)

    # serve_forever until cancelled.
    srv = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
    task = asyncio.create_task(srv.serve_forever())
    await asyncio.sleep(0)
    print("serve_forever: serving", srv.is_serving())
    try:
        await srv.serve_forever()
    except RuntimeError as e:
        print("RuntimeError:", str(e).split(" is ")[1])
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("serve_forever cancelled: serving", srv.is_serving(), "sockets", srv.sockets)
    try:
        await srv.serve_forever()
    except RuntimeError as e:
        print("RuntimeError:", e)


asyncio.run(main())
