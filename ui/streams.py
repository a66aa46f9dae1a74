"""The supervision streams a file can be imported as (architecture.md "several streams, one machinery"):
the import page's choice, the history's 类型 column and 设置's per-stream header aliases.

Why here: the four names and their order are what the user picks from, in three places of the console;
the importers own what each stream does (importers.ledger.LedgerStream and its subclasses).
"""

from __future__ import annotations

import json
from datetime import date

from models.store import CASES

# imports.stream → what the console calls it, in the order the choice offers them
STREAMS: tuple[tuple[str, str], ...] = (
    (CASES, "城管案件"),
    ("lw", "两违"),
    ("petitions", "督察信访"),
    ("rectify", "创城回头看"),
)
STREAM_LABELS = dict(STREAMS)
# what the import page says each stream's file is
STREAM_HINTS = {
    CASES: "智慧城管平台导出的案件明细（每月一份或多份）",
    "lw": "两违智能监管平台导出的案件明细（一案一行，每次延期申请重复一行）",
    "petitions": "环保督察信访举报件办理台账（一批一份；请填写批次和移交日期）",
    "rectify": "创城“回头看”问题整改台账（每个问题每轮回头看一行）",
}


def make_stream(name: str, *, batch: int | None = None, handed_over: date | None = None, body: str | None = None):
    """The importer's stream object for `name` (None: the city-case path); 督察信访 needs its batch and date."""
    if name == CASES:
        return None
    if name == "lw":
        from importers.lw_import import LwStream

        return LwStream()
    if name == "petitions":
        from importers.petition_import import PetitionStream

        if not batch or handed_over is None:
            raise ValueError("a 督察信访 import needs its batch and handover date")
        return PetitionStream(batch, handed_over, body)
    if name == "rectify":
        from importers.rectify_import import RectifyStream

        return RectifyStream()
    raise ValueError(f"unknown stream {name!r}")


def stream_text(name: str | None, params: str | None = None) -> str:
    """An import's stream as the history shows it: 两违, 督察信访 第8批 …"""
    label = STREAM_LABELS.get(name or CASES, name or "")
    try:
        batch = (json.loads(params) or {}).get("batch") if params else None
    except (ValueError, AttributeError):
        batch = None
    return f"{label} 第{batch}批" if batch else label
