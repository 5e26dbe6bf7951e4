"""How a start_server callback's ending is reported: an exception goes to the exception
handler; a cancelled callback does too before 3.13, and from 3.13 (gh-113538) just closes
its connection; from 3.13 a writer the callback drops unclosed warns ResourceWarning."""

import asyncio
import gc
import sys
import warnings


def handler(loop, context):
    exc = context.get("exception")
    print("reported:", " ".join(context["message"].split()[:3]), "-", type(exc).__name__)


async def run_server(callback):
    server = await asyncio.start_server(callback, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:  # (before 3.13 a cancelled callback leaves the connection open: the read times out)
        print("the client reads:", await asyncio.wait_for(reader.read(), 1.0))
    except TimeoutError:
        print("the connection stays open")
    writer.close()
    await writer.wait_closed()
    server.close()
    try:  # (3.12+ waits for the server's connections too: one left open never closes)
        await asyncio.wait_for(server.wait_closed(), 1.0)
    except TimeoutError:
        print("the server's wait_closed() waits for that open connection")


async def failing(reader, writer):
    raise ValueError("handler failed")


async def cancelled(reader, writer):
    asyncio.current_task().cancel()
    await asyncio.sleep(0)


async def dropping(reader, writer):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del writer
        gc.collect()
    print("ResourceWarning:", [str(w.message).split(" ")[0:2] for w in caught if w.category is ResourceWarning])


async def main():
    asyncio.get_running_loop().set_exception_handler(handler)
    await run_server(failing)
    await run_server(cancelled)
    if sys.version_info >= (3, 13):  # (before, the protocol keeps the writer alive)
        await run_server(dropping)
    await asyncio.sleep(0.05)


asyncio.run(main())
