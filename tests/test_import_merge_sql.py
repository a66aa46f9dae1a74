"""The merge SQL gives the same result on every SQLite: the one Python ships here and a recent one (apsw).

SQLite 3.45 changed how a JSON value travels through a subquery or CASE: the stored previous version of a
case must still hold its raw row as a JSON object, not as an escaped JSON string.
"""

import json
import sqlite3

import apsw
import pytest

from importers.child import ROWS_TABLE_SQL, STAGING_COLUMNS
from importers.merge import history_sql
from models.records import CASE_FIELDS
from models.store import MIGRATIONS, split_sql

HEADERS = ["案件编号", "处置部门"]


def _connect(engine: str, path):
    if engine == "apsw":
        conn = apsw.Connection(str(path))
        return conn, lambda sql, params=(): list(conn.execute(sql, params))
    conn = sqlite3.connect(str(path), isolation_level=None)
    return conn, lambda sql, params=(): conn.execute(sql, params).fetchall()


def _store_with_one_case(engine: str, tmp_path, raw: str):
    """A store at the current schema holding case 202111160744 of import 1, and a staged row that changes it."""
    conn, run = _connect(engine, tmp_path / f"{engine}.db")
    for script in MIGRATIONS:
        for statement in split_sql(script):
            run(statement)
    run(
        "INSERT INTO imports(id, file_name, started_at, outcome, raw_headers)"
        " VALUES (1, 'a.xlsx', '2021-12-01', 'ok', ?)",
        (json.dumps(HEADERS, ensure_ascii=False),),
    )
    run(
        "INSERT INTO cases(case_no, unit, cancelled, raw, import_id, row_no) VALUES (?, ?, 0, ?, 1, 2)",
        ("202111160744", "蓝田开发区管委会", raw),
    )
    run("INSERT INTO imports(id, file_name, started_at, outcome) VALUES (2, 'b.xlsx', '2021-12-02', 'ok')")
    run(f"ATTACH DATABASE '{tmp_path / (engine + '-chunk.db')}' AS chunk1")
    run(ROWS_TABLE_SQL.replace("CREATE TABLE rows", "CREATE TABLE chunk1.rows"))
    staged = {c: None for c in STAGING_COLUMNS} | {"row_no": 2, "case_no": "202111160744", "unit": "市城市管理局"}
    staged |= {"cancelled": 0, "rework_count": 0, "raw": '["202111160744","市城市管理局"]'}
    marks = ", ".join("?" for _ in STAGING_COLUMNS)
    run(f"INSERT INTO chunk1.rows({', '.join(STAGING_COLUMNS)}) VALUES ({marks})", [staged[c] for c in STAGING_COLUMNS])
    return conn, run


@pytest.mark.parametrize("engine", ["sqlite3", "apsw"])
@pytest.mark.parametrize(
    "raw",
    ['["202111160744","蓝田开发区管委会"]', '{"案件编号":"202111160744","处置部门":"蓝田开发区管委会"}'],
    ids=["array-raw", "object-raw-before-schema-3"],
)
def test_history_keeps_the_previous_raw_row_as_a_json_object_on_every_sqlite(engine, raw, tmp_path):
    conn, run = _store_with_one_case(engine, tmp_path, raw)
    run(history_sql("chunk1"), ("2021-12-02 08:00:00", 2))
    (old,) = run("SELECT old FROM case_history")[0]
    old = json.loads(old)
    assert old["raw"] == {"案件编号": "202111160744", "处置部门": "蓝田开发区管委会"}
    assert (old["unit"], old["import_id"], old["row_no"], old["cancelled"]) == ("蓝田开发区管委会", 1, 2, 0)
    assert set(CASE_FIELDS) <= set(old)
    conn.close()


def test_the_recent_sqlite_is_really_newer_than_3_45():
    assert tuple(int(p) for p in apsw.sqlite_lib_version().split(".")[:2]) >= (3, 45)


@pytest.mark.parametrize("engine", ["sqlite3", "apsw"])
def test_the_raw_row_text_is_what_sqlite_json_array_writes(engine, tmp_path):
    """Rows stored by earlier versions hold SQLite's json_array() text: the same cells must give the same
    text, or a re-import of unchanged rows would count them as changed."""
    from importers.rowcode import compile_row_converter

    cells = ["202111160744", 'a "quoted" \\ back\\slash', "tab\there\nnew line\x01\x1f\x7f", "中文 \u2028\u2029 😀", ""]
    convert = compile_row_converter(
        {"case_no": 0}, {}, len(cells), text_only=True, unit_aliases={}, category_aliases={}, channels={}
    )
    raw = convert(cells, 2)[0][-1]
    _, run = _connect(engine, tmp_path / "x.db")
    assert run(f"SELECT json_array({', '.join('?' for _ in cells)})", cells)[0][0] == raw
