# Task names: main is Task-1, then Task-N in creation order; name= and set_name.
import asyncio


async def show(tag):
    t = asyncio.current_task()
    print(tag, t.get_name())
    await asyncio.sleep(0)
    return t.get_name()


async def main():
    print("main is", asyncio.current_task().get_name())
    t1 = asyncio.create_task(show("first"))
    t2 = asyncio.create_task(show("second"), name="custom")
    t3 = asyncio.create_task(show("third"))
    t3.set_name("renamed")
    t4 = asyncio.create_task(show("fourth"), name=42)
    print([t.get_name() for t in (t1, t2, t3, t4)])
    print("names in all_tasks", sorted(t.get_name() for t in asyncio.all_tasks()))
    print(await asyncio.gather(t1, t2, t3, t4))
    g = await asyncio.gather(show("g1"), show("g2"))
    print("gather-made tasks", g)
    print("after", sorted(t.get_name() for t in asyncio.all_tasks()))
    # Which ways of naming a task use up a Task-N number (asyncio 3.11:
    # asyncio.create_task(name=) does, loop.create_task(name=) and Task(name=) do not).
    loop = asyncio.get_running_loop()
    made = [
        asyncio.create_task(show("m1"), name="via create_task"),
        loop.create_task(show("m2"), name="via loop"),
        asyncio.Task(show("m3"), name="via Task"),
        asyncio.create_task(show("m4")),
        loop.create_task(show("m5")),
        asyncio.ensure_future(show("m6")),
    ]
    print(await asyncio.gather(*made))


asyncio.run(main())
asyncio.run(main())
