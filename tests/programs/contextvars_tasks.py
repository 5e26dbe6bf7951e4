# Each task runs in a copy of the context current when it was created.
import asyncio
import contextvars

request = contextvars.ContextVar("request", default="none")


async def handler(name):
    print(name, "sees", request.get())
    request.set(name)
    await asyncio.sleep(0)
    print(name, "still sees own", request.get())


async def main():
    request.set("main-1")
    t1 = asyncio.create_task(handler("t1"))
    request.set("main-2")
    t2 = asyncio.create_task(handler("t2"))
    await asyncio.gather(t1, t2)
    print("main unaffected:", request.get())
    ctx = contextvars.copy_context()
    ctx.run(request.set, "custom")
    t3 = asyncio.create_task(handler("t3"), context=ctx)
    await t3
    print("custom ctx now holds", ctx[request])
    await handler("direct")
    print("a direct await shares main's context:", request.get())


asyncio.run(main())
print("outside run:", request.get())
