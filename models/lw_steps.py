"""The three steps of a 两违 case, their deadlines, extensions and lights (domain.md §8).

- 核查 starts at 接收时间 and ends at 核查完成时间 (核查员); 处置 starts at 派发时间, or at 核查完成时间 when
  派发时间 is blank, and ends at 处置完成时间 (处置员); 审核 starts at 结案申请时间 and ends at 审核结案时间
  (督查员). A step starts only when its start time exists.
- Deadline = start + N 工作日, where one 工作日 is one office day of working time on the working calendar
  (statutory days, 调休, overrides, office hours: models.workcalendar). A start in a gap or on a day off
  starts the clock at the next block; working time that runs out at the end of a block (12:00, 17:30) makes
  that moment the deadline. A date-only end time means the end of that day's last block (17:30).
- Extensions (延期) move the 处置 deadline by N × 24 h each, in row order, when honoured: the level needed
  is judged on the running total (days already honoured + this request): up to 30 days the county or the
  city, above it only the city. A county approval where the city's was needed is 审批层级不符 and moves
  nothing; 不同意 moves nothing; a blank result is pending and moves nothing.
- At an as-of time: started / ended mean by then; a step is due when it has ended or its deadline has
  passed; on time when it ended at or before its deadline. Open steps get a light (models.lights) from the
  working time used ÷ the limit, or for a 处置 step with an honoured extension the natural time used ÷ the
  natural time from the clock start to the extended deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from models.lights import judge_light, used_share
from models.lw_cases import ExtensionRequest, LwCase
from models.lw_settings import APPROVED, CITY, COUNTY, REFUSED, STEPS, LwSettings
from models.workcalendar import WorkCalendar

VERIFY, DISPOSE, REVIEW = STEPS
ROLES = {VERIFY: "核查员", DISPOSE: "处置员", REVIEW: "督查员"}
# Each step's start and end fields (处置 starts at 核查完成时间 when 派发时间 is blank) and their labels.
STEP_FIELDS = {
    VERIFY: ("received_at", "verified_at"),
    DISPOSE: ("dispatched_at", "disposed_at"),
    REVIEW: ("close_applied_at", "closed_at"),
}
STEP_LABELS = {
    VERIFY: ("接收时间", "核查完成时间"),
    DISPOSE: ("派发时间", "处置完成时间"),
    REVIEW: ("结案申请时间", "审核结案时间"),
}
RATE_NAMES = {VERIFY: "按期核查率", DISPOSE: "按期处置率（两违）", REVIEW: "按期审核率"}
RATE_KEYS = {VERIFY: "verify_on_time_rate", DISPOSE: "dispose_on_time_rate", REVIEW: "review_on_time_rate"}

# Extension outcomes: only "honoured" moves the deadline.
HONOURED, REFUSED_OUTCOME, PENDING, WRONG_LEVEL = "honoured", "refused", "pending", "wrong_level"
LEVEL_MISSING, INVALID = "level_missing", "invalid"
OUTCOME_LABELS = {
    HONOURED: "已延期",
    REFUSED_OUTCOME: "不同意",
    PENDING: "待审批",
    WRONG_LEVEL: "审批层级不符",
    LEVEL_MISSING: "未填审批层级",
    INVALID: "延期天数缺失",
}


@dataclass(frozen=True)
class ExtensionDecision:
    """What one request did. `needed_level` and `running_total` are judged on days already honoured plus
    this request; `moved_days` is what it added to the 处置 deadline (its days when honoured, else 0)."""

    request: ExtensionRequest
    outcome: str
    needed_level: str | None
    running_total: int
    moved_days: int

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def judge_extensions(requests: Iterable[ExtensionRequest], settings: LwSettings) -> list[ExtensionDecision]:
    """One case's requests in row order, each judged on the running total of honoured days (domain.md §8)."""
    out: list[ExtensionDecision] = []
    honoured = 0
    for request in sorted(requests, key=lambda r: r.position):
        if request.days is None or request.days <= 0:
            out.append(ExtensionDecision(request, INVALID, None, honoured, 0))
            continue
        total = honoured + request.days
        needed = CITY if total > settings.county_max_days else COUNTY
        if request.result == REFUSED:
            outcome = REFUSED_OUTCOME
        elif request.result != APPROVED:
            outcome = PENDING
        elif request.level is None:
            outcome = LEVEL_MISSING
        elif request.level == CITY or needed == COUNTY:
            outcome = HONOURED
        else:
            outcome = WRONG_LEVEL
        moved = request.days if outcome == HONOURED else 0
        honoured += moved
        out.append(ExtensionDecision(request, outcome, needed, total, moved))
    return out


