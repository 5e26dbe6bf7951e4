# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", Cooperative multitasking with generators and coroutines
# modes: plain
# changed: nothing; the seed states no output, the prefix below is what its round-robin loop prints
# expect-prefix:
#   task1
#   task2
#   task1
#   task2
def task1():
	while True:
		print("task1")
		yield

def task2():
	while True:
		print("task2")
		yield


event_loop = [task1(), task2()]
while True:
	for task in event_loop:
		next(task)
