"""The Excel score sheet: the seed's layout, detail sheets, print setup; reopened with openpyxl."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

import main
from exporters.score_sheet import CASE_LINES_PER_ROW, CASE_SIZE, write_score_sheet
from exporters.xlsx_common import (
    FONT_NAME,
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    PAGE_UNITS,
    display_width,
    line_height,
    wrapped_lines,
)
from models import registry
from models.periods import parse_month
from tests.conftest import insert_cases
from tests.test_scoring import case, late, on_time

NOV = parse_month("2021-11")


@pytest.fixture
def sheet_db(db):
    from tests.conftest import add_seed_adjustment, insert_cases

    insert_cases(
        db,
        [
            on_time("202111050001", "芗城区城市管理局"),
            late("202111050002", "芗城区城市管理局", rework=1),
            case("202111050003", "芗城区城市管理局"),
            late("202111050004", "漳州移动公司"),
            on_time("202111050005", "市公安局"),
        ],
    )
    add_seed_adjustment(db)
    return db


@pytest.fixture
def workbook(sheet_db, tmp_path):
    path = tmp_path / "scores.xlsx"
    doc = write_score_sheet(sheet_db, NOV, path)
    return openpyxl.load_workbook(path), doc


def test_results_sheet_has_the_seed_layout(workbook):
    wb, doc = workbook
    assert wb.sheetnames == ["评价结果", "指标明细", "扣分明细", "说明"]
    ws = wb["评价结果"]
    assert ws["A1"].value == "2021年11月处置单位绩效评价结果"
    assert [c.value for c in ws[2]] == ["单位类别", "处置单位", "评价得分", "名次", "备注"]
    merges = {str(r) for r in ws.merged_cells.ranges}
    # A: rows 3–13 (11 units), B: 14–44 (31), C: 45–58 (14)
    assert {"A1:E1", "A3:A13", "A14:A44", "A45:A58"} <= merges
    assert (ws["A3"].value, ws["A14"].value, ws["A45"].value) == ("A类单位", "B类单位", "C类单位")
    names = [ws.cell(r, 2).value for r in range(3, 59)]
    assert len(names) == 56 and "市城市管理局[含下属单位的绩效评价]" in names
    for first, last in ((3, 13), (14, 44), (45, 58)):  # ranked units by score, then the unranked ("—")
        ranks = [ws.cell(r, 4).value for r in range(first, last + 1)]
        ranked = [ws.cell(r, 3).value for r, rank in zip(range(first, last + 1), ranks, strict=True) if rank != "—"]
        assert ranked == sorted(ranked, reverse=True) and ranks == [r for r in ranks if r != "—"] + ["—"] * (
            ranks.count("—")
        )
    row = names.index("蓝田开发区管委会") + 3  # no case, the seed's -2: unranked, 无案件
    assert ws.cell(row, 3).value == 98 and ws.cell(row, 3).number_format == "0.00"
    assert (ws.cell(row, 4).value, ws.cell(row, 5).value) == ("—", "无案件")
    assert ws.cell(row, 3).data_type == "n" and ws.cell(row, 2).data_type == "s"
    xc = names.index("芗城区城市管理局") + 3
    assert (ws.cell(xc, 3).value, ws.cell(xc, 4).value, ws.cell(xc, 5).value) == (pytest.approx(73.13), 1, None)
    assert ws.cell(60, 1).value == "评价规则：内置示例规则（扣分制）（版本 1）。按内置示例规则计算，非本市考核细则。"
    assert "本期无立案案件（无案件），按规则不参加排名" in ws.cell(61, 1).value


def test_print_setup_fonts_and_widths(workbook):
    wb, _ = workbook
    for ws in wb:
        assert ws.page_setup.paperSize == 9 and ws.freeze_panes is not None
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页" and "2021年11月" in ws.oddFooter.left.text
        if ws.title != "指标明细":  # printed in column groups at 100 % instead
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        widths = sum(ws.column_dimensions[c].width for c in "ABCDEFGH" if c in ws.column_dimensions)
        page = PAGE_UNITS[ws.page_setup.orientation]
        assert ws.title == "指标明细" or widths <= page, ws.title  # fits the page unshrunk
    ws = wb["评价结果"]
    assert ws.print_title_rows == "$1:$2" and ws.freeze_panes == "A3"
    assert ws["A1"].font.name == FONT_NAME and ws["B3"].font.name == FONT_NAME and ws["A2"].font.b
    longest = max(display_width(ws.cell(r, 2).value) for r in range(3, 59))
    assert ws.column_dimensions["B"].width >= min(longest, 42)  # CJK characters count double; longer ones wrap
    indicators = wb["指标明细"]
    assert indicators.print_title_rows == "$1:$1" and indicators.print_title_cols == "$A:$B"
    assert indicators.page_setup.orientation == "landscape"
    assert [b.id for b in indicators.col_breaks.brk] == [13]  # the counts, 回退数 last, then the rates


def test_indicator_sheet_has_rates_as_percent_numbers(workbook):
    wb, _ = workbook
    ws = wb["指标明细"]
    headers = [c.value for c in ws[1]]
    assert ws.auto_filter.ref == f"A1:V{ws.max_row}" and ws.max_row == 57
    row = next(r for r in range(2, 58) if ws.cell(r, 2).value == "芗城区城市管理局")
    values = dict(zip(headers, (c for c in ws[row]), strict=True))
    assert values["立案数"].value == 3 and values["按期结案数"].value == 1
    assert (values["返工数"].value, values["回退数"].value) == (1, 0)
    assert values["按期结案率"].value == pytest.approx(0.3333) and values["按期结案率"].number_format == "0.00%"
    assert values["评价得分"].value == pytest.approx(73.13) and values["评价得分"].number_format == "0.00"
    empty = next(r for r in range(2, 58) if ws.cell(r, 2).value == "市民政局")
    assert ws.cell(empty, headers.index("结案率") + 1).value == "—"
    assert ws.cell(empty, headers.index("无案件") + 1).value == "是"
    parent = next(r for r in range(2, 58) if ws.cell(r, 2).value == "芗城区政府")
    assert ws.cell(parent, 3).value == "含下属单位\n11个"
    assert ws.cell(empty, headers.index("类内名次") + 1).value == "—"


def test_detail_sheet_lists_each_deduction_with_its_case_numbers(workbook):
    wb, doc = workbook
    ws = wb["扣分明细"]
    assert [c.value for c in ws[1]] == [
        "单位类别",
        "处置单位",
        "评价得分",
        "规则",
        "分值",
        "计算说明",
        "案件数",
        "案件编号",
    ]
    assert ws.auto_filter.ref == f"A1:H{ws.max_row}"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    lantian = [r for r in rows if r[1] == "蓝田开发区管委会"]
    assert len(lantian) == 1
    assert lantian[0][3] == "处置单位绩效评价细则（附件2-1）" and lantian[0][4] == -2
    assert lantian[0][7] == "202110310540 202111160744" and lantian[0][6] == 2
    xc = [r for r in rows if r[1] == "芗城区城市管理局"]
    assert [r[4] for r in xc] == [pytest.approx(-20), pytest.approx(-6.67), pytest.approx(-0.2)]
    assert xc[0][7] == "202111050002 202111050003"
    assert ws.cell(2, 8).data_type == "s" and ws.cell(2, 5).number_format == "0.00"
    # every unit's score = 100 + its listed deductions (base lines are left out of this sheet)
    for entry in doc["units"]:
        listed = sum((Decimal(str(r[4])) for r in rows if r[1] == entry["unit"] and r[4] is not None), Decimal(0))
        base = Decimal(entry["lines"][0]["points"])
        assert base + listed == Decimal(entry["score"]), entry["unit"]


def test_about_sheet_names_rule_set_definitions_and_sources(workbook, sheet_db):
    wb, doc = workbook
    ws = wb["说明"]
    about = {}
    for label, value in ws.iter_rows(min_row=2, values_only=True):
        about.setdefault(label, []).append(value)
    assert about["统计周期"][0].startswith("2021年11月")
    assert about["评价规则"] == ["内置示例规则（扣分制）（版本 1）"] and about["计分方式"] == ["扣分制"]
    assert about["规则性质"] == ["按内置示例规则计算，非本市考核细则"]
    assert doc["rule_set"]["sha256"] in about["规则文件"][0]
    assert about["统计口径：应结案数口径"] == ["立案数"] and about["统计口径：处置/结案截止口径"] == [
        "导出数据中的全部时间"
    ]
    assert about["统计口径：应结案数扣除缓办/挂账案件"] == ["否"]
    assert not any(word in str(v) for v in about.values() for word in ("filed", "disposed", "none", "default v1"))
    assert "hand-built" in about["数据来源"][0]
    assert "生成时间" in about


def test_two_rule_sets_give_two_sheets(sheet_db, tmp_path):
    write_score_sheet(sheet_db, NOV, tmp_path / "d.xlsx")
    write_score_sheet(sheet_db, NOV, tmp_path / "g.xlsx", rules="gb_composite")
    d = openpyxl.load_workbook(tmp_path / "d.xlsx")["评价结果"]
    g = openpyxl.load_workbook(tmp_path / "g.xlsx")["评价结果"]
    assert "内置示例规则（加权综合指标）（版本 1）" in g.cell(60, 1).value and "gb_composite" not in g.cell(60, 1).value
    assert [c.value for c in d["C"]] != [c.value for c in g["C"]]


def test_cli_export_scores(sheet_db, tmp_path, capsys):
    out = tmp_path / "out" / "评价结果.xlsx"
    code = main.main(["--db", str(tmp_path / "test.db"), "export", "scores", "--month", "2021-11", "-o", str(out)])
    assert code == 0 and out.exists()
    assert openpyxl.load_workbook(out)["评价结果"]["A1"].value == "2021年11月处置单位绩效评价结果"
    assert not list(out.parent.glob("*.part"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_sheet_and_keeps_a_formula_like_name_literal(sheet_db, tmp_path):
    """LibreOffice converts the workbook without complaint; imported text is not evaluated."""
    registry.set_unit(sheet_db, '=HYPERLINK("http://x","单位")', category="C")
    path = tmp_path / "lo.xlsx"
    write_score_sheet(sheet_db, NOV, path)
    profile = (tmp_path / "lo_profile").as_uri()
    csv = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, quote, UTF-8
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", csv]
    subprocess.run([*command, "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "lo.csv").read_text(encoding="utf-8")
    assert "2021年11月处置单位绩效评价结果" in text and '"=HYPERLINK(""http://x"",""单位"")"' in text
    assert "蓝田开发区管委会,98.00" in text


def test_wrapped_lines_counts_cjk_double_and_breaks_between_case_numbers():
    numbers = "、".join(f"2021110500{i:02d}" for i in range(12))  # each number and its 、 is 14 units wide
    assert wrapped_lines(numbers, 60) == 4  # 53 usable units per line: 3 numbers per line
    assert wrapped_lines("短", 10) == 1
    assert wrapped_lines(None, 10) == 1
    assert wrapped_lines("中" * 40, 41) == 3  # 80 units in 36 usable per line
    assert wrapped_lines("一\n二", 30) == 2


def test_detail_and_about_rows_are_tall_enough_for_their_wrapped_text(db, tmp_path):
    """LibreOffice does not re-measure rows of an .xlsx: without a stored height, a wrapped list of case
    numbers would print as its first line only."""
    late = [
        {
            "case_no": f"20211105{i:04d}",
            "kind": "事件",
            "minor": "暴露垃圾",
            "unit": "芗城区城市管理局",
            "reported_at": "2021-11-05 08:00:00",
            "filed_at": "2021-11-05 08:10:00",
            "dispatched_at": "2021-11-05 08:20:00",
            "deadline_at": "2021-11-06 17:30:00",
            "disposed_at": "2021-11-20 10:00:00",
            "closed_at": "2021-11-20 11:00:00",
        }
        for i in range(40)
    ]
    insert_cases(db, late)
    path = tmp_path / "scores.xlsx"
    write_score_sheet(db, parse_month("2021-11"), path)
    wb = openpyxl.load_workbook(path)

    ws = wb["扣分明细"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "按期结案率")
    assert ws.cell(row, 7).value == 40
    needed = wrapped_lines(ws.cell(row, 8).value, ws.column_dimensions["H"].width, CASE_SIZE)
    assert needed == CASE_LINES_PER_ROW  # the 40 numbers fill one row, then continue on the next
    assert ws.row_dimensions[row].height == min(MAX_ROW_HEIGHT, needed * line_height(CASE_SIZE) + 2)
    assert ws.cell(row, 8).alignment.wrap_text and ws.cell(row, 1).alignment.vertical == "top"
    assert ws.cell(row + 1, 4).value == "按期结案率（续）" and ws.cell(row + 1, 5).value is None
    listed = (ws.cell(row, 8).value + " " + ws.cell(row + 1, 8).value).split()
    assert listed == [f"20211105{i:04d}" for i in range(40)]

    about = wb["说明"]
    described = next(r for r in range(2, about.max_row + 1) if about.cell(r, 1).value == "规则说明")
    assert about.row_dimensions[described].height >= 2 * LINE_HEIGHT
