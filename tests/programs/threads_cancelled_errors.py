# A concurrent.futures.CancelledError coming back from a thread arrives as
# asyncio.CancelledError; one going to a thread arrives as concurrent's.
import asyncio
import concurrent.futures
import threading


async def main():
    loop = asyncio.get_running_loop()

    # a concurrent future that failed with concurrent's CancelledError, awaited here
    cf = concurrent.futures.Future()
    cf.set_running_or_notify_cancel()
    cf.set_exception(concurrent.futures.CancelledError("from the pool"))
    try:
        await asyncio.wrap_future(cf)
    except BaseException as e:
        print("wrap_future:", type(e).__module__.split(".")[0] == "concurrent", isinstance(e, asyncio.CancelledError), e.args)

    # an executor job that raises concurrent's CancelledError
    def job():
        raise concurrent.futures.CancelledError("job gave up")

    try:
        await loop.run_in_executor(None, job)
    except BaseException as e:
        print("run_in_executor:", isinstance(e, asyncio.CancelledError), e.args)

    # run_coroutine_threadsafe of a task that gets cancelled: the caller's future says cancelled
    started = asyncio.Event()

    async def forever():
        started.set()
        await asyncio.sleep(3600)

    result = {}

    def caller():
        fut = asyncio.run_coroutine_threadsafe(forever(), loop)
        asyncio.run_coroutine_threadsafe(started.wait(), loop).result(5)
        loop.call_soon_threadsafe(lambda: [t.cancel() for t in asyncio.all_tasks(loop) if t.get_coro().__name__ == "forever"])
        try:
            fut.result(5)
        except BaseException as e:
            result["type"] = type(e).__module__.split(".")[0], type(e).__name__
        result["cancelled"] = fut.cancelled()

    thread = threading.Thread(target=caller)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.01)
    thread.join()
    print("run_coroutine_threadsafe:", result)


asyncio.run(main())
