"""`asyncio`, as loop_impl: what CPython's test_asyncio imports when it runs on our loop.

The harness runs each CPython test module in a subprocess whose `sys.path`
starts with the folder holding this package, so `import asyncio` (in the test
module, in `test.test_asyncio.utils`, in `unittest.mock`, in unittest's
`IsolatedAsyncioTestCase`) finds this package instead of the standard library's.
Every name here is loop_impl's object itself, never a copy: a test of
`asyncio.Future` is a test of `loop_impl.Future`.

The submodules CPython's tests import (`from asyncio import tasks`,
`asyncio.events._get_running_loop`, ...) are made below from one table,
`SUBMODULES`: each maps asyncio's submodule to the loop_impl names it holds.
`_PyTask`/`_PyFuture` are loop_impl's Task/Future (the tests' "pure Python"
variants); `_CTask`/`_CFuture` are absent, so the C-accelerator test classes
skip themselves (and the set-aside list says why).

What loop_impl does not provide is not faked here, with two exceptions a test
run cannot do without: the child watchers (3.11-3.13's way for a policy to learn
that a child exited: test_subprocess's setUp attaches one to every loop; loop_impl
has one mechanism and no watcher API, so `_missing.InertChildWatcher` accepts and
ignores them) and `coroutines._is_coroutine` (the marker `unittest.mock.AsyncMock`
stamps on itself).
"""

# ruff: noqa: E402  (the imports below come after loading the real asyncio, on purpose)

import importlib
import logging
import os
import sys
import threading
import types


def _import_loop_impl_beside_the_real_asyncio():
    """loop_impl's seam (asyncio_seam.py) imports the standard library's asyncio,
    whose exception and interface classes loop_impl shares. So: load that one
    first, under its own name, with loop_impl on top of it; then take the name
    back for this package, and drop the real submodules from sys.modules (why:
    a test's `import asyncio.X` must find the shim's, or fail, never the real one)."""
    shim = sys.modules["asyncio"]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    saved_path = sys.path[:]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    del sys.modules["asyncio"]
    try:
        importlib.import_module("asyncio")
        importlib.import_module("loop_impl")
    finally:
        sys.path[:] = saved_path
        for name in [name for name in sys.modules if name == "asyncio" or name.startswith("asyncio.")]:
            del sys.modules[name]
        sys.modules["asyncio"] = shim


_import_loop_impl_beside_the_real_asyncio()

import loop_impl  # (already imported, beside the real asyncio: above)
from loop_impl import *  # noqa: F403  (the package is asyncio's namespace)
from loop_impl import barriers, diagnostics, gathering, handles, policies, reprs, threads, waiting
from loop_impl import coroutines as _coroutines
from loop_impl import debug_mode as _debug_mode
from loop_impl import events as _events
from loop_impl import exceptions as _exceptions
from loop_impl import futures as _futures
from loop_impl import locks as _locks
from loop_impl import protocols as _protocols
from loop_impl import queues as _queues
from loop_impl import runners as _runners
from loop_impl import streams as _streams
from loop_impl import subprocess as _subprocess
from loop_impl import taskgroups as _taskgroups
from loop_impl import tasks as _tasks
from loop_impl import timeouts as _timeouts
from loop_impl.transports import sendfile as _sendfile

from . import _missing

# The shim is asyncio *without* its C accelerator: `import _asyncio` fails, so
# the tests' C variants (CTask, CFuture, TestCGetEventLoop) are never defined.
sys.modules["_asyncio"] = None


def _names(module, *names):
    return {name: getattr(module, name) for name in names if hasattr(module, name)}


def _public(module):
    return {name: getattr(module, name) for name in getattr(module, "__all__", ())}


_placeholders = _missing.names()
globals().update(_placeholders)
# support.maybe_get_event_loop_policy() (utils.TestCase.close_loop) reads
# asyncio.events._event_loop_policy: None says "no policy of the test's own".
_POLICIES = {**_public(policies), **_missing.watching_policies(policies), "_event_loop_policy": None}
_task_functions = {
    **_public(_tasks), **_public(gathering), **_public(waiting), **_public(threads),
    "_PyTask": loop_impl.Task,
    # Named in class bodies (test_futures2: `cls = tasks._CTask`) that must import;
    # every C-variant class is in the set-aside list, so None is never run.
    "_CTask": None,
    "_py_current_task": loop_impl.current_task,  # 3.12+: the tests' "pure Python" current_task
    **{name: _missing.placeholder(f"tasks.{name}", "a private hook of asyncio's C/Python task registry")
       for name in ("_py_register_task", "_py_unregister_task", "_py_enter_task", "_py_leave_task")},
    **_names(_tasks, "_register_task", "_unregister_task", "_enter_task", "_leave_task", "_all_tasks",
             "_py_register_task", "_py_unregister_task", "_py_enter_task", "_py_leave_task",
             "_current_tasks", "_set_task_name", "_task_name_counter"),
}  # fmt: skip

