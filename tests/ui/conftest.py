"""pytest-qt fixtures for the console: a main window on a given database, dialogs answered by the test,
and the demo exports imported once through the import page (shared, copied per test)."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui import dialogs

# A small platform-like export: one row of the columns every file needs, and a few more.
HEADER = ["案件编号", "处置单位", "上报时间", "立案时间", "地址", "问题类型", "小类"]
ROW = ["202203010001", "市交警支队", "2022-03-01 08:00:00", "2022-03-01 09:00:00", "胜利路1号", "事件", "车辆违停"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def history_row(table, row: int) -> list[str]:
    """An import history row's file and outcome (文件, 结果), found by their headers."""
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return [table.item(row, headers.index(h)).text() for h in ("文件", "结果")]


def write_december_csv(path: Path) -> Path:
    """A platform-like CSV of December 2021 (new cases for the demo store), headed by the Chinese labels."""
    from demo.generator import iter_month_cases
    from models.records import CASE_FIELDS, FIELD_LABELS

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([FIELD_LABELS[f] for f in CASE_FIELDS])
        for case in iter_month_cases(2021, 12):
            writer.writerow(["" if case.get(f) is None else case.get(f) for f in CASE_FIELDS])
    return path


def plain_export(path: Path, unit_of=lambda i: "市交警支队") -> Path:
    """An export like a real office's plainer one: 结案时间 and 当前阶段 but no 处置时间 column; 23 of 30 closed,
    unit_of(i) the unit of the i-th case."""
    header = [*HEADER, "处置截止时间", "结案时间", "当前阶段"]
    rows = []
    for i in range(30):
        closed = i < 23
        row = [f"2021110{i:05d}", unit_of(i), "2021-11-02 08:00:00", "2021-11-02 09:00:00", f"胜利路{i}号"]
        row += ["事件", "车辆违停", "2021-11-05 17:30:00"]
        row += ["2021-11-03 10:00:00" if closed else "", "已结案" if closed else "处置中"]
        rows.append(row)
    return write_csv(path, header, rows)


def plain_store(folder: Path, unit_of=lambda i: "市交警支队") -> Path:
    """A store holding plain_export imported through the importer (the inference included)."""
    from importers.pipeline import import_file
    from models.store import open_db

    path = folder / "plain.db"
    db = open_db(path)
    report = import_file(db, plain_export(folder / "plain.csv", unit_of))
    assert report.inserted == 30, report.summary_text()
    db.conn.close()
    return path


def small_store(path: Path) -> Path:
    """A store with 30 closed cases of March 2021, written straight into the tables."""
    from models.store import open_db
    from tests.conftest import insert_cases

    db = open_db(path)
    insert_cases(
        db,
        [
            {
                "case_no": f"2021030{i:05d}",
                "kind": "事件",
                "minor": "车辆违停",
                "unit": "市交警支队",
                "source": "信息采集",
                "channel": "网格巡查采集",
                "reported_at": "2021-03-02 08:00:00",
                "filed_at": "2021-03-02 09:00:00",
                "deadline_at": "2021-03-03 17:30:00",
                "disposed_at": "2021-03-02 15:00:00",
                "closed_at": "2021-03-02 18:00:00",
                "stage": "已结案",
                "address": f"胜利路{i}号",
            }
            for i in range(30)
        ],
    )
    db.conn.close()
    return path


class DialogScript:
    """Stands in for ui.dialogs: records every message; answers questions and file choices from lists."""

    def __init__(self):
        self.warnings: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.answers: list[bool] = []
        self.texts: list[str | None] = []  # answers to text prompts (None = cancelled)
        self.save_paths: list[Path] = []
        self.open_paths: list[list[Path]] = []

    def install(self, monkeypatch) -> None:
        monkeypatch.setattr(dialogs, "warn", lambda parent, text, title=None: self.warnings.append(text))
        monkeypatch.setattr(dialogs, "info", lambda parent, text, title=None: self.infos.append(text))
        monkeypatch.setattr(dialogs, "ask", self._ask)
        monkeypatch.setattr(dialogs, "text_input", self._text)
        monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: self.save_paths.pop(0) if self.save_paths else None)
        monkeypatch.setattr(dialogs, "open_files", lambda *a, **k: self.open_paths.pop(0) if self.open_paths else [])

    def _text(self, parent, title, label, text="") -> str | None:
        self.questions.append(label)
        return self.texts.pop(0) if self.texts else None

    def _ask(self, parent, text, title=None) -> bool:
        self.questions.append(text)
        return self.answers.pop(0) if self.answers else False


@pytest.fixture
def script(monkeypatch) -> DialogScript:
    s = DialogScript()
    s.install(monkeypatch)
    return s


