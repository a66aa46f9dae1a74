"""Edit the reference tables the settings page shows: header aliases, time limits, holiday overrides.

Why a module: the GUI writes only through core functions (architecture.md), and each table has rules a
user can break (an unknown field, a non-numeric limit, a malformed date) that deserve a Chinese message
naming the row. Each save replaces the whole table in one transaction: the page edits a full copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlite_utils

from models.errors import UserFacingError
from models.records import CASE_FIELDS, KINDS
from models.store import CASES, transaction
from models.workcalendar import LIMIT_UNITS


class ReferenceTableError(UserFacingError):
    """A reference-table edit that cannot be saved (names the row)."""


@dataclass(frozen=True)
class HeaderAlias:
    field: str
    alias: str
    priority: int


@dataclass(frozen=True)
class TimeLimit:
    kind: str  # 部件 | 事件 | *
    minor: str  # 小类 or *
    amount: Decimal
    unit: str  # 工作日 | 工作时 | 自然小时


@dataclass(frozen=True)
class HolidayOverride:
    day: str  # YYYY-MM-DD
    is_workday: bool
    note: str = ""


# ---------------------------------------------------------------- header aliases


def header_fields(db: sqlite_utils.Database, stream: str = CASES) -> list[tuple[str, str, bool]]:
    """(field, label, required) of one stream's columns, in the order the importer knows them."""
    rows = db.execute("SELECT field, label, required FROM header_fields WHERE stream = ? ORDER BY rowid", (stream,))
    return [(f, label, bool(req)) for f, label, req in rows]


def list_header_aliases(db: sqlite_utils.Database, stream: str = CASES) -> list[HeaderAlias]:
    rows = db.execute(
        "SELECT field, alias, priority FROM header_aliases WHERE stream = ? ORDER BY field, priority, alias", (stream,)
    )
    return [HeaderAlias(*r) for r in rows.fetchall()]


def save_header_aliases(db: sqlite_utils.Database, aliases: list[HeaderAlias], stream: str = CASES) -> int:
    """Replace one stream's alias table. A header text may stand for one field only; every required field
    keeps one."""
    known = {f for f, _l, _r in header_fields(db, stream)} | (set(CASE_FIELDS) if stream == CASES else set())
    seen: dict[str, str] = {}
    clean: list[HeaderAlias] = []
    for number, a in enumerate(aliases, start=1):
        field, alias = (a.field or "").strip(), (a.alias or "").strip()
        if not field and not alias:
            continue
        if field not in known:
            raise ReferenceTableError(f"表头别名第 {number} 行：未知字段「{field}」")
        if not alias:
            raise ReferenceTableError(f"表头别名第 {number} 行：别名不能为空")
        if alias in seen and seen[alias] != field:
            raise ReferenceTableError(
                f"表头别名第 {number} 行：「{alias}」已对应字段「{seen[alias]}」，一个表头只能对应一个字段"
            )
        if alias in seen:
            continue
        seen[alias] = field
        clean.append(HeaderAlias(field, alias, int(a.priority)))
    for field, label, required in header_fields(db, stream):
        if required and field not in seen.values():
            raise ReferenceTableError(f"必需字段「{label}」至少要保留一个表头别名")
    with transaction(db):
        db.execute("DELETE FROM header_aliases WHERE stream = ?", (stream,))
        for a in clean:
            db.execute(
                "INSERT INTO header_aliases(stream, field, alias, priority) VALUES (?,?,?,?)",
                (stream, a.field, a.alias, a.priority),
            )
    return len(clean)


# ---------------------------------------------------------------- time limits


def list_time_limits(db: sqlite_utils.Database) -> list[TimeLimit]:
    rows = db.execute("SELECT kind, minor, amount, unit FROM time_limits ORDER BY kind, minor").fetchall()
    return [TimeLimit(k, m, Decimal(a), u) for k, m, a, u in rows]


def save_time_limits(db: sqlite_utils.Database, limits: list[TimeLimit]) -> int:
    """Replace the time-limit table (domain.md §5). Deadlines already computed for imported cases stay."""
    clean: dict[tuple[str, str], TimeLimit] = {}
    for number, t in enumerate(limits, start=1):
        kind, minor, unit = (t.kind or "").strip(), (t.minor or "").strip(), (t.unit or "").strip()
        if not kind and not minor:
            continue
        if kind not in (*KINDS, "*"):
            raise ReferenceTableError(f"办理时限第 {number} 行：问题类型应为 部件、事件 或 *，收到「{kind}」")
        if not minor:
            raise ReferenceTableError(f"办理时限第 {number} 行：小类不能为空（* 表示该类型的默认时限）")
        try:
            amount = Decimal(str(t.amount).strip())
        except InvalidOperation:
            raise ReferenceTableError(f"办理时限第 {number} 行：时限「{t.amount}」不是数字") from None
        if not amount.is_finite() or amount <= 0:
            raise ReferenceTableError(f"办理时限第 {number} 行：时限应大于 0")
        if unit not in LIMIT_UNITS:
            raise ReferenceTableError(f"办理时限第 {number} 行：单位应为 {'、'.join(LIMIT_UNITS)}，收到「{unit}」")
        if (kind, minor) in clean:
            raise ReferenceTableError(f"办理时限第 {number} 行：{kind} / {minor} 重复")
        clean[(kind, minor)] = TimeLimit(kind, minor, amount, unit)
    with transaction(db):
        db.execute("DELETE FROM time_limits")
        for t in clean.values():
            db.execute(
                "INSERT INTO time_limits(kind, minor, amount, unit) VALUES (?,?,?,?)",
                (t.kind, t.minor, str(t.amount), t.unit),
            )
    return len(clean)


# ---------------------------------------------------------------- holiday overrides


def list_holiday_overrides(db: sqlite_utils.Database) -> list[HolidayOverride]:
    rows = db.execute("SELECT day, is_workday, COALESCE(note, '') FROM holiday_overrides ORDER BY day").fetchall()
    return [HolidayOverride(d, bool(w), n) for d, w, n in rows]


def save_holiday_overrides(db: sqlite_utils.Database, overrides: list[HolidayOverride]) -> int:
    """Replace the override table: days the statutory calendar gets wrong or does not know yet (domain.md §5)."""
    clean: dict[str, HolidayOverride] = {}
    for number, o in enumerate(overrides, start=1):
        day = (o.day or "").strip()
        if not day:
            continue
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ReferenceTableError(f"节假日调整第 {number} 行：日期应为 YYYY-MM-DD，收到「{day}」")
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ReferenceTableError(f"节假日调整第 {number} 行：日期「{day}」不存在") from None
        if day in clean:
            raise ReferenceTableError(f"节假日调整第 {number} 行：日期 {day} 重复")
        clean[day] = HolidayOverride(day, bool(o.is_workday), (o.note or "").strip())
    with transaction(db):
        db.execute("DELETE FROM holiday_overrides")
        for o in clean.values():
            db.execute(
                "INSERT INTO holiday_overrides(day, is_workday, note) VALUES (?,?,?)",
                (o.day, int(o.is_workday), o.note or None),
            )
    return len(clean)
