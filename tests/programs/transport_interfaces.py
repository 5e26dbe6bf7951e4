"""The interfaces around transports: BufferedProtocol, flow control, the class hierarchy, policies, getnameinfo."""

import asyncio
import socket
import sys


class Buffered(asyncio.BufferedProtocol):
    def __init__(self, done):
        self.buf = bytearray(8)
        self.got = b""
        self.done = done

    def connection_made(self, transport):
        self.transport = transport

    def get_buffer(self, sizehint):
        return self.buf

    def buffer_updated(self, nbytes):
        self.got += self.buf[:nbytes]
        print("buffer_updated", nbytes)

    def eof_received(self):
        print("eof_received, got", self.got)
        self.done.set_result(self.got)


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    async def send(reader, writer):
        writer.write(b"0123456789abcdef0123")  # more than the 8-byte buffer: several buffer_updated calls
        writer.write_eof()
        try:
            await reader.read()
        except ConnectionError:
            pass  # the second client closes without reading
        writer.close()

    server = await asyncio.start_server(send, "127.0.0.1", 0)
    print("server is an AbstractServer:", isinstance(server, asyncio.AbstractServer))
    port = server.sockets[0].getsockname()[1]
    transport, proto = await loop.create_connection(lambda: Buffered(done), "127.0.0.1", port)
    await asyncio.wait_for(done, 5)
    print("is a ReadTransport and a WriteTransport:", isinstance(transport, asyncio.ReadTransport),
          isinstance(transport, asyncio.WriteTransport))
    print("limits:", transport.get_write_buffer_limits(), "size:", transport.get_write_buffer_size())
    transport.set_write_buffer_limits(high=100)
    print("high=100:", transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(low=10)
    print("low=10:", transport.get_write_buffer_limits())
    try:
        transport.set_write_buffer_limits(high=1, low=2)
    except ValueError as exc:
        print("ValueError:", exc)
    print("reading:", transport.is_reading())
    transport.pause_reading()
    print("paused:", transport.is_reading())
    transport.resume_reading()
    print("resumed:", transport.is_reading())
    transport.close()
    print("closing, reading:", transport.is_reading())
    # An fd a live transport owns is not for add_reader and friends.
    open_transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    fd = open_transport.get_extra_info("socket").fileno()
    for call in (lambda: loop.add_reader(fd, print), lambda: loop.remove_writer(fd)):
        try:
            call()
        except RuntimeError as exc:
            print("RuntimeError: ...", " ".join(str(exc).split()[3:6]))  # the fd is the transport's
    open_transport.close()
    await asyncio.sleep(0)
    server.close()
    await server.wait_closed()

    print("subclasses:", issubclass(asyncio.Transport, asyncio.ReadTransport),
          issubclass(asyncio.DatagramTransport, asyncio.BaseTransport),
          issubclass(asyncio.SubprocessTransport, asyncio.BaseTransport),
          issubclass(asyncio.BufferedProtocol, asyncio.BaseProtocol),
          issubclass(asyncio.DatagramProtocol, asyncio.BaseProtocol),
          issubclass(asyncio.SubprocessProtocol, asyncio.BaseProtocol))
    for cls, method, *args in ((asyncio.ReadTransport, "pause_reading"), (asyncio.WriteTransport, "get_write_buffer_size"),
                               (asyncio.DatagramTransport, "sendto", b"x"), (asyncio.SubprocessTransport, "get_pid")):
        try:
            getattr(cls(), method)(*args)
        except NotImplementedError:
            print(cls.__name__, method, "-> NotImplementedError")

    # sock_recv's parameter is n on the concrete loop (nbytes only in AbstractEventLoop).
    a, b = socket.socketpair()
    for s in (a, b):
        s.setblocking(False)
    a.send(b"xyz")
    print("sock_recv(n=2):", await loop.sock_recv(b, n=2))
    try:
        await loop.sock_recv(b, nbytes=1)
    except TypeError as exc:
        print("TypeError:", str(exc).split("sock_recv() ")[1])
    a.close()
    b.close()

    print("getnameinfo:", await loop.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))

    policy = asyncio.get_event_loop_policy()
    print("policy is the default kind:", isinstance(policy, asyncio.DefaultEventLoopPolicy),
          isinstance(policy, asyncio.AbstractEventLoopPolicy))
    print("get_event_loop in a coroutine is the running loop:", asyncio.get_event_loop() is loop)
    new = policy.new_event_loop()
    print("new_event_loop is a fresh loop:", new is not loop, new.is_running())
    new.close()


asyncio.run(main())

# Outside a running loop: setting a policy of our own.
created = []


class Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        loop = super().new_event_loop()
        created.append(loop)
        return loop


asyncio.set_event_loop_policy(Policy())
print("custom policy in force:", type(asyncio.get_event_loop_policy()).__name__)
loop = asyncio.new_event_loop()
print("its new_event_loop was used:", created == [loop])
loop.close()
try:
    asyncio.set_event_loop_policy(object())
except TypeError as exc:
    print("TypeError:", exc)
asyncio.set_event_loop_policy(None)
print("back to the default:", type(asyncio.get_event_loop_policy()).__name__)
first = asyncio.get_event_loop_policy()
asyncio.set_event_loop_policy(None)
print("None makes a fresh default policy:", asyncio.get_event_loop_policy() is not first)
fresh = asyncio.DefaultEventLoopPolicy()
loop = fresh.get_event_loop()
print("a fresh policy makes its own loop:", loop is fresh.get_event_loop(), loop is not asyncio.get_event_loop_policy().get_event_loop())
loop.close()
fresh.set_event_loop(None)
try:
    fresh.get_event_loop()
except RuntimeError as exc:
    print("RuntimeError:", exc)
try:
    fresh.set_event_loop(object())
except TypeError as exc:
    print("TypeError:", exc)
try:
    asyncio.AbstractEventLoopPolicy().get_child_watcher()
except NotImplementedError:
    print("get_child_watcher: NotImplementedError")
print(sys.version_info[:2] >= (3, 11))
