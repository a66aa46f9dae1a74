"""The 两违 period figures, their drill-down to case numbers, and the open-step (overdue) list (domain.md §8).

Why one evaluation object: every count in `lw stats` and every list of case numbers behind a count come
from the same per-case flags (models.lw_steps at one as-of time), so a figure and its drill-down can never
disagree. A case belongs to the period of its 接收时间; started / done / due mean by the as-of time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from models.lw_cases import ExtensionRequest, LwCase
from models.lw_settings import STEPS, LwSettings
from models.lw_steps import (
    HONOURED,
    INVALID,
    LEVEL_MISSING,
    PENDING,
    RATE_KEYS,
    RATE_NAMES,
    REFUSED_OUTCOME,
    ROLES,
    WRONG_LEVEL,
    CaseTimeline,
    ExtensionDecision,
    StepStatus,
    case_status,
    case_timeline,
)
from models.numbers import HUNDRED, fmt2, q2, rate
from models.periods import TS_FORMAT, Period
from models.regions import BLANK, RegionTable, load_region_table
from models.workcalendar import WorkCalendar

STEP_FIGURES = ("started", "done", "due", "on_time", "late", "open", "overdue_open", "serious")
EXTENSION_FIGURES: dict[str, str | None] = {
    "ext_requests": None,
    "ext_approved": HONOURED,
    "ext_refused": REFUSED_OUTCOME,
    "ext_pending": PENDING,
    "ext_wrong_level": WRONG_LEVEL,
    "ext_level_missing": LEVEL_MISSING,
    "ext_invalid": INVALID,
}
FIGURES = ("received", *STEP_FIGURES, *EXTENSION_FIGURES)
HOLDERS = {"verifier": STEPS[0], "disposer": STEPS[1], "supervisor": STEPS[2]}  # group dimension → its step
DIMENSIONS = ("county", "town", "department", "violation_type", "source", *HOLDERS)


class LwFigureError(ValueError):
    """A drill-down request naming an unknown figure, step or grouping (a programming error, not user input)."""


@dataclass(frozen=True)
class CaseEval:
    """One case at the as-of time: its timeline, its three step statuses, and its canonical groups."""

    timeline: CaseTimeline
    statuses: tuple[StepStatus, ...]
    county: str
    town: str
    department: str

    @property
    def case(self) -> LwCase:
        return self.timeline.case

    @property
    def case_no(self) -> str:
        return self.timeline.case.case_no

    def status(self, step: str) -> StepStatus:
        return self.statuses[STEPS.index(step)]

    def group(self, dimension: str):
        """The case's value for a grouping dimension (BLANK when the export left it empty)."""
        if dimension == "county":
            return self.county
        if dimension == "town":
            return (self.county, self.town)
        if dimension == "department":
            return self.department
        if dimension in ("violation_type", "source"):
            return getattr(self.case, dimension) or BLANK
        if dimension in HOLDERS:
            return self.status(HOLDERS[dimension]).step.person or BLANK
        raise LwFigureError(f"unknown grouping {dimension!r}; known: {', '.join(DIMENSIONS)}")


@dataclass(frozen=True)
class LwEvaluation:
    """The cases of a period (or all cases when period is None) evaluated at one as-of time."""

    period: Period | None
    as_of: datetime
    settings: LwSettings
    regions: RegionTable
    schedule: tuple[tuple[str, str], ...]
    cases: tuple[CaseEval, ...]
    warnings: tuple[str, ...]


