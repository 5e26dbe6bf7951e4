"""The transport your protocol sees on a TLS connection: plaintext in, plaintext out.

Every call is handed to the `SSLProtocol` underneath (tls.py), which
encrypts what you write and decrypts what arrives. It cannot half-close
(`write_eof`): TLS has no such thing; and `loop.sendfile` on it falls back
to read + write, since every byte must pass through the cipher.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from ..protocols import Transport
from .base import water_marks

if TYPE_CHECKING:
    import ssl

__all__ = ()

WRITE_HIGH_WATER = 512 * 1024  # plaintext + ciphertext buffered before the app is told pause_writing()
READ_HIGH_WATER = 256 * 1024  # ciphertext waiting to be decrypted before the socket stops reading


class _SSLProtocolTransport(Transport):
    """What your protocol sees: a transport that writes plaintext (the TLS layer encrypts it)."""

    _sendfile_compatible = "fallback"  # the bytes must be encrypted: no os.sendfile
    _start_tls_compatible = True  # TLS inside TLS works: start_tls layers another SSLProtocol

    def __init__(self, loop: Any, ssl_protocol: Any) -> None:
        super().__init__()
        self._loop = loop
        self._ssl_protocol: Any | None = ssl_protocol
        self._closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """'peercert', 'cipher', 'ssl_object', 'sslcontext', and the socket's own ('peername', ...)."""
        return self._ssl_protocol._get_extra_info(name, default)

    def set_protocol(self, protocol: Any) -> None:
        self._ssl_protocol._app_protocol = protocol

    def get_protocol(self) -> Any:
        return self._ssl_protocol._app_protocol

    def is_closing(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Send close_notify after what is buffered, then close the socket."""
        if not self._closed:
            self._closed = True
            self._ssl_protocol._start_shutdown()
        else:
            self._ssl_protocol = None

    def __del__(self, _warn: Any = warnings.warn) -> None:
        if not getattr(self, "_closed", True):
            self._closed = True
            _warn("unclosed transport <asyncio._SSLProtocolTransport object>", ResourceWarning)

    def is_reading(self) -> bool:
        return not self._ssl_protocol._app_reading_paused

    def pause_reading(self) -> None:
        self._ssl_protocol._pause_reading()

    def resume_reading(self) -> None:
        self._ssl_protocol._resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._ssl_protocol._set_write_buffer_limits(high, low)
        self._ssl_protocol._control_app_writing()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return (self._ssl_protocol._outgoing_low_water, self._ssl_protocol._outgoing_high_water)

    def get_write_buffer_size(self) -> int:
        return self._ssl_protocol._get_write_buffer_size()

    def set_read_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        """Ciphertext waiting to be decrypted past `high` bytes pauses the socket's reading."""
        self._ssl_protocol._set_read_buffer_limits(high, low)
        self._ssl_protocol._control_ssl_reading()

    def get_read_buffer_limits(self) -> tuple[int, int]:
        return (self._ssl_protocol._incoming_low_water, self._ssl_protocol._incoming_high_water)

    def get_read_buffer_size(self) -> int:
        return self._ssl_protocol._get_read_buffer_size()

    @property
    def _protocol_paused(self) -> bool:
        return self._ssl_protocol._app_writing_paused  # read by sendfile's fallback

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data: expecting a bytes-like instance, got {type(data).__name__}")
        if data:
            self._ssl_protocol._write_appdata((data,))

    def writelines(self, list_of_data: Any) -> None:
        self._ssl_protocol._write_appdata(list_of_data)

    def write_eof(self) -> None:
        raise NotImplementedError  # TLS has no half-close (asyncio's bare error)

    def can_write_eof(self) -> bool:
        return False

    def abort(self) -> None:
        """Close the socket now, without close_notify, dropping what is buffered."""
        self._closed = True
        if self._ssl_protocol is not None:
            self._ssl_protocol._abort(None)


class _SSLFlowControl:
    """The TLS layer's flow control, both ways (a part of SSLProtocol, kept here beside the transport that asks for it).

    Writing: plaintext not yet encrypted plus ciphertext not yet handed to
    the socket counts against the app's write buffer limits. Reading: when
    the app pauses, ciphertext piles up in the incoming BIO; past the read
    high-water mark the socket itself stops reading.
    """

    _loop: Any
    _transport: Any
    _app_protocol: Any
    _app_transport: Any
    _incoming: ssl.MemoryBIO
    _outgoing: ssl.MemoryBIO

    def _set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._outgoing_high_water, self._outgoing_low_water = water_marks(high, low, WRITE_HIGH_WATER)

    def _set_read_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._incoming_high_water, self._incoming_low_water = water_marks(high, low, READ_HIGH_WATER)

    def _get_read_buffer_size(self) -> int:
        return self._incoming.pending

    def _control_ssl_reading(self) -> None:
        """Too much ciphertext waiting (the app paused its reading): stop reading the socket."""
        size = self._get_read_buffer_size()
        if size >= self._incoming_high_water and not self._ssl_reading_paused:
            self._ssl_reading_paused = True
            self._transport.pause_reading()
        elif size <= self._incoming_low_water and self._ssl_reading_paused:
            self._ssl_reading_paused = False
            self._transport.resume_reading()

    def _get_write_buffer_size(self) -> int:
        return self._outgoing.pending + self._write_buffer_size

    def _control_app_writing(self) -> None:
        size = self._get_write_buffer_size()
        if size >= self._outgoing_high_water and not self._app_writing_paused:
            self._app_writing_paused = True
            self._call_app("pause_writing")
        elif size <= self._outgoing_low_water and self._app_writing_paused:
            self._app_writing_paused = False
            self._call_app("resume_writing")

    def _call_app(self, method: str) -> None:
        try:
            getattr(self._app_protocol, method)()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._loop.call_exception_handler({"message": f"protocol.{method}() failed", "exception": exc,
                                               "transport": self._app_transport, "protocol": self})  # fmt: skip

    def _pause_reading(self) -> None:
        self._app_reading_paused = True

    def _resume_reading(self) -> None:
        if self._app_reading_paused:
            self._app_reading_paused = False
            self._loop.call_soon(self._resume)  # what arrived meanwhile waits in the incoming BIO


def _create_transport_context(server_side: bool, server_hostname: str | None) -> ssl.SSLContext:
    """ssl=True on a client: the default context (certificates checked against the system's CAs)."""
    import ssl

    if server_side:
        raise ValueError("Server side SSL needs a valid SSLContext")
    sslcontext = ssl.create_default_context()
    if not server_hostname:
        sslcontext.check_hostname = False
    return sslcontext
