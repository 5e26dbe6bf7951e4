"""call_soon_threadsafe: a thread wakes the loop; callbacks run in the loop's thread, in order."""
import asyncio
import threading


async def main():
    loop = asyncio.get_running_loop()
    log = []
    fut = loop.create_future()
    go = threading.Event()

    def record(what):
        # Called by the loop: which thread are we in now?
        log.append(f"{what} runs in {threading.current_thread().name}")

    def worker():
        go.wait(5)
        for i in range(3):
            loop.call_soon_threadsafe(record, f"cb{i} sent from {threading.current_thread().name}")
        loop.call_soon_threadsafe(fut.set_result, "from the thread")

    t = threading.Thread(target=worker, name="worker")
    t.start()

    async def ticker():
        for i in range(3):
            log.append(f"tick {i}")
            await asyncio.sleep(0)
        go.set()  # only now may the thread send its callbacks

    await ticker()
    log.append(f"main awaits the future: {await fut}")
    t.join()
    for line in log:
        print(line.replace(threading.main_thread().name, "main thread"))

    # The loop sleeps in select() with nothing scheduled; only the thread can wake it.
    fut = loop.create_future()
    t = threading.Thread(target=lambda: (threading.Event().wait(0.02), loop.call_soon_threadsafe(fut.set_result, 42)))
    t.start()
    print("woken by thread with", await fut)
    t.join()

    # call_soon_threadsafe from the loop's own thread works too, FIFO with call_soon.
    order = []
    loop.call_soon(order.append, 1)
    loop.call_soon_threadsafe(order.append, 2)
    loop.call_soon(order.append, 3)
    await asyncio.sleep(0)
    print("mixed order:", order)


asyncio.run(main())