SUBMODULES = {
    "events": {
        **_public(_events), **_names(_events, "_get_running_loop", "_set_running_loop"),
        "AbstractEventLoop": loop_impl.AbstractEventLoop, "Handle": handles.Handle,
        "TimerHandle": handles.TimerHandle,
        "threading": threading, **_POLICIES, "AbstractServer": _events.AbstractServer,
        # The tests' "pure Python" registry functions: loop_impl's registry is pure Python.
        "_py__get_running_loop": _events._get_running_loop, "_py__set_running_loop": _events._set_running_loop,
        "_py_get_running_loop": _events.get_running_loop, "_py_get_event_loop": _events.get_event_loop,
    },
    "base_events": {"BaseEventLoop": loop_impl.BaseEventLoop, "Server": loop_impl.Server},
    "selector_events": {"BaseSelectorEventLoop": loop_impl.SelectorEventLoop},
    "unix_events": {"SelectorEventLoop": loop_impl.SelectorEventLoop, **_POLICIES, **_missing.CHILD_WATCHERS},
    "futures": {
        **_public(_futures), "_PyFuture": loop_impl.Future, **_public(_exceptions),
        **_names(_futures, "_chain_future", "_set_result_unless_cancelled"), "_copy_future_state": _futures._copy_state,
    },
    "tasks": _task_functions,
    "coroutines": {**_public(_coroutines), "_is_coroutine": _coroutines._is_coroutine},
    "exceptions": _public(_exceptions),
    "locks": {**_public(_locks), **_public(barriers)},
    "queues": _public(_queues),
    "timeouts": _public(_timeouts),
    "taskgroups": _public(_taskgroups),
    "runners": _public(_runners),
    "streams": {**_public(_streams), **_names(_streams, "FlowControlMixin")},
    "protocols": _public(_protocols),
    "transports": _public(_protocols),
    "subprocess": _public(_subprocess),
    "format_helpers": {"_get_function_source": reprs._function_source,
                       "_format_callback_source": reprs.format_callback_source},
    "log": {"logger": logging.getLogger("asyncio")},
    "mixins": _names(_locks, "_LoopBoundMixin"),
    "trsock": _names(_protocols, "TransportSocket"),
    "constants": {"SENDFILE_FALLBACK_READBUFFER_SIZE": _sendfile.FALLBACK_BLOCK},
}  # fmt: skip

PLACEHOLDER_MODULES = {
    "proactor_events": "Windows only",
    "windows_events": "Windows only",
    "windows_utils": "Windows only",
    "sslproto": "CPython's private SSLProtocol state machine; loop_impl's TLS is transports/tls.py",
    "base_subprocess": "CPython's private BaseSubprocessTransport; loop_impl's is transports/subprocess.py",
    "staggered": "not claimed (staggered_race)",
}

for _name, _why in PLACEHOLDER_MODULES.items():
    sys.modules[f"asyncio.{_name}"] = globals()[_name] = _missing.module(_name, _why)

# Names the tests patch (`mock.patch("asyncio.base_events.logger")`) that loop_impl
# looks up at call time in one of its own modules: setting the shim's name sets
# loop_impl's, so the patch reaches the code under test.
# (A list: each of loop_impl's places gets the value: the asyncio logger is held
# by diagnostics.py and, for the slow-callback report, debug_mode.py.)
_ASYNCIO_LOGGER = [diagnostics, (_debug_mode, "asyncio_logger")]
FORWARDED = {
    "base_events": {"logger": _ASYNCIO_LOGGER}, "selector_events": {"logger": _ASYNCIO_LOGGER},
    "coroutines": {"_is_debug_mode": (_debug_mode, "is_debug_mode")},
    "constants": {"SENDFILE_FALLBACK_READBUFFER_SIZE": (_sendfile, "FALLBACK_BLOCK")},
}  # fmt: skip


def _owner_and_name(target, name):
    if isinstance(target, list):
        target = target[0]
    return target if isinstance(target, tuple) else (target, name)


class _ForwardingModule(types.ModuleType):
    def __setattr__(self, name, value):
        targets = FORWARDED.get(self.__name__.partition(".")[2], {}).get(name)
        for target in targets if isinstance(targets, list) else [targets] if targets is not None else []:
            setattr(*_owner_and_name(target, name), value)
        super().__setattr__(name, value)


for _name, _attrs in SUBMODULES.items():
    _module = _ForwardingModule(f"asyncio.{_name}", f"asyncio.{_name}, as loop_impl (test shim)")
    _module.__dict__.update(_attrs)
    for _attr, _owner in FORWARDED.get(_name, {}).items():
        _module.__dict__[_attr] = getattr(*_owner_and_name(_owner, _attr))
    sys.modules[_module.__name__] = _module
    globals()[_name] = _module

from .events import *  # noqa: E402, F403  (the policy functions, asyncio's top-level names)

_get_running_loop = _events._get_running_loop
_set_running_loop = _events._set_running_loop
for _name in ("_register_task", "_unregister_task", "_enter_task", "_leave_task"):
    if _name in _task_functions:
        globals()[_name] = _task_functions[_name]
