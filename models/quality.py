"""What the data can tell, what was inferred, and what it cannot tell (domain.md §4 "Missing facts", §5, §6).

Why: a real office's export is not the demo month. A closed case without 处置时间 was certainly disposed —
at its 结案时间, marked *inferred* (:func:`infer_disposed`); a figure that needs a column the export lacks
altogether is unavailable (:func:`unavailable_figures`) — shown as "—" / null, never as 0; and every such
fact of a period is a warning entry (:func:`period_warnings`) that the CLI prints, the stats and scores
documents carry, and the GUI's data-quality panel lists with the cases behind it (:func:`warning_cases`).

A warning entry is a dict:
``{"code", "level", "text", "count", "figure"?, "unit"?, "cases"?, …}`` — ``code`` says what it is
(``disposed_inferred`` | ``deadline_from_limit`` | ``no_deadline`` | ``missing_column`` |
``unregistered_unit`` | ``no_data``); ``level`` is ``inferred`` (a value was inferred and is used),
``unavailable`` (a figure cannot be computed) or ``check`` (the office should look); ``text`` is the
Chinese sentence; ``count`` the number of cases (or units); ``figure`` (+ ``unit``) name the drill-down
of models.drilldown.case_numbers that lists the cases; ``cases`` lists them where no figure does.
``missing_column`` adds ``field``, ``column``, ``figures`` (the unavailable ones) and ``imports``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from models.definitions import Definitions, load_definitions
from models.drilldown import case_numbers
from models.errors import UserFacingError
from models.indicators import FILED_WHERE, RATE_FIGURES
from models.labels import FIELD_LABELS, FIGURE_LABELS, UNAVAILABLE_MARK
from models.periods import Period, period_words
from models.store import transaction

INFERRED = "inferred"  # cases.disposed_source: 处置时间 taken from 结案时间

DISPOSAL = ("disposed", "disposed_on_time", "disposed_late", "disposal_rate", "on_time_disposal_rate")
CLOSURE = ("closed", "closed_on_time", "closure_rate", "on_time_closure_rate")
ON_TIME = (
    *("disposed_on_time", "disposed_late", "closed_on_time"),
    *("on_time_disposal_rate", "on_time_closure_rate", "overdue_open"),
)
REWORK = ("rework", "rework_rate")
FILED_FIGURES = (
    *("filed", "need_dispose", "due_to_close", *DISPOSAL, *CLOSURE, *REWORK, "overdue_open"),
    *("kinds", "top", "districts", "streets"),
)
# optional columns whose absence only takes away a breakdown (no inference can stand in for them)
SECTION_FIELDS = {"kind": ("kinds",), "minor": ("top",), "district": ("districts",), "street": ("streets",)}
# the columns whose absence :func:`unavailable_figures` weighs (source and channel together: either will do)
WEIGHED_FIELDS = ("filed_at", "disposed_at", "closed_at", "deadline_at", "rework_count", *SECTION_FIELDS, "channel")


class NoDataError(UserFacingError):
    """A period without a single case: exporting or reporting it would print a page of zeros and 100s."""


# ---------------------------------------------------------------- inferred 处置时间


def infer_disposed(db, import_id: int | None = None) -> int:
    """A closed case without 处置时间 was disposed at its 结案时间 (domain.md §4): store that time, marked
    ``disposed_source = 'inferred'``. For one import's cases (after the importer wrote them; joins its
    transaction) or, with import_id None, the whole store. Returns how many cases were inferred now."""
    with transaction(db):
        if import_id is not None:
            # a row this import wrote holds the export's 处置时间 again: an earlier inference no longer holds
            db.execute(
                "UPDATE cases SET disposed_source = NULL WHERE disposed_source = 'inferred' AND import_id = ?",
                (import_id,),
            )
        where = "disposed_at IS NULL AND closed_at IS NOT NULL" + (" AND import_id = ?" if import_id else "")
        return db.execute(
            f"UPDATE cases SET disposed_at = closed_at, disposed_source = 'inferred' WHERE {where}",
            (import_id,) if import_id else (),
        ).rowcount


def inferred_text(count: int) -> str:
    """The import summary's and the warnings' sentence for inferred 处置时间."""
    return f"{count} 件已结案案件没有处置时间，已按结案时间计为已处置（推定），按期处置也按结案时间判断"


# ---------------------------------------------------------------- columns an export lacks


def missing_column_notes(mapped_fields: Iterable[str]) -> list[str]:
    """What a file's missing optional columns will mean, before it is imported (the import preview)."""
    mapped = set(mapped_fields)
    notes = []
    for field in WEIGHED_FIELDS:
        if field in mapped or (field == "channel" and "source" in mapped):
            continue
        notes.append(_column_note(field, _figures_without(field, mapped, Definitions(), True)))
    return notes


