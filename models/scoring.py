"""Unit scores by a rule set, explained line by line (domain.md §6, cli.md ``scores --json``).

Why lines: a score is argued over in the review meeting, so every point must be traceable. A unit's
score is *defined* as the sum of its lines, each already rounded to 0.01 (base, one line per rule, each
manual adjustment, a cap or floor), so the explanation always adds up exactly. Rules that read a rate read
the published two-decimal rate, so anyone can redo the sum from the sheet.

Decisions (documented for the office):
- Every registry unit is listed; a unit with no filed case gets the rule set's no-case treatment
  (``no_cases: true``). Units with cases that are not in the registry are not scored: they are reported in
  ``unplaced_units`` for the user to place (``units set``).
- A unit with an ``evaluation_scope`` (含下属单位) is scored on its whole subtree's cases; its descendants
  are also scored on their own. Adjustments count for the unit they were entered for (a rule set may set
  ``[adjustments] roll_up = true`` to let a parent take its descendants' adjustments too).
- Adjustments are monthly; a period counts the months lying wholly inside it. A reversed entry and its
  reversal both drop out (the ledger keeps them).
- ``rank_change`` compares with the previous period computed now with the same rule set and definitions
  (a stored result could predate a re-import or an adjustment); null when the previous period has no
  filed case or the unit had no rank then.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from models import registry
from models.adjustments import adjustment_months, effective_adjustments
from models.drilldown import case_numbers
from models.errors import UserFacingError
from models.indicators import Counts, counts_by_unit, counts_for_units
from models.labels import FIELD_LABELS
from models.numbers import HUNDRED, fmt2
from models.periods import TS_FORMAT, Period
from models.quality import mask_unavailable, missing_columns, period_warnings, unregistered_units
from models.rule_files import load_rule_set
from models.rules import COUNTS, RATES, Rule, RuleSet, Scheme
from models.store import transaction


class ScoringError(UserFacingError):
    """A scoring request the user can fix (e.g. an unknown unit)."""


def _definitions(db):
    from models.definitions import load_definitions

    return load_definitions(db)


# ---------------------------------------------------------------- small formatting helpers


def _num(value: Decimal) -> str:
    """A parameter as people write it: 100, 0.30, 10 (no exponent, trailing zeros of integers dropped)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value, "f")


def _pct(weight: Decimal) -> str:
    return _num(weight * HUNDRED) + "%"


def _line(rule: str, points: Decimal, detail: str, cases=(), **extra) -> dict:
    return {"rule": rule, "points": f"{points:.2f}", "detail": detail, "cases": list(cases), **extra}


class _CaseFinder:
    """The case numbers behind a line, fetched only for lines that carry points."""

    def __init__(self, db, period: Period, defs, members: list[str], enabled: bool):
        self.db, self.period, self.defs, self.members, self.enabled = db, period, defs, members, enabled

    def figure(self, figure: str) -> list[str]:
        if not self.enabled:
            return []
        return list(case_numbers(self.db, self.period, figure, units=self.members, defs=self.defs))

    def missing(self, base_figure: str, good_figure: str) -> list[str]:
        """Cases counted in ``base_figure`` but not in ``good_figure`` (e.g. due_to_close not closed_on_time)."""
        if not self.enabled:
            return []
        good = set(self.figure(good_figure))
        return [c for c in self.figure(base_figure) if c not in good]

    def bad_for_rate(self, rate_key: str) -> list[str]:
        _label, numerator, denominator = RATES[rate_key]
        if rate_key == "rework_rate":
            return self.figure("rework")
        return self.missing(denominator, numerator)


# ---------------------------------------------------------------- one unit's lines


def _deduction(rule: Rule, rule_set: RuleSet, raw: Decimal, detail: str, cases: Callable[[], list[str]]) -> dict:
    """A deduction line: `raw` points, at most max_points, rounded and negated; its cases only if it deducts."""
    if rule.max_points is not None and raw > rule.max_points:
        raw = rule.max_points
        detail += f"，本项最多扣{_num(rule.max_points)}分"
    points = -rule_set.round(raw)
    return _line(rule.name, points, detail, cases() if points else (), id=rule.id)


