"""get_event_loop() outside a running loop: 3.11 makes one silently, 3.12/3.13 warn as they make one."""
import asyncio
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    loop = asyncio.get_event_loop()
print("got a loop:", loop is not None, "again the same:", asyncio.get_event_loop() is loop)
print("warnings:", [(w.category.__name__, str(w.message), w.filename == __file__) for w in caught])
loop.close()
asyncio.set_event_loop(None)
try:
    asyncio.get_event_loop()
except RuntimeError as e:
    print("after set_event_loop(None):", e)
