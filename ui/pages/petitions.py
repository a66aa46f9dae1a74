"""督察信访: the batches, a batch's type × region counts and paragraph, follow-up at an as-of date, the pieces.

Every figure comes from models.petition_store / petition_report on the worker; a linked count lists the pieces
behind it (pieces_behind) in the 举报件 tab, where a piece shows its fields and earlier versions.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from exporters.bulletin import pct
from exporters.petition_sheet import multi_label_notice, ordered_pieces, piece_status
from exporters.petition_text import batch_name
from models.petitions import FIELD_LABELS, Piece
from ui import dialogs
from ui.ledger_widgets import AsOfPicker, changed_values, history_lines
from ui.pages.base import AppContext, Page
from ui.tables import figure_table, fill_table, fit_columns, fit_height, on_drill
from ui.widgets import combo_value

BATCH_COLUMNS = ("批次", "移交日期", "举报件", "重复件", "已办结", "办结率", "超期未办结")
FOLLOW_UP_COLUMNS = ("名称", "举报件", "已办结", "办结率", "超期未办结")
FOLLOW_UP_FIGURES = (None, "pieces", "closed", None, "overdue")  # what a count in each column lists
PIECE_COLUMNS = ("举报件编号", "问题类型", "所属地区", "转办单位", "办理时限", "办结时间", "办理状态")
OVERDUE_COLUMNS = ("批次", "举报件编号", "所属地区", "问题类型", "转办单位", "办理时限", "超期天数")
FIGURE_WORDS = {"pieces": "举报件", "closed": "已办结的举报件", "overdue": "超期未办结的举报件"}
# the piece fields its detail shows (and whose earlier values its history names)
SHOWN_FIELDS = {
    f: FIELD_LABELS[f] for f in ("types", "regions", "duplicate", "unit", "deadline", "closed_on", "result", "content")
}


def petitions_view(db, as_of: date, batch: int | None) -> dict:
    """Worker job: the batch list and everything shown for one batch (the newest when `batch` is not stored)."""
    from models.petition_report import PetitionError, type_region_table
    from models.petition_store import batch_list, load_batch, load_pieces, paragraph, stats

    batches = batch_list(db, as_of)
    if not batches:
        return {"as_of": as_of, "batches": []}
    numbers = [b["batch"] for b in batches]
    number = batch if batch in numbers else numbers[0]
    pieces = load_pieces(db, number)
    try:
        text = paragraph(db, number)
    except PetitionError as exc:  # a batch whose rows were all refused: say so where the paragraph goes
        text = str(exc)
    return {
        "as_of": as_of,
        "batches": batches,
        "batch": number,
        "info": load_batch(db, number),
        "table": type_region_table(pieces),
        "paragraph": text,
        "stats": stats(db, as_of=as_of, batch=number),
        "all": stats(db, as_of=as_of),
        "pieces": pieces,
    }


def pieces_behind_job(db, figure: str, as_of: date, batch: int | None, type_word: str | None, region: str | None):
    from models.petition_report import pieces_behind
    from models.petition_store import load_pieces

    return pieces_behind(load_pieces(db, batch), figure, as_of=as_of, batch=batch, type_word=type_word, region=region)


def piece_history_job(db, batch: int, piece_no: str) -> list[dict]:
    from models.petition_store import piece_history

    return piece_history(db, batch, piece_no)


def export_job(db, batch: int, as_of: date, path: Path) -> dict:
    from exporters.petition_sheet import write_petition_sheet
    from models.petition_store import load_batch, load_pieces

    return write_petition_sheet(load_batch(db, batch), load_pieces(db, batch), as_of, path)


def cross_rows(table: dict) -> tuple[list[str], list[list]]:
    """The type × region table as the page and its meeting slide show it: headers, then a row per type and the
    合计 row; a zero cell is blank (a blank reads faster than a column of 0)."""
    headers = ["问题类型", *table["regions"], "合计"]
    rows = [
        [name, *(n or "" for n in counts), total]
        for name, counts, total in zip(table["types"], table["cells"], table["type_totals"], strict=True)
    ]
    rows.append(["合计", *table["region_totals"], table["pieces"]])
    return headers, rows


def field_text(field: str, value, deadline_days: int | None = None) -> str:
    """A piece field as the page shows it: types by their report words, lists joined, 是/否 for 是否重复."""
    from models.petitions import load_petition_vocabulary

    if field == "types":
        vocab = load_petition_vocabulary()
        return "、".join(vocab.report_word(t) for t in value or ())
    if isinstance(value, tuple | list):
        return "、".join(value)
    if field == "duplicate":
        return "是" if value else "否"
    if field == "deadline" and value and deadline_days:
        return f"{value}（移交后 {deadline_days} 天）"
    return "" if value is None else str(value)


def _piece_value(piece: Piece, field: str) -> str:
    return field_text(field, getattr(piece, field), piece.deadline_days)


class PetitionsPage(Page):
    title = "督察信访"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("督察信访")
        self.view: dict | None = None
        self.batch: int | None = None  # the batch asked for (None: the newest)
        self.drill: tuple | None = None  # (figure, batch, type_word, region) behind the piece list
        self.shown_pieces: list[Piece] = []
        self.history: list[dict] = []
        self._select_later: tuple[int, str] | None = None  # the piece to select once the drilled list is shown

        self.heading = QLabel(self.tr("督察信访"))
        self.heading.setObjectName("pageHeading")
        self.as_of = AsOfPicker(self.tr("办结情况统计日"), self.tr("办结、超期按这一天判断"))
        self.export = QPushButton(self.tr("导出 Excel…"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.as_of)
        top.addWidget(self.export)

        self.batches = figure_table([self.tr(c) for c in BATCH_COLUMNS])
        self.batches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batches.horizontalHeader().setStretchLastSection(True)
        self.batches.itemSelectionChanged.connect(self._batch_selected)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.paragraph = QLabel("")
        self.paragraph.setWordWrap(True)
        self.paragraph.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.paragraph.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.copy = QPushButton(self.tr("复制"))
        self.copy.setToolTip(self.tr("把通报段落复制到剪贴板"))
        paragraph_box = QGroupBox(self.tr("通报段落"))
        pl = QHBoxLayout(paragraph_box)
        pl.addWidget(self.paragraph, 1)
        pl.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignTop)
        left = QVBoxLayout()
        left.addWidget(self.batches, 1)
        left.addWidget(self.summary)
        upper = QHBoxLayout()
        upper.addLayout(left, 2)
        upper.addWidget(paragraph_box, 3)

        self.table_title = QLabel(self.tr("问题类型 × 所属地区（件）"))
        self.table_title.setObjectName("sectionHeading")
        self.notice = QLabel("")
        self.notice.setObjectName("banner")
        self.notice.setVisible(False)
        title_row = QHBoxLayout()
        title_row.addWidget(self.table_title)
        title_row.addWidget(self.notice)
        title_row.addStretch(1)
        self.cross = figure_table([])
        on_drill(self.cross, self._drill_cross)

        # the 举报件 tab: the list (all pieces of the batch, or those behind a clicked count) and one piece
        self.filter_caption = QLabel("")
        self.show_all = QPushButton(self.tr("显示本批全部"))
        self.show_all.clicked.connect(self.clear_drill)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.filter_caption, 1)
        caption_row.addWidget(self.show_all)
        self.pieces = figure_table([self.tr(c) for c in PIECE_COLUMNS])
        self.pieces.horizontalHeader().setStretchLastSection(True)
        self.pieces.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pieces.itemSelectionChanged.connect(self._piece_selected)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        split = QSplitter()
        split.addWidget(self.pieces)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        pieces_tab = QWidget()
        ptl = QVBoxLayout(pieces_tab)
        ptl.addLayout(caption_row)
        ptl.addWidget(split, 1)

        # the 办结情况 tab: 办结率 by region and type, and the overdue pieces, for the batch or all batches
        self.scope = QComboBox()
        self.scope.addItem(self.tr("本批"), "batch")
        self.scope.addItem(self.tr("全部批次"), "all")
        self.scope.currentIndexChanged.connect(self._show_follow_up)
        self.follow_summary = QLabel("")
        self.follow_summary.setWordWrap(True)
        self.by_region = figure_table([self.tr("所属地区"), *map(self.tr, FOLLOW_UP_COLUMNS[1:])], stretch=0)
        self.by_type = figure_table([self.tr("问题类型"), *map(self.tr, FOLLOW_UP_COLUMNS[1:])], stretch=0)
        on_drill(self.by_region, lambda target, _item: self.drill_to(*target))
        on_drill(self.by_type, lambda target, _item: self.drill_to(*target))
        self.overdue_title = QLabel("")
        self.overdue_title.setObjectName("sectionHeading")
        self.overdue = figure_table([self.tr(c) for c in OVERDUE_COLUMNS], stretch=4)
        self.overdue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.overdue.cellDoubleClicked.connect(self._open_overdue)
        tables = QHBoxLayout()
        tables.addWidget(self.by_region, 1)
        tables.addWidget(self.by_type, 1)
        follow_tab = QWidget()
        ftl = QVBoxLayout(follow_tab)
        ftl.addWidget(self.follow_summary)
        ftl.addLayout(tables, 1)
        overdue_tab = QWidget()
        otl = QVBoxLayout(overdue_tab)
        otl.addWidget(self.overdue_title)
        otl.addWidget(self.overdue, 1)
        scope = QWidget()  # in the tab bar's corner: the scope of the 办结情况 and 超期未办结 tabs
        sl = QHBoxLayout(scope)
        sl.setContentsMargins(0, 0, 0, 2)
        sl.addWidget(QLabel(self.tr("办结情况范围")))
        sl.addWidget(self.scope)

        self.tabs = QTabWidget()
        self.tabs.addTab(pieces_tab, self.tr("举报件"))
        self.tabs.addTab(follow_tab, self.tr("办结情况"))
        self.tabs.addTab(overdue_tab, self.tr("超期未办结"))
        self.tabs.setCornerWidget(scope)
        self.tabs.setMinimumHeight(180)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(upper)
        layout.addLayout(title_row)
        layout.addWidget(self.cross)
        layout.addWidget(self.tabs, 1)

        self.as_of.changed.connect(lambda _d: self.refresh())
        self.copy.clicked.connect(self.copy_paragraph)
        self.export.clicked.connect(self.export_batch)

    # ------------------------------------------------------------ data
    def as_of_value(self) -> date:
        return self.as_of.value()

    def reload(self) -> None:
        generation = self.next_generation()
        as_of = self.as_of_value()
        self.ctx.run(
            petitions_view,
            as_of,
            self.batch,
            on_done=lambda view: self.current(generation) and self.show_view(view),
            on_error=self.fail,
        )

    def show_view(self, view: dict) -> None:
        self.view = view
        batches = view["batches"]
        self.export.setEnabled(bool(batches))
        self.copy.setEnabled(bool(batches))
        self._fill_batches(batches, view.get("batch"))
        if not batches:
            self.heading.setText(self.tr("督察信访：尚未导入批次"))
            self.paragraph.setText(
                self.tr("在“数据导入”页或命令行（petitions import FILE --batch N --date D）导入一批信访件台账。")
            )
            for table in (self.cross, self.pieces, self.by_region, self.by_type, self.overdue):
                table.setRowCount(0)
            self.summary.setText("")
            self.notice.setVisible(False)
            self.ctx.last_ledgers.pop("petitions", None)
            return
        number, info, doc = view["batch"], view["info"], view["stats"]
        self.heading.setText(
            self.tr("督察信访 · {0}（{1} 移交，{2}）").format(batch_name(number), info.handed_over, info.body)
        )
        self.paragraph.setText(view["paragraph"])
        self.summary.setText(
            self.tr("举报件 {0} 件（另有重复件 {1} 件），已办结 {2} 件，办结率 {3}，超期未办结 {4} 件（截至 {5}）")
            .format(
                doc["pieces"], doc["duplicates"], doc["closed"], pct(doc["closure_rate"]), len(doc["overdue"]),
                doc["as_of"],
            )
        )  # fmt: skip
        self._fill_cross(view["table"], number)
        self._show_follow_up()
        self.ctx.last_ledgers["petitions"] = {
            "batch": number,
            "as_of": doc["as_of"],
            "paragraph": view["paragraph"],
            "table": view["table"],
        }
        if self.drill is not None and self.drill[1] in (None, number):
            self.drill_to(*self.drill)  # the same question at the new as-of date
        else:
            self.drill = None
            self._show_pieces(ordered_pieces(view["pieces"], self.as_of_value()), self._all_caption())

    def _all_caption(self) -> str:
        doc = self.view["stats"]
        return self.tr("{0}全部举报件 {1} 件（含重复件 {2} 件，不计数）").format(
            batch_name(self.view["batch"]), doc["pieces"] + doc["duplicates"], doc["duplicates"]
        )

    def _fill_batches(self, batches: list[dict], current: int | None) -> None:
        rows = [
            [batch_name(b["batch"]), b["handed_over"], b["pieces"], b["duplicates"], b["closed"],
             pct(b["closure_rate"]), b["overdue"]]
            for b in batches
        ]  # fmt: skip
        self.batches.blockSignals(True)
        fill_table(self.batches, rows)
        for r, b in enumerate(batches):
            self.batches.item(r, 0).setData(Qt.ItemDataRole.UserRole, b["batch"])
            if b["batch"] == current:
                self.batches.selectRow(r)
        self.batches.blockSignals(False)
        fit_columns(self.batches)
        fit_height(self.batches, min_rows=2, max_rows=4)

    def _fill_cross(self, table: dict, batch: int) -> None:
        regions, types = table["regions"], table["types"]
        headers, rows = cross_rows(table)
        self.cross.clear()
        self.cross.setColumnCount(len(headers))
        self.cross.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        drill = [
            [None, *[("pieces", batch, name, r) for r in regions], ("pieces", batch, name, None)]
            for name in [*types, None]  # the 合计 row: every type
        ]
        fill_table(self.cross, rows, drill=drill)
        last = len(rows) - 1
        for c in range(self.cross.columnCount()):
            item = self.cross.item(last, c)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.cross.item(last, len(regions) + 1).setToolTip(self.tr("举报件数（不含重复件）"))
        fit_columns(self.cross)
        for c in range(1, self.cross.columnCount()):
            self.cross.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        fit_height(self.cross)
        notice = multi_label_notice(table)
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))

    def _follow_up_doc(self) -> dict:
        return self.view["all"] if combo_value(self.scope) == "all" else self.view["stats"]

    def _show_follow_up(self) -> None:
        if not self.view or not self.view.get("batches"):
            return
        doc = self._follow_up_doc()
        batch = doc["batch"]
        for table, groups, key in (
            (self.by_region, doc["by_region"], "region"),
            (self.by_type, doc["by_type"], "type"),
        ):
            rows = [[g["name"], g["pieces"], g["closed"], pct(g["closure_rate"]), g["overdue"]] for g in groups]
            drill = [
                [
                    None if figure is None else
                    (figure, batch, g["name"] if key == "type" else None, g["name"] if key == "region" else None)
                    for figure in FOLLOW_UP_FIGURES
                ]
                for g in groups
            ]  # fmt: skip
            fill_table(table, rows, drill=drill)
            fit_columns(table)
            table.horizontalHeader().setStretchLastSection(False)
        which = batch_name(batch) if batch is not None else self.tr("全部批次")
        self.follow_summary.setText(
            self.tr("{0}：举报件 {1} 件，已办结 {2} 件，办结率 {3}（截至 {4}）").format(
                which, doc["pieces"], doc["closed"], pct(doc["closure_rate"]), doc["as_of"]
            )
        )
        overdue = doc["overdue"]
        self.overdue_title.setText(
            self.tr("{0}超过办理时限未办结：{1} 件（截至 {2}；双击查看举报件）").format(
                which, len(overdue), doc["as_of"]
            )
        )
        self.tabs.setTabText(2, self.tr("超期未办结（{0}）").format(len(overdue)))
        rows = [
            [batch_name(o["batch"]), o["piece_no"], "、".join(o["regions"]), "、".join(o["types"]), o["unit"],
             o["deadline"], o["days_overdue"]]
            for o in overdue
        ]  # fmt: skip
        fill_table(self.overdue, rows, text_columns=(0, 1, 2, 3, 4))
        for r, o in enumerate(overdue):
            self.overdue.item(r, 0).setData(Qt.ItemDataRole.UserRole, o["batch"])
        fit_columns(self.overdue)

    # ------------------------------------------------------------ pieces
    def _show_pieces(self, pieces: list[Piece], caption: str) -> None:
        as_of = self.as_of_value()
        self.shown_pieces = list(pieces)
        self.filter_caption.setText(caption)
        self.show_all.setVisible(self.drill is not None)
        rows = [
            [p.piece_no, "、".join(p.types), _piece_value(p, "regions"), p.unit or "",
             "" if p.deadline is None else p.deadline.isoformat(),
             p.closed_on.isoformat() if p.is_closed(as_of) else "", piece_status(p, as_of)]
            for p in pieces
        ]  # fmt: skip
        self.pieces.clearSelection()  # the detail follows the row selected below, even the same row as before
        fill_table(self.pieces, rows, text_columns=range(len(PIECE_COLUMNS)))
        for r, p in enumerate(pieces):
            self.pieces.item(r, 0).setData(Qt.ItemDataRole.UserRole, f"{p.batch}/{p.piece_no}")
            if p.days_overdue(as_of) is not None:
                status = self.pieces.item(r, 6)
                font = status.font()
                font.setBold(True)
                status.setFont(font)
                status.setForeground(Qt.GlobalColor.darkRed)
        fit_columns(self.pieces, maximum=150)
        self.tabs.setTabText(0, self.tr("举报件（{0}）").format(len(pieces)))
        self.detail.setHtml("")
        wanted, self._select_later = self._select_later, None
        keys = [(p.batch, p.piece_no) for p in pieces]
        if pieces:
            self.pieces.selectRow(keys.index(wanted) if wanted in keys else 0)

    def drill_to(self, figure: str, batch: int | None, type_word: str | None, region: str | None) -> None:
        """List the pieces behind a count in the 举报件 tab (models.petition_report.pieces_behind)."""
        self.drill = (figure, batch, type_word, region)
        parts = [batch_name(batch) if batch is not None else self.tr("全部批次")]
        parts += [w for w in (type_word, region) if w]
        caption = " × ".join(parts) + self.tr(" 的{0}").format(self.tr(FIGURE_WORDS[figure]))
        generation = self._generation
        self.tabs.setCurrentIndex(0)

        def shown(found: list[Piece]) -> None:
            if self.current(generation) and self.drill == (figure, batch, type_word, region):
                self._show_pieces(found, self.tr("{0}：{1} 件").format(caption, len(found)))

        self.ctx.run(
            pieces_behind_job, figure, self.as_of_value(), batch, type_word, region, on_done=shown, on_error=self.fail
        )

    def _drill_cross(self, target, _item) -> None:
        self.drill_to(*target)

    def clear_drill(self) -> None:
        self.drill = None
        if self.view and self.view.get("batches"):
            self._show_pieces(ordered_pieces(self.view["pieces"], self.as_of_value()), self._all_caption())

    def selected_piece(self) -> Piece | None:
        rows = self.pieces.selectionModel().selectedRows()
        return self.shown_pieces[rows[0].row()] if rows else None

    def _piece_selected(self) -> None:
        piece = self.selected_piece()
        if piece is None:
            self.detail.setHtml("")
            return
        self._show_detail(piece, None)
        self.ctx.run(
            piece_history_job,
            piece.batch,
            piece.piece_no,
            on_done=lambda history, p=piece: self.selected_piece() == p and self._show_detail(p, history),
            on_error=self.fail,
        )

    def _show_detail(self, piece: Piece, history: list[dict] | None) -> None:
        self.history = history or []
        lines = [
            f"<b>{escape(piece.piece_no)}</b>（{escape(batch_name(piece.batch))}，{piece.handed_over} 移交）"
            f"　<b>{escape(piece_status(piece, self.as_of_value()))}</b>"
        ]
        for field, label in SHOWN_FIELDS.items():
            value = _piece_value(piece, field)
            lines.append(f"{escape(self.tr(label))}：{escape(value) if value else '—'}")
        current = piece.record()

        def describe(entry: dict) -> str:
            old = entry["old"]
            text = partial(field_text, deadline_days=old.get("deadline_days"))
            return self.tr("，此前 ") + changed_values(old, current, SHOWN_FIELDS, text)

        lines += ["", *history_lines(history, describe)]
        self.detail.setHtml("<br>".join(lines))

    def _open_overdue(self, row: int, _column: int) -> None:
        batch = self.overdue.item(row, 0).data(Qt.ItemDataRole.UserRole)
        piece_no = self.overdue.item(row, 1).text()
        self.drill_to("overdue", None if combo_value(self.scope) == "all" else batch, None, None)
        self._select_later = (batch, piece_no)

    # ------------------------------------------------------------ actions
    def copy_paragraph(self) -> None:
        text = self.paragraph.text()
        if not self.view or not self.view.get("batches") or not text:
            return
        QGuiApplication.clipboard().setText(text)
        self.ctx.status.emit(self.tr("{0}通报段落已复制").format(batch_name(self.view["batch"])))

    def export_batch(self, path: Path | None = None) -> None:
        if not self.view or not self.view.get("batches"):
            dialogs.info(self, self.tr("还没有可导出的批次"))
            return
        from exporters.petition_sheet import suggest_file_name

        batch, as_of = self.view["batch"], self.view["as_of"]
        path = path or dialogs.save_file(
            self, self.tr("导出督察信访办理情况"), suggest_file_name(batch, as_of), "Excel (*.xlsx)"
        )
        if path is None:
            return
        self.ctx.run(
            export_job,
            batch,
            as_of,
            Path(path),
            on_done=lambda doc: self.ctx.status.emit(
                self.tr("已导出{0}（{1} 件）：{2}").format(batch_name(batch), doc["pieces"], path)
            ),
            on_error=self.fail,
        )

    def _batch_selected(self) -> None:
        rows = self.batches.selectionModel().selectedRows()
        if not rows:
            return
        number = self.batches.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        if number != (self.view or {}).get("batch"):
            self.batch = number
            self.drill = None
            self.refresh()
