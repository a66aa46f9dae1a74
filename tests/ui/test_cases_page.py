"""案件查询: the lazy case table, its filters, drill-downs from figures, and the case detail."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from models import browse
from models.store import connect
from tests.ui.conftest import HEADER, ROW, settle, write_csv


def test_case_table_reads_lazily_by_pages_and_opens_a_case(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    page.date_field.setCurrentIndex(page.date_field.findData("reported_at"))
    page.apply_filters()
    settle(window)
    model = page.model
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    assert page.count.text() == "共 55603 件"
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200, timeout=5000)
    first = [model.case_no(r) for r in range(model.rowCount())]
    assert first == sorted(first) and len(set(first)) == len(first)

    page.search.setText("202111160744")
    page.apply_filters()
    settle(window)
    assert model.rowCount() == 1 and model.case_no(0) == "202111160744"
    dialog = page.open_case("202111160744")
    labels = [dialog.fields.item(r, 0).text() for r in range(dialog.fields.rowCount())]
    assert "案件编号" in labels and "处置单位" in labels and "来源文件" in labels
    assert dialog.raw.rowCount() > 10  # the exported row's original cells
    dialog.close()


def test_case_filters_narrow_by_unit_kind_and_light(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    settle(window)
    page.unit.setCurrentText("芗城区城市管理局")
    page.kind.setCurrentIndex(page.kind.findData("事件"))
    page.apply_filters()
    settle(window)
    db = connect(demo_copy, readonly=True)
    expected = browse.count_cases(db, page.current_query())
    assert expected > 0 and page.count.text() == f"共 {expected} 件"
    page.light.setCurrentIndex(page.light.findData("light_red"))
    page.apply_filters()
    settle(window)
    from models.drilldown import case_numbers

    red = case_numbers(db, window.ctx.period, "light_red", unit="芗城区城市管理局", kind="事件")
    assert page.model.rowCount() == len(red) and page.count.text() == f"共 {len(red)} 件"
    db.conn.close()


def test_light_filter_still_honours_the_search_and_stage(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: window.tasks.idle() and page.count.text().startswith("共"), timeout=60000)
    page.light.setCurrentIndex(page.light.findData("light_red"))
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    red = page.model.rowCount()
    assert red > 1
    first = page.model.case_no(0)
    page.search.setText(first)
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    assert page.count.text() == "共 1 件"
    assert page.model.case_no(0) == first
    page.search.clear()
    page.stage.setCurrentText("没有这个阶段")
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    assert page.count.text() == "共 0 件"


def test_a_new_case_list_starts_at_its_top(make_window, demo_copy, qtbot):
    from models import browse

    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: window.tasks.idle() and page.count.text().startswith("共"), timeout=60000)
    page.table.scrollTo(page.model.index(150, 0))
    assert page.table.verticalScrollBar().value() > 0
    numbers = tuple(page.model.case_no(r) for r in range(0, 300))
    page.show_drilldown(browse.CaseQuery(numbers=numbers), "测试")
    qtbot.wait(50)
    assert page.table.verticalScrollBar().value() == 0
    assert page.table.rowAt(0) == 0


def test_a_drill_down_does_not_first_rerun_the_stale_case_filters(make_window, demo_copy, qtbot, monkeypatch):
    """A tile opens its cases on the 案件查询 page: the page, stale after a change of period, must not
    first rerun its own filters (a page read on the UI thread and a count) only to replace them."""
    from models.periods import month_period

    window = make_window(demo_copy)
    dash, cases = window.dashboard, window.cases
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)
    window._set_period(month_period(2021, 10))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.doc["period"] == "2021-10", timeout=30000)
    settle(window)
    reads = []
    real = browse.fetch_page
    monkeypatch.setattr(browse, "fetch_page", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    dash.tiles["filed"].clicked.emit()
    qtbot.waitUntil(lambda: cases.isVisible() and cases.model.query is not None, timeout=30000)
    settle(window)
    assert reads == []  # only the drill-down's own block read (by case number) ran
    assert cases.model.query.numbers is not None and cases.count.text() == f"共 {dash.doc['filed']} 件"
    assert cases.banner.isVisible() and "2021-10 立案" in cases.banner.text()
    qtbot.waitUntil(lambda: cases.unit.count() > 1, timeout=30000)  # the filter choices loaded all the same


def test_case_detail_shows_codes_and_empty_history_values_in_chinese(qtbot, tmp_path):
    from importers.pipeline import import_file
    from models.store import connect, open_db
    from ui.case_detail import CaseDetailDialog

    header = [*HEADER, "派遣时间", "结案时间", "当前阶段"]
    sent = "2022-03-01 09:30:00"
    first = write_csv(tmp_path / "一.csv", header, [[*ROW, sent, "", "处置中"]])
    second = write_csv(tmp_path / "二.csv", header, [[*ROW, sent, "2022-03-02 10:00:00", "结案"]])
    db = open_db(tmp_path / "store.db")
    import_file(db, first)
    import_file(db, second)
    db.conn.close()
    ro = connect(tmp_path / "store.db", readonly=True)
    dialog = CaseDetailDialog(ro, "202203010001")
    qtbot.addWidget(dialog)
    fields = {dialog.fields.item(r, 0).text(): dialog.fields.item(r, 1).text() for r in range(dialog.fields.rowCount())}
    assert fields["已作废"] == "否"
    assert fields["截止时间来源"] == "按处置时限计算"
    # closed without a 处置时间 column: disposed at its 结案时间, and the record says it was inferred
    assert fields["处置时间来源"] == "按结案时间推定" and fields["处置结束时间"] == "2022-03-02 10:00:00"
    assert dialog.history.rowCount() == 1
    change = dialog.history.item(0, 2).text()
    assert "结案时间：（空）" in change and "当前阶段：处置中" in change
    assert "None" not in change and "import_id" not in change
    ro.conn.close()


def test_unit_and_minor_lists_open_wide_enough_for_their_longest_name(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    window.resize(1366, 768)
    page = window.cases
    window.show_page(window.pages.index(page))
    settle(window)
    for combo in (page.unit, page.minor):
        names = [combo.itemText(i) for i in range(combo.count())]
        widest = max(combo.view().fontMetrics().horizontalAdvance(n) for n in names)
        assert len(names) > 10 and widest > combo.width()  # the box is narrower than its longest name …
        assert combo.view().minimumWidth() >= widest + combo.view().verticalScrollBar().sizeHint().width()
        combo.showPopup()  # … the list is not
        assert combo.view().width() >= widest
        combo.hidePopup()


def test_enter_in_any_filter_applies_the_filters_once(make_window, demo_copy, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    settle(window)
    applied = []
    real = page.apply_filters
    monkeypatch.setattr(page, "apply_filters", lambda: applied.append(page.current_query()) or real())
    page.unit.setCurrentText("芗城区城市管理局")
    qtbot.keyClick(page.unit.lineEdit(), Qt.Key.Key_Return)
    assert [q.unit for q in applied] == ["芗城区城市管理局"]
    page.search.setText("胜利路")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    page.kind.setCurrentIndex(page.kind.findData("部件"))
    qtbot.keyClick(page.kind, Qt.Key.Key_Enter)
    qtbot.keyClick(page.subunits, Qt.Key.Key_Return)
    assert [(q.search, q.kind) for q in applied[1:]] == [("胜利路", None), ("胜利路", "部件"), ("胜利路", "部件")]
    settle(window)
    typed = page.unit.count()
    page.unit.setCurrentText("不在名单里的单位")
    qtbot.keyClick(page.unit.lineEdit(), Qt.Key.Key_Return)
    assert page.unit.count() == typed  # a typed name filters; it is not added to the list


def test_with_subunits_lists_the_cases_a_parent_is_scored_on(make_window, demo_copy, qtbot):
    """芗城区政府 is scored 含下属单位 on 1,555 cases; the case page finds 3 under its own name, 1,555 with
    含下属单位, and a light filter honours it too."""
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    settle(window)
    page.unit.setCurrentText("芗城区政府")
    page.apply_filters()
    settle(window)
    assert page.count.text() == "共 3 件"
    page.subunits.setChecked(True)
    page.apply_filters()
    settle(window)
    assert page.count.text() == "共 1555 件"
    db = connect(demo_copy, readonly=True)
    from models.drilldown import case_numbers

    red = case_numbers(db, window.ctx.period, "light_red", unit="芗城区政府", with_subunits=True)
    db.conn.close()
    page.light.setCurrentIndex(page.light.findData("light_red"))
    page.apply_filters()
    settle(window)
    assert len(red) > 1 and page.count.text() == f"共 {len(red)} 件"
    page.reset.click()
    assert not page.subunits.isChecked()
