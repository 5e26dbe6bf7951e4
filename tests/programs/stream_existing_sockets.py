"""Streams over sockets made elsewhere: start_server(sock=...),
open_connection(sock=...), and loop.connect_accepted_socket().
"""
import asyncio
import socket


class Upper(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        print("protocol: connection_made")

    def data_received(self, data):
        self.transport.write(data.upper())

    def connection_lost(self, exc):
        print("protocol: connection_lost", exc)


async def handle(reader, writer):
    line = await reader.readline()
    writer.write(b"echo: " + line)
    await writer.drain()
    writer.close()


async def main():
    loop = asyncio.get_running_loop()

    # A listening socket we made ourselves.
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    server = await asyncio.start_server(handle, sock=lsock)
    print("same socket:", server.sockets[0].fileno() == lsock.fileno(), "serving:", server.is_serving())

    # A client socket connected with a plain blocking connect().
    csock = socket.create_connection(lsock.getsockname())
    reader, writer = await asyncio.open_connection(sock=csock)
    print("client socket made non-blocking:", csock.gettimeout() == 0.0)
    writer.write(b"hi\n")
    print(await reader.readline())
    print("then EOF:", await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print("listening socket closed with the server:", lsock.fileno() == -1)

    # A socket accepted by hand, handed to a protocol.
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen()
    lsock.setblocking(False)
    client = asyncio.create_task(asyncio.open_connection(*lsock.getsockname()))
    conn, _ = await loop.sock_accept(lsock)
    transport, proto = await loop.connect_accepted_socket(Upper, conn)
    reader, writer = await client
    writer.write(b"shout")
    print(await reader.readexactly(5))
    writer.close()
    await writer.wait_closed()
    await asyncio.sleep(0.01)
    lsock.close()

    udp = socket.socket(type=socket.SOCK_DGRAM)
    try:
        await asyncio.open_connection(sock=udp)
    except ValueError as e:
        print("ValueError:", str(e).split(",")[0])
    finally:
        udp.close()


asyncio.run(main())
