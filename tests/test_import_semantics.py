"""Import semantics: one transaction per file, upsert with history, duplicates, cancel, kill."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import main
from importers import child_runner
from importers.pipeline import import_file, import_files, preview_file
from models.records import raw_row
from models.store import open_db
from tests.fixtures.import_builders import sample_rows, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


def count(db, table="cases"):
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_same_file_twice_writes_nothing_and_says_so(db, tmp_path):
    path = write_xlsx(tmp_path / "nov.xlsx", sample_rows(3))
    first = import_file(db, path)
    again = import_file(db, path)
    assert again.duplicate and not again.refused and again.import_id == first.import_id
    assert again.message.startswith(f"「nov.xlsx」与已导入的文件（导入记录 #{first.import_id}，")
    assert again.message.endswith("）内容完全相同，未写入任何数据。")
    assert (count(db, "imports"), count(db), count(db, "case_history")) == (1, 3, 0)


def test_same_rows_in_a_new_file_are_unchanged_and_not_rewritten(db, tmp_path):
    import_file(db, write_xlsx(tmp_path / "a.xlsx", sample_rows(3)))
    report = import_file(db, write_csv(tmp_path / "a.csv", sample_rows(3)))
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 3)
    assert db.execute("SELECT DISTINCT import_id FROM cases").fetchall() == [(1,)]
    assert count(db, "case_history") == 0


def test_changed_case_keeps_its_previous_version_in_history(db, tmp_path):
    import_file(db, write_xlsx(tmp_path / "early.xlsx", sample_rows(3)))
    rows = sample_rows(4)
    rows[1][15] = "[作废]"
    rows[1][8] = "市城市管理局"
    report = import_file(db, write_xlsx(tmp_path / "later.xlsx", rows))
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (4, 1, 1, 2)
    now = db.execute("SELECT unit, stage, cancelled, import_id, row_no FROM cases WHERE case_no='202111160745'")
    assert now.fetchone() == ("市城市管理局", "[作废]", 1, report.import_id, 3)
    case_no, by, old = db.execute("SELECT case_no, replaced_by_import, old FROM case_history").fetchone()
    old = json.loads(old)
    assert (case_no, by) == ("202111160745", report.import_id)
    assert (old["unit"], old["stage"], old["cancelled"], old["import_id"]) == ("蓝田开发区管委会", "结案", 0, 1)
    assert old["raw"]["处置部门"] == "蓝田开发区管委会"


def test_a_later_export_lacking_a_case_never_deletes_it(db, tmp_path):
    import_file(db, write_xlsx(tmp_path / "early.xlsx", sample_rows(4)))
    later = sample_rows(4)[2:]  # the platform's later export no longer lists the first two cases
    later[0][8] = "市城市管理局"
    report = import_file(db, write_csv(tmp_path / "later.csv", later))
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (2, 0, 1, 1)
    assert [r[0] for r in db.execute("SELECT case_no FROM cases ORDER BY case_no")] == [
        str(202111160744 + i) for i in range(4)
    ]
    assert db.execute("SELECT import_id FROM cases WHERE case_no = '202111160744'").fetchone() == (1,)
    old = json.loads(db.execute("SELECT old FROM case_history WHERE case_no = '202111160746'").fetchone()[0])
    assert (old["unit"], old["raw"]["处置部门"]) == ("蓝田开发区管委会", "蓝田开发区管委会")


def test_rows_merged_chunk_by_chunk_count_and_keep_history_like_one_merge(db, tmp_path, monkeypatch):
    # 9 rows: the child writes chunk files of 2, the parent merges each
    monkeypatch.setattr(child_runner, "MERGE_CHUNK", 2)
    import_file(db, write_xlsx(tmp_path / "early.xlsx", sample_rows(5)))
    rows = sample_rows(9)
    rows[3][8] = "市城市管理局"
    seen = []
    report = import_file(db, write_csv(tmp_path / "later.csv", rows), progress=lambda d, t, m: seen.append((d, t, m)))
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (9, 4, 1, 4)
    assert [d for d, _, m in seen if m.startswith("写入")] == [2, 4, 6, 8, 9, 9]
    assert count(db) == 9 and count(db, "case_history") == 1
    assert json.loads(db.execute("SELECT old FROM case_history").fetchone()[0])["raw"]["处置部门"] != "市城市管理局"
    assert raw_row(db, rows[3][0])["处置部门"] == "市城市管理局"


def test_an_object_raw_row_from_before_schema_3_equal_in_content_is_unchanged(db, tmp_path):
    import_file(db, write_xlsx(tmp_path / "a.xlsx", sample_rows(2)))
    keys = json.loads(db.execute("SELECT raw_headers FROM imports").fetchone()[0])
    for case_no, raw in db.execute("SELECT case_no, raw FROM cases").fetchall():
        legacy = json.dumps(dict(zip(keys, json.loads(raw), strict=True)), ensure_ascii=False)
        db.execute("UPDATE cases SET raw = ? WHERE case_no = ?", (legacy, case_no))
    report = import_file(db, write_csv(tmp_path / "a.csv", sample_rows(2)))
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 2)
    assert raw_row(db, str(sample_rows(2)[0][0]))["处置部门"] == sample_rows(2)[0][8]


def test_a_limit_computed_deadline_is_not_a_change(db, tmp_path):
    rows = sample_rows(2)
    for row in rows:
        row[12] = ""
    import_file(db, write_xlsx(tmp_path / "a.xlsx", rows))
    db.execute("UPDATE cases SET deadline_at='2021-11-19 17:30:00', deadline_source='limit'")
    report = import_file(db, write_csv(tmp_path / "a.csv", rows))
    assert (report.updated, report.unchanged) == (0, 2)
    assert db.execute("SELECT DISTINCT deadline_source FROM cases").fetchall() == [("limit",)]


def test_row_problems_are_rejected_rows_with_row_and_column(db, tmp_path):
    rows = sample_rows(5)
    rows[1][9] = "2021/13/45 07:00"
    rows[2][0] = ""
    rows[3][0] = rows[0][0]
    rows[4][3] = "投诉"
    report = import_file(db, write_xlsx(tmp_path / "mixed.xlsx", rows, title="标题"))
    assert not report.refused
    assert (report.rows_read, report.inserted, report.rejected) == (5, 1, 4)
    got = db.execute("SELECT import_id, row_no, column_name, reason FROM rejected_rows ORDER BY row_no").fetchall()
    assert got == [
        (report.import_id, 4, "上报时间", "无法识别的日期时间「2021/13/45 07:00」"),
        (report.import_id, 5, "案件编号", "案件编号为空"),
        (report.import_id, 6, "案件编号", "案件编号「202111160744」与第 3 行重复"),
        (report.import_id, 7, "问题类型", "问题类型「投诉」应为 部件 或 事件"),
    ]
    raw = json.loads(db.execute("SELECT raw FROM rejected_rows WHERE row_no=4").fetchone()[0])
    assert raw["上报时间"] == "2021/13/45 07:00"
    assert "被拒 4 行" in report.summary_text()


def test_strict_turns_a_rejected_row_into_a_refused_file(db, tmp_path):
    rows = sample_rows(3)
    rows[2][9] = "不详"
    report = import_file(db, write_xlsx(tmp_path / "strict.xlsx", rows), strict=True)
    assert report.refused
    assert (
        report.message
        == "拒收文件「strict.xlsx」：有 1 行被拒（--strict 模式），第 4 行「上报时间」列：无法识别的日期时间「不详」"
    )
    assert count(db) == 0 and count(db, "rejected_rows") == 0


def test_aliases_channels_and_original_text(db, tmp_path):
    db.execute("INSERT INTO unit_aliases(alias, unit) VALUES ('蓝田管委会', '蓝田开发区管委会')")
    rows = sample_rows(2)
    rows[0][8], rows[0][5], rows[0][1] = "蓝田管委会", "雨水篦子", ""
    rows[1][1], rows[1][2] = "12319城管服务热线", ""  # some exports give only the channel, in 问题来源
    import_file(db, write_xlsx(tmp_path / "alias.xlsx", rows))
    first = db.execute("SELECT unit, minor, source, channel, raw FROM cases WHERE case_no='202111160744'").fetchone()
    assert first[:4] == ("蓝田开发区管委会", "雨水箅子", "信息采集", "网格巡查采集")
    raw = raw_row(db, "202111160744")
    assert (raw["处置部门"], raw["小类"]) == ("蓝田管委会", "雨水篦子")
    second = db.execute("SELECT source, channel FROM cases WHERE case_no='202111160745'").fetchone()
    assert second == ("公众举报", "12319城管服务热线")


def test_user_mapping_is_used_and_remembered_for_the_header_signature(db, tmp_path):
    headers = ["编号", "发现时间", "负责单位", "阶段"]
    rows = [
        ["AJ0001", "2021-11-02 09:00:00", "市城市管理局", "结案"],
        ["AJ0002", "2021-11-03 09:00:00", "市公安局", "结案"],
    ]
    path = write_xlsx(tmp_path / "odd.xlsx", rows, headers=headers)
    refused = import_file(db, path)
    assert refused.refused
    assert (
        refused.message
        == "拒收文件「odd.xlsx」：找不到表头行（前 30 行中没有可识别的列名，如 案件编号、处置单位、上报时间）"
    )
    mapping = {"case_no": "编号", "reported_at": "发现时间", "unit": "负责单位", "stage": "阶段"}
    report = import_file(db, path, mapping=mapping)
    assert not report.refused and report.inserted == 2
    again = write_xlsx(
        tmp_path / "odd-december.xlsx", [["AJ0003", "2021-12-01 09:00:00", "市公安局", "处置中"]], headers=headers
    )
    assert import_file(db, again).inserted == 1
    assert preview_file(db, again).mapping == mapping


def test_cancel_during_merge_rolls_back(db, tmp_path, monkeypatch):
    monkeypatch.setattr(child_runner, "MERGE_CHUNK", 2)
    import_file(db, write_xlsx(tmp_path / "before.xlsx", sample_rows(2, start=202110010001)))
    before = db.execute("SELECT * FROM cases").fetchall(), count(db, "imports")
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3  # a few checks pass: the cancel lands after chunks were written

    report = import_file(db, write_xlsx(tmp_path / "big.xlsx", sample_rows(9)), cancel=cancel)
    assert report.cancelled and not report.refused
    assert report.message == "已取消导入「big.xlsx」，数据库未改变。"
    assert (db.execute("SELECT * FROM cases").fetchall(), count(db, "imports") - 1) == before
    # the abandoned attempt is in the history (已取消), with nothing written under it
    last = db.execute("SELECT id, file_name, outcome, message, inserted FROM imports ORDER BY id DESC").fetchone()
    assert last == (report.import_id, "big.xlsx", "cancelled", report.message, 0)
    assert db.execute("SELECT COUNT(*) FROM cases WHERE import_id = ?", (report.import_id,)).fetchone()[0] == 0


def test_cancel_while_the_child_reads_kills_it(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CHENGGUAN_IMPORT_CHILD_FAULT", "hang")
    report = import_file(db, write_xlsx(tmp_path / "slow.xlsx", sample_rows(2)), cancel=lambda: True)
    assert report.cancelled and count(db) == 0
    assert db.execute("SELECT file_name, outcome FROM imports").fetchall() == [("slow.xlsx", "cancelled")]


def test_import_files_reports_each_file_and_progress(db, tmp_path):
    seen = []
    paths = [write_xlsx(tmp_path / "a.xlsx", sample_rows(2)), tmp_path / "missing.xlsx"]
    reports = import_files(db, paths, progress=lambda done, total, msg: seen.append((done, total, msg)))
    assert [r.refused for r in reports] == [False, True]
    assert (2, 2, "写入「a.xlsx」") in seen


def test_import_files_takes_corrected_mappings_and_numbers_each_files_progress(db, tmp_path):
    """What the GUI's import page runs: a queue of files, one with its 案件编号 column mapped by the user."""
    from tests.fixtures.import_builders import HEADERS

    renamed = ["编号", *HEADERS[1:]]  # 编号 is no known alias of 案件编号
    first = write_csv(tmp_path / "a.csv", sample_rows(2), headers=renamed)
    second = write_csv(tmp_path / "b.csv", sample_rows(1, start=202111170001))
    seen = []
    reports = import_files(
        db,
        [first, second],
        progress=lambda done, total, msg: seen.append(msg),
        mappings={first: {"case_no": "编号"}},
        numbered_progress=True,
    )
    assert [(r.file_name, r.refused, r.inserted) for r in reports] == [("a.csv", False, 2), ("b.csv", False, 1)]
    assert "[1/2] a.csv 写入「a.csv」" in seen and "[2/2] b.csv 写入「b.csv」" in seen
    assert preview_file(db, first).mapping["case_no"] == "编号"  # the correction is remembered


