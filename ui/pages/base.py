"""What every page shares: the app context (worker, read-only connection, period) and lazy refresh.

Why lazy: changing the period marks every page stale but only the visible one recomputes; the others
catch up when shown, so the worker queue never fills with work nobody looks at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from models.periods import Period
from ui.worker import Job, TaskManager, error_dialog


class AppContext(QObject):
    """Shared state handed to every page."""

    period_changed = Signal(object)
    data_changed = Signal()  # after an import, an adjustment, a settings edit
    open_cases = Signal(object, str)  # models.browse.CaseQuery, caption
    status = Signal(str)
    period_requested = Signal(object)  # a page asks the window's period picker to show this Period

    def __init__(self, tasks: TaskManager, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.db_path = Path(db_path)
        self.period: Period | None = None
        self.ro_db = None  # read-only connection for the UI thread (case table pages only)
        self.last_stats: dict | None = None
        self.last_trend: list[dict] | None = None
        self.last_scores: dict | None = None
        self.last_ledgers: dict[str, object] = {}  # the ledger pages' last shown data, by stream (meeting mode)
        self.prefetched: dict[str, tuple] = {}  # period label -> dashboard data computed at start-up

    def run(self, fn: Callable[..., Any], *args, **kwargs) -> Job:
        return self.tasks.run(fn, *args, **kwargs)

    def set_period(self, period: Period) -> None:
        if self.period is not None and period == self.period:
            return
        self.period = period
        self.period_changed.emit(period)

    def open_readonly(self) -> None:
        from models.store import connect

        if self.ro_db is None:
            self.ro_db = connect(self.db_path, readonly=True)


class Page(QWidget):
    """A navigation page. Subclasses implement `reload()`; `mark_stale()` defers it until the page shows."""

    title = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._generation = 0
        ctx.period_changed.connect(lambda _p: self.mark_stale())
        ctx.data_changed.connect(self.mark_stale)

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.ctx.period is None or not self.ctx.tasks.is_ready:
            return
        self._stale = False
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def reload(self) -> None:
        """Recompute what the page shows (queue work on ctx.run)."""

    def next_generation(self) -> int:
        """Results of older jobs are dropped when a newer request was made meanwhile."""
        self._generation += 1
        return self._generation

    def current(self, generation: int) -> bool:
        return generation == self._generation

    def fail(self, exc: BaseException) -> None:
        error_dialog(self, exc)
