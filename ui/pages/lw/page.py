"""两违监管: the 两违 platform's three steps for the period (by 接收时间) at an as-of time — the three on-time
rates as tiles, the town × step table, the open steps with their lights, the extension problems — each figure
listing its cases, each case opening its record; and the escalation sheet for 纪委监委 / 效能.

Everything shown comes from one worker job (lw_view) over the core (models.lw_store, models.lw_stats): the
period's evaluation gives the figures and their drill-down, an evaluation of every case at the same as-of
time gives the open steps (an open step of last month's case is still open), as `lw overdue` and
`lw export escalation` do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.lw_settings import STEPS
from models.lw_stats import LwEvaluation
from models.lw_steps import RATE_NAMES
from models.lw_store import lw_as_of
from models.periods import Period
from ui import dialogs
from ui.pages.base import AppContext, Page
from ui.pages.lw.record import PROBLEM_OUTCOMES, LwCaseListDialog, LwCaseRecordDialog
from ui.pages.lw.views import ExtensionView, LightsView, TownTable, lw_tiles, rate_legend
from ui.widgets import Tile

TILE_CAPTIONS = (("received", "收件"), *((step, RATE_NAMES[step]) for step in STEPS), ("extensions", "延期申请"),
                 ("serious", "严重超期"))  # fmt: skip


@dataclass(frozen=True)
class LwView:
    """What the page shows, computed on the worker in one job."""

    doc: dict  # `lw stats --json` of the period
    evaluation: LwEvaluation  # the period's cases: the figures and their drill-down
    open_evaluation: LwEvaluation  # every case at the same as-of time: open steps and escalation
    open_steps: list[dict]  # OpenStep.to_json() rows, most used first
    lights: dict[str, int]  # green / yellow / red / serious counts of the open steps
    problems: list[tuple]  # (ExtensionDecision, CaseEval) of the period's requests that moved nothing
    latest: Period | None  # the month of the newest 接收时间 in the store


def lw_view(db, period: Period, as_of: datetime) -> LwView:
    """Worker job: the page's figures for `period` at `as_of`."""
    from models.lw_stats import extension_decisions, lw_stats_document, open_steps
    from models.lw_store import latest_lw_month, lw_evaluation
    from models.overdue import light_counts

    evaluation = lw_evaluation(db, period, as_of)
    everything = lw_evaluation(db, None, evaluation.as_of)
    steps = open_steps(everything)
    by_case = {e.case_no: e for e in evaluation.cases}
    problems = [
        (decision, by_case[decision.request.case_no])
        for outcome in PROBLEM_OUTCOMES
        for decision in extension_decisions(evaluation, outcome)
    ]
    return LwView(
        lw_stats_document(evaluation),
        evaluation,
        everything,
        [row.to_json() for row in steps],
        light_counts(row.status for row in steps),
        problems,
        latest_lw_month(db),
    )


def drill_job(db, evaluation: LwEvaluation, figure: str, step: str | None, group) -> list:
    """Worker job: the evaluated cases behind a figure (models.lw_stats.case_numbers), in case order."""
    from models.lw_stats import case_numbers

    by_case = {e.case_no: e for e in evaluation.cases}
    return [by_case[number] for number in case_numbers(evaluation, figure, step=step, group=group)]


def record_job(db, case_no: str, as_of: datetime) -> dict | None:
    from models.lw_store import case_record

    return case_record(db, case_no, as_of)


def export_escalation(db, evaluation: LwEvaluation, path) -> int:
    """Worker job: the escalation sheet of the shown open steps (exporters.saving writes it)."""
    from exporters.lw_escalation import write_escalation

    return write_escalation(evaluation, path)