def _unavailable_line(rule: Rule, rule_set: RuleSet, column: str) -> dict:
    """A rule whose figure the data cannot give (a column missing from the export): no deduction; a
    composite component gets the rule's when_null treatment, as for a zero denominator."""
    figure = rule.rate or rule.count
    label = RATES[figure][0] if figure in RATES else COUNTS.get(figure, figure)
    why = f"{label}无法计算（导出文件没有「{column}」列）"
    if rule_set.family == "deduction":
        return _line(rule.name, Decimal(0), f"{why}，不扣分", id=rule.id)
    component = HUNDRED if rule.when_null == "full" else Decimal(0)
    word = "满分" if rule.when_null == "full" else "零分"
    detail = f"{why}，该项按{word} {_num(component)} × {_pct(rule.weight)}"
    return _line(rule.name, rule_set.round(component * rule.weight), detail, id=rule.id)


def _rule_line(rule: Rule, counts, rule_set: RuleSet, finder: _CaseFinder, missing: dict[str, str]) -> dict:
    """One rule's line; ``missing`` maps a figure the data cannot give to the export column it lacks."""
    rnd = rule_set.round
    if (rule.rate or rule.count) in missing:
        return _unavailable_line(rule, rule_set, missing[rule.rate or rule.count])
    if rule.kind in ("rate_shortfall", "rate_excess"):
        label = RATES[rule.rate][0]
        rate = getattr(counts, rule.rate)
        if rate is None:
            denominator = COUNTS.get(RATES[rule.rate][2], "分母")
            return _line(rule.name, Decimal(0), f"{label}无法计算（{denominator}数为0），不扣分", id=rule.id)
        rate = Decimal(fmt2(rate))  # the published rate
        gap = (rule.target - rate) if rule.kind == "rate_shortfall" else (rate - rule.target)
        word = "低于" if rule.kind == "rate_shortfall" else "高于"
        if gap <= 0:
            ok = "达到" if rule.kind == "rate_shortfall" else "未超过"
            return _line(rule.name, Decimal(0), f"{label} {rate}%，{ok}{_num(rule.target)}%，不扣分", id=rule.id)
        detail = f"{label} {rate}%，{word}{_num(rule.target)}%共{_num(gap)}个百分点 × {rule.per_point}"
        return _deduction(rule, rule_set, gap * rule.per_point, detail, lambda: finder.bad_for_rate(rule.rate))
    if rule.kind == "per_case":
        n = getattr(counts, rule.count)
        detail = f"{COUNTS[rule.count]}案件 {n} 件 × {rule.per_case}"
        return _deduction(rule, rule_set, n * rule.per_case, detail, lambda: finder.figure(rule.count))
    if rule.kind in ("rate_score", "inverse_rate_score"):
        label = RATES[rule.rate][0]
        rate = getattr(counts, rule.rate)
        if rate is None:
            component = HUNDRED if rule.when_null == "full" else Decimal(0)
            word = "满分" if rule.when_null == "full" else "零分"
            detail = f"{label}无法计算（分母为0），该项按{word} {_num(component)} × {_pct(rule.weight)}"
            return _line(rule.name, rnd(component * rule.weight), detail, id=rule.id)
        rate = Decimal(fmt2(rate))
        if rule.kind == "rate_score":
            component = rate
            detail = f"{label} {rate}% → 分值 {component} × {_pct(rule.weight)}"
        else:
            component = HUNDRED - rate
            detail = f"{label} {rate}% → 分值 100−{rate} = {component} × {_pct(rule.weight)}"
        cases = finder.bad_for_rate(rule.rate) if component < HUNDRED else ()
        return _line(rule.name, rnd(component * rule.weight), detail, cases, id=rule.id)
    # bands
    n = getattr(counts, rule.count)
    low = 0
    for band in rule.bands:
        if band.max is None or n <= band.max:
            span = f"{low}件以上" if band.max is None else f"{low}–{band.max}件"
            detail = f"{COUNTS[rule.count]} {n} 件（{span}档）→ 分值 {_num(band.score)} × {_pct(rule.weight)}"
            return _line(rule.name, rnd(band.score * rule.weight), detail, id=rule.id)
        low = band.max + 1
    raise AssertionError("bands always end with an open band")  # validated in models.rules


