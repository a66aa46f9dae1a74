"""The manual adjustment ledger (domain.md §6): deductions and bonuses no export column shows.

Why append-only: a score that leaves the office must be traceable. An entry is never edited or
deleted; a mistake is corrected by a reversing entry (negated points, ``reverses_id`` pointing at the
original), and the ledger keeps both. Scoring counts an entry unless it has been reversed (the pair
then nets to zero and neither appears in the explanation; ``adjust list`` still shows both).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from models.errors import AdjustmentError
from models.periods import TS_FORMAT
from models.store import transaction


@dataclass(frozen=True)
class Adjustment:
    id: int
    unit: str
    period: str  # YYYY-MM
    points: Decimal  # negative = deduction, positive = bonus
    reason: str
    rule_ref: str | None
    cases: tuple[str, ...]
    entered_at: str
    reverses_id: int | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "unit": self.unit,
            "period": self.period,
            "points": f"{self.points:.2f}",
            "reason": self.reason,
            "rule_ref": self.rule_ref,
            "cases": list(self.cases),
            "entered_at": self.entered_at,
            "reverses_id": self.reverses_id,
        }

    def describe(self) -> str:
        """One line for `adjust list`."""
        text = f"#{self.id} {self.period} {self.unit} {self.points:+.2f} 分 {self.reason}"
        if self.rule_ref:
            text += f"（依据：{self.rule_ref}）"
        if self.cases:
            text += f" 案件：{'、'.join(self.cases)}"
        if self.reverses_id is not None:
            text += f" [冲销 #{self.reverses_id}]"
        return text + f" 录入于 {self.entered_at}"


def _row_to_adjustment(row) -> Adjustment:
    id_, unit, period, points, reason, rule_ref, cases, entered_at, reverses_id = row
    return Adjustment(
        id=id_,
        unit=unit,
        period=period,
        points=Decimal(points),
        reason=reason,
        rule_ref=rule_ref,
        cases=tuple(json.loads(cases or "[]")),
        entered_at=entered_at,
        reverses_id=reverses_id,
    )


_COLUMNS = "id, unit, period, points, reason, rule_ref, cases, entered_at, reverses_id"


def _month(text: str) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise AdjustmentError(f"月份格式应为 YYYY-MM，收到「{text}」")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _points(value) -> Decimal:
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("−", "-")
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise AdjustmentError(f"分值应为数字（扣分为负，如 -2），收到「{value}」") from None
    if not points.is_finite() or points == 0:
        raise AdjustmentError(f"分值应为非零数字（扣分为负，加分为正），收到「{value}」")
    if points != points.quantize(Decimal("0.01")):
        raise AdjustmentError(f"分值最多两位小数，收到「{value}」")
    if abs(points) > 1000:
        raise AdjustmentError(f"分值「{value}」超出合理范围")
    return points.quantize(Decimal("0.01"))


def _resolve_unit(db, unit: str) -> str:
    name = (unit or "").strip()
    if not name:
        raise AdjustmentError("请给出处置单位名称")
    if db.execute("SELECT 1 FROM units WHERE name = ?", (name,)).fetchone():
        return name
    row = db.execute("SELECT unit FROM unit_aliases WHERE alias = ?", (name,)).fetchone()
    if row:
        return row[0]
    raise AdjustmentError(f"单位「{name}」不在单位名录中（用 units list 查看，或先用 units set 登记）")


def _cases(cases) -> tuple[str, ...]:
    if isinstance(cases, str):
        cases = cases.split(",")
    out: list[str] = []
    for case in cases or ():
        number = unicodedata.normalize("NFKC", str(case)).strip()
        if not number:
            continue
        if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in number):
            raise AdjustmentError(f"案件编号「{case}」含空白或控制字符")
        if number not in out:
            out.append(number)
    return tuple(out)


def add_adjustment(db, *, month, unit, points, reason, rule_ref=None, cases=()) -> Adjustment:
    """Record one deduction (negative) or bonus (positive) for a registry unit and month."""
    period = _month(month)
    name = _resolve_unit(db, unit)
    value = _points(points)
    reason = (reason or "").strip()
    if not reason:
        raise AdjustmentError("请填写调整原因")
    rule_ref = (rule_ref or "").strip() or None
    numbers = _cases(cases)
    entered_at = datetime.now().strftime(TS_FORMAT)
    with transaction(db):
        new_id = db.execute(
            "INSERT INTO adjustments(unit, period, points, reason, rule_ref, cases, entered_at, reverses_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            (name, period, str(value), reason, rule_ref, json.dumps(list(numbers), ensure_ascii=False), entered_at),
        ).lastrowid
    return get_adjustment(db, new_id)


def get_adjustment(db, adjustment_id: int) -> Adjustment:
    row = db.execute(f"SELECT {_COLUMNS} FROM adjustments WHERE id = ?", (adjustment_id,)).fetchone()
    if not row:
        raise AdjustmentError(f"没有编号为 #{adjustment_id} 的调整记录")
    return _row_to_adjustment(row)


def list_adjustments(db, *, month=None) -> list[Adjustment]:
    """The ledger in entry order, optionally for one month."""
    if month:
        rows = db.execute(f"SELECT {_COLUMNS} FROM adjustments WHERE period = ? ORDER BY id", (_month(month),))
    else:
        rows = db.execute(f"SELECT {_COLUMNS} FROM adjustments ORDER BY id")
    return [_row_to_adjustment(r) for r in rows.fetchall()]


def reverse_adjustment(db, adjustment_id: int, *, reason) -> Adjustment:
    """Cancel an entry by appending its negation; reversing twice, or reversing a reversal, is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise AdjustmentError("请填写冲销原因")
    with transaction(db):
        original = get_adjustment(db, adjustment_id)
        if original.reverses_id is not None:
            raise AdjustmentError(
                f"#{adjustment_id} 本身是冲销记录（冲销 #{original.reverses_id}），不能再冲销；如需恢复请重新录入"
            )
        done = db.execute("SELECT id FROM adjustments WHERE reverses_id = ?", (adjustment_id,)).fetchone()
        if done:
            raise AdjustmentError(f"#{adjustment_id} 已被 #{done[0]} 冲销，不能重复冲销")
        new_id = db.execute(
            "INSERT INTO adjustments(unit, period, points, reason, rule_ref, cases, entered_at, reverses_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                original.unit,
                original.period,
                str(-original.points),
                reason,
                original.rule_ref,
                json.dumps(list(original.cases), ensure_ascii=False),
                datetime.now().strftime(TS_FORMAT),
                original.id,
            ),
        ).lastrowid
    return get_adjustment(db, new_id)


def adjustment_months(period) -> list[str]:
    """The months whose adjustments count for a period: those lying wholly inside it (YYYY-MM labels).

    Why one function: the score table and the bulletin's remarks must name the same adjustments; a custom
    range that cuts a month in part takes none of that month's entries.
    """
    return [m.label for m in period.months() if m.start >= period.start and m.end <= period.end]


def effective_adjustments(db, months: list[str], units: list[str] | None = None) -> list[Adjustment]:
    """Entries that count for scoring: not reversed and not reversals, in entry order."""
    if not months:
        return []
    marks = ",".join("?" for _ in months)
    rows = db.execute(
        f"""SELECT {_COLUMNS} FROM adjustments a
            WHERE period IN ({marks}) AND reverses_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM adjustments r WHERE r.reverses_id = a.id)
            ORDER BY id""",
        list(months),
    ).fetchall()
    out = [_row_to_adjustment(r) for r in rows]
    if units is not None:
        wanted = set(units)
        out = [a for a in out if a.unit in wanted]
    return out
