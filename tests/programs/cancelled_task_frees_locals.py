"""A cancelled task, once dropped, lets go of what its coroutine held at once, without
waiting for the garbage collector (asyncio's step keeps no frame that could form a cycle
with the CancelledError thrown into the coroutine)."""

import asyncio
import gc
import weakref


class Thing:
    pass


async def holder(ready):
    thing = Thing()
    ready.set_result(weakref.ref(thing))
    await asyncio.sleep(10)


async def main():
    ready = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(holder(ready))
    ref = await ready
    task.cancel()
    await asyncio.wait([task])
    print("cancelled:", task.cancelled())
    del task
    print("the coroutine's local is still alive:", ref() is not None)


gc.disable()  # (why: only reference counting may free it, as in asyncio)
asyncio.run(main())
