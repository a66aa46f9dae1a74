"""The demo generator's data tables (resources/demo/*.toml), loaded once and checked.

Why separate: the generator's numbers (categories, places, volumes, the seed month's fixed points) are data a
reader can audit against the seed bulletin without reading code.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from models.store import RESOURCES

DEMO = RESOURCES / "demo"


@dataclass(frozen=True)
class Category:
    kind: str
    code: str
    major_code: str
    major: str
    minor: str
    nov: int
    limit_minutes: int
    natural: bool
    units: tuple[tuple[str, float], ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Street:
    name: str
    district: str
    district_code: str
    number: int  # 1-based within its district
    unit: str
    communities: tuple[str, ...]
    roads: tuple[str, ...]


@dataclass
class Tables:
    categories: list[Category]
    census_categories: dict[str, Category]
    streets: list[Street]
    unit_streets: dict[str, list[Street]]
    plan: dict
    channel_source: dict[str, str]
    unit_district: dict[str, str | None]
    shortfall: dict[str, float] = field(default_factory=dict)

    def category(self, minor: str) -> Category:
        for cat in self.categories:
            if cat.minor == minor:
                return cat
        return self.census_categories[minor]


def _read(name: str) -> dict:
    with (DEMO / name).open("rb") as fh:
        return tomllib.load(fh)


def _category(kind: str, row: dict, groups: dict[str, list[str]]) -> Category:
    units: list[tuple[str, float]] = []
    for name, weight in row.get("units", {}).items():
        if name.startswith("@"):
            units.extend((member, float(weight)) for member in groups[name[1:]])
        else:
            units.append((name, float(weight)))
    return Category(
        kind=kind,
        code=row["code"],
        major_code=row["major_code"],
        major=row["major"],
        minor=row["minor"],
        nov=int(row.get("nov", 0)),
        limit_minutes=int(row.get("limit", 35)) * 60,
        natural=bool(row.get("natural", False)),
        units=tuple(units),
        texts=tuple(row.get("text", ["{addr}" + row["minor"]])),
    )


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """Read and cross-check resources/demo (every unit named must be in the registry)."""
    cats = _read("categories.toml")
    places = _read("places.toml")
    plan = _read("plan.toml")
    groups = plan["groups"]
    categories = [_category("部件", r, groups) for r in cats["part"]] + [
        _category("事件", r, groups) for r in cats["event"]
    ]
    census = {r["minor"]: _category(r["kind"], r, groups) for r in plan.get("census_category", [])}
    codes = {d["name"]: d["code"] for d in places["district"]}
    streets: list[Street] = []
    numbers: dict[str, int] = {}
    for row in places["street"]:
        numbers[row["district"]] = numbers.get(row["district"], 0) + 1
        streets.append(
            Street(
                name=row["name"],
                district=row["district"],
                district_code=codes[row["district"]],
                number=numbers[row["district"]],
                unit=row["unit"],
                communities=tuple(row["communities"]),
                roads=tuple(row["roads"]),
            )
        )
    by_name = {s.name: s for s in streets}
    registry = json.loads((RESOURCES / "units.json").read_text(encoding="utf-8"))
    unit_district = {u["unit"]: u.get("district") for u in registry["units"]}
    unit_streets: dict[str, list[Street]] = {}
    for unit, district in unit_district.items():
        own = [s for s in streets if s.unit == unit]
        if own:
            unit_streets[unit] = own
        elif unit in places.get("unit_streets", {}):
            unit_streets[unit] = [by_name[n] for n in places["unit_streets"][unit]]
        elif district:
            unit_streets[unit] = [s for s in streets if s.district == district]
        else:
            unit_streets[unit] = list(streets)
    channels = tomllib.loads((RESOURCES / "channels.toml").read_text(encoding="utf-8"))["channel"]
    tables = Tables(
        categories=categories,
        census_categories=census,
        streets=streets,
        unit_streets=unit_streets,
        plan=plan,
        channel_source={c["name"]: c["source"] for c in channels},
        unit_district=unit_district,
        shortfall={k: float(v) for k, v in plan.get("shortfall", {}).items()},
    )
    _check(tables)
    return tables


def _check(tables: Tables) -> None:
    """Fail loudly on a typo in the tables rather than generate a silently different demo."""
    known = set(tables.unit_district)
    named = {u for c in tables.categories for u, _ in c.units} | set(tables.shortfall)
    named |= set(tables.plan["seed_month"]["fixed"]) | {s["unit"] for s in tables.plan.get("special", [])}
    unknown = sorted(named - known)
    if unknown:
        raise ValueError(f"resources/demo: units not in the registry: {unknown}")
    for channel in tables.plan["channels"]:
        if channel not in tables.channel_source:
            raise ValueError(f"resources/demo: channel {channel} not in channels.toml")
