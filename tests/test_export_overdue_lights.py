"""The 超期预警 export: one row per open case, grouped by unit; imported text stays literal and printable."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from exporters.overdue_lights import write_lights
from models.overdue import CaseLight


def test_lights_export_survives_control_characters_in_imported_text(tmp_path: Path):
    """The importer keeps control characters in text (e.g. \\x07 in a unit's name); openpyxl refuses them."""
    light = CaseLight(
        case_no="=1+1",
        unit="蓝田\x07开发区管委会",
        minor="暴露\x1f垃圾",
        deadline_at="2021-11-12 17:30:00",
        used_share=Decimal("1.2345"),
        light="red",
        serious=False,
    )
    path = tmp_path / "lights.xlsx"
    assert write_lights([light], path, as_of="2021-11-30 23:59:59") == 1
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[4]][:3] == ["蓝田开发区管委会", "=1+1", "暴露垃圾"]
    assert ws.cell(4, 2).data_type == "s"


def test_lights_export_rounds_the_used_share_half_up(tmp_path: Path):
    """A number (sortable), the published whole percent rounded half-up like every published figure
    (f"{Decimal:.0f}" would round 0.8650 half-even to "86%")."""
    lights = [
        CaseLight(case_no=f"C{i}", unit="西桥街道办事处", minor="暴露垃圾", deadline_at=None, used_share=Decimal(share),
                  light="yellow", serious=False)
        for i, share in enumerate(["0.8650", "0.8750", "0.8649"])
    ]  # fmt: skip
    path = tmp_path / "lights.xlsx"
    write_lights(lights, path, as_of="2021-11-30 23:59:59")
    ws = openpyxl.load_workbook(path).active
    shares = {ws.cell(r, 2).value: ws.cell(r, 6) for r in range(4, 7)}
    assert {k: c.value for k, c in shares.items()} == {"C0": 0.87, "C1": 0.88, "C2": 0.86}
    assert all(c.data_type == "n" and c.number_format == "0%" for c in shares.values())
