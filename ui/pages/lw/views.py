"""The 两违监管 page's three views: the town × step table, the open steps with their lights, the extension
problems. Each shows what the core computed and says which cases a click should list; the page does the rest.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.lights import LIGHT_LABELS
from models.lw_settings import STEPS
from models.lw_steps import RATE_KEYS, RATE_NAMES
from models.overdue import LIGHT_ORDER
from ui.grades import grade_color, to_decimal
from ui.pages.lw.record import LATE_COLOR, SERIOUS_BACKGROUND, minute
from ui.pages.overdue import LIGHT_COLORS, SortableItem
from ui.widgets import combo_value

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def rate_text(value: str | None) -> str:
    return "—" if value is None else f"{value}%"


def count_text(value: int | None) -> str:
    return "" if not value else str(value)


def lw_tiles(doc: dict, lights: dict[str, int], open_count: int) -> list[tuple[str, str, str, str]]:
    """The page's tiles (and meeting mode's): (key, caption, value, note) — 收件, the three on-time rates,
    延期申请, 严重超期 (of every open step at the as-of time)."""
    tiles = [("received", "收件", str(doc["received"]), "本期接收的案件")]
    for row in doc["steps"]:
        note = f"按期 {row['on_time']} / 应办 {row['due']} · 超期在办 {row['overdue_open']}"
        tiles.append((row["step"], row["rate_name"], rate_text(row["on_time_rate"]), note))
    ext = doc["extensions"]
    note = f"层级不符 {ext['wrong_level_requests']} · 不同意 {ext['refused']} · 待审批 {ext['pending']}"
    tiles.append(("extensions", "延期申请", str(ext["requests"]), note))
    tiles.append(("serious", "严重超期", str(lights["serious"]), f"红灯 {lights['red']} · 在办环节 {open_count}"))
    return tiles


def town_rows(doc: dict) -> list[tuple[int, str, dict, tuple]]:
    """(level, name, figures, drill-down group) of each county (level 0, registry order) followed by its
    towns (level 1)."""
    towns: dict[str, list[dict]] = {}
    for row in doc["towns"]:
        towns.setdefault(row["county"], []).append(row)
    out = []
    for county in doc.get("counties", []):
        out.append((0, county["county"], county, ("county", county["county"])))
        for town in towns.get(county["county"], []):
            out.append((1, town["town"], town, ("town", (town["county"], town["town"]))))
    return out


def town_cells(row: dict) -> list[str]:
    """A county's or town's figures in TOWN_COLUMNS order, after its name."""
    cells = [str(row["received"]), *(rate_text(row[RATE_KEYS[s]]) for s in STEPS)]
    return cells + [count_text(row["overdue_open"]), count_text(row["serious"])]


# ---------------------------------------------------------------- town × step


# (caption, figure, step): what a click on the column lists; a rate lists the step's due cases
TOWN_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("县区 / 乡镇", "received", None),
    ("收件", "received", None),
    *((RATE_NAMES[step], "due", step) for step in STEPS),
    ("超期在办", "overdue_open", None),
    ("严重超期", "serious", None),
)


RATE_LEGEND = (("99", "≥99%"), ("95", "≥95%"), ("90", "≥90%"), ("80", "≥80%"), ("0", "&lt;80%"))


def rate_legend() -> str:
    """The rate colours as rich text chips (ui.grades.grade_color's bands)."""
    chips = [
        f'<span style="background:{grade_color(to_decimal(value)).name()}">&nbsp;{text}&nbsp;</span>'
        for value, text in RATE_LEGEND
    ]
    return "按期率颜色：" + " ".join(chips)


class TownTable(QTreeWidget):
    """Counties (registry order) with their towns beneath; each rate cell coloured by its value.
    `drill(figure, step, group, caption)` when a cell is clicked."""

    drill = Signal(str, object, object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(len(TOWN_COLUMNS))
        self.setHeaderLabels([self.tr(c[0]) for c in TOWN_COLUMNS])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # the figures share the width: a wide name column would leave them far from the town they belong to
        header = self.header()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("漳州台商投资区") + 80)
        for column in range(1, len(TOWN_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.itemClicked.connect(self._clicked)

    def show_doc(self, doc: dict) -> None:
        self.clear()
        parent = None
        for level, name, row, group in town_rows(doc):
            item = self._row(parent if level else None, name, row, group)
            if level == 0:
                parent = item
        self.expandAll()

    def _row(self, parent: QTreeWidgetItem | None, name: str, row: dict, group: tuple) -> QTreeWidgetItem:
        cells = [name, *town_cells(row)]
        item = QTreeWidgetItem(cells)
        item.setData(0, Qt.ItemDataRole.UserRole, group)
        for column in range(1, len(cells)):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
        for offset, step in enumerate(STEPS):
            color = grade_color(to_decimal(row[RATE_KEYS[step]]))
            if color is not None:
                item.setBackground(2 + offset, QBrush(color))
        if row["serious"]:
            item.setForeground(len(cells) - 1, QBrush(QColor(LATE_COLOR)))
        if parent is None:
            font = QFont(self.font())
            font.setBold(True)
            for column in range(len(cells)):
                item.setFont(column, font)
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _clicked(self, item: QTreeWidgetItem, column: int) -> None:
        caption, figure, step = TOWN_COLUMNS[column]
        if column > 1 and not item.text(column).strip("—"):
            return  # an empty cell: no case behind it
        group = item.data(0, Qt.ItemDataRole.UserRole)
        where = " · ".join([group[1]] if group[0] == "county" else list(group[1]))
        what = self.tr("收件") if figure == "received" else self.tr(caption)
        if step is not None:
            what = self.tr("{0}环节应办（{1} {2}）").format(step, caption, item.text(column))
        self.drill.emit(figure, step, group, f"{where} · {what}")


# ---------------------------------------------------------------- open steps


LIGHT_COLUMNS = (
    "亮灯", "已用时限", "案件编号", "县区", "乡镇", "环节", "角色", "责任人", "开始时间", "截止时间", "延期",
)  # fmt: skip
LIGHT_FILTERS = (("", "全部"), ("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), ("serious", "严重超期"))


def light_word(item: dict) -> str:
    word = LIGHT_LABELS.get(item["light"], item["light"] or "—")
    return f"{word}（严重超期）" if item["serious"] else word


class LightsView(QWidget):
    """The open steps at the as-of time, most used first, with a light filter; `open_case(case_no)` on a
    double-click."""

    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[dict] = []
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        for value, text in LIGHT_FILTERS:
            self.filter.addItem(self.tr(text), value)
        self.filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.model = QStandardItemModel(0, len(LIGHT_COLUMNS), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(self.tr("显示")))
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def show_steps(self, items: list[dict], summary: str) -> None:
        """`items`: OpenStep.to_json() rows, most used first."""
        self.items = list(items)
        self.summary.setText(summary)
        self._fill()

    def set_filter(self, value: str) -> None:
        self.filter.setCurrentIndex(max(0, self.filter.findData(value)))

    def shown(self) -> list[dict]:
        wanted = combo_value(self.filter)
        if wanted == "serious":
            return [i for i in self.items if i["serious"]]
        return [i for i in self.items if not wanted or i["light"] == wanted]

    def _fill(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in LIGHT_COLUMNS])
        for rank, item in enumerate(self.shown()):
            light_key = LIGHT_ORDER.get(item["light"], 9) * 2 + (0 if item["serious"] else 1)
            light = SortableItem("● " + light_word(item), light_key)
            light.setForeground(QBrush(QColor(LIGHT_COLORS.get(item["light"], "#333"))))
            if item["serious"]:
                light.setBackground(QBrush(QColor(SERIOUS_BACKGROUND)))
                font = QFont(light.font())
                font.setBold(True)
                light.setFont(font)
            extension = f"+{item['extension_days']}天" if item["extension_days"] else ""
            self.model.appendRow(
                [
                    light,
                    SortableItem(f"{item['used']}%" if item["used"] is not None else "—", rank),
                    SortableItem(item["case_no"]),
                    SortableItem(item["county"]),
                    SortableItem(item["town"]),
                    SortableItem(item["step"], STEPS.index(item["step"])),
                    SortableItem(item["role"]),
                    SortableItem(item["person"] or ""),
                    SortableItem(minute(item["started_at"])),
                    SortableItem(minute(item["deadline_at"])),
                    SortableItem(extension),
                ]
            )
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # the core's order: most used first
        self.table.resizeColumnsToContents()

    def _double_clicked(self, index) -> None:
        source = self.proxy.mapToSource(index)
        self.open_case.emit(self.model.item(source.row(), 2).text())


# ---------------------------------------------------------------- extension problems


EXTENSION_COLUMNS = ("案件编号", "县区", "乡镇", "次序", "申请天数", "审批层级", "审批结果", "累计天数", "应由", "判定")


class ExtensionView(QWidget):
    """The period's extension requests that moved nothing (审批层级不符, 不同意, 待审批, incomplete), with the
    period's extension counts above; `open_case(case_no)` on a double-click."""

    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple] = []  # (ExtensionDecision, CaseEval)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.model = QStandardItemModel(0, len(EXTENSION_COLUMNS), self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_case.emit(self.rows[index.row()][0].request.case_no))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_problems(self, rows: list[tuple], summary: str) -> None:
        """`rows`: (ExtensionDecision, CaseEval) in PROBLEM_OUTCOMES order, then case and row order."""
        self.rows = list(rows)
        self.summary.setText(summary)
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in EXTENSION_COLUMNS])
        for decision, case in self.rows:
            r = decision.request
            days = "" if r.days is None else self.tr("{0}天").format(r.days)
            total = "" if r.days is None else self.tr("{0}天").format(decision.running_total)
            cells = [
                r.case_no, case.county, case.town, self.tr("第{0}次").format(r.position), days,
                r.level or self.tr("（未填）"), r.result or self.tr("（待审批）"), total, decision.needed_level or "",
                decision.label,
            ]  # fmt: skip
            items = [QStandardItem(text) for text in cells]
            items[-1].setForeground(QBrush(QColor(LATE_COLOR)))
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
