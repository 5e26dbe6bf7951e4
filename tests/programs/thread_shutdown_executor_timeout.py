# requires-python: 3.12 shutdown_default_executor(timeout) (gh-82448)
"""shutdown_default_executor(timeout): 3.12+ takes a timeout; the threads here finish in time."""
import asyncio
import time
import warnings


async def main():
    loop = asyncio.get_running_loop()
    print(await loop.run_in_executor(None, lambda: time.sleep(0.05) or "worked"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await loop.shutdown_default_executor(timeout=5)
    print("shut down, warnings:", [str(w.message) for w in caught])
    try:
        await loop.run_in_executor(None, print, "never")
    except RuntimeError as e:
        print("after shutdown:", e)


asyncio.run(main())
