"""Protocols and transports directly: the order of the callbacks.

loop.create_server / loop.create_connection with asyncio.Protocol
subclasses that log every callback, interleaved with what the main task
prints. eof_received() returning a false value makes the transport close.
"""
import asyncio

log = []


class Logged(asyncio.Protocol):
    def __init__(self, name, keep_open):
        self.name = name
        self.keep_open = keep_open
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport
        log.append(f"{self.name}: connection_made, closing={transport.is_closing()}")

    def data_received(self, data):
        log.append(f"{self.name}: data_received {data!r}")
        if self.name == "server":
            self.transport.write(data[::-1])

    def eof_received(self):
        log.append(f"{self.name}: eof_received -> {self.keep_open}")
        return self.keep_open

    def connection_lost(self, exc):
        log.append(f"{self.name}: connection_lost({exc!r})")
        self.lost.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    servers = []

    def factory():
        proto = Logged("server", keep_open=None)
        servers.append(proto)
        return proto

    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    log.append("main: server created")
    transport, client = await loop.create_connection(lambda: Logged("client", keep_open=True), "127.0.0.1", port)
    log.append(f"main: connected, same protocol: {transport.get_protocol() is client}")
    transport.write(b"abc")
    log.append(f"main: wrote, buffer {transport.get_write_buffer_size()}")
    await asyncio.sleep(0.2)  # (loopback round trips: 0.2 s holds on a loaded machine)
    log.append("main: write_eof")
    transport.write_eof()
    await servers[0].lost
    log.append(f"main: server side lost; client closing={transport.is_closing()}")
    await asyncio.sleep(0.2)  # (loopback round trips: 0.2 s holds on a loaded machine)
    transport.close()
    log.append(f"main: client close() called, closing={transport.is_closing()}")
    await client.lost
    log.append("main: client lost")

    # abort(): connection_lost comes a turn later, like close().
    transport, client = await loop.create_connection(lambda: Logged("client2", keep_open=True), "127.0.0.1", port)
    transport.abort()
    log.append("main: aborted")
    await client.lost
    await servers[1].lost
    server.close()
    await server.wait_closed()
    print("\n".join(log))


asyncio.run(main())
