# ruff: noqa
# fmt: off
# seed: 003 "Asyncio from scratch", Putting it all together (coro.py)
# modes: plain
# changed: sleep(1) and sleep(2) -> sleep(0.05) and sleep(0.1)
# expect:
#   Task 1
#   Task 2
#   Task 1
#   Task 2
#   Task 2
#   done
from queue import Queue
from typing import Generator
import time


event_loop = Queue()


class Task:
	def __init__(self, coro):
		self.coro = coro
		self.finished = False
		self.res = None

	def __repr__(self) -> str:
		return f"{self.coro}, finished {self.finished}, res : {self.res}"

	def done(self):
		return self.finished

	def result(self):
		return self.res

	def __await__(self):
		while not self.done():
			yield self

		return self.result()

	@staticmethod
	def new(coro) -> 'Task':
		"""Create a new task from a coroutine"""
		task = Task(coro)
		event_loop.put(task)
		return task

def run(main: Generator) -> None:
	event_loop.put(Task(main))
	while not event_loop.empty():
		task = event_loop.get()
		# print(f"Running task {task}")
		try:
			# wakes up the task and runs until the next yield
			task.coro.send(None)
		except StopIteration as e:
			task.finished = True
			task.res = e.value
		else:
			event_loop.put(task)


def _sleep(seconds : float):
	start_time = time.time()
	while (time.time() - start_time) < seconds:
		yield

	return time.time() - start_time

async def sleep(seconds : float) -> None:
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
