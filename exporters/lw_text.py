"""`lw stats` and `lw overdue` without --json: the same documents, for people (domain.md §8).

Rendered from the JSON documents (models.lw_stats), never recomputed, so the text and the JSON agree.
"""

from __future__ import annotations

from exporters.bulletin import pct
from exporters.text_table import text_table
from models.lights import LIGHT_LABELS


def _when(text: str | None) -> str:
    """A stored time without its seconds: 2021-12-06 09:00."""
    return "—" if not text else text.replace("T", " ")[:16]


def _rate_rows(rows: list[dict], first: list[str]) -> list[list]:
    return [
        [*(r[k] for k in first), r["received"], pct(r["verify_on_time_rate"]), pct(r["dispose_on_time_rate"]),
         pct(r["review_on_time_rate"]), r["overdue_open"], r["serious"]]
        for r in rows
    ]  # fmt: skip


STEP_HEADERS = ["环节", "时限", "已开始", "已完成", "应办", "按期", "按期率", "在办", "超期在办", "严重超期"]
RATE_HEADERS = ["收件", "按期核查率", "按期处置率", "按期审核率", "超期在办", "严重超期"]


def render_lw_stats_text(doc: dict) -> str:
    """`lw stats PERIOD` for people: steps, extensions, towns, departments, role holders, types, sources."""
    defs = doc.get("definitions", {})
    lines = [
        f"两违监管统计　周期：{doc['period']}（按接收时间）　判断时刻：{_when(doc['as_of'])}",
        f"收件 {doc['received']} 件",
        "",
        "环节（时限）：",
    ]
    step_rows = [
        [s["step"], s["limit"], s["started"], s["done"], s["due"], s["on_time"], pct(s["on_time_rate"]), s["open"],
         s["overdue_open"], s.get("serious", "—")]
        for s in doc["steps"]
    ]  # fmt: skip
    lines += text_table(STEP_HEADERS, step_rows)
    rate_names = "、".join(s.get("rate_name", s["step"]) for s in doc["steps"])
    lines.append(f"  按期率 = 按期 ÷ 应办（{rate_names}）；应办 = 已完成或已过截止时间")
    ext = doc["extensions"]
    lines += [
        "",
        f"延期申请 {ext['requests']} 条：已生效 {ext['approved']} 条（共 {ext['days_approved']} 天），"
        f"不同意 {ext['refused']} 条，待审批 {ext['pending']} 条，审批层级不符 {ext.get('wrong_level_requests', 0)} 条",
    ]
    for key, label in (
        ("wrong_level", "审批层级不符"),
        ("level_missing", "已同意未填审批层级"),
        ("invalid", "天数缺失"),
    ):
        if ext.get(key):
            lines.append(f"  {label}的案件：{'、'.join(ext[key])}")
    lines += ["", "按县区、乡镇："]
    lines += text_table(["县区", "乡镇", *RATE_HEADERS], _rate_rows(doc["towns"], ["county", "town"]))
    for key, title in (("departments", "按部门"), ("violation_types", "按违建类型"), ("sources", "按线索来源")):
        if doc.get(key):
            lines += ["", f"{title}："]
            lines += text_table(["名称", *RATE_HEADERS], _rate_rows(doc[key], ["name"]))
    if doc.get("holders"):
        lines += ["", "按责任人（本人负责的环节）："]
        rows = [
            [h["role"], h["person"], h["started"], h["done"], h["due"], h["on_time"], pct(h["on_time_rate"]),
             h["open"], h["overdue_open"], h["serious"]]
            for h in doc["holders"]
        ]  # fmt: skip
        lines += text_table(
            ["角色", "姓名", "已开始", "已完成", "应办", "按期", "按期率", "在办", "超期在办", "严重超期"], rows
        )
    if doc.get("warnings"):
        lines += ["", "数据提示："] + [f"  {w}" for w in doc["warnings"]]
    lines += ["", "统计口径："]
    for key in ("limits", "extension_rule", "light_rule", "as_of_rule", "orders"):
        if key in defs:
            value = defs[key]
            if isinstance(value, dict):
                value = "，".join(f"{k} {v}" for k, v in value.items())
            lines.append(f"  {value}")
    return "\n".join(lines)


def light_word(item: dict) -> str:
    """红灯（严重超期） / 黄灯 / 绿灯."""
    word = LIGHT_LABELS.get(item["light"], item["light"] or "—")
    return word + ("（严重超期）" if item["serious"] else "")


def render_lw_overdue_text(items: list[dict], as_of: str, definitions: dict) -> str:
    """`lw overdue`: the open steps with their lights, most used first (definitions: LwSettings.definitions)."""
    count = {light: sum(1 for i in items if i["light"] == light) for light in LIGHT_LABELS}
    serious = sum(1 for i in items if i["serious"])
    lines = [
        f"两违在办环节亮灯　判断时刻：{_when(as_of)}",
        f"在办环节 {len(items)} 个：红灯 {count['red']}（其中严重超期 {serious}），黄灯 {count['yellow']}，"
        f"绿灯 {count['green']}",
        "",
    ]
    rows = [
        [light_word(i), f"{i['used']}%" if i["used"] is not None else "—", i["case_no"], i["county"], i["town"],
         i["step"], i["role"], i["person"], _when(i["started_at"]), _when(i["deadline_at"])]
        for i in items
    ]  # fmt: skip
    headers = ["亮灯", "已用时限", "案件编号", "县区", "乡镇", "环节", "角色", "责任人", "开始时间", "截止时间"]
    lines += text_table(headers, rows)
    lines += [
        "",
        "已用时限：已用工作时间 ÷ 时限工作时间（处置环节有生效延期时按自然时间计）；"
        f"{definitions['yellow_from']}% 起黄灯，过截止时间红灯，"
        f"超过 {definitions['serious_over']}% 为严重超期，抄送纪委监委、效能部门。",
    ]
    return "\n".join(lines)
