# ruff: noqa
# fmt: off
# seed: 002 "How Python Asyncio Works: Recreating it from Scratch", Sleeping
# modes: plain
# changed: the sleeps 1 and 5 s are scaled by SCALE (0.05 and 0.25 s); the order claim is kept
# expect-prefix:
#   Task 1
#   Task 2
#   Task 1
#   Task 1
#   Task 1
#   Task 1
#   Task 2
#   Task 1
import time

SCALE = 0.05  # tinyloop: seconds of the seed -> seconds slept here

def sleep(seconds):
   start_time = time.time()
   while time.time() - start_time < seconds * SCALE:
       yield

def task1():
   while True:
       print('Task 1')
       yield from sleep(1)

def task2():
   while True:
       print('Task 2')
       yield from sleep(5)

event_loop = [task1(), task2()]

while True:
   for task in event_loop:
       next(task)
