"""`Timeline`: one run's timeline, shown the right way wherever it is displayed.

    >>> tl = Timeline(trace)       # what result.timeline() returns
    >>> print(tl)                  # text lanes (a terminal, a log)
    >>> tl                         # in a notebook: the static HTML/SVG picture
    >>> tl.to_chrome_trace("run.json")   # open it in Perfetto
    >>> tl.narration()             # the seed-004 walk: where control went, step by step
    >>> tl.frames()[3]             # the loop's state at the fourth iteration

Every view reads the same `Layout` (layout.py), built once per trace length:
a live run's trace grows, and the next look at it lays out the new events.

In a kernel, displaying a Timeline shows the interactive widget (widget.py:
Play, a slider over iterations, the state panel), with the static picture
and the text lanes in the same output as fallbacks for where widgets do not
render (nbconvert, nbviewer, GitHub, a terminal). A notebook saved with
widget state shows the widget instead (nbconvert picks the richest type it
can render); JupyterLab does not save widget state unless asked to.

`LiveTimeline` is the `%%tinyloop` magic's view of a run under way: a
run_cell progress hook that shows the widget once the run has gone on a
moment, redraws it as the trace grows, and completes it in place at the end.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from loop_impl.diagnostics import collector_paused

from .chrome_trace import to_chrome_trace
from .layout import Layout, build_layout
from .narration import Transfer, narrate_iteration, walk
from .render_svg import PLOT_WIDTH, render_html, render_svg
from .render_text import render_text

__all__ = ("Timeline", "LiveTimeline", "VIEW_MIME", "MAX_LIVE_WIDGETS", "live_widgets")

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
MAX_LIVE_WIDGETS = 20  # interactive timelines a kernel keeps; older ones become their static picture


class Timeline:
    """The timeline of a trace: text, static SVG, Chrome trace, narration and frames."""

    def __init__(self, trace: Any) -> None:
        self.trace = trace
        self._layout: Layout | None = None
        self._laid_out_at = -1  # the trace length the layout was built for

    @property
    def layout(self) -> Layout:
        if self._layout is None or self._laid_out_at != len(self.trace):
            self._laid_out_at = len(self.trace)
            self._layout = build_layout(self.trace)
        return self._layout

    # -- the views ---------------------------------------------------------
    def text(self, axis: str = "iteration", width: int = 72) -> str:
        """ASCII lanes, one row per task (axis: "iteration" or "time")."""
        return render_text(self.layout, axis=_axis(axis), width=width)

    def svg(self, axis: str = "iteration", width: int = PLOT_WIDTH) -> str:
        return render_svg(self.layout, axis=_axis(axis), width=width)

    def html(self, width: int = PLOT_WIDTH) -> str:
        """The static picture: both axes, legend and printed lines; no JavaScript."""
        return render_html(self.layout, width=width)

    def to_chrome_trace(self, path: str) -> str:
        """Write Chrome trace JSON (Perfetto opens it) to `path`."""
        return to_chrome_trace(self.layout, path)

    def narration(self, iteration: int | None = None) -> list[Transfer]:
        """Control transfers of the whole run, or of one iteration (the loop's number for it)."""
        layout = self.layout
        if iteration is None:
            return walk(layout)
        for index, it in enumerate(layout.iterations):
            if it.n == iteration:
                return narrate_iteration(layout, index)
        raise IndexError(f"no iteration {iteration} in this trace")

    def frames(self) -> Any:
        """The state panel of every iteration (`frames()[k]`, `frames().to_data()`)."""
        return self.layout.frames()

    def widget(self, live: bool = False, **options: Any) -> Any:
        """The interactive view: both axes, Play, a slider over iterations, the loop's state at each
        (widget.py). live=True: a run under way (the pictures only; finish() adds the panels)."""
        from .widget import TimelineWidget

        if live:
            widget = TimelineWidget(None, **options)
            widget.on_progress(self.trace)
            return widget
        return TimelineWidget(self.layout, **options)  # (the layout text() and html() use: built once)

    # -- how Python and IPython show it --------------------------------------------
    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        layout = self.layout
        return f"<Timeline: {len(layout.lanes) - 1} tasks, {len(layout.iterations)} iterations>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text())  # terminal IPython shows the lanes, not the repr

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In a kernel: the widget, with the static picture and the text in the same output as
        fallbacks (nbconvert, nbviewer and GitHub show the HTML; a terminal the text)."""
        widget = None
        if _in_kernel():
            try:
                widget = self.widget()
            except Exception:  # no widget front end: the fallbacks are the whole output
                widget = None
            else:
                _keep_live(widget, None, None)
        return self.bundle(widget)

    def static_bundle(self) -> dict[str, Any]:
        """What stays when the widget is gone: the text lanes and the static picture."""
        return {"text/plain": self.text(), "text/html": self.html()}

    def bundle(self, widget: Any = None) -> dict[str, Any]:
        """The output: text lanes, the static picture and, when given, the widget's view."""
        bundle: dict[str, Any] = {"text/plain": self.text(), "text/html": self.html()}
        view = widget._repr_mimebundle_() if widget is not None else None
        if view and VIEW_MIME in view:
            bundle[VIEW_MIME] = view[VIEW_MIME]
        return bundle


class LiveTimeline:
    """The timeline of a run under way, for the magic: `on_progress` is run_cell's hook.

    It appears once the run has gone on for `show_after` seconds and then grows
    (why not at once: most cells take milliseconds, and their timeline belongs
    under their output and summary line, not above them); `finish(trace)` shows
    the complete timeline, in the same output if it appeared already. Outside
    a kernel nothing is live: finish() displays the text and static fallbacks.
    """

    def __init__(self, show_after: float = 0.3) -> None:
        self.show_after = show_after
        self.widget: Any = None
        self.handle: Any = None
        self._started = time.perf_counter()
        self._live = _in_kernel()

    def on_progress(self, trace: Any) -> None:
        if not self._live or not len(trace):
            return
        if self.widget is not None:
            self.widget.on_progress(trace)
        elif (started := time.perf_counter()) - self._started >= self.show_after:
            from IPython.display import display

            self.widget = Timeline(trace).widget(live=True)
            bundle = {"text/plain": "tinyloop timeline (running…)", **self._view()}
            self.handle = display(bundle, raw=True, display_id=True)
            self.widget.charge(time.perf_counter() - started)

    def finish(self, trace: Any) -> None:
        """The run is over: the whole timeline (the live one completed, or shown now).

        With the garbage collector paused (why: laying out, drawing and narrating a big
        run makes millions of objects and no garbage cycles; the collector's repeated
        passes over them took 3 s of 5 for 300k switches, and one pass later is enough)."""
        with collector_paused():
            self._finish(trace)

    def _finish(self, trace: Any) -> None:
        from IPython.display import display

        if trace is None or not len(trace):
            if self.handle is not None:
                self.handle.update({"text/plain": ""}, raw=True)  # nothing ran: no timeline
            return
        timeline = Timeline(trace)
        if self._live and self.widget is None:
            try:
                self.widget = timeline.widget()
            except Exception:
                self.widget = None
        elif self.widget is not None:
            self.widget.finish(timeline.layout)  # (the layout the bundle's text and picture use: built once)
        bundle = timeline.bundle(self.widget)
        if self.handle is not None:
            self.handle.update(bundle, raw=True)
        else:
            self.handle = display(bundle, raw=True, display_id=True)
        if self.widget is not None:
            _keep_live(self.widget, self.handle, {key: bundle[key] for key in ("text/plain", "text/html")})

    def _view(self) -> dict[str, Any]:
        view = self.widget._repr_mimebundle_() or {}
        return {VIEW_MIME: view[VIEW_MIME]} if VIEW_MIME in view else {}


# -- how many widgets a kernel keeps ---------------------------------------------------------------
#
# Every timeline widget holds models in the kernel and in the browser, and its
# trace. A kernel keeps the last MAX_LIVE_WIDGETS, and one per notebook cell:
# a re-run of a cell releases the widget of its previous run. A released
# widget's output is first replaced by its static picture (why: a closed
# widget's output is hidden by JupyterLab, and would be saved empty).

_live: OrderedDict[int, tuple[Any, Any, Any, Any]] = OrderedDict()  # id -> (widget, handle, static, cell)


def live_widgets() -> int:
    """How many timeline widgets the kernel keeps now (for tests and the curious)."""
    return len(_live)


def _keep_live(widget: Any, handle: Any, static: dict[str, Any] | None) -> None:
    cell = _cell_id()
    for key, (_w, _h, _s, kept_cell) in list(_live.items()):
        if cell is not None and kept_cell == cell and key != id(widget):
            _release(key)  # the cell was run again: its old outputs are gone
    _live[id(widget)] = (widget, handle, static, cell)
    _live.move_to_end(id(widget))
    while len(_live) > MAX_LIVE_WIDGETS:
        _release(next(iter(_live)))


def _release(key: int) -> None:
    widget, handle, static, _cell = _live.pop(key)
    if handle is not None and static is not None:
        try:
            handle.update(static, raw=True)
        except Exception:  # (no front end any more: nothing to keep showing)
            pass
    widget.release()


def _cell_id() -> str | None:
    """The notebook cell being run (JupyterLab and Notebook 7 send its id), or None."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent("shell") if kernel is not None else None
        return (parent or {}).get("metadata", {}).get("cellId")
    except Exception:
        return None


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return getattr(shell, "kernel", None) is not None


def _axis(axis: str) -> str:
    if axis not in ("iteration", "time"):
        raise ValueError(f"axis must be 'iteration' or 'time', not {axis!r}")
    return axis
