"""Which thread runs what: the default executor's threads are named asyncio_N."""
import asyncio
import threading


def where():
    return threading.current_thread().name


async def main():
    loop = asyncio.get_running_loop()
    print("task runs in:", where() == threading.main_thread().name)
    print("to_thread runs in:", await asyncio.to_thread(where))
    print("run_in_executor runs in:", await loop.run_in_executor(None, where))
    # Two blocking jobs at once need two workers: asyncio_0 and asyncio_1.
    both = threading.Barrier(2)

    def meet():
        both.wait(5)
        return where()

    names = await asyncio.gather(asyncio.to_thread(meet), asyncio.to_thread(meet))
    print("two at once:", sorted(names))


asyncio.run(main())
