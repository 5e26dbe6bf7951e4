# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", the first drafts of Task, run and sleep (before "Putting it all
#   together"), with the final program's tasks
# modes: plain
# changed: the drafts are put together with the final program's task1, task2, main; sleeps scaled
#   to 0.05 and 0.1 s; `from typing import Generator` added (the draft uses it).
#   The draft's Task.new queues a *second* Task(coro) and returns the first, which nobody ever
#   polls: `await task` on it spins forever. Each task prints once, then the program hangs.
# seed-says: (of the final program)
#   Task 1
#   Task 2
#   Task 1
#   Task 2
#   Task 2
#   done
# expect-prefix: (then it hangs: bounded by a timeout)
#   Task 1
#   Task 2
from queue import Queue
from typing import Generator
import time

event_loop = Queue()

class Task:
	def __init__(self, coro):
		self.coro = coro
		self.finished = False
		self.res = None

	def done(self):
		return self.finished

	def result(self):
		return self.res

	def __await__(self):
		while not self.done():
			yield self

		return self.result()

	@staticmethod
	def new(coro : Generator) -> 'Task':
		"""Create a new task from a coroutine"""
		task = Task(coro)
		event_loop.put(Task(coro))
		return task


def run(main: Generator) -> None:
	event_loop.put(Task(main))
	while not event_loop.empty():
		task = event_loop.get()
		try:
			# wakes up the task and runs until the next yield
			task.coro.send(None)
		except StopIteration as e:
			task.finished = True
			task.res = e.value
		else:
			event_loop.put(task)


def _sleep(seconds : float) -> None:
    start_time = time.time()
    while time.time() - start_time < seconds:
        yield

async def sleep(seconds : float):
    task = Task.new(_sleep(seconds))
    return await task


async def task1():
	for _ in range(2):
		print('Task 1')
		await sleep(0.05)

async def task2():
	for _ in range(3):
		print('Task 2')
		await sleep(0.1)

async def main():
	one = Task.new(task1())
	two = Task.new(task2())
	await one
	await two
	print("done")

if __name__ == '__main__':
	run(main())
