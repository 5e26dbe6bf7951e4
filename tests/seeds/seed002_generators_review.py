# ruff: noqa
# fmt: off
# seed: 002 "How Python Asyncio Works: Recreating it from Scratch", Generators Review
# modes: plain
# changed: the two snippets are put one after the other
# expect:
#   hello
#   world
#   hello
def generator():
   yield 'hello'
   yield 'world'

iterator = generator()

print(next(iterator))  # Output: hello
print(next(iterator))  # Output: world

def generator():
   yield 'hello'

def another_generator():
   yield from generator()

iterable = another_generator()
print(next(iterable))  # Output: hello
