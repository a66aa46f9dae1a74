"""绩效评价: the rule set chosen, manual adjustments recorded or refused."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import settle
from ui.pages.scores import RegisterUnitDialog


def test_adjustment_dialog_stays_open_with_the_typed_entry_when_the_core_refuses_it(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    dialog = page.open_adjustment_dialog()
    dialog.unit.setCurrentText("蓝田开发区管委会")
    dialog.month.setText("2021-13")
    dialog.points.setText("-2")
    dialog.reason.setText("职责范围内不接受案件派遣")
    dialog.cases.setText("202110310540,202111160744")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    qtbot.waitUntil(lambda: window.tasks.idle() and ok.isEnabled(), timeout=30000)
    assert dialog.isVisible()
    assert "2021-13" in dialog.error.text()
    assert dialog.reason.text() == "职责范围内不接受案件派遣" and dialog.points.text() == "-2"
    assert page.adjustments.topLevelItemCount() == 0

    dialog.month.setText("2021-11")
    ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60000)
    qtbot.waitUntil(lambda: page.adjustments.topLevelItemCount() == 1, timeout=60000)


def test_scores_page_shows_the_rule_set_name_and_adjustment_unit_uncut(make_window, demo_copy, qtbot):
    from models.store import open_db
    from tests.conftest import add_seed_adjustment

    db = open_db(demo_copy)
    add_seed_adjustment(db)
    db.conn.close()
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    settle(window)
    combo = page.rules
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.count() >= 2 and combo.width() >= widest + 20
    item = page.adjustments.topLevelItem(0)
    assert item.text(0) == "#1 蓝田开发区管委会"
    assert page.adjustments.columnWidth(0) >= page.adjustments.fontMetrics().horizontalAdvance(item.text(0))


def test_units_without_cases_are_unranked_after_the_ranked_ones_under_the_rule_sets_name(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    settle(window)
    assert page.heading.text() == "2021-11 处置单位绩效评价 · 内置示例规则（扣分制）（版本 1）"
    assert page.rules_note.isVisible() and page.rules_note.text() == "按内置示例规则计算，非本市考核细则"
    labels = [page.rules.itemText(i) for i in range(page.rules.count())]
    assert "内置示例规则（扣分制）（版本 1）" in labels and not any("default" in t or "（v" in t for t in labels)
    table = page.tables["B"]
    rows = [[table.item(r, c).text() for c in (0, 1, 9)] for r in range(table.rowCount())]
    ranked = [row for row in rows if row[0] != "—"]
    idle = [row for row in rows if row[0] == "—"]
    assert ranked and idle
    assert rows == ranked + idle  # the unranked after the ranked units of their category
    assert [int(row[0]) for row in ranked] == sorted(int(row[0]) for row in ranked) and ranked[0][0] == "1"
    assert all("无案件" in row[2] for row in idle) and not any("无案件" in row[2] for row in ranked)
    page.select_unit(idle[0][1])
    assert page.explain_title.text().endswith("B类不参加排名")


def test_an_unregistered_unit_is_named_in_a_band_and_registered_with_one_click(make_window, tmp_path, qtbot):
    """6 cases of 新区城管中队, a unit not in the registry: named above the tables (not silently missing),
    登记到名册 asks its category and parent; refused without a category, then scored in its category."""
    from models import registry
    from models.store import connect
    from tests.ui.conftest import plain_store

    window = make_window(plain_store(tmp_path, unit_of=lambda i: "新区城管中队" if i < 6 else "市交警支队"))
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    settle(window)
    assert page.unplaced.isVisible()
    assert "新区城管中队（立案 6 件）" in page.unplaced.text.text()
    assert not any(page.tables[c].findItems("新区城管中队", Qt.MatchFlag.MatchExactly) for c in page.tables)
    assert [b.text() for b in page.unplaced.buttons] == ["登记「新区城管中队」到名册…"]
    assert {page.tables["A"].item(r, 8).text() for r in range(page.tables["A"].rowCount())} == {"—"}  # no 返工次数
    page.unplaced.buttons[0].click()
    dialog = page.findChild(RegisterUnitDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()  # no category yet
    assert dialog.isVisible() and "请选择单位类别" in dialog.error.text()
    dialog.category.setCurrentIndex(dialog.category.findData("B"))
    dialog.parent_unit.setCurrentText("不存在的单位")
    ok.click()
    qtbot.waitUntil(lambda: window.tasks.idle() and ok.isEnabled(), timeout=30000)
    assert dialog.isVisible() and "不存在的单位" in dialog.error.text()  # the core refused: nothing saved
    dialog.parent_unit.setCurrentText("市城市管理局")
    ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    settle(window)
    assert not page.unplaced.isVisible()
    assert page.tables["B"].findItems("新区城管中队", Qt.MatchFlag.MatchExactly)
    assert page.selected_unit == "新区城管中队" and page.explain_title.text().startswith("新区城管中队：")
    db = connect(window.ctx.db_path, readonly=True)
    unit = registry.units_by_name(db)["新区城管中队"]
    db.conn.close()
    assert (unit.category, unit.parent) == ("B", "市城市管理局")
