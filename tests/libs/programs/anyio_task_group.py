# anyio on asyncio: a task group, a memory stream, a cancel scope with a deadline.
import asyncio

import anyio


async def producer(send, count):
    async with send:
        for n in range(count):
            await send.send(n)
            await anyio.sleep(0.001)


async def consumer(receive, results):
    async with receive:
        async for item in receive:
            results.append(item * item)


async def main():
    results = []
    send, receive = anyio.create_memory_object_stream(max_buffer_size=2)
    async with anyio.create_task_group() as group:
        group.start_soon(producer, send, 5)
        group.start_soon(consumer, receive, results)
    print("squares", results)
    with anyio.move_on_after(0.05) as scope:
        await anyio.sleep(5)
    print("moved on:", scope.cancelled_caught)
    try:
        async with anyio.create_task_group() as group:
            async def fail():
                await anyio.sleep(0.01)
                raise ValueError("boom")
            group.start_soon(fail)
            group.start_soon(anyio.sleep, 5)
    except* ValueError as errors:
        print("group failed with", [str(e) for e in errors.exceptions])
    print("backend", anyio.get_current_task().name is not None)


asyncio.run(main())
