"""Transport behaviour that changed between Python versions (each one a row of loop_impl/versions.py)."""

import asyncio


async def main():
    loop = asyncio.get_running_loop()
    got = loop.create_future()

    class Server(asyncio.DatagramProtocol):
        def connection_made(self, transport):
            self.transport = transport

        def datagram_received(self, data, addr):
            if not got.done():
                got.set_result(data)

    server, _ = await loop.create_datagram_endpoint(Server, local_addr=("127.0.0.1", 0))
    client, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol,
                                                    remote_addr=server.get_extra_info("sockname"))
    client.sendto(b"")  # 3.13 sends an empty datagram; before, nothing was sent
    client.sendto(b"after")
    print("first datagram:", await asyncio.wait_for(got, 5))
    print("a Transport:", isinstance(client, asyncio.Transport), "a DatagramTransport:",
          isinstance(client, asyncio.DatagramTransport))
    client.close()
    server.close()

    # communicate() with stdin=PIPE and no input: 3.12 closes stdin, so the child sees EOF.
    proc = await asyncio.create_subprocess_exec("wc", "-c", stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 3)
        print("child saw EOF:", out.strip())
    except TimeoutError:
        print("child still waiting for stdin")
        proc.kill()
        await proc.wait()

    # Server.close_clients / abort_clients exist from 3.13.
    connected = asyncio.Event()
    seen_close = asyncio.Event()

    async def hold(reader, writer):
        connected.set()
        await reader.read()
        print("server side saw the close")
        writer.close()
        seen_close.set()

    srv = await asyncio.start_server(hold, "127.0.0.1", 0)
    print("has close_clients:", hasattr(srv, "close_clients"), "abort_clients:", hasattr(srv, "abort_clients"))
    reader, writer = await asyncio.open_connection(*srv.sockets[0].getsockname())
    await connected.wait()
    if hasattr(srv, "close_clients"):
        srv.close_clients()
        print("client read after close_clients:", await reader.read())
    writer.close()
    await writer.wait_closed()
    await seen_close.wait()
    srv.close()
    await srv.wait_closed()

    try:
        await loop.create_unix_server(asyncio.Protocol, "/nonexistent-dir/x.sock", cleanup_socket=False)
    except TypeError as exc:
        print("TypeError:", str(exc).split("() ")[1])
    except OSError as exc:
        print("cleanup_socket accepted:", type(exc).__name__)


asyncio.run(main())
