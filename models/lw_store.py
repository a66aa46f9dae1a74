"""两违 cases in the store: the tables' shapes for writing, and the reads every figure, list and page uses.

Why a module: the CLI (`lw stats`, `lw overdue`, `lw export escalation`) and the 两违监管 page evaluate the
same stored cases with the same rules, calendar and region table, so they are loaded in one place. Cases
belong to the period of their 接收时间 (domain.md §8); the as-of time defaults as in §4.
"""

from __future__ import annotations

from datetime import datetime

from models.indicators import resolve_as_of
from models.lw_cases import LW_CASE_FIELDS, ExtensionRequest, LwCase, case_from_row
from models.lw_settings import lw_settings_from_db
from models.lw_stats import LwEvaluation, evaluate, used_percent
from models.lw_steps import OUTCOME_LABELS, case_timeline, step_status
from models.numbers import fmt2
from models.periods import TS_FORMAT, Period, month_period
from models.regions import load_region_table
from models.versioned import VersionedTable, history
from models.workcalendar import WorkCalendar, parse_ts

CASE_COLUMNS = tuple(f for f in LW_CASE_FIELDS if f != "case_no")
LW_CASES = VersionedTable("lw_cases", ("case_no",), CASE_COLUMNS, "lw_case_history")
LW_EXTENSIONS = VersionedTable(
    "lw_extensions", ("case_no", "position"), ("days", "level", "result", "decided_at"), "lw_extension_history"
)


def lw_as_of(as_of: str | datetime | None = None, period: Period | None = None) -> datetime:
    """The judging moment: what the user gave; else the period's end, or now if earlier (domain.md §4);
    without a period, now."""
    if as_of or period is not None:
        return resolve_as_of(period, as_of)  # type: ignore[arg-type]
    return datetime.now().replace(microsecond=0)


def load_cases(db, period: Period | None = None) -> list[LwCase]:
    """The stored cases (of the period by 接收时间, or all), in case-number order."""
    where, params = "", []
    if period is not None:
        where, params = " WHERE received_at >= ? AND received_at < ?", [period.start_text, period.end_text]
    rows = db.execute(f"SELECT {', '.join(LW_CASE_FIELDS)} FROM lw_cases{where} ORDER BY case_no", params)
    return [case_from_row(dict(zip(LW_CASE_FIELDS, r, strict=True))) for r in rows.fetchall()]


def load_requests(db, case_nos: list[str] | None = None) -> list[ExtensionRequest]:
    """The stored extension requests (of the given cases, or all), in case and row order."""
    rows = db.execute(
        "SELECT case_no, position, days, level, result, decided_at FROM lw_extensions ORDER BY case_no, position"
    ).fetchall()
    wanted = None if case_nos is None else set(case_nos)
    return [
        ExtensionRequest(case_no, position, days, level, result, parse_ts(decided_at))
        for case_no, position, days, level, result, decided_at in rows
        if wanted is None or case_no in wanted
    ]


def lw_evaluation(db, period: Period | None = None, as_of: str | datetime | None = None) -> LwEvaluation:
    """The period's cases (every case when period is None) evaluated at the as-of time with the store's rules
    (setting lw_rules), working calendar (holiday overrides, office hours) and the region table."""
    moment = lw_as_of(as_of, period)
    cases = load_cases(db, period)
    requests = load_requests(db, [c.case_no for c in cases] if period is not None else None)
    return evaluate(
        cases,
        requests,
        period=period,
        as_of=moment,
        settings=lw_settings_from_db(db),
        calendar=WorkCalendar.from_db(db),
        regions=load_region_table(),
    )


def has_lw_cases(db) -> bool:
    return db.execute("SELECT 1 FROM lw_cases LIMIT 1").fetchone() is not None


def latest_lw_month(db) -> Period | None:
    """The month of the newest 接收时间 (the page's default period)."""
    row = db.execute("SELECT MAX(received_at) FROM lw_cases").fetchone()
    if not row or not row[0]:
        return None
    moment = parse_ts(row[0])
    return month_period(moment.year, moment.month)


def _ts(moment) -> str | None:
    return None if moment is None else moment.strftime(TS_FORMAT)


def case_record(db, case_no: str, as_of: str | datetime | None = None) -> dict | None:
    """One case for its record view: the stored fields and raw row, its three steps at the as-of time
    (start, clock start, deadline, end, flags, light), its judged extension requests, its previous versions
    and data-quality notes. None when the number is unknown."""
    row = db.execute(
        f"SELECT {', '.join(LW_CASE_FIELDS)}, raw, import_id, row_no FROM lw_cases WHERE case_no = ?", (case_no,)
    ).fetchone()
    if row is None:
        return None
    fields = dict(zip(LW_CASE_FIELDS, row[: len(LW_CASE_FIELDS)], strict=True))
    raw, import_id, row_no = row[len(LW_CASE_FIELDS) :]
    moment = lw_as_of(as_of)
    settings, calendar = lw_settings_from_db(db), WorkCalendar.from_db(db)
    timeline = case_timeline(case_from_row(fields), load_requests(db, [case_no]), calendar, settings)
    steps = []
    for step in timeline.steps:
        status = step_status(step, moment, calendar, settings)
        steps.append(
            {
                "step": step.step,
                "role": step.role,
                "person": step.person,
                "started_at": _ts(step.start),
                "clock_start": _ts(step.clock_start),
                "limit": f"{step.limit_days}工作日",
                "base_deadline": _ts(step.base_deadline),
                "extension_days": step.extension_days,
                "deadline_at": _ts(step.deadline),
                "ended_at": _ts(step.end),
                "started": status.started,
                "done": status.done,
                "due": status.due,
                "on_time": status.on_time,
                "open": status.open,
                "used_share": None if status.used_share is None else str(status.used_share),
                "used": fmt2(used_percent(status.used_share)),  # percent, as `lw overdue` prints it
                "light": status.light,
                "serious": status.serious,
            }
        )
    extensions = [
        {
            "position": d.request.position,
            "days": d.request.days,
            "level": d.request.level,
            "result": d.request.result,
            "decided_at": _ts(d.request.decided_at),
            "needed_level": d.needed_level,
            "running_total": d.running_total,
            "moved_days": d.moved_days,
            "outcome": d.outcome,
            "outcome_label": OUTCOME_LABELS[d.outcome],
        }
        for d in timeline.extensions
    ]
    return {
        "case": fields,
        "raw": raw,
        "import_id": import_id,
        "row_no": row_no,
        "as_of": moment.strftime("%Y-%m-%dT%H:%M:%S"),
        "steps": steps,
        "extensions": extensions,
        "history": history(db, LW_CASES, [case_no]),
        "extension_history": history(db, LW_EXTENSIONS, [case_no]),
        "problems": list(timeline.problems),
    }
