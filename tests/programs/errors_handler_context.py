"""A custom exception handler sees the contextvars of the task or callback that failed,
from 3.12 (gh-96704); before, those of whoever called the handler."""

import asyncio
import contextvars

request = contextvars.ContextVar("request", default="none")


def handler(loop, context):
    print("handler:", context["message"].split(" at ")[0], "| request =", request.get())


def callback():
    request.set("callback's")
    raise ValueError("in a callback")


async def failing():
    request.set("task's")
    raise ValueError("in a task")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    loop.call_soon(callback)
    await asyncio.sleep(0)
    task = asyncio.create_task(failing())
    await asyncio.sleep(0)
    del task  # never retrieved: reported when it goes
    await asyncio.sleep(0)


asyncio.run(main())
