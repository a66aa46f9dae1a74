"""The main window: navigation sidebar, the shared period picker, the pages, meeting mode, persistence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs
from ui.pages.base import AppContext, Page
from ui.pages.cases import CasesPage
from ui.pages.dashboard import DashboardPage
from ui.pages.exports import ExportsPage
from ui.pages.imports import ImportsPage
from ui.pages.lw import LwPage
from ui.pages.overdue import OverduePage
from ui.pages.petitions import PetitionsPage
from ui.pages.rectify import RectifyPage
from ui.pages.scores import ScoresPage
from ui.pages.settings import SettingsPage
from ui.startup import Prefetch, freeze_startup_objects, startup_state
from ui.widgets import PeriodPicker
from ui.window_settings import GEOMETRY_KEY, PAGE_KEY, PERIOD_KEY, migrate_settings, saved_period
from ui.worker import TaskManager, error_text

STYLE = """
QListWidget#nav { background: #24364b; color: #e8eef5; border: none; padding-top: 8px; }
QListWidget#nav::item { padding: 12px 18px; }
QListWidget#nav::item:selected { background: #3b5b80; color: white; }
QFrame#tile { background: #f5f8fc; color: #222; border: 1px solid #d5dfeb; border-radius: 6px; }
QFrame#tile:hover { background: #e8f0fa; color: #222; }
QLabel#tileValue { color: #1d4f8a; }
QLabel#tileNote { color: #777; }
QLabel#pageHeading { font-weight: bold; }
QLabel#sectionHeading { font-weight: bold; }
QLabel#banner { background: #fff6d6; color: #222; border: 1px solid #e8d58c; padding: 4px 8px; }
QFrame#unplacedBand { background: #fdecea; color: #222; border: 1px solid #e6b0aa; }
QFrame#dropZone { border: 2px dashed #9fb3c8; border-radius: 6px; background: #f7f9fc; color: #222; }
QPushButton#primary { font-weight: bold; }
"""


FIRST_START_SIZE = QSize(1360, 860)
FRAME_ALLOWANCE = QSize(16, 40)  # the window frame and title bar around the client area Qt sizes


def first_start_size(available: QRect, minimum: QSize) -> QSize:
    """The first window size: 1360×860, shrunk to the screen's work area (a 1366×768 laptop at 125% offers
    1093×582 logical pixels), never below what the window needs."""
    room = available.size() - FRAME_ALLOWANCE
    return FIRST_START_SIZE.boundedTo(room).expandedTo(minimum)


def build_demo_job(db, *, progress=None) -> list:
    from demo.build import build_demo

    return build_demo(db, progress=progress)


class DemoProgress(QDialog):
    """A plain progress window (QProgressDialog.setValue re-enters the event loop; this one never does)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle(self.tr("载入演示数据"))
        self.setMinimumWidth(460)
        self.label = QLabel(self.tr("正在生成并导入演示数据…"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)

    def set_progress(self, done: int, total: int | None, message: str) -> None:
        if total:
            self.bar.setRange(0, int(total))
            self.bar.setValue(min(int(done), int(total)))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.label.setText(message)

    def reject(self) -> None:  # Esc or the close button must not hide it while the worker is still building
        pass

    def finish(self) -> None:
        """Close when the build is over (close() would go through reject() and be ignored)."""
        self.accept()


class PageStack(QStackedWidget):
    """The pages, one shown at a time; the scroll area around them asks only the shown page how tall it wants to be.

    Why: QStackedLayout answers heightForWidth with the largest answer of every page, shown or not, so once the
    运行分析 charts were built every page stood 1173 pixels tall on a 1366×768 screen and scrolled."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # the layout would also make every page's minimum height the stack's (a chart's rows on 运行分析)
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class MainWindow(QMainWindow):
    def __init__(
        self,
        db_path: Path,
        settings: QSettings | None = None,
        *,
        offer_demo: bool = True,
        tasks: TaskManager | None = None,
        prefetch: Prefetch | None = None,
    ):
        super().__init__()
        self.setWindowTitle(self.tr("城管绩效台"))
        self.settings = migrate_settings(settings or QSettings())
        self.offer_demo = offer_demo
        self.tasks = tasks or TaskManager(db_path)
        self.tasks.setParent(self)
        self.prefetch = prefetch
        self.ctx = AppContext(self.tasks, db_path, self)
        self.meeting = None
        self.demo_dialog: DemoProgress | None = None
        self.startup_done = False

        self.picker = PeriodPicker()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setVisible(False)
        toolbar = QToolBar(self.tr("周期"))
        toolbar.setObjectName("periodBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.picker)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy())
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.busy)
        self.meeting_action = QAction(self.tr("会议模式 (F11)"), self)
        self.meeting_action.triggered.connect(self.toggle_meeting)
        toolbar.addAction(self.meeting_action)
        self.addToolBar(toolbar)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.stack = PageStack()
        self.imports = ImportsPage(self.ctx)
        self.dashboard = DashboardPage(self.ctx)
        self.scores = ScoresPage(self.ctx)
        self.overdue = OverduePage(self.ctx)
        self.cases = CasesPage(self.ctx)
        self.lw = LwPage(self.ctx)
        self.petitions = PetitionsPage(self.ctx)
        self.rectify = RectifyPage(self.ctx)
        self.exports = ExportsPage(self.ctx, rules=self.scores.rule_set)
        self.settings_page = SettingsPage(self.ctx)
        # the names are what the window settings save (a page's place in the list may change between releases)
        self.page_names: dict[str, Page] = {
            "imports": self.imports,
            "dashboard": self.dashboard,
            "scores": self.scores,
            "overdue": self.overdue,
            "cases": self.cases,
            "lw": self.lw,
            "petitions": self.petitions,
            "rectify": self.rectify,
            "exports": self.exports,
            "settings": self.settings_page,
        }
        self.pages: list[Page] = list(self.page_names.values())
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(page.title))
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        # the pages scroll rather than hold the window taller than a small laptop's screen (1366×768 at 125%)
        pages = QScrollArea()
        pages.setWidgetResizable(True)
        pages.setFrameShape(QFrame.Shape.NoFrame)
        pages.setWidget(self.stack)
        layout.addWidget(pages, 1)
        self.setCentralWidget(central)
        self.setStyleSheet(STYLE)
        self.status_label = QLabel("")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().showMessage(self.tr("正在打开数据库…"))

        QShortcut(QKeySequence(Qt.Key.Key_F11), self, activated=self.toggle_meeting)
        for index in range(min(len(self.pages), 10)):  # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth page
            key = QKeySequence(f"Ctrl+{(index + 1) % 10}")
            QShortcut(key, self, activated=lambda i=index: self.show_page(i))
        self.picker.changed.connect(self._period_picked)
        self.ctx.open_cases.connect(self._open_cases)
        self.ctx.period_requested.connect(self._set_period)
        self.ctx.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tasks.busy_changed.connect(self.busy.setVisible)
        self.tasks.ready.connect(self._db_ready)
        self.tasks.open_failed.connect(lambda exc: dialogs.warn(self, error_text(exc)))
        self.imports.imported.connect(self._after_import)

        self._restore()

    # ------------------------------------------------------------ persistence
    def _restore(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(first_start_size(self.screen().availableGeometry(), self.minimumSizeHint()))
        page = self.page_names.get(str(self.settings.value(PAGE_KEY, "dashboard")), self.dashboard)
        self.nav.setCurrentRow(self.pages.index(page))

    def save_state(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        shown = self.pages[self.nav.currentRow()] if self.nav.currentRow() >= 0 else self.dashboard
        self.settings.setValue(PAGE_KEY, next(name for name, page in self.page_names.items() if page is shown))
        if self.ctx.period is not None:
            self.settings.setValue(PERIOD_KEY, self.ctx.period.label)
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.imports.job is not None and not self._abandon_import():
            event.ignore()
            return
        self.save_state()
        if self.meeting is not None:
            self.meeting.close()
        self.tasks.shutdown()
        if self.ctx.ro_db is not None:
            self.ctx.ro_db.conn.close()
            self.ctx.ro_db = None
        super().closeEvent(event)

    def _abandon_import(self) -> bool:
        """Closing during an import: ask first; yes cancels it (its writes are rolled back and the history
        records it as 已取消 — the worker finishes that before the window closes)."""
        question = self.tr("导入进行中，确定退出？\n本次导入将被取消，已写入的部分全部撤回，导入记录中记为“已取消”。")
        if not dialogs.ask(self, question, self.tr("退出")):
            return False
        self.imports.cancel_import()
        return True

    # ------------------------------------------------------------ startup
    def _db_ready(self) -> None:
        self.ctx.open_readonly()
        self.statusBar().showMessage(self.tr("数据库：{0}").format(self.ctx.db_path), 8000)
        from models.store import network_warning

        warning = network_warning(self.ctx.db_path)
        if warning:  # one PC per database: WAL is not safe across machines
            dialogs.warn(self, warning, self.tr("数据库在网络共享盘上"))
        if self.prefetch is not None:  # run_gui queued the start-up work before the heavy imports
            prefetch, self.prefetch = self.prefetch, None
            prefetch.then(self._startup, self._startup_failed)
            return
        self.tasks.run(startup_state, saved_period(self.settings), on_done=self._startup, on_error=self._startup_failed)

    def _startup_failed(self, exc: BaseException) -> None:
        dialogs.warn(self, error_text(exc))

    def _startup(self, state: dict) -> None:
        self.picker.months_with_data = list(state.get("months", []))
        if state.get("dashboard"):
            label, doc, trend_rows = state["dashboard"]
            self.ctx.prefetched[label] = (doc, trend_rows)
        if state["empty"]:
            if self.offer_demo and dialogs.ask(
                self,
                self.tr(
                    "数据库中还没有案件。是否载入演示数据（2021年9–11月，约需一分钟）？\n"
                    "也可以选择“否”，再到“数据导入”页导入平台导出的文件。"
                ),
                self.tr("欢迎使用城管绩效台"),
            ):
                self.load_demo()
                return
            self.nav.setCurrentRow(0)
            self._set_period(self.picker.period())
            self._started()
            return
        self._set_period(state["period"] or self.picker.period())
        self._started()

    def _started(self) -> None:
        self.startup_done = True
        freeze_startup_objects("window")

    def load_demo(self) -> None:
        dialog = DemoProgress(self)
        dialog.show()
        self.demo_dialog = dialog

        def progress(done, total, message):
            dialog.set_progress(done, total, message)

        def done(reports):
            dialog.finish()
            self.demo_dialog = None
            self.settings.remove(PERIOD_KEY)
            self.tasks.run(startup_state, None, on_done=self._startup, on_error=self._startup_failed)
            self.ctx.data_changed.emit()

        def failed(exc):
            dialog.finish()
            self.demo_dialog = None
            dialogs.warn(self, error_text(exc))

        self.tasks.run(build_demo_job, with_progress=True, on_progress=progress, on_done=done, on_error=failed)

    # ------------------------------------------------------------ navigation
    def _set_period(self, period) -> None:
        if period is None:
            return
        self.picker.set_period(period)  # emits changed → _period_picked

    def _period_picked(self, period) -> None:
        self.ctx.set_period(period)
        self.settings.setValue(PERIOD_KEY, period.label)

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def _open_cases(self, query, caption: str) -> None:
        # the drill-down first: shown afterwards, the page is no longer stale and does not first rerun
        # its own filters (a page read and a count) only to replace them
        self.cases.show_drilldown(query, caption)
        self.show_page(self.pages.index(self.cases))

    def _after_import(self, reports: list) -> None:
        if any(r.inserted for r in reports) and self.ctx.period is not None:
            self.tasks.run(startup_state, self.ctx.period.label, on_done=self._startup, on_error=self._startup_failed)

    # ------------------------------------------------------------ meeting mode
    def toggle_meeting(self) -> None:
        from ui.meeting import MeetingView

        if self.meeting is not None:
            self.meeting.close()
            return
        self.meeting = MeetingView(
            self.ctx.last_stats, self.ctx.last_trend, self.ctx.last_scores, ledgers=self.ctx.last_ledgers
        )
        self.meeting.closed.connect(self._meeting_closed)
        self.meeting.showFullScreen()
        screen = self.screen() or self.meeting.screen()
        if screen is not None and self.meeting.geometry() != screen.geometry():
            self.meeting.setGeometry(screen.geometry())  # no window manager (a bare X server) ignores full screen
        self.meeting.activateWindow()

    def _meeting_closed(self) -> None:
        self.meeting = None
        self.activateWindow()
