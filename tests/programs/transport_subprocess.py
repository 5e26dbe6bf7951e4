"""Subprocesses: echo, cat through stdin, exit codes, communicate, kill, and the protocol level."""

import asyncio
import signal
import sys

PY = sys.executable


async def main():
    proc = await asyncio.create_subprocess_exec(PY, "-c", "print('hello from the child')",
                                                stdout=asyncio.subprocess.PIPE)
    line = await proc.stdout.readline()
    print("stdout line:", line)
    print("exit:", await proc.wait(), "returncode:", proc.returncode, "pid is int:", isinstance(proc.pid, int))

    proc = await asyncio.create_subprocess_exec("cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    out, err = await proc.communicate(b"through cat\n")
    print("communicate:", out, err, proc.returncode)

    proc = await asyncio.create_subprocess_shell("echo shell $((6*7)); echo oops >&2; exit 3",
                                                 stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    print("shell:", out, err, proc.returncode)

    proc = await asyncio.create_subprocess_shell("echo merged; echo err >&2", stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.STDOUT)
    out, err = await proc.communicate()
    print("stderr=STDOUT:", sorted(out.split()), err)

    proc = await asyncio.create_subprocess_exec(PY, "-c", "import sys; sys.exit(7)", stdout=asyncio.subprocess.DEVNULL)
    print("exit code 7:", await proc.wait(), proc.stdout)

    proc = await asyncio.create_subprocess_exec("sleep", "30")
    print("running:", proc.returncode)
    proc.kill()
    print("killed:", await proc.wait(), -signal.SIGKILL)

    proc = await asyncio.create_subprocess_exec("sleep", "30")
    proc.terminate()
    print("terminated:", await proc.wait())
    proc = await asyncio.create_subprocess_exec("sleep", "30")
    proc.send_signal(signal.SIGINT)
    print("SIGINT:", await proc.wait())

    # Reading lines as they come, while the child is still writing.
    proc = await asyncio.create_subprocess_exec(
        PY, "-u", "-c", "import time\nfor i in range(3):\n    print('tick', i)\n    time.sleep(0.05)",
        stdout=asyncio.subprocess.PIPE)
    async for line in proc.stdout:
        print("line:", line)
    print("ticks done:", await proc.wait())

    # stdin written piecewise, drained, closed.
    proc = await asyncio.create_subprocess_exec(PY, "-c", "import sys; print(len(sys.stdin.read()))",
                                                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    for _ in range(10):
        proc.stdin.write(b"x" * 100_000)
        await proc.stdin.drain()
    proc.stdin.close()
    await proc.stdin.wait_closed()
    print("child counted:", (await proc.stdout.read()).strip(), await proc.wait())

    # A child that dies without reading its input: communicate ignores the broken pipe.
    proc = await asyncio.create_subprocess_exec(PY, "-c", "pass", stdin=asyncio.subprocess.PIPE)
    print("broken pipe ignored:", await proc.communicate(b"x" * 1_000_000), proc.returncode)

    # The protocol level.
    loop = asyncio.get_running_loop()
    exited = loop.create_future()

    class Proto(asyncio.SubprocessProtocol):
        def connection_made(self, transport):
            print("proto: connection_made")
            self.out = b""
            self.events = []  # the pipe's EOF and the exit race each other: compare as a set

        def pipe_data_received(self, fd, data):
            self.out += data

        def pipe_connection_lost(self, fd, exc):
            self.events.append(f"pipe_connection_lost {fd} {exc}")

        def process_exited(self):
            self.events.append("process_exited")

        def connection_lost(self, exc):
            print("proto:", sorted(self.events), "then connection_lost", exc, self.out)
            exited.set_result(None)

    transport, proto = await loop.subprocess_exec(Proto, PY, "-c", "print('via protocol')", stdin=None, stderr=None)
    print("pipe 1 is a transport:", transport.get_pipe_transport(1) is not None, transport.get_pipe_transport(0))
    await exited
    print("returncode:", transport.get_returncode(), "pid matches:", transport.get_pid() == transport.get_extra_info("subprocess").pid)
    transport.close()

    for bad in (dict(universal_newlines=True), dict(bufsize=1), dict(text=True), dict(encoding="utf-8"),
                dict(errors="strict"), dict(shell=True)):
        try:
            await loop.subprocess_exec(asyncio.SubprocessProtocol, "true", **bad)
        except ValueError as exc:
            print("ValueError:", exc)
    for bad in (["echo"], ):
        try:
            await loop.subprocess_shell(asyncio.SubprocessProtocol, bad)
        except ValueError as exc:
            print("ValueError:", exc)
    try:
        await asyncio.create_subprocess_exec("/nonexistent/program")
    except FileNotFoundError as exc:
        print("FileNotFoundError:", exc.filename)


asyncio.run(main())
