"""创城回头看 (domain.md §10): problems found at inspected sites, their re-check rounds, and 整改达标率.

The 创城 team finds problems at sites, gives each to a responsible unit with a rectification deadline, and
re-checks them in later 回头看 rounds. The ledger has one row per problem per round; a row with neither
回头看日期 nor 回头看结果 registers a problem not yet re-checked. A round is identified by (问题编号, 回头看日期).
A problem's status at an as-of date is its latest result on or before that date (未复查 when none), so the
same ledger answers "where did we stand on 12-14" and "where do we stand now".
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from models.errors import CellValueError
from models.ledger_cells import as_date, cell_text, optional_text
from models.numbers import fmt2, rate
from models.store import RESOURCES
from models.vocabulary import VocabularyError, WordTable, load_regions, read_toml, table_from_entries

RECTIFIED, NOT_RECTIFIED, REBOUND = "已整改", "未整改", "反弹"
RESULTS = (RECTIFIED, NOT_RECTIFIED, REBOUND)
UNCHECKED = "未复查"

FIELD_LABELS: dict[str, str] = {
    "problem_no": "问题编号",
    "inspected_on": "督查日期",
    "site": "点位",
    "district": "所属区",
    "category": "问题类别",
    "description": "问题描述",
    "unit": "责任单位",
    "due_on": "整改时限",
    "checked_on": "回头看日期",
    "result": "回头看结果",
}
# The problem's own fields (the same on every row of one problem); the rest describe a round.
PROBLEM_FIELDS = ("inspected_on", "site", "district", "category", "description", "unit", "due_on")


@dataclass(frozen=True)
class RectifyVocabulary:
    """Result words, the categories' display order, the districts (regions) and the import columns
    (resources/rectify.toml, resources/regions.toml)."""

    results: WordTable
    categories: tuple[str, ...]
    regions: WordTable
    headers: Mapping[str, Mapping]


def vocabulary_from_data(data: dict, regions: WordTable) -> RectifyVocabulary:
    """Build the vocabulary from a rectify.toml document; the three results must all be there."""
    results = table_from_entries("回头看结果", data["result"])
    if set(results.names) != set(RESULTS):
        raise VocabularyError(f"回头看结果应为 {'、'.join(RESULTS)}，收到 {'、'.join(results.names)}")
    return RectifyVocabulary(
        results=results,
        categories=tuple(data.get("categories", ())),
        regions=regions,
        headers=dict(data.get("fields", {})),
    )


@lru_cache(maxsize=4)
def load_rectify_vocabulary(path: Path | None = None, regions_path: Path | None = None) -> RectifyVocabulary:
    """The shipped vocabulary (resources/rectify.toml and regions.toml), or a city's copies."""
    return vocabulary_from_data(read_toml(path or RESOURCES / "rectify.toml"), load_regions(regions_path))


@dataclass(frozen=True)
class RectifyRow:
    """One ledger row: a problem and, unless both are blank, one 回头看 round (its date and result)."""

    problem_no: str
    inspected_on: date | None = None
    site: str | None = None
    district: str | None = None
    category: str | None = None
    description: str | None = None
    unit: str | None = None
    due_on: date | None = None
    checked_on: date | None = None
    result: str | None = None

    @property
    def key(self) -> tuple[str, date | None]:
        """(问题编号, 回头看日期): a re-import matches rows on this."""
        return (self.problem_no, self.checked_on)

    def record(self) -> dict:
        """JSON-ready values (dates ISO): a store row or a history entry."""
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in dataclasses.asdict(self).items()}

    @classmethod
    def from_record(cls, record: Mapping) -> RectifyRow:
        values = dict(record)
        for name in ("inspected_on", "due_on", "checked_on"):
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        return cls(**values)


def _date(value: object, field: str) -> date | None:
    return as_date(value, field, FIELD_LABELS[field])


def parse_result(value: object, vocab: RectifyVocabulary) -> str | None:
    """回头看结果 → 已整改 / 未整改 / 反弹 (aliases such as 整改到位 accepted); blank → None."""
    text = optional_text(value)
    return None if text is None else vocab.results.canonical(text, "result")


