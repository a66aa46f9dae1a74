"""Period indicators of domain.md §4, overall and per unit, with the case numbers behind every figure.

Why SQL expressions: each figure is a per-case flag (an SQL boolean over the case's own timestamps and the
definitions in force); a count is the sum of a flag and a drill-down lists the cases where it is true, so
a figure and its case list can never disagree. The flags read only columns of the covering partial index
``idx_cases_filed_stats`` (migration 2), which keeps a month's statistics off the wide case rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from models import registry
from models.definitions import DEFERRED_STAGE_WORDS, Definitions, load_definitions
from models.errors import UserFacingError
from models.numbers import fmt2, rate
from models.periods import TS_FORMAT, Period
from models.records import KINDS
from models.workcalendar import parse_ts

SOURCE_ORDER = ("信息采集", "公众举报", "专项普查")
UNKNOWN_SOURCE = "未注明来源"
UNKNOWN_CHANNEL = "未注明渠道"
UNKNOWN_MINOR = "未注明小类"

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
LIGHT_FIGURES = ("light_green", "light_yellow", "light_red", "serious_overdue")
FIGURES = ("accepted", *COUNT_FIGURES, "overdue_open", "disposed_late", *LIGHT_FIGURES)

# figure -> the office's word for it (CLI choices, export titles, file names, rule details all use these)
FIGURE_LABELS: dict[str, str] = {
    "accepted": "受理",
    "filed": "立案",
    "need_dispose": "应处置",
    "disposed": "处置",
    "disposed_on_time": "按期处置",
    "disposed_late": "超期处置",
    "due_to_close": "应结案",
    "closed": "结案",
    "closed_on_time": "按期结案",
    "rework": "返工",
    "overdue_open": "超期未处置",
    "light_green": "绿灯",
    "light_yellow": "黄灯",
    "light_red": "红灯",
    "serious_overdue": "严重超期",
}

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
        return Counts(*(a + b for a, b in zip(_astuple(self), _astuple(other), strict=True)))

    def rates_json(self) -> dict[str, str | None]:
        return {
            "disposal_rate": fmt2(self.disposal_rate),
            "on_time_disposal_rate": fmt2(self.on_time_disposal_rate),
            "closure_rate": fmt2(self.closure_rate),
            "on_time_closure_rate": fmt2(self.on_time_closure_rate),
            "rework_rate": fmt2(self.rework_rate),
        }


def _astuple(c: Counts) -> tuple[int, ...]:
    return (
        c.filed,
        c.need_dispose,
        c.disposed,
        c.disposed_on_time,
        c.due_to_close,
        c.closed,
        c.closed_on_time,
        c.rework,
        c.rework_base,
    )


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
        # open at the as-of moment (not yet disposed nor closed then) and past its deadline
        "overdue_open": (
            f"({need} AND NOT (disposed_at IS NOT NULL AND disposed_at <= :asof)"
            " AND NOT (closed_at IS NOT NULL AND closed_at <= :asof)"
            " AND deadline_at IS NOT NULL AND deadline_at < :asof)"
        ),
    }
    flags["rework_base"] = flags["disposed"] if defs.rework_rate_base == "disposed" else due
    return flags


def _params(period: Period, as_of: datetime) -> dict[str, str]:
    return {
        "start": period.start_text,
        "end": period.end_text,
        "cut": period.end_text,
        "asof": as_of.strftime(TS_FORMAT),
    }


def _sums(flags: dict[str, str]) -> str:
    names = (*COUNT_FIGURES, "rework_base")
    return ", ".join(f"SUM(CASE WHEN {flags[n]} THEN 1 ELSE 0 END)" for n in names)


def _counts(row) -> Counts:
    return Counts(*(int(v or 0) for v in row))


def _filter_sql(
    params: dict, *, units: list[str] | None = None, kind: str | None = None, minor: str | None = None
) -> str:
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


def _setup(db, period: Period, defs: Definitions | None, as_of) -> tuple[Definitions, datetime, dict, dict]:
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
) -> Counts:
    """The figures of the whole city (units=None) or of the union of the given units' cases."""
    defs, _, flags, params = _setup(db, period, defs, as_of)
    if units is not None:
        units = with_aliases(db, units)
    where = FILED_WHERE + _filter_sql(params, units=units, kind=kind, minor=minor)
    return _counts(db.execute(f"SELECT {_sums(flags)} FROM cases WHERE {where}", params).fetchone())


