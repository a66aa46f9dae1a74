"""绩效评价: the rule set chosen, manual adjustments recorded or refused."""

from __future__ import annotations

from tests.ui.conftest import settle


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
