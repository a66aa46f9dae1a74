"""A 两违 case and its extension requests as the platform exports them (domain.md §8).

Why a module: the importer, the store, the figures and the views all speak of the same fields. The export
has one row per case, repeated once per extension request; a case's own fields come from its last row, and
each request is identified by (case number, its position among that case's rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime

from models.lw_settings import LwSettings, LwValueError
from models.workcalendar import parse_ts

# Canonical case fields → kind (text | datetime), in the export's usual column order.
LW_CASE_FIELDS: dict[str, str] = {
    "case_no": "text",
    "county": "text",
    "town": "text",
    "department": "text",
    "violation_type": "text",
    "source": "text",
    "received_at": "datetime",
    "verifier": "text",
    "verified_at": "datetime",
    "dispatched_at": "datetime",
    "disposer": "text",
    "disposed_at": "datetime",
    "close_applied_at": "datetime",
    "supervisor": "text",
    "closed_at": "datetime",
    "current_step": "text",
}
# Canonical fields of one extension request (the same row's extension columns).
LW_EXTENSION_FIELDS: dict[str, str] = {
    "extension_days": "int",
    "extension_level": "text",
    "extension_result": "text",
    "extension_at": "datetime",
}
LW_FIELD_LABELS: dict[str, str] = {
    "case_no": "案件编号",
    "county": "县区",
    "town": "乡镇",
    "department": "部门",
    "violation_type": "违建类型",
    "source": "线索来源",
    "received_at": "接收时间",
    "verifier": "核查员",
    "verified_at": "核查完成时间",
    "dispatched_at": "派发时间",
    "disposer": "处置员",
    "disposed_at": "处置完成时间",
    "close_applied_at": "结案申请时间",
    "supervisor": "督查员",
    "closed_at": "审核结案时间",
    "current_step": "当前环节",
    "extension_days": "申请延期天数",
    "extension_level": "延期审批层级",
    "extension_result": "延期审批结果",
    "extension_at": "延期审批时间",
}
LW_DATETIME_FIELDS = tuple(name for name, kind in LW_CASE_FIELDS.items() if kind == "datetime")

Moment = datetime | date | None


@dataclass(frozen=True)
class LwCase:
    """One 两违 case: where, who, and the six step times (a date without a time is allowed: see lw_steps)."""

    case_no: str
    county: str | None = None
    town: str | None = None  # 乡（镇、街、场）
    department: str | None = None  # 城管 / 农业农村 / 自然资源
    violation_type: str | None = None
    source: str | None = None  # 群众举报, 物业上报, 巡查发现, …
    received_at: Moment = None  # 接收时间: starts 核查, and puts the case in its period
    verified_at: Moment = None  # 核查完成时间: ends 核查; starts 处置 when 派发时间 is blank
    dispatched_at: Moment = None  # 派发时间: starts 处置
    disposed_at: Moment = None  # 处置完成时间: ends 处置
    close_applied_at: Moment = None  # 结案申请时间: starts 审核
    closed_at: Moment = None  # 审核结案时间: ends 审核
    verifier: str | None = None  # 核查员
    disposer: str | None = None  # 处置员
    supervisor: str | None = None  # 督查员
    current_step: str | None = None  # 当前环节, as the platform says


@dataclass(frozen=True)
class ExtensionRequest:
    """One 延期 request: N natural days, the approving level (县级 / 市级 / None) and the result
    (同意 / 不同意 / None = pending). `position` is the request's row among its case's rows (1-based)."""

    case_no: str
    position: int
    days: int | None
    level: str | None = None
    result: str | None = None
    decided_at: Moment = None  # 延期审批时间, when the export gives it (shown, never computed with)


def case_from_row(row: Mapping[str, object]) -> LwCase:
    """A store or import row (canonical field → text or datetime) to an LwCase; extra keys are ignored.

    Date-times are parsed with the working calendar's parse_ts (store text, ISO, or YYYY-MM-DD)."""
    values: dict[str, object] = {}
    for f in fields(LwCase):
        value = row.get(f.name)
        if f.name in LW_DATETIME_FIELDS:
            values[f.name] = value if isinstance(value, date) else parse_ts(value or None)  # type: ignore[arg-type]
        else:
            text = None if value is None else str(value).strip()
            values[f.name] = text or None
    if not values["case_no"]:
        raise LwValueError("case_no", "两违案件缺少案件编号")
    return LwCase(**values)  # type: ignore[arg-type]


def extension_from_row(
    case_no: str, position: int, row: Mapping[str, object], settings: LwSettings
) -> ExtensionRequest | None:
    """The extension request a row carries, or None when its extension columns are all blank.

    Level and result words go through the settings' word lists and the days must be a whole number: else
    LwValueError, a rejected row for the importer. Blank days beside a level or result are kept as None (the
    importer rejects such a row; the figures list the request as invalid)."""
    days_value = row.get("extension_days")
    level_text, result_text = row.get("extension_level"), row.get("extension_result")
    if all(v is None or not str(v).strip() for v in (days_value, level_text, result_text)):
        return None
    days = _whole_days(days_value)
    return ExtensionRequest(
        case_no,
        position,
        days,
        settings.level(None if level_text is None else str(level_text)),
        settings.result(None if result_text is None else str(result_text)),
        parse_ts(row.get("extension_at") or None),  # type: ignore[arg-type]
    )


def _whole_days(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise LwValueError("extension_days", f"延期天数「{value}」不是整数", str(value))
    text = str(value).strip().removesuffix("天").removesuffix("日").strip()
    try:
        number = float(text)
    except ValueError:
        raise LwValueError("extension_days", f"延期天数「{value}」不是整数", str(value)) from None
    if not number.is_integer() or number < 0:
        raise LwValueError("extension_days", f"延期天数「{value}」应为非负整数", str(value))
    return int(number)


def cases_from_rows(rows: Iterable[tuple[int, Mapping[str, object]]], settings: LwSettings):
    """An export's rows (row number, canonical fields) → (cases, extension requests), by domain.md §8:
    the last row of a case gives its own fields; each row with extension columns is one request at its
    position among the case's rows, in row order."""
    cases: dict[str, LwCase] = {}
    requests: list[ExtensionRequest] = []
    positions: dict[str, int] = {}
    for _row_no, row in sorted(rows, key=lambda item: item[0]):
        case = case_from_row(row)
        cases[case.case_no] = case
        positions[case.case_no] = positions.get(case.case_no, 0) + 1
        request = extension_from_row(case.case_no, positions[case.case_no], row, settings)
        if request is not None:
            requests.append(request)
    return list(cases.values()), requests
