"""Drill-down (domain.md §4): the case numbers behind any figure, by the same per-case flags as the counts."""

from __future__ import annotations

from models import registry
from models.definitions import Definitions
from models.indicators import (
    FIGURES,
    FILED_WHERE,
    LIGHT_FIGURES,
    case_filter_sql,
    period_query,
    unit_aliases,
    with_aliases,
)
from models.overdue import lights_where
from models.periods import Period


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


def unit_names(db, unit: str, with_subunits: bool = False) -> list[str]:
    """The unit names a case filter on `unit` selects: the unit (and, 含下属单位, its registered descendants)
    with every alias, as a score counts them."""
    return with_aliases(db, _unit_list(db, unit, with_subunits, None) or [])


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
    """The case numbers behind any figure (domain.md §4), sorted by case number.

    figure: accepted | filed | need_dispose | disposed | disposed_on_time | due_to_close | closed |
    closed_on_time | rework | overdue_open | disposed_late | light_green | light_yellow | light_red |
    serious_overdue | returned. `accepted` selects by 上报时间, every other figure by 立案时间.
    """
    if figure not in FIGURES:
        raise ValueError(f"未知的统计项「{figure}」（可选：{'、'.join(FIGURES)}）")
    defs, moment, flags, params = period_query(db, period, defs, as_of)
    chosen = _unit_list(db, unit, with_subunits, units)
    if chosen is not None:
        chosen = with_aliases(db, chosen)
    filters = case_filter_sql(params, units=chosen, kind=kind, minor=minor)
    if figure == "accepted":
        sql = (
            "SELECT case_no FROM cases WHERE reported_at >= :start AND reported_at < :end AND cancelled = 0"
            f"{filters} ORDER BY case_no"
        )
        return [r[0] for r in db.execute(sql, params)]
    if figure in LIGHT_FIGURES:
        lights, _ = lights_where(db, moment, FILED_WHERE + filters, params)
        if figure == "serious_overdue":
            return sorted(c.case_no for c in lights if c.serious)
        wanted = figure.removeprefix("light_")
        return sorted(c.case_no for c in lights if c.light == wanted)
    sql = f"SELECT case_no FROM cases WHERE {FILED_WHERE}{filters} AND {flags[figure]} ORDER BY case_no"
    return [r[0] for r in db.execute(sql, params)]
