"""sendfile of a temporary file: loop.sock_sendfile on a socket, loop.sendfile on a transport, the fallback."""

import asyncio
import os
import socket
import tempfile

DATA = bytes(range(256)) * 4000  # about 1 MB


async def main():
    loop = asyncio.get_running_loop()
    received = []

    async def collect(reader, writer):
        received.append(await reader.read())
        writer.close()

    server = await asyncio.start_server(collect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    with tempfile.TemporaryFile() as f:
        f.write(DATA)
        f.flush()
        f.seek(0)

        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        sent = await loop.sock_sendfile(sock, f)
        print("sock_sendfile sent", sent, "file position", f.tell())
        sock.close()

        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        sent = await loop.sock_sendfile(sock, f, offset=1000, count=5000)
        print("offset+count sent", sent, "file position", f.tell())
        sock.close()

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"header:")
        sent = await loop.sendfile(writer.transport, f, offset=10, count=100_000)
        writer.write(b":trailer")
        writer.close()
        await writer.wait_closed()
        print("transport sendfile sent", sent)

        # A file object without fileno(): native sendfile is not available.
        class NoFileno:
            mode = "rb"

            def __init__(self, data):
                self.inner = tempfile.SpooledTemporaryFile()
                self.inner.write(data)
                self.inner.seek(0)

            def readinto(self, buf):
                return self.inner.readinto(buf)

            def seek(self, pos):
                return self.inner.seek(pos)

        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        try:
            await loop.sock_sendfile(sock, NoFileno(b"abc"), fallback=False)
        except asyncio.SendfileNotAvailableError as exc:
            print("SendfileNotAvailableError:", exc)
        print("fallback sent", await loop.sock_sendfile(sock, NoFileno(b"through the fallback")))
        sock.close()

        unconnected = socket.socket()
        for kwargs in ({"offset": -1}, {"offset": "0"}, {"count": 0}, {"count": 1.5}):
            try:
                await loop.sock_sendfile(unconnected, f, **kwargs)
            except (ValueError, TypeError) as exc:
                print(type(exc).__name__, exc)
        with tempfile.TemporaryFile("w+") as text:
            try:
                await loop.sock_sendfile(unconnected, text)
            except ValueError as exc:
                print("ValueError", exc)
        unconnected.close()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            await loop.sock_sendfile(udp, f)
        except ValueError as exc:
            print("ValueError", exc)
        udp.close()
        dgram, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0))
        try:
            await loop.sendfile(dgram, f)
        except RuntimeError as exc:
            print("RuntimeError", str(exc).split(" for")[0])
        dgram.close()

    for _ in range(100):
        if len(received) == 4:
            break
        await asyncio.sleep(0.01)
    expected = [DATA, DATA[1000:6000], b"header:" + DATA[10:100_010] + b":trailer", b"through the fallback"]
    print("every byte arrived in order:", sorted(received, key=len) == sorted(expected, key=len))
    server.close()
    await server.wait_closed()


asyncio.run(main())
