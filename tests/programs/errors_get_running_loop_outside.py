# Outside a running loop: get_running_loop, current_task, create_task, sleep all refuse.
import asyncio


def attempt(label, fn):
    try:
        print(label, "->", fn())
    except RuntimeError as e:
        print(label, "-> RuntimeError:", e)


async def coro():
    return 1


attempt("get_running_loop", asyncio.get_running_loop)
attempt("current_task", asyncio.current_task)
attempt("all_tasks", asyncio.all_tasks)
c = coro()
attempt("create_task", lambda: asyncio.create_task(c))
c.close()
s = asyncio.sleep(1)
attempt("sleep(1) driven by hand", lambda: s.send(None))
s.close()
s0 = asyncio.sleep(0)
try:
    s0.send(None)
    print("sleep(0) yields without needing a loop")
except StopIteration:
    print("sleep(0) finished at once")
s0.close()
