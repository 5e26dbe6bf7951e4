# aiohttp: a web server and a client session in one program, on 127.0.0.1.
import asyncio

from aiohttp import ClientSession, web


async def hello(request):
    await asyncio.sleep(0.01)
    return web.Response(text=f"hello {request.match_info['name']}")


async def numbers(request):
    return web.json_response({"sum": sum(range(10)), "path": request.path})


async def main():
    app = web.Application()
    app.add_routes([web.get("/hello/{name}", hello), web.get("/numbers", numbers)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/hello/loop") as response:
                print(response.status, await response.text())
            async with session.get(f"http://127.0.0.1:{port}/numbers") as response:
                print(response.status, await response.json())
            replies = await asyncio.gather(
                *(session.get(f"http://127.0.0.1:{port}/hello/{n}") for n in ("a", "b", "c"))
            )
            print([await r.text() for r in replies])
            async with session.get(f"http://127.0.0.1:{port}/missing") as response:
                print(response.status)
    finally:
        await runner.cleanup()


asyncio.run(main())
