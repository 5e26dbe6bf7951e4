# as_completed(timeout=...) raises TimeoutError for what is not done in time.
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    tasks = [asyncio.create_task(job(d)) for d in (0.01, 2.5, 0.02, 3.0)]
    got = []
    try:
        for aw in asyncio.as_completed(tasks, timeout=0.5):
            got.append(await aw)
            print("got", got[-1])
    except TimeoutError:
        print("TimeoutError after", got)
    print("slow ones still running:", [not t.done() for t in tasks])
    for t in tasks:
        t.cancel()
    try:
        for aw in asyncio.as_completed(tasks[0]):
            pass
    except TypeError as e:
        print("TypeError", e)


asyncio.run(main())
