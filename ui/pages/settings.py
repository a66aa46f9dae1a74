"""设置: unit registry, rule sets, header aliases, time limits, holiday overrides, counting definitions, 通报.

Each tab edits a copy in a table; 保存 sends it to a core function on the worker, which validates it and
writes it in one transaction (a refused edit writes nothing and says which row is wrong).
"""

from __future__ import annotations

from dataclasses import astuple, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import registry
from models.labels import EXAMPLE_RULES_NOTE, FAMILY_LABELS
from models.registry import UnitEdit
from ui.pages.base import AppContext, Page
from ui.pages.bulletin_settings import BulletinSettingsTab, save_bulletin_settings
from ui.pages.lw.rules_tab import LwRulesTab
from ui.streams import STREAMS
from ui.widgets import REFUSED_COLOR, combo_value

UNIT_COLUMNS = ("单位名称", "类别", "上级单位", "区域", "评价范围", "别名（逗号分隔，只增不删）")


def load_settings(db) -> dict:
    """Worker job: everything the settings tabs show."""
    from models import reference, registry
    from models.bulletin_settings import setting_items
    from models.definitions import load_definitions
    from models.lw_settings import load_lw_settings, lw_settings_from_db
    from models.rule_files import chosen_rule_set, list_rule_sets

    return {
        "units": registry.list_units(db),
        "unknown_units": registry.unknown_units(db),
        "categories": registry.categories(db),
        "rule_sets": list_rule_sets(),
        "default_rules": chosen_rule_set(db),
        "header_fields": {name: reference.header_fields(db, name) for name, _label in STREAMS},
        "aliases": {name: reference.list_header_aliases(db, name) for name, _label in STREAMS},
        "limits": reference.list_time_limits(db),
        "holidays": reference.list_holiday_overrides(db),
        "definitions": load_definitions(db),
        "bulletin": setting_items(db),
        "lw_rules": (lw_settings_from_db(db), load_lw_settings()),
    }


def save_table(db, kind: str, rows: list, stream: str | None = None) -> int:
    """Save one table; the header aliases are those of `stream` (imports.stream)."""
    from models import reference

    if kind == "aliases":
        return reference.save_header_aliases(db, rows, stream or "cases")
    return {"limits": reference.save_time_limits, "holidays": reference.save_holiday_overrides}[kind](db, rows)


def copy_rules(db, name: str, new_name: str) -> str:
    from models.rule_files import copy_rule_set

    return str(copy_rule_set(name, new_name))


def save_definitions_job(db, defs) -> None:
    from models.definitions import save_definitions

    save_definitions(db, defs)


def _table(headers: tuple[str, ...] | list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    # room for a typed date (2021-10-09) or a short code in a column that was sized on an empty table
    table.horizontalHeader().setMinimumSectionSize(table.fontMetrics().horizontalAdvance("2021-10-09") + 16)
    table.setAlternatingRowColors(True)
    return table


def _set_rows(table: QTableWidget, rows: list[list] | list[tuple], editable: bool = True) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if not editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    # not the last column: sized to its contents, it would no longer stretch to the table's edge
    for column in range(table.columnCount() - 1):
        table.resizeColumnToContents(column)


def _cells(table: QTableWidget) -> list[list[str]]:
    out = []
    for r in range(table.rowCount()):
        out.append([(table.item(r, c).text().strip() if table.item(r, c) else "") for c in range(table.columnCount())])
    return out


class _EditTab(QWidget):
    """A table with 添加行 / 删除行 / 保存 buttons and a status line."""

    def __init__(self, headers, note: str, parent=None, *, can_add: bool = True):
        super().__init__(parent)
        self.table = _table(headers)
        self.add = QPushButton(self.tr("添加行"))
        self.delete = QPushButton(self.tr("删除所选行"))
        self.save = QPushButton(self.tr("保存"))
        self.save.setObjectName("primary")
        self.status = QLabel(note)
        self.status.setWordWrap(True)
        self.add.clicked.connect(self._add_row)
        self.delete.clicked.connect(self._delete_rows)
        buttons = QHBoxLayout()
        if can_add:
            buttons.addWidget(self.add)
            buttons.addWidget(self.delete)
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _add_row(self) -> None:
        self.table.insertRow(self.table.rowCount())
        self.table.scrollToBottom()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)

    def _delete_rows(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)


