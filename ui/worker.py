"""The one database thread (like Anki's task manager): core calls run here, results come back by signal.

Why one thread: SQLite allows one writer; running every write and every long query in order on one thread
means no locking surprises and a UI thread that only paints. The thread opens its own connection with
models.store.open_db; job functions receive it as their first argument.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

log = logging.getLogger("chengguan.ui")

PROGRESS_INTERVAL = 0.05  # seconds between progress signals (a flood would itself block the event loop)


@dataclass(eq=False)
class Job:
    """One queued call. `cancel()` asks a cancellable job to stop; the core decides when it may."""

    id: int
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    on_progress: Callable[[int, int | None, str], None] | None = None
    with_progress: bool = False
    cancellable: bool = False
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runner(QThread):
    # Payloads travel in a list: PySide6 mishandles a bare None through Signal(object) (refcount underflow).
    done = Signal(object, object)  # job, [result]
    failed = Signal(object, object)  # job, exception
    progress = Signal(object, int, int, str)  # job, done, total (-1 unknown), message
    ready = Signal(object)  # [exception or None] once the connection is open

    def __init__(self, db_path: Path, jobs: queue.Queue):
        super().__init__()
        self.setObjectName("db-worker")
        self._db_path = db_path
        self._jobs = jobs
        self.current: Job | None = None

    def run(self) -> None:
        from models.store import close_db, next_job, open_db

        try:
            db = open_db(self._db_path)
        except BaseException as exc:  # noqa: BLE001 - reported to the UI, which shows a dialog
            log.exception("cannot open database %s", self._db_path)
            self.ready.emit([exc])
            return
        self.ready.emit([None])
        while True:
            job = next_job(db, self._jobs)  # checkpoints the WAL when idle
            if job is None:
                break
            self.current = job
            try:
                kwargs = dict(job.kwargs)
                if job.with_progress:
                    kwargs["progress"] = self._progress_fn(job)
                if job.cancellable:
                    kwargs["cancel"] = lambda job=job: job.cancelled
                result = job.fn(db, *job.args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
                if not _is_user_error(exc):
                    log.exception("job %s failed", getattr(job.fn, "__name__", job.fn))
                self.failed.emit(job, exc)
            else:
                self.done.emit(job, [result])
            finally:
                self.current = None
        close_db(db)

    def _progress_fn(self, job: Job) -> Callable[..., None]:
        last = [0.0]

        def progress(done: int, total: int | None = None, message: str = "") -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL or (total is not None and done >= total):
                last[0] = now
                self.progress.emit(job, int(done), -1 if total is None else int(total), message or "")

        return progress


def _is_user_error(exc: BaseException) -> bool:
    """The user's input was wrong (shown as a message), not a fault worth a traceback in the log."""
    from models.errors import UserFacingError

    return isinstance(exc, UserFacingError)


class TaskManager(QObject):
    """Queue core calls on the worker thread; callbacks run on the UI thread."""

    ready = Signal()
    open_failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._queue: queue.Queue = queue.Queue()
        self._pending: dict[int, Job] = {}
        self._next_id = 1
        self.is_ready = False
        self._runner = _Runner(self.db_path, self._queue)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._runner.progress.connect(self._on_progress)
        self._runner.ready.connect(self._on_ready)
        self._runner.start()

    # -------------------------------------------------------------- API
    def run(
        self,
        fn: Callable[..., Any],
        *args,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int | None, str], None] | None = None,
        with_progress: bool = False,
        cancellable: bool = False,
        **kwargs,
    ) -> Job:
        """Queue fn(db, *args, **kwargs); with_progress/cancellable add the `progress=`/`cancel=` keywords."""
        job = Job(self._next_id, fn, args, kwargs, on_done, on_error, on_progress, with_progress, cancellable)
        self._next_id += 1
        was_idle = not self._pending
        self._pending[job.id] = job
        self._queue.put(job)
        if was_idle:
            self.busy_changed.emit(True)
        return job

    def idle(self) -> bool:
        return not self._pending

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Cancel what can be cancelled, finish the current job, stop the thread."""
        for job in self._pending.values():
            job.cancel()
        self._queue.put(None)
        self._runner.wait(timeout_ms)

    # -------------------------------------------------------------- slots (UI thread)
    def _on_ready(self, payload: list) -> None:
        exc = payload[0]
        if exc is not None:
            self.open_failed.emit(exc)
            return
        self.is_ready = True
        self.ready.emit()

    def _finish(self, job: Job) -> None:
        self._pending.pop(job.id, None)
        if not self._pending:
            self.busy_changed.emit(False)

    def _on_done(self, job: Job, payload: list) -> None:
        self._finish(job)
        if job.on_done is not None:
            job.on_done(payload[0])

    def _on_failed(self, job: Job, exc) -> None:
        self._finish(job)
        if job.on_error is not None:
            job.on_error(exc)
        else:
            error_dialog(None, exc)

    def _on_progress(self, job: Job, done: int, total: int, message: str) -> None:
        if job.on_progress is not None and job.id in self._pending:
            job.on_progress(done, None if total < 0 else total, message)


def error_text(exc: BaseException) -> str:
    """The core's Chinese message for the user's own mistakes; for anything else (a bug, a ValueError
    included) a short note pointing at the log, which holds the traceback."""
    if _is_user_error(exc):
        return str(exc)
    text = QCoreApplication.translate("worker", "内部错误：{0}: {1}（详情见日志）")
    return text.format(type(exc).__name__, exc)


def error_dialog(parent, exc: BaseException) -> None:
    from ui import dialogs

    dialogs.warn(parent, error_text(exc))
