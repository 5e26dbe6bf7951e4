# requires-python: 3.12 shutdown_default_executor(timeout) (gh-82448)
"""A worker still busy when shutdown_default_executor(timeout) gives up: a RuntimeWarning from 3.12.3
(gh-111358); 3.12.0-3.12.2 wait for the worker instead and warn nothing."""
import asyncio
import time
import warnings


async def main():
    loop = asyncio.get_running_loop()
    busy = loop.run_in_executor(None, time.sleep, 1.0)
    await asyncio.sleep(0.05)  # the worker is sleeping now
    started = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await loop.shutdown_default_executor(timeout=0.1)
    waited_for_worker = time.monotonic() - started > 0.5  # (margins of 0.4 s either way)
    print("waited for the worker:", waited_for_worker)
    print("warnings:", [(w.category.__name__, str(w.message)) for w in caught])
    await busy
    print("worker done")


asyncio.run(main())
