"""A 两违 case's record (its three steps on a timeline, its extension requests and what each did, every field,
the exported row, earlier versions) and the list of cases behind a figure.

Both only show what the core computed (models.lw_store.case_record, models.lw_stats): the words here turn
its flags into the office's words (按期完成, 在办 · 红灯 …).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.lights import LIGHT_LABELS
from models.lw_cases import LW_FIELD_LABELS
from models.lw_stats import used_percent
from models.numbers import fmt2
from ui.pages.lw.timeline import StepTimeline
from ui.pages.overdue import LIGHT_COLORS
from ui.widgets import REFUSED_COLOR

LATE_COLOR = REFUSED_COLOR
ON_TIME_COLOR = "#2f6f3e"
SERIOUS_BACKGROUND = "#f7c4c0"
PROBLEM_OUTCOMES = ("wrong_level", "refused", "pending", "level_missing", "invalid")  # all but honoured


def minute(text: str | None) -> str:
    """A stored time as the office reads it: 2021-12-31 17:30 (no seconds); blank for none."""
    return (text or "")[:16]


def step_state(
    *, started: bool, done: bool, on_time: bool, open_: bool, light: str | None, serious: bool, used: str | None
) -> tuple[str, str | None]:
    """A step's state at the as-of time in words, and the colour to write them in."""
    if not started:
        return "未开始", None
    if done:
        return ("按期完成", ON_TIME_COLOR) if on_time else ("超期完成", LATE_COLOR)
    if open_:
        word = LIGHT_LABELS.get(light or "", "")
        text = f"在办 · {word}" + (f" {used}%" if used else "") + ("（严重超期）" if serious else "")
        return text, LIGHT_COLORS.get(light or "")
    return "—", None


def _table(headers: list[str], rows: list[list[str]], stretch: int | None = None) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if text is None else str(text)))
    table.resizeColumnsToContents()
    last = len(headers) - 1 if stretch is None else stretch
    table.horizontalHeader().setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)
    return table


def _paint(item: QTableWidgetItem | None, color: str | None, *, bold: bool = False) -> None:
    if item is None:
        return
    if color:
        item.setForeground(QBrush(QColor(color)))
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)


STEP_HEADERS = [
    "环节", "角色", "责任人", "开始时间", "计时起点", "时限", "原截止时间", "延期", "截止时间", "完成时间", "状态",
]  # fmt: skip
EXTENSION_HEADERS = ["次序", "申请天数", "审批层级", "审批结果", "审批时间", "累计天数", "应由", "顺延", "判定"]
TIMELINE_KEY = (
    "条形：开始至完成（绿 按期、红 超期）或至判断时刻（在办，按亮灯着色）；竖线：截止时间（点线为延期前的截止时间）；"
    "蓝色虚线：判断时刻"
)


