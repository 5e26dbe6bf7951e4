# ruff: noqa
# fmt: off
# seed: 004 "A conceptual overview of the ideas and objects which power Python's asyncio",
#   coroutine.send(), await, yield & StopIteration
# modes: plain
# changed: the seed's line numbers are removed
# expect:
#   Beginning coroutine simple_func().
#   Awaiting custom_awaitable...
#   Coroutine paused and returned intermediate value: 7.
#   Resuming coroutine and sending in value: 42.
#   Awaitable resumed with value: 42.
#   Coroutine received value: 42 from awaitable.
#   Coroutine finished and provided value: 23.
class CustomAwaitable:
    def __await__(self):
        value_sent_in = yield 7
        print(f"Awaitable resumed with value: {value_sent_in}.")
        return value_sent_in

async def simple_func():
    print("Beginning coroutine simple_func().")
    custom_awaitable = CustomAwaitable()
    print("Awaiting custom_awaitable...")
   
    value_from_awaitable = await custom_awaitable
    print(f"Coroutine received value: {value_from_awaitable} from awaitable.")     
    return 23

# Create the coroutine.
coroutine = simple_func()
 
# Begin the coroutine. Store any results yielded or returned by the coroutine into
# variable: coroutine_intermediate_result.
coroutine_intermediate_result = coroutine.send(None)
print(f"Coroutine paused and returned intermediate value: {coroutine_intermediate_result}.")
 
# Resume the coroutine and pass in the number 42 when doing so. 
print(f"Resuming coroutine and sending in value: 42.")
try:
    coroutine.send(42)
except StopIteration as e:
    returned_value = e.value
print(f"Coroutine finished and provided value: {returned_value}.")
