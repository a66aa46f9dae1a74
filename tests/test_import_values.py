"""Cell coercion and header mapping: case numbers as text, every date-time form seen."""

from datetime import date, datetime

import pytest

from importers import headers as hdr
from importers import values as val


@pytest.mark.parametrize(
    "cell, expected",
    [
        (202111160744, "202111160744"),
        (202111160744.0, "202111160744"),
        ("202111160744", "202111160744"),
        (" 202111160744 ", "202111160744"),
        ("２０２１１１１６０７４４", "202111160744"),  # full-width digits (NFKC on case numbers)
        ('="202111160744"', "202111160744"),
        ("202111160744.0", "202111160744"),
        ("2017东城管字537978", "2017东城管字537978"),
        ("SZPS202502252032300001", "SZPS202502252032300001"),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_case_numbers_are_text_never_floats(cell, expected):
    assert val.case_no_text(cell) == expected


def test_case_number_in_scientific_notation_is_a_row_problem():
    with pytest.raises(val.ValueProblem) as err:
        val.case_no_text("2.02111E+11")
    assert str(err.value) == "案件编号「2.02111E+11」已被转成科学计数法，原编号无法恢复，请以文本格式重新导出"


def test_case_number_beyond_15_digits_stored_as_number_is_refused_as_lossy():
    with pytest.raises(val.ValueProblem) as err:
        val.case_no_text(1234567890123456.0)
    assert "超过 15 位" in str(err.value)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("2021/11/16 07:44", "2021-11-16 07:44:00"),
        ("2021-11-16 07:44:00", "2021-11-16 07:44:00"),
        ("2021/11/1 8:20", "2021-11-01 08:20:00"),
        ("2021年11月16日 07:44", "2021-11-16 07:44:00"),
        ("2021年11月16日", "2021-11-16 00:00:00"),
        ("２０２１/１１/１６ ０７:４４", "2021-11-16 07:44:00"),
        ("2021-11-16T07:44:00", "2021-11-16 07:44:00"),
        ("2021.11.16 07:44:30", "2021-11-16 07:44:30"),
        ("2021-11-16", "2021-11-16 00:00:00"),
        (datetime(2021, 11, 16, 7, 44), "2021-11-16 07:44:00"),
        (datetime(2021, 11, 16, 7, 43, 59, 999_990), "2021-11-16 07:44:00"),  # serial float noise
        (date(2021, 11, 16), "2021-11-16 00:00:00"),  # calamine gives a date for midnight
        (44516.32222222222, "2021-11-16 07:44:00"),  # Excel serial
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_date_times_from_every_form_seen_in_exports(cell, expected):
    assert val.datetime_text(cell) == expected


def test_a_deadline_without_time_means_the_end_of_that_day():
    assert val.datetime_text("2021年11月16日", end_of_day=True) == "2021-11-16 23:59:59"
    assert val.datetime_text(date(2021, 11, 16), end_of_day=True) == "2021-11-16 23:59:59"
    assert val.datetime_text("2021/11/16 17:30", end_of_day=True) == "2021-11-16 17:30:00"


@pytest.mark.parametrize("cell", ["2021/13/45 07:00", "明天", "2021-02-30 00:00:00", True, "1800-01-01"])
def test_unparseable_dates_are_row_problems(cell):
    with pytest.raises(val.ValueProblem):
        val.datetime_text(cell)


def test_names_keep_full_width_brackets_and_blank_dash_are_null():
    assert val.plain_text(" 市公安局交通警察支队（筹） ") == "市公安局交通警察支队（筹）"
    assert val.plain_text("-") is None and val.plain_text("  ") is None
    assert val.code_text(101.0) == "101" and val.code_text("０１０１") == "0101"


def test_stage_cancelled_and_counts_and_kind():
    assert val.is_cancelled_stage("作废") and val.is_cancelled_stage("[作废]") and val.is_cancelled_stage("【作废】")
    assert not val.is_cancelled_stage("结案") and not val.is_cancelled_stage(None)
    assert val.count_int("２") == 2 and val.count_int(1.0) == 1 and val.count_int("-") == 0 and val.count_int(None) == 0
    with pytest.raises(val.ValueProblem):
        val.count_int("两次")
    assert val.kind_text("部件类") == "部件"
    with pytest.raises(val.ValueProblem) as err:
        val.kind_text("投诉")
    assert str(err.value) == "问题类型「投诉」应为 部件 或 事件"


def test_header_row_found_below_title_and_missing_column_message(db):
    config = hdr.load_header_config(db)
    rows = [["漳州市数字城管案件", "", ""], ["", "", ""], ["案件号", "受理时间", "责任单位"], ["1", "2", "3"]]
    assert hdr.find_header_row(rows, config) == 2
    mapping = hdr.map_headers(rows[2], config)
    assert mapping.headers == {"case_no": "案件号", "reported_at": "受理时间", "unit": "责任单位"}
    missing = hdr.map_headers(["案件编号", "上报时间", "地址"], config)
    assert missing.missing_required == ["unit"]
    assert missing.missing_message == "找不到列「处置单位」（已尝试：处置部门、处置单位、责任单位…）"


def test_a_checked_mapping_names_missing_fields_ignored_and_doubly_used_headers(db):
    config = hdr.load_header_config(db)
    assert config.required == ["case_no", "unit", "reported_at"]  # resources/header_aliases.toml
    headers = ["编号", "单位", "上报时间", "备注", ""]
    partial = {"unit": "单位", "reported_at": "上报时间", "filed_at": "上报时间"}
    check = hdr.check_mapping(headers, partial, config.required)
    assert (check.missing, check.ignored, check.duplicated) == (["case_no"], ["编号", "备注"], ["上报时间"])
    complete = hdr.check_mapping(headers, {"case_no": "编号", **partial}, config.required)
    assert complete.missing == [] and complete.ignored == ["备注"]


def test_remembered_mapping_is_used_for_the_same_header_signature(db):
    headers = ["编号", "时间", "单位"]
    hdr.save_mapping(db, headers, {"case_no": "编号", "reported_at": "时间", "unit": "单位"})
    mapping = hdr.map_headers(headers, hdr.load_header_config(db))
    assert mapping.missing_required == []
    assert mapping.columns == {"case_no": 0, "reported_at": 1, "unit": 2}
    assert hdr.find_header_row([["某市导出"], headers, ["1", "2", "3"]], hdr.load_header_config(db)) == 1
