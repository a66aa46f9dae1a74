"""`lw import`: the 两违 export through the shared importer (domain.md §8; cli.md refused file vs rejected row)."""

import json

from importers.lw_import import LwStream
from importers.pipeline import import_file, import_files, preview_file
from models.lw_store import case_record, load_requests, lw_evaluation
from models.periods import parse_month
from models.reference import HeaderAlias, list_header_aliases, save_header_aliases
from tests.fixtures.import_builders import write_csv, write_xlsx

HEADERS = [
    "案件编号", "所属县区", "乡（镇、街、场）", "责任部门", "违建类型", "线索来源", "接收时间", "核查员",
    "核查完成时间", "派发时间", "处置员", "处置完成时间", "结案申请时间", "督查员", "审核结案时间", "当前环节",
    "申请延期天数", "延期审批层级", "延期审批结果",
]  # fmt: skip


def lw_row(case_no="LW001", *, received="2021-12-01 09:00", verified="2021-12-03 10:00",
           dispatched="2021-12-03 11:00", disposed="", applied="", closed="", days="", level="", result="",
           town="东铺头街道", county="芗城区"):  # fmt: skip
    return [case_no, county, town, "城管局", "临时搭盖", "群众举报", received, "林志强", verified, dispatched,
            "陈建华", disposed, applied, "黄丽萍", closed, "处置", days, level, result]  # fmt: skip


def export(tmp_path, rows, name="lw.xlsx", **kwargs):
    return write_xlsx(tmp_path / name, rows, headers=HEADERS, **kwargs)


def lw_import(db, path, **kwargs):
    return import_file(db, path, stream=LwStream(), **kwargs)


def count(db, table):
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def rejected(db, import_id):
    return db.execute(
        "SELECT row_no, column_name, reason FROM rejected_rows WHERE import_id = ? ORDER BY row_no", (import_id,)
    ).fetchall()


def test_a_case_repeats_once_per_extension_and_its_title_and_totals_rows_are_skipped(db, tmp_path):
    rows = [
        lw_row("LW001", days="20", level="县级", result="同意"),
        lw_row("LW001", days="15", level="县两违治理办", result="同意"),
        lw_row("LW002", town="九湖", county="高新区"),
    ]
    report = lw_import(db, export(tmp_path, rows, title="两违智能监管平台案件明细", total=True))
    assert not report.refused, report.message
    assert (report.rows_read, report.inserted, report.updated, report.rejected) == (3, 2, 0, 0)
    assert report.skipped_rows == [(1, "标题行"), (6, "合计行")]
    assert report.message == (
        "已导入两违案件台账「lw.xlsx」：读取 3 行，新增 2，更新 0，未变 0，被拒 0 行（案件 2 件；"
        "延期申请 2 条：新增 2，更新 0，未变 0）；跳过 标题行 1 行（第 1 行），合计行 1 行（第 6 行）。"
    )
    assert db.execute("SELECT stream, outcome, header_row FROM imports").fetchall() == [("lw", "ok", 2)]
    requests = load_requests(db)
    assert [(r.case_no, r.position, r.days, r.level, r.result) for r in requests] == [
        ("LW001", 1, 20, "县级", "同意"),
        ("LW001", 2, 15, "县级", "同意"),
    ]
    stored = db.execute("SELECT case_no, county, town, received_at, raw, row_no FROM lw_cases ORDER BY case_no")
    first, second = stored.fetchall()
    assert first[:4] == ("LW001", "芗城区", "东铺头街道", "2021-12-01 09:00:00")
    assert json.loads(first[4])["申请延期天数"] == "15" and first[5] == 4  # the case's last row
    assert second[1:3] == ("高新区", "九湖")  # kept as exported; figures read it as 漳州高新区 / 九湖镇
    doc_towns = [(e.county, e.town) for e in lw_evaluation(db, parse_month("2021-12")).cases]
    assert doc_towns == [("芗城区", "东铺头街道"), ("漳州高新区", "九湖镇")]
    record = case_record(db, "LW001", "2021-12-31 23:59:59")
    assert [e["outcome_label"] for e in record["extensions"]] == ["已延期", "审批层级不符"]
    assert record["steps"][1]["extension_days"] == 20
    assert [s["started"] for s in record["steps"]] == [True, True, False]
    from models.lw_stats import open_steps

    listed = [r.to_json() for r in open_steps(lw_evaluation(db, None, "2021-12-31 23:59:59"))]
    assert record["steps"][1]["used"] == next(r["used"] for r in listed if r["case_no"] == "LW001")  # as listed