def _unit_lines(
    scheme: Scheme, rule_set: RuleSet, counts, no_cases: bool, adjustments, finder, missing: dict[str, str]
) -> list[dict]:
    lines: list[dict] = []
    if no_cases:
        treatment = scheme.no_cases
        ranked = "" if treatment.ranked else "，不参加排名"
        detail = f"本期无立案案件（{treatment.label}），按规则集计 {_num(treatment.score)} 分{ranked}"
        rule = "基础分" if rule_set.family == "deduction" else treatment.label
        lines.append(_line(rule, treatment.score, detail, type="no_cases"))
    else:
        if scheme.base is not None:
            lines.append(_line("基础分", scheme.base, f"基础分 {_num(scheme.base)} 分", type="base"))
        for rule in scheme.rules:
            line = _rule_line(rule, counts, rule_set, finder, missing)
            line["type"] = "rule"
            if rule_set.family == "composite":
                line["full_points"] = f"{rule_set.round(HUNDRED * rule.weight):.2f}"
            lines.append(line)
    for adj in adjustments:
        detail = f"{adj.reason}（人工调整 #{adj.id}，{adj.period}，录入于 {adj.entered_at}）"
        lines.append(
            _line(adj.rule_ref or "人工调整", adj.points, detail, adj.cases, type="adjustment", adjustment_id=adj.id)
        )
    total = sum((Decimal(line["points"]) for line in lines), Decimal(0))
    if scheme.cap is not None and total > scheme.cap:
        detail = f"合计 {total} 分，超过上限 {_num(scheme.cap)} 分，按 {_num(scheme.cap)} 分计"
        lines.append(_line("封顶", scheme.cap - total, detail, type="cap"))
    elif scheme.floor is not None and total < scheme.floor:
        detail = f"合计 {total} 分，低于下限 {_num(scheme.floor)} 分，按 {_num(scheme.floor)} 分计"
        lines.append(_line("保底", scheme.floor - total, detail, type="floor"))
    return lines


# ---------------------------------------------------------------- the whole table


def _compute(db, period: Period, rule_set: RuleSet, defs, *, with_cases: bool, with_rank_change: bool) -> dict:
    units = registry.list_units(db)
    order = {u.name: index for index, u in enumerate(units)}
    by_unit = counts_by_unit(db, period, defs)
    months = adjustment_months(period)
    adjustments = effective_adjustments(db, months) if rule_set.adjustments else []
    kids = registry.children(db)
    missing = {f: FIELD_LABELS[m.field] for m in missing_columns(db, period, defs) for f in m.figures}

    entries: list[dict] = []
    for unit in units:
        members = registry.subtree_in(kids, unit.name) if unit.includes_subunits else [unit.name]
        if unit.includes_subunits and len(members) > 1:
            counts = counts_for_units(db, period, members, defs)
        else:
            counts = by_unit.get(unit.name, Counts())
        no_cases = counts.filed == 0
        adj_units = set(members) if rule_set.adjustments_roll_up else {unit.name}
        unit_adjustments = [a for a in adjustments if a.unit in adj_units]
        finder = _CaseFinder(db, period, defs, members, with_cases)
        scheme = rule_set.for_category(unit.category)
        lines = _unit_lines(scheme, rule_set, counts, no_cases, unit_adjustments, finder, missing)
        score = sum((Decimal(line["points"]) for line in lines), Decimal(0))
        entries.append(
            {
                "category": unit.category,
                "unit": unit.name,
                "score": f"{score:.2f}",
                "rank": None,
                "rank_change": None,
                "no_cases": no_cases,
                "lines": lines,
                "evaluation_scope": unit.evaluation_scope,
                "subunits": members[1:],
                "indicators": mask_unavailable(counts.to_json((*COUNTS, "rework_base", *RATES)), missing),
                "ranked": scheme.no_cases.ranked or not no_cases,
            }
        )

    _rank(entries, order)
    if with_rank_change:
        _rank_changes(db, period, rule_set, defs, entries)
    category_order = {code: index for index, (code, _text) in enumerate(registry.categories(db))}
    entries.sort(key=lambda e: (category_order.get(e["category"], len(category_order)), *_rank_key(e, order)))
    return {
        "period": period.label,
        "rule_set": rule_set.to_json(),
        "definitions": defs.to_json(),
        "categories": [{"code": code, "description": text} for code, text in registry.categories(db)],
        "units": entries,
        "unplaced_units": [{"unit": name, "filed": filed} for name, filed in unregistered_units(db, period)],
        "unavailable": list(dict.fromkeys(missing)),
    }


