"""Where asyncio changed between Python versions: one row per difference.

loop_impl follows the asyncio of the interpreter it runs on. Each row is a
boolean named for the behaviour, true when the running Python has it, with
the version and the CPython issue that changed it. Code tests the name,
never `sys.version_info` directly, so every difference is listed here.
"""

from __future__ import annotations

import sys

# 3.13, gh-113812: DatagramTransport.sendto(b"") sends an empty datagram
# (before, it was silently dropped), and a buffered datagram counts 8 header
# bytes in get_write_buffer_size().
DATAGRAM_SENDS_EMPTY = sys.version_info >= (3, 13)

# 3.13, gh-111246: create_unix_server(cleanup_socket=True) unlinks the
# socket file when the server closes.
UNIX_SERVER_CLEANUP_SOCKET = sys.version_info >= (3, 13)

# 3.13, gh-113538: Server.close_clients() and Server.abort_clients().
SERVER_CLOSE_CLIENTS = sys.version_info >= (3, 13)

# 3.12, gh-83925: Process.communicate() closes the child's stdin even with
# input=None (before, stdin was left open and a child reading it hung).
COMMUNICATE_CLOSES_STDIN = sys.version_info >= (3, 12)

# 3.13, gh-87744: SubprocessTransport.send_signal() calls os.kill() itself
# (no waitpid() behind the child watcher's back) and ignores a child that
# is already gone.
SUBPROCESS_SIGNAL_BY_KILL = sys.version_info >= (3, 13)

# 3.12: StreamWriter.start_tls() takes ssl_shutdown_timeout (as loop.start_tls does).
STREAM_START_TLS_SHUTDOWN_TIMEOUT = sys.version_info >= (3, 12)

# 3.12, gh-90352: the selector loop's datagram transport is an
# asyncio.DatagramTransport (before, only a Transport, as it always is).
DATAGRAM_TRANSPORT_SUBCLASSES_DATAGRAMTRANSPORT = sys.version_info >= (3, 12)