GROUP_COLUMNS = ("unit", "district", "street", "kind", "minor")
MASK_FIGURES = (*COUNT_FIGURES[1:], "rework_base")  # filed is 1 for every scanned row


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
    defs, _, flags, params = _setup(db, period, defs, as_of)
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


def counts_grouped(db, period: Period, column: str, defs: Definitions | None = None, as_of=None) -> dict:
    """The figures per value of one case column (unit, district, street, kind, minor)."""
    if column not in GROUP_COLUMNS:
        raise ValueError(column)
    return group_counts(scan_flags(db, period, defs, as_of), column)


def counts_by_unit(db, period: Period, defs: Definitions | None = None, as_of=None) -> dict[str, Counts]:
    """Each unit's own cases (no roll-up: that belongs to scoring); cases without a unit are left out."""
    return merge_aliases(db, counts_grouped(db, period, "unit", defs, as_of))


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


# ---------------------------------------------------------------- drill-down


def _unit_list(db, unit: str | None, with_subunits: bool, units: list[str] | None) -> list[str] | None:
    if units is not None:
        chosen = list(units)
        if with_subunits:
            chosen = list(dict.fromkeys(n for u in units for n in registry.subtree(db, u)))
        return chosen
    if unit is None:
        return None
    unit = unit_aliases(db).get(unit, unit)
    return registry.subtree(db, unit) if with_subunits else [unit]


def case_numbers(
    db,
    period: Period,
    figure: str,
    *,
    unit: str | None = None,
    with_subunits: bool = False,
    kind: str | None = None,
    minor: str | None = None,
    as_of=None,
    defs: Definitions | None = None,
    units: list[str] | None = None,
) -> list[str]:
    """The case numbers behind any figure (domain.md §4; issue 3 item 5), sorted by case number.

    figure: accepted | filed | need_dispose | disposed | disposed_on_time | due_to_close | closed |
    closed_on_time | rework | overdue_open | disposed_late | light_green | light_yellow | light_red |
    serious_overdue. `accepted` selects by 上报时间, every other figure by 立案时间.
    """
    if figure not in FIGURES:
        raise ValueError(f"未知的统计项「{figure}」（可选：{'、'.join(FIGURES)}）")
    defs, moment, flags, params = _setup(db, period, defs, as_of)
    chosen = _unit_list(db, unit, with_subunits, units)
    if chosen is not None:
        chosen = with_aliases(db, chosen)
    filters = _filter_sql(params, units=chosen, kind=kind, minor=minor)
    if figure == "accepted":
        sql = (
            "SELECT case_no FROM cases WHERE reported_at >= :start AND reported_at < :end AND cancelled = 0"
            f"{filters} ORDER BY case_no"
        )
        return [r[0] for r in db.execute(sql, params)]
    if figure in LIGHT_FIGURES:
        from models.overdue import lights_where

        lights, _ = lights_where(db, moment, FILED_WHERE + filters, params)
        if figure == "serious_overdue":
            return sorted(c.case_no for c in lights if c.serious)
        wanted = figure.removeprefix("light_")
        return sorted(c.case_no for c in lights if c.light == wanted)
    sql = f"SELECT case_no FROM cases WHERE {FILED_WHERE}{filters} AND {flags[figure]} ORDER BY case_no"
    return [r[0] for r in db.execute(sql, params)]


# ---------------------------------------------------------------- the stats document


def _ordered_units(db, names: list[str]) -> list[tuple[str, str | None]]:
    """Registry units first (category A, B, C, then registry order), then unknown units by name."""
    present = set(names)
    known = [(u.name, u.category) for u in registry.list_units(db) if u.name in present]
    known_names = {n for n, _ in known}
    return known + [(n, None) for n in sorted(present - known_names)]


def channel_source_pairs(db) -> list[tuple[str | None, str | None]]:
    """Every (channel, source) pair in the store, by a loose index scan of idx_cases_accepted.

    Why: a GROUP BY over a month's 受理 records sorts tens of thousands of text keys; walking the few
    distinct pairs with MIN(...) > ? seeks and counting each pair's date range reads only index entries.
    """
    base = "FROM cases WHERE cancelled = 0"
    channels: list[str | None] = []
    current = db.execute(f"SELECT MIN(channel) {base}").fetchone()[0]
    while current is not None:
        channels.append(current)
        current = db.execute(f"SELECT MIN(channel) {base} AND channel > ?", (current,)).fetchone()[0]
    if db.execute(f"SELECT 1 {base} AND channel IS NULL LIMIT 1").fetchone():
        channels.append(None)
    pairs: list[tuple[str | None, str | None]] = []
    for channel in channels:
        current = db.execute(f"SELECT MIN(source) {base} AND channel IS ?", (channel,)).fetchone()[0]
        while current is not None:
            pairs.append((channel, current))
            current = db.execute(
                f"SELECT MIN(source) {base} AND channel IS ? AND source > ?", (channel, current)
            ).fetchone()[0]
        if db.execute(f"SELECT 1 {base} AND channel IS ? AND source IS NULL LIMIT 1", (channel,)).fetchone():
            pairs.append((channel, None))
    return pairs