class LwPage(Page):
    title = "两违监管"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("两违监管")
        self.view: LwView | None = None
        self.dialogs: list = []  # the open list and record dialogs (non-modal), newest last
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        self.as_of = QDateTimeEdit()
        self.as_of.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.as_of.setCalendarPopup(True)
        self.apply = QPushButton(self.tr("重新计算"))
        self.export = QPushButton(self.tr("导出严重超期清单…"))
        self.export.setToolTip(self.tr("抄送纪委监委、效能部门的严重超期环节，可直接打印"))
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.latest = QPushButton("")
        self.latest.clicked.connect(self._show_latest)
        banner = QHBoxLayout()
        banner.addWidget(self.banner, 1)
        banner.addWidget(self.latest)
        self.banner.setVisible(False)
        self.latest.setVisible(False)

        self.tiles: dict[str, Tile] = {}
        tiles = QHBoxLayout()
        for key, caption in TILE_CAPTIONS:
            tile = Tile(self.tr(caption))
            tile.note.setWordWrap(True)  # six tiles share a small laptop's width
            tile.clicked.connect(lambda key=key: self._tile_clicked(key))
            self.tiles[key] = tile
            tiles.addWidget(tile)

        self.towns = TownTable()
        self.towns.drill.connect(self.drill)
        self.lights = LightsView()
        self.lights.open_case.connect(self.open_record)
        self.extensions = ExtensionView()
        self.extensions.open_case.connect(self.open_record)
        towns = QWidget()
        towns_layout = QVBoxLayout(towns)
        towns_layout.setContentsMargins(0, 0, 0, 0)
        towns_layout.addWidget(self.towns, 1)
        legend = QLabel(self.tr(rate_legend()) + self.tr("；点击数字查看对应案件（按期率：该环节的应办案件）"))
        towns_layout.addWidget(legend)
        self.tabs = QTabWidget()
        self.tabs.addTab(towns, self.tr("乡镇 × 环节按期率"))
        self.tabs.addTab(self.lights, self.tr("在办环节亮灯"))
        self.tabs.addTab(self.extensions, self.tr("延期问题"))
        self.note = QLabel("")
        self.note.setObjectName("tileNote")
        self.note.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel(self.tr("判断时刻")))
        top.addWidget(self.as_of)
        top.addWidget(self.apply)
        top.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(banner)
        layout.addLayout(tiles)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        self.apply.clicked.connect(self._recompute)
        self.export.clicked.connect(self.export_sheet)
        self._as_of_period: Period | None = None

    # ------------------------------------------------------------ data
    def reload(self) -> None:
        if self._as_of_period != self.ctx.period:
            self._as_of_period = self.ctx.period
            self.as_of.setDateTime(QDateTime(lw_as_of(None, self.ctx.period)))  # domain.md §4: period end, or now
        self._recompute()

    def as_of_value(self) -> datetime:
        return self.as_of.dateTime().toPython().replace(microsecond=0)

    def _recompute(self) -> None:
        if self.ctx.period is None:
            return
        generation = self.next_generation()
        period = self.ctx.period
        self.heading.setText(self.tr("{0} 两违监管（计算中…）").format(period.label))
        self.ctx.run(
            lw_view,
            period,
            self.as_of_value(),
            on_done=lambda view: self.current(generation) and self.show_view(view),
            on_error=self.fail,
        )

    def show_view(self, view: LwView) -> None:
        self.view = view
        self.ctx.last_ledgers["lw"] = view
        doc = view.doc
        as_of = doc["as_of"].replace("T", " ")
        self.heading.setText(self.tr("{0} 两违监管（按接收时间；判断时刻 {1}）").format(doc["period"], as_of))
        self._show_banner(view)
        lights, ext = view.lights, doc["extensions"]
        for key, _caption, value, note in lw_tiles(doc, lights, len(view.open_steps)):
            self.tiles[key].set_value(value, note)
        self.towns.show_doc(doc)
        self.lights.show_steps(
            view.open_steps,
            self.tr(
                "全部案件在判断时刻的在办环节 {0} 个：红灯 {1}（其中严重超期 {2}，抄送纪委监委、效能部门），黄灯 {3}，"
                "绿灯 {4}。已用时限从高到低；双击查看案件记录。"
            ).format(len(view.open_steps), lights["red"], lights["serious"], lights["yellow"], lights["green"]),
        )
        self.extensions.show_problems(
            view.problems,
            self.tr(
                "本期案件延期申请 {0} 条：已生效 {1} 条（共 {2} 天），不同意 {3} 条，待审批 {4} 条，"
                "审批层级不符 {5} 条。以下为未顺延的申请；双击查看案件记录。"
            ).format(
                ext["requests"],
                ext["approved"],
                ext["days_approved"],
                ext["refused"],
                ext["pending"],
                ext["wrong_level_requests"],
            ),  # fmt: skip
        )
        self.tabs.setTabText(1, self.tr("在办环节亮灯（{0}）").format(len(view.open_steps)))
        self.tabs.setTabText(2, self.tr("延期问题（{0}）").format(len(view.problems)))
        defs = doc["definitions"]
        limits = "，".join(f"{step} {limit}" for step, limit in defs["limits"].items())
        self.note.setText(
            self.tr(
                "口径：{0}；按期率 = 按期 ÷ 应办（已完成或已过截止时间）；延期按自然日，累计超过 {1} 天须市级审批；"
                "黄灯 ≥ {2}%，严重超期 > {3}%；两违规则版本 {4}。"
            ).format(limits, defs["county_max_days"], defs["yellow_from"], defs["serious_over"], defs["rules_version"])
        )

    def _show_banner(self, view: LwView) -> None:
        """No 两违 case in the period: say where the newest ones are, one click away."""
        latest = view.latest
        empty = view.doc["received"] == 0
        if empty and latest is None:
            self.banner.setText(
                self.tr("还没有导入两违数据：请在“数据导入”页选择导入类型“两违”，导入平台导出的案件明细。")
            )
        elif empty and latest != self.ctx.period:
            self.banner.setText(
                self.tr("{0} 没有接收的两违案件。两违数据最近的月份是 {1}。").format(view.doc["period"], latest.label)
            )
            self.latest.setText(self.tr("查看 {0}").format(latest.label))
        self.banner.setVisible(empty)
        self.latest.setVisible(empty and latest is not None and latest != self.ctx.period)

    def _show_latest(self) -> None:
        if self.view is not None and self.view.latest is not None:
            self.ctx.period_requested.emit(self.view.latest)

    # ------------------------------------------------------------ drill-down
    def _tile_clicked(self, key: str) -> None:
        if self.view is None:
            return
        period = self.view.doc["period"]
        if key == "received":
            self.drill("received", None, None, self.tr("{0} 收件").format(period))
        elif key in STEPS:
            self.drill("due", key, None, self.tr("{0} {1}环节应办").format(period, key))
        elif key == "extensions":
            self.tabs.setCurrentWidget(self.extensions)
        elif key == "serious":
            self.tabs.setCurrentWidget(self.lights)
            self.lights.set_filter("serious")

    def drill(self, figure: str, step: str | None, group, caption: str) -> None:
        """List the cases behind a figure of the shown period (a dialog; double-click opens a record)."""
        if self.view is None:
            return
        self.ctx.run(
            drill_job,
            self.view.evaluation,
            figure,
            step,
            group,
            on_done=lambda cases: self._show_list(caption, cases, step),
            on_error=self.fail,
        )

    def _show_list(self, caption: str, cases: list, step: str | None) -> None:
        dialog = LwCaseListDialog(caption, cases, step, self.open_record, self)
        self._keep(dialog)

    def open_record(self, case_no: str) -> None:
        """The case's record at the as-of time the shown figures were judged at."""
        as_of = self.view.evaluation.as_of if self.view is not None else self.as_of_value()
        self.ctx.run(
            record_job,
            case_no,
            as_of,
            on_done=lambda record: record is not None and self._keep(LwCaseRecordDialog(record, self)),
            on_error=self.fail,
        )

    def _keep(self, dialog) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()

    # ------------------------------------------------------------ export
    def export_sheet(self) -> None:
        """The escalation sheet of the shown open steps, at the time they were judged (not an edited 判断时刻
        that was never recomputed)."""
        from exporters.lw_escalation import suggest_file_name

        if self.view is None:
            return
        evaluation = self.view.open_evaluation
        if not self.view.lights["serious"] and not dialogs.ask(
            self, self.tr("判断时刻没有严重超期的在办环节。仍要导出（表中注明“无”）吗？")
        ):
            return
        title = self.tr("导出两违严重超期清单")
        path = dialogs.save_file(self, title, suggest_file_name(evaluation.as_of), "Excel (*.xlsx)")
        if path is None:
            return
        self.ctx.run(
            export_escalation,
            evaluation,
            path,
            on_done=lambda n: self.ctx.status.emit(self.tr("已导出严重超期环节 {0} 个：{1}").format(n, path)),
            on_error=self.fail,
        )