@dataclass(frozen=True)
class Step:
    """One step's timeline, independent of any as-of time. `start` is as recorded; `clock_start` is when
    working time starts counting; `end` is as recorded with a date-only end moved to the day's end of work.
    Without a start, the step has not started and has no deadline."""

    case_no: str
    step: str
    person: str | None
    start: datetime | None
    clock_start: datetime | None
    end: datetime | None
    limit_days: int
    base_deadline: datetime | None  # start + limit, before extensions
    extension_days: int  # honoured natural days (处置 only)
    deadline: datetime | None

    @property
    def role(self) -> str:
        return ROLES[self.step]


@dataclass(frozen=True)
class StepStatus:
    """A step at an as-of time (domain.md §8): the flags every figure counts, and the light of an open step."""

    step: Step
    as_of: datetime
    started: bool
    done: bool
    due: bool
    on_time: bool
    open: bool
    overdue_open: bool
    used_share: Decimal | None  # open steps only: 1.0 = the whole limit used
    light: str | None  # green | yellow | red for open steps, else None
    serious: bool

    @property
    def late(self) -> bool:
        """Due and not on time: ended after the deadline, or still open past it."""
        return self.due and not self.on_time


@dataclass(frozen=True)
class CaseTimeline:
    """A case's three steps and its judged extensions; `problems` are data-quality notes (never fatal)."""

    case: LwCase
    steps: tuple[Step, ...]
    extensions: tuple[ExtensionDecision, ...]
    problems: tuple[str, ...]

    def step(self, name: str) -> Step:
        return self.steps[STEPS.index(name)]