def pump_until(condition, timeout: float = 60.0) -> None:
    """Run the event loop until condition() holds (session fixtures cannot use qtbot)."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        app.processEvents()
        time.sleep(0.005)


def settle(window, timeout: float = 60.0) -> None:
    """Wait until the worker queue is empty and the window finished its start-up."""
    pump_until(lambda: window.startup_done and window.tasks.idle(), timeout)
    QApplication.instance().processEvents()
    pump_until(lambda: window.tasks.idle(), timeout)


def open_window(db_path: Path, settings_path: Path, *, offer_demo: bool = False, size=(1400, 900)):
    from ui.app import create_app
    from ui.main_window import MainWindow

    create_app()
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    restored = settings.contains("window/geometry")
    window = MainWindow(db_path, settings, offer_demo=offer_demo)
    if not restored:
        window.resize(*size)
    window.show()
    return window


@pytest.fixture
def make_window(qapp, tmp_path, script):
    """Open main windows on databases; closes them (and stops their worker threads) after the test."""
    windows = []

    def make(db_path: Path, *, settings_path: Path | None = None, offer_demo: bool = False, wait: bool = True):
        window = open_window(db_path, settings_path or tmp_path / "settings.ini", offer_demo=offer_demo)
        windows.append(window)
        if wait:
            settle(window)
        return window

    yield make
    import shiboken6

    for window in windows:
        if shiboken6.isValid(window):  # a test may have deleted it already
            window.close()
            window.deleteLater()
    qapp.processEvents()


@pytest.fixture(scope="session")
def demo_exports(tmp_path_factory) -> list[Path]:
    """The demo months as platform-style .xlsx exports (demo.build.write_demo_exports), written once."""
    from demo.build import write_demo_exports

    return write_demo_exports(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="session")
def ui_imported(qapp, demo_exports, tmp_path_factory) -> dict:
    """A fresh store filled by dragging the demo exports onto the import page and pressing 开始导入."""
    folder = tmp_path_factory.mktemp("ui-import")
    db_path = folder / "imported.db"
    window = open_window(db_path, folder / "settings.ini")
    original = dialogs.ask
    dialogs.ask = lambda *a, **k: False  # an empty store offers the demo: say no, we import ourselves
    try:
        pump_until(lambda: window.startup_done and window.tasks.idle())
        page = window.imports
        window.show_page(window.pages.index(page))
        page.add_files(demo_exports)
        pump_until(lambda: page.start.isEnabled(), 60)
        previews = {p.name: page.previews[p] for p in demo_exports}
        validation = page.validation.text()
        page.start.click()
        progress_seen = []
        pump_until(lambda: progress_seen.append(page.progress.maximum()) or page.job is None, 300)
        reports = list(page.reports)
        pump_until(lambda: window.tasks.idle())
        history = [page.history.table.item(r, 1).text() for r in range(page.history.table.rowCount())]
    finally:
        dialogs.ask = original
        window.close()
        window.deleteLater()
        QApplication.instance().processEvents()
    return {
        "db_path": db_path,
        "reports": reports,
        "previews": previews,
        "validation": validation,
        "history": history,
        "progress_maxima": progress_seen,
    }


def copy_store(source: Path, copy: Path) -> Path:
    """A copy of a store with its write-ahead log (a store a window had open may hold pages only there)."""
    shutil.copyfile(source, copy)
    for suffix in ("-wal", "-shm"):
        side = Path(str(source) + suffix)
        if side.exists():
            shutil.copyfile(side, Path(str(copy) + suffix))
    return copy


@pytest.fixture
def demo_copy(ui_imported, tmp_path) -> Path:
    """A private copy of the UI-imported demo store."""
    return copy_store(ui_imported["db_path"], tmp_path / "demo.db")


@pytest.fixture(scope="session")
def ledgers_imported(ui_imported, tmp_path_factory) -> Path:
    """The UI-imported demo store with the demo's 两违, 督察信访 and 创城回头看 ledgers added the way `demo` adds
    them (demo.ledgers, through the importers): the whole demo database."""
    from demo.ledgers import import_demo_ledgers
    from models.store import open_db

    folder = tmp_path_factory.mktemp("ledgers")
    path = copy_store(ui_imported["db_path"], folder / "ledgers.db")
    db = open_db(path)
    try:
        reports = import_demo_ledgers(db, folder)
    finally:
        db.conn.close()
    assert not any(r.refused or r.rejected for r in reports)
    return path


@pytest.fixture
def ledgers_copy(ledgers_imported, tmp_path) -> Path:
    """A private copy of the whole demo database (city cases and the supervision ledgers)."""
    return copy_store(ledgers_imported, tmp_path / "demo-ledgers.db")


def table_texts(table) -> list[list[str]]:
    """A QTableWidget's cells as text, row by row."""
    return [
        [table.item(r, c).text() if table.item(r, c) is not None else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
