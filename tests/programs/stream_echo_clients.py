"""Echo server with three concurrent clients: who runs when, line by line.

Each client sends two lines and reads the echoes; the server handler echoes
until EOF. Printed lines show the interleaving of server and client tasks
(the server handler runs as a task started from connection_made).
"""
import asyncio

log = []


async def handle(reader, writer):
    peer = writer.get_extra_info("peername")
    name = f"h{len(handlers)}"
    handlers[peer] = name
    log.append(f"{name}: connected")
    while True:
        line = await reader.readline()
        if not line:
            break
        log.append(f"{name}: echo {line!r}")
        writer.write(line)
        await writer.drain()
    log.append(f"{name}: eof")
    writer.close()
    await writer.wait_closed()
    log.append(f"{name}: closed")


handlers = {}


async def client(i, port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    log.append(f"c{i}: connected")
    for n in range(2):
        writer.write(f"c{i} line {n}\n".encode())
        await writer.drain()
        reply = await reader.readline()
        log.append(f"c{i}: got {reply!r}")
    writer.close()
    await writer.wait_closed()
    log.append(f"c{i}: closed")
    return i


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    log.append(f"listening: {len(server.sockets)} socket(s), serving={server.is_serving()}")
    results = await asyncio.gather(*(client(i, port) for i in range(3)))
    log.append(f"results {results}")
    server.close()
    await server.wait_closed()
    log.append(f"server closed, serving={server.is_serving()}, sockets={server.sockets}")
    # Let the handlers see EOF and finish.
    for _ in range(5):
        await asyncio.sleep(0)
    for line in log:
        print(line)


asyncio.run(main())