def test_kill_9_midway_leaves_the_store_as_before(tmp_path):
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    import_file(db, write_xlsx(tmp_path / "before.xlsx", sample_rows(3, start=202110010001)))
    before = db.execute("SELECT * FROM cases ORDER BY case_no").fetchall(), count(db, "imports")
    db.conn.close()
    export = write_csv(tmp_path / "big.csv", sample_rows(200))
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from importers import child_runner, pipeline
        from models.store import open_db
        child_runner.MERGE_CHUNK = 20
        def progress(done, total, message):
            if message.startswith("写入") and done >= 60:
                print("MERGING", flush=True)
                time.sleep(60)
        pipeline.import_file(open_db(Path({str(db_path)!r})), Path({str(export)!r}), progress=progress)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "MERGING"  # 60 of 200 rows written inside the transaction
    finally:
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        proc.wait()
    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (db.execute("SELECT * FROM cases ORDER BY case_no").fetchall(), count(db, "imports")) == before
    db.conn.close()


def test_cli_import_prints_a_summary_per_file_and_exits_2_on_a_refusal(tmp_path, capsys):
    db_path = tmp_path / "cli.db"
    good = write_xlsx(tmp_path / "good.xlsx", sample_rows(2))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    assert main.main(["--db", str(db_path), "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "已导入「good.xlsx」：读取 2 行，新增 2，更新 0，未变 0，被拒 0 行。" in out
    assert main.main(["--db", str(db_path), "import", str(good)]) == 0  # a duplicate is not an error
    assert "内容完全相同，未写入任何数据。" in capsys.readouterr().out
    assert main.main(["--db", str(db_path), "import", str(good), str(bad)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("「good.xlsx」与已导入的文件")
    assert lines[1] == "拒收文件「bad.xlsx」：文件为空（0 字节）"


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 2)])
def test_cli_strict_flag(tmp_path, capsys, strict, code):
    rows = sample_rows(2)
    rows[1][10] = "坏日期"
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    argv = ["--db", str(tmp_path / "s.db"), "import", str(path)] + (["--strict"] if strict else [])
    assert main.main(argv) == code
    out = capsys.readouterr().out
    if strict:
        assert out.strip() == (
            "拒收文件「s.xlsx」：有 1 行被拒（--strict 模式），第 3 行「立案时间」列：无法识别的日期时间「坏日期」"
        )
    else:
        assert "读取 2 行，新增 1，更新 0，未变 0，被拒 1 行" in out


def test_preview_refuses_a_hostile_file_like_import(db, tmp_path):
    from models.errors import ImportRefused

    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ImportRefused) as err:
        preview_file(db, path)
    assert str(err.value) == "拒收文件「empty.xlsx」：文件为空（0 字节）"


