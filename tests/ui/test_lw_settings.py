"""设置 → 两违规则 and each import type's header aliases: edited in the console, validated and saved through the
core, echoed in `lw stats` definitions."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTableWidgetItem

from tests.ui.conftest import settle


def _settings(make_window, path):
    window = make_window(path)
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    return window, page


def test_the_lw_rules_are_edited_saved_and_echoed_in_the_definitions(make_window, tmp_path):
    from models.lw_settings import lw_settings_from_db
    from models.lw_stats import lw_stats_document
    from models.lw_store import lw_evaluation
    from models.periods import parse_label
    from models.store import open_db

    window, page = _settings(make_window, tmp_path / "store.db")
    tab = page.lw_rules
    assert [tab.limits[s].value() for s in ("核查", "处置", "审核")] == [5, 15, 5]
    assert (tab.yellow.value(), tab.serious.value(), tab.county.value(), tab.version.text()) == (80, 200, 30, "1")
    tab.limits["处置"].setValue(10)
    tab.serious.setValue(300)
    tab.county.setValue(20)
    tab.save.click()
    settle(window)
    edited = f"1（本机修改 {date.today().isoformat()}）"
    assert tab.status.text() == f"已保存（规则版本 {edited}）。" and tab.version.text() == edited
    db = open_db(tmp_path / "store.db")
    definitions = lw_stats_document(lw_evaluation(db, parse_label("2021-12")))["definitions"]
    assert definitions["limits"] == {"核查": "5工作日", "处置": "10工作日", "审核": "5工作日"}
    assert (definitions["serious_over"], definitions["county_max_days"]) == ("300.00", 20)
    assert definitions["rules_version"] == edited

    tab.defaults.click()
    assert (tab.limits["处置"].value(), tab.serious.value(), tab.county.value()) == (15, 200, 30)
    tab.save.click()
    settle(window)
    assert lw_settings_from_db(db).version == "1" and tab.version.text() == "1"
    db.conn.close()


def test_each_import_type_has_its_own_header_aliases(make_window, tmp_path):
    from models.reference import list_header_aliases
    from models.store import open_db

    window, page = _settings(make_window, tmp_path / "store.db")
    db = open_db(tmp_path / "store.db")
    cases_before = list_header_aliases(db)
    table = page.aliases.table
    assert table.rowCount() == len(cases_before)
    page.alias_stream.setCurrentIndex(page.alias_stream.findData("lw"))
    lw_before = list_header_aliases(db, "lw")
    assert table.rowCount() == len(lw_before)
    # the field in the office's words; a row typed with a field's code is still understood
    assert {table.item(r, 0).text() for r in range(table.rowCount())} >= {"案件编号", "接收时间", "申请延期天数"}

    table.insertRow(table.rowCount())
    for c, text in enumerate(("reported_at", "上报时间", "1")):  # a city-case field is no 两违 field
        table.setItem(table.rowCount() - 1, c, QTableWidgetItem(text))
    page.save("aliases")
    settle(window)
    assert "未知字段「reported_at」" in page.aliases.status.text()
    table.item(table.rowCount() - 1, 0).setText("received_at")
    table.item(table.rowCount() - 1, 1).setText("受理登记时间")
    page.save("aliases")
    settle(window)
    lw_after = list_header_aliases(db, "lw")
    assert len(lw_after) == len(lw_before) + 1
    assert any(a.field == "received_at" and a.alias == "受理登记时间" for a in lw_after)
    assert list_header_aliases(db) == cases_before  # the city cases' aliases are untouched
    db.conn.close()
