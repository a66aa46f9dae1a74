"""One way to name an exported file, for the GUI's save dialogs and the CLI's `-o FOLDER` (issue 11)."""

from __future__ import annotations

from datetime import datetime

from exporters.case_list import CaseFilter
from exporters.file_names import export_file_name
from models.periods import parse_label


def test_names_carry_the_period_and_nothing_windows_forbids():
    nov = parse_label("2021-11")
    assert export_file_name("scores", nov) == "处置单位绩效评价_2021-11.xlsx"
    assert export_file_name("部件 / 事件", nov, suffix=".png") == "部件_事件_2021-11.png"  # not a folder 部件
    assert export_file_name("bulletin", parse_label("2021-Q4")) == "通报_2021-Q4.txt"
    days = parse_label("2021-11-01..2021-11-15")
    assert export_file_name("cases", days, "立案", None, "") == "案件清单_2021-11-01至2021-11-15_立案.xlsx"
    assert export_file_name("lights", as_of=datetime(2021, 11, 30, 17, 0)) == "超期预警_截至2021-11-30.xlsx"
    assert export_file_name("rejected", None, "导入3", 'a:b"c', suffix=".csv") == "被拒行_导入3_a_b_c.csv"


def test_the_case_list_name_repeats_its_filter():
    nov = parse_label("2021-11")
    region = CaseFilter(unit="芗城区政府", with_subunits=True, figure="closed", light="red", search="井盖/x")
    assert region.file_name(nov) == "案件清单_2021-11_结案_芗城区政府含下属_红灯_搜索井盖_x.xlsx"