def test_a_cancel_in_the_first_file_rolls_it_back_and_skips_the_rest(db, tmp_path):
    paths = [write_xlsx(tmp_path / f"{n}.xlsx", sample_rows(1, start=202111010000 + n)) for n in range(3)]
    done = []

    def cancel():
        return len(done) >= 1

    def progress(count, total, message):
        if message.startswith("写入") and count == total:
            done.append(message)

    reports = import_files(db, paths, progress=progress, cancel=cancel)
    assert [(r.file_name, r.cancelled) for r in reports] == [("0.xlsx", True)]
    assert count(db) == 0
    assert db.execute("SELECT file_name, outcome FROM imports").fetchall() == [("0.xlsx", "cancelled")]


# ---------------------------------------------------------------- CSV: a late refusal, a cancel, --strict


def test_csv_unclosed_quote_after_written_batches_leaves_the_store_as_before(db, tmp_path, monkeypatch):
    # small chunks: rows are converted and written before the quote breaks
    monkeypatch.setattr(child_runner, "MERGE_CHUNK", 2)
    import_file(db, write_xlsx(tmp_path / "before.xlsx", sample_rows(2, start=202110010001)))
    before = db.execute("SELECT * FROM cases ORDER BY case_no").fetchall()
    path = write_csv(tmp_path / "quote.csv", sample_rows(40))  # past the 30 rows the header search reads
    path.write_bytes(path.read_bytes() + '202111160999,"信息采集,网格巡查采集\r\n'.encode())
    report = import_file(db, path)
    assert (
        report.refused
        and report.message == "拒收文件「quote.csv」：CSV 第 42 行起引号未闭合（文件在引号内结束），请检查导出文件"
    )
    assert db.execute("SELECT * FROM cases ORDER BY case_no").fetchall() == before
    assert db.execute("SELECT outcome FROM imports ORDER BY id").fetchall() == [("ok",), ("refused",)]
    assert (count(db, "rejected_rows"), count(db, "case_history")) == (0, 0)
    assert db.execute("SELECT name FROM sqlite_temp_master").fetchall() == []


