# asyncio.timeout() used wrongly: each misuse raises asyncio's RuntimeError, with its message.
import asyncio


async def main():
    async with asyncio.timeout(10) as cm:
        try:
            async with cm:
                pass
        except RuntimeError as e:
            print("enter twice ->", e)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("re-enter after exit ->", e)
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("reschedule after exit ->", e)
    fresh = asyncio.timeout(10)
    try:
        fresh.reschedule(1)
    except RuntimeError as e:
        print("reschedule before enter ->", e)
    print("still usable:", repr(fresh))


def outside_a_task():
    cm = asyncio.timeout_at(None)
    step = cm.__aenter__()
    try:
        step.send(None)  # driven by hand: no task is running it
    except RuntimeError as e:
        print("outside a task ->", e)
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("then reschedule ->", e)


loop = asyncio.new_event_loop()
loop.call_soon(outside_a_task)  # a plain callback: the loop runs, no task does
loop.run_until_complete(asyncio.sleep(0.01))
loop.close()
asyncio.run(main())
