# loop.time() is monotonic, and sleep/call_later measure against it.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    times = [t0]
    for _ in range(5):
        await asyncio.sleep(0)
        times.append(loop.time())
    print("monotonic:", all(b >= a for a, b in zip(times, times[1:])))
    start = loop.time()
    await asyncio.sleep(0.05)
    elapsed = loop.time() - start
    print("slept at least 0.05 (minus clock resolution):", elapsed >= 0.05 - 0.002)
    h = loop.call_later(0.1, print)
    print("when() is at most time()+delay:", 0 < h.when() - loop.time() <= 0.1)
    h.cancel()
    fired = loop.create_future()
    loop.call_at(loop.time() + 0.02, fired.set_result, "call_at fired")
    print(await fired)
    print("type:", type(loop.time()).__name__)


asyncio.run(main())
