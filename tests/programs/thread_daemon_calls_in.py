"""A daemon thread started after the loop was made, before it runs, wakes it from another
thread: the loop must wait for it (no deadlock: a thread could still call in)."""

import asyncio
import threading
import time


def main():
    loop = asyncio.new_event_loop()
    fut = loop.create_future()

    def later():
        time.sleep(0.3)
        loop.call_soon_threadsafe(fut.set_result, "woken by the daemon thread")

    threading.Thread(target=later, daemon=True).start()
    print(loop.run_until_complete(fut))
    loop.close()


main()
