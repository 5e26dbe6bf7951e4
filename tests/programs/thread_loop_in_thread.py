"""A loop running in a background thread; the main thread submits coroutines to it."""
import asyncio
import threading
import time


async def double(x):
    await asyncio.sleep(0.001)
    return (x * 2, threading.current_thread().name)


async def fail():
    await asyncio.sleep(0)
    raise KeyError("from the loop")


def main():
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        loop.call_soon(started.set)
        loop.run_forever()

    t = threading.Thread(target=run, name="loop-thread")
    t.start()
    started.wait(5)
    print("loop running:", loop.is_running())

    # The main thread sleeps a little before each submit, so the loop is idle
    # in select() (nothing scheduled) when the work arrives.
    time.sleep(0.02)
    fut = asyncio.run_coroutine_threadsafe(double(21), loop)
    print("result:", fut.result(timeout=5))
    time.sleep(0.02)
    fut = asyncio.run_coroutine_threadsafe(fail(), loop)
    try:
        fut.result(timeout=5)
    except KeyError as e:
        print("exception crosses threads:", repr(e))

    results = []
    done = threading.Event()

    def cb(x):
        results.append((x, threading.current_thread().name))
        if len(results) == 3:
            done.set()

    for i in range(3):
        loop.call_soon_threadsafe(cb, i)
    done.wait(5)
    print("callbacks in order, in the loop thread:", results)

    loop.call_soon_threadsafe(loop.stop)
    t.join(5)
    print("thread alive:", t.is_alive(), "loop running:", loop.is_running())
    loop.close()
    print("closed:", loop.is_closed())


main()
