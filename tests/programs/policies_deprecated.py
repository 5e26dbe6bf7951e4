# requires-python: 3.14 the policy system is deprecated (gh-127949)
"""3.14 deprecates event loop policies: naming them or getting/setting one warns."""
import asyncio
import warnings


def warned(what, fn):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        value = fn()
    print(what, "->", [f"{w.category.__name__}: {w.message}" for w in seen])
    return value


policy = warned("get_event_loop_policy()", asyncio.get_event_loop_policy)
warned("set_event_loop_policy(the same)", lambda: asyncio.set_event_loop_policy(policy))
cls = warned("asyncio.DefaultEventLoopPolicy", lambda: asyncio.DefaultEventLoopPolicy)
warned("asyncio.AbstractEventLoopPolicy", lambda: asyncio.AbstractEventLoopPolicy)
print("a policy class:", isinstance(cls, type))
print("exported by *:", [n for n in ("AbstractEventLoopPolicy", "DefaultEventLoopPolicy") if n in asyncio.__all__])
try:
    asyncio.BaseDefaultEventLoopPolicy
except AttributeError:
    print("BaseDefaultEventLoopPolicy: AttributeError")
print(asyncio.run(asyncio.sleep(0, "still runs")))
