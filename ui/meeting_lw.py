"""Meeting mode's 两违 slides: the tiles, the town × step table, the escalation list (抄送纪委监委、效能部门).

Built from what the 两违监管 page last showed (ui.pages.lw.page.LwView), with the page's own tile and row
functions, so a slide says exactly what the page says.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QGridLayout, QHeaderView, QLabel, QTableWidget, QWidget

from models.lw_settings import STEPS
from models.lw_steps import RATE_KEYS
from ui.fonts import app_font
from ui.grades import grade_color, to_decimal
from ui.pages.lw.record import LATE_COLOR, SERIOUS_BACKGROUND, minute
from ui.pages.lw.views import TOWN_COLUMNS, lw_tiles, town_cells, town_rows
from ui.slides import numbered, slide_table, spread
from ui.widgets import Tile

Slide = tuple[str, Callable[[], QWidget]]


def lw_slides(view, scale: float, rows_per_slide: int) -> list[Slide]:
    """The 两违 slides of the page's last view (none when the page was not opened or the period is empty)."""
    if view is None or not view.doc["received"]:
        return []
    doc = view.doc
    period = doc["period"]
    slides: list[Slide] = [(f"{period} 两违监管", lambda: _tiles(view, scale))]
    towns = spread(town_rows(doc), rows_per_slide)
    for number, part in enumerate(towns, start=1):
        title = numbered(f"{period} 两违 乡镇按期率", number, len(towns))
        slides.append((title, lambda part=part: _town_table(part, scale)))
    serious = [row for row in view.open_steps if row["serious"]]
    as_of = doc["as_of"].replace("T", " ")[:16]
    title = f"两违严重超期（抄送纪委监委、效能部门，{as_of}）"
    if not serious:
        slides.append((title, lambda: QLabel("判断时刻没有严重超期的在办环节")))
    parts = spread(serious, rows_per_slide) if serious else []
    for number, part in enumerate(parts, start=1):
        slides.append((numbered(title, number, len(parts)), lambda part=part: _escalation_table(part, scale)))
    return slides


def _tiles(view, scale: float) -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    for i, (_key, caption, value, note) in enumerate(lw_tiles(view.doc, view.lights, len(view.open_steps))):
        tile = Tile(caption, scale=scale)
        tile.note.setFont(app_font(scale * 0.8))  # read from the back of the room too
        tile.set_value(value, note)
        grid.addWidget(tile, i // 3, i % 3)
    return box


def _town_table(part: list, scale: float) -> QTableWidget:
    rows = [[("" if level == 0 else "　　") + name, *town_cells(figures)] for level, name, figures, _g in part]
    table = slide_table([c[0] for c in TOWN_COLUMNS], rows, scale)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    for column in range(1, len(TOWN_COLUMNS)):  # the figures share the width, close to their town
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    bold = QFont(table.font())
    bold.setBold(True)
    for r, (level, _name, figures, _group) in enumerate(part):
        for offset, step in enumerate(STEPS):
            color = grade_color(to_decimal(figures[RATE_KEYS[step]]))
            if color is not None:
                table.item(r, 2 + offset).setBackground(QBrush(color))
        if figures["serious"]:
            table.item(r, len(TOWN_COLUMNS) - 1).setForeground(QBrush(QColor(LATE_COLOR)))
        if level == 0:
            for c in range(len(TOWN_COLUMNS)):
                table.item(r, c).setFont(bold)
    return table


def _escalation_table(part: list[dict], scale: float) -> QTableWidget:
    headers = ["案件编号", "乡镇", "环节", "责任人", "截止时间", "已用时限"]
    rows = [
        [row["case_no"], row["town"], row["step"], f"{row['role']} {row['person'] or '（未填写）'}",
         minute(row["deadline_at"]), f"{row['used']}%"]
        for row in part
    ]  # fmt: skip
    table = slide_table(headers, rows, scale, stretch=1)
    for r in range(len(rows)):
        table.item(r, len(headers) - 1).setBackground(QBrush(QColor(SERIOUS_BACKGROUND)))
    return table
