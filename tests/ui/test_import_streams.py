"""数据导入's stream choice: 督察信访 asks for its batch and date, changing the choice previews the queued files
again with that stream's columns, and the history names each import's stream."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from tests.ui.conftest import settle


def test_a_petition_batch_and_a_rectify_ledger_import_through_the_stream_choice(make_window, tmp_path, qtbot):
    from demo.ledgers import write_petition_ledger, write_rectify_ledger

    petitions, batch = write_petition_ledger(tmp_path)
    window = make_window(tmp_path / "store.db")
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([petitions])
    qtbot.waitUntil(lambda: petitions in page.previews, timeout=30000)
    assert page.stream.name() == "cases" and page.missing_required(petitions)  # not a city-case export
    assert not page.stream.batch.isVisible()

    page.stream.set_name("petitions")
    assert petitions not in page.previews  # read again with the 督察信访 columns
    qtbot.waitUntil(lambda: petitions in page.previews, timeout=30000)
    settle(window)
    assert page.stream.batch.isVisible() and page.stream.body.isVisible()
    assert page.missing_required(petitions) == []
    fields = [page.mapping.item(r, 0).text() for r in range(page.mapping.rowCount()) if not page.mapping.isRowHidden(r)]
    assert fields[:3] == ["批次", "移交日期", "举报件编号"]
    assert not page.start.isEnabled() and "督察信访须填写批次" in page.progress_text.text()

    page.stream.batch.setValue(batch["number"])
    page.stream.handed_over.setDate(QDate(2021, 12, 14))
    assert page.start.isEnabled() and page.progress_text.text() == ""
    page.start.click()
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    report = page.reports[0]
    assert (report.stream, report.refused, report.inserted) == ("petitions", False, 20), report.message
    assert report.notes[0] == "第 8 批，12月14日移交，省生态环境保护督察组"
    assert page.files == []

    rectify = write_rectify_ledger(tmp_path)
    page.stream.set_name("rectify")
    assert not page.stream.batch.isVisible()
    page.add_files([rectify])
    qtbot.waitUntil(lambda: page.start.isEnabled(), timeout=30000)
    page.start.click()
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    assert (page.reports[0].stream, page.reports[0].inserted) == ("rectify", 25)
    settle(window)
    history = page.history.table
    assert [history.item(r, 2).text() for r in range(history.rowCount())] == ["创城回头看", "督察信访 第8批"]
    from models.petition_store import load_batch
    from models.store import open_db

    db = open_db(tmp_path / "store.db")
    assert load_batch(db, 8).handed_over == date(2021, 12, 14)
    db.conn.close()
