"""创城回头看: 整改达标率 at an as-of date, the four groupings, the problems (open first) with their rounds.

Every figure comes from models.rectify on the worker; a tile or a linked count lists the problems behind it
(problems_behind), and a problem shows its rounds and the earlier versions of its rows.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from exporters.bulletin import pct
from exporters.rectify_sheet import GROUPS, status_text
from models.rectify import FIELD_LABELS, ProblemStatus
from ui import dialogs
from ui.ledger_widgets import AsOfPicker, changed_values, history_lines
from ui.pages.base import AppContext, Page
from ui.tables import figure_table, fill_table, fit_columns, on_drill
from ui.widgets import Tile

# (key in the stats document, caption, figure whose problems the tile lists)
TILES = (
    ("rate", "整改达标率", "due"),
    ("due", "应整改", "due"),
    ("rectified", "已整改", "rectified"),
    ("rebound", "反弹", "rebound"),
    ("unchecked", "未复查", "unchecked"),
)
GROUP_COLUMNS = ("名称", "问题", "应整改", "已整改", "整改达标率", "反弹", "未复查")
GROUP_FIGURES = (None, "problems", "due", "rectified", None, "rebound", "unchecked")
PROBLEM_COLUMNS = ("问题编号", "状态", "点位", "责任单位", "整改时限", "回头看记录")
FIGURE_WORDS = {
    "problems": "问题",
    "due": "应整改的问题",
    "rectified": "已整改的问题",
    "open": "未整改到位的问题",
    "rebound": "反弹的问题",
    "unchecked": "未复查的问题",
}
ROW_FIELDS = {k: v for k, v in FIELD_LABELS.items() if k != "problem_no"}  # what a replaced row may have held
OPEN_COLOR = QColor("#fde9e7")  # the export's light red behind a problem still open


def rectify_view(db, as_of: date) -> dict:
    """Worker job: the `rectify stats` document and every problem's status at the as-of date (open first)."""
    from models.rectify import problem_statuses, problems_from_rows, rectify_stats
    from models.rectify_store import load_rows

    rows = load_rows(db)
    problems, _warnings = problems_from_rows(rows)
    return {"doc": rectify_stats(rows, as_of=as_of), "statuses": problem_statuses(problems, as_of)}


def problems_behind_job(db, figure: str, as_of: date, group: dict) -> list[ProblemStatus]:
    from models.rectify import problems_behind, problems_from_rows
    from models.rectify_store import load_rows

    problems, _warnings = problems_from_rows(load_rows(db))
    return problems_behind(problems, figure, as_of=as_of, **group)


def row_history_job(db, problem_no: str) -> list[dict]:
    from models.rectify_store import row_history

    return row_history(db, problem_no)


def export_job(db, as_of: date, path: Path) -> dict:
    from exporters.rectify_sheet import write_rectify_sheet
    from models.rectify_store import load_rows

    return write_rectify_sheet(load_rows(db), as_of, path)


def tile_texts(doc: dict) -> dict[str, tuple[str, str]]:
    """Each tile's value and note for a `rectify stats` document (the page's tiles and the meeting slide's)."""

    def named(problems: list[str]) -> str:
        return "、".join(problems[:3]) + ("…" if len(problems) > 3 else "")

    return {
        "rate": (pct(doc["rate"]), f"已整改 {doc['rectified']} / 应整改 {doc['due']}"),
        "due": (str(doc["due"]), f"问题共 {doc['problems']} 个"),
        "rectified": (str(doc["rectified"]), ""),
        "rebound": (str(len(doc["rebound"])), named(doc["rebound"])),  # rebound / unchecked list the problems
        "unchecked": (str(len(doc["unchecked"])), named(doc["unchecked"])),
    }


def group_rows(doc: dict, key: str, field: str) -> list[list]:
    """One grouping (by_unit, by_district …) as table rows under GROUP_COLUMNS."""
    return [
        [g[field] or "（未填写）", g["problems"], g["due"], g["rectified"], pct(g["rate"]), g["rebound"],
         g["unchecked"]]
        for g in doc[key]
    ]  # fmt: skip


