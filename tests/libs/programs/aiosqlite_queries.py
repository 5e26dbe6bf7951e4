# aiosqlite: an in-memory database driven from tasks (its connection runs in a thread).
import asyncio

import aiosqlite


async def main():
    async with aiosqlite.connect(":memory:") as db:
        await db.execute("CREATE TABLE loops (name TEXT, year INTEGER)")
        await db.executemany("INSERT INTO loops VALUES (?, ?)", [("asyncio", 2014), ("curio", 2015), ("trio", 2017)])
        await db.commit()
        async with db.execute("SELECT name, year FROM loops ORDER BY year") as cursor:
            print(await cursor.fetchall())
        counts = await asyncio.gather(*(db.execute_fetchall("SELECT count(*) FROM loops") for _ in range(3)))
        print(counts)


asyncio.run(main())
