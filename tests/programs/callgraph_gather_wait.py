# requires-python: 3.14 call-graph introspection (gh-91048)
# gather(), shield(), wait() and wait_for() record that the caller waits on the
# futures it hands them: each child's call graph shows the caller awaiting it.
import asyncio
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


async def leaf(event, name):
    await event.wait()
    return name


async def child(event, name):
    return await leaf(event, name)


async def report(event, title, future):
    await asyncio.sleep(0)
    show(title, asyncio.format_call_graph(future))
    event.set()


async def gatherer(event):
    a = asyncio.create_task(child(event, "a"), name="a")
    return await asyncio.gather(a, child(event, "b"))


async def shielded(event, name):
    inner = asyncio.create_task(child(event, name), name=name)
    return await asyncio.shield(inner)


async def waiter_of(event, name, timeout):
    task = asyncio.create_task(child(event, name), name=name)
    done, pending = await asyncio.wait([task], timeout=timeout)
    return len(done), len(pending)


async def main():
    event = asyncio.Event()
    g = asyncio.create_task(gatherer(event), name="gatherer")
    await asyncio.sleep(0)
    a = next(t for t in asyncio.all_tasks() if t.get_name() == "a")
    await report(event, "gather: a task child", a)
    print(await g)

    event = asyncio.Event()
    s = asyncio.create_task(shielded(event, "shielded-inner"), name="shielder")
    await asyncio.sleep(0)
    inner = next(t for t in asyncio.all_tasks() if t.get_name() == "shielded-inner")
    show("shield: the inner task", asyncio.format_call_graph(inner))
    s.cancel()
    await asyncio.sleep(0)
    # The cancelled caller still counts as waiting until inner is done; its coroutine is
    # finished, so its one frame is None (format_call_graph would fail on it in 3.14.2).
    graph = asyncio.capture_call_graph(inner)
    print(
        "shield, caller cancelled:",
        [(g.future.get_name(), g.future.cancelled(), [e.frame for e in g.call_stack]) for g in graph.awaited_by],
    )
    event.set()
    print(await inner)

    event = asyncio.Event()
    w = asyncio.create_task(waiter_of(event, "waited", None), name="waiter")
    await asyncio.sleep(0)
    waited = next(t for t in asyncio.all_tasks() if t.get_name() == "waited")
    await report(event, "wait: a waited task", waited)
    print(await w)
    event = asyncio.Event()
    w = asyncio.create_task(waiter_of(event, "timed-out", 0.01), name="waiter2")
    await asyncio.sleep(0.05)
    late = next(t for t in asyncio.all_tasks() if t.get_name() == "timed-out")
    # As in 3.14.2, a wait() that timed out still counts as waiting on what was pending.
    graph = asyncio.capture_call_graph(late)
    print(
        "wait, timed out:",
        [(g.future.get_name(), g.future.done(), [e.frame for e in g.call_stack]) for g in graph.awaited_by],
    )
    event.set()
    print(await w, await late)

    event = asyncio.Event()
    wf = asyncio.create_task(asyncio.wait_for(child(event, "wf"), 1), name="wait_for")
    await asyncio.sleep(0)
    show("wait_for: a coroutine runs in the caller's task", asyncio.format_call_graph(wf))
    event.set()
    print(await wf)

    fut = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(child(event, "x"), name="x")
    asyncio.future_add_to_awaited_by(fut, t)
    asyncio.future_add_to_awaited_by(fut, 42)  # not a future: ignored
    asyncio.future_add_to_awaited_by(42, t)
    show("a plain future, awaited by hand", asyncio.format_call_graph(fut))
    asyncio.future_discard_from_awaited_by(fut, t)
    asyncio.future_discard_from_awaited_by(fut, t)
    show("and discarded", asyncio.format_call_graph(fut))
    parked = asyncio.create_task(asyncio.wait([fut]), name="parked")
    await asyncio.sleep(0)
    show("a plain future a task waits on", asyncio.format_call_graph(fut))
    fut.set_result(None)
    await parked
    print(await t)


asyncio.run(main())
