"""绩效评价: scores per category tab, colour-graded; the selected unit's explanation; manual adjustments."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import browse
from models.labels import UNAVAILABLE_MARK, rank_text
from models.periods import Period
from ui.grades import grade_color, to_decimal
from ui.pages.base import AppContext, Page
from ui.widgets import REFUSED_COLOR, combo_value, fit_popup

COLUMNS = ("排名", "单位", "得分", "名次变化", "按期结案率", "结案率", "处置率", "立案", "返工", "说明")


def scores_data(db, period: Period, rules: str | None) -> tuple[dict, dict]:
    """Worker job: the score document (also stored in score_results) and the stats for key indicators."""
    from models.scoring import score_document
    from models.stats import stats_document

    return score_document(db, period, rules=rules), stats_document(db, period)


def rule_set_names(db) -> tuple[list[tuple[str, str]], str]:
    """The rule sets to choose from as (name, what people read: 内置示例规则（扣分制）（版本 1）), and the one
    chosen in settings (what `scores` uses without --rules)."""
    from models.rule_files import chosen_rule_set, list_rule_sets

    return [(r.name, r.label) for r in list_rule_sets()], chosen_rule_set(db)


def record_adjustment(db, period: Period, rules: str | None, **fields) -> tuple[dict, dict]:
    from models.adjustments import add_adjustment

    add_adjustment(db, **fields)
    return scores_data(db, period, rules)


def reverse_and_rescore(db, period: Period, rules: str | None, adjustment_id: int, reason: str) -> tuple[dict, dict]:
    from models.adjustments import reverse_adjustment

    reverse_adjustment(db, adjustment_id, reason=reason)
    return scores_data(db, period, rules)


def register_and_rescore(
    db, period: Period, rules: str | None, name: str, category: str, parent: str | None
) -> tuple[dict, dict]:
    """登记到名册: the unit joins the registry (registry.register_unit refuses a bad entry, saving nothing),
    then the period is scored again with it."""
    from models.registry import register_unit

    register_unit(db, name, category=category, parent=parent)
    return scores_data(db, period, rules)


def month_adjustments(db, month: str) -> list:
    from models.adjustments import list_adjustments

    return list_adjustments(db, month=month)


class AdjustmentDialog(QDialog):
    """Record one manual deduction or bonus (append-only; corrections are reversals).

    Why it stays open until the store has the entry: the core may still refuse it (a month such as
    2021-13, an unknown unit); closing first lost everything the user typed behind a warning box."""

    submitted = Signal(dict)

    def __init__(self, units: list[str], unit: str | None, month: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("记录人工加减分"))
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(units)
        if unit:
            self.unit.setCurrentText(unit)
        self.month = QLineEdit(month)
        self.points = QLineEdit()
        self.points.setPlaceholderText(self.tr("扣分为负，如 -2；加分为正"))
        self.reason = QLineEdit()
        self.rule = QLineEdit()
        self.cases = QLineEdit()
        self.cases.setPlaceholderText(self.tr("案件编号，逗号分隔"))
        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {REFUSED_COLOR}")
        form = QFormLayout(self)
        form.addRow(self.tr("单位"), self.unit)
        form.addRow(self.tr("月份"), self.month)
        form.addRow(self.tr("分值"), self.points)
        form.addRow(self.tr("原因"), self.reason)
        form.addRow(self.tr("规则依据"), self.rule)
        form.addRow(self.tr("案件编号"), self.cases)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict:
        cases = [c.strip() for c in self.cases.text().replace("，", ",").split(",") if c.strip()]
        return {
            "month": self.month.text().strip(),
            "unit": self.unit.currentText().strip(),
            "points": self.points.text().strip(),
            "reason": self.reason.text().strip(),
            "rule_ref": self.rule.text().strip() or None,
            "cases": cases,
        }

    def _check(self) -> None:
        v = self.values()
        if not v["unit"] or not v["reason"]:
            self.error.setText(self.tr("请填写单位和原因"))
            return
        if to_decimal(v["points"]) is None or to_decimal(v["points"]) == 0:
            self.error.setText(self.tr("分值应为非零数字，扣分为负"))
            return
        self.error.setText(self.tr("正在保存…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.submitted.emit(v)

    def refused(self, message: str) -> None:
        """The core refused the entry: say why and keep what was typed."""
        self.error.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)


class RegisterUnitDialog(QDialog):
    """登记到名册 for a unit met in the cases but not in the registry: its category (required to be scored)
    and parent. Stays open until the core has saved it, like the adjustment dialog."""

    submitted = Signal(dict)

    def __init__(
        self, name: str, filed: int, categories: list[dict], parents: list[str], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.name = name
        self.setWindowTitle(self.tr("登记到名册"))
        self.category = QComboBox()
        self.category.addItem(self.tr("（请选择）"), "")
        for entry in categories:
            self.category.addItem(f"{entry['code']}类 — {entry['description']}", entry["code"])
        self.parent_unit = QComboBox()
        self.parent_unit.setEditable(True)
        self.parent_unit.addItem("")
        self.parent_unit.addItems(parents)
        self.parent_unit.lineEdit().setPlaceholderText(self.tr("无上级单位"))
        self.parent_unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        fit_popup(self.parent_unit)
        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {REFUSED_COLOR}")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("「{0}」本期立案 {1} 件，登记后参加绩效评价。").format(name, filed)))
        form.addRow(self.tr("单位类别"), self.category)
        form.addRow(self.tr("上级单位"), self.parent_unit)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict:
        return {
            "name": self.name,
            "category": combo_value(self.category),
            "parent": self.parent_unit.currentText().strip() or None,
        }

    def _check(self) -> None:
        if not combo_value(self.category):
            self.error.setText(self.tr("请选择单位类别：没有类别的单位无法排名"))
            return
        self.error.setText(self.tr("正在保存…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.submitted.emit(self.values())

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)


class UnplacedBand(QFrame):
    """The units with cases this period that are not in the registry, so not scored: named, each with a
    登记到名册 button (the first MAX_SHOWN; the rest are named in the text)."""

    register = Signal(str, int)  # unit, filed
    MAX_SHOWN = 6

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unplacedBand")
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.buttons_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text)
        layout.addLayout(self.buttons_row)
        self.buttons: list[QPushButton] = []
        self.setVisible(False)

    def show_units(self, units: list[dict]) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        while self.buttons_row.count():
            self.buttons_row.takeAt(0)
        self.setVisible(bool(units))
        if not units:
            return
        names = "、".join(self.tr("{0}（立案 {1} 件）").format(u["unit"], u["filed"]) for u in units)
        text = self.tr("{0} 个处置单位不在单位名录中，本期未参加评价：{1}。登记到名册后即参加评价。")
        self.text.setText(text.format(len(units), names))
        for unit in units[: self.MAX_SHOWN]:
            button = QPushButton(self.tr("登记「{0}」到名册…").format(unit["unit"]))
            button.clicked.connect(lambda _c=False, u=unit: self.register.emit(u["unit"], int(u["filed"])))
            self.buttons.append(button)
            self.buttons_row.addWidget(button)
        self.buttons_row.addStretch(1)


class ScoresPage(Page):
    title = "绩效评价"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("绩效评价")
        self.doc: dict | None = None
        self.stats: dict | None = None
        self.selected_unit: str | None = None
        self._suppress = False  # set while this page announces its own write: it is fresh, not stale
        self.rules = QComboBox()
        self.rules.setMinimumContentsLength(12)
        self.rules.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # the rule set's label whole
        self.rules.currentIndexChanged.connect(self._rules_changed)
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.rules_note = QLabel("")
        self.rules_note.setObjectName("banner")
        self.rules_note.setVisible(False)
        self.unplaced = UnplacedBand()
        self.unplaced.register.connect(self.open_register_dialog)
        self.adjust = QPushButton(self.tr("记录人工加减分…"))
        self.adjust.clicked.connect(self.open_adjustment_dialog)
        self.reverse = QPushButton(self.tr("冲销选中的调整"))
        self.reverse.clicked.connect(self._reverse_selected)
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        self.explain_title = QLabel(self.tr("选择一个单位查看得分说明"))
        self.explain_title.setObjectName("sectionHeading")
        self.explain_title.setWordWrap(True)
        self.explain = QTreeWidget()
        self.explain.setHeaderLabels([self.tr("扣分项 / 案件"), self.tr("分值"), self.tr("说明")])
        self.explain.setColumnWidth(0, 200)
        self.explain.setColumnWidth(1, 64)
        self.explain.itemDoubleClicked.connect(self._explain_clicked)
        self.explain.currentItemChanged.connect(self._line_selected)
        self.line_detail = QLabel("")
        self.line_detail.setWordWrap(True)
        self.line_detail.setObjectName("note")
        self.line_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.adjustments = QTreeWidget()
        self.adjustments.setHeaderLabels([self.tr("调整记录"), self.tr("分值"), self.tr("原因")])
        self.adjustments.setMaximumHeight(150)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel(self.tr("评分规则")))
        top.addWidget(self.rules)
        top.addWidget(self.adjust)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.explain_title)
        rl.addWidget(self.explain, 1)
        rl.addWidget(self.line_detail)
        rl.addWidget(self.adjustments)
        rev = QHBoxLayout()
        rev.addStretch(1)
        rev.addWidget(self.reverse)
        rl.addLayout(rev)
        split = QSplitter()
        split.addWidget(self.tabs)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 480])
        split.setChildrenCollapsible(False)
        self.tabs.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rules_note)
        layout.addWidget(self.unplaced)
        layout.addWidget(split, 1)
        self._rules_loaded = False

    # ------------------------------------------------------------ data
    def rule_set(self) -> str | None:
        return combo_value(self.rules) or None

    def reload(self) -> None:
        if not self._rules_loaded:
            self._rules_loaded = True
            self.ctx.run(rule_set_names, on_done=self._fill_rules, on_error=self.fail)
        generation = self.next_generation()
        self.heading.setText(self.tr("{0} 处置单位绩效评价（计算中…）").format(self.ctx.period.label))
        self.ctx.run(
            scores_data,
            self.ctx.period,
            self.rule_set(),
            on_done=lambda r: self.current(generation) and self.show_scores(*r),
            on_error=self.fail,
        )

    def _fill_rules(self, result: tuple[list[tuple[str, str]], str]) -> None:
        names, default = result
        self.rules.blockSignals(True)
        current = combo_value(self.rules)
        self.rules.clear()
        for name, label in names:
            self.rules.addItem(label, name)
        if current:
            self.rules.setCurrentIndex(max(0, self.rules.findData(current)))
        else:
            self.rules.setCurrentIndex(max(0, self.rules.findData(default)))
        self.rules.blockSignals(False)

    def _rules_changed(self) -> None:
        if self.ctx.period is not None and self.ctx.tasks.is_ready:
            self.refresh()

    def show_scores(self, doc: dict, stats: dict) -> None:
        self.doc, self.stats = doc, stats
        self.ctx.last_scores = doc
        rs = doc.get("rule_set") or {}
        self.heading.setText(
            self.tr("{0} 处置单位绩效评价 · {1}").format(doc.get("period"), rs.get("label") or rs.get("name"))
        )
        self.rules_note.setText(rs.get("note") or "")  # an example rule set says it is not the city's 细则
        self.rules_note.setVisible(bool(rs.get("note")))
        self.unplaced.show_units(doc.get("unplaced_units") or [])
        own = {u["unit"]: u for u in stats.get("units", [])}
        current_tab = self.tabs.currentIndex()
        self.tabs.clear()
        self.tables = {}
        by_cat: dict[str, list[dict]] = {}
        for unit in doc.get("units", []):
            by_cat.setdefault(unit.get("category") or "?", []).append(unit)
        for category, units in by_cat.items():
            table = self._table(units, own, set(doc.get("unavailable") or ()))
            self.tables[category] = table
            self.tabs.addTab(table, self.tr("{0}类（{1}）").format(category, len(units)))
        if 0 <= current_tab < self.tabs.count():
            self.tabs.setCurrentIndex(current_tab)
        if self.selected_unit:
            self.select_unit(self.selected_unit)
        self.ctx.run(month_adjustments, doc.get("period"), on_done=self._fill_adjustments, on_error=lambda e: None)

    def _table(self, units: list[dict], own: dict[str, dict], unavailable: set[str]) -> QTableWidget:
        """One category's table; a figure the data cannot give (a missing column) reads —, never 0."""
        table = QTableWidget(len(units), len(COLUMNS))
        table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, unit in enumerate(units):
            stats = unit.get("indicators") or own.get(unit["unit"], {})
            change = unit.get("rank_change")
            change_text = (
                "—" if change is None else (f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "0"))
            )
            notes = []
            if unit.get("no_cases"):
                notes.append(self.tr("无案件"))
            if unit.get("scope") or unit.get("evaluation_scope"):
                notes.append(unit.get("scope") or unit.get("evaluation_scope"))
            cells = [
                rank_text(unit.get("rank")),
                unit["unit"],
                str(unit.get("score", "")),
                change_text,
                _pct(stats.get("on_time_closure_rate")),
                _pct(stats.get("closure_rate")),
                _pct(stats.get("disposal_rate")),
                _count(stats, "need_dispose" if "need_dispose" in stats else "filed", unavailable),
                _count(stats, "rework", unavailable),
                "；".join(notes),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 2, 3, 4, 5, 6, 7, 8):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 2:
                    color = grade_color(to_decimal(unit.get("score")))
                    if color:
                        item.setBackground(QBrush(color))
                elif c in (4, 5, 6):
                    rate = to_decimal(text.rstrip("%")) if text != "—" else None
                    color = grade_color(rate)
                    if color is not None and rate is not None and rate < 99:
                        item.setBackground(QBrush(color))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(lambda t=table: self._selection_changed(t))
        return table

    def _fill_adjustments(self, entries: list) -> None:
        self.adjustments.clear()
        for e in entries:
            item = QTreeWidgetItem([f"#{e.id} {e.unit}", f"{e.points:+}", e.reason])
            item.setData(0, Qt.ItemDataRole.UserRole, e.id)
            item.setToolTip(2, e.describe())
            self.adjustments.addTopLevelItem(item)
        if entries:  # "#1 蓝田开发区管委会", not "#1 蓝田开…"; an empty list keeps the default widths
            self.adjustments.resizeColumnToContents(0)
            self.adjustments.resizeColumnToContents(1)

    # ------------------------------------------------------------ explanation
    def _selection_changed(self, table: QTableWidget) -> None:
        rows = table.selectionModel().selectedRows()
        if rows:
            self.show_explanation(table.item(rows[0].row(), 1).text())

    def unit_entry(self, name: str) -> dict | None:
        return next((u for u in (self.doc or {}).get("units", []) if u["unit"] == name), None)

    def select_unit(self, name: str) -> bool:
        for index, (_cat, table) in enumerate(self.tables.items()):
            for r in range(table.rowCount()):
                if table.item(r, 1).text() == name:
                    self.tabs.setCurrentIndex(index)
                    table.selectRow(r)
                    self.show_explanation(name)
                    return True
        return False

    def show_explanation(self, name: str) -> None:
        self.selected_unit = name
        entry = self.unit_entry(name)
        self.explain.clear()
        if entry is None:
            return
        place = self.tr("第 {0} 名").format(entry["rank"]) if entry.get("rank") is not None else self.tr("不参加排名")
        self.explain_title.setText(
            self.tr("{0}：{1} 分，{2}类{3}").format(name, entry.get("score"), entry.get("category"), place)
        )
        for line in entry.get("lines", []):
            cases = line.get("cases") or []
            item = QTreeWidgetItem([line.get("rule", ""), str(line.get("points", "")), line.get("detail", "")])
            item.setToolTip(2, line.get("detail", ""))
            item.setData(0, Qt.ItemDataRole.UserRole, list(cases))
            if cases:
                item.setText(0, self.tr("{0}（{1} 件）").format(line.get("rule", ""), len(cases)))
            for case_no in cases[:500]:
                child = QTreeWidgetItem([case_no, "", self.tr("双击查看案件")])
                child.setData(0, Qt.ItemDataRole.UserRole, case_no)
                item.addChild(child)
            self.explain.addTopLevelItem(item)
        self.line_detail.setText(self.tr("双击案件编号查看案件；双击扣分项列出其全部案件。"))

    def _line_selected(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        """The full text of a deduction line (the tree cuts long details)."""
        if item is None:
            self.line_detail.setText("")
            return
        top = item.parent() or item
        self.line_detail.setText(f"{top.text(0)}　{top.text(1)}：{top.toolTip(2) or top.text(2)}")

    def explanation_lines(self) -> list[tuple[str, str, str]]:
        out = []
        for i in range(self.explain.topLevelItemCount()):
            item = self.explain.topLevelItem(i)
            out.append((item.text(0), item.text(1), item.text(2)))
        return out

    def _explain_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(data, str):
            pages = self.window().findChildren(Page)
            cases = next((p for p in pages if hasattr(p, "open_case")), None)
            if cases is not None and self.ctx.ro_db is not None:
                cases.open_case(data)
        elif data:
            caption = f"{self.selected_unit} · {item.text(0)}"
            self.ctx.open_cases.emit(browse.CaseQuery(numbers=tuple(data)), caption)

    # ------------------------------------------------------------ 登记到名册
    def open_register_dialog(self, name: str, filed: int) -> RegisterUnitDialog:
        doc = self.doc or {}
        parents = [u["unit"] for u in doc.get("units", [])]
        dialog = RegisterUnitDialog(name, filed, doc.get("categories") or [], parents, self)
        dialog.submitted.connect(lambda values: self.register_unit(values, dialog))
        dialog.open()
        return dialog

    def register_unit(self, values: dict, dialog: RegisterUnitDialog | None = None) -> None:
        from ui.worker import error_text

        generation = self.next_generation()

        def done(result) -> None:
            if dialog is not None:
                dialog.accept()
            self.selected_unit = values["name"]
            self._after_write(generation, result)

        def failed(exc: BaseException) -> None:
            if dialog is not None and dialog.isVisible():
                dialog.refused(error_text(exc))
            else:
                self.fail(exc)

        self.ctx.run(
            register_and_rescore,
            self.ctx.period,
            self.rule_set(),
            values["name"],
            values["category"],
            values["parent"],
            on_done=done,
            on_error=failed,
        )

    # ------------------------------------------------------------ adjustments
    def open_adjustment_dialog(self) -> AdjustmentDialog:
        units = [u["unit"] for u in (self.doc or {}).get("units", [])]
        month = self.ctx.period.label if self.ctx.period and self.ctx.period.kind == "month" else ""
        dialog = AdjustmentDialog(units, self.selected_unit, month, self)
        dialog.submitted.connect(lambda values: self.record(values, dialog))
        dialog.open()
        return dialog

    def record(self, values: dict, dialog: AdjustmentDialog | None = None) -> None:
        from ui.worker import error_text

        generation = self.next_generation()

        def done(result) -> None:
            if dialog is not None:
                dialog.accept()
            self._after_write(generation, result)

        def failed(exc: BaseException) -> None:
            if dialog is not None and dialog.isVisible():
                dialog.refused(error_text(exc))
            else:
                self.fail(exc)

        self.ctx.run(
            record_adjustment,
            self.ctx.period,
            self.rule_set(),
            on_done=done,
            on_error=failed,
            **values,
        )

    def _reverse_selected(self) -> None:
        item = self.adjustments.currentItem()
        if item is None:
            return
        from ui import dialogs

        reason = dialogs.text_input(
            self,
            self.tr("冲销调整"),
            self.tr("冲销调整 {0}：原记录保留，另记一条相反的分值。\n冲销原因：").format(item.text(0)),
        )
        if not reason:
            return
        generation = self.next_generation()
        self.ctx.run(
            reverse_and_rescore,
            self.ctx.period,
            self.rule_set(),
            item.data(0, Qt.ItemDataRole.UserRole),
            reason,
            on_done=lambda r: self._after_write(generation, r),
            on_error=self.fail,
        )

    def _after_write(self, generation: int, result: tuple[dict, dict]) -> None:
        if self.current(generation):
            self.show_scores(*result)
        self._suppress = True
        try:
            self.ctx.data_changed.emit()  # other pages recompute when shown; this one is fresh
        finally:
            self._suppress = False

    def mark_stale(self) -> None:
        if not self._suppress:
            super().mark_stale()


def _count(stats: dict, key: str, unavailable: set[str]) -> str:
    if not stats:
        return ""
    return UNAVAILABLE_MARK if key in unavailable else str(stats.get(key, ""))


def _pct(value) -> str:
    return "—" if value in (None, "") else f"{value}%"