def test_bad_rows_are_rejected_with_row_column_and_reason_and_the_rest_imports(db, tmp_path):
    rows = [
        lw_row("LW001"),
        lw_row("LW002", received="2021-12-04 09:00", verified="2021-12-03 10:00"),
        lw_row("LW003", days="", level="县级", result="同意"),
        lw_row("LW004", days="10", level="省级", result="同意"),
        lw_row("LW005", dispatched="2021-12-40 08:00"),
        lw_row("", received="2021-12-01 09:00"),
        lw_row("LW007", received=""),
        lw_row("LW008", disposed="2021-12-02 10:00"),
    ]
    report = lw_import(db, export(tmp_path, rows))
    assert (report.inserted, report.rejected) == (1, 7)
    reasons = rejected(db, report.import_id)
    assert reasons[0] == (3, "核查完成时间", "核查完成时间 2021-12-03 10:00 早于接收时间 2021-12-04 09:00")
    assert reasons[1] == (4, "申请延期天数", "有延期信息（县级、同意）但申请延期天数为空")
    assert reasons[2][:2] == (5, "延期审批层级") and "延期审批层级「省级」无法识别" in reasons[2][2]
    assert reasons[3] == (6, "派发时间", "无法识别的日期时间「2021-12-40 08:00」")
    assert reasons[4] == (7, "案件编号", "案件编号为空")
    assert reasons[5][:2] == (8, "接收时间") and reasons[5][2].startswith("接收时间为空")
    assert reasons[6] == (9, "处置完成时间", "处置完成时间 2021-12-02 10:00 早于派发时间 2021-12-03 11:00")
    raw = json.loads(db.execute("SELECT raw FROM rejected_rows WHERE row_no = 3").fetchone()[0])
    assert raw["案件编号"] == "LW002" and raw["接收时间"] == "2021-12-04 09:00"
    assert count(db, "lw_cases") == 1


def test_strict_turns_a_rejected_row_into_a_refused_file_that_writes_nothing(db, tmp_path):
    rows = [lw_row("LW001"), lw_row("LW002", days="", level="县级", result="同意")]
    report = lw_import(db, export(tmp_path, rows), strict=True)
    assert report.refused
    assert report.message == (
        "拒收文件「lw.xlsx」：有 1 行被拒（--strict 模式），"
        "第 3 行「申请延期天数」列：有延期信息（县级、同意）但申请延期天数为空"
    )
    assert (count(db, "lw_cases"), count(db, "lw_extensions"), count(db, "rejected_rows")) == (0, 0, 0)
    assert db.execute("SELECT stream, outcome FROM imports").fetchall() == [("lw", "refused")]


def test_a_missing_required_column_is_named_with_the_headers_tried(db, tmp_path):
    headers = [h for h in HEADERS if h != "接收时间"]
    rows = [[c for h, c in zip(HEADERS, lw_row(), strict=True) if h != "接收时间"]]
    report = lw_import(db, write_xlsx(tmp_path / "lw.xlsx", rows, headers=headers))
    assert report.refused
    assert report.message == "拒收文件「lw.xlsx」：找不到列「接收时间」（已尝试：接收时间、举报时间）"


def test_a_file_without_a_known_header_names_the_streams_columns(db, tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", [["1", "2"]], headers=["甲", "乙"])
    report = lw_import(db, path)
    assert (
        report.message
        == "拒收文件「odd.xlsx」：找不到表头行（前 30 行中没有可识别的列名，如 案件编号、接收时间、县区）"
    )


def test_a_case_export_given_to_lw_import_is_refused_not_mixed_in(db, tmp_path):
    from tests.fixtures.import_builders import sample_rows

    report = lw_import(db, write_xlsx(tmp_path / "cases.xlsx", sample_rows(2)))
    assert report.refused and "找不到" in report.message
    assert count(db, "lw_cases") == 0 and count(db, "cases") == 0


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = export(tmp_path, [lw_row("LW001", days="20", level="县级", result="同意"), lw_row("LW002")])
    first = lw_import(db, path)
    again = lw_import(db, path)
    assert again.duplicate and again.import_id == first.import_id
    assert again.message.endswith("内容完全相同，未写入任何数据。")
    assert (count(db, "imports"), count(db, "lw_cases"), count(db, "lw_extensions")) == (1, 2, 1)
    assert (count(db, "lw_case_history"), count(db, "lw_extension_history")) == (0, 0)


def test_the_same_rows_in_another_file_are_unchanged_and_keep_their_first_import(db, tmp_path):
    rows = [lw_row("LW001", days="20", level="县级", result="同意"), lw_row("LW002")]
    lw_import(db, export(tmp_path, rows))
    report = lw_import(db, write_csv(tmp_path / "lw.csv", rows, headers=HEADERS))
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 2)
    assert "延期申请 1 条：新增 0，更新 0，未变 1" in report.message
    assert db.execute("SELECT DISTINCT import_id FROM lw_cases").fetchall() == [(1,)]