def accepted_counts(db, period: Period, pairs=None) -> list[tuple[str | None, str | None, int]]:
    """(channel, source, count) of the records reported in the period (non-zero counts only)."""
    out = []
    for channel, source in pairs if pairs is not None else channel_source_pairs(db):
        count = db.execute(
            "SELECT COUNT(*) FROM cases WHERE cancelled = 0 AND channel IS ? AND source IS ?"
            " AND reported_at >= ? AND reported_at < ?",
            (channel, source, period.start_text, period.end_text),
        ).fetchone()[0]
        if count:
            out.append((channel, source, count))
    return out


def accepted_breakdown(db, period: Period) -> dict:
    """受理 by source and channel (domain.md §1, §4): by 上报时间, all sources, cancelled left out."""
    channel_source = dict(db.execute("SELECT name, source FROM channels").fetchall())
    sources: dict[str, dict[str, int]] = {}
    total = 0
    for channel, source, count in accepted_counts(db, period):
        source = source or channel_source.get(channel or "") or UNKNOWN_SOURCE
        channel = channel or UNKNOWN_CHANNEL
        bucket = sources.setdefault(source, {})
        bucket[channel] = bucket.get(channel, 0) + count
        total += count

    def source_key(item: tuple[str, dict[str, int]]):
        name, channels = item
        if name in SOURCE_ORDER:
            return (0, SOURCE_ORDER.index(name), 0, "")
        return (1, 0, -sum(channels.values()), name)

    out = []
    for name, channels in sorted(sources.items(), key=source_key):
        ordered = sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            {
                "name": name,
                "count": sum(channels.values()),
                "channels": [{"name": c, "count": n} for c, n in ordered],
            }
        )
    return {"total": total, "sources": out}


def kinds_breakdown(db, period: Period, filed: int, scan: FlagScan | None = None) -> list[dict]:
    """部件/事件 counts with their share of 立案, and every 小类 ranked by count, ties by name (code point)."""
    if scan is None:
        scan = scan_flags(db, period)
    kinds: dict[str, dict[str, int]] = {k: {} for k in KINDS}
    pairs = Counter(zip(scan.columns["kind"], scan.columns["minor"], strict=True))
    for (kind, minor), count in pairs.items():
        bucket = kinds.setdefault(kind or "未注明类型", {})
        bucket[minor or UNKNOWN_MINOR] = bucket.get(minor or UNKNOWN_MINOR, 0) + count
    order = list(KINDS) + sorted((k for k in kinds if k not in KINDS), key=lambda k: (-sum(kinds[k].values()), k))
    out = []
    for name in order:
        minors = kinds[name]
        count = sum(minors.values())
        out.append(
            {
                "name": name,
                "count": count,
                "share": fmt2(rate(count, filed)),
                "top": [{"name": m, "count": n} for m, n in sorted(minors.items(), key=lambda kv: (-kv[1], kv[0]))],
            }
        )
    return out


def _unit_json(name: str, category: str | None, c: Counts) -> dict:
    return {
        "unit": name,
        "category": category,
        "need_dispose": c.need_dispose,
        "disposed": c.disposed,
        "disposed_on_time": c.disposed_on_time,
        "due_to_close": c.due_to_close,
        "closed": c.closed,
        "closed_on_time": c.closed_on_time,
        "rework": c.rework,
        "disposal_rate": fmt2(c.disposal_rate),
        "on_time_disposal_rate": fmt2(c.on_time_disposal_rate),
        "closure_rate": fmt2(c.closure_rate),
        "on_time_closure_rate": fmt2(c.on_time_closure_rate),
        # additions (cli.md allows adding keys)
        "filed": c.filed,
        "disposed_late": c.disposed_late,
        "rework_rate": fmt2(c.rework_rate),
    }


