# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", Dealing with blocking IO - `asyncio.sleep` example
# modes: plain
# changed: the sleeps 1 and 2 s are scaled by SCALE (0.05 and 0.1 s); the seed states no output,
#   the prefix below is the order its sleeps imply (at 2 s both tasks wake: not compared)
# expect-prefix:
#   task1
#   task2
#   task1
import time

SCALE = 0.05  # tinyloop: seconds of the seed -> seconds slept here

def sleep_async(seconds):
	start = time.time()
	while True:
		if time.time() - start >= seconds * SCALE:
			return
		yield

def task1():
	while True:
		print("task1")
		yield from sleep_async(1)

def task2():
	while True:
		print("task2")
		yield from sleep_async(2)


event_loop = [task1(), task2()]
while True:
	for task in event_loop:
		next(task)
