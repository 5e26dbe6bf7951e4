# set_event_loop / get_event_loop and the running loop.
import asyncio

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print("get_event_loop is the set loop:", asyncio.get_event_loop() is loop)


async def main():
    running = asyncio.get_running_loop()
    print("inside: running is the set loop:", running is loop)
    print("inside: get_event_loop is running:", asyncio.get_event_loop() is running)
    return running.is_running()


print(loop.run_until_complete(main()))
loop.close()
asyncio.set_event_loop(None)
other = asyncio.new_event_loop()
print("new loops are distinct:", other is not loop)
other.close()


async def check():
    return asyncio.get_running_loop() is not loop


print("asyncio.run makes a new loop:", asyncio.run(check()))
