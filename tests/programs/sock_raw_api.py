"""The loop's low-level socket coroutines on non-blocking sockets.

sock_accept / sock_connect / sock_sendall / sock_recv / sock_recv_into,
with a ticker counting loop iterations so the printed order shows when each
call had to wait for the selector.
"""
import asyncio
import socket

turns = 0


async def ticker():
    global turns
    while True:
        await asyncio.sleep(0)
        turns += 1


async def serve(loop, lsock):
    conn, addr = await loop.sock_accept(lsock)
    accepted.append(addr)
    print(f"  [{turns}] server: accepted, non-blocking={conn.gettimeout() == 0}")
    with conn:
        data = await loop.sock_recv(conn, 100)
        print(f"  [{turns}] server: recv {data!r}")
        await loop.sock_sendall(conn, data.upper() * 2)
        print(f"  [{turns}] server: sent reply")
        total = 0
        while True:
            chunk = await loop.sock_recv(conn, 65536)
            if not chunk:
                break
            total += len(chunk)
        print(f"  server: bulk received {total} bytes, then EOF")
        await loop.sock_sendall(conn, b"bye")


accepted = []


async def main():
    loop = asyncio.get_running_loop()
    tick = asyncio.create_task(ticker())
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen()
    lsock.setblocking(False)
    server = asyncio.create_task(serve(loop, lsock))
    await asyncio.sleep(0)
    print(f"[{turns}] server task waits in sock_accept")

    csock = socket.socket()
    csock.setblocking(False)
    await loop.sock_connect(csock, lsock.getsockname())
    print(f"[{turns}] client: connected, server saw our address: {accepted == [csock.getsockname()]}")
    await loop.sock_sendall(csock, b"hello")
    print(f"[{turns}] client: sent")
    buf = bytearray(10)
    view = memoryview(buf)
    got = 0
    while got < 10:
        n = await loop.sock_recv_into(csock, view[got:])
        got += n
    print(f"[{turns}] client: recv_into {bytes(buf)!r}")
    payload = bytes(range(256)) * 4096  # 1 MiB: sock_sendall must wait for the reader
    await loop.sock_sendall(csock, payload)
    print(f"client: bulk sent {len(payload)} bytes")
    csock.shutdown(socket.SHUT_WR)
    print("client: last reply", await loop.sock_recv(csock, 10))
    await server
    csock.close()
    lsock.close()
    tick.cancel()


asyncio.run(main())