def test_csv_cancel_between_batches_and_strict_refusal_write_nothing(db, tmp_path, monkeypatch):
    monkeypatch.setattr(child_runner, "MERGE_CHUNK", 2)
    import_file(db, write_xlsx(tmp_path / "before.xlsx", sample_rows(2)))  # the CSV's first batch updates these
    before = db.execute("SELECT * FROM cases ORDER BY case_no").fetchall(), count(db, "imports")
    rows = sample_rows(9)
    rows[0][8] = "市城市管理局"
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    report = import_file(db, write_csv(tmp_path / "big.csv", rows), cancel=cancel)
    assert report.cancelled and report.message == "已取消导入「big.csv」，数据库未改变。"
    assert (db.execute("SELECT * FROM cases ORDER BY case_no").fetchall(), count(db, "imports") - 1) == before
    assert count(db, "case_history") == 0
    rows[5][10] = "坏日期"
    report = import_file(db, write_csv(tmp_path / "strict.csv", rows), strict=True)
    assert report.message == (
        "拒收文件「strict.csv」：有 1 行被拒（--strict 模式），第 7 行「立案时间」列：无法识别的日期时间「坏日期」"
    )
    assert db.execute("SELECT * FROM cases ORDER BY case_no").fetchall() == before[0]
    assert (count(db, "rejected_rows"), count(db, "case_history")) == (0, 0)


def test_cases_without_an_export_deadline_get_one_from_the_time_limits(db, tmp_path, monkeypatch):
    monkeypatch.setattr(child_runner, "MERGE_CHUNK", 2)  # the cases to fill come from every chunk
    rows = sample_rows(5)
    for row in rows[:4]:
        row[12] = ""
    rows[3][15] = "[作废]"
    import_file(db, write_csv(tmp_path / "nov.csv", rows))
    got = db.execute("SELECT deadline_source, COUNT(*) FROM cases GROUP BY 1 ORDER BY 1").fetchall()
    assert got == [(None, 1), ("export", 1), ("limit", 3)]
