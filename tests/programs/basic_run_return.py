# asyncio.run returns main's value; nested awaits return values up the chain.
import asyncio


async def leaf(x):
    print("leaf start", x)
    await asyncio.sleep(0)
    print("leaf end", x)
    return x * 2


async def middle(x):
    print("middle start", x)
    a = await leaf(x)
    b = await leaf(x + 1)
    print("middle end", a, b)
    return a + b


async def main():
    print("main start")
    total = await middle(10)
    print("main got", total)
    return {"total": total, "none": await asyncio.sleep(0)}


print("run returned", asyncio.run(main()))
print("run again", asyncio.run(middle(1)))
