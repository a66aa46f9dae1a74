"""The scores table for the terminal (``python main.py scores PERIOD``): readable, aligned for CJK.

Why: staff read it before the meeting; each unit's deductions are printed under it with their case
numbers, so the table explains itself without the Excel file.
"""

from __future__ import annotations

from decimal import Decimal

from exporters.text_table import pad as _pad
from exporters.xlsx_common import display_width
from models.labels import NO_CASES_MARK, rank_text
from models.quality import warning_lines

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
    out = [f"{doc['period']} 处置单位绩效评价（规则：{rule_set['label']}）"]
    if rule_set.get("note"):
        out.append(f"（{rule_set['note']}）")
    out.append("")
    width = max((display_width(e["unit"]) for e in doc["units"]), default=10) + 2
    current = start = object()
    for entry in doc["units"]:
        if entry["category"] != current:
            if current is not start:
                out.append("")
            current = entry["category"]
            out.append(f"{current or '未分类'}类单位")
            out.append(f"  {_pad('名次', 6)}{_pad('处置单位', width)}{'得分':>6}  名次变化")
        marks = []
        if entry["no_cases"]:
            marks.append(NO_CASES_MARK)
        if entry.get("evaluation_scope"):
            marks.append(entry["evaluation_scope"])
        note = f"  {'；'.join(marks)}" if marks else ""
        change = _pad(_change(entry["rank_change"]), 8)
        rank = _pad(rank_text(entry["rank"]), 6)
        out.append(f"  {rank}{_pad(entry['unit'], width)}{entry['score']:>8}  {change}{note}")
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
        out += ["", "未登记的单位（未评分，请用 units set 登记类别与上级单位）："]
        out += [f"  {u['unit']}（立案 {u['filed']} 件）" for u in unplaced]
    others = [w for w in doc.get("warnings") or [] if w["code"] != "unregistered_unit"]
    if others:
        out += ["", "数据质量提示："] + [f"  {line}" for line in warning_lines(others)]
    return "\n".join(out)
