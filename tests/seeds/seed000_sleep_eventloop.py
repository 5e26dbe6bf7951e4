# ruff: noqa
# fmt: off
# seed: 000 "Understanding async/await without asyncio", the complete example
# modes: plain
# changed: the sleeps 4, 2, 9, 11 s are scaled by SCALE (0.2, 0.1, 0.45, 0.55 s); the order claim is kept
# expect:
#   Task start for sleep 4
#   Task start for sleep 2
#   Task start for sleep 9
#   Task start for sleep 11
#   Task resumed after sleep 2
#   Task resumed after sleep 4
#   Task resumed after sleep 9
#   Task resumed after sleep 11
from typing import List, Iterator
import time

SCALE = 0.05  # tinyloop: seconds of the seed -> seconds slept here


class Sleep:
    """Custom awaitable that pauses a coroutine for a specified duration."""
    
    def __init__(self, delay: float) -> None:
        self.delay: float = delay
        self.resume_at: float = time.monotonic() + delay * SCALE
    
    def __await__(self) -> Iterator[None]:
        # Yield control back to the event loop
        yield self
        return None


class EventLoop:
    """Minimal event loop that schedules and runs coroutines."""
    
    def __init__(self) -> None:
        self.tasks: List[Iterator[None]] = []
        self.sleeping: List[Sleep] = []
    
    def create_task(self, coro) -> None:
        """Add a coroutine to the task queue."""
        self.tasks.append(coro.__await__())
    
    def run(self) -> None:
        """Run the event loop until all tasks complete."""
        while self.tasks or self.sleeping:
            now: float = time.monotonic()
            
            # Wake up tasks whose sleep duration has elapsed
            ready: List[Sleep] = [
                s for s in self.sleeping if s.resume_at <= now
            ]
            for sleep in ready:
                self.sleeping.remove(sleep)
                self.tasks.append(sleep.task)
            
            # Execute one step of each ready task
            for task in list(self.tasks):
                try:
                    awaited = next(task)
                    if isinstance(awaited, Sleep):
                        awaited.task = task
                        self.sleeping.append(awaited)
                        self.tasks.remove(task)
                except StopIteration:
                    # Task completed
                    self.tasks.remove(task)
            
            time.sleep(0.01)  # Avoid busy-spinning


async def my_task(t: float) -> None:
    """Example coroutine that sleeps for a specified duration."""
    print(f"Task start for sleep {t}")
    await Sleep(t)
    print(f"Task resumed after sleep {t}")


# Create and run the event loop
loop = EventLoop()
loop.create_task(my_task(4))
loop.create_task(my_task(2))
loop.create_task(my_task(9))
loop.create_task(my_task(11))
loop.run()