def _figures_without(field: str, mapped: set[str], defs: Definitions, deadline_gaps: bool) -> tuple[str, ...]:
    """The figures that cannot be computed when ``field`` is missing (given the other mapped columns)."""
    out: list[str] = []
    if field == "filed_at":
        out += FILED_FIGURES
    elif field == "closed_at":
        out += CLOSURE
        if "disposed_at" not in mapped:
            out += DISPOSAL
    elif field == "disposed_at" and "closed_at" not in mapped:
        out += DISPOSAL
    elif field == "deadline_at" and deadline_gaps:
        out += ON_TIME
    elif field == "rework_count":
        out += REWORK
    elif field in SECTION_FIELDS:
        out += SECTION_FIELDS[field]
    elif field == "channel" and "source" not in mapped:
        out.append("sources")
    if any(f in out for f in DISPOSAL) and defs.due_to_close == "disposed_plus_overdue_open":
        out += ("due_to_close", "closure_rate", "on_time_closure_rate")
    if ("disposed" if defs.rework_rate_base == "disposed" else "due_to_close") in out:
        out.append("rework_rate")
    return tuple(dict.fromkeys(out))


def _column_note(field: str, figures: tuple[str, ...]) -> str:
    label = FIELD_LABELS["source"] + "/" + FIELD_LABELS["channel"] if field == "channel" else FIELD_LABELS[field]
    text = f"没有「{label}」列"
    if field == "disposed_at" and not figures:  # 结案时间 stands in for it
        return text + "：已结案案件按结案时间计为已处置（推定），未结案案件是否已处置无法得知（按未处置计）"
    if field == "deadline_at":
        if not figures:
            return text + "：处置截止时间按小类处置时限推算"
        return text + "：无法推算截止时间的案件不能判断是否按期，" + _figure_words(figures) + "无法计算"
    if not figures:
        return text
    return text + "：" + _figure_words(figures) + f"无法计算（显示为“{UNAVAILABLE_MARK}”）"


def _figure_words(figures: Iterable[str]) -> str:
    return "、".join(FIGURE_LABELS.get(f, f) for f in figures)


@dataclass(frozen=True)
class MissingColumn:
    """An optional column that some import supplying the period's cases lacked."""

    field: str
    cases: int  # the period's cases from those imports
    imports: tuple[tuple[int, str], ...]  # (import id, file name)
    figures: tuple[str, ...]  # what cannot be computed for lack of it


def _lacking_imports(db) -> dict[int, tuple[str, set[str]]]:
    """import id → (file name, the weighed fields its file did not have); complete imports are left out."""
    out = {}
    for import_id, file_name, mapping in db.execute(
        "SELECT id, file_name, mapping FROM imports WHERE outcome = 'ok' AND stream = 'cases' AND mapping IS NOT NULL"
    ):
        try:
            mapped = set(json.loads(mapping or "{}"))
        except ValueError:
            continue
        if not mapped:
            continue
        lacking = {f for f in WEIGHED_FIELDS if f not in mapped and not (f == "channel" and "source" in mapped)}
        if lacking:
            out[import_id] = (file_name, lacking)
    return out


