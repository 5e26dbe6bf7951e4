"""create_datagram_endpoint's checks on what it is given: a stale unix socket file is
removed before bind (a regular file is not: bind fails), and a stream socket is refused
with the message of this interpreter's asyncio (it changed in gh-114887)."""

import asyncio
import os
import socket
import tempfile


async def main():
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "endpoint")
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        stale.bind(path)
        stale.close()
        transport, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, path, family=socket.AF_UNIX)
        print("bound over a stale socket file:", transport.get_extra_info("sockname") == path)
        transport.close()
        await asyncio.sleep(0)
        os.remove(path)
        open(path, "w").close()
        try:
            await loop.create_datagram_endpoint(asyncio.DatagramProtocol, path, family=socket.AF_UNIX)
        except OSError as exc:
            print("a regular file is left alone:", type(exc).__name__, exc.errno)
        print("the file is still there:", os.path.isfile(path))
    stream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, sock=stream)
    except ValueError as exc:
        print("ValueError:", str(exc).partition(",")[0])
    finally:
        stream.close()


asyncio.run(main())