def make_row(cells: Mapping[str, object], vocab: RectifyVocabulary | None = None) -> RectifyRow:
    """One ledger row → a :class:`RectifyRow`. ``cells`` maps canonical fields (:data:`FIELD_LABELS`) to cell
    values (dates as ``date`` or ISO text). Raises :class:`CellValueError` naming the field: an unknown
    result or district word, a round with a date but no result (or the reverse), a re-check before the
    inspection."""
    vocab = vocab or load_rectify_vocabulary()
    problem_no = unicodedata.normalize("NFKC", cell_text(cells.get("problem_no")))  # a number: NFKC (domain.md §2)
    if not problem_no:
        raise CellValueError("problem_no", "问题编号为空")
    district = optional_text(cells.get("district"))
    row = RectifyRow(
        problem_no=problem_no,
        inspected_on=_date(cells.get("inspected_on"), "inspected_on"),
        site=optional_text(cells.get("site")),
        district=None if district is None else vocab.regions.canonical(district, "district"),
        category=optional_text(cells.get("category")),
        description=optional_text(cells.get("description")),
        unit=optional_text(cells.get("unit")),
        due_on=_date(cells.get("due_on"), "due_on"),
        checked_on=_date(cells.get("checked_on"), "checked_on"),
        result=parse_result(cells.get("result"), vocab),
    )
    if row.checked_on is not None and row.result is None:
        raise CellValueError("result", f"有回头看日期 {row.checked_on} 但回头看结果为空")
    if row.result is not None and row.checked_on is None:
        raise CellValueError("checked_on", f"有回头看结果「{row.result}」但回头看日期为空")
    if row.checked_on and row.inspected_on and row.checked_on < row.inspected_on:
        raise CellValueError("checked_on", f"回头看日期 {row.checked_on} 早于督查日期 {row.inspected_on}")
    return row


# ---------------------------------------------------------------- problems and their status


@dataclass(frozen=True)
class Round:
    checked_on: date
    result: str


@dataclass(frozen=True)
class Problem:
    """A problem with its rounds in date order (domain.md §10)."""

    problem_no: str
    inspected_on: date | None
    site: str | None
    district: str | None
    category: str | None
    description: str | None
    unit: str | None
    due_on: date | None  # None: never due (named in the warnings)
    rounds: tuple[Round, ...] = ()

    def found_by(self, as_of: date) -> bool:
        """Known at the as-of date: inspected on or before it (an undated problem always is)."""
        return self.inspected_on is None or self.inspected_on <= as_of

    def is_due(self, as_of: date) -> bool:
        """Due: its 整改时限 is on or before the as-of date; a blank 整改时限 is never due."""
        return self.due_on is not None and self.due_on <= as_of

    def rounds_until(self, as_of: date) -> tuple[Round, ...]:
        return tuple(r for r in self.rounds if r.checked_on <= as_of)

    def status(self, as_of: date) -> str:
        """The latest result on or before the as-of date; 未复查 when there is none."""
        done = self.rounds_until(as_of)
        return done[-1].result if done else UNCHECKED


def problems_from_rows(rows: Iterable[RectifyRow]) -> tuple[list[Problem], list[str]]:
    """Gather the rows of each problem into a :class:`Problem`, ordered by 督查日期 then 问题编号.

    A problem's fields are taken from its latest row that fills them (the newest round is the ledger's
    newest word); when its rows disagree the warnings say so. Two rows for the same round with different
    results keep the later row and warn.
    """
    warnings: list[str] = []
    by_problem: dict[str, list[RectifyRow]] = {}
    for row in rows:
        by_problem.setdefault(row.problem_no, []).append(row)
    problems = []
    for number, own in by_problem.items():
        own.sort(key=lambda r: (r.checked_on is not None, r.checked_on or date.min))
        fields: dict[str, object] = {}
        for name in PROBLEM_FIELDS:
            values = [getattr(r, name) for r in own if getattr(r, name) is not None]
            fields[name] = values[-1] if values else None
            if len(set(values)) > 1:
                shown = "／".join(str(v) for v in dict.fromkeys(values))
                warnings.append(
                    f"问题 {number} 的{FIELD_LABELS[name]}各轮不一致（{shown}），按最近一轮「{fields[name]}」统计"
                )
        rounds: dict[date, str] = {}
        for row in own:
            if row.checked_on is None:
                continue
            if rounds.get(row.checked_on, row.result) != row.result:
                warnings.append(
                    f"问题 {number} 在 {row.checked_on} 有两条回头看记录（{rounds[row.checked_on]}／{row.result}），"
                    "按后一条统计"
                )
            rounds[row.checked_on] = row.result
        problems.append(Problem(problem_no=number, **fields, rounds=tuple(Round(d, rounds[d]) for d in sorted(rounds))))
    problems.sort(key=lambda p: (p.inspected_on or date.min, p.problem_no))
    return problems, warnings


@dataclass(frozen=True)
class ProblemStatus:
    """A problem as it stood at the as-of date: what the lists, the tables and the export show."""

    problem: Problem
    as_of: date
    status: str  # 已整改 | 未整改 | 反弹 | 未复查
    due: bool

    @property
    def rectified(self) -> bool:
        """Counts in the numerator of 整改达标率: due and 已整改."""
        return self.due and self.status == RECTIFIED

    @property
    def open(self) -> bool:
        """Due and not rectified (未整改, 反弹 or never re-checked): what the export lists first."""
        return self.due and self.status != RECTIFIED

    @property
    def rounds(self) -> tuple[Round, ...]:
        """The rounds on or before the as-of date (its history as known then)."""
        return self.problem.rounds_until(self.as_of)


