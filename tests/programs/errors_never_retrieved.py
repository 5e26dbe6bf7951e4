# A task whose exception nobody retrieved is reported to the exception handler
# when it is garbage-collected; a retrieved one is not.
import asyncio
import gc


def handler(loop, context):
    print("handler:", context["message"], "|", repr(context.get("exception")))


async def fails(x):
    raise ValueError(x)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    t = asyncio.create_task(fails("ignored"))
    u = asyncio.create_task(fails("retrieved"))
    await asyncio.sleep(0)
    u.exception()
    del t, u
    gc.collect()
    print("after collect")
    f = loop.create_future()
    f.set_exception(KeyError("future"))
    del f
    gc.collect()
    print("main done")


asyncio.run(main())
