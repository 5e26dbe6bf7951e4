# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", `yield from` to delegate to another coroutine
# modes: plain
# seed-says:
#   coroutine started
#   sub coroutine started
#   sub coroutine received value: 1
#   received value: 1
#   sub coroutine received value: 2
#   received value: 2
# changed: nothing. Python disagrees with the seed: sub_coroutine never returns (`while True`), so
#   `yield from` never finishes and coroutine() never prints "received value: ..."; every sent value
#   goes straight through to sub_coroutine.
# expect:
#   coroutine started
#   sub coroutine started
#   sub coroutine received value: 1
#   sub coroutine received value: 2
def coroutine():
	print("coroutine started")
	while True:
		value = yield from sub_coroutine()
		print(f"received value: {value}")

def sub_coroutine():
	print("sub coroutine started")
	while True:
		value = yield
		print(f"sub coroutine received value: {value}")

# to use this
c = coroutine()
next(c)
c.send(1)
c.send(2)
