"""超期预警: open cases with green / yellow / red lights at an as-of time, grouped by unit, sortable."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
)

from exporters.file_names import export_file_name
from models.indicators import resolve_as_of
from models.overdue import LIGHT_ORDER, light_counts, used_time_text
from ui import dialogs
from ui.pages.base import AppContext, Page

LIGHT_COLORS = {"green": "#4a9a5b", "yellow": "#e0b030", "red": "#c0392b"}
LIGHT_TEXT = {"green": "绿", "yellow": "黄", "red": "红"}
COLUMNS = ("单位 / 案件编号", "小类", "处置截止时间", "超期情况", "亮灯", "严重超期")
ROWS_PER_TURN = 150  # cases put in the tree per event-loop turn, so that a turn stays short


def lights_job(db, as_of: datetime) -> list:
    from models.overdue import open_case_lights

    return open_case_lights(db, as_of)


def export_lights(db, lights: list, path, as_of: str) -> int:
    from exporters.overdue_lights import write_lights

    return write_lights(lights, path, as_of=as_of)


class SortableItem(QStandardItem):
    """Sorts by a hidden key (light order, share) rather than the shown text."""

    def __init__(self, text: str, key=None):
        super().__init__(text)
        self.setData(key if key is not None else text, Qt.ItemDataRole.UserRole + 1)
        self.setEditable(False)


class OverduePage(Page):
    title = "超期预警"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("超期预警")
        self.lights: list = []
        self.as_of = QDateTimeEdit()
        self.as_of.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.as_of.setCalendarPopup(True)
        self.apply = QPushButton(self.tr("重新计算"))
        self.export = QPushButton(self.tr("导出 Excel…"))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)  # a long summary must not widen the window's minimum width
        self.summary.setObjectName("pageHeading")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self._filling: QStandardItemModel | None = None  # the model being filled, shown when complete
        self.lights_shown = False
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole + 1)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column, width in enumerate((380, 130, 165, 130, 80, 80)):
            self.tree.setColumnWidth(column, width)
        self.tree.doubleClicked.connect(self._open_case)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(self.tr("判断时刻")))
        top.addWidget(self.as_of)
        top.addWidget(self.apply)
        top.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.apply.clicked.connect(self._recompute)
        self.export.clicked.connect(self._export)
        self._as_of_period = None
        self.lights_as_of: datetime | None = None  # the time the shown lights were judged at

    def reload(self) -> None:
        if self._as_of_period != self.ctx.period:
            self._as_of_period = self.ctx.period
            self.as_of.setDateTime(QDateTime(resolve_as_of(self.ctx.period)))  # domain.md §4: period end, or now
        self._recompute()

    def as_of_value(self) -> datetime:
        return self.as_of.dateTime().toPython().replace(microsecond=0)

    def _recompute(self) -> None:
        generation = self.next_generation()
        self.summary.setText(self.tr("计算中…"))
        as_of = self.as_of_value()

        def shown(lights: list) -> None:
            if self.current(generation):
                self.lights_as_of = as_of  # what the export states
                self.show_lights(lights)

        self.ctx.run(lights_job, as_of, on_done=shown, on_error=self.fail)

    def show_lights(self, lights: list) -> None:
        """Summarise the lights now; fill the tree a few hundred rows per event-loop turn into a fresh model
        that replaces the shown one when complete. Why: a city's open cases can number thousands, too many
        to put in the tree in one turn of the event loop."""
        self.lights = list(lights)
        groups: dict[str, list] = {}
        for light in self.lights:
            groups.setdefault(light.unit or self.tr("（未指定单位）"), []).append(light)
        totals = light_counts(self.lights)
        self.summary.setText(
            self.tr("在办 {0} 件：红灯 {1}，黄灯 {2}，绿灯 {3}，严重超期 {4}（{5} 个单位）").format(
                len(self.lights), totals["red"], totals["yellow"], totals["green"], totals["serious"], len(groups)
            )
        )
        if self._filling is not None and self._filling is not self.model:
            self._filling.deleteLater()  # an unfinished fill of older lights
        model = QStandardItemModel(0, len(COLUMNS), self)
        model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self._filling = model
        self.lights_shown = False
        self._fill_step(model, [(unit, items, None) for unit, items in groups.items()])

    def _fill_step(self, model: QStandardItemModel, pending: list) -> None:
        """Add up to ROWS_PER_TURN cases; `pending` holds (unit, its cases still to add, its row or None)."""
        if model is not self._filling:
            return  # newer lights arrived meanwhile
        budget = ROWS_PER_TURN
        while pending and budget > 0:
            unit, items, parent = pending[0]
            if parent is None:
                parent = self._unit_row(model, unit, items)
            batch, rest = items[:budget], items[budget:]
            for item in batch:
                parent.appendRow(self._light_row(item))
            budget -= len(batch) + 1
            if rest:
                pending[0] = (unit, rest, parent)  # a large unit goes on in the next turn
            else:
                pending.pop(0)
        if pending:
            QTimer.singleShot(0, self, lambda: self._fill_step(model, pending))
            return
        old, self.model = self.model, model
        self.proxy.setSourceModel(model)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)
        old.deleteLater()
        self.lights_shown = True

    def _unit_row(self, model: QStandardItemModel, unit: str, items: list) -> QStandardItem:
        counts = light_counts(items)
        serious = counts["serious"]
        text = self.tr("{0}（红 {1} · 黄 {2} · 绿 {3}）").format(unit, counts["red"], counts["yellow"], counts["green"])
        # units sort by red count first (the ones to call), then yellow
        parent = SortableItem(text, key=f"{9999 - counts['red']:04d}{9999 - counts['yellow']:04d}{unit}")
        parent.setToolTip(unit)
        row = [parent, SortableItem(""), SortableItem(""), SortableItem("", -1)]
        row.append(SortableItem(self.tr("共 {0} 件").format(len(items)), -1))
        row.append(SortableItem(str(serious) if serious else "", serious))
        model.appendRow(row)
        return parent

    def _light_row(self, item) -> list[QStandardItem]:
        light = SortableItem(LIGHT_TEXT.get(item.light, item.light), LIGHT_ORDER.get(item.light, 9))
        light.setForeground(QBrush(QColor(LIGHT_COLORS.get(item.light, "#333"))))
        light.setText("● " + light.text())
        share = item.used_share
        # 超期 3 个工作日 / 剩余 5 个工作小时, in the limit's own time; sorted (and the tip given) by the share used
        used = SortableItem(used_time_text(item), float(share) if share is not None else -1.0)
        if item.share_text:
            used.setToolTip(self.tr("已用时限 {0}").format(item.share_text))
        return [
            SortableItem(item.case_no),
            SortableItem(item.minor or ""),
            SortableItem(str(item.deadline_at or "")),
            used,
            light,
            SortableItem(self.tr("严重") if item.serious else "", int(bool(item.serious))),
        ]

    def _open_case(self, index) -> None:
        source = self.proxy.mapToSource(index)
        if not source.parent().isValid():
            return
        case_no = self.model.itemFromIndex(source.siblingAtColumn(0)).text()
        cases = next((p for p in self.window().findChildren(Page) if hasattr(p, "open_case")), None)
        if cases is not None and self.ctx.ro_db is not None:
            cases.open_case(case_no)

    def _export(self) -> None:
        if not self.lights:
            dialogs.info(self, self.tr("没有在办案件可导出"))
            return
        # the time the shown lights were judged at, not an edited 判断时刻 that was never recomputed
        as_of = (self.lights_as_of or self.as_of_value()).strftime("%Y-%m-%d %H:%M:%S")
        name = export_file_name("lights", as_of=as_of)
        path = dialogs.save_file(self, self.tr("导出超期预警"), name, "Excel (*.xlsx)")
        if path is None:
            return
        self.ctx.run(
            export_lights,
            list(self.lights),
            path,
            as_of,
            on_done=lambda n: self.ctx.status.emit(self.tr("已导出 {0} 件：{1}").format(n, path)),
            on_error=self.fail,
        )
