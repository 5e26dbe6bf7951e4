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

MISSING_NAMES = {  # asyncio's top-level names loop_impl does not provide (yet)
    "DatagramProtocol": "pending: transports branch", "SubprocessProtocol": "pending: transports branch",
    "BufferedProtocol": "pending: transports branch", "ReadTransport": "pending: transports branch",
    "WriteTransport": "pending: transports branch", "DatagramTransport": "pending: transports branch",
    "SubprocessTransport": "pending: transports branch", "AbstractServer": "pending: transports branch",
    "open_unix_connection": "pending: transports branch", "start_unix_server": "pending: transports branch",
    "create_subprocess_exec": "pending: transports branch", "create_subprocess_shell": "pending: transports branch",
}  # fmt: skip
MISSING_EXCEPTIONS = {"SendfileNotAvailableError": RuntimeError}


class InertChildWatcher:
    """Child watchers serve subprocesses only (pending: transports branch). test_events'
    setUp attaches one to every loop it tests, so this one accepts that and does nothing."""

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
}  # fmt: skip


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
