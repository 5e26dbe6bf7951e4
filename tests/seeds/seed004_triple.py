# ruff: noqa
# fmt: off
# seed: 004 "A conceptual overview of the ideas and objects which power Python's asyncio",
#   Analyzing an example programs control flow (program.py)
# modes: tinyloop
# changed: the seed's line numbers are removed; `import asyncio` added. It prints nothing;
#   main_task.result() is 17 after the run. The seed ends with loop.run_forever(), which real
#   asyncio never leaves ("The event-loop cycles aimlessly onwards"); loop_impl's loop sees that
#   nothing could ever wake it, reports it and returns.
# expect:
import asyncio

async def triple(val: int):
    return val * 3

async def main():
    triple_task = asyncio.Task(coro=triple(val=5))
    tripled_val = await triple_task
    return tripled_val + 2

loop = asyncio.new_event_loop()
main_task = asyncio.Task(main(), loop=loop)
loop.run_forever()
