"""Period indicators of domain.md §4: the per-case flags and their counts, overall, per unit and per group.

Why SQL expressions: each figure is a per-case flag (an SQL boolean over the case's own timestamps and the
definitions in force); a count is the sum of a flag and a drill-down (models.drilldown) lists the cases where
it is true, so a figure and its case list can never disagree. The flags read only columns of the covering
partial index ``idx_cases_filed_stats``, which keeps a month's statistics off the wide case rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import datetime
from decimal import Decimal

from models import registry
from models.definitions import DEFERRED_STAGE_WORDS, Definitions, load_definitions
from models.errors import UserFacingError
from models.labels import FIGURE_LABELS  # noqa: F401 - figure words: one table (models.labels)
from models.numbers import fmt2, rate
from models.periods import TS_FORMAT, Period
from models.workcalendar import parse_ts

COUNT_FIGURES = (
    "filed",
    "need_dispose",
    "disposed",
    "disposed_on_time",
    "due_to_close",
    "closed",
    "closed_on_time",
    "rework",
)
RATE_FIGURES = ("disposal_rate", "on_time_disposal_rate", "closure_rate", "on_time_closure_rate", "rework_rate")
LIGHT_FIGURES = ("light_green", "light_yellow", "light_red", "serious_overdue")
# the cases behind a data-quality warning (models.quality): inferred 处置时间, no deadline, computed deadline
QUALITY_FIGURES = ("disposed_inferred", "no_deadline", "deadline_from_limit")
# 回退 (returned_count): counted for rule sets and drill-down; not a figure of the published bulletin
EXTRA_COUNT_FIGURES = ("returned",)
FIGURES = (
    "accepted",
    *COUNT_FIGURES,
    "overdue_open",
    "disposed_late",
    *LIGHT_FIGURES,
    *QUALITY_FIGURES,
    *EXTRA_COUNT_FIGURES,
)
# The figures the GUI offers a case list for, 立案 first (the CLI's --figure takes any of FIGURES).
OFFERED_FIGURES = (COUNT_FIGURES[0], "accepted", *COUNT_FIGURES[1:], "overdue_open")

# Base of every filed-case query: the terms match the partial index's WHERE so SQLite may use it.
FILED_WHERE = "filed_at >= :start AND filed_at < :end AND cancelled = 0"


@dataclass(frozen=True)
class Counts:
    """The integer figures of one set of filed cases; rates derive from them (Decimal, half-up, or None)."""

    filed: int = 0
    need_dispose: int = 0
    disposed: int = 0
    disposed_on_time: int = 0
    due_to_close: int = 0
    closed: int = 0
    closed_on_time: int = 0
    rework: int = 0
    rework_base: int = 0
    returned: int = 0

    @property
    def disposed_late(self) -> int:
        """超期处置数 = 处置数 − 按期处置数."""
        return self.disposed - self.disposed_on_time

    @property
    def disposal_rate(self) -> Decimal | None:
        return rate(self.disposed, self.need_dispose)

    @property
    def on_time_disposal_rate(self) -> Decimal | None:
        return rate(self.disposed_on_time, self.need_dispose)

    @property
    def closure_rate(self) -> Decimal | None:
        return rate(self.closed, self.due_to_close)

    @property
    def on_time_closure_rate(self) -> Decimal | None:
        return rate(self.closed_on_time, self.due_to_close)

    @property
    def rework_rate(self) -> Decimal | None:
        return rate(self.rework, self.rework_base)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def to_json(self, names: Iterable[str]) -> dict[str, int | str | None]:
        """The named figures as JSON values: counts as integers, rates as two-decimal strings or None."""
        values = {name: getattr(self, name) for name in names}
        return {name: value if isinstance(value, int) else fmt2(value) for name, value in values.items()}


# ---------------------------------------------------------------- as-of and flags


class AsOfError(UserFacingError):
    """An as-of time the user typed that is not a date-time (CLI --as-of): exit 2, not an internal error."""


def resolve_as_of(period: Period, as_of: str | datetime | None = None) -> datetime:
    """domain.md §4: the period's last moment, or now if earlier; or what the user gave."""
    if as_of:
        try:
            moment = parse_ts(as_of)
        except ValueError as exc:
            raise AsOfError(f"判断时刻 --as-of：{exc}") from None
        assert moment is not None
        return moment
    now = datetime.now().replace(microsecond=0)
    return min(period.last_moment, now)


