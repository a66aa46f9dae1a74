"""The canonical case fields (domain.md §3) and their kinds, shared by importers, store and views."""

from __future__ import annotations

import json

# field -> kind: text | datetime | int | flag
CASE_FIELDS: dict[str, str] = {
    "case_no": "text",
    "source": "text",
    "channel": "text",
    "kind": "text",
    "major_code": "text",
    "major": "text",
    "minor_code": "text",
    "minor": "text",
    "detail": "text",
    "description": "text",
    "district": "text",
    "street": "text",
    "community": "text",
    "grid": "text",
    "address": "text",
    "unit": "text",
    "reported_at": "datetime",
    "filed_at": "datetime",
    "dispatched_at": "datetime",
    "deadline_at": "datetime",
    "disposed_at": "datetime",
    "closed_at": "datetime",
    "stage": "text",
    "rework_count": "int",
}

# Chinese labels for display and export, in display order.
FIELD_LABELS: dict[str, str] = {
    "case_no": "案件编号",
    "source": "问题来源",
    "channel": "受理渠道",
    "kind": "问题类型",
    "major_code": "大类编码",
    "major": "大类",
    "minor_code": "小类编码",
    "minor": "小类",
    "detail": "小类明细",
    "description": "问题描述",
    "district": "区域",
    "street": "街道",
    "community": "社区",
    "grid": "单元网格",
    "address": "地址",
    "unit": "处置单位",
    "reported_at": "上报时间",
    "filed_at": "立案时间",
    "dispatched_at": "派遣时间",
    "deadline_at": "处置截止时间",
    "disposed_at": "处置结束时间",
    "closed_at": "结案时间",
    "stage": "当前阶段",
    "rework_count": "返工次数",
    "cancelled": "已作废",
    "deadline_source": "截止时间来源",
}

KINDS = ("部件", "事件")


def raw_dict(db, raw: str | None, import_id: int | None) -> dict[str, str]:
    """The original row as {header: cell text}. Imports store a JSON array of cell texts with the header
    list once in imports.raw_headers (schema 3, a third of the bytes per case); older rows hold an object."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {"原始内容": raw or ""}
    if isinstance(value, dict):
        return value
    row = db.execute("SELECT raw_headers FROM imports WHERE id = ?", (import_id,)).fetchone()
    headers = json.loads(row[0]) if row and row[0] else []
    headers += [f"列{i}" for i in range(len(headers) + 1, len(value) + 1)]
    return {h: "" if v is None else str(v) for h, v in zip(headers, value, strict=False)}


def raw_row(db, case_no: str) -> dict[str, str] | None:
    """One case's original row as {header: cell text}, or None for an unknown case number."""
    row = db.execute("SELECT raw, import_id FROM cases WHERE case_no = ?", (case_no,)).fetchone()
    return None if row is None else raw_dict(db, row[0], row[1])
