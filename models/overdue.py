"""Timer lights (亮灯) for open cases at an as-of time (domain.md §5).

green: under 80 % of the time limit used; yellow: 80–100 %; red: past the deadline; serious: more than
twice the limit used (flagged for escalation); that rule is models.lights.judge_light, shared with 两违.
The share is measured in the limit's own kind of time: working time for 工作日/工作时 limits, clock time for
自然小时 (and for export deadlines with no known limit).
A case with neither a deadline nor a limit cannot be late: it stays green, with a data-quality warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from models.lights import LIGHT_LABELS as LIGHT_LABELS  # re-exported: the exporters and pages read it here
from models.lights import SERIOUS_OVER, SHARE_PLACES, YELLOW_FROM, judge_light, used_share
from models.periods import TS_FORMAT
from models.workcalendar import WORKING_UNITS, LimitTable, WorkCalendar, parse_ts

LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2}  # the ones to act on first

# open at :asof = dispatched, filed by then, and neither disposed nor closed by then
OPEN_AT = (
    "(dispatched_at IS NOT NULL OR COALESCE(unit, '') <> '') AND filed_at <= :asof"
    " AND NOT (disposed_at IS NOT NULL AND disposed_at <= :asof)"
    " AND NOT (closed_at IS NOT NULL AND closed_at <= :asof)"
)


@dataclass(frozen=True)
class CaseLight:
    case_no: str
    unit: str | None
    minor: str | None
    deadline_at: str | None
    used_share: Decimal | None  # 1.0 = the whole limit used; None when no deadline is known
    light: str  # green | yellow | red
    serious: bool
    kind: str | None = None
    dispatched_at: str | None = None
    limit_unit: str | None = None  # 工作日 | 工作时 | 自然小时 | None (export deadline, clock time)
    # hours past the deadline at as_of (negative: hours still left), in the limit's own kind of time:
    # working hours for a 工作日/工作时 limit, clock hours otherwise; None without a deadline
    overdue_hours: Decimal | None = None
    working_day_hours: Decimal = Decimal(7)  # the office schedule's working hours per day

    @property
    def working(self) -> bool:
        return self.limit_unit in WORKING_UNITS

    @property
    def share_text(self) -> str:
        """The share of the time limit used, in whole percent, rounded half-up like every published figure."""
        if self.used_share is None:
            return ""
        return f"{(self.used_share * 100).quantize(Decimal(1), ROUND_HALF_UP)}%"


def classify(
    calendar: WorkCalendar,
    limits: LimitTable,
    as_of: datetime,
    *,
    case_no: str,
    unit: str | None,
    kind: str | None,
    minor: str | None,
    start_text: str | None,
    deadline_text: str | None,
) -> CaseLight:
    """One case's light at as_of."""
    limit = limits.find(kind, minor)
    start = parse_ts(start_text)
    deadline = parse_ts(deadline_text)
    if deadline is None and limit is not None and start is not None:
        deadline = calendar.deadline(start, limit)
        deadline_text = deadline.strftime(TS_FORMAT)
    base = {"case_no": case_no, "unit": unit, "minor": minor, "kind": kind, "dispatched_at": start_text}
    limit_unit = limit.unit if limit is not None else None
    if deadline is None:
        return CaseLight(**base, deadline_at=None, used_share=None, light="green", serious=False, limit_unit=limit_unit)
    working = limit.is_working if limit is not None else False
    if start is None or start >= deadline:
        share = Decimal(0) if as_of <= deadline else None
    else:
        share = used_share(calendar.elapsed(start, as_of, working), calendar.elapsed(start, deadline, working))
    light, serious = judge_light(share, as_of > deadline, yellow_from=YELLOW_FROM, serious_over=SERIOUS_OVER)
    return CaseLight(
        **base,
        deadline_at=deadline_text,
        used_share=share,
        light=light,
        serious=serious,
        limit_unit=limit_unit,
        overdue_hours=_overdue_hours(calendar, limit_unit in WORKING_UNITS, deadline, as_of),
        working_day_hours=_hours(calendar.day_seconds),
    )


