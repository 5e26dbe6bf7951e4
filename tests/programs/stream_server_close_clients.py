# requires-python: 3.13 Server.close_clients() and abort_clients() (gh-113538)
"""Server.close_clients() closes the connections it accepted; abort_clients() drops them at once."""
import asyncio


accepted = None  # a queue: each handler says it runs (why: no sleep has to guess how long accepting takes)


async def handle(reader, writer):
    accepted.put_nowait(writer)
    data = await reader.read()
    print("handler: read", data, "then the server closed us")


async def main():
    global accepted
    accepted = asyncio.Queue()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
    for _ in clients:
        await accepted.get()
    server.close()
    server.close_clients()
    for reader, writer in clients:
        print("client got EOF:", await reader.read() == b"")
        writer.close()
        await writer.wait_closed()
    await server.wait_closed()
    print("wait_closed done")
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await accepted.get()
    server.close()
    server.abort_clients()
    try:
        print("after abort:", await reader.read())
    except ConnectionResetError as e:
        print("after abort: ConnectionResetError", e.errno)
    writer.close()
    await server.wait_closed()
    print("done")


asyncio.run(main())
