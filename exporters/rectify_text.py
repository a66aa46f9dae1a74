"""`rectify stats` without --json: the same document, for people (domain.md §10)."""

from __future__ import annotations

from exporters.bulletin import pct
from exporters.text_table import text_table

GROUPS = (("by_unit", "unit", "按责任单位"), ("by_district", "district", "按所属区"),
          ("by_category", "category", "按问题类别"), ("by_site", "site", "按点位"))  # fmt: skip


def render_rectify_stats_text(doc: dict) -> str:
    """整改达标率 at the as-of date, the rebounds and never re-checked problems, the four groupings."""
    lines = [
        f"创城回头看整改情况　截至 {doc['as_of']}",
        f"问题 {doc['problems']} 个，应整改（整改时限已到）{doc['due']} 个，已整改 {doc['rectified']} 个，"
        f"整改达标率 {pct(doc['rate'])}",
        f"反弹（按未整改计）：{'、'.join(doc['rebound']) or '无'}",
        f"尚未复查：{'、'.join(doc['unchecked']) or '无'}",
    ]
    headers = ["问题", "应整改", "已整改", "整改达标率", "反弹", "未复查"]
    for key, field, title in GROUPS:
        rows = [
            [
                g[field] or "（未填写）",
                g["problems"],
                g["due"],
                g["rectified"],
                pct(g["rate"]),
                g["rebound"],
                g["unchecked"],
            ]
            for g in doc[key]
        ]
        lines += ["", f"{title}："] + text_table(["名称", *headers], rows)
    if doc.get("warnings"):
        lines += ["", "数据提示："] + [f"  {w}" for w in doc["warnings"]]
    lines += ["", "整改达标率 = 整改时限已到且最近一次回头看为已整改的问题 ÷ 整改时限已到的问题；反弹按未整改计。"]
    return "\n".join(lines)