class LwCaseRecordDialog(QDialog):
    """One case at the as-of time the page judged it at."""

    def __init__(self, record: dict, parent: QWidget | None = None):
        super().__init__(parent)
        case = record["case"]
        self.record = record
        self.setWindowTitle(self.tr("两违案件 {0}").format(case["case_no"]))
        self.resize(1060, 600)
        summary = QFormLayout()
        where = " · ".join(v for v in (case.get("county"), case.get("town")) if v)
        summary.addRow(self.tr("所在"), QLabel(where or "—"))
        what = " · ".join(v for v in (case.get("department"), case.get("violation_type"), case.get("source")) if v)
        summary.addRow(self.tr("部门 · 类型 · 来源"), QLabel(what or "—"))
        summary.addRow(
            self.tr("接收时间 · 当前环节"),
            QLabel(f"{minute(case.get('received_at'))} · {case.get('current_step') or '—'}"),
        )
        summary.addRow(self.tr("判断时刻"), QLabel(record["as_of"].replace("T", " ")[:16]))

        self.steps = self._steps_table(record["steps"])
        self.extensions = self._extensions_table(record["extensions"])
        self.fields = _table(
            [self.tr("字段"), self.tr("值")],
            [[LW_FIELD_LABELS.get(k, k), "" if v is None else str(v)] for k, v in case.items()],
        )
        raw = json.loads(record["raw"]) if record.get("raw") else {}
        self.raw = _table([self.tr("原始表头"), self.tr("原始内容")], [[k, v] for k, v in raw.items()])
        history = self._history_rows(record)
        self.history = _table([self.tr("被替换时间"), self.tr("由导入"), self.tr("此前的值")], history)

        self.timeline = StepTimeline(record["steps"], record["as_of"])
        steps_tab = QWidget()
        steps_layout = QVBoxLayout(steps_tab)
        steps_layout.addWidget(self.timeline)
        steps_layout.addWidget(QLabel(self.tr(TIMELINE_KEY)))
        steps_layout.addWidget(self.steps, 1)
        tabs = QTabWidget()
        tabs.addTab(steps_tab, self.tr("环节时间线"))
        tabs.addTab(self.extensions, self.tr("延期审批（{0}）").format(len(record["extensions"])))
        tabs.addTab(self.fields, self.tr("全部字段"))
        tabs.addTab(self.raw, self.tr("原始行（导入 #{0} 第 {1} 行）").format(record["import_id"], record["row_no"]))
        tabs.addTab(self.history, self.tr("历史（{0}）").format(len(history)))
        self.tabs = tabs
        self.problems = QLabel("\n".join(record.get("problems") or []))
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {REFUSED_COLOR}")
        self.problems.setVisible(bool(record.get("problems")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(summary)
        layout.addWidget(self.problems)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)

    def _steps_table(self, steps: list[dict]) -> QTableWidget:
        rows, states = [], []
        for s in steps:
            state = step_state(
                started=s["started"],
                done=s["done"],
                on_time=s["on_time"],
                open_=s["open"],
                light=s["light"],
                serious=s["serious"],
                used=s["used"],
            )
            if s["started_at"] and not s["started"]:
                state = (self.tr("判断时刻后开始"), None)
            ended = minute(s["ended_at"])
            if ended and not s["done"]:
                ended += self.tr("（判断时刻后）")
            states.append(state)
            clock = minute(s["clock_start"])
            rows.append(
                [
                    s["step"],
                    s["role"],
                    s["person"] or "",
                    minute(s["started_at"]),
                    self.tr("同开始") if clock and s["clock_start"] == s["started_at"] else clock,
                    s["limit"],
                    minute(s["base_deadline"]),
                    self.tr("+{0}天").format(s["extension_days"]) if s["extension_days"] else "",
                    minute(s["deadline_at"]),
                    ended,
                    state[0],
                ]
            )
        table = _table([self.tr(h) for h in STEP_HEADERS], rows)
        for r, (_text, color) in enumerate(states):
            _paint(table.item(r, len(STEP_HEADERS) - 1), color, bold=bool(steps[r]["serious"]))
            if steps[r]["serious"]:
                table.item(r, len(STEP_HEADERS) - 1).setBackground(QBrush(QColor(SERIOUS_BACKGROUND)))
        return table

    def _extensions_table(self, extensions: list[dict]) -> QTableWidget:
        rows = [
            [
                self.tr("第{0}次").format(e["position"]),
                "" if e["days"] is None else self.tr("{0}天").format(e["days"]),
                e["level"] or self.tr("（未填）"),
                e["result"] or self.tr("（待审批）"),
                minute(e["decided_at"]),
                "" if e["days"] is None else self.tr("{0}天").format(e["running_total"]),
                e["needed_level"] or "",
                self.tr("+{0}天").format(e["moved_days"]) if e["moved_days"] else self.tr("不顺延"),
                e["outcome_label"],
            ]
            for e in extensions
        ]
        table = _table([self.tr(h) for h in EXTENSION_HEADERS], rows)
        for r, e in enumerate(extensions):
            _paint(table.item(r, len(EXTENSION_HEADERS) - 1), None if e["outcome"] == "honoured" else LATE_COLOR)
        return table

    def _history_rows(self, record: dict) -> list[list[str]]:
        """Earlier versions of the case and of its extension requests, with what they said then."""
        case = record["case"]
        rows = []
        for entry in record["history"]:
            old = entry["old"]
            changed = {k: v for k, v in old.items() if k in LW_FIELD_LABELS and case.get(k) != v}
            text = "；".join(f"{LW_FIELD_LABELS[k]}：{'（空）' if v in (None, '') else v}" for k, v in changed.items())
            rows.append([entry["replaced_at"], str(entry["replaced_by_import"]), text or self.tr("（仅原始行不同）")])
        for entry in record["extension_history"]:
            old = entry["old"]
            text = self.tr("第{0}次延期：{1}天 {2} {3}").format(
                old.get("position"), old.get("days"), old.get("level") or "", old.get("result") or self.tr("待审批")
            )
            rows.append([entry["replaced_at"], str(entry["replaced_by_import"]), text])
        return rows


LIST_HEADERS = ["案件编号", "县区", "乡镇", "部门", "违建类型", "接收时间", "当前环节"]


class LwCaseListDialog(QDialog):
    """The cases behind a figure; a double-click opens a case's record. With a step, each case's state of
    that step is shown (按期完成, 超期完成, 在办 …)."""

    def __init__(
        self,
        caption: str,
        cases: list,
        step: str | None,
        open_record: Callable[[str], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(caption)
        self.resize(980, 560)
        self.numbers = [e.case_no for e in cases]
        self.open_record = open_record
        headers = [self.tr(h) for h in LIST_HEADERS] + ([self.tr("{0}环节").format(step)] if step else [])
        rows, colors = [], []
        for e in cases:
            case = e.case
            received = case.received_at.strftime("%Y-%m-%d %H:%M") if case.received_at else ""
            row = [e.case_no, e.county, e.town, e.department, case.violation_type or "", received]
            row.append(case.current_step or "")
            color = None
            if step:
                s = e.status(step)
                used = fmt2(used_percent(s.used_share))
                text, color = step_state(
                    started=s.started, done=s.done, on_time=s.on_time, open_=s.open, light=s.light,
                    serious=s.serious, used=used,
                )  # fmt: skip
                row.append(text)
            rows.append(row)
            colors.append(color)
        self.table = _table(headers, rows)
        if step:
            for r, color in enumerate(colors):
                _paint(self.table.item(r, len(headers) - 1), color)
        self.table.doubleClicked.connect(lambda index: self.open_record(self.numbers[index.row()]))
        heading = QLabel(self.tr("{0}：{1} 件（双击查看案件记录）").format(caption, len(cases)))
        heading.setObjectName("sectionHeading")
        heading.setWordWrap(True)
        self.copy = QPushButton(self.tr("复制案件编号"))
        self.copy.clicked.connect(self.copy_numbers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def copy_numbers(self) -> None:
        """The numbers one per line: pasted into the platform's search or a spreadsheet column."""
        QGuiApplication.clipboard().setText("\n".join(self.numbers))
