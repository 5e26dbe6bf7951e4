"""run_in_executor: blocking work in threads while the loop keeps running tasks."""
import asyncio
import concurrent.futures
import threading


def blocking(gate, value):
    gate.wait(5)  # blocks this worker thread, not the loop
    return value * 10


def boom():
    raise ZeroDivisionError("in a thread")


async def main():
    loop = asyncio.get_running_loop()
    log = []
    gate = threading.Event()
    fut = loop.run_in_executor(None, blocking, gate, 4)
    log.append(f"future type ok: {isinstance(fut, asyncio.Future)}, done={fut.done()}")
    for i in range(3):
        log.append(f"loop still runs: tick {i}")
        await asyncio.sleep(0)
    gate.set()
    log.append(f"result: {await fut}")

    try:
        await loop.run_in_executor(None, boom)
    except ZeroDivisionError as e:
        log.append(f"exception: {e!r}")

    # A one-worker pool runs jobs strictly in submission order.
    done_order = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="solo") as pool:
        futs = [loop.run_in_executor(pool, done_order.append, i) for i in range(5)]
        await asyncio.gather(*futs)
        name = await loop.run_in_executor(pool, lambda: threading.current_thread().name)
    log.append(f"one worker order: {done_order}, thread name starts with solo: {name.startswith('solo')}")

    # gather returns results in argument order even if they finish out of order.
    gates = [threading.Event() for _ in range(3)]
    futs = [loop.run_in_executor(None, blocking, g, i) for i, g in enumerate(gates)]
    for g in reversed(gates):
        g.set()
    log.append(f"gathered: {await asyncio.gather(*futs)}")

    # Cancelling the asyncio future: the thread's job still runs to its end.
    gate = threading.Event()
    fut = loop.run_in_executor(None, blocking, gate, 7)
    fut.cancel()
    try:
        await fut
    except asyncio.CancelledError:
        log.append("awaiting a cancelled executor future raises CancelledError")
    gate.set()
    for line in log:
        print(line)


asyncio.run(main())
