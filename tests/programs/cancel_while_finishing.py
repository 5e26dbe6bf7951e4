# Cancelled between its last await and its return: the cancellation wins.
import asyncio


async def almost_done(log):
    await asyncio.sleep(0)
    log.append("resumed")
    return "finished"


async def main():
    log = []
    t = asyncio.create_task(almost_done(log))
    await asyncio.sleep(0)  # t is now parked in sleep(0), queued to resume
    t.cancel()
    try:
        print(await t)
    except asyncio.CancelledError:
        print("cancelled; log =", log)

    u = asyncio.create_task(almost_done(log))
    u.add_done_callback(lambda f: print("u done, cancelled:", f.cancelled()))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("u cancel after it finished:", u.cancel(), u.result())


asyncio.run(main())
