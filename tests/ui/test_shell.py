"""The shell around the pages: start-up on an empty store, persistence, meeting mode, the worker thread."""

from __future__ import annotations

import logging
import re
import threading

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from models.periods import parse_label
from tests.conftest import insert_cases
from tests.ui.conftest import settle, small_store


def test_empty_store_offers_the_demo_and_opens_on_its_latest_month(make_window, script, tmp_path, monkeypatch, qtbot):
    """The real build_demo takes a minute; a stand-in writes a small month, with progress, on the worker."""
    from ui import main_window

    calls = []

    def fake_build(db, *, progress=None):
        calls.append(threading.current_thread().name)
        for done in range(3):
            progress(done, 3, f"演示 {done}")
        insert_cases(db, [{"case_no": "X1", "reported_at": "2021-11-03 08:00:00", "filed_at": "2021-11-03 09:00:00"}])
        return []

    monkeypatch.setattr(main_window, "build_demo_job", fake_build)
    script.answers = [True]
    window = make_window(tmp_path / "fresh.db", offer_demo=True, wait=False)
    settle(window)
    assert script.questions and "演示数据" in script.questions[0]
    assert calls and calls[0] != threading.main_thread().name  # built on the worker thread
    assert window.ctx.period.label == "2021-11"
    assert window.demo_dialog is None
    progress_windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.DemoProgress)]
    assert progress_windows and not any(w.isVisible() for w in progress_windows)  # the progress window is gone


def test_declining_the_demo_opens_the_import_page(make_window, script, tmp_path):
    script.answers = [False]
    window = make_window(tmp_path / "fresh.db", offer_demo=True)
    assert window.stack.currentWidget() is window.imports


def test_geometry_page_and_period_persist(make_window, tmp_path, qtbot):
    store = small_store(tmp_path / "small.db")
    settings = tmp_path / "persist.ini"
    window = make_window(store, settings_path=settings)
    assert window.ctx.period.label == "2021-03"  # the latest month with cases
    window.resize(701, 503)
    window.show_page(window.pages.index(window.overdue))
    window.picker.set_period(parse_label("2021-Q1"))
    settle(window)
    size = (window.width(), window.height())
    window.close()

    again = make_window(store, settings_path=settings)
    assert again.stack.currentWidget() is again.overdue
    assert again.ctx.period.label == "2021-Q1"
    assert (again.width(), again.height()) == size != (1400, 900)