def _hours(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / 3600).quantize(SHARE_PLACES, ROUND_HALF_UP)


def _overdue_hours(calendar: WorkCalendar, working: bool, deadline: datetime, as_of: datetime) -> Decimal:
    """Hours past the deadline (negative: left before it), working or clock hours (see CaseLight)."""
    if as_of >= deadline:
        return _hours(calendar.elapsed(deadline, as_of, working))
    return -_hours(calendar.elapsed(as_of, deadline, working))


def used_time_text(light: CaseLight) -> str:
    """已用时限 as people read it: 超期 3 个工作日 / 超期 5.5 个工作小时 / 超期 26 小时 / 超期 3.1 天 /
    剩余 2 个工作小时 / 无时限 — the time past (or left before) the deadline, in the limit's own kind of time
    (working time for 工作日/工作时 limits, clock time otherwise); a day or more reads in days."""
    if light.overdue_hours is None:
        return "无时限"
    hours = abs(light.overdue_hours)
    if hours == 0:
        return "刚到截止时间"
    day = light.working_day_hours if light.working else Decimal(24)
    if hours >= day:
        amount, word = hours / day, ("个工作日" if light.working else "天")
    else:
        amount, word = hours, ("个工作小时" if light.working else "小时")
    number = amount.quantize(Decimal("0.1"), ROUND_HALF_UP).normalize()
    return f"{'超期' if light.overdue_hours > 0 else '剩余'} {number:f} {word}"


def lights_where(db, as_of: datetime, where: str, params: dict) -> tuple[list[CaseLight], list[str]]:
    """Lights of the open cases among those matching `where` (named params), and data-quality warnings."""
    calendar = WorkCalendar.from_db(db)
    limits = LimitTable.from_db(db)
    params = dict(params) | {"asof": as_of.strftime(TS_FORMAT)}
    rows = db.execute(
        "SELECT case_no, unit, kind, minor, COALESCE(dispatched_at, filed_at), deadline_at FROM cases"
        f" WHERE {where} AND {OPEN_AT}",
        params,
    ).fetchall()
    out = [
        classify(
            calendar,
            limits,
            as_of,
            case_no=case_no,
            unit=unit,
            kind=kind,
            minor=minor,
            start_text=start,
            deadline_text=deadline,
        )
        for case_no, unit, kind, minor, start, deadline in rows
    ]
    out.sort(key=lambda c: (-(c.used_share if c.used_share is not None else Decimal(-1)), c.case_no))
    warnings = list(calendar.warnings)
    unknown = [c.case_no for c in out if c.deadline_at is None]
    if unknown:
        shown = "、".join(unknown[:20]) + ("等" if len(unknown) > 20 else "")
        warnings.append(f"{len(unknown)} 件在办案件既无处置截止时间也无可用时限，按未超期计：{shown}")
    return out, warnings


def open_case_lights(db, as_of: datetime, *, unit: str | None = None) -> list[CaseLight]:
    """Every open case at as_of (whatever its period), most used share first."""
    return open_case_lights_report(db, as_of, unit=unit)[0]


def open_case_lights_report(db, as_of: datetime, *, unit: str | None = None) -> tuple[list[CaseLight], list[str]]:
    """open_case_lights plus the data-quality and calendar warnings, for the overdue-watch page."""
    where = "filed_at IS NOT NULL AND cancelled = 0"
    params: dict = {}
    if unit is not None:
        where += " AND unit = :unit"
        params["unit"] = unit
    return lights_where(db, as_of, where, params)


def light_counts(lights: Iterable[CaseLight]) -> dict[str, int]:
    """How many of `lights` are green, yellow and red, and how many are seriously overdue."""
    counts = dict.fromkeys(("green", "yellow", "red", "serious"), 0)
    for case in lights:
        counts[case.light] += 1
        counts["serious"] += bool(case.serious)
    return counts
