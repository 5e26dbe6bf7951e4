# seed: 001 "Tiny-asyncio", Keyword Under the Hood / await: the three spellings of `yield from`
# modes: plain
# changed: the seed leaves my_generator() undefined; here it yields 1, 2, 3, and each foo is printed
# expect:
#   yield from: [1, 2, 3]
#   for loop: [1, 2, 3]
#   next() loop: [1, 2, 3]
def my_generator():
    yield 1
    yield 2
    yield 3


def foo_yield_from():
    yield from my_generator()


def foo_for_loop():
    for value in my_generator():  # noqa: UP028 (the point: what `yield from` replaces)
        yield value


def foo_next_loop():
    it = iter(my_generator())
    while True:
        try:
            value = next(it)
            yield value
        except StopIteration:
            break


print("yield from:", list(foo_yield_from()))
print("for loop:", list(foo_for_loop()))
print("next() loop:", list(foo_next_loop()))