def as_of_json(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def flag_sql(defs: Definitions, period: Period) -> dict[str, str]:
    """figure → SQL boolean over one case row; parameters :cut (period end) and :asof (as-of text)."""
    cut = defs.cutoff == "period_end"
    need = "(dispatched_at IS NOT NULL OR COALESCE(unit, '') <> '')"
    disposed_by_cut = "(disposed_at IS NOT NULL" + (" AND disposed_at < :cut)" if cut else ")")
    closed_by_cut = "(closed_at IS NOT NULL" + (" AND closed_at < :cut)" if cut else ")")
    on_time = "(deadline_at IS NULL OR disposed_at <= deadline_at)"
    disposed = f"({need} AND {disposed_by_cut})"
    overdue_undisposed = f"({need} AND NOT {disposed_by_cut} AND deadline_at IS NOT NULL AND deadline_at < :asof)"
    deferred = "(" + " OR ".join(f"COALESCE(stage, '') LIKE '%{w}%'" for w in DEFERRED_STAGE_WORDS) + ")"
    due = "(1 = 1)" if defs.due_to_close == "filed" else f"({disposed} OR {overdue_undisposed})"
    if defs.exclude_deferred:
        due = f"({due} AND NOT {deferred})"
    flags = {
        "filed": "(1 = 1)",
        "need_dispose": need,
        "disposed": disposed,
        "disposed_on_time": f"({disposed} AND {on_time})",
        "disposed_late": f"({disposed} AND NOT {on_time})",
        "due_to_close": due,
        "closed": closed_by_cut,
        "closed_on_time": (
            f"({closed_by_cut} AND (deadline_at IS NULL OR COALESCE(disposed_at, closed_at) <= deadline_at))"
        ),
        "rework": "(rework_count > 0)",
        "returned": "(returned_count > 0)",
        # open at the as-of moment (not yet disposed nor closed then) and past its deadline
        "overdue_open": (
            f"({need} AND NOT (disposed_at IS NOT NULL AND disposed_at <= :asof)"
            " AND NOT (closed_at IS NOT NULL AND closed_at <= :asof)"
            " AND deadline_at IS NOT NULL AND deadline_at < :asof)"
        ),
    }
    flags["rework_base"] = flags["disposed"] if defs.rework_rate_base == "disposed" else due
    flags["disposed_inferred"] = "(disposed_source = 'inferred')"
    flags["no_deadline"] = f"({need} AND deadline_at IS NULL)"
    flags["deadline_from_limit"] = "(deadline_source = 'limit')"
    return flags


def _params(period: Period, as_of: datetime) -> dict[str, str]:
    return {
        "start": period.start_text,
        "end": period.end_text,
        "cut": period.end_text,
        "asof": as_of.strftime(TS_FORMAT),
    }


def _sums(flags: dict[str, str]) -> str:
    names = (*COUNT_FIGURES, "rework_base", *EXTRA_COUNT_FIGURES)
    return ", ".join(f"SUM(CASE WHEN {flags[n]} THEN 1 ELSE 0 END)" for n in names)


def _counts(row) -> Counts:
    return Counts(*(int(v or 0) for v in row))


def case_filter_sql(
    params: dict, *, units: list[str] | None = None, kind: str | None = None, minor: str | None = None
) -> str:
    """` AND …` terms restricting a case query to units, a kind or a 小类 (their values go into params)."""
    sql = ""
    if units is not None:
        marks = []
        for i, name in enumerate(units):
            params[f"u{i}"] = name
            marks.append(f":u{i}")
        sql += f" AND unit IN ({', '.join(marks) or 'NULL'})"
    if kind:
        params["kind"] = kind
        sql += " AND kind = :kind"
    if minor:
        params["minor"] = minor
        sql += " AND minor = :minor"
    return sql


def period_query(db, period: Period, defs: Definitions | None, as_of) -> tuple[Definitions, datetime, dict, dict]:
    """The definitions in force, the as-of moment, the flag SQL and the query parameters of one period."""
    defs = defs or load_definitions(db)
    moment = resolve_as_of(period, as_of)
    return defs, moment, flag_sql(defs, period), _params(period, moment)


# ---------------------------------------------------------------- counts


def counts_for_units(
    db,
    period: Period,
    units: list[str] | None,
    defs: Definitions | None = None,
    as_of=None,
    *,
    kind: str | None = None,
    minor: str | None = None,
    disposed_source: str | None = None,
) -> Counts:
    """The figures of the whole city (units=None) or of the union of the given units' cases (optionally
    only those whose 处置时间 has the given source, e.g. "inferred")."""
    defs, _, flags, params = period_query(db, period, defs, as_of)
    if units is not None:
        units = with_aliases(db, units)
    where = FILED_WHERE + case_filter_sql(params, units=units, kind=kind, minor=minor)
    if disposed_source:
        where += " AND disposed_source = :disposed_source"
        params["disposed_source"] = disposed_source
    return _counts(db.execute(f"SELECT {_sums(flags)} FROM cases WHERE {where}", params).fetchone())


GROUP_COLUMNS = ("unit", "district", "street", "kind", "minor")
MASK_FIGURES = (*COUNT_FIGURES[1:], "rework_base", *EXTRA_COUNT_FIGURES)  # filed is 1 for every scanned row


@dataclass(frozen=True)
class FlagScan:
    """The period's filed cases as columns: unit, district, street, kind, minor values and flag bitmasks."""

    columns: dict[str, tuple]
    masks: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.masks)


