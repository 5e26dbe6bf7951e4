"""Waiting on what only the outside world can deliver: a signal from another process, a TLS peer that never answers."""

import asyncio
import os
import signal
import socket
import ssl
import subprocess
import sys

CERTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "certs")
CLIENT_CTX = ssl.create_default_context(cafile=os.path.join(CERTS, "ca.pem"))


async def main():
    loop = asyncio.get_running_loop()
    # Nothing but a signal handler can wake this wait: no timer, no fd of ours.
    woken = loop.create_future()
    loop.add_signal_handler(signal.SIGUSR2, woken.set_result, "SIGUSR2 arrived")
    killer = subprocess.Popen([sys.executable, "-c", f"import os, time; time.sleep(0.2); os.kill({os.getpid()}, 12)"])
    print(await woken)
    loop.remove_signal_handler(signal.SIGUSR2)
    killer.wait()

    # A TCP server that accepts but never speaks TLS: the handshake times out.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", port, ssl=CLIENT_CTX,
                                     server_hostname="localhost", ssl_handshake_timeout=0.3)
    except ConnectionAbortedError as exc:
        print("ConnectionAbortedError:", exc)
    listener.close()


asyncio.run(main())
