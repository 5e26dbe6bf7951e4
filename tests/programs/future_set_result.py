# set_result schedules the done-callbacks; they never run inside set_result.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print("done?", fut.done(), "cancelled?", fut.cancelled())
    fut.add_done_callback(lambda f: print("callback 1 sees", f.result()))
    fut.add_done_callback(lambda f: print("callback 2 sees", f.result()))
    print("before set_result")
    fut.set_result("value")
    print("after set_result (callbacks not run yet)")
    print("done?", fut.done(), "result", fut.result())
    await asyncio.sleep(0)
    print("after one iteration")
    fut.add_done_callback(lambda f: print("callback 3 added after done"))
    print("callback 3 not run inline")
    await asyncio.sleep(0)
    print("end")


asyncio.run(main())
