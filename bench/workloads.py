"""The benchmark workloads, written once against an asyncio-like module.

Every workload is a coroutine function `workload(aio, **size)` that uses only
what the asyncio API offers (`aio.sleep`, `aio.gather`, `aio.create_task`,
`aio.get_running_loop().sock_recv`, ...) and returns a dict of measurements.
The same code runs on every backend:

    asyncio          CPython's loop with its C-accelerated Task and Future
    uvloop           asyncio's Task and Future on uvloop's libuv loop
    loop_impl        tinyloop's pure-Python loop
    loop_impl+trace  the same with a trace Recorder attached

Run as a script, this module is the child process of `bench/run.py`: one
backend, one workload, in a fresh interpreter (why: memory numbers are only
fair when no other backend has grown the heap before), and it prints one
line `BENCH_RESULT {json}` on stdout.

    python bench/workloads.py BACKEND WORKLOAD '{"n": 1000}'

(With BENCH_NO_GC=1 in the environment the cyclic GC is disabled.)
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import socket
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

BACKENDS = ("asyncio", "uvloop", "loop_impl", "loop_impl+trace")
RESULT_PREFIX = "BENCH_RESULT "

perf_counter = time.perf_counter
process_time = time.process_time
monotonic = time.monotonic


# -- task-switch throughput ----------------------------------------------------


async def switch(aio: Any, tasks: int = 100, iters: int = 2000) -> dict:
    """`tasks` tasks each doing `iters` sleep(0): every sleep(0) is one switch."""

    async def spinner() -> None:
        for _ in range(iters):
            await aio.sleep(0)

    cpu0, started = process_time(), perf_counter()
    await aio.gather(*[spinner() for _ in range(tasks)])
    wall, cpu = perf_counter() - started, process_time() - cpu0
    return {"wall": wall, "switches_per_s": _rate(tasks * iters, wall), "switches_per_cpu_s": _rate(tasks * iters, cpu)}


# -- spawn + gather ------------------------------------------------------------


async def _trivial() -> None:
    return None


async def spawn(aio: Any, n: int = 100_000) -> dict:
    """gather() of n trivial coroutines: create n tasks, step each once, collect."""
    rss_before = _current_rss()
    cpu0, started = process_time(), perf_counter()
    await aio.gather(*[_trivial() for _ in range(n)])
    wall, cpu = perf_counter() - started, process_time() - cpu0
    peak = _peak_rss()
    return {
        "wall": wall,
        "tasks_per_s": _rate(n, wall),
        "tasks_per_cpu_s": _rate(n, cpu),
        "peak_rss_mb": peak / 2**20,
        # Peak minus what the process held just before: the cost of n live tasks.
        "rss_per_task": max(0, peak - rss_before) / n,
    }


async def spawn_mem(aio: Any, n: int = 100_000) -> dict:
    """The same gather under tracemalloc: peak bytes allocated per task."""
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    started = perf_counter()
    await aio.gather(*[_trivial() for _ in range(n)])
    wall = perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - base
    # (tracemalloc stays on: the runner measures what a recorder holds by dropping it, then stops it)
    return {"wall": wall, "alloc_per_task": (peak - base) / n, "retained_bytes": retained}


# -- many timers -------------------------------------------------------------------


async def timers(aio: Any, n: int = 10_000, max_delay: float = 0.2, seed: int = 2024) -> dict:
    """n tasks each sleeping a random 0..max_delay; how late does each wake up?

    The delays come from a seeded generator, so every backend sleeps the same
    delays. Lateness is measured with time.monotonic() on all backends (why:
    uvloop's loop.time() is a cached millisecond clock, not comparable).
    """
    rng = random.Random(seed)
    delays = [rng.uniform(0.0, max_delay) for _ in range(n)]
    lateness: list[float] = []

    async def sleeper(delay: float) -> None:
        deadline = monotonic() + delay
        await aio.sleep(delay)
        lateness.append(monotonic() - deadline)

    cpu0, started = process_time(), perf_counter()
    await aio.gather(*[sleeper(d) for d in delays])
    wall, cpu = perf_counter() - started, process_time() - cpu0
    lateness.sort()
    return {
        "wall": wall,
        "cpu_s": cpu,
        "late_median_ms": statistics.median(lateness) * 1e3,
        "late_p99_ms": lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))] * 1e3,
    }


# -- an idle loop ---------------------------------------------------------------------


async def idle(aio: Any, seconds: float = 1.0) -> dict:
    """One task sleeps; a loop that sleeps in select() should use ~no CPU meanwhile."""
    await aio.sleep(0)  # let the loop settle after start-up
    cpu0, started = process_time(), perf_counter()
    await aio.sleep(seconds)
    wall, cpu = perf_counter() - started, process_time() - cpu0
    return {"wall": wall, "cpu_ms_per_s": cpu * 1e3 / wall}


# -- loopback echo ----------------------------------------------------------------------

_MESSAGE = b"x" * 64


async def echo(aio: Any, clients: int = 50, rounds: int = 200) -> dict:
    """`clients` concurrent clients each doing `rounds` 64-byte round trips through
    an echo server, all with loop.sock_* on non-blocking sockets."""
    loop = aio.get_running_loop()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(clients)
    server.setblocking(False)
    address = server.getsockname()
    handlers: list[Any] = []

    async def handle(conn: socket.socket) -> None:
        with conn:
            while data := await loop.sock_recv(conn, 4096):
                await loop.sock_sendall(conn, data)

    async def accept_all() -> None:
        for _ in range(clients):
            conn, _ = await loop.sock_accept(server)
            handlers.append(aio.create_task(handle(conn)))

    async def connect() -> socket.socket:
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, address)
        return sock

    async def client(sock: socket.socket) -> None:
        for _ in range(rounds):
            await loop.sock_sendall(sock, _MESSAGE)
            got = 0
            while got < len(_MESSAGE):
                chunk = await loop.sock_recv(sock, 4096)
                if not chunk:
                    raise ConnectionError("echo server closed early")
                got += len(chunk)

    try:
        acceptor = aio.create_task(accept_all())
        socks = await aio.gather(*[connect() for _ in range(clients)])
        await acceptor
        cpu0, started = process_time(), perf_counter()  # only the round trips are timed
        await aio.gather(*[client(s) for s in socks])
        wall, cpu = perf_counter() - started, process_time() - cpu0
        for sock in socks:
            sock.close()
        await aio.gather(*handlers)
    finally:
        server.close()
    return {
        "wall": wall,
        "round_trips_per_s": _rate(clients * rounds, wall),
        "round_trips_per_cpu_s": _rate(clients * rounds, cpu),
    }


async def echo_streams(aio: Any, clients: int = 50, rounds: int = 200) -> dict:
    """The echo workload again, through start_server/open_connection streams."""
    if not hasattr(aio, "open_connection"):
        return {"unsupported": "no streams (open_connection) in this backend"}

    handlers: list[Any] = []

    async def handle(reader: Any, writer: Any) -> None:
        handlers.append(aio.current_task())  # awaited at the end: nothing is left pending
        while data := await reader.read(4096):
            writer.write(data)
            await writer.drain()
        writer.close()

    async def client(port: int) -> tuple[Any, Any]:
        return await aio.open_connection("127.0.0.1", port)

    async def talk(reader: Any, writer: Any) -> None:
        for _ in range(rounds):
            writer.write(_MESSAGE)
            await writer.drain()
            await reader.readexactly(len(_MESSAGE))

    server = await aio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        pairs = await aio.gather(*[client(port) for _ in range(clients)])
        cpu0, started = process_time(), perf_counter()
        await aio.gather(*[talk(r, w) for r, w in pairs])
        wall, cpu = perf_counter() - started, process_time() - cpu0
        for _, writer in pairs:
            writer.close()
        await aio.gather(*handlers)
    finally:
        server.close()
        await server.wait_closed()
    return {
        "wall": wall,
        "round_trips_per_s": _rate(clients * rounds, wall),
        "round_trips_per_cpu_s": _rate(clients * rounds, cpu),
    }


WORKLOADS: dict[str, Callable[..., Any]] = {
    "switch": switch,
    "spawn": spawn,
    "spawn_mem": spawn_mem,
    "timers": timers,
    "idle": idle,
    "echo": echo,
    "echo_streams": echo_streams,
}

# A run first does the workload once at this fraction of its size (why: the
# first run pays for imports, code objects and heap growth; we time steady state).
WARMUP_FRACTION = 0.1
NO_WARMUP = {"spawn_mem", "idle"}  # memory must start fresh; idle needs no warming
SIZE_KEYS_TO_SHRINK = {"iters", "n", "rounds"}


# -- running one workload on one backend --------------------------------------------------


def make_loop(backend: str) -> tuple[Any, Any]:
    """(the asyncio-like module, a new event loop) for a backend name."""
    if backend == "asyncio":
        import asyncio

        return asyncio, asyncio.new_event_loop()
    if backend == "uvloop":
        import asyncio

        import uvloop

        return asyncio, uvloop.new_event_loop()
    if backend in ("loop_impl", "loop_impl+trace"):
        import loop_impl
        import loop_impl.trace

        loop = loop_impl.new_event_loop()
        if backend == "loop_impl+trace":
            loop.set_recorder(loop_impl.trace.Recorder())
        return loop_impl, loop
    raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def run_workload(backend: str, name: str, size: dict | None = None, warmup: bool = True) -> dict:
    """Run one workload on one backend in this process and return its measurements."""
    if name not in WORKLOADS:
        raise ValueError(f"unknown workload {name!r}; expected one of {tuple(WORKLOADS)}")
    workload, size = WORKLOADS[name], dict(size or {})
    aio, loop = make_loop(backend)
    try:
        aio.set_event_loop(loop)
        if warmup and name not in NO_WARMUP:
            small = {k: max(1, int(v * WARMUP_FRACTION)) if k in SIZE_KEYS_TO_SHRINK else v for k, v in size.items()}
            loop.run_until_complete(workload(aio, **small))
        recorder = None
        if backend == "loop_impl+trace":
            import loop_impl.trace

            recorder = loop_impl.trace.Recorder()  # a fresh one: count the timed run only
            loop.set_recorder(recorder)
        result = loop.run_until_complete(workload(aio, **size))
        if recorder is not None and "unsupported" not in result:
            trace = recorder.trace
            events = len(trace)
            result["trace_events"] = events
            result["trace_bytes_per_event"] = trace.nbytes() / events if events else 0.0
            result["trace_events_per_s"] = events / result["wall"] if result["wall"] else 0.0
            if tracemalloc.is_tracing() and events:
                # Everything the recorder keeps (string table, task names, ids, columns): what
                # dropping it frees (why not all the run retained: the loop keeps some of that
                # untraced too, e.g. a dict's table at its largest size).
                held = tracemalloc.get_traced_memory()[0]
                loop.set_recorder(None)
                recorder = trace = None
                gc.collect()
                held -= tracemalloc.get_traced_memory()[0]
                result["trace_retained_bytes_per_event"] = held / events
        return result
    finally:
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        loop.run_until_complete(loop.shutdown_asyncgens())
        aio.set_event_loop(None)
        loop.close()


def _rate(count: int, seconds: float) -> float:
    return count / max(seconds, 1e-9)  # a tiny run may take less than the clock's tick


def _current_rss() -> int:
    """Resident set size now, in bytes (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()
    except OSError:
        return 0


def _peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib if sys.platform == "darwin" else kib * 1024


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    backend, name = argv[0], argv[1]
    size = json.loads(argv[2]) if len(argv) == 3 else {}
    if os.environ.get("BENCH_NO_GC"):
        gc.disable()  # run.py --no-gc: how much of a workload's time is the cyclic GC's
    result = run_workload(backend, name, size)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    # The repository root, so that loop_impl imports from a plain checkout too.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main(sys.argv[1:]))
