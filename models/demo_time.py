"""Working-time arithmetic for the demo generator only (deadlines and timer-light targets).

The demo writes its own 处置截止时间, so it needs a small working clock: the default office schedule
(domain.md §5: 08:00–12:00, 14:30–17:30) on China's statutory calendar. The app's real working calendar
(with user overrides and settings) is models.workcalendar; this module deliberately does not depend on it,
so the demo data stays the same whatever a user configures.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

SCHEDULE = ((time(8, 0), time(12, 0)), (time(14, 30), time(17, 30)))


@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    """Statutory working day (调休 included) where chinesecalendar knows the year, else Monday–Friday."""
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (NotImplementedError, ImportError):
        return day.weekday() < 5


def is_holiday(day: date) -> bool:
    """A weekday off work (a statutory holiday), as opposed to an ordinary weekend."""
    return day.weekday() < 5 and not is_workday(day)


def _segments(day: date) -> list[tuple[datetime, datetime]]:
    return [(datetime.combine(day, a), datetime.combine(day, b)) for a, b in SCHEDULE] if is_workday(day) else []


def add_work(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` of working time after `start`."""
    remaining, moment, day = minutes, start, start.date()
    while True:
        for seg_start, seg_end in _segments(day):
            if moment >= seg_end:
                continue
            begin = max(moment, seg_start)
            available = (seg_end - begin).total_seconds() / 60
            if remaining <= available:
                return begin + timedelta(minutes=remaining)
            remaining -= available
        day += timedelta(days=1)
        moment = datetime.combine(day, time(0))


def sub_work(end: datetime, minutes: int) -> datetime:
    """The moment `minutes` of working time before `end`."""
    remaining, moment, day = minutes, end, end.date()
    while True:
        for seg_start, seg_end in reversed(_segments(day)):
            if moment <= seg_start:
                continue
            finish = min(moment, seg_end)
            available = (finish - seg_start).total_seconds() / 60
            if remaining <= available:
                return finish - timedelta(minutes=remaining)
            remaining -= available
        day -= timedelta(days=1)
        moment = datetime.combine(day, time(23, 59, 59))


def work_minutes(start: datetime, end: datetime) -> float:
    """Working minutes between two moments (0 when end <= start)."""
    total, day = 0.0, start.date()
    while day <= end.date():
        for seg_start, seg_end in _segments(day):
            begin, finish = max(start, seg_start), min(end, seg_end)
            if finish > begin:
                total += (finish - begin).total_seconds() / 60
        day += timedelta(days=1)
    return total
