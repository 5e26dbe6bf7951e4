# Asking a future for what it does not have raises InvalidStateError with asyncio's words.
import asyncio


def attempt(label, fn):
    try:
        print(label, "->", fn())
    except asyncio.InvalidStateError as e:
        print(label, "->", type(e).__name__, e)
    except asyncio.CancelledError as e:
        print(label, "->", type(e).__name__, repr(e.args))


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    attempt("result() pending", fut.result)
    attempt("exception() pending", fut.exception)
    fut.set_result(1)
    attempt("set_result twice", lambda: fut.set_result(2))
    attempt("set_exception after result", lambda: fut.set_exception(ValueError()))
    attempt("cancel after result", fut.cancel)
    attempt("result", fut.result)
    c = loop.create_future()
    attempt("cancel", lambda: c.cancel("why"))
    attempt("cancel again", c.cancel)
    attempt("set_result on cancelled", lambda: c.set_result(3))
    attempt("result of cancelled", c.result)
    attempt("exception of cancelled", c.exception)
    print("isinstance check:", issubclass(asyncio.InvalidStateError, Exception))


asyncio.run(main())
