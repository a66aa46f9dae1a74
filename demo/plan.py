"""The demo month's plan: how many records per channel, which filed case goes to which unit, how each ends.

Exact where the seed bulletin fixes a figure (November 2021: channel counts, 小类 counts, 276 undisposed,
芗城区城市管理局's 47 / 16), drawn with a seeded random generator everywhere else; apportion() keeps every
total exact. The numbers come from resources/demo/plan.toml and categories.toml (demo.tables).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from demo.tables import Tables

LIGHT_MIX = {"green": 35, "yellow": 20, "red": 35, "serious": 10}  # timer lights aimed at for undisposed cases


@dataclass
class Ticket:
    """A filed case while it is being planned: what it is, who handles it, how it ends, then its times."""

    minor: str
    unit: str
    channel: str = ""
    outcome: str = "on_time"  # on_time | late | open | cancelled
    rework: int = 0
    light: str | None = None  # open cases: the timer light aimed at for the month's end
    day: date | None = None
    seq: int | None = None  # a pinned sequence number (the bulletin's named cases)
    blank_deadline: bool = False
    times: tuple | None = None  # reported, filed, dispatched, deadline, disposed, closed


def apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split `total` in proportion to `weights` exactly (largest remainder), never above a cap."""
    n = len(weights)
    result = [0] * n
    if total <= 0 or n == 0:
        return result
    caps = caps if caps is not None else [total] * n
    free = [i for i in range(n) if weights[i] > 0 and caps[i] > 0]
    remaining = total
    while remaining > 0 and free:
        weight_sum = sum(weights[i] for i in free)
        shares = {i: remaining * weights[i] / weight_sum for i in free}
        over = [i for i in free if result[i] + shares[i] >= caps[i]]
        if over:  # pin capped entries, share the rest again
            for i in over:
                remaining -= caps[i] - result[i]
                result[i] = caps[i]
            free = [i for i in free if i not in over]
            continue
        floors = {i: int(shares[i]) for i in free}
        for i in free:
            result[i] += floors[i]
        left = remaining - sum(floors.values())
        order = sorted(free, key=lambda i: (-(shares[i] - floors[i]), i))
        for i in order[:left]:
            result[i] += 1
        remaining = 0
    return result


def channel_counts(tables: Tables, year: int, month: int, scale: int, rng: random.Random) -> dict[str, int]:
    plan = tables.plan
    key = f"{year:04d}-{month:02d}"
    seed = plan["seed_month"]
    if (year, month) == (seed["year"], seed["month"]):
        return {name: count * scale for name, count in plan["channels"].items()}
    if key in plan.get("months", {}):
        return {name: count * scale for name, count in plan["months"][key]["channels"].items()}
    growth = 0.55 + 0.075 * (year - 2017)
    season = (0.9, 0.85, 1.0, 1.05, 1.1, 1.08, 1.12, 1.1, 1.02, 0.95, 1.0, 0.97)[month - 1]
    filed = set(plan["filed_channels"])
    counts = {}
    for name, base in plan["channels"].items():
        if name in filed or not plan["unfiled"].get(name, {}).get("census", True):
            jitter = rng.uniform(0.9, 1.1)
        else:  # census campaigns come and go
            jitter = 0.0 if rng.random() < 0.25 else rng.uniform(0.2, 1.3)
        counts[name] = round(base * growth * season * jitter * scale)
    return counts


