# requires-python: 3.14 call-graph introspection (gh-91048)
# A TaskGroup's parent task waits on each child until it is done: nested groups
# draw a tree; print_call_graph() of the current task; eager children.
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


async def leaf(event):
    await event.wait()


async def worker(event, nested):
    if nested:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(leaf(event), name="grandchild")
    else:
        await leaf(event)


async def report(event):
    await asyncio.sleep(0)
    grandchild = next(t for t in asyncio.all_tasks() if t.get_name() == "grandchild")
    graph = asyncio.capture_call_graph(grandchild)
    print(
        [g.future.get_name() for g in graph.awaited_by], [g.future.get_name() for g in graph.awaited_by[0].awaited_by]
    )
    show("the grandchild", asyncio.format_call_graph(grandchild))
    buffer = io.StringIO()
    asyncio.print_call_graph(file=buffer)
    show("print_call_graph() of the current task", buffer.getvalue())
    event.set()


async def main():
    event = asyncio.Event()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(worker(event, True), name="child")
        tg.create_task(report(event), name="reporter")
    loop = asyncio.get_running_loop()
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(asyncio.sleep(0), name="plain")
        await asyncio.sleep(0)
        show("a child still pending", asyncio.format_call_graph(t, limit=0))
    show("a child done: its parent no longer waits", asyncio.format_call_graph(t, limit=0))
    loop.set_task_factory(asyncio.eager_task_factory)
    async with asyncio.TaskGroup() as tg:
        done = tg.create_task(asyncio.sleep(0, "eager"), name="eager")
        show("an eager child, at its first await", asyncio.format_call_graph(done, limit=0))
    print(done.result())


asyncio.run(main())
