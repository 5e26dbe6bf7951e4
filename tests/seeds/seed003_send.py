# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", `send` and `yield` to communicate with a coroutine
# modes: plain
# expect:
#   coroutine started
#   received value: 1
#   received value: 2
def coroutine():
	print("coroutine started")
	while True:
		value = yield
		print(f"received value: {value}")

# to use this
c = coroutine()
next(c)
c.send(1)
c.send(2)
