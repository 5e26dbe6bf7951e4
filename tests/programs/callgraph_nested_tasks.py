# requires-python: 3.14 call-graph introspection (gh-91048)
# Who awaits whom across nested tasks: capture_call_graph / format_call_graph /
# print_call_graph of the current task and of others, limit and depth, and the errors.
import asyncio
import io
import re


def show(title, text):
    """Print a call graph with stable ids. Of asyncio's own frames only the one the program
    called, by name (why: their files differ, and so may the helpers each calls)."""
    print(f"-- {title}")
    labels = {}
    text = re.sub(r"id=0x[0-9a-f]+", lambda m: labels.setdefault(m.group(0), f"id={len(labels) + 1}"), text)
    own = repr(show.__code__.co_filename)
    lines = text.splitlines()
    for line, below in zip(lines, lines[1:] + [""]):
        if "File " in line and own not in line:
            if "File " in below and own not in below:
                continue  # a helper inside asyncio: the frame below it is asyncio's too
            line = re.sub(r"File .*, line \d+, in", "File <asyncio>, in", line)
        print(line.replace(own, "<program>"))


async def deepest(event):
    await event.wait()


async def middle(event):
    await deepest(event)


async def inner(event):
    await middle(event)
    return "inner done"


async def outer(event):
    child = asyncio.create_task(inner(event), name="inner")
    return await child


def sync_helper():
    return asyncio.format_call_graph(depth=2)


async def observer(event, target):
    await asyncio.sleep(0)
    show("inner, from another task", asyncio.format_call_graph(target))
    for limit in (1, 2, -1, -2, 0):
        show(f"inner, limit={limit}", asyncio.format_call_graph(target, limit=limit))
    show("the current task", asyncio.format_call_graph())
    show("the current task, limit=1", asyncio.format_call_graph(limit=1))
    show("from a plain function, depth=2", sync_helper())
    graph = asyncio.capture_call_graph(target)
    print(
        type(graph).__name__, graph.future is target, type(graph.call_stack).__name__, type(graph.awaited_by).__name__
    )
    print([entry.frame.f_code.co_name for entry in graph.call_stack if entry.frame.f_code.co_name != "wait"])
    print(
        [g.future.get_name() for g in graph.awaited_by], [g.future.get_name() for g in graph.awaited_by[0].awaited_by]
    )
    buffer = io.StringIO()
    asyncio.print_call_graph(target, file=buffer)
    show("print_call_graph", buffer.getvalue())
    event.set()


async def main():
    event = asyncio.Event()
    outer_task = asyncio.create_task(outer(event), name="outer")
    await asyncio.sleep(0)
    inner_task = next(t for t in asyncio.all_tasks() if t.get_name() == "inner")
    watcher = asyncio.create_task(observer(event, inner_task), name="observer")
    print(await outer_task)
    await watcher
    show("a finished-with task's graph has no waiters", asyncio.format_call_graph(watcher, limit=0))
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: print("in a callback:", asyncio.capture_call_graph(), repr(asyncio.format_call_graph())))
    await asyncio.sleep(0)
    try:
        asyncio.capture_call_graph(42)
    except TypeError as exc:
        print("TypeError:", exc)


asyncio.run(main())
try:
    asyncio.capture_call_graph()
except RuntimeError as exc:
    print("RuntimeError:", exc)
