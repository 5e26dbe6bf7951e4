# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", Returning values from a coroutine in Python
# modes: plain
# changed: `while value := yield:` -> `while value := (yield):` -- the seed's line is a SyntaxError
#   (an unparenthesized yield cannot be the right side of :=); the two snippets are put one after
#   the other, and the program ends with the seed's uncaught StopIteration
# expect:
#   coroutine started
#   received value: 1
#   received value: 2
# expect-error: StopIteration: done
def corou():
	print("coroutine started")
	while value := (yield):
		print(f"received value: {value}")
	return "done"

c = corou()
next(c)
c.send(1)
c.send(2)
c.send(None)
