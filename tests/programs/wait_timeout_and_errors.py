# wait(timeout=...) returns what finished in time; its argument errors.
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    fast = asyncio.create_task(job(0.01))
    slow = asyncio.create_task(job(0.3))
    done, pending = await asyncio.wait({fast, slow}, timeout=0.1)
    print("done fast?", fast in done, "pending slow?", slow in pending, "slow cancelled?", slow.cancelled())
    slow.cancel()
    for label, args, kwargs in [
        ("empty", ([],), {}),
        ("bad return_when", ([fast],), {"return_when": "SOMETIMES"}),
    ]:
        try:
            await asyncio.wait(*args, **kwargs)
        except ValueError as e:
            print(label, "ValueError", e)
    c = job(0)
    try:
        await asyncio.wait([c])
    except TypeError as e:
        print("coroutines: TypeError", e)
    c.close()
    try:
        await asyncio.wait(fast)
    except TypeError as e:
        print("single future: TypeError", e)
    done, pending = await asyncio.wait([fast], timeout=0)
    print("timeout 0 with a done task:", len(done), len(pending))


asyncio.run(main())
