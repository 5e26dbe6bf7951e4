# A closed loop refuses new work with "Event loop is closed".
import asyncio


async def coro():
    return 1


loop = asyncio.new_event_loop()
print("closed?", loop.is_closed())
print(loop.run_until_complete(coro()))
loop.close()
print("closed?", loop.is_closed())
loop.close()  # twice is fine
for label, fn in [
    ("call_soon", lambda: loop.call_soon(print, "x")),
    ("call_later", lambda: loop.call_later(1, print, "x")),
    ("call_at", lambda: loop.call_at(1, print, "x")),
    ("run_forever", loop.run_forever),
]:
    try:
        fn()
        print(label, "accepted")
    except RuntimeError as e:
        print(label, "->", e)
c = coro()
try:
    loop.run_until_complete(c)
except RuntimeError as e:
    print("run_until_complete ->", e)
c.close()
c = coro()
try:
    loop.create_task(c)
except RuntimeError as e:
    print("create_task ->", e)
c.close()
