"""Meeting mode's 督察信访 and 创城回头看 slides: the batch paragraph over its type × region table, and the 回头看
rate tiles over the by-unit table.

Built from what the two pages last showed (ctx.last_ledgers["petitions"] / ["rectify"]) with the pages' own row
and tile functions, so a slide says exactly what the page says.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from exporters.petition_sheet import multi_label_notice
from exporters.petition_text import batch_name
from ui.fonts import app_font
from ui.pages.petitions import cross_rows
from ui.pages.rectify import GROUP_COLUMNS, TILES, group_rows, tile_texts
from ui.slides import numbered, slide_table, spread
from ui.tables import fit_height
from ui.widgets import Tile

Slide = tuple[str, Callable[[], QWidget]]


def petitions_slides(shown: dict | None, scale: float) -> list[Slide]:
    """The batch the 督察信访 page last showed (none when the page was not opened or holds no batch)."""
    if shown is None:
        return []
    return [(f"督察信访 {batch_name(shown['batch'])}", lambda: _batch(shown, scale))]


def rectify_slides(doc: dict | None, scale: float, rows_per_slide: int) -> list[Slide]:
    """The 回头看 figures the 创城回头看 page last showed (none when it was not opened or has no problems): the
    rate tiles over the by-unit table, the units spread over as many slides as they need."""
    if doc is None or not doc["problems"]:
        return []
    parts = spread(group_rows(doc, "by_unit", "unit"), rows_per_slide)
    title = f"创城回头看 截至 {doc['as_of']}"
    return [
        (numbered(title, number, len(parts)), lambda part=part: _rectify(doc, part, scale))
        for number, part in enumerate(parts, start=1)
    ]


def _batch(shown: dict, scale: float) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    text = QLabel(shown["paragraph"])
    text.setWordWrap(True)
    text.setFont(app_font(scale * 0.9))
    layout.addWidget(text)
    layout.addSpacing(16)
    headers, rows = cross_rows(shown["table"])
    table = slide_table(headers, [[str(v) for v in row] for row in rows], scale)
    for column in range(1, len(headers)):  # the regions share the slide's width
        table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    fit_height(table)
    layout.addWidget(table)
    notice = multi_label_notice(shown["table"])
    if notice:
        note = QLabel(notice)
        note.setFont(app_font(scale * 0.7))
        layout.addWidget(note)
    layout.addStretch(1)
    return box


def _rectify(doc: dict, units: list[list], scale: float) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    tiles = QHBoxLayout()
    texts = tile_texts(doc)
    for key, caption, _figure in TILES:
        tile = Tile(caption, scale=scale * 0.8)
        tile.set_value(texts[key][0])
        tiles.addWidget(tile)
    layout.addLayout(tiles)
    table = slide_table(["责任单位", *GROUP_COLUMNS[1:]], [[str(v) for v in row] for row in units], scale)
    fit_height(table)
    layout.addWidget(table)
    layout.addStretch(1)
    return box
