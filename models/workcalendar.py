"""Working days and working hours on China's statutory calendar, and deadlines from time limits (domain.md §5).

Why: exports often lack 处置截止时间; the deadline is then 派遣时间 + the 小类's time limit, counted in
working days, working hours (on the office schedule) or natural hours. The statutory calendar with its
调休 make-up days comes from chinesecalendar; the `holiday_overrides` table wins over it and covers years
the package does not know (those fall back to Monday–Friday with a warning naming the year).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import chinese_calendar

from models.periods import TS_FORMAT
from models.settings import Setting
from models.store import transaction

DEFAULT_SCHEDULE: tuple[tuple[str, str], ...] = (("08:00", "12:00"), ("14:30", "17:30"))
SCHEDULE = Setting("working_hours", DEFAULT_SCHEDULE)  # [(from, to), …] working periods of a day
LIMIT_UNITS = ("工作日", "工作时", "自然小时")
WORKING_UNITS = ("工作日", "工作时")
MAX_DAYS = 3660  # a limit that needs more than ten years of calendar is a data error


@dataclass(frozen=True)
class TimeLimit:
    """A 小类's disposal time limit (table time_limits)."""

    kind: str
    minor: str
    amount: Decimal
    unit: str  # 工作日 | 工作时 | 自然小时

    @property
    def is_working(self) -> bool:
        return self.unit in WORKING_UNITS


def _parse_clock(text: str) -> time:
    hours, minutes = text.strip().split(":")[:2]
    return time(int(hours), int(minutes))


def parse_ts(value: str | datetime | date | None) -> datetime | None:
    """Store text (or an ISO form such as 2021-11-30T23:59:59 / 2021-11-30) to a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(value)  # the store's form: fast path
    except (TypeError, ValueError):
        pass
    text = str(value).strip().replace("T", " ").replace("/", "-")
    for fmt in (TS_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"无法识别的时间「{value}」（应为 YYYY-MM-DD HH:MM:SS）")


class WorkCalendar:
    """The statutory calendar + overrides + office schedule, with per-day caching.

    Warnings (years outside the known calendar) accumulate in `warnings`, one per year.
    """

    def __init__(
        self,
        overrides: dict[date, bool] | None = None,
        schedule: tuple[tuple[str, str], ...] | list = DEFAULT_SCHEDULE,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.schedule = [(_parse_clock(a), _parse_clock(b)) for a, b in schedule]
        if not self.schedule or any(a >= b for a, b in self.schedule):
            raise ValueError(f"工作时间设置无效：{schedule}")
        self.day_seconds = sum(
            (datetime.combine(date.min, b) - datetime.combine(date.min, a)).total_seconds() for a, b in self.schedule
        )
        self.unknown_years: set[int] = set()
        self._cache: dict[date, bool] = {}

    @classmethod
    def from_db(cls, db) -> WorkCalendar:
        overrides = {
            date.fromisoformat(day): bool(flag)
            for day, flag in db.execute("SELECT day, is_workday FROM holiday_overrides")
        }
        return cls(overrides, SCHEDULE.read(db))

    @property
    def warnings(self) -> list[str]:
        return [
            f"{year} 年不在法定节假日日历的已知范围内（chinesecalendar {chinese_calendar.__version__}），"
            f"该年按周一至周五为工作日计算；请在节假日调整表中补充 {year} 年的放假与调休安排"
            for year in sorted(self.unknown_years)
        ]

    def is_workday(self, day: date) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        if day in self.overrides:
            result = self.overrides[day]
        else:
            try:
                result = chinese_calendar.is_workday(day)
            except NotImplementedError:
                self.unknown_years.add(day.year)
                result = day.weekday() < 5
        self._cache[day] = result
        return result

    def segments(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of one day (empty on a day off)."""
        if not self.is_workday(day):
            return []
        return [(datetime.combine(day, a), datetime.combine(day, b)) for a, b in self.schedule]

    def clock_start(self, moment: datetime) -> datetime:
        """When a working clock started at `moment` really starts: the moment itself inside a block, else the
        start of the next block (a lunch gap, an evening or a day off waits for it; domain.md §8)."""
        day = moment.date()
        for _ in range(MAX_DAYS):
            for seg_start, seg_end in self.segments(day):
                if seg_end > moment:
                    return max(seg_start, moment)
            day += timedelta(days=1)
        raise ValueError(f"自 {moment} 起 {MAX_DAYS} 天内没有工作日")

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """The moment when `seconds` of working time have passed after `start`."""
        return self._walk(start, seconds, forward=True)

    def sub_working_seconds(self, end: datetime, seconds: float) -> datetime:
        """The moment `seconds` of working time before `end`."""
        return self._walk(end, seconds, forward=False)

    def _walk(self, moment: datetime, seconds: float, *, forward: bool) -> datetime:
        """Walk the working intervals from `moment`, later or earlier, until `seconds` of them are used."""
        remaining = timedelta(seconds=seconds)
        if remaining <= timedelta(0):
            return moment
        day, step = moment.date(), timedelta(days=1 if forward else -1)
        for _ in range(MAX_DAYS):
            segments = self.segments(day)
            for seg_start, seg_end in segments if forward else reversed(segments):
                # the part of the interval on the walking side of `moment`
                begin, finish = (max(seg_start, moment), seg_end) if forward else (seg_start, min(seg_end, moment))
                if finish <= begin:
                    continue
                if remaining <= finish - begin:
                    return begin + remaining if forward else finish - remaining
                remaining -= finish - begin
            day += step
        side = f"自 {moment} 起" if forward else f"至 {moment} 前"
        raise ValueError(f"时限过长：{side} {MAX_DAYS} 天内无法累计足够的工作时间")

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Working time in [start, end) in seconds (0 when end <= start)."""
        if end <= start:
            return 0.0
        total = 0.0
        first, last = start.date(), end.date()
        for day in (first, last) if last > first else (first,):
            for seg_start, seg_end in self.segments(day):
                begin, finish = max(seg_start, start), min(seg_end, end)
                if finish > begin:
                    total += (finish - begin).total_seconds()
        day = first + timedelta(days=1)
        while day < last:  # whole days in between: no clipping needed
            if self.is_workday(day):
                total += self.day_seconds
            day += timedelta(days=1)
        return total

    def limit_seconds(self, limit: TimeLimit) -> float:
        """The limit's length in its own kind of time (working seconds or natural seconds)."""
        if limit.unit == "工作日":
            return float(limit.amount) * self.day_seconds
        return float(limit.amount) * 3600.0

    def deadline(self, start: datetime, limit: TimeLimit) -> datetime:
        """派遣时间 + time limit (domain.md §5)."""
        if limit.unit == "自然小时":
            return start + timedelta(seconds=self.limit_seconds(limit))
        return self.add_working_seconds(start, self.limit_seconds(limit))

    def elapsed(self, start: datetime, end: datetime, working: bool) -> float:
        """Time used between two moments in the limit's own kind of time (seconds)."""
        if working:
            return self.working_seconds_between(start, end)
        return max((end - start).total_seconds(), 0.0)


