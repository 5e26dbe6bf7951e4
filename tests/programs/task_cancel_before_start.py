# A task cancelled before its first step never runs its body.
import asyncio


async def body(name):
    print(name, "body runs (should not)")
    return name


async def body_with_try(name):
    try:
        print(name, "started")
        await asyncio.sleep(0)
    finally:
        print(name, "finally")


async def main():
    t = asyncio.create_task(body("t"))
    print("cancel before start:", t.cancel())
    u = asyncio.create_task(body_with_try("u"))
    u.cancel("early")
    await asyncio.sleep(0)
    print("t done:", t.done(), "cancelled:", t.cancelled())
    print("u done:", u.done(), "cancelled:", u.cancelled())
    for x in (t, u):
        try:
            await x
        except asyncio.CancelledError as e:
            print(x.get_name() == x.get_name(), "CancelledError", repr(e.args))


asyncio.run(main())