def scan_flags(db, period: Period, defs: Definitions | None = None, as_of=None) -> FlagScan:
    """One scan of the covering index: per filed case its grouping columns and a bitmask of its flags.

    Why a bitmask: one scan of the period feeds every grouping (unit, district, street, kind, 小类) in
    Python (Counter over zipped columns runs at C speed), instead of one grouped SQL query and sort each.
    """
    defs, _, flags, params = period_query(db, period, defs, as_of)
    mask = " + ".join(f"(CASE WHEN {flags[n]} THEN {1 << i} ELSE 0 END)" for i, n in enumerate(MASK_FIGURES))
    sql = f"SELECT {', '.join(GROUP_COLUMNS)}, {mask} FROM cases WHERE {FILED_WHERE}"
    rows = db.execute(sql, params).fetchall()
    if not rows:
        return FlagScan({c: () for c in GROUP_COLUMNS}, ())
    *values, masks = zip(*rows, strict=True)
    return FlagScan(dict(zip(GROUP_COLUMNS, values, strict=True)), masks)


def group_counts(scan: FlagScan, column: str) -> dict:
    """Counts per value of one column of a flag scan."""
    acc: dict = {}
    for (key, mask), n in Counter(zip(scan.columns[column], scan.masks, strict=True)).items():
        vec = acc.get(key)
        if vec is None:
            vec = acc[key] = [0] * (len(MASK_FIGURES) + 1)
        vec[0] += n
        for bit in range(len(MASK_FIGURES)):
            if mask >> bit & 1:
                vec[bit + 1] += n
    return {key: Counts(*vec) for key, vec in acc.items()}


def counts_by_unit(db, period: Period, defs: Definitions | None = None, as_of=None) -> dict[str, Counts]:
    """Each unit's own cases (no roll-up: that belongs to scoring); cases without a unit are left out."""
    return merge_aliases(db, group_counts(scan_flags(db, period, defs, as_of), "unit"))


def merge_aliases(db, by_unit: dict) -> dict[str, Counts]:
    """Counts keyed by the case's unit text → keyed by registry name: an alias's cases count for its unit.

    Why: an alias entered after an import (``units set U --alias A``, as ``units list`` suggests for an
    unknown unit) leaves the stored cases under the alias text; they must count for U, not vanish.
    """
    aliases = unit_aliases(db)
    out: dict[str, Counts] = {}
    for name, counts in by_unit.items():
        if not name:
            continue
        name = aliases.get(name, name)
        out[name] = out[name] + counts if name in out else counts
    return out


def unit_aliases(db) -> dict[str, str]:
    """alias → registry unit, leaving out an "alias" that is itself a registry unit's name (it means itself)."""
    names = {u.name for u in registry.list_units(db)}
    return {alias: unit for alias, unit in registry.alias_map(db).items() if alias not in names and alias != unit}


def with_aliases(db, units: list[str]) -> list[str]:
    """The unit names plus every alias of them (alias names given are resolved first), for case filters."""
    aliases = unit_aliases(db)
    names = list(dict.fromkeys(aliases.get(u, u) for u in units))
    wanted = set(names)
    return names + [a for a, u in aliases.items() if u in wanted and a not in wanted]