class SettingsPage(Page):
    title = "设置"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("设置")
        self.data: dict = {}
        self.units = _EditTab(
            [self.tr(h) for h in UNIT_COLUMNS],
            self.tr(
                "类别填 A/B/C；上级单位须已在名录中；评价范围非空（如“含下属单位的绩效评价”）时按其下属单位合并评分。"
            ),
        )
        self.unknown = QLabel("")
        self.unknown.setWordWrap(True)
        self.units.layout().insertWidget(1, self.unknown)
        self.rules = _EditTab(
            [self.tr(h) for h in ("名称", "版本", "类型", "说明", "文件")],
            self.tr("评分规则是数据文件：复制内置规则到用户规则目录后可编辑；在“绩效评价”页选择使用哪一套。"),
            can_add=False,
        )
        self.rules.save.setVisible(False)
        self.rules_default = QPushButton(self.tr("设为默认规则"))
        self.rules_copy = QPushButton(self.tr("复制为新规则…"))
        self.rules_folder = QPushButton(self.tr("打开规则文件夹"))
        rule_buttons = self.rules.layout().itemAt(self.rules.layout().count() - 1).layout()
        for button in (self.rules_default, self.rules_copy, self.rules_folder):
            rule_buttons.insertWidget(0, button)
        self.rules_default.clicked.connect(self.make_default_rules)
        self.rules_copy.clicked.connect(self.copy_selected_rules)
        self.rules_folder.clicked.connect(self._open_rules_folder)
        self.aliases = _EditTab(
            [self.tr(h) for h in ("字段", "表头别名", "优先级")],
            self.tr("导入时按优先级（小者优先）在表头中查找这些文字；一个表头只能对应一个字段。"),
        )
        self.alias_stream = QComboBox()  # whose aliases the table shows: each import type has its own
        for name, label in STREAMS:
            self.alias_stream.addItem(self.tr(label), name)
        self.alias_stream.currentIndexChanged.connect(lambda _i: self.data and self._show_aliases())
        stream_row = QHBoxLayout()
        stream_row.addWidget(QLabel(self.tr("导入类型")))
        stream_row.addWidget(self.alias_stream)
        stream_row.addStretch(1)
        self.aliases.layout().insertLayout(1, stream_row)
        self.limits = _EditTab(
            [self.tr(h) for h in ("问题类型", "小类", "时限", "单位")],
            self.tr(
                "问题类型：部件/事件/*；小类：名称或 *（该类型默认）；单位：工作日、工作时或自然小时。"
                "修改只影响之后导入的案件。"
            ),
        )
        self.holidays = _EditTab(
            [self.tr(h) for h in ("日期", "上班", "说明")],
            self.tr("覆盖法定节假日日历：日期 YYYY-MM-DD；上班填 是/否（调休上班填“是”）。"),
        )
        self.defs_tab = QWidget()
        self.defs_form = QFormLayout(self.defs_tab)
        self.def_due = QComboBox()
        self.def_due.addItem(self.tr("立案数（通报口径）"), "filed")
        self.def_due.addItem(self.tr("处置数 + 超期未处置数（国标口径）"), "disposed_plus_overdue_open")
        self.def_rework = QComboBox()
        self.def_rework.addItem(self.tr("处置数"), "disposed")
        self.def_rework.addItem(self.tr("应结案数"), "due_to_close")
        self.def_deferred = QCheckBox(self.tr("应结案数扣除缓办/挂账案件"))
        self.def_cutoff = QComboBox()
        self.def_cutoff.addItem(self.tr("导出中的全部时间（默认）"), "none")
        self.def_cutoff.addItem(self.tr("只计到统计期末"), "period_end")
        self.def_parts = QSpinBox()
        self.def_parts.setRange(1, 30)
        self.def_events = QSpinBox()
        self.def_events.setRange(1, 30)
        self.defs_save = QPushButton(self.tr("保存口径"))
        self.defs_save.setObjectName("primary")
        self.defs_status = QLabel("")
        self.defs_form.addRow(self.tr("应结案数口径"), self.def_due)
        self.defs_form.addRow(self.tr("返工率分母"), self.def_rework)
        self.defs_form.addRow("", self.def_deferred)
        self.defs_form.addRow(self.tr("处置/结案截止口径"), self.def_cutoff)
        self.defs_form.addRow(self.tr("高发部件小类个数"), self.def_parts)
        self.defs_form.addRow(self.tr("高发事件小类个数"), self.def_events)
        self.defs_form.addRow(self.defs_save, self.defs_status)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.units, self.tr("单位名录"))
        self.tabs.addTab(self.rules, self.tr("评分规则"))
        self.tabs.addTab(self.aliases, self.tr("表头别名"))
        self.tabs.addTab(self.limits, self.tr("办理时限"))
        self.tabs.addTab(self.holidays, self.tr("节假日调整"))
        self.tabs.addTab(self.defs_tab, self.tr("统计口径"))
        self.bulletin = BulletinSettingsTab()
        self.tabs.addTab(self.bulletin, self.tr("通报"))
        self.bulletin.save_requested.connect(self.save_bulletin)
        self.lw_rules = LwRulesTab(ctx)
        self.tabs.addTab(self.lw_rules, self.tr("两违规则"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.units.save.clicked.connect(self.save_units)
        self.aliases.save.clicked.connect(lambda: self.save("aliases"))
        self.limits.save.clicked.connect(lambda: self.save("limits"))
        self.holidays.save.clicked.connect(lambda: self.save("holidays"))
        self.defs_save.clicked.connect(self.save_definitions)

    def refresh(self) -> None:  # settings do not depend on the period
        if self.ctx.tasks.is_ready:
            self._stale = False
            self.ctx.run(load_settings, on_done=self.show_settings, on_error=self.fail)

    def show_settings(self, data: dict) -> None:
        self.data = data
        _set_rows(
            self.units.table,
            [
                [u.name, u.category, u.parent, u.district, u.evaluation_scope, "，".join(u.aliases)]
                for u in data["units"]
            ],
        )
        for r in range(self.units.table.rowCount()):  # the name is the key: rename = new unit
            item = self.units.table.item(r, 0)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        unknown = data.get("unknown_units") or []
        self.unknown.setText(
            self.tr("未登记的单位（添加一行并填类别即可归类）：{0}").format(
                "、".join(f"{n}（{c} 件）" for n, c in unknown[:20])
            )
            if unknown
            else ""
        )
        default = data.get("default_rules")
        _set_rows(
            self.rules.table,
            [
                [
                    (r.display_name or r.name) + (self.tr("（默认）") if r.name == default else ""),
                    r.version,
                    FAMILY_LABELS.get(r.family, r.family),
                    "；".join(t for t in (EXAMPLE_RULES_NOTE if r.example else "", r.description) if t),
                    str(r.path) if r.path else "",
                ]
                for r in data["rule_sets"]
            ],
            editable=False,
        )
        self._show_aliases()
        _set_rows(self.limits.table, [astuple(t) for t in data["limits"]])
        _set_rows(self.holidays.table, [[h.day, "是" if h.is_workday else "否", h.note] for h in data["holidays"]])
        d = data["definitions"]
        for combo, value in (
            (self.def_due, d.due_to_close),
            (self.def_rework, d.rework_rate_base),
            (self.def_cutoff, d.cutoff),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.def_deferred.setChecked(bool(d.exclude_deferred))
        self.def_parts.setValue(int(d.top_parts))
        self.def_events.setValue(int(d.top_events))
        self.bulletin.show_items(data["bulletin"])
        self.lw_rules.show_rules(*data["lw_rules"])

    def _show_aliases(self) -> None:
        """The chosen import type's header aliases, 字段 in the office's words (案件编号, not case_no);
        rows_for maps them back."""
        stream = combo_value(self.alias_stream)
        labels = {f: label for f, label, _r in self.data["header_fields"][stream]}
        rows = [[labels.get(a.field, a.field), a.alias, a.priority] for a in self.data["aliases"][stream]]
        _set_rows(self.aliases.table, rows)

    # ------------------------------------------------------------ rule sets
    def selected_rules(self) -> str | None:
        row = self.rules.table.currentRow()
        if row < 0 or row >= len(self.data.get("rule_sets", [])):
            return None
        return self.data["rule_sets"][row].name

    def make_default_rules(self) -> None:
        from models.rule_files import choose_rule_set

        name = self.selected_rules()
        if name:
            self.ctx.run(
                choose_rule_set,
                name,
                on_done=lambda n: self._saved(self.rules, 1),
                on_error=lambda e: self._refused(self.rules, e),
            )

    def copy_selected_rules(self, new_name: str | None = None) -> None:
        from ui import dialogs

        name = self.selected_rules()
        if not name:
            return
        new_name = new_name or dialogs.text_input(self, self.tr("复制规则"), self.tr("新规则名称"), f"{name}_副本")
        if new_name:
            self.ctx.run(
                copy_rules,
                name,
                new_name,
                on_done=lambda path: (
                    self.rules.status.setText(self.tr("已复制到 {0}，用文本编辑器修改后重新打开本页").format(path)),
                    self.refresh(),
                ),
                on_error=lambda e: self._refused(self.rules, e),
            )

    def _open_rules_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from models.rule_files import user_rules_dir

        folder = user_rules_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------ saving
    def _saved(self, tab: _EditTab, n: int) -> None:
        tab.status.setText(self.tr("已保存（{0} 项）。").format(n))
        self.ctx.data_changed.emit()

    def _refused(self, tab: _EditTab, exc: BaseException) -> None:
        from ui.worker import error_text

        tab.status.setText(self.tr("未保存：{0}").format(error_text(exc)))
        tab.status.setStyleSheet(f"color: {REFUSED_COLOR}")

    def save_units(self) -> None:
        edits = []
        for name, category, parent, district, scope, aliases in _cells(self.units.table):
            if name:
                split = tuple(a.strip() for a in aliases.replace(",", "，").split("，") if a.strip())
                edits.append(UnitEdit(name, category or None, parent or None, district or None, scope or None, split))
        self.units.status.setStyleSheet("")
        self.ctx.run(
            registry.save_units,
            edits,
            on_done=lambda n: self._saved(self.units, n),
            on_error=lambda e: self._refused(self.units, e),
        )

    def rows_for(self, kind: str) -> list:
        from models.reference import HeaderAlias, HolidayOverride, TimeLimit

        if kind == "aliases":
            stream = combo_value(self.alias_stream)
            fields = {label: f for f, label, _r in self.data.get("header_fields", {}).get(stream, [])}
            out = []
            for label, alias, priority in _cells(self.aliases.table):
                field = fields.get(label, label)  # a field's word, or its code as typed
                try:
                    number = int(priority or 0)
                except ValueError:
                    number = 0
                out.append(HeaderAlias(field, alias, number))
            return out
        if kind == "limits":
            return [TimeLimit(k, m, a, u) for k, m, a, u in _cells(self.limits.table)]
        return [
            HolidayOverride(day, work in ("是", "1", "上班", "true", "True", "Y", "y"), note)
            for day, work, note in _cells(self.holidays.table)
        ]

    def save(self, kind: str) -> None:
        tab = {"aliases": self.aliases, "limits": self.limits, "holidays": self.holidays}[kind]
        tab.status.setStyleSheet("")
        self.ctx.run(
            save_table,
            kind,
            self.rows_for(kind),
            combo_value(self.alias_stream) if kind == "aliases" else None,
            on_done=lambda n: self._saved(tab, n),
            on_error=lambda e: self._refused(tab, e),
        )

    def save_definitions(self) -> None:
        current = self.data.get("definitions")
        if current is None:
            return
        defs = replace(
            current,
            due_to_close=combo_value(self.def_due),
            rework_rate_base=combo_value(self.def_rework),
            exclude_deferred=self.def_deferred.isChecked(),
            cutoff=combo_value(self.def_cutoff),
            top_parts=self.def_parts.value(),
            top_events=self.def_events.value(),
        )
        self.ctx.run(
            save_definitions_job,
            defs,
            on_done=lambda _r: (self.defs_status.setText(self.tr("已保存")), self.ctx.data_changed.emit()),
            on_error=lambda e: self.defs_status.setText(str(e)),
        )

    def save_bulletin(self, values: dict[str, str]) -> None:
        from ui.worker import error_text

        if not values:
            self.bulletin.saved(0)
            return

        def saved(count: int) -> None:
            self.bulletin.saved(count)
            self.ctx.data_changed.emit()  # reloads this page too: the stored values become its starting point

        self.ctx.run(
            save_bulletin_settings,
            values,
            on_done=saved,
            on_error=lambda e: self.bulletin.refused(error_text(e)),
        )
