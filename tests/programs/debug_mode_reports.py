"""Debug mode as asyncio has it: source tracebacks in the handler's context and in reprs, the
non-thread-safe call check, the slow-callback warning, coroutine origin tracking, PYTHONASYNCIODEBUG."""
import asyncio, gc, logging, os, re, time, warnings

def norm(text):
    text = re.sub(r"took \d+\.\d+ seconds", "took N seconds", str(text))
    text = re.sub(r"created at \S+:\d+", "created at X", text)
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    return text.replace(__file__, "PROG")

class Show(logging.Handler):
    def emit(self, record):
        print("log", record.levelname, norm(record.getMessage()).splitlines()[0])

def handler(loop, ctx):
    tb = ctx.get("source_traceback")
    print("handler:", ctx["message"].split(" at ")[0] if "callback" in ctx["message"] else ctx["message"], sorted(ctx),
          [f.name for f in tb if f.filename == __file__][-1:] if tb else None)

def bad():
    raise ValueError("bad callback")

def slow():
    time.sleep(0.15)

async def never():
    pass


def forgotten():
    never()  # the mistake: a coroutine called, never awaited


async def fails():
    raise KeyError("never retrieved")

async def main():
    loop = asyncio.get_running_loop()
    print("debug:", loop.get_debug(), "slow after", loop.slow_callback_duration)
    loop.set_exception_handler(handler)
    h = loop.call_soon(print, "h ran")
    print(norm(repr(h)))
    fut = loop.create_future()
    print(norm(repr(fut)))
    loop.call_soon(bad)
    await asyncio.sleep(0)
    def from_thread():
        try:
            loop.call_soon(print, "never")
        except RuntimeError as e:
            return str(e)
    print("thread:", await loop.run_in_executor(None, from_thread))
    f2 = loop.create_future()
    f2.set_exception(OSError("lost"))
    del f2
    gc.collect()
    t = asyncio.ensure_future(fails())
    await asyncio.sleep(0)
    del t
    gc.collect()
    show = Show()
    logging.getLogger("asyncio").addHandler(show)
    loop.call_soon(slow)
    await asyncio.sleep(0.01)
    logging.getLogger("asyncio").removeHandler(show)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forgotten()
        gc.collect()
    for w in caught:
        text = str(w.message)
        print("warning:", w.category.__name__, text.splitlines()[0], "| origin shown:", "Coroutine created at" in text)
    loop.set_debug(False)
    print(norm(repr(loop.call_soon(print, "x"))))
    print("done")

asyncio.run(main(), debug=True)
os.environ["PYTHONASYNCIODEBUG"] = "1"
loop = asyncio.new_event_loop()
print("PYTHONASYNCIODEBUG=1: a new loop is in debug mode:", loop.get_debug())
loop.close()
