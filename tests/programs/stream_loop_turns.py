"""How many loop iterations each stream operation takes.

A ticker task counts iterations (one sleep(0) each). main prints the count
after each step: start_server (address lookup in a gathered task, then a
sleep(0)), open_connection (connect, then connection_made, then the
waiter), a write + readline round trip, close + wait_closed. Task names
show the tasks asyncio creates behind the scenes.
"""
import asyncio

turns = 0


async def ticker():
    global turns
    while True:
        await asyncio.sleep(0)
        turns += 1


def names():
    return sorted(t.get_name() for t in asyncio.all_tasks())


async def handle(reader, writer):
    print(f"  [{turns}] handler starts as {asyncio.current_task().get_name()}")
    line = await reader.readline()
    print(f"  [{turns}] handler got {line!r}")
    writer.write(line.upper())
    await writer.drain()
    print(f"  [{turns}] handler wrote")
    await reader.read()
    print(f"  [{turns}] handler saw EOF")
    writer.close()
    await writer.wait_closed()
    print(f"  [{turns}] handler closed")


async def main():
    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    print(f"[{turns}] start")
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"[{turns}] server up; tasks {names()}")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print(f"[{turns}] client connected; tasks {names()}")
    writer.write(b"ping\n")
    print(f"[{turns}] client wrote (buffer {writer.transport.get_write_buffer_size()})")
    await writer.drain()
    print(f"[{turns}] drain returned")
    reply = await reader.readline()
    print(f"[{turns}] client got {reply!r}")
    writer.close()
    print(f"[{turns}] client closing={writer.is_closing()}")
    await writer.wait_closed()
    print(f"[{turns}] client closed")
    server.close()
    await server.wait_closed()
    print(f"[{turns}] server closed")
    for _ in range(4):
        await asyncio.sleep(0)
    print(f"[{turns}] end; tasks {names()}")
    tick.cancel()


asyncio.run(main())
