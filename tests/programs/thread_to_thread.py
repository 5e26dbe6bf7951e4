"""to_thread: context variables travel with the call; the loop keeps running."""
import asyncio
import contextvars
import threading

request_id = contextvars.ContextVar("request_id", default="none")


def handler(label, *, suffix=""):
    return f"{label}: request_id={request_id.get()} main={threading.current_thread() is threading.main_thread()}{suffix}"


def set_in_thread():
    request_id.set("changed in thread")
    return request_id.get()


def wait_for_gate(gate):
    gate.wait(5)
    return "gate opened"


async def serve(rid):
    request_id.set(rid)
    return await asyncio.to_thread(handler, f"serve {rid}", suffix="!")


async def main():
    print(await asyncio.to_thread(handler, "before set"))
    request_id.set("r-main")
    print(await asyncio.to_thread(handler, "after set"))
    print(await asyncio.gather(serve("r1"), serve("r2")))

    # The thread works on a copy of the context: its changes don't come back.
    print(await asyncio.to_thread(set_in_thread), "/", request_id.get())

    log = []
    gate = threading.Event()
    task = asyncio.create_task(asyncio.to_thread(wait_for_gate, gate))
    for i in range(3):
        log.append(f"tick {i}, thread job done={task.done()}")
        await asyncio.sleep(0)
    gate.set()
    log.append(await task)
    print(log)

    try:
        await asyncio.to_thread(int, "not a number")
    except ValueError as e:
        print("error from the thread:", e)


asyncio.run(main())
