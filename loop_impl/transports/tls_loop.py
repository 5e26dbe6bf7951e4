"""The loop's side of TLS: `ssl=` on connections and servers, and `start_tls`.

Both build the same stack (tls.py): a socket transport whose protocol is an
`SSLProtocol`, whose app transport is what your protocol gets.

* `create_connection(..., ssl=ctx)` / a server with `ssl=ctx`: the stack is
  built at once; `connection_made` reaches your protocol after the
  handshake, and `create_connection` returns only then.
* `start_tls(transport, protocol, ctx)`: upgrade a connection that is
  already open (STARTTLS in SMTP, IMAP...). The transport's protocol is
  swapped for an SSLProtocol that keeps yours as its app protocol.
"""

from __future__ import annotations

from typing import Any

from .socket import _SelectorSocketTransport

__all__ = ("TLSConnections",)


class TLSConnections:
    """Mixin of EventLoop: the TLS stack under create_connection/create_server, and start_tls."""

    def _make_ssl_transport(self, rawsock: Any, protocol: Any, sslcontext: Any, waiter: Any, server_side: bool,
                            server_hostname: Any, ssl_handshake_timeout: Any = None, ssl_shutdown_timeout: Any = None,
                            extra: dict | None = None, server: Any = None) -> Any:  # fmt: skip
        """Socket transport → SSLProtocol → app transport; return the app transport."""
        from .tls import SSLProtocol  # ssl is imported by the first TLS connection, not by loop_impl

        ssl_protocol = SSLProtocol(self, protocol, sslcontext, waiter, server_side, server_hostname,
                                   ssl_handshake_timeout=ssl_handshake_timeout,
                                   ssl_shutdown_timeout=ssl_shutdown_timeout)  # fmt: skip
        _SelectorSocketTransport(self, rawsock, ssl_protocol, extra=extra, server=server)
        return ssl_protocol._app_transport

    async def start_tls(self, transport: Any, protocol: Any, sslcontext: Any, *, server_side: bool = False,
                        server_hostname: str | None = None, ssl_handshake_timeout: float | None = None,
                        ssl_shutdown_timeout: float | None = None) -> Any:  # fmt: skip
        """Upgrade an open connection to TLS; return the new (plaintext) transport."""
        import ssl

        from .tls import SSLProtocol

        if not isinstance(sslcontext, ssl.SSLContext):
            raise TypeError(f"sslcontext is expected to be an instance of ssl.SSLContext, got {sslcontext!r}")
        if not getattr(transport, "_start_tls_compatible", False):
            raise TypeError(f"transport {transport!r} is not supported by start_tls()")
        waiter = self.create_future()
        waiter._label = "TLS handshake"
        ssl_protocol = SSLProtocol(self, protocol, sslcontext, waiter, server_side, server_hostname,
                                   ssl_handshake_timeout=ssl_handshake_timeout,
                                   ssl_shutdown_timeout=ssl_shutdown_timeout, call_connection_made=False)  # fmt: skip
        # Pause first (why: not one byte may reach the SSLProtocol before
        # its connection_made has started the handshake).
        transport.pause_reading()
        transport.set_protocol(ssl_protocol)
        conmade_cb = self.call_soon(ssl_protocol.connection_made, transport)
        resume_cb = self.call_soon(transport.resume_reading)
        try:
            await waiter
        except BaseException:
            transport.close()
            conmade_cb.cancel()
            resume_cb.cancel()
            raise
        return ssl_protocol._app_transport
