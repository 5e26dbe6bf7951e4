# FastAPI served by uvicorn (asyncio loop) on an ephemeral port, called with httpx.
import asyncio

import httpx
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    await asyncio.sleep(0.01)
    return {"item_id": item_id, "q": q}


async def main():
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        print((await client.get("/items/7", params={"q": "loop"})).json())
        print((await client.get("/items/x")).status_code)
    server.should_exit = True
    await serving
    print("server stopped")


asyncio.run(main())
