# Errors nobody handled are logged to the logger named "asyncio", as documented.
import asyncio
import gc
import logging


class Show(logging.Handler):
    def emit(self, record):
        print(f"[{record.name}] {record.levelname}: {record.getMessage().splitlines()[0]}")


# On the "asyncio" logger itself (a record sent elsewhere would not show), and
# removed at the end (why: some tests run these programs inside their own process).
show = Show()
logging.getLogger("asyncio").addHandler(show)


async def boom():
    raise ValueError("lost")


async def main():
    asyncio.create_task(boom())
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0)


try:
    asyncio.run(main())
    gc.collect()
finally:
    logging.getLogger("asyncio").removeHandler(show)
