"""StreamReader.readuntil(): one separator, and (3.13+, gh-81322) a tuple of them, where the
match that ends first wins; fed by hand, then at EOF without a separator."""

import asyncio
import sys


async def main():
    reader = asyncio.StreamReader()
    reader.feed_data(b"alpha\r\nbeta|gamma\n")
    print(await reader.readuntil(b"\r\n"))
    if sys.version_info >= (3, 13):
        print(await reader.readuntil((b"\n", b"|")))
        print(await reader.readuntil((b"\n", b"a\n", b"mma\n")))
    else:
        print(await reader.readuntil(b"|"))
        print(await reader.readuntil(b"\n"))
    reader.feed_data(b"tail")
    reader.feed_eof()
    try:
        await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        print("IncompleteReadError:", exc.partial)


asyncio.run(main())
