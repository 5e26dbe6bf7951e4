"""TLS on 127.0.0.1: an echo server and client over ssl=, start_tls on streams, and handshake failures."""

import asyncio
import os
import ssl

CERTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "certs")


def contexts():  # (a fresh default context loads the system's CAs: a blocking call, done once)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(os.path.join(CERTS, "server.pem"), os.path.join(CERTS, "server.key"))
    client = ssl.create_default_context(cafile=os.path.join(CERTS, "ca.pem"))
    return server, client


async def echo(reader, writer):
    while line := await reader.readline():
        writer.write(b"tls echo: " + line)
        await writer.drain()
    writer.close()


SERVER_CTX, CLIENT_CTX = contexts()
UNTRUSTING = ssl.create_default_context()


async def main():
    server_ctx, client_ctx, untrusting = SERVER_CTX, CLIENT_CTX, UNTRUSTING
    server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx)
    print("cipher is a tuple:", isinstance(writer.get_extra_info("cipher"), tuple))
    print("peer certificate CN:", dict(x[0] for x in writer.get_extra_info("peercert")["subject"])["commonName"])
    print("ssl_object version:", writer.get_extra_info("ssl_object").version().startswith("TLS"))
    print("sslcontext is ours:", writer.get_extra_info("sslcontext") is client_ctx)
    for word in (b"hello\n", b"world\n"):
        writer.write(word)
        print(await reader.readline())
    big = b"y" * 60_000 + b"\n"  # under the reader's 64 KiB line limit
    writer.write(big)
    await writer.drain()
    print("big line back:", len(await reader.readline()))
    print("can_write_eof:", writer.can_write_eof())
    writer.close()
    await writer.wait_closed()
    print("closed")

    # A BufferedProtocol over TLS: the plaintext is decrypted straight into its small buffer.
    got = asyncio.get_running_loop().create_future()

    class Buffered(asyncio.BufferedProtocol):
        def __init__(self):
            self.buf, self.data, self.calls = bytearray(4), b"", 0

        def get_buffer(self, sizehint):
            return self.buf

        def buffer_updated(self, nbytes):
            self.data += self.buf[:nbytes]
            self.calls += 1
            if self.data.endswith(b"\n"):
                got.set_result((self.data, self.calls > 1))

    transport, _ = await asyncio.get_running_loop().create_connection(Buffered, "127.0.0.1", port, ssl=client_ctx)
    transport.write(b"into a small buffer\n")
    print("buffered protocol got", *await got)
    transport.close()

    # A client that does not trust the server's CA.
    try:
        await asyncio.open_connection("127.0.0.1", port, ssl=untrusting)
    except ssl.SSLCertVerificationError as exc:
        print("untrusted:", exc.verify_message)
    # The name in the certificate is checked.
    try:
        await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx, server_hostname="example.com")
    except ssl.SSLCertVerificationError as exc:
        print("wrong name:", exc.verify_message)
    server.close()
    await server.wait_closed()

    # start_tls: plain text first, then both sides upgrade the same connection.
    upgraded = asyncio.get_running_loop().create_future()

    async def starttls_server(reader, writer):
        print("server got", await reader.readline())
        writer.write(b"go ahead\n")
        await writer.drain()
        await writer.start_tls(server_ctx)
        print("server now over TLS:", writer.get_extra_info("ssl_object") is not None)
        print("server got", await reader.readline())
        writer.write(b"secret received\n")
        await writer.drain()
        writer.close()
        upgraded.set_result(None)

    server = await asyncio.start_server(starttls_server, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("client plain:", writer.get_extra_info("ssl_object"))
    writer.write(b"STARTTLS\n")
    print("client got", await reader.readline())
    await writer.start_tls(client_ctx, server_hostname="localhost")
    writer.write(b"the secret\n")
    print("client got", await reader.readline())
    await upgraded
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    # TLS inside TLS: start_tls on a connection that is already encrypted.
    async def nested_server(reader, writer):
        await reader.readline()
        writer.write(b"ready\n")
        await writer.drain()
        await writer.start_tls(server_ctx)
        writer.write(b"twice encrypted: " + await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(nested_server, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx)
    writer.write(b"STARTTLS\n")
    await reader.readline()
    await writer.start_tls(client_ctx, server_hostname="localhost")
    writer.write(b"hello\n")
    print(await reader.readline())
    writer.close()
    server.close()
    await server.wait_closed()

    # The protocol level, and the argument rules.
    loop = asyncio.get_running_loop()
    server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, ssl=server_ctx, ssl_handshake_timeout=5)
    port = server.sockets[0].getsockname()[1]
    transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port, ssl=client_ctx,
                                                server_hostname="localhost", ssl_shutdown_timeout=5)
    try:
        transport.write_eof()
    except NotImplementedError as exc:
        print("NotImplementedError:", exc)
    print("write buffer limits:", transport.get_write_buffer_limits(), "reading:", transport.is_reading())
    transport.close()
    for kwargs in ({"server_hostname": "x"}, {"ssl_handshake_timeout": 1}, {"ssl_shutdown_timeout": 1},
                   {"ssl": client_ctx, "ssl_handshake_timeout": -1}, {"ssl": client_ctx, "ssl_shutdown_timeout": 0}):
        try:
            await loop.create_connection(asyncio.Protocol, "127.0.0.1", port, **kwargs)
        except ValueError as exc:
            print("ValueError:", exc)
    try:
        await loop.create_connection(asyncio.Protocol, sock=None, ssl=client_ctx)
    except ValueError as exc:
        print("ValueError:", exc)
    try:
        await loop.start_tls(transport, asyncio.Protocol(), "not a context")
    except TypeError as exc:
        print("TypeError:", str(exc).split(",")[0])
    server.close()
    await server.wait_closed()


asyncio.run(main())
