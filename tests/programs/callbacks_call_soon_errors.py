# Misuse of the scheduling calls: None deadlines are refused at once; a
# non-callable is accepted (no debug mode) and fails when the loop calls it.
import asyncio


def handler(loop, context):
    exc = context["exception"]
    print("handler:", context["message"].split(" ")[0:3], type(exc).__name__, exc)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    for label, call in [
        ("call_later None", lambda: loop.call_later(None, print)),
        ("call_at None", lambda: loop.call_at(None, print)),
    ]:
        try:
            call()
            print(label, "accepted")
        except TypeError as e:
            print(label, type(e).__name__, e)
    loop.call_soon(42)
    loop.call_soon(print, "after the bad callback")
    await asyncio.sleep(0)
    print("main done")


asyncio.run(main())
