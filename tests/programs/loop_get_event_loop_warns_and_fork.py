"""get_event_loop() outside a running loop: it makes the loop, and from 3.12 warns
DeprecationWarning at the caller's line (gh-100160); a forked child then gets a loop of its
own from 3.12 (gh-66285), its parent's before."""

import asyncio
import os
import warnings

warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    loop = asyncio.get_event_loop()
for warning in caught:
    print(warning.category.__name__, "-", warning.message, "- at", os.path.basename(warning.filename), warning.lineno)
print("the same loop again:", asyncio.get_event_loop() is loop)

read_end, write_end = os.pipe()
pid = os.fork()
if pid == 0:
    try:
        with warnings.catch_warnings(record=True):
            child_loop = asyncio.get_event_loop()
        os.write(write_end, b"the parent's loop" if child_loop is loop else b"a loop of its own")
    finally:
        os._exit(0)
os.waitpid(pid, 0)
print("the forked child has", os.read(read_end, 100).decode())
os.close(read_end)
os.close(write_end)
loop.close()
