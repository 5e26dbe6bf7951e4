# Errors nobody handled are logged to the logger named "asyncio", as documented.
import asyncio
import gc
import logging


class Show(logging.Handler):
    def emit(self, record):
        print(f"[{record.name}] {record.levelname}: {record.getMessage().splitlines()[0]}")


logging.getLogger().addHandler(Show())
logging.getLogger().setLevel(logging.ERROR)


async def boom():
    raise ValueError("lost")


async def main():
    asyncio.create_task(boom())
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0)


asyncio.run(main())
gc.collect()