def _moment(value: datetime | date | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def end_moment(value: datetime | date | None, calendar: WorkCalendar) -> datetime | None:
    """A step end time; a date without a time means the end of that day's last block (17:30, domain.md §8).

    A midnight end counts as date-only: python-calamine yields a date for a cell whose time is exactly
    00:00:00, and the case importer stores a date-only value as midnight, so the two cannot be told apart
    (no step really ends at midnight to the second)."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.time() != time(0, 0):
        return value
    return datetime.combine(_moment(value).date(), calendar.schedule[-1][1])


def step_deadline(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """start + N 工作日 of working time; a deadline at a block's end (12:00 / 17:30) is that moment."""
    return calendar.add_working_seconds(calendar.clock_start(start), days * calendar.day_seconds)


def _spans(case: LwCase, calendar: WorkCalendar) -> list[tuple[str, str | None, datetime | None, datetime | None]]:
    """(step, person, start, end) of the three steps as recorded (domain.md §8)."""
    received, verified = _moment(case.received_at), end_moment(case.verified_at, calendar)
    dispatched = _moment(case.dispatched_at)
    dispose_start = dispatched if dispatched is not None else verified
    return [
        (VERIFY, case.verifier, received, verified),
        (DISPOSE, case.disposer, dispose_start, end_moment(case.disposed_at, calendar)),
        (REVIEW, case.supervisor, _moment(case.close_applied_at), end_moment(case.closed_at, calendar)),
    ]


def misordered_steps(case: LwCase, calendar: WorkCalendar) -> list[tuple[str, str]]:
    """(end field, reason) for each step that ends before it starts: the importer rejects such a row."""
    out = []
    for name, _person, start, end in _spans(case, calendar):
        if start is not None and end is not None and end < start:
            field = STEP_FIELDS[name][1]
            begin = STEP_LABELS[VERIFY][1] if name == DISPOSE and case.dispatched_at is None else STEP_LABELS[name][0]
            out.append((field, f"{name}完成时间 {end:%Y-%m-%d %H:%M} 早于{begin} {start:%Y-%m-%d %H:%M}"))
    return out


def case_timeline(
    case: LwCase, requests: Iterable[ExtensionRequest], calendar: WorkCalendar, settings: LwSettings
) -> CaseTimeline:
    """The case's steps with their deadlines (extensions applied to 处置) and the judged extensions."""
    decisions = tuple(judge_extensions((r for r in requests if r.case_no == case.case_no), settings))
    honoured_days = sum(d.moved_days for d in decisions)
    steps = []
    problems = []
    for name, person, start, end in _spans(case, calendar):
        extra_days = honoured_days if name == DISPOSE else 0
        limit = settings.limits[name]
        if start is None:
            if end is not None:
                problems.append(f"{case.case_no}：{name}有完成时间但没有开始时间，该环节不计")
            steps.append(Step(case.case_no, name, person, None, None, end, limit, None, 0, None))
            continue
        if end is not None and end < start:
            problems.append(f"{case.case_no}：{name}完成时间 {end:%Y-%m-%d %H:%M} 早于开始时间 {start:%Y-%m-%d %H:%M}")
        base = step_deadline(start, limit, calendar)
        deadline = base + timedelta(days=extra_days)
        steps.append(
            Step(case.case_no, name, person, start, calendar.clock_start(start), end, limit, base, extra_days, deadline)
        )
    for d in decisions:
        if d.outcome == LEVEL_MISSING:
            problems.append(f"{case.case_no}：第 {d.request.position} 行延期已同意但未填审批层级，未计入延期")
        elif d.outcome == INVALID:
            problems.append(f"{case.case_no}：第 {d.request.position} 行延期未填有效天数，未计入延期")
    return CaseTimeline(case, tuple(steps), decisions, tuple(problems))


def step_status(step: Step, as_of: datetime, calendar: WorkCalendar, settings: LwSettings) -> StepStatus:
    """The step at `as_of`: started / done by then, due, on time, open, overdue, and the light when open."""
    started = step.start is not None and step.start <= as_of
    done = started and step.end is not None and step.end <= as_of
    if not started or step.deadline is None:
        return StepStatus(step, as_of, False, False, False, False, False, False, None, None, False)
    past = as_of > step.deadline
    on_time = done and step.end <= step.deadline
    if done:
        return StepStatus(step, as_of, True, True, True, on_time, False, False, None, None, False)
    share = open_step_share(step, as_of, calendar)
    light, serious = judge_light(share, past, yellow_from=settings.yellow_from, serious_over=settings.serious_over)
    return StepStatus(step, as_of, True, False, past, False, True, past, share, light, serious)


def open_step_share(step: Step, as_of: datetime, calendar: WorkCalendar) -> Decimal | None:
    """Share of the limit used at as_of: working time ÷ the limit's working time; for an extended step,
    natural time ÷ natural time from the clock start to the extended deadline (domain.md §8)."""
    if step.clock_start is None or step.deadline is None:
        return None
    if step.extension_days:
        used = max((as_of - step.clock_start).total_seconds(), 0.0)
        return used_share(used, (step.deadline - step.clock_start).total_seconds())
    used = calendar.working_seconds_between(step.clock_start, as_of)
    return used_share(used, step.limit_days * calendar.day_seconds)


def case_status(
    timeline: CaseTimeline, as_of: datetime, calendar: WorkCalendar, settings: LwSettings
) -> tuple[StepStatus, ...]:
    """The three steps of a case at as_of, in step order."""
    return tuple(step_status(step, as_of, calendar, settings) for step in timeline.steps)