_OPEN_ORDER = {REBOUND: 0, NOT_RECTIFIED: 1, UNCHECKED: 2, RECTIFIED: 3}


def problem_statuses(problems: Iterable[Problem], as_of: date) -> list[ProblemStatus]:
    """Each problem known at the as-of date with its status: the open ones first (反弹, 未整改, never
    re-checked; earliest 整改时限 first), then those not yet due, then the rectified ones."""
    out = [ProblemStatus(p, as_of, p.status(as_of), p.is_due(as_of)) for p in problems if p.found_by(as_of)]

    def order(s: ProblemStatus):
        group = 0 if s.open else 2 if s.rectified else 1
        return (group, _OPEN_ORDER[s.status], s.problem.due_on or date.max, s.problem.problem_no)

    return sorted(out, key=order)


# ---------------------------------------------------------------- figures


def _figures(statuses: list[ProblemStatus]) -> dict:
    due = sum(s.due for s in statuses)
    rectified = sum(s.rectified for s in statuses)
    return {
        "problems": len(statuses),
        "due": due,
        "rectified": rectified,
        "rate": fmt2(rate(rectified, due)),
        "rebound": sum(s.status == REBOUND for s in statuses),
        "unchecked": sum(s.status == UNCHECKED for s in statuses),
    }


def _grouped(statuses: list[ProblemStatus], key: str, order: Callable[[list], list]) -> list[dict]:
    groups: dict[str | None, list[ProblemStatus]] = {}
    for s in statuses:
        groups.setdefault(getattr(s.problem, key), []).append(s)
    return [{key: name, **_figures(groups[name])} for name in order(list(groups))]


def _first_seen(names: list) -> list:
    """Groups in the order first met (problems come by 督查日期), a blank name last."""
    return sorted(names, key=lambda n: n is None)


def rectify_stats(rows: Iterable[RectifyRow], *, as_of: date, vocab: RectifyVocabulary | None = None) -> dict:
    """The ``rectify stats`` document of cli.md at an as-of date (domain.md §10), with ``warnings``.

    Counts cover the problems inspected on or before the as-of date. 整改达标率 = due problems (整改时限 ≤
    as-of) whose status is 已整改 ÷ due problems; 反弹 counts as not rectified and is listed; ``unchecked``
    lists the problems with no round on or before the as-of date. Groups: districts in the regions' order,
    categories in the configured order, units and sites in the order first met.
    """
    vocab = vocab or load_rectify_vocabulary()
    problems, warnings = problems_from_rows(rows)
    statuses = problem_statuses(problems, as_of)
    statuses.sort(key=lambda s: (s.problem.inspected_on or date.min, s.problem.problem_no))
    warnings += [
        f"问题 {s.problem.problem_no} 未填整改时限，不计入应整改问题" for s in statuses if s.problem.due_on is None
    ]
    categories = WordTable("问题类别", vocab.categories, {})
    figures = _figures(statuses)
    return {
        "as_of": as_of.isoformat(),
        "problems": figures["problems"],
        "due": figures["due"],
        "rectified": figures["rectified"],
        "rate": figures["rate"],
        "rebound": [s.problem.problem_no for s in statuses if s.status == REBOUND],
        "unchecked": [s.problem.problem_no for s in statuses if s.status == UNCHECKED],
        "by_unit": _grouped(statuses, "unit", _first_seen),
        "by_district": _grouped(statuses, "district", vocab.regions.ordered),
        "by_category": _grouped(statuses, "category", categories.ordered),
        "by_site": _grouped(statuses, "site", _first_seen),
        "warnings": warnings,
    }


FIGURES = ("problems", "due", "not_due", "rectified", "open", "rebound", "unchecked")
GROUPS = ("unit", "district", "category", "site")


def problems_behind(
    problems: Iterable[Problem], figure: str, *, as_of: date, **group: str | None
) -> list[ProblemStatus]:
    """The problems behind a figure (every count is traceable): ``figure`` one of :data:`FIGURES`, narrowed
    by any of :data:`GROUPS` (``unit="碧湖街道办事处"``), in the order of :func:`problem_statuses`."""
    if figure not in FIGURES:
        raise ValueError(f"unknown figure {figure!r}; expected one of {FIGURES}")
    unknown = set(group) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; expected some of {GROUPS}")
    tests: dict[str, Callable[[ProblemStatus], bool]] = {
        "problems": lambda s: True,
        "due": lambda s: s.due,
        "not_due": lambda s: not s.due,
        "rectified": lambda s: s.rectified,
        "open": lambda s: s.open,
        "rebound": lambda s: s.status == REBOUND,
        "unchecked": lambda s: s.status == UNCHECKED,
    }
    return [
        s
        for s in problem_statuses(problems, as_of)
        if tests[figure](s) and all(getattr(s.problem, k) == v for k, v in group.items())
    ]
