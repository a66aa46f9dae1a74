"""设置: edits validated and saved through the core, rule sets chosen and copied, tables that stay readable."""

from __future__ import annotations

from tests.ui.conftest import settle, small_store


def _fills_the_width(table) -> bool:
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(table.columnCount()))
    return used >= table.viewport().width() - 2


def test_settings_validate_before_saving_and_save_through_the_core(make_window, tmp_path, qtbot):
    window = make_window(tmp_path / "store.db")
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    assert page.units.table.rowCount() > 40 and page.rules.table.rowCount() >= 1
    table = page.limits.table
    table.insertRow(table.rowCount())
    from PySide6.QtWidgets import QTableWidgetItem

    for c, text in enumerate(("事件", "共享单车乱停放", "两天", "工作日")):
        table.setItem(table.rowCount() - 1, c, QTableWidgetItem(text))
    before = len(page.data["limits"])
    page.save("limits")
    settle(window)
    assert "不是数字" in page.limits.status.text()
    table.item(table.rowCount() - 1, 2).setText("2")
    page.save("limits")
    settle(window)
    from models import reference
    from models.store import open_db

    db = open_db(tmp_path / "store.db")
    limits = reference.list_time_limits(db)
    assert len(limits) == before + 1 or any(t.minor == "共享单车乱停放" and str(t.amount) == "2" for t in limits)

    holidays = page.holidays.table
    holidays.insertRow(0)
    for c, text in enumerate(("2027-02-06", "是", "春节调休")):
        holidays.setItem(0, c, QTableWidgetItem(text))
    page.save("holidays")
    settle(window)
    assert [(h.day, h.is_workday) for h in reference.list_holiday_overrides(db)] == [("2027-02-06", True)]

    units = page.units.table
    units.insertRow(units.rowCount())
    for c, text in enumerate(("新设街道办事处", "B", "芗城区政府", "芗城区", "", "新设街道")):
        units.setItem(units.rowCount() - 1, c, QTableWidgetItem(text))
    page.save_units()
    settle(window)
    from models import registry

    unit = registry.units_by_name(db)["新设街道办事处"]
    assert (unit.category, unit.parent, unit.aliases) == ("B", "芗城区政府", ("新设街道",))
    db.conn.close()


def test_settings_tables_keep_their_stretched_last_column_and_room_for_a_date(make_window, tmp_path, qtbot):
    window = make_window(small_store(tmp_path / "small.db"))
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    limits = page.limits.table
    assert _fills_the_width(limits)
    page.limits.save.click()
    qtbot.waitUntil(lambda: page.limits.status.text().startswith("已保存"), timeout=30000)
    settle(window)
    assert _fills_the_width(limits)

    holidays = page.holidays.table
    page.holidays.add.click()
    fm = holidays.fontMetrics()
    assert holidays.horizontalHeader().sectionSize(0) >= fm.horizontalAdvance("2021-10-09") + 8


def test_rule_sets_can_be_made_default_and_copied(make_window, tmp_path, qtbot, monkeypatch):
    from models import rule_files

    monkeypatch.setattr(rule_files, "user_rules_dir", lambda: tmp_path / "rules")
    window = make_window(tmp_path / "store.db")
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    names = [r.name for r in page.data["rule_sets"]]
    assert "default" in names and "gb_composite" in names
    page.rules.table.selectRow(names.index("gb_composite"))
    page.make_default_rules()
    settle(window)
    assert page.data["default_rules"] == "gb_composite"
    page.copy_selected_rules("本市细则")
    settle(window)
    assert (tmp_path / "rules" / "本市细则.toml").is_file()
    assert "本市细则" in [r.name for r in page.data["rule_sets"]]


def test_the_bulletin_tab_saves_through_the_core_refuses_a_bad_template_and_restores_defaults(
    make_window, tmp_path, qtbot
):
    from PySide6.QtCore import Qt

    from models.bulletin_settings import load_bulletin_settings
    from models.store import open_db

    window = make_window(small_store(tmp_path / "small.db"))
    page = window.settings_page
    window.show_page(window.pages.index(page))
    page.tabs.setCurrentWidget(page.bulletin)
    settle(window)
    tab = page.bulletin
    rows = {tab.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(tab.table.rowCount())}
    deduction = rows["bulletin.template.deduction"]
    assert tab.table.item(rows["bulletin.city"], 1).text() == "漳州"
    assert tab.table.item(deduction, 1).text() == "存在{reason}现象，根据{rule}规定，扣{points}分"
    assert "{points}" in tab.table.item(deduction, 2).text()

    tab.table.item(rows["bulletin.city"], 1).setText("厦门")
    tab.table.item(deduction, 1).setText("存在{reason}现象，扣{pts}分")
    tab.save.click()
    qtbot.waitUntil(lambda: tab.status.text().startswith("未保存"), timeout=30000)
    assert "bulletin.template.deduction 中有未知的占位符 {pts}" in tab.status.text()
    db = open_db(tmp_path / "small.db")
    assert load_bulletin_settings(db).city == "漳州"  # nothing of a refused page is stored

    tab.table.item(deduction, 1).setText("因{reason}扣{points}分")
    tab.score_format.setCurrentIndex(tab.score_format.findData("0.00"))
    tab.save.click()
    qtbot.waitUntil(lambda: tab.status.text().startswith("已保存（3 项）"), timeout=30000)
    settle(window)
    settings = load_bulletin_settings(db)
    assert (settings.city, settings.score_format, settings.templates["deduction"]) == (
        "厦门",
        "0.00",
        "因{reason}扣{points}分",
    )
    assert tab.table.item(rows["bulletin.city"], 1).text() == "厦门"  # the page reloaded what was stored

    tab.table.selectRow(rows["bulletin.city"])
    tab.reset_selected()
    assert tab.table.item(rows["bulletin.city"], 1).text() == "漳州"
    tab.save.click()
    qtbot.waitUntil(lambda: tab.status.text().startswith("已保存（1 项）"), timeout=30000)
    assert load_bulletin_settings(db).city == "漳州"
    db.conn.close()


def test_rule_sets_and_header_fields_read_in_the_offices_words(make_window, tmp_path, qtbot):
    """The rules tab names a rule set by its display name and family, with the example note; the alias tab
    shows 案件编号, not case_no, and a row typed with a field's word is saved under its field."""
    from PySide6.QtWidgets import QTableWidgetItem

    from models import reference
    from models.store import connect

    window = make_window(tmp_path / "store.db")
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    rules = {page.rules.table.item(r, 0).text(): r for r in range(page.rules.table.rowCount())}
    row = rules["内置示例规则（扣分制）（默认）"]
    assert page.rules.table.item(row, 2).text() == "扣分制"
    assert "按内置示例规则计算，非本市考核细则" in page.rules.table.item(row, 3).text()
    assert "内置示例规则（加权综合指标）" in rules
    fields = {page.aliases.table.item(r, 0).text() for r in range(page.aliases.table.rowCount())}
    assert "案件编号" in fields and "处置截止时间" in fields and "case_no" not in fields
    table = page.aliases.table
    table.insertRow(table.rowCount())
    for c, text in enumerate(("地址", "事发位置", "9")):
        table.setItem(table.rowCount() - 1, c, QTableWidgetItem(text))
    page.save("aliases")
    settle(window)
    ro = connect(tmp_path / "store.db", readonly=True)
    saved = {(a.field, a.alias) for a in reference.list_header_aliases(ro)}
    ro.conn.close()
    assert ("address", "事发位置") in saved and ("case_no", "案件编号") in saved