def _area_json(name: str, c: Counts) -> dict:
    return {
        "name": name,
        "filed": c.filed,
        "closed": c.closed,
        "closure_rate": fmt2(c.closure_rate),
        "need_dispose": c.need_dispose,
        "disposed": c.disposed,
        "disposed_on_time": c.disposed_on_time,
        "due_to_close": c.due_to_close,
        "closed_on_time": c.closed_on_time,
        "rework": c.rework,
        "disposal_rate": fmt2(c.disposal_rate),
        "on_time_disposal_rate": fmt2(c.on_time_disposal_rate),
        "on_time_closure_rate": fmt2(c.on_time_closure_rate),
    }


def _areas(grouped: dict) -> list[dict]:
    items = [(name, c) for name, c in grouped.items() if name]
    items.sort(key=lambda kv: (-kv[1].filed, kv[0]))
    return [_area_json(name, c) for name, c in items]


def stats_document(db, period: Period, as_of: str | None = None, defs: Definitions | None = None) -> dict:
    """Exactly cli.md's ``stats --json`` (keys in its order), plus added keys at the end."""
    defs = defs or load_definitions(db)
    moment = resolve_as_of(period, as_of)
    rows = scan_flags(db, period, defs, moment)
    grouped = group_counts(rows, "unit")
    total = Counts()
    for c in grouped.values():
        total = total + c
    by_unit = merge_aliases(db, grouped)
    units = [_unit_json(name, cat, by_unit[name]) for name, cat in _ordered_units(db, list(by_unit))]
    definitions = defs.to_json() | {
        "as_of": as_of_json(moment),
        "period_assignment": "受理按上报时间；立案及之后各项按立案时间；作废案件不计",
        "top_order": "count desc, then name in code-point order",
    }
    doc = {
        "period": period.label,
        "as_of": as_of_json(moment),
        "accepted": accepted_breakdown(db, period),
        "filed": total.filed,
        "need_dispose": total.need_dispose,
        "disposed": total.disposed,
        "disposed_on_time": total.disposed_on_time,
        "due_to_close": total.due_to_close,
        "closed": total.closed,
        "closed_on_time": total.closed_on_time,
        "rework": total.rework,
        "disposal_rate": fmt2(total.disposal_rate),
        "on_time_disposal_rate": fmt2(total.on_time_disposal_rate),
        "closure_rate": fmt2(total.closure_rate),
        "on_time_closure_rate": fmt2(total.on_time_closure_rate),
        "rework_rate": fmt2(total.rework_rate),
        "kinds": kinds_breakdown(db, period, total.filed, rows),
        "units": units,
        "districts": _areas(group_counts(rows, "district")),
        "definitions": definitions,
        # additions
        "disposed_late": total.disposed_late,
        "rework_base": total.rework_base,
        "streets": _areas(group_counts(rows, "street")),
        "warnings": data_quality_warnings(db, period),
    }
    return doc


def data_quality_warnings(db, period: Period) -> list[str]:
    """Filed cases that cannot be late for lack of a deadline (domain.md §5), named by number."""
    rows = db.execute(
        f"SELECT case_no FROM cases WHERE {FILED_WHERE} AND deadline_at IS NULL"
        " AND (dispatched_at IS NOT NULL OR COALESCE(unit, '') <> '') ORDER BY case_no",
        {"start": period.start_text, "end": period.end_text},
    ).fetchall()
    if not rows:
        return []
    numbers = [r[0] for r in rows]
    shown = "、".join(numbers[:20]) + ("等" if len(numbers) > 20 else "")
    return [f"{len(numbers)} 件立案案件没有处置截止时间（导出未提供，也无法按处置时限计算），按按期计：{shown}"]


# ---------------------------------------------------------------- trend


def trend(db, end_period: Period, months: int = 12, defs: Definitions | None = None) -> list[dict]:
    """The monthly figures of the `months` months ending with end_period's last month, oldest first."""
    defs = defs or load_definitions(db)
    last = end_period.months()[-1] if end_period.kind != "month" else end_period
    periods = [last]
    while len(periods) < months:
        periods.append(periods[-1].previous())
    periods.reverse()
    out = []
    for p in periods:
        c = counts_for_units(db, p, None, defs, as_of=None)
        accepted = db.execute(
            "SELECT COUNT(*) FROM cases WHERE reported_at >= ? AND reported_at < ? AND cancelled = 0",
            (p.start_text, p.end_text),
        ).fetchone()[0]
        out.append(
            {
                "period": p.label,
                "accepted": accepted,
                "filed": c.filed,
                "need_dispose": c.need_dispose,
                "disposed": c.disposed,
                "disposed_on_time": c.disposed_on_time,
                "due_to_close": c.due_to_close,
                "closed": c.closed,
                "closed_on_time": c.closed_on_time,
                "rework": c.rework,
                **c.rates_json(),
            }
        )
    return out
