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


def _platform_export_rows(rows: list[list]) -> list[list]:
    """What the platform's 导出 gives: a merged title, an 导出人/导出时间 line, a 序号 column before the case
    number, the data, a 合计 line with its count in the case-number column and a note below."""
    width = len(HEADERS) + 1
    lines = [["漳州市数字化城市管理案件明细表", *[""] * (width - 1)]]
    lines.append(["导出人：张三", "", "导出时间：2021-12-01 09:15:00", *[""] * (width - 3)])
    lines.append(["序号", *HEADERS])
    lines += [[str(i), *row] for i, row in enumerate(rows, start=1)]
    lines.append(["合计", f"{len(rows)}条", *[""] * (width - 2)])
    lines.append(["注：本表由系统自动生成，时间为北京时间。", *[""] * (width - 1)])
    return lines


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_platform_export_with_title_export_line_and_totals_imports_exactly_its_cases(db, tmp_path, fmt):
    import openpyxl

    lines = _platform_export_rows(sample_rows(3))
    if fmt == "xlsx":
        path = tmp_path / "案件明细.xlsx"
        wb = openpyxl.Workbook()
        for line in lines:
            wb.active.append(line)
        wb.active.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(lines[2]))
        wb.save(path)
    else:
        path = write_csv(tmp_path / "案件明细.csv", lines[3:], headers=lines[2])
        path.write_bytes("\r\n".join(",".join(line) for line in lines).encode("utf-8") + b"\r\n")
    report = import_file(db, path)
    assert not report.refused, report.message
    assert (report.header_row, report.rows_read, report.inserted, report.rejected) == (3, 3, 3, 0)
    assert report.skipped_rows == [(1, "标题行"), (2, "标题行"), (7, "合计行"), (8, "说明行")]
    assert [r[0] for r in db.execute("SELECT case_no FROM cases ORDER BY case_no")] == [
        "202111160744",
        "202111160745",
        "202111160746",
    ]
    assert stored(db, "202111160744") == EXPECTED
    assert db.execute("SELECT COUNT(*) FROM rejected_rows").fetchone()[0] == 0


def test_a_totals_line_that_carries_a_date_is_a_rejected_row_never_a_case(db, tmp_path):
    rows = sample_rows(2)
    total = ["合计 2 件", *[""] * (len(HEADERS) - 1)]
    total[9] = "2021-11-30 23:59:59"  # 上报时间: a totals line does not have one, so this row is looked at
    report = import_file(db, write_xlsx(tmp_path / "odd.xlsx", [*rows, total]))
    assert (report.inserted, report.rejected, report.skipped_rows) == (2, 1, [])
    got = db.execute("SELECT row_no, column_name, reason FROM rejected_rows").fetchall()
    assert got == [(4, "案件编号", "案件编号「合计 2 件」是条数或页数（合计行、页脚），不是案件编号")]


@pytest.mark.parametrize(
    ("case_no", "reason"),
    [
        ("40条", "案件编号「40条」是条数或页数（合计行、页脚），不是案件编号"),
        ("共 12 页", "案件编号「共 12 页」是条数或页数（合计行、页脚），不是案件编号"),
        ("张三", "案件编号「张三」不含数字，不是案件编号"),
        ("ABCDEF", "案件编号「ABCDEF」不含数字，不是案件编号"),
        ("A12", "案件编号「A12」不足 4 个字符，不是案件编号"),
        (40, "案件编号「40」不足 4 个字符，不是案件编号"),
    ],
    ids=["count", "pages", "word", "letters", "short", "short-number"],
)
def test_a_case_number_that_is_a_count_a_word_or_too_short_is_a_rejected_row(db, tmp_path, case_no, reason):
    rows = sample_rows(2)
    rows[1][0] = case_no
    rows[1][9] = "2021-11-16 07:00:00"
    report = import_file(db, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert (report.inserted, report.rejected) == (1, 1)
    assert db.execute("SELECT row_no, column_name, reason FROM rejected_rows").fetchall() == [(3, "案件编号", reason)]