def evaluate(
    cases: Iterable[LwCase],
    requests: Iterable[ExtensionRequest],
    *,
    period: Period | None,
    as_of: datetime,
    settings: LwSettings,
    calendar: WorkCalendar | None = None,
    regions: RegionTable | None = None,
) -> LwEvaluation:
    """Evaluate the cases whose 接收时间 falls in `period` (every case when period is None) at `as_of`."""
    calendar = calendar or WorkCalendar()
    regions = regions or load_region_table()
    by_case: dict[str, list[ExtensionRequest]] = {}
    for request in requests:
        by_case.setdefault(request.case_no, []).append(request)
    evals: list[CaseEval] = []
    problems: list[str] = []
    for case in sorted(cases, key=lambda c: c.case_no):
        received = case.received_at
        if period is not None and (received is None or not period.contains(_text(received))):
            continue
        timeline = case_timeline(case, by_case.get(case.case_no, ()), calendar, settings)
        problems.extend(timeline.problems)
        county = regions.county(case.county)
        evals.append(
            CaseEval(
                timeline,
                case_status(timeline, as_of, calendar, settings),
                county or BLANK,
                regions.town(county, case.town) or BLANK,
                settings.department(case.department) or BLANK,
            )
        )
    schedule = tuple((a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in calendar.schedule)
    return LwEvaluation(
        period, as_of, settings, regions, schedule, tuple(evals), tuple(calendar.warnings) + tuple(problems)
    )


def _text(moment) -> str:
    return moment.strftime(TS_FORMAT) if isinstance(moment, datetime) else f"{moment.isoformat()} 00:00:00"


# ---------------------------------------------------------------- figures and drill-down


def _predicate(figure: str, step: str | None) -> Callable[[CaseEval], bool]:
    if step is not None and step not in STEPS:
        raise LwFigureError(f"unknown step {step!r}; known: {', '.join(STEPS)}")
    if figure == "received":
        return lambda e: True
    if figure in STEP_FIGURES:
        if step is not None:
            return lambda e: bool(getattr(e.status(step), figure))
        return lambda e: any(getattr(s, figure) for s in e.statuses)
    if figure in EXTENSION_FIGURES:
        outcome = EXTENSION_FIGURES[figure]
        return lambda e: any(outcome is None or d.outcome == outcome for d in e.timeline.extensions)
    raise LwFigureError(f"unknown figure {figure!r}; known: {', '.join(FIGURES)}")


def select(evaluation: LwEvaluation, figure: str, *, step: str | None = None, group=None) -> list[CaseEval]:
    """The evaluated cases behind a figure. `group` is (dimension, value), e.g. ("county", "芗城区"),
    ("town", ("芗城区", "东铺头街道")), ("disposer", "王五"); a role holder's figures default to their step.
    A step figure without a step means any step (a case with an overdue open step of any kind)."""
    if group is not None:
        dimension, value = group
        if dimension in HOLDERS and step is None and figure in STEP_FIGURES:
            step = HOLDERS[dimension]
    keep = _predicate(figure, step)
    out = []
    for e in evaluation.cases:
        if group is not None and e.group(group[0]) != group[1]:
            continue
        if keep(e):
            out.append(e)
    return out


def case_numbers(evaluation: LwEvaluation, figure: str, *, step: str | None = None, group=None) -> list[str]:
    """Drill-down: the case numbers behind a figure of `lw stats` (same arguments as select())."""
    return [e.case_no for e in select(evaluation, figure, step=step, group=group)]


def extension_decisions(evaluation: LwEvaluation, outcome: str | None = None, *, group=None) -> list[ExtensionDecision]:
    """The judged extension requests of the evaluated cases (all, or one outcome), in case and row order."""
    out = []
    for e in evaluation.cases:
        if group is not None and e.group(group[0]) != group[1]:
            continue
        out.extend(d for d in e.timeline.extensions if outcome is None or d.outcome == outcome)
    return out


def _step_counts(evals: list[CaseEval], step: str) -> dict[str, int]:
    statuses = [e.status(step) for e in evals]
    return {figure: sum(1 for s in statuses if getattr(s, figure)) for figure in STEP_FIGURES}


def _step_json(counts: dict[str, int]) -> dict:
    """cli.md's per-step figures, in its key order."""
    return {
        "started": counts["started"],
        "done": counts["done"],
        "due": counts["due"],
        "on_time": counts["on_time"],
        "on_time_rate": fmt2(rate(counts["on_time"], counts["due"])),
        "open": counts["open"],
        "overdue_open": counts["overdue_open"],
    }


def _rates(evals: list[CaseEval]) -> dict[str, str | None]:
    out = {}
    for step in STEPS:
        counts = _step_counts(evals, step)
        out[RATE_KEYS[step]] = fmt2(rate(counts["on_time"], counts["due"]))
    return out


def _group_row(evals: list[CaseEval]) -> dict:
    return {
        "received": len(evals),
        **_rates(evals),
        "overdue_open": sum(1 for e in evals if any(s.overdue_open for s in e.statuses)),
        "serious": sum(1 for e in evals if any(s.serious for s in e.statuses)),
    }


def _grouped(evaluation: LwEvaluation, dimension: str) -> dict:
    groups: dict = {}
    for e in evaluation.cases:
        groups.setdefault(e.group(dimension), []).append(e)
    return groups


def _blank_last(name: str) -> tuple:
    return (1, "") if name == BLANK else (0, name)


def _departments(evaluation: LwEvaluation) -> list[dict]:
    order = {name: rank for rank, name in enumerate(evaluation.settings.departments)}
    groups = _grouped(evaluation, "department")

    def key(name: str) -> tuple:
        return (0, order[name], "") if name in order else (1,) + _blank_last(name)

    return [{"name": name} | _group_row(groups[name]) for name in sorted(groups, key=key)]


def _by_count(evaluation: LwEvaluation, dimension: str) -> list[dict]:
    groups = _grouped(evaluation, dimension)
    names = sorted(groups, key=lambda n: (n == BLANK, -len(groups[n]), n))
    return [{"name": name} | _group_row(groups[name]) for name in names]


def _holders(evaluation: LwEvaluation) -> list[dict]:
    rows = []
    for dimension, step in HOLDERS.items():
        groups = _grouped(evaluation, dimension)
        for person in sorted(groups, key=_blank_last):
            counts = _step_counts(groups[person], step)
            if not counts["started"]:
                continue
            rows.append(
                {"role": ROLES[step], "person": person, "step": step}
                | _step_json(counts)
                | {"serious": counts["serious"]}
            )
    return rows


def _extensions(evaluation: LwEvaluation) -> dict:
    decisions = extension_decisions(evaluation)

    def cases_with(outcome: str) -> list[str]:
        return list(dict.fromkeys(d.request.case_no for d in decisions if d.outcome == outcome))

    return {
        "requests": len(decisions),
        "approved": sum(1 for d in decisions if d.outcome == HONOURED),
        "refused": sum(1 for d in decisions if d.outcome == REFUSED_OUTCOME),
        "pending": sum(1 for d in decisions if d.outcome == PENDING),
        "wrong_level": cases_with(WRONG_LEVEL),
        "days_approved": sum(d.moved_days for d in decisions),
        # additions
        "wrong_level_requests": sum(1 for d in decisions if d.outcome == WRONG_LEVEL),
        "level_missing": cases_with(LEVEL_MISSING),
        "invalid": cases_with(INVALID),
    }


def definitions(evaluation: LwEvaluation) -> dict:
    """The rules and choices behind the figures, echoed in every 两违 output."""
    return evaluation.settings.definitions() | {
        "as_of": evaluation.as_of.strftime("%Y-%m-%dT%H:%M:%S"),
        "working_hours": [list(block) for block in evaluation.schedule],
        "rate_names": {step: RATE_NAMES[step] for step in STEPS},
        "period_by": "接收时间",
        "as_of_rule": (
            "开始、完成均以判断时刻为准；已完成或已过截止时间的环节为应办（due）；完成时间不晚于截止时间为按期"
        ),
        "on_time_rate": "按期数 ÷ 应办数，四舍五入保留两位小数；无应办环节时为 null",
        "date_only_end": evaluation.schedule[-1][1],
        "extension_rule": (
            f"延期按自然日（N×24小时）顺延处置截止时间；多次延期按文件行序，累计已生效天数加本次超过"
            f" {evaluation.settings.county_max_days} 天须市级审批，县级审批不生效（审批层级不符）；"
            "不同意与待审批（结果空白）均不顺延"
        ),
        "extensions_counted": "本期案件的全部延期申请（requests 按申请计数；approved 为已生效的申请）",
        "light_rule": (
            "在办环节：已用工作时间 ÷ 时限工作时间；处置环节有生效延期时按自然时间 ÷ 自开始至延期后截止的自然时间；"
            "超过截止时间为红灯，超过严重阈值为严重超期"
        ),
        "group_counts": "towns 等分组中的 overdue_open、serious 按案件计数（有超期/严重超期在办环节的案件）",
        "orders": (
            "县区按漳州市行政区划顺序（含别名归并），乡镇按乡镇表顺序，未列入的按名称排在其后；部门按设置顺序；"
            "违建类型、线索来源按案件数降序、同数按名称；未填写的排在最后"
        ),
    }


def lw_stats_document(evaluation: LwEvaluation) -> dict:
    """cli.md's `lw stats --json` (keys in its order), plus added keys at the end."""
    if evaluation.period is None:
        raise LwFigureError("lw stats needs a period")
    evals = list(evaluation.cases)
    steps = []
    for step in STEPS:
        counts = _step_counts(evals, step)
        steps.append(
            {"step": step, "limit": evaluation.settings.limit_text(step)}
            | _step_json(counts)
            | {"rate_name": RATE_NAMES[step], "late": counts["late"], "serious": counts["serious"]}  # additions
        )
    regions = evaluation.regions
    towns = _grouped(evaluation, "town")
    counties = _grouped(evaluation, "county")
    return {
        "period": evaluation.period.label,
        "as_of": evaluation.as_of.strftime("%Y-%m-%dT%H:%M:%S"),
        "received": len(evals),
        "steps": steps,
        "extensions": _extensions(evaluation),
        "towns": [
            {"county": county, "town": town} | _group_row(towns[(county, town)])
            for county, town in sorted(towns, key=lambda ct: regions.town_key(*ct))
        ],
        "definitions": definitions(evaluation),
        # additions
        "counties": [{"county": c} | _group_row(counties[c]) for c in sorted(counties, key=regions.county_key)],
        "departments": _departments(evaluation),
        "holders": _holders(evaluation),
        "violation_types": _by_count(evaluation, "violation_type"),
        "sources": _by_count(evaluation, "source"),
        "warnings": list(evaluation.warnings),
    }


def lw_stats(
    cases: Iterable[LwCase],
    requests: Iterable[ExtensionRequest],
    period: Period,
    as_of: datetime,
    settings: LwSettings,
    *,
    calendar: WorkCalendar | None = None,
    regions: RegionTable | None = None,
) -> dict:
    """(cases, extension requests, period, as-of, settings) → the `lw stats --json` document."""
    evaluation = evaluate(
        cases, requests, period=period, as_of=as_of, settings=settings, calendar=calendar, regions=regions
    )
    return lw_stats_document(evaluation)


# ---------------------------------------------------------------- open steps (lw overdue, escalation)


def used_percent(share: Decimal | None) -> Decimal | None:
    """A used share (1 = the whole limit) as the percent every list shows, two decimals half-up."""
    return None if share is None else q2(share * HUNDRED)


@dataclass(frozen=True)
class OpenStep:
    """One open step at the as-of time, with its light: a row of `lw overdue` and of the escalation sheet."""

    case: CaseEval
    status: StepStatus

    @property
    def used_percent(self) -> Decimal | None:
        return used_percent(self.status.used_share)

    def to_json(self) -> dict:
        step = self.status.step
        return {
            "case_no": self.case.case_no,
            "step": step.step,
            "role": step.role,
            "person": step.person,
            "county": self.case.county,
            "town": self.case.town,
            "started_at": step.start.strftime(TS_FORMAT) if step.start else None,
            "deadline_at": step.deadline.strftime(TS_FORMAT) if step.deadline else None,
            "used": fmt2(self.used_percent),
            "light": self.status.light,
            "serious": self.status.serious,
            # additions
            "limit_days": step.limit_days,
            "extension_days": step.extension_days,
            "extensions": [
                {
                    "position": d.request.position,
                    "days": d.request.days,
                    "level": d.request.level,
                    "result": d.request.result,
                    "outcome": d.label,
                }
                for d in self.case.timeline.extensions
            ],
        }


def open_steps(evaluation: LwEvaluation) -> list[OpenStep]:
    """Every open step of the evaluated cases, most used share first (then case number, step order)."""
    rows = [OpenStep(e, s) for e in evaluation.cases for s in e.statuses if s.open]
    unmeasured = Decimal(-1)  # sorts last
    rows.sort(
        key=lambda r: (
            -(r.status.used_share if r.status.used_share is not None else unmeasured),
            r.case.case_no,
            STEPS.index(r.status.step.step),
        )
    )
    return rows


def escalation(evaluation: LwEvaluation) -> list[OpenStep]:
    """The serious ones (抄送纪委监委、效能部门), most used first."""
    return [row for row in open_steps(evaluation) if row.status.serious]