def plan_tickets(
    tables: Tables, year: int, month: int, scale: int, rng: random.Random, channels: dict[str, int]
) -> list[Ticket]:
    """Every filed case of the month: category, unit, channel and outcome (times come later)."""
    plan = tables.plan
    seed = plan["seed_month"]
    exact = (year, month) == (seed["year"], seed["month"])
    filed_channels = [c for c in plan["filed_channels"] if channels.get(c)]
    total = sum(channels[c] for c in filed_channels)
    cats = tables.categories
    if exact:
        minor_counts = [c.nov * scale for c in cats]
        if sum(minor_counts) != total:
            raise ValueError("resources/demo: category counts do not add up to the filed channels")
    else:
        minor_counts = apportion(total, [c.nov * rng.uniform(0.8, 1.2) for c in cats])
    fixed = seed["fixed"] if exact else {}

    tickets: list[Ticket] = []
    for cat, count in zip(cats, minor_counts, strict=True):
        pinned = {unit: spec["minors"].get(cat.minor, 0) * scale for unit, spec in fixed.items()}
        for unit, n in pinned.items():
            tickets.extend(Ticket(cat.minor, unit) for _ in range(n))
        units = [(u, w) for u, w in cat.units if u not in fixed]
        weights = [w if exact else w * rng.uniform(0.7, 1.3) for _, w in units]
        for (unit, _), n in zip(units, apportion(count - sum(pinned.values()), weights), strict=True):
            tickets.extend(Ticket(cat.minor, unit) for _ in range(n))

    rng.shuffle(tickets)
    channel_list = [c for c in filed_channels for _ in range(channels[c])]
    for ticket, channel in zip(tickets, channel_list, strict=True):
        ticket.channel = channel

    by_unit: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        by_unit.setdefault(ticket.unit, []).append(ticket)
    units = list(by_unit)
    sizes = [len(by_unit[u]) for u in units]
    shortfall = [tables.shortfall.get(u, 0.0) for u in units]
    if exact:
        open_total = seed["open_cases"] * scale - sum(spec["open"] * scale for spec in fixed.values())
        weights = [0.0 if u in fixed else n * s for u, n, s in zip(units, sizes, shortfall, strict=True)]
    else:
        rate = plan.get("months", {}).get(f"{year:04d}-{month:02d}", {}).get("open_rate")
        open_total = round(total * (rate if rate is not None else rng.uniform(0.02, 0.045)))
        weights = [n * (s + 0.3) for n, s in zip(sizes, shortfall, strict=True)]
    open_counts = apportion(open_total, weights, caps=[max(0, n - 1) for n in sizes])

    for unit, size, short, n_open in zip(units, sizes, shortfall, open_counts, strict=True):
        group = by_unit[unit]
        jitter = 1.0 if exact else rng.uniform(0.7, 1.3)
        if unit in fixed:
            n_open, n_late = fixed[unit]["open"] * scale, fixed[unit]["late"] * scale
        else:
            n_late = round(min(0.6, 0.022 * short * jitter) * (size - n_open))
        n_rework = round(min(0.1, 0.006 * short * jitter) * (size - n_open))
        for i, ticket in enumerate(group):
            ticket.outcome = "open" if i < n_open else "late" if i < n_open + n_late else "on_time"
        closed = [t for t in group if t.outcome != "open"]
        for ticket in rng.sample(closed, min(n_rework, len(closed))):
            ticket.rework = 2 if rng.random() < 0.15 else 1

    open_tickets = [t for t in tickets if t.outcome == "open"]
    lights = list(LIGHT_MIX)
    light_counts = apportion(len(open_tickets), [LIGHT_MIX[name] for name in lights])
    light_list = [name for name, n in zip(lights, light_counts, strict=True) for _ in range(n)]
    rng.shuffle(light_list)
    for ticket, light in zip(open_tickets, light_list, strict=True):
        ticket.light = light

    key = f"{year:04d}-{month:02d}"
    extra = plan.get("months", {}).get(key, {})
    if extra:  # the neighbouring demo months: a few blank deadlines and cancelled records
        for ticket in tickets:
            if ticket.outcome != "open" and rng.random() < 0.01:
                ticket.blank_deadline = True
        for _ in range(int(extra.get("cancelled", 0)) * scale):
            cat = rng.choices(cats, weights=[c.nov for c in cats])[0]
            unit = rng.choices([u for u, _ in cat.units], weights=[w for _, w in cat.units])[0]
            tickets.append(Ticket(cat.minor, unit, channel=filed_channels[0], outcome="cancelled"))

    for special in plan.get("special", []):
        number = special["case_no"]
        day = date(int(number[:4]), int(number[4:6]), int(number[6:8]))
        if (day.year, day.month) != (year, month):
            continue
        chosen = next(
            (t for t in tickets if t.unit == special["unit"] and t.outcome in ("on_time", "late") and t.seq is None),
            None,
        )
        if chosen is None:
            raise ValueError(f"demo: no case of {special['unit']} to carry {number}")
        chosen.day, chosen.seq = day, int(number[8:])
    return tickets
