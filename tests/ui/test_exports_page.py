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
    assert (image.width(), image.height()) == (1920, 1080)  # a slide, not the 387×294 chart on the page
    assert page.slide_title("top_events", window.ctx.period) == "2021年11月 高发事件小类"


def test_a_chart_image_of_a_period_the_dashboard_does_not_show_is_drawn_from_its_own_figures(
    make_window, demo_copy, qtbot, tmp_path, monkeypatch
):
    from models.periods import month_period
    from ui import charts

    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    window._set_period(month_period(2021, 10))  # the dashboard is not shown: its figures are still November's
    settle(window)
    drawn = []
    real = charts.slide_image
    monkeypatch.setattr(charts, "slide_image", lambda *a, **k: drawn.append(a) or real(*a, **k))
    page.chart.setCurrentIndex(page.chart.findData("kinds"))
    page.export_png(tmp_path / "kinds.png")
    qtbot.waitUntil(lambda: page.last_written == tmp_path / "kinds.png", timeout=30000)
    title, horizontal, bars = drawn[0]
    assert title == "2021年10月 部件 / 事件" and horizontal is False
    assert bars.labels == ["部件", "事件"] and sum(bars.values) != 1121 + 6256  # October's, not November's


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
    assert QGuiApplication.clipboard().text().startswith("漳州市数字化城市管理绩效评价通报")


def test_the_word_bulletin_takes_the_chosen_date_a_period_file_name_and_shows_its_text(
    make_window, demo_copy, qtbot, script, tmp_path, monkeypatch
):
    from datetime import date

    import docx
    from PySide6.QtCore import QDate

    from ui import dialogs

    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    assert page.issued_date() == date.today()  # the signature date starts as today
    page.issued.setDate(QDate(2021, 12, 13))
    asked = []

    def save_file(parent, title, default_name, filters):
        asked.append((default_name, filters))
        return tmp_path / "word" / default_name

    monkeypatch.setattr(dialogs, "save_file", save_file)
    page.word_btn.click()
    qtbot.waitUntil(lambda: page.last_written is not None, timeout=60000)
    assert asked == [("通报_2021-11.docx", "Word 文档 (*.docx)")]
    assert page.last_written == tmp_path / "word" / "通报_2021-11.docx"
    preview = page.bulletin.toPlainText()
    assert "漳州市城市管理委员会办公室\n2021年12月13日" in preview  # the preview is the document's text
    paragraphs = [p.text for p in docx.Document(str(page.last_written)).paragraphs]
    assert "2021年12月13日" in paragraphs and paragraphs[0] == preview.splitlines()[0]
    page.make_bulletin()  # the text preview signs with the same chosen date
    qtbot.waitUntil(lambda: not page._generating, timeout=60000)
    assert "\n2021年12月13日\n" in page.bulletin.toPlainText()


def test_a_word_bulletin_that_cannot_be_written_keeps_the_preview_and_says_why(
    make_window, demo_copy, qtbot, script, tmp_path, monkeypatch
):
    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    page.make_bulletin()
    qtbot.waitUntil(lambda: not page._generating and bool(page.bulletin.toPlainText()), timeout=60000)
    before = page.bulletin.toPlainText()
    shown = []
    monkeypatch.setattr(page, "fail", lambda exc: shown.append(str(exc)))
    (tmp_path / "通报.docx").mkdir()  # a folder where the file should go
    page.export_word(tmp_path / "通报.docx")
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "无法保存" in shown[0] and page.bulletin.toPlainText() == before and page.last_written is None


def test_save_dialogs_suggest_the_names_the_cli_gives(make_window, demo_copy, qtbot, monkeypatch):
    """One function names exported files (exporters.file_names): the GUI suggests what `-o FOLDER` writes."""
    from exporters.case_list import CaseFilter
    from exporters.file_names import export_file_name
    from ui import dialogs

    suggested: list[str] = []
    monkeypatch.setattr(dialogs, "save_file", lambda parent, title, name, filters: suggested.append(name))
    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    period = window.ctx.period
    page.export_scores()
    page.figure.setCurrentIndex(page.figure.findData("closed"))
    page.unit.setText("芗城区城市管理局")
    page.export_cases()
    assert suggested == [
        export_file_name("scores", period),  # `export scores -o FOLDER`
        CaseFilter(figure="closed", unit="芗城区城市管理局").file_name(period),  # `export cases -o FOLDER`
    ]
    assert suggested[1] == f"案件清单_{period.label}_结案_芗城区城市管理局.xlsx"
    page.chart.setCurrentIndex(page.chart.findData("kinds"))
    page.export_png()
    assert suggested[2] == export_file_name("部件 / 事件", period, suffix=".png") == "部件_事件_2021-11.png"


def test_exporting_a_period_without_cases_is_refused_with_the_clis_message(
    make_window, demo_copy, qtbot, script, tmp_path
):
    import contextlib
    import io

    import cli
    from models.periods import month_period

    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    window._set_period(month_period(2021, 12))
    settle(window)
    page.export_scores(tmp_path / "scores.xlsx")
    page.export_cases(tmp_path / "cases.xlsx")
    page.make_bulletin()
    page.export_png(tmp_path / "chart.png")
    page.export_word(tmp_path / "通报.docx")
    settle(window)
    assert not list(tmp_path.glob("*.xlsx")) and not (tmp_path / "chart.png").exists()
    assert not (tmp_path / "通报.docx").exists()
    assert page.bulletin.toPlainText() == ""
    window.close()
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        assert (
            cli.run(["--db", str(demo_copy), "export", "scores", "--month", "2021-12", "-o", str(tmp_path / "x.xlsx")])
            == 2
        )
    cli_message = said.getvalue().strip().removeprefix("错误：")
    assert cli_message.startswith("2021年12月没有任何案件数据") and "不能导出评分表" in cli_message
    assert cli_message in script.warnings  # the GUI says what the CLI says
    refused = sorted(w.split("，不能")[1].split("。")[0] for w in script.warnings)
    assert refused == ["导出图表", "导出案件清单", "导出评分表", "生成通报", "生成通报"]
