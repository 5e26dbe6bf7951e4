"""The transports: how the loop carries bytes to and from the world.

This folder is a room apart from the core. The core (handles, futures,
tasks, loop, selector_io) knows only "call this when fd N is readable";
every transport here is built on that and nothing else, so each one shows
up on the timeline as fd waits (`read fd 12`) like any socket.

    base.py        write-buffer flow control that every transport shares
    socket.py      a TCP or unix stream connection (_SelectorSocketTransport)
    udp.py         datagram endpoints; sock_sendto / sock_recvfrom
    unix.py        unix-socket clients and servers
    pipes.py       a pipe's read or write end (connect_read_pipe/write_pipe)
    subprocess.py  a child process: its three pipes and its exit (pidfd)
    signals.py     add_signal_handler: signals through the self-pipe
    sendfile.py    sendfile / sock_sendfile (os.sendfile, or read+send)
    tls.py         TLS as a protocol layered on a transport (MemoryBIO)
    tls_transport.py  the plaintext transport your protocol sees over TLS
    tls_loop.py    ssl= on connections and servers; start_tls

`TransportServices` gathers the loop methods of all of them, one mixin of
EventLoop.
"""

from __future__ import annotations

from .pipes import PipeConnections
from .sendfile import SendfileServices
from .signals import SignalHandlers
from .socket import _SelectorSocketTransport
from .subprocess import SubprocessConnections
from .tls_loop import TLSConnections
from .udp import DatagramEndpoints
from .unix import UnixConnections

__all__ = ("TransportServices", "_SelectorSocketTransport")


class TransportServices(
    DatagramEndpoints, UnixConnections, PipeConnections, SubprocessConnections, SignalHandlers, SendfileServices,
    TLSConnections,
):  # fmt: skip
    """Every loop method of this folder, as one mixin of EventLoop."""
