"""A minimal event loop policy over loop_impl's per-thread registry (test shim only).

loop_impl does not claim policies (PRODUCT.md §2; the seam branch plugs it into
asyncio's). CPython's test modules still call `asyncio.set_event_loop_policy(None)`
at teardown and `support.maybe_get_event_loop_policy()` reads
`asyncio.events._event_loop_policy`, so the shim offers just that much. Tests
*of* policies are set aside: they would test this file, not loop_impl.
"""

import sys

from loop_impl import events


class AbstractEventLoopPolicy:
    def get_event_loop(self):
        raise NotImplementedError

    def set_event_loop(self, loop):
        raise NotImplementedError

    def new_event_loop(self):
        raise NotImplementedError

    def get_child_watcher(self):
        raise NotImplementedError


class DefaultEventLoopPolicy(AbstractEventLoopPolicy):
    """Every call goes to loop_impl's registry."""

    def get_event_loop(self):
        return events.get_event_loop()

    def set_event_loop(self, loop):
        events.set_event_loop(loop)

    def new_event_loop(self):
        return events.new_event_loop()


BaseDefaultEventLoopPolicy = DefaultEventLoopPolicy


def get_event_loop_policy():
    module = sys.modules["asyncio.events"]
    if module._event_loop_policy is None:
        module._event_loop_policy = DefaultEventLoopPolicy()
    return module._event_loop_policy


def set_event_loop_policy(policy):
    if policy is not None and not isinstance(policy, AbstractEventLoopPolicy):
        raise TypeError(f"policy must be an instance of AbstractEventLoopPolicy or None, not '{type(policy).__name__}'")
    sys.modules["asyncio.events"]._event_loop_policy = policy


EXPORTS = {
    "AbstractEventLoopPolicy": AbstractEventLoopPolicy,
    "DefaultEventLoopPolicy": DefaultEventLoopPolicy,
    "BaseDefaultEventLoopPolicy": BaseDefaultEventLoopPolicy,
    "get_event_loop_policy": get_event_loop_policy,
    "set_event_loop_policy": set_event_loop_policy,
    "_event_loop_policy": None,
}
