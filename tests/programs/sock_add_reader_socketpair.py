"""add_reader / add_writer / remove_* on a socketpair.

Callbacks run in loop order: a reader registered for a readable fd runs in
the next iteration, before expired timers; re-registering replaces the old
callback; remove_* says whether there was one.
"""
import asyncio
import socket
import time


async def main():
    loop = asyncio.get_running_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    got = loop.create_future()
    log = []

    def on_readable(tag):
        data = b.recv(100)
        log.append(f"{tag} read {data!r}")
        if data == b"stop":
            loop.remove_reader(b)
            got.set_result(tag)

    loop.add_reader(b.fileno(), on_readable, "first")
    loop.add_reader(b, on_readable, "second")  # replaces "first" (same fd, as a socket object)
    loop.call_soon(log.append, "call_soon before send")
    a.send(b"ping")
    loop.call_soon(log.append, "call_soon after send")
    await asyncio.sleep(0)
    log.append("main after sleep(0)")
    await asyncio.sleep(0)
    log.append("main after 2nd sleep(0)")
    a.send(b"stop")
    print("woken by:", await got)
    for line in log:
        print(" ", line)

    print("remove_reader (already removed):", loop.remove_reader(b))
    print("remove_writer (never added):", loop.remove_writer(b))

    # A writer fires as soon as the socket has room, which it has.
    writable = loop.create_future()
    loop.add_writer(a, lambda: writable.done() or writable.set_result("writable"))
    loop.call_soon(print, "call_soon runs first")
    print(await writable)
    print("remove_writer:", loop.remove_writer(a))

    # Reader and writer on one fd in the same iteration: the reader runs first.
    order = []
    done = loop.create_future()

    def reader_cb():
        order.append("reader")
        a.recv(100)
        loop.remove_reader(a)

    def writer_cb():
        order.append("writer")
        loop.remove_writer(a)
        done.set_result(None)

    b.send(b"x")
    loop.add_writer(a, writer_cb)
    loop.add_reader(a, reader_cb)
    await done
    print("same fd:", order)

    # A timer and an fd that both became ready while the loop was busy:
    # the I/O callback joins the ready queue before the expired timer.
    order = []
    fin = loop.create_future()
    loop.call_later(0.005, order.append, "timer")
    loop.add_reader(a, lambda: (order.append("reader"), a.recv(10), loop.remove_reader(a)))
    loop.call_later(0.006, fin.set_result, None)
    b.send(b"y")
    time.sleep(0.02)  # block the loop: by the next select both are ready
    await fin
    print("timer vs reader:", order)
    try:
        loop.add_reader(-1, print)
    except ValueError as e:
        print("ValueError:", e)
    a.close()
    b.close()


asyncio.run(main())