def test_an_unversioned_settings_file_is_migrated_and_keeps_keys_it_does_not_know(make_window, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.window_settings import SETTINGS_VERSION, VERSION_KEY

    store = small_store(tmp_path / "small.db")
    path = tmp_path / "old.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)  # as a release before settings versions wrote it
    old.setValue("window/page", 3)  # 超期预警 in the page order of that release
    old.setValue("period", "2021-Q1")
    old.setValue("exports/last_folder", "D:/通报")
    old.sync()
    del old
    window = make_window(store, settings_path=path)
    assert window.stack.currentWidget() is window.overdue and window.ctx.period.label == "2021-Q1"
    window.close()
    saved = QSettings(str(path), QSettings.Format.IniFormat)
    assert int(saved.value(VERSION_KEY)) == SETTINGS_VERSION == 2
    assert saved.value("exports/last_folder") == "D:/通报"
    assert saved.value("period") == "2021-Q1" and saved.value("window/page") == "overdue"


def test_a_version_1_settings_file_reopens_on_the_same_page_after_pages_were_added(make_window, tmp_path):
    from PySide6.QtCore import QSettings

    store = small_store(tmp_path / "small.db")
    path = tmp_path / "v1.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("settings_version", 1)
    old.setValue("window/page", 5)  # 导出 in version 1's order; index 5 is 两违监管 now
    old.sync()
    del old
    window = make_window(store, settings_path=path)
    assert window.stack.currentWidget() is window.exports


def test_every_page_has_a_keyboard_shortcut(make_window, tmp_path, qtbot):
    window = make_window(small_store(tmp_path / "small.db"))
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.settings_page
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.exports


def test_period_picker_steps_months_quarters_and_ranges(qtbot):
    from ui.widgets import PeriodPicker

    picker = PeriodPicker()
    qtbot.addWidget(picker)
    seen = []
    picker.changed.connect(lambda p: seen.append(p.label))
    picker.set_period(parse_label("2021-12"))
    picker.step(1)
    assert picker.period().label == "2022-01"
    picker.step(-1)
    picker.step(-1)
    assert picker.period().label == "2021-11"
    picker.set_period(parse_label("2021-Q4"))
    picker.step(1)
    assert picker.period().label == "2022-Q1"
    picker.set_period(parse_label("2021-11-01..2021-11-10"))
    picker.step(1)
    assert picker.period().label == "2021-11-11..2021-11-20"
    assert seen[-1] == "2021-11-11..2021-11-20"


def test_switching_the_period_kind_keeps_to_the_months_with_data(make_window, demo_copy):
    """2021-Q4 → 月 lands on November (the quarter's last month with cases), not on month 4 of the spin box."""
    window = make_window(demo_copy)
    picker = window.picker
    assert picker.months_with_data == ["2021-09", "2021-10", "2021-11"]

    def switch(kind: str) -> str:
        picker.kind.setCurrentIndex(picker.kind.findData(kind))
        assert window.ctx.period == picker.period()
        return picker.period().label

    picker.set_period(parse_label("2021-Q4"))
    assert switch("month") == "2021-11"
    assert switch("quarter") == "2021-Q4"
    assert switch("year") == "2021"
    assert switch("month") == "2021-11"
    picker.set_period(parse_label("2021-Q3"))
    assert switch("month") == "2021-09"
    picker.set_period(parse_label("2021-02"))
    assert switch("quarter") == "2021-Q1"  # a quarter without data: its own last month, no jump
    assert switch("month") == "2021-03"
    assert switch("range") == "2021-03-01..2021-03-31"
    picker.set_period(parse_label("2021-10-20..2021-12-10"))
    assert switch("month") == "2021-11"


def test_meeting_mode_steps_through_slides_with_arrow_keys(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    window.show_page(window.pages.index(window.dashboard))
    qtbot.waitUntil(lambda: window.dashboard.doc is not None and window.dashboard.charts_ready, timeout=30000)
    window.show_page(window.pages.index(window.scores))
    qtbot.waitUntil(lambda: window.scores.doc is not None, timeout=60000)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    meeting = window.meeting
    assert meeting is not None
    qtbot.waitUntil(meeting.isFullScreen, timeout=5000)
    titles = [title for title, _w in meeting.slides]
    assert titles[0] == "2021-11 运行概况"
    assert any("A类单位" in t for t in titles) and any("高发事件小类" in t for t in titles)
    # slides are built one by one, not all when the mode opens: the shown one and, in a turn of its own, the next
    qtbot.waitUntil(lambda: 1 in meeting._built, timeout=5000)
    assert sorted(meeting._built) == [0, 1]
    qtbot.keyClick(meeting, Qt.Key.Key_Right)
    qtbot.keyClick(meeting, Qt.Key.Key_Right)
    assert meeting.index == 2
    qtbot.keyClick(meeting, Qt.Key.Key_Left)
    assert meeting.index == 1
    assert sorted(meeting._built)[:3] == [0, 1, 2]
    sources = meeting.slide_widget(1)  # 受理来源, filled with the dashboard's figures
    assert sources.labels == window.dashboard.sources.labels and sources.values == window.dashboard.sources.values
    qtbot.keyClick(meeting, Qt.Key.Key_End)
    assert "类单位绩效评价" in meeting.title.text() and meeting.stack.currentWidget().table.rowCount() > 0
    assert meeting.font().pointSizeF() > window.font().pointSizeF() * 1.5
    qtbot.keyClick(meeting, Qt.Key.Key_Escape)
    assert window.meeting is None


def test_only_the_shown_page_decides_how_far_the_pages_scroll(make_window, demo_copy, qtbot):
    """The 运行分析 charts need more height than a 1366×768 screen gives; the other pages must not scroll for it."""
    window = make_window(demo_copy)
    window.resize(1366, 768)
    window.show_page(window.pages.index(window.dashboard))
    qtbot.waitUntil(lambda: window.dashboard.doc is not None and window.dashboard.charts_ready, timeout=30000)
    settle(window)
    area = window.stack.parentWidget().parentWidget()  # the scroll area (the stack sits in its viewport)
    assert window.stack.height() > area.viewport().height()  # the dashboard scrolls
    for page in (window.overdue, window.cases, window.settings_page):
        window.show_page(window.pages.index(page))
        settle(window)
        QApplication.processEvents()
        assert window.stack.height() == area.viewport().height(), page.title
        assert not area.verticalScrollBar().isVisible(), page.title


def test_meeting_score_slides_leave_idle_units_unranked_and_carry_the_example_note(make_window, demo_copy, qtbot):
    from PySide6.QtWidgets import QLabel

    window = make_window(demo_copy)
    window.show_page(window.pages.index(window.scores))
    qtbot.waitUntil(lambda: window.scores.doc is not None, timeout=60000)
    window.toggle_meeting()
    meeting = window.meeting
    slides = [i for i, (title, _b) in enumerate(meeting.slides) if "B类单位" in title]
    rows = []
    for index in slides:
        slide = meeting.slide_widget(index)
        table = slide.table
        rows += [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        assert [label.text() for label in slide.findChildren(QLabel)] == ["按内置示例规则计算，非本市考核细则"]
    ranks = [row[0] for row in rows]
    first_idle = ranks.index("—")
    assert all(r.isdigit() for r in ranks[:first_idle]) and set(ranks[first_idle:]) == {"—"}
    assert {row[5] for row in rows[first_idle:]} == {"无案件"} and {row[5] for row in rows[:first_idle]} == {""}
    meeting.close()


def test_worker_runs_jobs_in_order_off_the_ui_thread_and_reports_errors(make_window, tmp_path, qtbot, script):
    window = make_window(small_store(tmp_path / "small.db"))
    threads, results, errors = [], [], []

    def job(db, n):
        threads.append(threading.current_thread().name)
        return db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] + n

    def boom(db):
        from models.errors import UserFacingError

        raise UserFacingError("文件「x.xlsx」第 3 行：无法识别")

    for n in range(3):
        window.tasks.run(job, n, on_done=results.append)
    window.tasks.run(boom, on_error=errors.append)
    window.tasks.run(boom)  # no handler: the user sees the message
    qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert results == [30, 31, 32]
    assert set(threads) == {"db-worker"} or threading.main_thread().name not in threads
    assert str(errors[0]) == "文件「x.xlsx」第 3 行：无法识别"
    assert script.warnings == ["文件「x.xlsx」第 3 行：无法识别"]


def test_a_closed_window_drops_its_pages_pending_timers(make_window, tmp_path, qtbot):
    """The dashboard builds its charts 1.5 s after it shows when no figures come; a window closed and
    deleted before then must not have that timer run on its deleted page (a RuntimeError in the next test)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window = make_window(small_store(tmp_path / "small.db"))
    window.show_page(window.pages.index(window.imports))
    window.show_page(window.pages.index(window.dashboard))  # shown again: queues the 1.5 s fallback
    dashboard = window.dashboard
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    import shiboken6

    assert not shiboken6.isValid(dashboard)
    qtbot.wait(1800)  # pytest-qt fails the test on an exception raised in the event loop meanwhile


def test_refused_settings_input_logs_no_traceback(make_window, tmp_path, qtbot, script, caplog):
    """A wrong unit category typed in 设置 is refused with its message, not logged as an internal fault."""
    window = make_window(small_store(tmp_path / "small.db"))

    def bad_category(db):
        from models import registry

        registry.set_unit(db, "市交警支队", category="D")

    def bad_period(db):
        from models.periods import parse_label

        parse_label("2021-13")

    errors = []
    with caplog.at_level(logging.ERROR, logger="chengguan.ui"):
        window.tasks.run(bad_category, on_error=errors.append)
        window.tasks.run(bad_period, on_error=errors.append)
        qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert len(errors) == 2
    assert "未知的单位类别「D」" in str(errors[0])
    assert [r for r in caplog.records if r.name == "chengguan.ui"] == []


INTERNAL_WORDS = re.compile(
    r"(?<![A-Za-z_])(case_no|deadline_at|disposed_at|filed_at|closed_at|reported_at|deduction|composite|"
    r"gb_composite|default|filed|disposed|period_end|none|inferred|export)(?![A-Za-z_])"
)


def shown_texts(root) -> list[str]:
    """Every text a user can read in `root`: labels, buttons, tabs, group titles, combo items, table and tree
    cells and headers."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QGroupBox,
        QLabel,
        QTabWidget,
    )

    texts = [w.text() for w in root.findChildren(QLabel) + root.findChildren(QAbstractButton) if w.isVisibleTo(root)]
    texts += [w.title() for w in root.findChildren(QGroupBox)]
    for tabs in root.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for combo in root.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    top = QModelIndex()
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        try:
            columns = model.columnCount(top)
        except TypeError:  # a list model (its columnCount is private): one column
            columns = 1
        texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
        for r in range(min(model.rowCount(top), 200)):
            texts += [str(model.index(r, c, top).data() or "") for c in range(columns)]
    return [t for t in texts if t]


def test_no_internal_word_reaches_a_page(make_window, demo_copy, qtbot):
    """case_no, deadline_at, deduction, gb_composite, "规则 default v1", 立案（filed）…: every page, loaded with
    the demo month, shows only the office's words (file paths aside)."""
    window = make_window(demo_copy)
    for page in window.pages:
        window.show_page(window.pages.index(page))
        settle(window)
    qtbot.waitUntil(lambda: window.scores.doc is not None and window.overdue.lights_shown, timeout=60000)
    window.imports.mapping.show_mapping(["案件编号"], {"case_no": "案件编号"}, ["case_no"])
    leaks = [
        (page.title, text)
        for page in window.pages
        for text in shown_texts(page)
        if INTERNAL_WORDS.search(text) and not re.search(r"[/\\{]", text)  # file paths, template {placeholders}
    ]
    assert leaks == []
