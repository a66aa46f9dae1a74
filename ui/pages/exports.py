"""导出: the score sheet, a filtered case list, the bulletin (preview, copy, .txt, Word), and charts as PNG."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exporters.file_names import export_file_name
from models.errors import UserFacingError
from models.indicators import OFFERED_FIGURES
from models.labels import FIGURE_LABELS
from models.periods import Period, period_words
from ui import dialogs
from ui.figures import CHART_SPECS, chart_data
from ui.pages.base import AppContext, Page
from ui.startup import dashboard_data
from ui.widgets import combo_value


def score_sheet_job(db, period: Period, path: Path, rules: str | None) -> Path:
    from exporters.score_sheet import write_score_sheet

    write_score_sheet(db, period, path, rules=rules)
    return path


def case_list_job(db, period: Period, path: Path, filters: dict) -> Path:
    from exporters.case_list import CaseFilter, write_case_list

    write_case_list(db, period, CaseFilter(**filters), path)
    return path


def bulletin_job(db, period: Period, rules: str | None, issued: date) -> str:
    from exporters.bulletin import render_bulletin

    return render_bulletin(db, period, rules=rules, issued=issued)


def bulletin_word_job(db, period: Period, rules: str | None, issued: date, path: Path) -> tuple[Path, str]:
    """The Word bulletin and, for the preview, the text of the very document written."""
    from exporters.bulletin import build_bulletin, render_text
    from exporters.bulletin_docx import write_bulletin_docx

    bulletin = build_bulletin(db, period, rules=rules, issued=issued)
    return write_bulletin_docx(bulletin, path), render_text(bulletin)


def save_text_job(db, text: str, path: Path) -> Path:
    from exporters.saving import write_text

    return write_text(path, text, bom=True)  # BOM: Notepad on older Windows reads it as UTF-8


class ExportsPage(Page):
    title = "导出"

    def __init__(
        self,
        ctx: AppContext,
        parent=None,
        *,
        rules: Callable[[], str | None] | None = None,
    ):
        super().__init__(ctx, parent)
        self.title = self.tr("导出")
        self._rules = rules or (lambda: None)
        self.last_written: Path | None = None
        self._generating = False  # a bulletin is being made: the text box shows 生成中…
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")

        self.scores_btn = QPushButton(self.tr("导出评分表（Excel）…"))
        self.scores_btn.clicked.connect(self.export_scores)
        scores_box = QGroupBox(self.tr("绩效评分表"))
        sl = QVBoxLayout(scores_box)
        sl.addWidget(QLabel(self.tr("按当前统计周期和评分规则，含扣分明细与案件编号。")))
        sl.addWidget(self.scores_btn)
        sl.addStretch(1)

        self.figure = QComboBox()
        for figure in OFFERED_FIGURES:
            self.figure.addItem(self.tr(FIGURE_LABELS[figure]), figure)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("全部单位"))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部"), "")
        self.kind.addItem(self.tr("部件"), "部件")
        self.kind.addItem(self.tr("事件"), "事件")
        self.minor = QLineEdit()
        self.minor.setPlaceholderText(self.tr("全部小类"))
        self.cases_btn = QPushButton(self.tr("导出案件清单（Excel）…"))
        self.cases_btn.clicked.connect(self.export_cases)
        cases_box = QGroupBox(self.tr("案件清单"))
        form = QFormLayout(cases_box)
        form.addRow(self.tr("数字"), self.figure)
        form.addRow(self.tr("处置单位"), self.unit)
        form.addRow(self.tr("问题类型"), self.kind)
        form.addRow(self.tr("小类"), self.minor)
        form.addRow(self.cases_btn)

        self.chart = QComboBox()
        for key, title, _horizontal in CHART_SPECS:
            self.chart.addItem(self.tr(title), key)
        self.png_btn = QPushButton(self.tr("保存为 PNG…"))
        self.png_btn.clicked.connect(self.export_png)
        png_box = QGroupBox(self.tr("图表图片（会议幻灯片用）"))
        pl = QVBoxLayout(png_box)
        pl.addWidget(QLabel(self.tr("1920×1080，标题含统计周期。")))
        pl.addWidget(self.chart)
        pl.addWidget(self.png_btn)
        pl.addStretch(1)

        self.bulletin = QPlainTextEdit()
        self.bulletin.setReadOnly(True)
        self.issued = QDateEdit(QDate.currentDate())
        self.issued.setCalendarPopup(True)
        self.issued.setDisplayFormat("yyyy年M月d日")
        self.issued.setToolTip(self.tr("通报落款处的成文日期"))
        self.make_btn = QPushButton(self.tr("生成通报"))
        self.copy_btn = QPushButton(self.tr("复制到剪贴板"))
        self.save_btn = QPushButton(self.tr("另存为 .txt…"))
        self.word_btn = QPushButton(self.tr("导出通报（Word）…"))
        self.word_btn.setObjectName("primary")
        self.make_btn.clicked.connect(self.make_bulletin)
        self.copy_btn.clicked.connect(self.copy_bulletin)
        self.save_btn.clicked.connect(self.save_bulletin)
        self.word_btn.clicked.connect(self.export_word)
        bulletin_box = QGroupBox(self.tr("通报"))
        bl = QVBoxLayout(bulletin_box)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("落款日期")))
        buttons.addWidget(self.issued)
        for b in (self.make_btn, self.copy_btn, self.save_btn, self.word_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        bl.addLayout(buttons)
        bl.addWidget(self.bulletin, 1)

        grid = QGridLayout()
        grid.addWidget(scores_box, 0, 0)
        grid.addWidget(cases_box, 0, 1)
        grid.addWidget(png_box, 0, 2)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        top = QWidget()
        top.setLayout(grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(top)
        layout.addWidget(bulletin_box, 1)

    def reload(self) -> None:
        self.heading.setText(self.tr("导出 · {0}").format(self.ctx.period.label))
        self.next_generation()  # a bulletin still being made is for the previous period
        self._generating = False
        self.bulletin.clear()

    def _done(self, path: Path) -> None:
        self.last_written = Path(path)
        self.ctx.status.emit(self.tr("已导出：{0}").format(path))

    def export_scores(self, path: Path | None = None) -> None:
        period = self.ctx.period
        name = export_file_name("scores", period)
        path = path or dialogs.save_file(self, self.tr("导出评分表"), name, "Excel (*.xlsx)")
        if path:
            self.ctx.run(score_sheet_job, period, Path(path), self._rules(), on_done=self._done, on_error=self.fail)

    def case_filters(self) -> dict:
        return {
            "figure": combo_value(self.figure),
            "unit": self.unit.text().strip() or None,
            "kind": combo_value(self.kind) or None,
            "minor": self.minor.text().strip() or None,
        }

    def export_cases(self, path: Path | None = None) -> None:
        period = self.ctx.period
        from exporters.case_list import CaseFilter  # openpyxl loads when the first export is made

        name = CaseFilter(**self.case_filters()).file_name(period)
        path = path or dialogs.save_file(self, self.tr("导出案件清单"), name, "Excel (*.xlsx)")
        if path:
            self.ctx.run(case_list_job, period, Path(path), self.case_filters(), on_done=self._done, on_error=self.fail)

    def make_bulletin(self) -> None:
        self._generating = True
        self.bulletin.setPlainText(self.tr("生成中…"))
        generation = self.next_generation()

        def shown(text: str) -> None:
            if self.current(generation):
                self._generating = False
                self.bulletin.setPlainText(text)

        def failed(exc: BaseException) -> None:
            self._generating = False
            self.bulletin.clear()
            self.fail(exc)

        self.ctx.run(bulletin_job, self.ctx.period, self._rules(), self.issued_date(), on_done=shown, on_error=failed)

    def issued_date(self) -> date:
        """The signature date chosen on the page (today unless changed)."""
        return self.issued.date().toPython()

    def export_word(self, path: Path | None = None) -> None:
        """The bulletin as a Word document, signed with the chosen date; the preview shows what was written."""
        from exporters.bulletin import suggest_file_name

        period = self.ctx.period
        path = path or dialogs.save_file(
            self, self.tr("导出通报（Word）"), suggest_file_name(period), self.tr("Word 文档 (*.docx)")
        )
        if not path:
            return
        generation = self.next_generation()

        def written(result: tuple[Path, str]) -> None:
            written_path, text = result
            if self.current(generation):
                self._generating = False
                self.bulletin.setPlainText(text)
            self._done(written_path)

        def failed(exc: BaseException) -> None:  # the file was not written: the earlier preview stays
            if self.current(generation):
                self._generating = False
                self.bulletin.setPlainText(previous)
            self.fail(exc)

        previous = "" if self._generating else self.bulletin.toPlainText()
        self._generating = True
        self.bulletin.setPlainText(self.tr("生成中…"))
        args = (period, self._rules(), self.issued_date(), Path(path))
        self.ctx.run(bulletin_word_job, *args, on_done=written, on_error=failed)

    def bulletin_text(self) -> str | None:
        """The bulletin to copy or save; None (after telling the user) while there is none yet, so that 复制
        never puts nothing, or the placeholder 生成中…, on the clipboard."""
        text = self.bulletin.toPlainText()
        if self._generating or not text.strip():
            dialogs.info(self, self.tr("请先生成通报（生成完成后再复制或保存）"))
            return None
        return text

    def copy_bulletin(self) -> None:
        text = self.bulletin_text()
        if text is None:
            return
        QGuiApplication.clipboard().setText(text)
        self.ctx.status.emit(self.tr("通报文本已复制"))

    def save_bulletin(self, path: Path | None = None) -> None:
        text = self.bulletin_text()
        if text is None:
            return
        name = export_file_name("bulletin", self.ctx.period)
        path = path or dialogs.save_file(self, self.tr("保存通报"), name, self.tr("文本文件 (*.txt)"))
        if path:
            self.ctx.run(save_text_job, text, Path(path), on_done=self._done, on_error=self.fail)

    def slide_title(self, key: str, period: Period) -> str:
        """A chart image's title: the period in words, then the chart (2021年11月 受理渠道)."""
        title = next(t for k, t, _h in CHART_SPECS if k == key)
        return f"{period_words(period)} {self.tr(title)}"

    def export_png(self, path: Path | None = None) -> None:
        """The chosen chart of the period as a 1920×1080 slide image, drawn from the period's figures (the
        dashboard's when it shows this period, else computed on the worker)."""
        key, period = combo_value(self.chart), self.ctx.period
        if not key or period is None or not self._has_data(period, self.tr("导出图表")):
            return
        title = next(t for k, t, _h in CHART_SPECS if k == key)
        name = export_file_name(self.tr(title), period, suffix=".png")
        path = path or dialogs.save_file(self, self.tr("保存图表"), name, "PNG (*.png)")
        if not path:
            return
        stats, trend = self.ctx.last_stats, self.ctx.last_trend
        if stats is not None and trend is not None and stats.get("period") == period.label:
            self._write_slide(key, period, stats, trend, Path(path))
            return
        self.ctx.run(
            dashboard_data,
            period,
            on_done=lambda figures: self._write_slide(key, period, *figures, Path(path)),
            on_error=self.fail,
        )

    def _has_data(self, period: Period, what: str) -> bool:
        """A period without a single case is refused with the core's message, as every other export is."""
        from models.quality import NoDataError, require_data  # the drill-down modules: not at start-up

        try:
            require_data(self.ctx.ro_db, period, what)
        except NoDataError as exc:
            dialogs.warn(self, str(exc))
            return False
        return True

    def _write_slide(self, key: str, period: Period, stats: dict, trend: list[dict], path: Path) -> None:
        from ui.charts import save_image, slide_image  # pyqtgraph: imported with the first chart, not at start-up

        horizontal = next(h for k, _t, h in CHART_SPECS if k == key)
        image = slide_image(self.slide_title(key, period), horizontal, chart_data(stats, trend)[key])
        try:
            save_image(image, path)
        except UserFacingError as exc:
            dialogs.warn(self, str(exc))
        else:
            self._done(path)
