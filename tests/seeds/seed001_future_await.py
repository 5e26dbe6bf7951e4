# seed: 001 "Tiny-asyncio", Keyword Under the Hood / await: "This is the real implementation of Future!"
#   def __await__(self):
#       if not self.done():
#           self._asyncio_future_blocking = True
#           yield self
#       assert self.done(), "Future should be done"
#       return self.result()
# modes: tinyloop, asyncio
# changed: the seed shows Future.__await__ only; this program drives it by hand to show what it does.
#   Where the seed has `assert self.done(), "Future should be done"` (and seed 003
#   `raise RuntimeError("Event loop stopped before done")`), real asyncio raises
#   RuntimeError("await wasn't used with future"), as seed 004 writes it: the last line below.
# expect:
#   yields itself: True
#   _asyncio_future_blocking: True
#   then returns: the result
#   awaited without the loop: RuntimeError: await wasn't used with future
import asyncio

loop = asyncio.new_event_loop()

future = loop.create_future()
steps = future.__await__()
yielded = next(steps)  # not done: the future yields itself, up to the Task running the coroutine...
print("yields itself:", yielded is future)
print("_asyncio_future_blocking:", future._asyncio_future_blocking)  # ...flagged: "park me on it"
future.set_result("the result")
try:
    next(steps)  # resumed once done: __await__ returns the result
except StopIteration as stop:
    print("then returns:", stop.value)

# Resumed while still pending (no Task parked on it): the check after the yield fires.
pending = loop.create_future()
steps = pending.__await__()
next(steps)
try:
    next(steps)
except RuntimeError as error:
    print(f"awaited without the loop: RuntimeError: {error}")
loop.close()