class LimitTable:
    """time_limits lookup: (kind, minor) → (kind, *) → (*, minor) → (*, *)."""

    def __init__(self, rows: list[TimeLimit]) -> None:
        self.rows = {(r.kind, r.minor): r for r in rows}

    @classmethod
    def from_db(cls, db) -> LimitTable:
        rows = []
        for kind, minor, amount, unit in db.execute("SELECT kind, minor, amount, unit FROM time_limits"):
            if unit not in LIMIT_UNITS:
                continue  # an unknown unit cannot give a deadline; such cases are warned about as "no limit"
            rows.append(TimeLimit(kind, minor, Decimal(str(amount)), unit))
        return cls(rows)

    def find(self, kind: str | None, minor: str | None) -> TimeLimit | None:
        kind, minor = kind or "", minor or ""
        for key in ((kind, minor), (kind, "*"), ("*", minor), ("*", "*")):
            if key in self.rows:
                return self.rows[key]
        return None


def fill_missing_deadlines(db, import_id: int | None = None, case_nos: list[str] | None = None) -> list[str]:
    """Compute deadline_at (deadline_source='limit') for dispatched cases that have no export deadline.

    Called by the importer inside its transaction (joins it) after writing rows; import_id=None does the
    whole store (e.g. after the user edits the time-limit table). `case_nos` narrows the search to the
    cases an import had without a deadline, read by primary key: finding them by import_id alone scans
    every stored case (0.3 s at 500,000). Returns Chinese warnings.
    """
    calendar = WorkCalendar.from_db(db)
    limits = LimitTable.from_db(db)
    sql = (
        "SELECT case_no, kind, minor, dispatched_at FROM cases"
        " WHERE (deadline_at IS NULL OR deadline_source = 'limit') AND cancelled = 0"
        " AND dispatched_at IS NOT NULL"
    )
    params: list = []
    if import_id is not None:
        sql += " AND import_id = ?"
        params.append(import_id)
    if case_nos is not None:
        sql += " AND case_no IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(case_nos))
    updates: list[tuple[str, str]] = []
    no_limit: list[str] = []
    bad: list[str] = []
    for case_no, kind, minor, dispatched_at in db.execute(sql, params).fetchall():
        limit = limits.find(kind, minor)
        if limit is None:
            no_limit.append(case_no)
            continue
        try:
            start = parse_ts(dispatched_at)
            updates.append((calendar.deadline(start, limit).strftime(TS_FORMAT), case_no))
        except ValueError:
            bad.append(case_no)
    with transaction(db):
        db.conn.executemany(
            "UPDATE cases SET deadline_at = ?, deadline_source = 'limit' WHERE case_no = ?",
            updates,
        )
    warnings = list(calendar.warnings)
    if no_limit:
        shown = "、".join(no_limit[:20]) + ("等" if len(no_limit) > 20 else "")
        warnings.append(
            f"{len(no_limit)} 件案件无处置截止时间，且其小类在处置时限表中没有时限，无法判断是否超期"
            f"（视为按期）：{shown}"
        )
    if bad:
        warnings.append(f"{len(bad)} 件案件的派遣时间无法识别，未计算截止时间：{'、'.join(bad[:20])}")
    return warnings
