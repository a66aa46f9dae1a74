"""回退次数 is not 返工次数: a unit returning a dispatch and the centre sending back a failed disposal are
different facts, stored apart, never summed; stores imported when 回退次数 was read as 返工次数 are re-derived
from their raw rows by migration 4."""

import json
import sqlite3

from importers.pipeline import import_file
from models.browse import case_record
from models.drilldown import case_numbers
from models.periods import parse_month
from models.rule_files import load_rule_set
from models.scoring import score_document
from models.store import MIGRATIONS, migrate, open_db, split_sql
from tests.fixtures.import_builders import HEADERS, sample_rows, write_csv, write_xlsx

NOV = parse_month("2021-11")
REWORK = HEADERS.index("返工次数")


def _with_returned_columns(rows, returned, units):
    headers = [*HEADERS, "回退次数", "回退单位"]
    return headers, [[*row, n, unit] for row, n, unit in zip(rows, returned, units, strict=True)]


def test_returned_count_and_unit_are_stored_beside_rework_never_summed(db, tmp_path):
    db.execute("INSERT INTO unit_aliases(alias, unit) VALUES ('芗城城管局', '芗城区城市管理局')")
    rows = sample_rows(3)
    rows[0][REWORK] = "1"
    headers, rows = _with_returned_columns(rows, ["2", "", "1次"], ["芗城城管局", "", "市公安局"])
    report = import_file(db, write_xlsx(tmp_path / "nov.xlsx", rows, headers=headers))
    assert (report.inserted, report.rejected) == (3, 0)
    got = db.execute("SELECT rework_count, returned_count, returned_unit FROM cases ORDER BY case_no").fetchall()
    assert got == [(1, 2, "芗城区城市管理局"), (0, 0, None), (0, 1, "市公安局")]
    record = case_record(db, rows[0][0])
    assert (record["rework_count"], record["returned_count"], record["returned_unit"]) == (1, 2, "芗城区城市管理局")


def test_an_export_with_only_a_returned_column_has_no_rework(db, tmp_path):
    rows = [row[:REWORK] + ["3"] for row in sample_rows(2)]
    headers = [*HEADERS[:REWORK], "回退次数"]
    import_file(db, write_csv(tmp_path / "nov.csv", rows, headers=headers))
    assert db.execute("SELECT DISTINCT rework_count, returned_count FROM cases").fetchall() == [(0, 3)]


def test_a_rule_set_can_deduct_per_returned_case_and_list_them(db, tmp_path):
    headers, rows = _with_returned_columns(sample_rows(3), ["1", "0", "2"], ["", "", ""])
    import_file(db, write_xlsx(tmp_path / "nov.xlsx", rows, headers=headers))
    assert case_numbers(db, NOV, "returned") == [rows[0][0], rows[2][0]]
    text = load_rule_set("default").path.read_text(encoding="utf-8")
    text += (
        '\n[[rules]]\nid = "returned"\nname = "回退案件"\nkind = "per_case"\ncount = "returned"\nper_case = "0.50"\n'
    )
    path = tmp_path / "returned.toml"
    path.write_text(text.replace('name = "default"', 'name = "returned"'), encoding="utf-8")
    doc = score_document(db, NOV, load_rule_set(path))
    unit = next(u for u in doc["units"] if u["unit"] == "蓝田开发区管委会")
    line = next(line for line in unit["lines"] if line["rule"] == "回退案件")
    assert (line["points"], line["cases"]) == ("-1.00", [rows[0][0], rows[2][0]])
    assert unit["indicators"]["returned"] == 2 and unit["indicators"]["rework"] == 0


