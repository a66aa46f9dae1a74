"""导出: the bulletin, the case list and chart images, written through the core."""

from __future__ import annotations

from tests.ui.conftest import settle


def test_exports_page_writes_bulletin_case_list_and_chart_png(make_window, demo_copy, qtbot, tmp_path):
    window = make_window(demo_copy)
    window.show_page(window.pages.index(window.dashboard))
    qtbot.waitUntil(lambda: window.dashboard.doc is not None and window.dashboard.charts_ready, timeout=30000)
    page = window.exports
    window.show_page(window.pages.index(page))
    page.make_bulletin()
    settle(window)
    text = page.bulletin.toPlainText()
    assert "55603" in text and "96.26%" in text
    page.copy_bulletin()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == text
    page.save_bulletin(tmp_path / "通报.txt")
    settle(window)
    assert (tmp_path / "通报.txt").read_text(encoding="utf-8-sig") == text

    page.figure.setCurrentIndex(page.figure.findData("closed"))
    page.unit.setText("芗城区城市管理局")
    page.export_cases(tmp_path / "cases.xlsx")
    settle(window)
    assert page.last_written == tmp_path / "cases.xlsx" and (tmp_path / "cases.xlsx").stat().st_size > 0

    page.chart.setCurrentIndex(page.chart.findData("top_events"))
    page.export_png(tmp_path / "chart.png")
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "chart.png"))
    assert image.width() > 200 and image.height() > 150


def test_copying_or_saving_a_bulletin_that_is_not_there_yet_says_so(make_window, demo_copy, qtbot, script, tmp_path):
    from PySide6.QtGui import QGuiApplication

    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    QGuiApplication.clipboard().setText("之前复制的内容")
    page.copy_bulletin()
    assert QGuiApplication.clipboard().text() == "之前复制的内容"
    assert script.infos and "请先生成通报" in script.infos[-1]
    page.make_bulletin()
    page.copy_bulletin()  # still 生成中…
    page.save_bulletin(tmp_path / "通报.txt")
    assert QGuiApplication.clipboard().text() == "之前复制的内容"
    assert not (tmp_path / "通报.txt").exists()
    assert len(script.infos) == 3
    qtbot.waitUntil(lambda: "数字化城市管理绩效评价通报" in page.bulletin.toPlainText(), timeout=60000)
    page.copy_bulletin()
    assert QGuiApplication.clipboard().text().startswith("数字化城市管理绩效评价通报")
