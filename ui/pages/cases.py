"""案件查询: filters and search over the whole store, a lazy table, double-click for the case's record."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from models import browse
from models.indicators import FIGURE_LABELS, LIGHT_FIGURES
from ui.case_detail import CaseDetailDialog
from ui.case_model import CaseTableModel
from ui.pages.base import AppContext, Page
from ui.widgets import combo_value, fit_popup

LIGHTS = (("", "全部"), *((figure, FIGURE_LABELS[figure]) for figure in LIGHT_FIGURES))


def _filter_choices(db) -> dict[str, list[str]]:
    """Worker job: the values each filter combo offers."""
    return {column: browse.distinct_values(db, column) for column in ("unit", "minor", "stage")}


class CasesPage(Page):
    title = "案件查询"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("案件查询")
        self.model = CaseTableModel(self)
        self.drill: browse.CaseQuery | None = None
        self.use_period = QCheckBox(self.tr("按本期"))
        self.use_period.setChecked(True)
        self.date_field = QComboBox()
        for value, text in (("filed_at", "立案时间"), ("reported_at", "上报时间")):
            self.date_field.addItem(self.tr(text), value)
        self.unit = self._combo()
        self.subunits = QCheckBox(self.tr("含下属单位"))
        self.subunits.setToolTip(self.tr("连同名册中该单位的下属单位（及其别名）的案件，与绩效评价的口径一致"))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部类型"), "")
        self.kind.addItem(self.tr("部件"), "部件")
        self.kind.addItem(self.tr("事件"), "事件")
        self.minor = self._combo()
        self.stage = self._combo()
        self.light = QComboBox()
        for value, text in LIGHTS:
            self.light.addItem(self.tr(text), value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("案件编号、地址或描述"))
        self.search.setClearButtonEnabled(True)
        self.go = QPushButton(self.tr("查询"))
        self.reset = QPushButton(self.tr("清除条件"))
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setVisible(False)
        self.count = QLabel("")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.doubleClicked.connect(self._open_case)
        for column, width in enumerate((120, 70, 110, 170, 135, 135, 135, 135, 135, 80, 200, 260)):
            self.table.setColumnWidth(column, width)

        row1 = QHBoxLayout()
        for label, w in (
            (None, self.use_period),
            (None, self.date_field),
            (self.tr("单位"), self.unit),
            (None, self.subunits),
            (None, self.kind),
            (self.tr("小类"), self.minor),
            (self.tr("阶段"), self.stage),
            (self.tr("亮灯"), self.light),
        ):
            if label:
                row1.addWidget(QLabel(label))
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.search, 1)
        row2.addWidget(self.go)
        row2.addWidget(self.reset)
        row2.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.go.clicked.connect(self.apply_filters)
        self.reset.clicked.connect(self._reset)
        self._choices_loaded = False

    def _combo(self) -> QComboBox:
        """An editable filter combo: type part of a name (the list narrows to names containing it) or pick
        one; Enter applies the filters. A typed name is never added to the list."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMinimumContentsLength(8)
        combo.addItem("")
        combo.lineEdit().setPlaceholderText(self.tr("全部"))
        combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        return combo

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter in any filter (the search box, a drop-down, a check box) applies the filters, once: each of
        them passes Enter on to the page (a line edit's returnPressed would come on top)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply_filters()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ refresh
    def reload(self) -> None:
        if not self._choices_loaded:
            self.ctx.run(_filter_choices, on_done=self._fill_choices, on_error=self.fail)
        if self.drill is None:
            self.apply_filters()

    def _fill_choices(self, choices: dict[str, list[str]]) -> None:
        self._choices_loaded = True
        for column, combo in (("unit", self.unit), ("minor", self.minor), ("stage", self.stage)):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("")
            combo.addItems(choices.get(column, []))
            combo.setCurrentText(text)
            combo.blockSignals(False)
            fit_popup(combo)

    def mark_stale(self) -> None:
        self._choices_loaded = False
        super().mark_stale()

    def current_query(self) -> browse.CaseQuery:
        unit = self.unit.currentText().strip() or None
        units: tuple[str, ...] = ()
        if unit and self.subunits.isChecked() and self.ctx.ro_db is not None:
            from models.drilldown import unit_names  # sqlite_utils and the indicators: not at start-up

            unit, units = None, tuple(unit_names(self.ctx.ro_db, unit, with_subunits=True))
        return browse.CaseQuery(
            period=self.ctx.period if self.use_period.isChecked() else None,
            date_field=combo_value(self.date_field),
            unit=unit,
            units=units,
            kind=combo_value(self.kind) or None,
            minor=self.minor.currentText().strip() or None,
            stage=self.stage.currentText().strip() or None,
            search=self.search.text().strip() or None,
        )

    def apply_filters(self) -> None:
        """Run the filters: a plain query reads lazily on the UI thread; a light filter asks the worker."""
        self.drill = None
        self.banner.setVisible(False)
        query = self.current_query()
        figure = combo_value(self.light)
        if figure and self.ctx.period is not None:
            generation = self.next_generation()
            self.count.setText(self.tr("计算亮灯…"))
            self.ctx.run(
                browse.figure_numbers,
                self.ctx.period,
                figure,
                query,
                on_done=lambda numbers: self.current(generation) and self._show(replace(query, numbers=tuple(numbers))),
                on_error=self.fail,
            )
            return
        if not browse.reads_lazily(query):
            # a text search (or filters over all periods) may scan the table: find the numbers on the worker
            generation = self.next_generation()
            self.count.setText(self.tr("查找中…"))
            self.ctx.run(
                browse.matching_numbers,
                query,
                on_done=lambda numbers: self.current(generation) and self._show(replace(query, numbers=tuple(numbers))),
                on_error=self.fail,
            )
            return
        self._show(query)

    def show_drilldown(self, query: browse.CaseQuery, caption: str) -> None:
        """The cases behind a figure clicked elsewhere (tile, bar, point, score line)."""
        self.next_generation()
        if not self._choices_loaded:  # reload() would have, had the page been opened the usual way
            self.ctx.run(_filter_choices, on_done=self._fill_choices, on_error=self.fail)
        self.drill = query
        self.banner.setText(self.tr("来自：{0}（点“清除条件”回到筛选）").format(caption))
        self.banner.setVisible(True)
        self._stale = False
        self._show(query)

    def _show(self, query: browse.CaseQuery) -> None:
        if self.ctx.ro_db is None:
            return
        self.model.set_query(self.ctx.ro_db, query)
        self.table.scrollToTop()  # a new list starts at its first row, not where the previous one was scrolled
        if query.numbers is not None:
            self.count.setText(self.tr("共 {0} 件").format(len(query.numbers)))
            return
        generation = self.next_generation()
        self.count.setText(self.tr("计数中…"))
        self.ctx.run(
            browse.count_cases,
            query,
            on_done=lambda n: self.current(generation) and self.count.setText(self.tr("共 {0} 件").format(n)),
            on_error=self.fail,
        )

    def _reset(self) -> None:
        for combo in (self.unit, self.minor, self.stage):
            combo.setCurrentText("")
        self.subunits.setChecked(False)
        self.kind.setCurrentIndex(0)
        self.light.setCurrentIndex(0)
        self.search.clear()
        self.use_period.setChecked(True)
        self.apply_filters()

    def _open_case(self, index) -> None:
        case_no = self.model.case_no(index.row())
        if case_no and self.ctx.ro_db is not None:
            self.open_case(case_no)

    def open_case(self, case_no: str) -> CaseDetailDialog:
        dialog = CaseDetailDialog(self.ctx.ro_db, case_no, self)
        dialog.show()
        return dialog