def _rank_key(entry: dict, order: dict[str, int]) -> tuple:
    """Ranked units by rank, then the unranked ones (rank null), each in registry order."""
    return (entry["rank"] is None, entry["rank"] or 0, order[entry["unit"]])


def _rank(entries: list[dict], order: dict[str, int]) -> None:
    """Competition ranks (1, 1, 3) within each category; ties keep registry order. A unit the rule set
    leaves unranked (no cases, ``[no_cases] ranked = false``) keeps rank None and takes no place."""
    groups: dict[str | None, list[dict]] = {}
    for entry in entries:
        if entry.pop("ranked"):
            groups.setdefault(entry["category"], []).append(entry)
    for group in groups.values():
        group.sort(key=lambda e: (-Decimal(e["score"]), order[e["unit"]]))
        previous_score, previous_rank = None, 0
        for position, entry in enumerate(group, start=1):
            score = Decimal(entry["score"])
            entry["rank"] = previous_rank if score == previous_score else position
            previous_score, previous_rank = score, entry["rank"]


def _rank_changes(db, period: Period, rule_set: RuleSet, defs, entries: list[dict]) -> None:
    previous = period.previous()
    if counts_for_units(db, previous, None, defs).filed == 0:
        return
    before = _compute(db, previous, rule_set, defs, with_cases=False, with_rank_change=False)
    ranks = {(e["unit"], e["category"]): e["rank"] for e in before["units"]}
    for entry in entries:
        old = ranks.get((entry["unit"], entry["category"]))
        entry["rank_change"] = None if old is None or entry["rank"] is None else old - entry["rank"]


def compute_scores(db, period: Period, rules=None, *, with_cases: bool = True) -> dict:
    """The scores --json document without storing it (for previews and the GUI)."""
    rule_set = rules if isinstance(rules, RuleSet) else load_rule_set(rules, db)
    defs = _definitions(db)
    doc = _compute(db, period, rule_set, defs, with_cases=with_cases, with_rank_change=True)
    doc["warnings"] = period_warnings(db, period, defs)  # the previous period's table (rank_change) needs none
    return doc


def score_document(db, period: Period, rules=None) -> dict:
    """cli.md ``scores --json``; the result is stored in score_results (latest per period and rule set)."""
    doc = compute_scores(db, period, rules)
    rule_set = doc["rule_set"]
    with transaction(db):
        db.execute(
            "DELETE FROM score_results WHERE period = ? AND rule_set_name = ? AND rule_set_version = ?",
            (doc["period"], rule_set["name"], rule_set["version"]),
        )
        db.execute(
            "INSERT INTO score_results(period, rule_set_name, rule_set_version, computed_at, result)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                doc["period"],
                rule_set["name"],
                rule_set["version"],
                datetime.now().strftime(TS_FORMAT),
                json.dumps(doc, ensure_ascii=False),
            ),
        )
    return doc


def explain_unit(db, period: Period, unit: str, rules=None) -> dict:
    """One entry of score_document["units"] (rank needs the whole table, so the table is computed)."""
    name = registry.alias_map(db).get(unit, unit)
    doc = compute_scores(db, period, rules)
    for entry in doc["units"]:
        if entry["unit"] == name:
            return entry
    raise ScoringError(f"单位「{unit}」不在单位名录中，无法评价（用 units set 登记）")


def lines_total(entry: dict) -> Decimal:
    """The sum of an entry's lines — equal to its score by construction (tests and exports check it)."""
    return sum((Decimal(line["points"]) for line in entry["lines"]), Decimal(0))
