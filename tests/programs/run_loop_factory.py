"""asyncio.run(main, loop_factory=...): 3.12 added it (gh-99388); before, the keyword is
refused with a TypeError. The factory's loop runs main, and is closed afterwards."""

import asyncio

made = []


def factory():
    loop = asyncio.new_event_loop()
    made.append(loop)
    return loop


async def main():
    return asyncio.get_running_loop() is made[0]


coro = main()
try:
    print("main ran on the factory's loop:", asyncio.run(coro, loop_factory=factory))
    print("closed afterwards:", made[0].is_closed())
except TypeError as exc:
    print("TypeError:", exc)
    coro.close()
