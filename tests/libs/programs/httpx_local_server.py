# httpx: an AsyncClient against a small HTTP server written with asyncio streams.
import asyncio

import httpx


async def handle(reader, writer):
    request = await reader.readuntil(b"\r\n\r\n")
    path = request.split(b" ")[1].decode()
    body = f"you asked for {path}".encode()
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            response = await client.get("/first")
            print(response.status_code, response.text)
            responses = await asyncio.gather(*(client.get(f"/page/{n}") for n in range(3)))
            print([r.text for r in responses])
    print("server closed")


asyncio.run(main())
