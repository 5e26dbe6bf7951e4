# aiofiles: write and read a file without blocking the loop (its work runs in threads).
import asyncio
import os
import tempfile

import aiofiles


async def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "notes.txt")
        async with aiofiles.open(path, "w") as f:
            for n in range(3):
                await f.write(f"line {n}\n")
        async with aiofiles.open(path) as f:
            print(repr(await f.read()))
        async with aiofiles.open(path) as f:
            print([line.strip() async for line in f])


asyncio.run(main())