def missing_columns(db, period: Period, defs: Definitions | None = None) -> list[MissingColumn]:
    """The optional columns missing from the files behind the period's cases, with what they take away.

    Why per import: a period's cases may come from several exports; a column missing from one of them
    leaves its cases without that fact, so a figure that needs it is unavailable for the period."""
    lacking = _lacking_imports(db)
    if not lacking:  # the common case costs one read of the small imports table
        return []
    defs = defs or load_definitions(db)
    params = {"start": period.start_text, "end": period.end_text}
    marks = ", ".join(str(int(i)) for i in lacking)
    filed = dict(
        db.execute(
            f"SELECT import_id, COUNT(*) FROM cases WHERE {FILED_WHERE} AND import_id IN ({marks}) GROUP BY import_id",
            params,
        ).fetchall()
    )
    reported = dict(
        db.execute(
            "SELECT import_id, COUNT(*) FROM cases WHERE reported_at >= :start AND reported_at < :end"
            f" AND cancelled = 0 AND import_id IN ({marks}) GROUP BY import_id",
            params,
        ).fetchall()
    )
    gaps = dict(
        db.execute(
            f"SELECT import_id, COUNT(*) FROM cases WHERE {FILED_WHERE} AND import_id IN ({marks})"
            " AND deadline_at IS NULL AND (dispatched_at IS NOT NULL OR COALESCE(unit, '') <> '') GROUP BY import_id",
            params,
        ).fetchall()
    )
    out = []
    for field in WEIGHED_FIELDS:
        counts = reported if field in ("channel", "filed_at") else filed
        ids = [i for i, (_name, fields) in lacking.items() if field in fields and counts.get(i)]
        if not ids:
            continue
        mapped = set(WEIGHED_FIELDS) - set().union(*(lacking[i][1] for i in ids))
        figures = _figures_without(field, mapped, defs, any(gaps.get(i) for i in ids))
        imports = tuple((i, lacking[i][0]) for i in ids)
        out.append(MissingColumn(field, sum(counts[i] for i in ids), imports, figures))
    return out


def unavailable_figures(db, period: Period, defs: Definitions | None = None) -> tuple[str, ...]:
    """The figures (and breakdowns) of the period that its data cannot give, in a stable order."""
    found: list[str] = []
    for missing in missing_columns(db, period, defs):
        found += missing.figures
    return tuple(dict.fromkeys(found))


def mask_unavailable(figures: dict, unavailable: Iterable[str]) -> dict:
    """A figures dict with the unavailable rates set to None (counts stay integers: cli.md's types)."""
    gone = set(unavailable)
    return {k: (None if k in gone and k in RATE_FIGURES else v) for k, v in figures.items()}


# ---------------------------------------------------------------- units not in the registry


def unregistered_units(db, period: Period) -> list[tuple[str, int]]:
    """Units with filed cases in the period that are neither registered nor an alias: (name, filed), most first.

    Why: such a unit is not scored (it has no category to be ranked in); it must be named, not vanish."""
    rows = db.execute(
        f"""SELECT unit, COUNT(*) FROM cases WHERE {FILED_WHERE} AND COALESCE(unit, '') <> ''
              AND unit NOT IN (SELECT name FROM units) AND unit NOT IN (SELECT alias FROM unit_aliases)
            GROUP BY unit ORDER BY COUNT(*) DESC, unit""",
        {"start": period.start_text, "end": period.end_text},
    ).fetchall()
    return [(name, count) for name, count in rows]


# ---------------------------------------------------------------- a period with no data at all


def period_has_data(db, period: Period) -> bool:
    """Whether any (not cancelled) case was reported or filed in the period."""
    params = (period.start_text, period.end_text)
    for column in ("reported_at", "filed_at"):
        sql = f"SELECT 1 FROM cases WHERE {column} >= ? AND {column} < ? AND cancelled = 0 LIMIT 1"
        if db.execute(sql, params).fetchone():
            return True
    return False


def no_data_text(period: Period) -> str:
    return f"{period_words(period)}没有任何案件数据（无受理、无立案记录）"


def require_data(db, period: Period, what: str = "导出") -> None:
    """Refuse to export or report a period without a single case (NoDataError, exit 2 in the CLI)."""
    if not period_has_data(db, period):
        raise NoDataError(f"{no_data_text(period)}，不能{what}。请先导入该期的案件数据，或选择其他统计周期。")


# ---------------------------------------------------------------- the period's warnings


def _entry(code: str, level: str, text: str, count: int, **extra) -> dict:
    return {"code": code, "level": level, "text": text, "count": count, **extra}


