"""The demo months' case records: a deterministic generator of platform-style rows.

November 2021 at scale 1 and seed 0 reproduces every figure of the seed bulletin except the 56 scores
(figures-2021-11.json); September and October 2021 are plausible neighbours so trends show something.
Any month of 2017–2026 can be generated (benchmarks), `scale` multiplying the volume. All the numbers the
generator uses are data in resources/demo/ (demo.tables); nothing here names a unit or a category.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from demo.plan import Ticket, apportion, channel_counts, plan_tickets
from demo.tables import Category, Street, Tables, load_tables
from models.periods import TS_FORMAT
from models.workcalendar import WorkCalendar

# The default office schedule on the statutory calendar, without the user's overrides or settings: the demo
# writes its own 处置截止时间, and its data must not depend on what a user configures.
CALENDAR = WorkCalendar()
MINUTE = 60

LIGHT_SHARES = {"green": (0.25, 0.7), "yellow": (0.83, 0.97), "red": (1.15, 1.9), "serious": (2.3, 4.0)}
ADDRESS_SUFFIXES = ("", "", "", "附近", "旁", "对面", "路段", "路口")


# ------------------------------------------------------------------ helpers


def _fmt(moment: datetime | None) -> str | None:
    return moment.isoformat(" ") if moment is not None else None  # == strftime(TS_FORMAT) for whole seconds, faster


def _pick(rng: random.Random, items):
    """rng.choice without its per-call overhead (the generator makes millions of picks)."""
    return items[int(rng.random() * len(items))]


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1)
    end = datetime(year + 1, 1, 1) if month == 12 else datetime(year, month + 1, 1)
    return start, end


def _days(year: int, month: int) -> list[date]:
    start, end = _month_bounds(year, month)
    return [(start + timedelta(days=i)).date() for i in range((end - start).days)]


def _day_weight(day: date, census: bool) -> float:
    if CALENDAR.is_workday(day):
        return 1.0
    if census:
        return 0.15
    holiday = day.weekday() < 5  # a weekday off work: a statutory holiday, quieter than a weekend
    return 0.55 if holiday else 0.75


def _add_work(start: datetime, minutes: int) -> datetime:
    return CALENDAR.add_working_seconds(start, minutes * MINUTE)


# ------------------------------------------------------------------ times


def _deadline(cat: Category, dispatched: datetime) -> datetime:
    if cat.natural:
        return dispatched + timedelta(minutes=cat.limit_minutes)
    return _add_work(dispatched, cat.limit_minutes)


def _report_time(rng: random.Random, day: date, daytime: bool, end: datetime) -> datetime:
    """A report moment on `day`: inspectors in the daytime, the hotline around the clock."""
    if daytime or rng.random() < 0.8:
        minute = rng.randrange(7 * 60 + 30, 18 * 60 + 30)
    else:
        minute = rng.randrange(0, 24 * 60)
    moment = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    latest = end - timedelta(hours=3)
    return min(moment, latest - timedelta(minutes=rng.randrange(0, 120)))


def _time_closed(rng: random.Random, ticket: Ticket, cat: Category, reported: datetime) -> tuple:
    """Times of a case that ends disposed and closed (on time or late), or cancelled."""
    filed = reported + timedelta(minutes=rng.randint(3, 90))
    dispatched = filed + timedelta(minutes=rng.randint(2, 40))
    deadline = _deadline(cat, dispatched)
    if ticket.outcome == "cancelled":
        return reported, filed, dispatched, deadline, None, None
    if ticket.outcome == "on_time":  # somewhere inside the limit, in office hours for working-time limits
        used = max(5, int(cat.limit_minutes * rng.uniform(0.1, 0.92)))
        disposed = dispatched + timedelta(minutes=used) if cat.natural else _add_work(dispatched, used)
    else:  # late: some working time past the deadline, now and then days
        disposed = _add_work(deadline, 20 + min(int(rng.expovariate(1 / 300)), 10 * 420))
    closed = _add_work(disposed, rng.randint(20, 600) + 420 * ticket.rework)  # the centre checks, then closes
    return reported, filed, dispatched, deadline, disposed, closed


def _time_open(rng: random.Random, ticket: Ticket, cat: Category, start: datetime, end: datetime) -> tuple:
    """Times of a case still undisposed at the month's end, aimed at its timer light then."""
    as_of = end - timedelta(minutes=1)
    earliest = start + timedelta(hours=3)
    low, high = LIGHT_SHARES[ticket.light or "green"]
    used = round(cat.limit_minutes * rng.uniform(low, high))
    if cat.natural:
        used = min(used, int((as_of - earliest).total_seconds() // 60))
        dispatched = as_of - timedelta(minutes=used)
    else:
        used = min(used, int(CALENDAR.working_seconds_between(earliest, as_of) / MINUTE))
        dispatched = CALENDAR.sub_working_seconds(as_of, used * MINUTE)
    filed = dispatched - timedelta(minutes=rng.randint(2, 40))
    reported = max(start, filed - timedelta(minutes=rng.randint(3, 90)))
    return reported, filed, dispatched, _deadline(cat, dispatched), None, None


# ------------------------------------------------------------------ rows


def _place(rng: random.Random, streets: list[Street]) -> tuple[Street, str, str, str]:
    r = rng.random
    street = _pick(rng, streets)
    c = int(r() * len(street.communities))
    grid = f"{street.district_code}{street.number:03d}{c + 1:03d}{int(r() * 12) + 1:02d}"
    address = f"{street.district}{_pick(rng, street.roads)}{int(r() * 320) + 1}号{_pick(rng, ADDRESS_SUFFIXES)}"
    return street, street.communities[c], grid, address


def _row(
    rng: random.Random,
    tables: Tables,
    channel: str,
    cat: Category,
    streets: list[Street],
    unit: str | None,
    times: tuple,
    stage: str,
    rework: int = 0,
) -> dict:
    street, community, grid, address = _place(rng, streets)
    reported, filed, dispatched, deadline, disposed, closed = times
    return {
        "case_no": None,
        "source": tables.channel_source.get(channel),
        "channel": channel,
        "kind": cat.kind,
        "major_code": cat.major_code,
        "major": cat.major,
        "minor_code": cat.code,
        "minor": cat.minor,
        "detail": None,
        "description": _pick(rng, cat.texts).format(addr=address),
        "district": street.district,
        "street": street.name,
        "community": community,
        "grid": grid,
        "address": address,
        "unit": unit,
        "reported_at": _fmt(reported),
        "filed_at": _fmt(filed),
        "dispatched_at": _fmt(dispatched),
        "deadline_at": _fmt(deadline),
        "disposed_at": _fmt(disposed),
        "closed_at": _fmt(closed),
        "stage": stage,
        "rework_count": rework,
    }


def _ticket_row(rng: random.Random, tables: Tables, ticket: Ticket) -> dict:
    stages = tables.plan["stages"]
    stage = {"open": stages["open"], "cancelled": stages["cancelled"]}.get(ticket.outcome, stages["closed"])
    cat = tables.category(ticket.minor)
    times = ticket.times
    if ticket.blank_deadline:
        times = times[:3] + (None,) + times[4:]
    return _row(
        rng, tables, ticket.channel, cat, tables.unit_streets[ticket.unit], ticket.unit, times, stage, ticket.rework
    )


def _unfiled_rows(rng: random.Random, tables: Tables, day: date, counts: dict[str, int], end: datetime) -> list[dict]:
    """Accepted-only records of one day: on-the-spot fixes and census sweeps (no 立案, no unit)."""
    rows = []
    for channel, count in counts.items():
        spec = tables.plan["unfiled"][channel]
        kind_cats = [c for c in tables.categories if c.kind == spec["kind"]]
        if spec["minors"] == ["*"]:
            cats = kind_cats
        else:
            cats = [tables.category(m) for m in spec["minors"]]
        census = spec.get("census", True)
        low, high = (8 * 60 + 30, 17 * 60 + 30) if census else (7 * 60 + 30, 18 * 60 + 30)
        midnight = datetime.combine(day, datetime.min.time())
        for _ in range(count):
            times = (midnight + timedelta(minutes=low + int(rng.random() * (high - low))), None, None, None, None, None)
            rows.append(_row(rng, tables, channel, _pick(rng, cats), tables.streets, None, times, spec["stage"]))
    return rows


def _make_room_for_pinned(
    tickets: list[Ticket], days: list[date], per_day: dict[str, list[int]], day_totals: list[int]
) -> None:
    """A pinned number (e.g. …0540) needs that many records on its day: move accepted-only records there."""
    for ticket in tickets:
        if ticket.seq is None or not per_day:
            continue
        target = days.index(ticket.day)
        channel = max(per_day, key=lambda c: sum(per_day[c]))
        counts = per_day[channel]
        wanted = ticket.seq + 30  # not the day's last record either
        if day_totals[target] >= ticket.seq:
            continue
        while day_totals[target] < wanted:
            donor = max(range(len(days)), key=lambda i: (counts[i] if i != target else -1, -i))
            if counts[donor] == 0:
                break
            moved = min(wanted - day_totals[target], counts[donor])
            counts[donor] -= moved
            counts[target] += moved
            day_totals[donor] -= moved
            day_totals[target] += moved


# ------------------------------------------------------------------ public API


def iter_month_cases(year: int, month: int, *, scale: int = 1, seed: int = 0) -> Iterator[dict]:
    """Yield one month's records as canonical fields (models.records.CASE_FIELDS), timestamps as text.

    Deterministic: the same (year, month, scale, seed) gives the same rows. Records come day by day in
    case-number order (yyyymmdd + sequence, 4 digits unless a day needs more), so memory stays flat.
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    tables = load_tables()
    rng = random.Random(f"chengguan-demo:{seed}:{year:04d}-{month:02d}")
    start, end = _month_bounds(year, month)
    days = _days(year, month)
    channels = channel_counts(tables, year, month, scale, rng)
    tickets = plan_tickets(tables, year, month, scale, rng, channels)

    filed_weights = [_day_weight(d, census=False) for d in days]
    daytime_channels = set(tables.plan.get("daytime_channels", []))
    for ticket in tickets:
        cat = tables.category(ticket.minor)
        if ticket.outcome == "open":
            ticket.times = _time_open(rng, ticket, cat, start, end)
            ticket.day = ticket.times[0].date()
            continue
        if ticket.day is None:
            ticket.day = rng.choices(days, weights=filed_weights)[0]
        daytime = ticket.channel in daytime_channels
        ticket.times = _time_closed(rng, ticket, cat, _report_time(rng, ticket.day, daytime, end))

    by_day: dict[date, list[Ticket]] = {d: [] for d in days}
    for ticket in tickets:
        by_day[ticket.day].append(ticket)

    unfiled = {c: n for c, n in channels.items() if c in tables.plan["unfiled"] and n > 0}
    per_day: dict[str, list[int]] = {}
    for channel, count in unfiled.items():
        census = tables.plan["unfiled"][channel].get("census", True)
        weights = [_day_weight(d, census) * rng.uniform(0.85, 1.15) for d in days]
        per_day[channel] = apportion(count, weights)

    day_totals = [len(by_day[d]) + sum(per_day[c][i] for c in per_day) for i, d in enumerate(days)]
    _make_room_for_pinned(tickets, days, per_day, day_totals)
    width = max(4, len(str(max(day_totals, default=0))))
    for i, day in enumerate(days):
        pinned = [t for t in by_day[day] if t.seq is not None]
        rows = [_ticket_row(rng, tables, t) for t in by_day[day] if t.seq is None]
        rows += _unfiled_rows(rng, tables, day, {c: per_day[c][i] for c in per_day}, end)
        rows.sort(key=lambda r: r["reported_at"])
        for ticket in sorted(pinned, key=lambda t: t.seq):
            position = min(ticket.seq - 1, len(rows))
            before = rows[position - 1]["reported_at"] if position else None
            reported = datetime.strptime(before, TS_FORMAT) if before else datetime.combine(day, datetime.min.time())
            reported = min(reported, datetime.combine(day, datetime.min.time()) + timedelta(hours=21))
            ticket.times = _time_closed(rng, ticket, tables.category(ticket.minor), reported)  # filed the same day
            rows.insert(position, _ticket_row(rng, tables, ticket))
        stamp = day.strftime("%Y%m%d")
        for number, row in enumerate(rows, start=1):
            row["case_no"] = f"{stamp}{number:0{width}d}"
            yield row
