# websockets: an echo server and a client in one program.
import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def echo(websocket):
    async for message in websocket:
        await websocket.send(f"echo: {message}")


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}") as websocket:
            for word in ("hello", "event", "loop"):
                await websocket.send(word)
                print(await websocket.recv())
    print("closed")


asyncio.run(main())
