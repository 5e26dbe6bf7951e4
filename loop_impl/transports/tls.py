"""TLS as a protocol layered on a transport, over the ssl module's MemoryBIO.

The loop never hands a socket to `ssl.wrap_socket`: a TLS socket would
block, or raise "want read" at awkward moments. Instead TLS sits *between*
two layers it already has:

    socket transport  ──buffer_updated(ciphertext)─▶  SSLProtocol
                      ◀──transport.write(ciphertext)──  │
                                                        │ SSLObject over two MemoryBIOs
    your protocol     ◀──data_received(plaintext)────── │
                      ──app_transport.write(plaintext)─▶┘

`SSLProtocol` is the socket transport's protocol (a BufferedProtocol: the
socket receives straight into its buffer): it feeds the ciphertext
it receives into the *incoming* BIO, lets the `SSLObject` decrypt, and
hands the plaintext to your protocol. What you write goes the other way;
whatever the SSLObject puts in the *outgoing* BIO is written to the
socket. The handshake and the closing `close_notify` are the same dance:
call the SSLObject, flush the outgoing BIO, and wait for more bytes when
it says `SSLWantReadError`. So TLS adds no fd and no special case to the
loop: on the timeline it is the socket's own `read fd N` waits.

Its states (asyncio's, from uvloop): UNWRAPPED → DO_HANDSHAKE → WRAPPED →
FLUSHING → SHUTDOWN → UNWRAPPED. The handshake and the shutdown each have
a timeout (ssl_handshake_timeout=60 s, ssl_shutdown_timeout=30 s).
"""

from __future__ import annotations

import collections
import ssl
from typing import Any

from ..diagnostics import logger
from ..protocols import BufferedProtocol
from .tls_transport import _create_transport_context, _SSLFlowControl, _SSLProtocolTransport

__all__ = ()

SSL_HANDSHAKE_TIMEOUT = 60.0
SSL_SHUTDOWN_TIMEOUT = 30.0
MAX_READ = 256 * 1024  # plaintext bytes asked of each SSLObject.read()
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5
_WANT_MORE = (ssl.SSLWantReadError, ssl.SSLSyscallError)  # "not an error: feed me more bytes"

UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN = "UNWRAPPED", "DO_HANDSHAKE", "WRAPPED", "FLUSHING", "SHUTDOWN"


