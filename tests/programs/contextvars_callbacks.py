# Callbacks run in the context captured by call_soon/call_later, or the one given.
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="default")


def show(label):
    print(label, var.get())


async def main():
    loop = asyncio.get_running_loop()
    var.set("A")
    loop.call_soon(show, "soon captured")
    loop.call_later(0.01, show, "later captured")
    var.set("B")
    ctx = contextvars.Context()
    loop.call_soon(show, "explicit empty context", context=ctx)
    fut = loop.create_future()
    var.set("C")
    fut.add_done_callback(lambda f: show("done-callback"))
    var.set("D")
    fut.set_result(None)
    await asyncio.sleep(0.02)

    def setter():
        var.set("set in callback")
        show("inside setter")

    loop.call_soon(setter)
    await asyncio.sleep(0)
    show("main after setter")


asyncio.run(main())
