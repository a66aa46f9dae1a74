"""Start-up: the worker's first jobs, queued before the window's heavy imports (pyqtgraph, the pages), and
the freeze of the objects that live as long as the process.

Why: a cold start is the interpreter, Qt, pyqtgraph and the first statistics. Opening the store and
computing the opening month's dashboard on the worker while the UI thread still imports overlaps the two.
"""

from __future__ import annotations

import gc
from collections.abc import Callable


def startup_state(db, saved_label: str | None) -> dict:
    """Is the store empty, which period to open on (the saved one if it has cases, else the latest), and
    the months with cases (where the period picker lands when its kind changes)."""
    from models import browse
    from models.periods import PeriodError, parse_label

    if not browse.has_cases(db):
        return {"empty": True, "period": None, "months": []}
    months = browse.months_with_cases(db)
    if saved_label:
        try:
            saved = parse_label(saved_label)
        except PeriodError:
            saved = None
        if saved is not None and browse.month_has_cases(db, saved):
            return {"empty": False, "period": saved, "months": months}
    return {"empty": False, "period": browse.latest_case_month(db), "months": months}


def dashboard_data(db, period) -> tuple[dict, list[dict]]:
    """Worker job: the period's statistics document and the 12-month trend ending at it."""
    from models.stats import stats_document, trend

    return stats_document(db, period), trend(db, period, 12)


def startup_with_dashboard(db, saved_label: str | None) -> dict:
    """startup_state plus the opening period's dashboard figures (stats_document and the trend)."""
    state = startup_state(db, saved_label)
    if not state["empty"] and state["period"] is not None:
        state["dashboard"] = (state["period"].label, *dashboard_data(db, state["period"]))
    return state


class Prefetch:
    """The result of a start-up job, for whoever asks first or later."""

    def __init__(self):
        self.done = False
        self.result = None
        self.error: BaseException | None = None
        self._waiting: list[tuple[Callable, Callable]] = []

    def set_result(self, result) -> None:
        self.done, self.result = True, result
        for on_done, _on_error in self._waiting:
            on_done(result)
        self._waiting.clear()

    def set_error(self, exc: BaseException) -> None:
        self.done, self.error = True, exc
        for _on_done, on_error in self._waiting:
            on_error(exc)
        self._waiting.clear()

    def then(self, on_done: Callable, on_error: Callable) -> None:
        if not self.done:
            self._waiting.append((on_done, on_error))
        elif self.error is not None:
            on_error(self.error)
        else:
            on_done(self.result)


_frozen: set[str] = set()


def freeze_startup_objects(stage: str) -> None:
    """Move everything alive at a start-up stage out of the garbage collector's reach, once per stage.

    Why: the ~50,000 objects alive after start-up (modules, Qt wrappers) live as long as the process, yet
    every full collection walks them holding the GIL, on whichever thread triggered it (the UI's too;
    tests/bench/bench_ui.py reports the collections). Stages: "window" (the window is up) and "charts"
    (pyqtgraph, imported with the first charts). Frozen objects are never collected, hence once per stage."""
    if stage not in _frozen:
        _frozen.add(stage)
        gc.freeze()
