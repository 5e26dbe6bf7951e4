"""Placeholders for asyncio names loop_impl does not provide (test shim only).

CPython's test modules use some names at import time (`class
MyProto(asyncio.DatagramProtocol)` at module level, `events._py__get_running_loop`
in a class body). Without them a whole module would fail to import and none of
its other tests would run. Each placeholder is a class that raises
NotImplementedError when instantiated, or a function that raises when called,
so a test that really uses one fails loudly; such tests are in the set-aside
list with their reason.
"""

import types

MISSING_NAMES: dict = {}  # asyncio's top-level names loop_impl does not provide (none today)
MISSING_EXCEPTIONS: dict = {}


class InertChildWatcher:
    """asyncio's child watchers (3.11-3.13; deprecated in 3.12, gone in 3.14) choose how
    the loop learns that a child exited. loop_impl watches each child itself and has no
    watcher API (its policies' get/set_child_watcher raise NotImplementedError); the test
    modules' setUp attaches a watcher to every loop they test, so this one accepts that
    and does nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def attach_loop(self, loop):
        pass

    def close(self):
        pass

    def is_active(self):
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


CHILD_WATCHERS = {
    "AbstractChildWatcher": InertChildWatcher, "SafeChildWatcher": InertChildWatcher,
    "FastChildWatcher": InertChildWatcher, "PidfdChildWatcher": InertChildWatcher,
    "MultiLoopChildWatcher": InertChildWatcher, "ThreadedChildWatcher": InertChildWatcher,
    "get_child_watcher": lambda: None, "set_child_watcher": lambda watcher: None,
    # 3.12+: CPython's probe for its pidfd watcher; loop_impl has none, so the tests that need one skip.
    "can_use_pidfd": lambda: False,
}  # fmt: skip


def watching_policies(policies) -> dict:
    """loop_impl's policies, with 3.11-3.13's get/set_child_watcher added (the inert watcher
    above): test_subprocess's setUp calls `get_event_loop_policy().set_child_watcher(...)`.
    The policy in force is loop_impl's own default policy class with those two methods
    added; `set_event_loop_policy(None)` (every module's teardown) puts a fresh one back."""

    class WatcherAccessors:
        _watcher = None

        def get_child_watcher(self):
            return self._watcher or InertChildWatcher()

        def set_child_watcher(self, watcher):
            self._watcher = watcher

    # (WatcherAccessors first: loop_impl's policies answer get/set_child_watcher with NotImplementedError)
    default = type("DefaultEventLoopPolicy", (WatcherAccessors, policies.DefaultEventLoopPolicy), {})

    def set_event_loop_policy(policy):
        policies.set_event_loop_policy(default() if policy is None else policy)

    set_event_loop_policy(None)
    return {"get_event_loop_policy": policies.get_event_loop_policy, "set_event_loop_policy": set_event_loop_policy}


def placeholder(qualname: str, why: str, base: type = object):
    """A stand-in for `asyncio.<qualname>`: usable as a base class, fails when used."""
    name = qualname.rpartition(".")[2]

    def refuse(*args, **kwargs):
        raise NotImplementedError(
            f"loop_impl does not provide asyncio.{qualname} ({why}); this is the test shim's placeholder"
        )

    if name[:1].islower() or name.startswith("_"):
        refuse.__name__ = name
        return refuse
    return type(name, (base,), {"__init__": refuse, "__module__": "asyncio (placeholder)"})


def names() -> dict:
    made = {name: placeholder(name, why) for name, why in MISSING_NAMES.items()}
    made.update(CHILD_WATCHERS)
    for name, base in MISSING_EXCEPTIONS.items():
        made[name] = type(name, (base,), {"__module__": "asyncio (placeholder)"})
    return made


def module(name: str, why: str) -> types.ModuleType:
    """A submodule loop_impl has no counterpart of: every attribute is a placeholder."""
    mod = types.ModuleType(f"asyncio.{name}", f"placeholder: {why}")
    mod.__getattr__ = lambda attr: placeholder(f"{name}.{attr}", why) if not attr.startswith("__") else _no(attr)
    return mod


def _no(attr: str):
    raise AttributeError(attr)
