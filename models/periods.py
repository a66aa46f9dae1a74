"""Reporting periods (cli.md "Periods"): month, quarter, year or an inclusive date range.

A period is the half-open interval [start, end). Timestamps in the store are text
``YYYY-MM-DD HH:MM:SS``, so the bounds are given as text too, for direct comparison in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.errors import UserFacingError

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
YEARS = (1900, 2999)  # periods the store can hold; a typo such as 0201 is named instead of counted as empty


class PeriodError(UserFacingError):
    """A period argument that is malformed or impossible (message in Chinese naming the wrong part)."""


@dataclass(frozen=True)
class Period:
    label: str  # the string the user gave: "2021-11", "2021-Q4", "2021", "2021-11-01..2021-11-30"
    kind: str  # month | quarter | year | range
    start: datetime  # inclusive
    end: datetime  # exclusive

    @property
    def start_text(self) -> str:
        return self.start.strftime(TS_FORMAT)

    @property
    def end_text(self) -> str:
        return self.end.strftime(TS_FORMAT)

    @property
    def last_moment(self) -> datetime:
        """The last second inside the period (what "as of the period's end" prints)."""
        return self.end - timedelta(seconds=1)

    def contains(self, ts: str | None) -> bool:
        return ts is not None and self.start_text <= ts < self.end_text

    def previous(self) -> Period:
        """The period of the same length just before this one (for rank changes and trends)."""
        if self.kind == "month":
            year, month = self.start.year, self.start.month - 1
            if month == 0:
                year, month = year - 1, 12
            return month_period(year, month)
        if self.kind == "quarter":
            year, quarter = self.start.year, (self.start.month - 1) // 3
            if quarter == 0:
                year, quarter = year - 1, 4
            return quarter_period(year, quarter)
        if self.kind == "year":
            return year_period(self.start.year - 1)
        length = self.end - self.start
        first = (self.start - length).date()
        last = (self.start - timedelta(days=1)).date()
        return range_period(first, last)

    def months(self) -> list[Period]:
        """The calendar months this period touches."""
        out, year, month = [], self.start.year, self.start.month
        while datetime(year, month, 1) < self.end:
            out.append(month_period(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def period_words(period: Period) -> str:
    """The period as the office writes it: 2021年11月 / 2021年第四季度 / 2021年 / 2021年11月1日至2021年11月30日."""
    s = period.start
    if period.kind == "month":
        return f"{s.year}年{s.month}月"
    if period.kind == "quarter":
        return f"{s.year}年第{'一二三四'[(s.month - 1) // 3]}季度"
    if period.kind == "year":
        return f"{s.year}年"
    last = period.last_moment
    return f"{s.year}年{s.month}月{s.day}日至{last.year}年{last.month}月{last.day}日"


def month_period(year: int, month: int) -> Period:
    start = datetime(year, month, 1)
    end = datetime(year + 1, 1, 1) if month == 12 else datetime(year, month + 1, 1)
    return Period(f"{year:04d}-{month:02d}", "month", start, end)


def quarter_period(year: int, quarter: int) -> Period:
    start = datetime(year, 3 * (quarter - 1) + 1, 1)
    end = datetime(year + 1, 1, 1) if quarter == 4 else datetime(year, 3 * quarter + 1, 1)
    return Period(f"{year:04d}-Q{quarter}", "quarter", start, end)


def year_period(year: int) -> Period:
    return Period(f"{year:04d}", "year", datetime(year, 1, 1), datetime(year + 1, 1, 1))


def range_period(first: date, last: date) -> Period:
    if last < first:
        raise PeriodError(f"日期范围无效：结束日期 {last} 早于开始日期 {first}")
    start = datetime(first.year, first.month, first.day)
    end = datetime(last.year, last.month, last.day) + timedelta(days=1)
    return Period(f"{first.isoformat()}..{last.isoformat()}", "range", start, end)


def of_kind(period: Period, kind: str, months_with_data: list[str] | tuple[str, ...] = ()) -> Period:
    """The period of `kind` a user means when switching the period picker from `period`: the one around the
    latest month of `period` that has data (2021-Q4 with data up to November → 2021-11), else around its last
    month; a range keeps the period's dates."""
    if kind == period.kind:
        return period
    if kind == "range":
        return range_period(period.start.date(), period.last_moment.date())
    months = period.months()
    data = set(months_with_data)
    anchor = next((m for m in reversed(months) if m.label in data), months[-1])
    year, month = anchor.start.year, anchor.start.month
    if kind == "month":
        return anchor
    if kind == "quarter":
        return quarter_period(year, (month - 1) // 3 + 1)
    if kind == "year":
        return year_period(year)
    raise ValueError(f"unknown period kind {kind}")


def _check_year(year: str) -> int:
    if not YEARS[0] <= int(year) <= YEARS[1]:
        raise PeriodError(f"年份超出范围：{year}（应为 {YEARS[0]}–{YEARS[1]}）")
    return int(year)


def _check_month(month: str) -> int:
    if not 1 <= int(month) <= 12:
        raise PeriodError(f"月份超出范围：{int(month)}（应为 1–12）")
    return int(month)


def parse_month(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match:
        raise PeriodError(f"月份格式应为 YYYY-MM，收到「{text}」")
    return month_period(_check_year(match.group(1)), _check_month(match.group(2)))


def parse_quarter(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-?[Qq](\d)", text.strip())
    if not match:
        raise PeriodError(f"季度格式应为 YYYY-Qn，收到「{text}」")
    if not 1 <= int(match.group(2)) <= 4:
        raise PeriodError(f"季度超出范围：Q{match.group(2)}（应为 Q1–Q4）")
    return quarter_period(_check_year(match.group(1)), int(match.group(2)))


def parse_year(text: str) -> Period:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise PeriodError(f"年份格式应为 YYYY，收到「{text}」")
    return year_period(_check_year(text.strip()))


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
        if not match:
            raise PeriodError(f"日期格式应为 YYYY-MM-DD，收到「{text}」") from None
        year, month = _check_year(match.group(1)), _check_month(match.group(2))
        days = (month_period(year, month).end - month_period(year, month).start).days
        raise PeriodError(f"日期超出范围：{int(match.group(3))} 日（{year}年{month}月只有 {days} 天）") from None
    _check_year(f"{day.year:04d}")
    return day


def parse_label(label: str) -> Period:
    """Turn a JSON ``period`` string back into a Period."""
    if ".." in label:
        first, last = label.split("..", 1)
        return range_period(parse_day(first), parse_day(last))
    if "Q" in label.upper():
        return parse_quarter(label)
    if re.fullmatch(r"\d{4}", label):
        return parse_year(label)
    return parse_month(label)


def period_from_args(
    month: str | None = None,
    quarter: str | None = None,
    year: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Period:
    """The CLI's period flags (exactly one kind) to a Period."""
    given = [x for x in (month, quarter, year) if x] + ([date_from or date_to] if (date_from or date_to) else [])
    if len(given) != 1:
        raise PeriodError("请指定一个统计周期：--month YYYY-MM、--quarter YYYY-Qn、--year YYYY 或 --from/--to")
    if month:
        return parse_month(month)
    if quarter:
        return parse_quarter(quarter)
    if year:
        return parse_year(year)
    if not (date_from and date_to):
        raise PeriodError("--from 与 --to 需同时给出")
    return range_period(parse_day(date_from), parse_day(date_to))
