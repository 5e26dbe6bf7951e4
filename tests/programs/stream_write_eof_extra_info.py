"""write_eof (half-close), writelines, get_extra_info, and a plain-function
client_connected_cb that hands the streams to a task of its own.
"""
import asyncio
import socket

sessions = []


def on_client(reader, writer):
    # A plain function: asyncio calls it inside connection_made, no task made.
    print("callback: plain function called, loop running:", asyncio.get_running_loop().is_running())
    sessions.append(asyncio.create_task(session(reader, writer)))


async def session(reader, writer):
    data = await reader.read()  # until the client's write_eof()
    print("server: got", data, "at_eof", reader.at_eof())
    writer.writelines([b"you sent ", str(len(data)).encode(), b" bytes\n"])
    writer.write_eof()
    try:
        writer.write(b"more")
    except RuntimeError as e:
        print("server: RuntimeError:", e)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    print("server: closed")


async def main():
    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sock = writer.get_extra_info("socket")
    print("peername port matches:", writer.get_extra_info("peername") == ("127.0.0.1", port))
    print("sockname matches socket:", writer.get_extra_info("sockname") == sock.getsockname())
    print("socket family/type:", sock.family == socket.AF_INET, sock.type == socket.SOCK_STREAM)
    print("nodelay:", sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    print("unknown key:", writer.get_extra_info("nope"), writer.get_extra_info("nope", "dflt"))
    print("can_write_eof:", writer.can_write_eof())
    print("transport is writer.transport:", writer.transport is writer.transport)
    writer.writelines([b"abc", bytearray(b"def"), memoryview(b"ghi")])
    writer.write(b"")  # empty writes are ignored
    writer.write_eof()
    writer.write_eof()  # twice is fine
    print("client: closing after write_eof?", writer.is_closing())
    print("client: reply", await reader.readline())
    print("client: EOF", await reader.read(), reader.at_eof())
    try:
        writer.write("text")
    except TypeError as e:
        print("TypeError:", e)
    writer.close()
    print("client: closing", writer.is_closing())
    await writer.wait_closed()
    await writer.wait_closed()  # again: already done
    await asyncio.gather(*sessions)
    server.close()
    await server.wait_closed()


asyncio.run(main())