class RectifyPage(Page):
    title = "创城回头看"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("创城回头看")
        self.doc: dict | None = None
        self.statuses: list[ProblemStatus] = []
        self.shown: list[ProblemStatus] = []
        self.drill: tuple[str, dict] | None = None  # (figure, group) behind the problem list
        self.history: list[dict] = []

        self.heading = QLabel(self.tr("创城“回头看”整改情况"))
        self.heading.setObjectName("pageHeading")
        self.as_of = AsOfPicker(self.tr("统计日"), self.tr("问题的状态取这一天及以前最近一次回头看的结果"))
        self.export = QPushButton(self.tr("导出 Excel…"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.as_of)
        top.addWidget(self.export)

        self.tiles: dict[str, Tile] = {}
        tiles = QGridLayout()
        for i, (key, caption, figure) in enumerate(TILES):
            tile = Tile(self.tr(caption))
            tile.setToolTip(self.tr("单击列出{0}").format(self.tr(FIGURE_WORDS[figure])))
            tile.clicked.connect(lambda f=figure: self.drill_to(f, {}))
            self.tiles[key] = tile
            tiles.addWidget(tile, 0, i)
        self.warnings = QLabel("")
        self.warnings.setObjectName("banner")
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(False)

        self.groups = QTabWidget()
        self.group_tables: dict[str, object] = {}
        for key, _field, title in GROUPS:
            table = figure_table([self.tr(c) for c in GROUP_COLUMNS], stretch=0)
            on_drill(table, lambda target, _item: self.drill_to(*target))
            self.group_tables[key] = table
            self.groups.addTab(table, self.tr(title))

        self.list_caption = QLabel("")
        self.list_caption.setObjectName("sectionHeading")
        self.show_all = QPushButton(self.tr("显示全部问题"))
        self.show_all.clicked.connect(self.clear_drill)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.list_caption, 1)
        caption_row.addWidget(self.show_all)
        self.problems = figure_table([self.tr(c) for c in PROBLEM_COLUMNS], stretch=5)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.itemSelectionChanged.connect(self._problem_selected)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(caption_row)
        rl.addWidget(self.problems, 3)
        rl.addWidget(self.detail, 2)
        split = QSplitter()
        split.addWidget(self.groups)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addWidget(self.warnings)
        layout.addWidget(split, 1)

        self.as_of.changed.connect(lambda _d: self.refresh())
        self.export.clicked.connect(self.export_sheet)

    # ------------------------------------------------------------ data
    def as_of_value(self) -> date:
        return self.as_of.value()

    def reload(self) -> None:
        generation = self.next_generation()
        self.ctx.run(
            rectify_view,
            self.as_of_value(),
            on_done=lambda view: self.current(generation) and self.show_view(view),
            on_error=self.fail,
        )

    def show_view(self, view: dict) -> None:
        doc = self.doc = view["doc"]
        self.statuses = view["statuses"]
        self.ctx.last_ledgers["rectify"] = doc
        self.export.setEnabled(bool(doc["problems"]))
        self.heading.setText(self.tr("创城“回头看”整改情况（截至 {0}）").format(doc["as_of"]))
        for key, (value, note) in tile_texts(doc).items():
            self.tiles[key].set_value(value, note)
        self.warnings.setText("\n".join(doc["warnings"]))
        self.warnings.setVisible(bool(doc["warnings"]))
        for key, field, _title in GROUPS:
            groups = doc[key]
            rows = group_rows(doc, key, field)
            drill = [[None if f is None else (f, {field: g[field]}) for f in GROUP_FIGURES] for g in groups]
            table = self.group_tables[key]
            fill_table(table, rows, drill=drill)
            fit_columns(table)
        if self.drill is not None:
            self.drill_to(*self.drill)  # the same question at the new as-of date
        else:
            self._show_problems(self.statuses, self._all_caption())

    def _all_caption(self) -> str:
        return self.tr("全部问题 {0} 个（未整改到位的在前）").format(len(self.statuses))

    # ------------------------------------------------------------ problems
    def _show_problems(self, statuses: list[ProblemStatus], caption: str) -> None:
        self.shown = list(statuses)
        self.list_caption.setText(caption)
        self.show_all.setVisible(self.drill is not None)
        rows = [
            [s.problem.problem_no, status_text(s), s.problem.site or "", s.problem.unit or "",
             s.problem.due_on.isoformat() if s.problem.due_on else self.tr("（未填写）"),
             _rounds(s.rounds, short=True) or self.tr("未复查")]
            for s in statuses
        ]  # fmt: skip
        self.problems.clearSelection()  # the detail follows the row selected below, even the same row as before
        fill_table(self.problems, rows, text_columns=range(len(PROBLEM_COLUMNS)))
        for r, s in enumerate(statuses):
            if s.open:
                item = self.problems.item(r, 1)
                item.setBackground(QBrush(OPEN_COLOR))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        fit_columns(self.problems)
        self.detail.setHtml("")
        if statuses:
            self.problems.selectRow(0)

    def drill_to(self, figure: str, group: dict) -> None:
        """List the problems behind a figure (models.rectify.problems_behind), narrowed by a grouping."""
        self.drill = (figure, dict(group))
        where = "、".join(str(v) if v is not None else self.tr("（未填写）") for v in group.values())
        caption = (where + " " if where else "") + self.tr(FIGURE_WORDS[figure])
        generation = self._generation

        def shown(found: list[ProblemStatus]) -> None:
            if self.current(generation) and self.drill == (figure, group):
                self._show_problems(found, self.tr("{0}：{1} 个").format(caption, len(found)))

        self.ctx.run(problems_behind_job, figure, self.as_of_value(), dict(group), on_done=shown, on_error=self.fail)

    def clear_drill(self) -> None:
        self.drill = None
        self._show_problems(self.statuses, self._all_caption())

    def selected_status(self) -> ProblemStatus | None:
        rows = self.problems.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows else None

    def _problem_selected(self) -> None:
        status = self.selected_status()
        if status is None:
            self.detail.setHtml("")
            return
        self._show_detail(status, None)
        number = status.problem.problem_no
        self.ctx.run(
            row_history_job,
            number,
            on_done=lambda history, s=status: self.selected_status() is s and self._show_detail(s, history),
            on_error=self.fail,
        )

    def _show_detail(self, status: ProblemStatus, history: list[dict] | None) -> None:
        self.history = history or []
        p = status.problem
        lines = [
            f"<b>{escape(p.problem_no)}</b>　{escape(p.site or '')}（{escape(p.district or '')}）"
            f"　<b>{escape(status_text(status))}</b>",
            f"{self.tr('问题类别')}：{escape(p.category or '—')}　{self.tr('责任单位')}：{escape(p.unit or '—')}",
            f"{self.tr('问题描述')}：{escape(p.description or '—')}",
            f"{self.tr('督查日期')}：{p.inspected_on or '—'}　{self.tr('整改时限')}：{p.due_on or self.tr('未填写')}",
            self.tr("回头看（截至统计日）：") + escape(_rounds(status.rounds) or self.tr("未复查")),
        ]
        later = [r for r in p.rounds if r not in status.rounds]
        if later:
            lines.append(self.tr("统计日以后：") + escape(_rounds(later)))

        def describe(entry: dict) -> str:
            old = entry["old"]
            current = _current_row(status, old.get("checked_on"))
            round_name = old.get("checked_on") or self.tr("问题登记行")
            changed = changed_values(
                old, current, ROW_FIELDS, lambda _field, value: "" if value is None else str(value)
            )
            return self.tr("（{0}），此前 {1}").format(round_name, changed)

        lines += history_lines(history, describe)
        self.detail.setHtml("<br>".join(lines))

    # ------------------------------------------------------------ export
    def export_sheet(self, path: Path | None = None) -> None:
        if not self.doc or not self.doc["problems"]:
            dialogs.info(self, self.tr("还没有回头看台账可导出"))
            return
        from exporters.rectify_sheet import suggest_file_name

        as_of = date.fromisoformat(self.doc["as_of"])  # the date the shown figures were taken at
        path = path or dialogs.save_file(
            self, self.tr("导出回头看整改情况"), suggest_file_name(as_of), "Excel (*.xlsx)"
        )
        if path is None:
            return
        self.ctx.run(
            export_job,
            as_of,
            Path(path),
            on_done=lambda doc: self.ctx.status.emit(
                self.tr("已导出（问题 {0} 个，整改达标率 {1}）：{2}").format(doc["problems"], pct(doc["rate"]), path)
            ),
            on_error=self.fail,
        )


def _rounds(rounds, *, short: bool = False) -> str:
    """12-01 未整改 → 12-14 已整改 in the list (short), full dates in the detail."""
    if short:
        return " → ".join(f"{r.checked_on:%m-%d} {r.result}" for r in rounds)
    return "；".join(f"{r.checked_on} {r.result}" for r in rounds)


def _current_row(status: ProblemStatus, checked_on: str | None) -> dict:
    """The problem's current values in the shape of a stored row, to tell what an old version changed."""
    p = status.problem
    result = next((r.result for r in p.rounds if r.checked_on.isoformat() == checked_on), None)
    values = {
        "inspected_on": p.inspected_on, "site": p.site, "district": p.district, "category": p.category,
        "description": p.description, "unit": p.unit, "due_on": p.due_on, "checked_on": checked_on or None,
        "result": result,
    }  # fmt: skip
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
