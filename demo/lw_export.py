"""The demo's 两违 export for December 2021: hand-placed cases that show every rule, and generated ones.

Everything it uses is data in resources/demo/lw_demo.toml; the generator only walks the working calendar so
that step times fall in office hours and a share of them come late. Deterministic (fixed seed): the same
rows on every machine. The rows are export rows: a case with several extension requests repeats its row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.store import load_toml
from models.workcalendar import WorkCalendar

# The default office schedule on the statutory calendar: demo data must not depend on a user's settings.
CALENDAR = WorkCalendar()
HEADERS = (
    ("案件编号", "case_no"),
    ("所属县区", "county"),
    ("乡（镇、街、场）", "town"),
    ("责任部门", "department"),
    ("违建类型", "violation_type"),
    ("线索来源", "source"),
    ("接收时间", "received_at"),
    ("核查员", "verifier"),
    ("核查完成时间", "verified_at"),
    ("派发时间", "dispatched_at"),
    ("处置员", "disposer"),
    ("处置完成时间", "disposed_at"),
    ("结案申请时间", "close_applied_at"),
    ("督查员", "supervisor"),
    ("审核结案时间", "closed_at"),
    ("当前环节", "current_step"),
    ("申请延期天数", "extension_days"),
    ("延期审批层级", "extension_level"),
    ("延期审批结果", "extension_result"),
)
TIMES = ("received_at", "verified_at", "dispatched_at", "disposed_at", "close_applied_at", "closed_at")


@dataclass(frozen=True)
class LwDemo:
    title: str
    rows: list[dict]  # export rows: field -> datetime | date | str | int | None
    text_date_rows: frozenset[int]  # indexes of rows whose times are written as text


def _moment(text: str) -> datetime | date:
    """A hand-placed time: "2021-12-04 10:20", or a date alone (an export's date-only cell)."""
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def _current_step(row: dict) -> str:
    """当前环节 as the platform shows it: the first step without its end."""
    if row.get("closed_at"):
        return "已结案"
    if row.get("close_applied_at"):
        return "审核"
    if row.get("verified_at"):
        return "处置"
    return "核查"


def _pick_weighted(rng: random.Random, items: list[list]) -> list:
    total = sum(item[-1] for item in items)
    point = rng.random() * total
    for item in items:
        point -= item[-1]
        if point < 0:
            return item
    return items[-1]


def _after(rng: random.Random, start: datetime, bands: list[list[float]]) -> datetime:
    """start + a number of working days drawn from the bands (low, high, share), to the minute."""
    low, high, _share = _pick_weighted(rng, bands)
    seconds = rng.uniform(low, high) * CALENDAR.day_seconds
    moment = CALENDAR.add_working_seconds(CALENDAR.clock_start(start), seconds)
    return moment.replace(second=0, microsecond=0)


def _received(rng: random.Random) -> datetime:
    """A December 2021 receipt: mostly office hours on working days, some on weekends (reports keep coming)."""
    while True:
        day = date(2021, 12, 1) + timedelta(days=int(rng.random() * 31))
        if CALENDAR.is_workday(day) or rng.random() < 0.25:
            break
    minute = rng.randrange(8 * 60, 17 * 60 + 30)
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)


def _generated(rng: random.Random, spec: dict, towns: list[list[str]], number: int, cutoff: datetime) -> list[dict]:
    county, town, verifier, disposer, supervisor = towns[int(rng.random() * len(towns))]
    violation, source, _w = _pick_weighted(rng, spec["types"])
    department = _pick_weighted(rng, spec["departments"])[0]
    received = _received(rng)
    row = {
        "case_no": f"LW{received:%Y%m%d}{number:04d}",
        "county": county,
        "town": town,
        "department": department,
        "violation_type": violation,
        "source": source,
        "received_at": received,
        "verifier": verifier,
    }
    extension = None
    stages = (
        ("open_in_verify", "verified_at", "verify_days"),
        ("open_in_dispose", "disposed_at", "dispose_days"),
        ("open_in_review", "closed_at", "review_days"),
    )
    previous = received
    for share_key, end_field, bands_key in stages:
        if end_field == "disposed_at":
            row["dispatched_at"] = previous + timedelta(minutes=rng.randrange(20, 180))
            row["disposer"] = disposer
            previous = row["dispatched_at"]
            if rng.random() < 0.08:  # a county extension of 10–20 days, approved
                extension = {"extension_days": rng.randrange(10, 21), "extension_level": "县级"}
                extension["extension_result"] = "同意"
        if end_field == "closed_at":
            row["close_applied_at"] = previous + timedelta(minutes=rng.randrange(30, 240))
            row["supervisor"] = supervisor
            previous = row["close_applied_at"]
        if rng.random() < spec[share_key]:  # still in this step when the export was taken
            break
        end = _after(rng, previous, spec[bands_key])
        if extension is not None and end_field == "disposed_at":
            end += timedelta(days=extension["extension_days"] * rng.uniform(0.3, 0.9))
            end = end.replace(second=0, microsecond=0)
        if end > cutoff:
            break
        row[end_field] = end
        previous = end
    for field in TIMES:  # a time after the export was taken is not in it (nor anything after it)
        if row.get(field) is not None and row[field] > cutoff:
            row[field] = None
    row["current_step"] = _current_step(row)
    return [row | (extension or {})]


def _placed(case: dict, towns: list[list[str]]) -> list[dict]:
    county, town, verifier, disposer, supervisor = towns[case["town"]]
    row = {
        "case_no": case["case_no"],
        "county": county,
        "town": town,
        "department": case["department"],
        "violation_type": case["violation_type"],
        "source": case["source"],
        "verifier": verifier,
        "disposer": disposer if case.get("dispatched_at") else None,
        "supervisor": supervisor if case.get("close_applied_at") else None,
    }
    for field in TIMES:
        row[field] = _moment(case[field]) if case.get(field) else None
    row["current_step"] = _current_step(row)
    extensions = case.get("extensions") or [{}]
    return [
        row
        | {
            "extension_days": e.get("days"),
            "extension_level": e.get("level"),
            "extension_result": e.get("result"),
        }
        for e in extensions
    ]


def lw_demo() -> LwDemo:
    """The December 2021 export's rows, ordered by 接收时间 then case number (a case's rows stay together)."""
    spec = load_toml("demo/lw_demo.toml")
    towns, bulk = spec["towns"], spec["bulk"]
    cutoff = spec["exported_at"]
    rng = random.Random(bulk["seed"])
    cases = [_placed(case, towns) for case in spec["case"]]
    cases += [_generated(rng, bulk, towns, 101 + i, cutoff) for i in range(bulk["cases"])]
    cases.sort(key=lambda rows: (_as_datetime(rows[0]["received_at"]), rows[0]["case_no"]))
    rows = [row for case in cases for row in case]
    every = bulk["text_dates_every"]
    return LwDemo(spec["title"], rows, frozenset(i for i in range(len(rows)) if i % every == every - 1))


def _as_datetime(moment: datetime | date) -> datetime:
    return moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)
