"""UDP on 127.0.0.1: a datagram echo server and client, then the raw sock_* calls."""

import asyncio
import socket


class EchoServer(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
        print("server: connection_made")

    def datagram_received(self, data, addr):
        print("server got", data)
        self.transport.sendto(data.upper(), addr)


class Client(asyncio.DatagramProtocol):
    def __init__(self, done):
        self.done = done
        self.got = []

    def connection_made(self, transport):
        print("client: connection_made, peer is server:", transport.get_extra_info("peername") is not None)

    def datagram_received(self, data, addr):
        self.got.append(data)
        print("client got", data)
        if len(self.got) == 3:
            self.done.set_result(self.got)

    def error_received(self, exc):
        print("client error", type(exc).__name__)

    def connection_lost(self, exc):
        print("client: connection_lost", exc)


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(EchoServer, local_addr=("127.0.0.1", 0))
    addr = server.get_extra_info("sockname")
    done = loop.create_future()
    client, proto = await loop.create_datagram_endpoint(lambda: Client(done), remote_addr=addr)
    for word in (b"one", b"two", b"three"):
        client.sendto(word)
    print("got all:", await asyncio.wait_for(done, 5))
    try:
        client.sendto(b"x", ("127.0.0.1", 1))
    except ValueError as exc:
        print("ValueError:", str(exc).split(" must")[0])
    try:
        client.sendto("text")
    except TypeError as exc:
        print("TypeError:", exc)
    print("buffer size", client.get_write_buffer_size(), "closing", client.is_closing())
    client.close()
    print("closing after close", client.is_closing())
    await asyncio.sleep(0)

    # The raw socket coroutines.
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for s in (a, b):
        s.setblocking(False)
        s.bind(("127.0.0.1", 0))
    reader = asyncio.ensure_future(loop.sock_recvfrom(b, 100))
    await asyncio.sleep(0)
    sent = await loop.sock_sendto(a, b"ping", b.getsockname())
    data, frm = await reader
    print("sock_sendto sent", sent, "sock_recvfrom got", data, "from a:", frm == a.getsockname())
    buf = bytearray(10)
    await loop.sock_sendto(b, b"pong", a.getsockname())
    n, frm = await loop.sock_recvfrom_into(a, buf)
    print("sock_recvfrom_into", n, bytes(buf[:n]), frm == b.getsockname())
    await loop.sock_sendto(b, b"abcdef", a.getsockname())
    n, _ = await loop.sock_recvfrom_into(a, buf, 3)
    print("nbytes=3 ->", n, bytes(buf[:n]))
    a.close()
    b.close()

    # An error that is not fatal: nobody listens on the port.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    free = probe.getsockname()
    probe.close()
    errors = loop.create_future()

    class Lonely(asyncio.DatagramProtocol):
        def error_received(self, exc):
            if not errors.done():
                errors.set_result(type(exc).__name__)

    t, _ = await loop.create_datagram_endpoint(Lonely, remote_addr=free)
    t.sendto(b"anyone?")
    print("error_received:", await asyncio.wait_for(errors, 5), "closing:", t.is_closing())
    t.close()
    server.close()
    await asyncio.sleep(0)

    for kwargs in ({}, {"local_addr": "127.0.0.1"}):
        try:
            await loop.create_datagram_endpoint(asyncio.DatagramProtocol, **kwargs)
        except (ValueError, TypeError) as exc:
            print(type(exc).__name__, exc)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, sock=s, local_addr=("127.0.0.1", 0))
    except ValueError as exc:
        print("ValueError", exc)
    t, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, sock=s)
    print("with sock:", t.get_extra_info("socket").family)
    t.close()
    t, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0), reuse_port=True, allow_broadcast=True
    )
    sock = t.get_extra_info("socket")
    print("reuse_port", bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)),
          "broadcast", bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST)))
    t.close()
    await asyncio.sleep(0)


asyncio.run(main())
