"""run_coroutine_threadsafe: a thread submits coroutines to the running loop and waits for them."""
import asyncio
import concurrent.futures
import threading


async def add(a, b, log):
    log.append(f"add({a}, {b}) runs in {'main' if threading.current_thread() is threading.main_thread() else 'other'} thread")
    await asyncio.sleep(0)
    return a + b


async def fails():
    raise LookupError("no such thing")


async def forever(log, started):
    started.set()
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("forever was cancelled from the thread")
        raise


async def main():
    loop = asyncio.get_running_loop()
    log = []
    out = []
    started = asyncio.Event()

    def worker():
        f = asyncio.run_coroutine_threadsafe(add(1, 2, log), loop)
        out.append(f"is concurrent future: {isinstance(f, concurrent.futures.Future)}")
        out.append(f"result: {f.result(timeout=5)}")
        f = asyncio.run_coroutine_threadsafe(fails(), loop)
        try:
            f.result(timeout=5)
        except LookupError as e:
            out.append(f"exception: {e!r}")
        f = asyncio.run_coroutine_threadsafe(forever(log, started), loop)
        while not started.is_set():  # (only read here; set by the loop)
            threading.Event().wait(0.001)
        out.append(f"cancel() -> {f.cancel()}")
        try:
            f.result(timeout=5)
        except concurrent.futures.CancelledError:
            out.append("result() raises CancelledError")
        try:
            asyncio.run_coroutine_threadsafe(lambda: None, loop)
        except TypeError as e:
            out.append(f"TypeError: {e}")

    await asyncio.to_thread(worker)
    await asyncio.sleep(0)
    for line in log + out:
        print(line)


asyncio.run(main())
