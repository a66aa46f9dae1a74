"""Compile the per-row conversion for one header mapping into a single straight-line Python function.

Why: a 500,000-row export is 10 million cell conversions, and a call per cell dominates. The generated
function has inline fast paths for text cells (the common case) and calls into :mod:`importers.values` only
for the rest (several times faster: tests/bench/NOTES.md). Blank values come out as None: the child's staging
files are written with apsw, which binds None faster than SQL's NULLIF(?, '') turns "" into NULL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import orjson

from importers import values as val
from models.records import CASE_FIELDS

_CODE_FIELDS = ("major_code", "minor_code", "grid")


def _block(name: str, col: int | None, label: str, raw_too: bool = False) -> list[str]:
    """Source lines that set local f_<name> from cells[col]; problems get (label, reason). With raw_too
    (typed readers), a date-time or count block also sets r<col>, the raw cell text: a whole-second
    datetime's text is the field's own text, so the common case formats the datetime once, not twice."""
    target = f"f_{name}"
    kind = CASE_FIELDS[name]
    if col is None:
        return [f"    {target} = {0 if kind == 'int' else None}"]
    fail = [
        "        except VP as exc:",
        f"            problems.append(({label!r}, str(exc)))",
        f"            {target} = {0 if kind == 'int' else None}",
    ]
    lines = [f"    v = cells[{col}]"]
    if name == "case_no":
        lines += [
            # the common case: ASCII letters and digits, long enough, at least one digit
            "    if type(v) is str and v.isascii() and v.isalnum() and not v.isalpha()"
            f" and len(v) >= {val.MIN_CASE_NO_LENGTH}:",
            f"        {target} = v",
            "    elif v is None or v == '':",
            f"        {target} = None",
            "    else:",
            "        try:",
            f"            {target} = CASE(v) or None",
            *fail,
        ]
    elif kind == "datetime":
        func = "DTE" if name == "deadline_at" else "DT"
        raw = [f"        r{col} = {target}"] if raw_too else []
        lines += [
            "    if v is None or v == '':",
            f"        {target} = None",
            *([f"        r{col} = ''"] if raw_too else []),
            # calamine's datetime for a whole-second time: format inline (the common xlsx case)
            "    elif type(v) is DATETIME and not v.microsecond and v.tzinfo is None and 1900 <= v.year <= 2100:",
            f"        {target} = v.isoformat(' ')",
            *raw,
            "    else:",
            *([f"        r{col} = v if type(v) is str else RAW(v)"] if raw_too else []),
            "        try:",
            f"            {target} = {func}(v) or None",
            *fail,
        ]
    elif kind == "int":
        lines += [
            "    if type(v) is str and v.isascii() and v.isdigit():",
            f"        {target} = int(v)",
            *([f"        r{col} = v"] if raw_too else []),
            "    elif type(v) is float and v.is_integer() and 0 <= v < 1e15:",  # a typed reader's number
            f"        {target} = int(v)",
            *([f"        r{col} = str({target})"] if raw_too else []),
            "    elif v is None or v == '':",
            f"        {target} = 0",
            *([f"        r{col} = ''"] if raw_too else []),
            "    else:",
            *([f"        r{col} = v if type(v) is str else RAW(v)"] if raw_too else []),
            "        try:",
            f"            {target} = COUNT(v)",
            *fail,
        ]
    elif name == "kind":
        lines += [
            "    if type(v) is str and v in KINDS:",
            f"        {target} = v",
            "    elif v is None or v == '':",
            f"        {target} = None",
            "    else:",
            "        try:",
            f"            {target} = KIND(v) or None",
            *fail,
        ]
    else:
        func = "CODE" if name in _CODE_FIELDS else "TEXT"
        lines += [
            "    if type(v) is str:",
            "        v = v.strip()",
            f"        {target} = None if v in NULLS else v"
            + (f" if v.isascii() else {func}(v) or None" if func == "CODE" else ""),
            "    elif v is None:",
            f"        {target} = None",
            "    else:",
            f"        {target} = {func}(v) or None",
        ]
    return lines


def compile_row_converter(
    columns: dict[str, int],
    labels: dict[str, str],
    width: int,
    *,
    text_only: bool,
    unit_aliases: dict[str, str],
    category_aliases: dict[str, str],
    channels: dict[str, str],
) -> Callable[[list, int], tuple[list, list]]:
    """convert(cells, row_no) -> (staging row, problems): row_no, the fields, cancelled, deadline_source, raw.

    raw is the row's cell texts as one JSON array text, built here (orjson, about 1.5 µs a row) rather than by
    SQLite from one bound value per cell: binding costs about 80 ns a value plus as much again per row.

    `labels` gives the header text to name in a rejected row; `text_only` (CSV, HTML) skips raw conversion.
    """
    src = [
        "def convert(cells, row_no):",
        f"    if len(cells) < {width}:",
        f"        cells = list(cells) + [''] * ({width} - len(cells))",
        "    problems = []",
    ]
    raw_done = set()
    for name in CASE_FIELDS:
        col = columns.get(name)
        raw_too = not text_only and CASE_FIELDS[name] in ("datetime", "int") and col is not None and col not in raw_done
        if raw_too:
            raw_done.add(col)
        src += _block(name, col, labels.get(name, name), raw_too)
    for name in ("unit", "returned_unit"):
        if name in columns and unit_aliases:
            src += [f"    if f_{name}:", f"        f_{name} = UA.get(f_{name}, f_{name})"]
    for name in ("major", "minor"):
        if name in columns and category_aliases:
            src += [f"    if f_{name}:", f"        f_{name} = CA.get(f_{name}, f_{name})"]
    src += [
        "    if f_source and not f_channel and f_source in CH and f_source not in SOURCES:",
        "        f_channel = f_source",
        "        f_source = CH[f_channel]",
        "    elif not f_source and f_channel:",
        "        f_source = CH.get(f_channel)",
        "    cancelled = 1 if f_stage and f_stage.replace(' ', '') in CANCEL else 0",
        "    dsrc = 'export' if f_deadline_at else None",
        f"    raw = cells[:{width}]"
        if text_only
        else "    raw = ["
        + ", ".join(
            f"r{i}" if i in raw_done else f"(cells[{i}] if type(cells[{i}]) is str else RAW(cells[{i}]))"
            for i in range(width)
        )
        + "]",
        "    try:",
        "        raw = DUMPS(raw).decode()",
        "    except TypeError:",  # orjson refuses a lone surrogate; the json module writes it escaped
        "        raw = JSON(raw)",
        "    return [row_no, " + ", ".join(f"f_{n}" for n in CASE_FIELDS) + ", cancelled, dsrc, raw], problems",
    ]
    namespace = {
        "VP": val.ValueProblem,
        "DATETIME": datetime,
        "CASE": val.case_no_text,
        "DT": val.datetime_text,
        "DTE": lambda v: val.datetime_text(v, end_of_day=True),
        "COUNT": val.count_int,
        "KIND": val.kind_text,
        "TEXT": val.plain_text,
        "CODE": val.code_text,
        "RAW": val.raw_text,
        "DUMPS": orjson.dumps,
        "JSON": json_text,
        "NULLS": val.NULL_TEXTS,
        "KINDS": frozenset(("部件", "事件")),
        "CANCEL": val.CANCEL_STAGES,
        "UA": unit_aliases,
        "CA": category_aliases,
        "CH": channels,
        "SOURCES": frozenset(channels.values()),
    }
    exec(compile("\n".join(src), "<importers.rowcode>", "exec"), namespace)  # noqa: S102 - generated from field names only
    return namespace["convert"]


def json_text(cells: list) -> str:
    """A raw row as the JSON array text SQLite's json_array() writes (compact, non-ASCII kept)."""
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))


def staging_insert_sql() -> str:
    """INSERT for staging rows; raw is one JSON array text of the cell texts (the header names go once into
    imports.raw_headers: a JSON object repeating them took ~600 of the ~700 bytes a case took)."""
    columns = ["row_no", *CASE_FIELDS, "cancelled", "deadline_source", "raw"]
    return f"INSERT INTO rows({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
