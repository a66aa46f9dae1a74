"""`petitions list` and `petitions stats` without --json: the same documents, for people (domain.md §9)."""

from __future__ import annotations

from exporters.bulletin import pct
from exporters.text_table import text_table
from models.numbers import chinese_numeral


def batch_name(number: int) -> str:
    """8 → 第八批."""
    return f"第{chinese_numeral(number)}批"


def render_batch_list_text(rows: list[dict], as_of: str) -> str:
    """One line per batch, newest first (models.petition_report.batch_rows)."""
    if not rows:
        return "尚未导入督察信访批次（petitions import FILE --batch N --date YYYY-MM-DD）"
    table = [
        [batch_name(r["batch"]), r["handed_over"], r["body"], r["pieces"], r["duplicates"], r["transferred"],
         r["closed"], pct(r["closure_rate"]), r["overdue"]]
        for r in rows
    ]  # fmt: skip
    headers = ["批次", "移交日期", "移交单位", "举报件", "重复件", "已转办", "已办结", "办结率", "超期未办结"]
    return "\n".join([f"督察信访批次（办结情况截至 {as_of}；举报件不含重复件）", *text_table(headers, table)])


def _labels(items: list[dict]) -> str:
    return "、".join(f"{i['name']} {i['count']}" for i in items) or "—"


def _follow_up(rows: list[dict]) -> list[str]:
    table = [[r["name"], r["pieces"], r["closed"], pct(r["closure_rate"]), r["overdue"]] for r in rows]
    return text_table(["名称", "举报件", "已办结", "办结率", "超期未办结"], table)


def render_petition_stats_text(doc: dict) -> str:
    """`petitions stats`: counts by type and region, 办结率 by region and type, the overdue pieces."""
    batches = doc.get("batches") or []
    which = (
        batch_name(doc["batch"])
        if doc["batch"] is not None
        else "全部批次（" + "、".join(map(batch_name, batches)) + "）"
    )
    lines = [
        f"督察信访统计：{which}　截至 {doc['as_of']}",
        f"举报件 {doc['pieces']} 件（另有重复件 {doc['duplicates']} 件，不计数），已转办 {doc['transferred']} 件，"
        f"已办结 {doc['closed']} 件，办结率 {pct(doc['closure_rate'])}",
        "",
        "按问题类型" + ("（部分举报件涉及多个问题类型）" if doc["multi_type"] else "") + "：" + _labels(doc["types"]),
        "按地区" + ("（部分举报件涉及多个地区）" if doc["multi_region"] else "") + "：" + _labels(doc["regions"]),
    ]
    if doc["by_region"]:
        lines += ["", "办结情况（按地区）："] + _follow_up(doc["by_region"])
    if doc["by_type"]:
        lines += ["", "办结情况（按问题类型）："] + _follow_up(doc["by_type"])
    overdue = doc["overdue"]
    lines += ["", f"超过办理时限未办结：{len(overdue)} 件"]
    if overdue:
        table = [
            [batch_name(o["batch"]), o["piece_no"], "、".join(o["regions"]), "、".join(o["types"]), o["unit"],
             o["deadline"], o.get("days_overdue")]
            for o in overdue
        ]  # fmt: skip
        lines += text_table(["批次", "举报件编号", "地区", "问题类型", "转办单位", "办理时限", "超期天数"], table)
    return "\n".join(lines)
