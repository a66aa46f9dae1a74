"""The exported workbooks printed through LibreOffice and read back from the PDF (issue 11, "Print-ready"):
legible text, a footer with the page and the period on every page, headers repeated, nothing cut."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from exporters.case_list import CaseFilter, write_case_list
from exporters.overdue_lights import write_lights
from exporters.score_sheet import INDICATOR_HEADERS, write_score_sheet
from models.overdue import open_case_lights
from models.periods import parse_month
from models.store import open_db
from tests.conftest import add_seed_adjustment, insert_cases
from tests.printing import page_fonts, print_to_pdf, read_pdf, requires_printing, smallest_text
from tests.test_scoring import case, late, on_time

pytestmark = requires_printing
NOV = parse_month("2021-11")
MIN_SIZE = 7.95  # points: "no text smaller than 8 pt", less the box measurement's rounding
XC = "芗城区城市管理局"


def month_cases() -> list[dict]:
    """A month with long deduction lists (60 late cases), idle units, an unregistered unit, open cases."""
    cases = [late(f"2021110500{i:02d}", XC, rework=i % 7 == 0) for i in range(60)]
    cases += [on_time(f"2021110600{i:02d}", "西桥街道办事处") for i in range(20)]
    cases += [case(f"2021110700{i:02d}", "漳州移动公司", deadline="2021-11-08 17:30:00") for i in range(40)]
    cases += [on_time(f"2021110800{i:02d}", "新区城管中队") for i in range(3)]
    cases += [{**on_time("202111090001", "市公安局"), "minor": "无照经营游商", "description": "描述" * 40}]
    return cases


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, list]]:
    """Each export written once and printed once: name → (PDF, pages)."""
    folder = tmp_path_factory.mktemp("print")
    db = open_db(folder / "print.db")
    insert_cases(db, month_cases())
    add_seed_adjustment(db)
    out = {}
    write_score_sheet(db, NOV, folder / "scores.xlsx")
    write_case_list(db, NOV, CaseFilter(), folder / "cases.xlsx")
    write_lights(open_case_lights(db, datetime(2021, 11, 30, 17, 0)), folder / "lights.xlsx", as_of="2021-11-30 17:00")
    for name in ("scores", "cases", "lights"):
        pdf = print_to_pdf(folder / f"{name}.xlsx")
        out[name] = (pdf, read_pdf(pdf))
    db.conn.close()
    return out


def sheet_pages(pages, sheet: str) -> list:
    """The pages of one sheet: the footer's left part ends with the sheet's name."""
    return [p for p in pages if p.footer_left().endswith(sheet)]


def header_text(page, lines: int = 3) -> str:
    """The top lines of a page joined (a wrapped header cell prints on two lines)."""
    return "".join(page.lines()[:lines]).replace(" ", "")


@pytest.mark.parametrize("name", ["scores", "cases", "lights"])
def test_no_text_is_smaller_than_8_points(printed, name):
    _pdf, pages = printed[name]
    size, word, page = smallest_text(pages)
    assert size >= MIN_SIZE, f"{name}: 「{word}」 on page {page} prints at {size:.1f} pt"


@pytest.mark.parametrize("name, period", [("scores", "2021年11月"), ("cases", "2021年11月"), ("lights", "2021-11-30")])
def test_every_page_has_a_footer_with_its_number_the_count_and_the_period(printed, name, period):
    _pdf, pages = printed[name]
    assert len(pages) > 1
    for page in pages:
        footer = page.footer()
        assert f"第{page.number}页，共{len(pages)}页" in footer and period in footer, (name, page.number, footer)


def test_the_results_table_is_at_most_two_portrait_pages_with_a_rank_column(printed):
    _pdf, pages = printed["scores"]
    results = sheet_pages(pages, "评价结果")
    assert 1 <= len(results) <= 2 and not any(p.landscape for p in results)
    for page in results:  # the header repeats on every page
        assert page.lines()[1].split() == ["单位类别", "处置单位", "评价得分", "名次", "备注"], page.lines()[:2]
    text = "".join(p.text for p in results)
    assert "—" in text and "无案件" in text and "按内置示例规则计算，非本市考核细则" in text
    assert "未登记单位未参加评价：新区城管中队（立案3件）" in text


def test_the_indicator_sheet_prints_in_column_groups_with_the_unit_column_repeated(printed):
    _pdf, pages = printed["scores"]
    indicators = sheet_pages(pages, "指标明细")
    assert len(indicators) >= 2
    headers = set()
    for page in indicators:
        top = header_text(page)
        assert "单位类别" in top and "处置单位" in top, top  # the unit column on every page
        headers.add(top)
    # every column in some group (a wrapped header prints its first four characters on the upper line)
    assert all(any(h[:4] in top for top in headers) for h in INDICATOR_HEADERS)
    assert "芗城区城市管理局" in "".join(p.text for p in indicators)


def test_every_deducted_case_number_prints_whole_within_the_detail_sheet(printed):
    pdf, pages = printed["scores"]
    details = sheet_pages(pages, "扣分明细")
    for page in details:
        assert page.lines()[0].split()[-1] == "案件编号"  # the header repeats
    numbers = [w.text for page in details for w in page.words if re.fullmatch(r"\d{6,}", w.text)]
    assert all(len(n) == 12 for n in numbers), [n for n in numbers if len(n) != 12]  # none broken in two
    late_numbers = {f"2021110500{i:02d}" for i in range(60)}
    assert late_numbers <= set(numbers)  # the 60 late cases behind 按期结案率, all printed
    assert "按期结案率（续）" in "".join(p.text for p in details)  # a long list continues on its own rows


def test_about_rows_are_tall_enough_for_their_wrapped_text_and_the_title_font_is_the_body_font(printed):
    pdf, pages = printed["scores"]
    about = sheet_pages(pages, "说明")
    text = "".join(p.text for p in about)
    description = openpyxl.load_workbook(pdf.with_suffix(".xlsx"))["说明"]
    for label, value in description.iter_rows(min_row=2, values_only=True):
        assert re.sub(r"\s", "", value) in text, label  # every line of every wrapped cell printed
    title_page, body_page = 1, sheet_pages(pages, "指标明细")[0].number
    assert page_fonts(pdf, title_page) == page_fonts(pdf, body_page)


def test_the_case_list_prints_its_chosen_columns_and_keeps_the_full_record(printed):
    pdf, pages = printed["cases"]
    listed = sheet_pages(pages, "案件清单2021年11月")  # the printed list's own footer
    assert listed and all(p.landscape for p in listed)
    headers = ["案件编号", "处置单位", "小类", "立案时间", "处置截止时间", "处置结束时间", "结案时间", "当前阶段"]
    for page in listed[1:]:
        assert header_text(page, 1) == "".join(headers)  # repeated on every page
    assert "202111090001" in listed[0].text or any("202111090001" in p.text for p in listed)
    full = sheet_pages(pages, "完整记录")
    assert full and "问题描述" in "".join(p.text for p in full)
    assert page_fonts(pdf, 1) == page_fonts(pdf, listed[-1].number)


def test_the_overdue_lights_print_readable_used_time(printed):
    pdf, pages = printed["lights"]
    text = "".join(p.text for p in pages)
    assert "超期" in text and "个工作日" in text and "%" in text
    for page in pages[1:]:
        assert "处置单位案件编号小类" in header_text(page)
    assert page_fonts(pdf, 1) == page_fonts(pdf, len(pages))
