"""The scores table for the terminal (``python main.py scores PERIOD``): readable, aligned for CJK.

Why: staff read it before the meeting; each unit's deductions are printed under it with their case
numbers, so the table explains itself without the Excel file.
"""

from __future__ import annotations

from decimal import Decimal

from exporters.text_table import pad as _pad
from exporters.xlsx_common import display_width

MAX_CASES_SHOWN = 10


def _change(value: int | None) -> str:
    if value is None:
        return "—"
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "0"


def _worth_showing(line: dict) -> bool:
    """Deductions, adjustments, caps, and composite components short of full marks."""
    if line.get("type") in ("base", "no_cases") or Decimal(line["points"]) == 0:
        return False
    return "full_points" not in line or line["points"] != line["full_points"]


def render_scores_text(doc: dict) -> str:
    rule_set = doc["rule_set"]
    out = [f"{doc['period']} 处置单位绩效评价（规则：{rule_set['name']} v{rule_set['version']}）", ""]
    width = max((display_width(e["unit"]) for e in doc["units"]), default=10) + 2
    current = object()
    for entry in doc["units"]:
        if entry["category"] != current:
            current = entry["category"]
            if len(out) > 2:
                out.append("")
            out.append(f"{current or '未分类'}类单位")
            out.append(f"  {_pad('名次', 6)}{_pad('处置单位', width)}{'得分':>6}  名次变化")
        marks = []
        if entry["no_cases"]:
            marks.append("无案件")
        if entry.get("evaluation_scope"):
            marks.append(entry["evaluation_scope"])
        note = f"  {'；'.join(marks)}" if marks else ""
        change = _pad(_change(entry["rank_change"]), 8)
        out.append(f"  {entry['rank']:<6}{_pad(entry['unit'], width)}{entry['score']:>8}  {change}{note}")
        for line in entry["lines"]:
            if not _worth_showing(line):
                continue
            text = f"        {line['points']:>7}  {line['rule']}：{line['detail']}"
            cases = line["cases"]
            if cases:
                shown = "、".join(cases[:MAX_CASES_SHOWN])
                more = f" 等{len(cases)}件" if len(cases) > MAX_CASES_SHOWN else ""
                text += f"  案件：{shown}{more}"
            out.append(text)
    unplaced = doc.get("unplaced_units") or []
    if unplaced:
        out += ["", "未登记的单位（未评分，请用 units set 归类）："]
        out += [f"  {u['unit']}（立案 {u['filed']} 件）" for u in unplaced]
    return "\n".join(out)