def period_warnings(db, period: Period, defs: Definitions | None = None) -> list[dict]:
    """Every data-quality warning of the period, as entries (see the module docstring), most serious first."""
    defs = defs or load_definitions(db)
    if not period_has_data(db, period):
        return [_entry("no_data", "check", no_data_text(period), 0)]
    out: list[dict] = []
    unavailable: set[str] = set()
    for missing in missing_columns(db, period, defs):
        files = "、".join(f"「{name}」" for _id, name in missing.imports)
        text = f"导出文件{files}{_column_note(missing.field, missing.figures)}（涉及 {missing.cases} 件）"
        unavailable.update(missing.figures)
        level = "unavailable" if missing.figures else "inferred"
        out.append(
            _entry(
                "missing_column",
                level,
                text,
                missing.cases,
                field=missing.field,
                column=FIELD_LABELS[missing.field],
                figures=list(missing.figures),
                imports=[{"id": i, "file_name": name} for i, name in missing.imports],
            )
        )
    for name, filed in unregistered_units(db, period):
        text = f"处置单位「{name}」不在单位名录中（本期立案 {filed} 件），未参加绩效评价；请登记到名册"
        out.append(_entry("unregistered_unit", "check", text, filed, figure="filed", unit=name))
    counts = _quality_counts(db, period)
    if counts["no_deadline"]:
        verdict = "不能判断是否按期" if "on_time_closure_rate" in unavailable else "视为按期"
        text = f"{counts['no_deadline']} 件立案案件没有处置截止时间（导出未提供，也无法按处置时限推算），{verdict}"
        out.append(_entry("no_deadline", "check", text, counts["no_deadline"], figure="no_deadline"))
    if counts["disposed_inferred"]:
        n = counts["disposed_inferred"]
        out.append(_entry("disposed_inferred", "inferred", inferred_text(n), n, figure="disposed_inferred"))
    if counts["deadline_from_limit"]:
        n = counts["deadline_from_limit"]
        text = f"{n} 件立案案件导出时没有处置截止时间，已按小类处置时限推算"
        out.append(_entry("deadline_from_limit", "inferred", text, n, figure="deadline_from_limit"))
    return out


def _quality_counts(db, period: Period) -> dict[str, int]:
    params = {"start": period.start_text, "end": period.end_text}
    need = "(dispatched_at IS NOT NULL OR COALESCE(unit, '') <> '')"
    sql = {
        # idx_cases_inferred: an index range, empty for complete exports
        "disposed_inferred": "SELECT COUNT(*) FROM cases WHERE disposed_source = 'inferred'"
        " AND filed_at >= :start AND filed_at < :end AND cancelled = 0",
        "no_deadline": f"SELECT COUNT(*) FROM cases WHERE {FILED_WHERE} AND deadline_at IS NULL AND {need}",
        "deadline_from_limit": "SELECT COUNT(*) FROM cases WHERE deadline_source = 'limit'"  # idx_cases_deadline_limit
        " AND filed_at >= :start AND filed_at < :end AND cancelled = 0",
    }
    return {key: db.execute(query, params).fetchone()[0] for key, query in sql.items()}


def warning_cases(db, period: Period, warning: dict) -> list[str]:
    """The case numbers behind one warning entry (the data-quality panel's click), sorted by number."""
    if "cases" in warning:
        return list(warning["cases"])
    if warning.get("figure"):
        return case_numbers(db, period, warning["figure"], unit=warning.get("unit"))
    if warning.get("code") == "missing_column":
        ids = ", ".join(str(int(entry["id"])) for entry in warning.get("imports", []))
        if not ids:
            return []
        column = "reported_at" if warning.get("field") in ("channel", "filed_at") else "filed_at"
        rows = db.execute(
            f"SELECT case_no FROM cases WHERE {column} >= ? AND {column} < ? AND cancelled = 0"
            f" AND import_id IN ({ids}) ORDER BY case_no",
            (period.start_text, period.end_text),
        )
        return [r[0] for r in rows]
    return []


def warning_lines(warnings: list[dict]) -> list[str]:
    """The warnings as the CLI and the text outputs print them, one sentence each."""
    return [w["text"] for w in warnings]
