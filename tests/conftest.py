"""Checks every test gets for free."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture(autouse=True)
def no_run_is_left_running():
    """A test must not leave a run's worker thread behind (an abandoned run).

    Why here: an abandoned run that spins burns CPU for the rest of the session, and
    the test that fails is a later one that measures time, far from the cause.
    """
    yield
    left = [t for t in threading.enumerate() if t.name == "tinyloop-run" and t.is_alive()]
    if left:
        for thread in left:
            thread.join(0.5)  # (a run finishing its clean-up right now)
        left = [t for t in left if t.is_alive()]
    assert not left, "the test left a run's thread running (an abandoned run)"
