"""The stats document (cli.md ``stats --json``: 受理 by source and channel, the figures, 部件/事件, units,
districts, streets) and the monthly trend, assembled from the counts of models.indicators."""

from __future__ import annotations

from collections import Counter

from models import registry
from models.definitions import Definitions, load_definitions
from models.indicators import (
    COUNT_FIGURES,
    RATE_FIGURES,
    Counts,
    FlagScan,
    as_of_json,
    counts_for_units,
    group_counts,
    merge_aliases,
    resolve_as_of,
    scan_flags,
)
from models.numbers import fmt2, rate
from models.periods import Period
from models.quality import mask_unavailable, period_warnings, unavailable_figures
from models.records import KINDS

SOURCE_ORDER = ("信息采集", "公众举报", "专项普查")
UNKNOWN_SOURCE = "未注明来源"
UNKNOWN_CHANNEL = "未注明渠道"
UNKNOWN_MINOR = "未注明小类"

# The figures of a unit and of a district or street, in cli.md's key order (keys after it are additions).
UNIT_KEYS = (
    *("need_dispose", "disposed", "disposed_on_time", "due_to_close", "closed", "closed_on_time", "rework"),
    *("disposal_rate", "on_time_disposal_rate", "closure_rate", "on_time_closure_rate"),
    *("filed", "disposed_late", "rework_rate"),
)
AREA_KEYS = (
    *("filed", "closed", "closure_rate"),
    *("need_dispose", "disposed", "disposed_on_time", "due_to_close", "closed_on_time", "rework"),
    *("disposal_rate", "on_time_disposal_rate", "on_time_closure_rate"),
)


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


def accepted_counts(db, period: Period) -> list[tuple[str | None, str | None, int]]:
    """(channel, source, count) of the records reported in the period (non-zero counts only)."""
    out = []
    for channel, source in channel_source_pairs(db):
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


def kinds_breakdown(scan: FlagScan, filed: int) -> list[dict]:
    """部件/事件 counts with their share of 立案, and every 小类 ranked by count, ties by name (code point)."""
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


def _areas(grouped: dict, unavailable: tuple[str, ...] = ()) -> list[dict]:
    items = [(name, c) for name, c in grouped.items() if name]
    items.sort(key=lambda kv: (-kv[1].filed, kv[0]))
    return [{"name": name, **mask_unavailable(c.to_json(AREA_KEYS), unavailable)} for name, c in items]


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
    gone = unavailable_figures(db, period, defs)
    units = [
        {"unit": name, "category": cat, **mask_unavailable(by_unit[name].to_json(UNIT_KEYS), gone)}
        for name, cat in _ordered_units(db, list(by_unit))
    ]
    warnings = period_warnings(db, period, defs)
    inferred = 0
    if any(w["code"] == "disposed_inferred" for w in warnings):  # of the disposed cases (cut-off applied)
        inferred = counts_for_units(db, period, None, defs, moment, disposed_source="inferred").disposed
    definitions = defs.to_json() | {
        "as_of": as_of_json(moment),
        "period_assignment": "受理按上报时间；立案及之后各项按立案时间；作废案件不计",
        "top_order": "count desc, then name in code-point order",
        "disposed_source": {"export": total.disposed - inferred, "inferred": inferred},
    }
    doc = {
        "period": period.label,
        "as_of": as_of_json(moment),
        "accepted": accepted_breakdown(db, period),
        **mask_unavailable(total.to_json((*COUNT_FIGURES, *RATE_FIGURES)), gone),
        "kinds": kinds_breakdown(rows, total.filed),
        "units": units,
        "districts": _areas(group_counts(rows, "district"), gone),
        "definitions": definitions,
        # additions
        "disposed_late": total.disposed_late,
        "rework_base": total.rework_base,
        "streets": _areas(group_counts(rows, "street"), gone),
        "warnings": warnings,
        "unavailable": list(gone),
    }
    return doc


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
                **c.to_json((*COUNT_FIGURES, *RATE_FIGURES)),
            }
        )
    return out