def _schema_3_store(path):
    """A store as schema 3 left it: 回退次数 was an alias of 返工次数."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    for script in MIGRATIONS[:3]:
        for statement in split_sql(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO header_fields VALUES ('rework_count', '返工次数', 0), ('case_no', '案件编号', 1)")
    conn.execute("INSERT INTO header_aliases VALUES ('rework_count', '返工次数', 0), ('rework_count', '回退次数', 1)")
    conn.execute("INSERT INTO unit_aliases VALUES ('芗城城管局', '芗城区城市管理局')")
    return conn


def _old_import(conn, import_id, headers, mapping, cases):
    conn.execute(
        "INSERT INTO imports(id, file_name, started_at, outcome, mapping, raw_headers)"
        " VALUES (?, ?, '2021-12-01', 'ok', ?, ?)",
        (import_id, f"{import_id}.xlsx", json.dumps(mapping, ensure_ascii=False), headers and json.dumps(headers)),
    )
    for row_no, (case_no, rework, raw) in enumerate(cases, start=2):
        conn.execute(
            "INSERT INTO cases(case_no, rework_count, raw, import_id, row_no) VALUES (?, ?, ?, ?, ?)",
            (case_no, rework, json.dumps(raw, ensure_ascii=False), import_id, row_no),
        )


def test_migration_4_re_derives_returned_and_rework_from_the_raw_rows(tmp_path):
    path = tmp_path / "old.db"
    conn = _schema_3_store(path)
    # 1: only 回退次数, read as 返工次数; 2: both columns (返工次数 won, 回退次数 unmapped) and 回退单位;
    # 3: a pre-schema-3 object raw row with 回退次数 read as 返工次数; 4: neither column
    _old_import(
        conn,
        1,
        ["案件编号", "回退次数"],
        {"case_no": "案件编号", "rework_count": "回退次数"},
        [("A0000001", 2, ["A0000001", "2"]), ("A0000002", 0, ["A0000002", ""])],
    )
    _old_import(
        conn,
        2,
        ["案件编号", "返工次数", "回退次数", "回退单位"],
        {"case_no": "案件编号", "rework_count": "返工次数"},
        [("B0000001", 1, ["B0000001", "1", "3次", "芗城城管局"]), ("B0000002", 0, ["B0000002", "0", "", "-"])],
    )
    _old_import(
        conn,
        3,
        None,
        {"case_no": "案件编号", "rework_count": "回退次数"},
        [("C0000001", 4, {"案件编号": "C0000001", "回退次数": "4"})],
    )
    _old_import(
        conn,
        4,
        ["案件编号", "返工次数"],
        {"case_no": "案件编号", "rework_count": "返工次数"},
        [("D0000001", 1, ["D0000001", "1"])],
    )
    conn.close()
    db = open_db(path)
    got = db.execute("SELECT case_no, rework_count, returned_count, returned_unit FROM cases ORDER BY 1").fetchall()
    assert got == [
        ("A0000001", 0, 2, None),
        ("A0000002", 0, 0, None),
        ("B0000001", 1, 3, "芗城区城市管理局"),
        ("B0000002", 0, 0, None),
        ("C0000001", 0, 4, None),
        ("D0000001", 1, 0, None),
    ]
    aliases = db.execute("SELECT field, alias FROM header_aliases WHERE alias LIKE '%回退%' ORDER BY 1, 2").fetchall()
    assert aliases == [("returned_count", "回退次数"), ("returned_unit", "回退单位"), ("returned_unit", "回退部门")]
    assert db.execute("SELECT label FROM header_fields WHERE field = 'returned_count'").fetchone() == ("回退次数",)
    plan = " ".join(
        r[3]
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM cases WHERE filed_at >= '2021-11' AND cancelled = 0"
            " AND returned_count > 0"
        )
    )
    assert "COVERING INDEX idx_cases_filed_stats" in plan
    migrate(db)  # a second open changes nothing
    assert db.execute("SELECT SUM(returned_count), SUM(rework_count) FROM cases").fetchone() == (9, 2)


def test_a_fresh_store_seeds_the_returned_fields_from_the_alias_file(db):
    rows = db.execute(
        "SELECT field, alias FROM header_aliases WHERE field IN ('returned_count', 'returned_unit', 'rework_count')"
        " ORDER BY 1, priority"
    ).fetchall()
    assert rows == [
        ("returned_count", "回退次数"),
        ("returned_count", "退回次数"),
        ("returned_unit", "回退单位"),
        ("returned_unit", "退回单位"),
        ("returned_unit", "回退部门"),
        ("rework_count", "返工次数"),
    ]