class SSLProtocol(_SSLFlowControl, BufferedProtocol):
    """The TLS layer: the socket transport's protocol, and the app transport's engine."""

    def __init__(self, loop: Any, app_protocol: Any, sslcontext: ssl.SSLContext | None, waiter: Any,
                 server_side: bool = False, server_hostname: str | None = None, call_connection_made: bool = True,
                 ssl_handshake_timeout: float | None = None, ssl_shutdown_timeout: float | None = None) -> None:  # fmt: skip
        if ssl_handshake_timeout is None:
            ssl_handshake_timeout = SSL_HANDSHAKE_TIMEOUT
        elif ssl_handshake_timeout <= 0:
            raise ValueError(f"ssl_handshake_timeout should be a positive number, got {ssl_handshake_timeout}")
        if ssl_shutdown_timeout is None:
            ssl_shutdown_timeout = SSL_SHUTDOWN_TIMEOUT
        elif ssl_shutdown_timeout <= 0:
            raise ValueError(f"ssl_shutdown_timeout should be a positive number, got {ssl_shutdown_timeout}")
        if not sslcontext:
            sslcontext = _create_transport_context(server_side, server_hostname)
        self._server_side = server_side
        self._server_hostname = server_hostname if server_hostname and not server_side else None
        self._sslcontext = sslcontext
        self._extra = {"sslcontext": sslcontext}  # filled in by the handshake
        self._write_backlog: collections.deque = collections.deque()  # plaintext not yet encrypted
        self._write_buffer_size = 0
        self._waiter = waiter
        self._loop = loop
        self._app_protocol = app_protocol
        self._app_transport = _SSLProtocolTransport(loop, self)
        self._app_connected = False  # connection_made was called on the app protocol
        self._app_eof = False  # eof_received was called on the app protocol
        self._call_connection_made = call_connection_made
        self._transport: Any = None
        self._ssl_handshake_timeout = ssl_handshake_timeout
        self._ssl_shutdown_timeout = ssl_shutdown_timeout
        self._ssl_buffer = bytearray(MAX_READ)  # the socket transport receives into it (get_buffer)
        self._ssl_buffer_view = memoryview(self._ssl_buffer)
        self._incoming = ssl.MemoryBIO()  # ciphertext from the socket, for the SSLObject
        self._outgoing = ssl.MemoryBIO()  # ciphertext from the SSLObject, for the socket
        self._sslobj: ssl.SSLObject | None = None
        self._state = UNWRAPPED
        self._conn_lost = 0
        self._eof_received = False
        self._app_reading_paused = False
        self._app_writing_paused = False
        self._ssl_writing_paused = False  # the socket transport told us pause_writing()
        self._handshake_timeout_handle: Any = None
        self._shutdown_timeout_handle: Any = None
        self._ssl_reading_paused = False  # we paused the socket transport's reading
        self._set_write_buffer_limits()
        self._set_read_buffer_limits()

    def _wakeup_waiter(self, exc: BaseException | None = None) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.cancelled():
            if exc is not None:
                waiter.set_exception(exc)
            else:
                waiter.set_result(None)

    def _get_extra_info(self, name: str, default: Any = None) -> Any:
        if name in self._extra:
            return self._extra[name]
        if self._transport is not None:
            return self._transport.get_extra_info(name, default)
        return default

    # -- the socket transport's callbacks ---------------------------------
    def connection_made(self, transport: Any) -> None:
        """The TCP connection is up: start the handshake."""
        self._transport = transport
        self._state = DO_HANDSHAKE
        self._handshake_timeout_handle = self._loop.call_later(
            self._ssl_handshake_timeout, self._check_handshake_timeout
        )
        self._sslobj = self._sslcontext.wrap_bio(self._incoming, self._outgoing, server_side=self._server_side,
                                                 server_hostname=self._server_hostname)  # fmt: skip
        self._do_handshake()

    def get_buffer(self, n: int) -> memoryview:
        """Where the socket transport receives ciphertext: our own buffer (we are a BufferedProtocol)."""
        want = n if 0 < n <= MAX_READ else MAX_READ
        if len(self._ssl_buffer) < want:
            self._ssl_buffer = bytearray(want)
            self._ssl_buffer_view = memoryview(self._ssl_buffer)
        return self._ssl_buffer_view

    def buffer_updated(self, nbytes: int) -> None:
        """Ciphertext arrived: feed it to the SSLObject, then do what the state asks."""
        self._incoming.write(self._ssl_buffer_view[:nbytes])
        if self._state == DO_HANDSHAKE:
            self._do_handshake()
        elif self._state == WRAPPED:
            self._do_read()
        elif self._state == FLUSHING:
            self._do_flush()
        elif self._state == SHUTDOWN:
            self._do_shutdown()

    def eof_received(self) -> None:
        """The peer closed TCP (with or without close_notify)."""
        self._eof_received = True
        try:
            if self._state == DO_HANDSHAKE:
                self._on_handshake_complete(ConnectionResetError())
            elif self._state == WRAPPED:
                self._state = FLUSHING
                self._do_flush()
            elif self._state == FLUSHING:
                self._state = SHUTDOWN
                self._do_shutdown()
            elif self._state == SHUTDOWN:
                self._do_shutdown()
        except Exception:
            self._transport.close()
            raise

    def connection_lost(self, exc: BaseException | None) -> None:
        self._write_backlog.clear()
        self._outgoing.read()
        self._conn_lost += 1
        if self._app_transport is not None:
            self._app_transport._closed = True
        if self._state != DO_HANDSHAKE and self._app_connected:
            self._app_connected = False
            self._loop.call_soon(self._app_protocol.connection_lost, exc)
        self._state = UNWRAPPED
        # Drop the references both ways (why: no cycle keeps the protocol, its
        # SSLContext and its app protocol alive until the next gc).
        self._transport = self._app_transport = self._app_protocol = None
        self._wakeup_waiter(exc)
        for handle in (self._handshake_timeout_handle, self._shutdown_timeout_handle):
            if handle is not None:
                handle.cancel()

    def pause_writing(self) -> None:
        self._ssl_writing_paused = True

    def resume_writing(self) -> None:
        self._ssl_writing_paused = False
        self._process_outgoing()

    # -- the handshake ------------------------------------------------------
    def _check_handshake_timeout(self) -> None:
        if self._state == DO_HANDSHAKE:
            msg = f"SSL handshake is taking longer than {self._ssl_handshake_timeout} seconds: aborting the connection"
            self._fatal_error(ConnectionAbortedError(msg))

    def _do_handshake(self) -> None:
        try:
            self._sslobj.do_handshake()
        except _WANT_MORE:
            self._process_outgoing()  # send our part, wait for the peer's
        except ssl.SSLError as exc:
            self._on_handshake_complete(exc)
        else:
            self._on_handshake_complete(None)

    def _on_handshake_complete(self, handshake_exc: BaseException | None) -> None:
        if self._handshake_timeout_handle is not None:
            self._handshake_timeout_handle.cancel()
            self._handshake_timeout_handle = None
        sslobj = self._sslobj
        try:
            if handshake_exc is not None:
                raise handshake_exc
            self._state = WRAPPED
            peercert = sslobj.getpeercert()
        except Exception as exc:
            self._state = UNWRAPPED
            msg = "SSL handshake failed on verifying the certificate" if isinstance(exc, ssl.CertificateError) \
                else "SSL handshake failed"  # fmt: skip
            self._fatal_error(exc, msg)
            self._wakeup_waiter(exc)
            return
        self._extra.update(peercert=peercert, cipher=sslobj.cipher(), compression=sslobj.compression(),
                           ssl_object=sslobj)  # fmt: skip
        if self._call_connection_made:
            self._app_protocol.connection_made(self._app_transport)
        self._app_connected = True
        self._wakeup_waiter()
        # Data may have come with the handshake's last flight (why: read it
        # now, as asyncio does, or it waits for the next packet).
        self._loop.call_soon(self._do_read)
        self._do_write()

    # -- reading and writing -------------------------------------------------
    def _do_read(self) -> None:
        if self._state not in (WRAPPED, FLUSHING) or self._app_reading_paused:
            return
        try:
            more = self._do_read__buffered() if isinstance(self._app_protocol, BufferedProtocol) else self._do_read__copied()
        except Exception as exc:
            self._fatal_error(exc, "Fatal error on SSL protocol")
            return
        if not more:  # the peer's close_notify (a clean TLS close)
            self._call_eof_received()
            self._start_shutdown()
            return
        self._process_outgoing()  # reading may have produced protocol bytes (TLS 1.3 tickets, alerts)
        self._control_ssl_reading()

    def _do_read__copied(self) -> bool:
        """Decrypt what the incoming BIO holds, one data_received() per chunk; False at close_notify."""
        try:
            while True:
                chunk = self._sslobj.read(MAX_READ)
                if not chunk:
                    return False  # SSLObject.read() returns b"" once close_notify arrived
                self._app_protocol.data_received(chunk)
                if self._app_reading_paused or self._state not in (WRAPPED, FLUSHING):
                    return True
        except _WANT_MORE:
            return True

    def _do_read__buffered(self) -> bool:
        """A BufferedProtocol lends its buffer: decrypt straight into it; False at close_notify."""
        buf = self._app_protocol.get_buffer(self._get_read_buffer_size())
        wants, offset, count = len(buf), 0, 1
        try:
            while offset < wants:
                count = self._sslobj.read(wants - offset, memoryview(buf)[offset:])
                if not count:
                    break
                offset += count
            else:
                self._loop.call_soon(self._do_read)  # the buffer is full: more may be waiting
        except _WANT_MORE:
            pass
        if offset:
            self._app_protocol.buffer_updated(offset)
        return bool(count)

    def _call_eof_received(self) -> None:
        if self._app_connected and not self._app_eof:
            self._app_eof = True  # once only, whichever way the close came
            try:
                keep_open = self._app_protocol.eof_received()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Error calling eof_received()")
                return
            if keep_open:
                logger.warning("returning true from eof_received() has no effect when using ssl")

    def _write_appdata(self, list_of_data: Any) -> None:
        if self._state in (FLUSHING, SHUTDOWN, UNWRAPPED):
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("SSL connection is closed")
            self._conn_lost += 1
            return
        for data in list_of_data:
            self._write_backlog.append(data)
            self._write_buffer_size += len(data)
        try:
            if self._state == WRAPPED:
                self._do_write()
        except Exception as exc:
            self._fatal_error(exc, "Fatal error on SSL protocol")

    def _do_write(self) -> None:
        """Encrypt the backlog into the outgoing BIO, then send it."""
        try:
            while self._write_backlog:
                data = self._write_backlog[0]
                count = self._sslobj.write(data)
                if count < len(data):
                    self._write_backlog[0] = data[count:]
                else:
                    del self._write_backlog[0]
                self._write_buffer_size -= count
        except _WANT_MORE:
            pass
        self._process_outgoing()

    def _process_outgoing(self) -> None:
        if not self._ssl_writing_paused and self._transport is not None:
            data = self._outgoing.read()
            if data:
                self._transport.write(data)
        self._control_app_writing()

    def _resume(self) -> None:
        if self._state == WRAPPED:
            self._do_read()
        elif self._state == FLUSHING:
            self._do_flush()
        elif self._state == SHUTDOWN:
            self._do_shutdown()

    # -- closing ---------------------------------------------------------------
    def _start_shutdown(self) -> None:
        if self._state in (FLUSHING, SHUTDOWN, UNWRAPPED):
            return
        if self._app_transport is not None:
            self._app_transport._closed = True
        if self._state == DO_HANDSHAKE:
            self._abort(None)
            return
        self._state = FLUSHING
        self._shutdown_timeout_handle = self._loop.call_later(self._ssl_shutdown_timeout, self._check_shutdown_timeout)
        self._do_flush()

    def _check_shutdown_timeout(self) -> None:
        if self._state in (FLUSHING, SHUTDOWN):
            self._transport._force_close(TimeoutError("SSL shutdown timed out"))

    def _do_flush(self) -> None:
        """Closing: read what is left, send what is buffered, then close_notify."""
        self._do_read_quietly()
        self._do_write()
        if not self._write_backlog:
            self._state = SHUTDOWN
            self._do_shutdown()

    def _do_read_quietly(self) -> None:
        try:
            while True:
                chunk = self._sslobj.read(MAX_READ)
                if not chunk:
                    break
                if self._app_connected:
                    self._app_protocol.data_received(chunk)
        except _WANT_MORE:
            pass

    def _do_shutdown(self) -> None:
        try:
            if not self._eof_received:
                self._sslobj.unwrap()  # send close_notify; done once the peer's comes back
        except _WANT_MORE:
            self._process_outgoing()
        except ssl.SSLError as exc:
            self._on_shutdown_complete(exc)
        else:
            self._process_outgoing()
            self._call_eof_received()
            self._on_shutdown_complete(None)

    def _on_shutdown_complete(self, shutdown_exc: BaseException | None) -> None:
        if self._shutdown_timeout_handle is not None:
            self._shutdown_timeout_handle.cancel()
            self._shutdown_timeout_handle = None
        if shutdown_exc is not None:
            self._fatal_error(shutdown_exc)
        elif self._transport is not None:
            self._loop.call_soon(self._transport.close)

    def _abort(self, exc: BaseException | None) -> None:
        self._state = UNWRAPPED
        if self._transport is not None:
            self._transport.abort()

    def _fatal_error(self, exc: BaseException, message: str = "Fatal error on transport") -> None:
        if self._transport is not None:
            self._transport._force_close(exc)
        if not isinstance(exc, OSError):  # SSL and socket errors are the connection's fate
            self._loop.call_exception_handler({"message": message, "exception": exc,
                                               "transport": self._transport, "protocol": self})  # fmt: skip