def test_a_later_export_that_changes_a_case_keeps_its_previous_version_and_deletes_nothing(db, tmp_path):
    lw_import(db, export(tmp_path, [lw_row("LW001", days="20", level="县级"), lw_row("LW002")], "early.xlsx"))
    later = [lw_row("LW001", days="20", level="县级", result="同意", disposed="2021-12-28 10:00")]
    report = lw_import(db, export(tmp_path, later, "late.xlsx"))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 0)
    assert "延期申请 1 条：新增 0，更新 1，未变 0" in report.message
    assert count(db, "lw_cases") == 2  # LW002 is not in the later export: kept
    record = case_record(db, "LW001", "2021-12-31 23:59:59")
    assert record["case"]["disposed_at"] == "2021-12-28 10:00:00"
    (old,) = record["history"]
    assert old["replaced_by_import"] == report.import_id
    assert old["old"]["disposed_at"] is None and old["old"]["raw"]["处置完成时间"] == ""
    (old_extension,) = record["extension_history"]
    assert old_extension["old"]["result"] is None and old_extension["old"]["position"] == 1
    assert record["extensions"][0]["outcome_label"] == "已延期"


def test_dates_as_excel_cells_text_and_date_only_ends(db, tmp_path):
    import datetime as dt

    row = lw_row("LW001", received=dt.datetime(2021, 12, 4, 10, 20), verified="2021年12月10日", dispatched="")
    report = lw_import(db, export(tmp_path, [row]))
    assert report.rejected == 0, rejected(db, report.import_id)
    fields = case_record(db, "LW001", "2021-12-31 23:59:59")
    assert (fields["case"]["received_at"], fields["case"]["verified_at"]) == (
        "2021-12-04 10:20:00",
        "2021-12-10 00:00:00",
    )
    verify, dispose, _review = fields["steps"]
    assert verify["clock_start"] == "2021-12-06 08:00:00"  # a Saturday receipt waits for Monday
    assert verify["ended_at"] == "2021-12-10 17:30:00" and verify["on_time"]  # date-only end: 17:30
    assert dispose["started_at"] == "2021-12-10 17:30:00"  # no 派发时间: 处置 starts at 核查完成时间


def test_the_streams_header_aliases_are_edited_like_the_case_aliases(db, tmp_path):
    headers = ["案号" if h == "案件编号" else h for h in HEADERS]
    path = write_xlsx(tmp_path / "lw.xlsx", [lw_row("LW001")], headers=headers)
    assert lw_import(db, path).refused
    aliases = list_header_aliases(db, "lw")
    save_header_aliases(db, [*aliases, HeaderAlias("case_no", "案号", 9)], "lw")
    assert lw_import(db, path).inserted == 1
    assert not any(a.alias == "案号" for a in list_header_aliases(db))  # the case stream's table is untouched
    preview = preview_file(db, path, stream=LwStream())
    assert preview.mapping["case_no"] == "案号" and preview.labels["received_at"] == "接收时间"


def test_several_files_each_in_its_own_transaction(db, tmp_path):
    good = export(tmp_path, [lw_row("LW001")], "a.xlsx")
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(b"not a workbook")
    reports = import_files(db, [good, bad], stream=LwStream())
    assert [r.refused for r in reports] == [False, True]
    assert count(db, "lw_cases") == 1


def test_formula_like_text_is_stored_as_text(db, tmp_path):
    row = lw_row("LW001")
    row[4] = "=1+1"
    report = lw_import(db, write_csv(tmp_path / "lw.csv", [row], headers=HEADERS))
    assert report.inserted == 1
    assert db.execute("SELECT violation_type FROM lw_cases").fetchone()[0] == "=1+1"
