"""Every readable format, detected from the bytes, lands the same canonical rows."""

import datetime as dt

import pytest

from importers.pipeline import import_file, preview_file
from importers.sniff import sniff
from models.records import raw_row
from tests.fixtures.import_builders import (
    HEADERS,
    retype_workbook,
    sample_rows,
    write_csv,
    write_html,
    write_ods,
    write_xls,
    write_xlsx,
)


def stored(db, case_no):
    row = db.execute(
        "SELECT case_no, source, channel, kind, minor, unit, reported_at, deadline_at, deadline_source, stage,"
        " cancelled, rework_count FROM cases WHERE case_no = ?",
        (case_no,),
    ).fetchone()
    return row


EXPECTED = (
    "202111160744",
    "信息采集",
    "网格巡查采集",
    "事件",
    "机动车乱停放",
    "蓝田开发区管委会",
    "2021-11-16 07:00:00",
    "2021-11-18 17:30:00",
    "export",
    "结案",
    0,
    0,
)


def assert_imported(db, report, fmt, encoding=None, rows=3):
    assert not report.refused, report.message
    assert (report.format, report.encoding) == (fmt, encoding)
    counts = (report.rows_read, report.inserted, report.updated, report.unchanged, report.rejected)
    assert counts == (rows, rows, 0, 0, 0)
    assert stored(db, "202111160744") == EXPECTED
    assert db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == rows


def test_xlsx_with_merged_title_row_and_totals_row(db, tmp_path):
    path = write_xlsx(tmp_path / "导出.xlsx", sample_rows(), title="漳州市数字城管案件明细", total=True)
    report = import_file(db, path)
    assert_imported(db, report, "xlsx")
    assert report.header_row == 2 and report.sheet == "Sheet"
    assert report.skipped_rows == [(1, "标题行"), (6, "合计行")]
    assert report.summary_text() == (
        "已导入「导出.xlsx」：读取 3 行，新增 3，更新 0，未变 0，被拒 0 行；"
        "跳过 标题行 1 行（第 1 行），合计行 1 行（第 6 行）。"
    )
    audit = db.execute("SELECT format, sheet, header_row, outcome, skipped_rows, rows_read FROM imports").fetchone()
    assert audit == ("xlsx", "Sheet", 2, "ok", '[[1, "标题行"], [6, "合计行"]]', 3)


def test_xlsx_numeric_case_numbers_and_serial_datetimes(db, tmp_path):
    rows = sample_rows()
    rows[0][0] = 202111160744  # a numeric cell
    rows[1][0] = 202111160745.0
    rows[0][9] = dt.datetime(2021, 11, 16, 7, 0)
    rows[0][12] = dt.datetime(2021, 11, 18, 17, 30)
    rows[1][9] = dt.datetime(2021, 11, 16, 0, 0)  # calamine returns a date for midnight
    report = import_file(db, write_xlsx(tmp_path / "n.xlsx", rows))
    assert_imported(db, report, "xlsx")
    assert stored(db, "202111160745")[6] == "2021-11-16 00:00:00"
    assert raw_row(db, "202111160744")["案件编号"] == "202111160744"
    assert db.execute("SELECT raw FROM cases WHERE case_no='202111160744'").fetchone()[0].startswith('["202111160744"')


def test_xlsm_is_detected_from_content_types(db, tmp_path):
    plain = write_xlsx(tmp_path / "plain.xlsx", sample_rows())
    macro = retype_workbook(
        plain, tmp_path / "book.xlsm", b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    assert_imported(db, import_file(db, macro), "xlsm")


def test_real_biff_xls(db, tmp_path):
    rows = sample_rows()
    rows[0][0] = 202111160744.0  # xlwt stores numbers as doubles
    rows[0][9] = dt.datetime(2021, 11, 16, 7, 0)
    assert_imported(db, import_file(db, write_xls(tmp_path / "old.xls", rows)), "xls")


def test_ods(db, tmp_path):
    rows = sample_rows()
    rows[0][0] = 202111160744
    assert_imported(db, import_file(db, write_ods(tmp_path / "calc.ods", rows)), "ods")


@pytest.mark.parametrize(
    "encoding, detected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_in_every_encoding_seen(db, tmp_path, encoding, detected):
    path = write_csv(tmp_path / "export.csv", sample_rows(), encoding=encoding, title="案件导出")
    report = import_file(db, path)
    assert_imported(db, report, "csv", detected)
    assert report.header_row == 2


def test_tab_separated_text_saved_as_xls(db, tmp_path):
    path = write_csv(tmp_path / "export.xls", sample_rows(), delimiter="\t", encoding="gbk")
    assert_imported(db, import_file(db, path), "csv", "gb18030")


def test_html_table_saved_as_xls(db, tmp_path):
    path = write_html(tmp_path / "网页导出.xls", sample_rows(), title="案件明细表")
    report = import_file(db, path)
    assert_imported(db, report, "html", "gb18030")
    assert report.sheet == "表格1" and report.skipped_rows == [(1, "标题行")]


def test_format_comes_from_bytes_not_extension(db, tmp_path):
    path = write_xlsx(tmp_path / "really-xlsx.csv", sample_rows())
    assert sniff(path).format == "xlsx"
    assert_imported(db, import_file(db, path), "xlsx")


def test_a_sheet_without_header_is_passed_over_for_the_next_one(db, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由平台自动导出"])
    ws = wb.create_sheet("案件")
    ws.append(HEADERS)
    for row in sample_rows():
        ws.append(row)
    wb.save(tmp_path / "two.xlsx")
    report = import_file(db, tmp_path / "two.xlsx")
    assert_imported(db, report, "xlsx")
    assert report.sheet == "案件"


def test_preview_gives_mapping_and_first_rows(db, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", sample_rows(25), title="标题")
    preview = preview_file(db, path, rows=5)
    assert (preview.format, preview.sheet, preview.header_row) == ("xlsx", "Sheet", 2)
    assert preview.headers == HEADERS
    assert preview.mapping["unit"] == "处置部门" and preview.mapping["reported_at"] == "上报时间"
    assert preview.missing_required == [] and preview.missing_message is None
    assert len(preview.rows) == 5 and preview.rows[0][0] == "202111160744"
    assert preview.labels["unit"] == "处置单位"
    assert db.execute("SELECT COUNT(*) FROM imports").fetchone()[0] == 0


def test_row_numbers_are_the_sheet_rows_when_the_table_starts_lower(db, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = sample_rows(2)
    rows[1][9] = "不是日期"
    for r, values in enumerate([HEADERS, *rows], start=3):  # rows 1-2 blank, table from B3
        for c, value in enumerate(values, start=2):
            ws.cell(row=r, column=c, value=value)
    wb.save(tmp_path / "low.xlsx")
    report = import_file(db, tmp_path / "low.xlsx")
    assert report.header_row == 3 and report.skipped_rows == [(1, "空行"), (2, "空行")]
    assert db.execute("SELECT row_no FROM cases").fetchall() == [(4,)]
    assert db.execute("SELECT row_no, column_name FROM rejected_rows").fetchall() == [(5, "上报时间")]
