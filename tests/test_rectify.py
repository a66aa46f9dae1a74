"""models.rectify: 创城回头看 rounds, a problem's status at an as-of date and 整改达标率 (domain.md §10)."""

from datetime import date

import pytest

from models.errors import CellValueError
from models.rectify import (
    UNCHECKED,
    RectifyRow,
    make_row,
    problem_statuses,
    problems_behind,
    problems_from_rows,
    rectify_stats,
)

DEC = {d: date(2021, 12, d) for d in range(1, 32)}


def rows_of(number: str, *rounds: tuple[int, str] | None, **cells) -> list[RectifyRow]:
    """One problem's ledger rows: a row per (day in December, result) round, or one bare row when none."""
    base = {
        "problem_no": number,
        "inspected_on": date(2021, 11, 10),
        "site": "西洋坪市场",
        "district": "芗城区",
        "category": "环境卫生",
        "unit": "西桥街道办事处",
        "due_on": DEC[10],
        **cells,
    }
    if not rounds:
        return [make_row(base)]
    return [make_row({**base, "checked_on": DEC[day], "result": result}) for day, result in rounds]


def stats(rows, day: int) -> dict:
    return rectify_stats(rows, as_of=DEC[day])


# ---------------------------------------------------------------- status at the as-of date


def test_status_is_the_latest_result_on_or_before_the_as_of_date():
    (problem,), _ = problems_from_rows(rows_of("P1", (1, "未整改"), (20, "已整改"), (14, "未整改")))
    assert [r.checked_on.day for r in problem.rounds] == [1, 14, 20]  # rounds in date order, whatever the ledger
    assert problem.status(date(2021, 11, 30)) == UNCHECKED
    assert problem.status(DEC[1]) == "未整改"
    assert problem.status(DEC[19]) == "未整改"
    assert problem.status(DEC[20]) == "已整改"


def test_rate_counts_rounds_before_the_as_of_date_not_after():
    ledger = rows_of("P1", (1, "未整改"), (20, "已整改")) + rows_of("P2", (5, "已整改"))
    before = stats(ledger, 15)
    assert (before["due"], before["rectified"], before["rate"]) == (2, 1, "50.00")
    after = stats(ledger, 20)
    assert (after["due"], after["rectified"], after["rate"]) == (2, 2, "100.00")


def test_a_rebound_is_not_rectified_and_is_listed_until_a_later_round_clears_it():
    ledger = rows_of("P1", (1, "已整改"), (12, "反弹"), (28, "整改到位")) + rows_of("P2", (1, "已整改"))
    assert stats(ledger, 11)["rate"] == "100.00"
    at_rebound = stats(ledger, 12)
    assert (at_rebound["rectified"], at_rebound["rate"], at_rebound["rebound"]) == (1, "50.00", ["P1"])
    cleared = stats(ledger, 28)
    assert (cleared["rate"], cleared["rebound"]) == ("100.00", [])


def test_a_problem_never_rechecked_is_due_unrectified_and_listed():
    ledger = rows_of("P1") + rows_of("P2", (1, "已整改"))
    doc = stats(ledger, 15)
    assert (doc["problems"], doc["due"], doc["rectified"], doc["rate"]) == (2, 2, 1, "50.00")
    assert doc["unchecked"] == ["P1"]


def test_a_problem_not_yet_due_stays_out_of_the_rate_even_when_rectified_early():
    ledger = rows_of("P1", (1, "已整改")) + rows_of("P2", (1, "已整改"), due_on=date(2022, 1, 15))
    doc = stats(ledger, 15)
    assert (doc["problems"], doc["due"], doc["rectified"], doc["rate"]) == (2, 1, 1, "100.00")
    assert rectify_stats(ledger, as_of=date(2022, 1, 15))["due"] == 2  # the deadline day itself is due


def test_blank_deadline_is_never_due_and_named_in_the_warnings():
    ledger = rows_of("P1", (1, "未整改"), due_on=None) + rows_of("P2", (1, "已整改"))
    doc = stats(ledger, 31)
    assert (doc["problems"], doc["due"], doc["rate"]) == (2, 1, "100.00")
    assert doc["warnings"] == ["问题 P1 未填整改时限，不计入应整改问题"]


def test_problems_found_after_the_as_of_date_are_not_counted_yet():
    ledger = rows_of("P1", (1, "已整改")) + rows_of("P2", inspected_on=DEC[16], due_on=DEC[20])
    assert stats(ledger, 15)["problems"] == 1
    assert stats(ledger, 20)["unchecked"] == ["P2"]


def test_no_due_problems_gives_a_null_rate_and_rates_round_half_up():
    assert stats(rows_of("P1", due_on=DEC[31]), 15)["rate"] is None
    ledger = [row for n in range(8) for row in rows_of(f"P{n}", (1, "已整改" if n < 5 else "未整改"))]
    assert stats(ledger, 15)["rate"] == "62.50"
    ledger = [row for n in range(3) for row in rows_of(f"P{n}", (1, "已整改" if n < 2 else "反弹"))]
    assert stats(ledger, 15)["rate"] == "66.67"


# ---------------------------------------------------------------- groupings


def test_groupings_by_unit_district_category_and_site():
    ledger = (
        rows_of("P1", (1, "已整改"), site="下洲社区", district="高新区", category="市容市貌", unit="九湖镇")
        + rows_of("P2", (1, "未整改"), site="动车站", district="龙文区", category="交通秩序", unit="市交警支队")
        + rows_of("P3", (1, "已整改"), site="动车站", district="龙文", category="交通秩序", unit="市交警支队")
        + rows_of("P4", site="西洋坪市场", category="门前三包", unit="西桥街道办事处")
        + rows_of("P5", (1, "已整改"), site=None, district="芗城区", category="市容市貌", unit=None)
    )
    doc = stats(ledger, 15)

    def short(groups, key):
        return [(g[key], g["problems"], g["due"], g["rectified"], g["rate"]) for g in groups]

    # districts in the regions' administrative order, written any way the ledger wrote them
    assert short(doc["by_district"], "district") == [
        ("芗城区", 2, 2, 1, "50.00"),
        ("龙文区", 2, 2, 1, "50.00"),
        ("漳州高新区", 1, 1, 1, "100.00"),
    ]
    # categories in the configured order; a category outside it follows
    assert short(doc["by_category"], "category") == [
        ("市容市貌", 2, 2, 2, "100.00"),
        ("交通秩序", 2, 2, 1, "50.00"),
        ("门前三包", 1, 1, 0, "0.00"),
    ]
    # units and sites in the order first met, a blank one last
    assert short(doc["by_unit"], "unit") == [
        ("九湖镇", 1, 1, 1, "100.00"),
        ("市交警支队", 2, 2, 1, "50.00"),
        ("西桥街道办事处", 1, 1, 0, "0.00"),
        (None, 1, 1, 1, "100.00"),
    ]
    assert [g["site"] for g in doc["by_site"]] == ["下洲社区", "动车站", "西洋坪市场", None]
    assert doc["by_site"][2] == {
        "site": "西洋坪市场",
        "problems": 1,
        "due": 1,
        "rectified": 0,
        "rate": "0.00",
        "rebound": 0,
        "unchecked": 1,
    }


def test_open_problems_come_first_in_the_problem_list():
    ledger = (
        rows_of("RECTIFIED", (1, "已整改"))
        + rows_of("NOT-DUE", (1, "未整改"), due_on=DEC[31])
        + rows_of("UNCHECKED")
        + rows_of("OPEN", (1, "未整改"))
        + rows_of("REBOUND", (1, "已整改"), (5, "反弹"))
    )
    problems, _ = problems_from_rows(ledger)
    listed = problem_statuses(problems, DEC[15])
    assert [(s.problem.problem_no, s.status, s.open) for s in listed] == [
        ("REBOUND", "反弹", True),
        ("OPEN", "未整改", True),
        ("UNCHECKED", "未复查", True),
        ("NOT-DUE", "未整改", False),
        ("RECTIFIED", "已整改", False),
    ]
    assert [r.result for r in listed[0].rounds] == ["已整改", "反弹"]
    assert [s.problem.problem_no for s in problems_behind(problems, "open", as_of=DEC[15])] == [
        "REBOUND",
        "OPEN",
        "UNCHECKED",
    ]
    assert problems_behind(problems, "due", as_of=DEC[15], unit="市交警支队") == []


# ---------------------------------------------------------------- ledger rows


def test_result_aliases_and_an_unknown_result_named():
    assert rows_of("P1", (1, "整改完成"))[0].result == "已整改"
    assert rows_of("P1", (1, "出现反弹"))[0].result == "反弹"
    with pytest.raises(
        CellValueError, match="回头看结果「基本整改」不在回头看结果表中（应为：已整改、未整改、反弹）"
    ) as caught:
        rows_of("P1", (1, "基本整改"))
    assert (caught.value.field, caught.value.word) == ("result", "基本整改")


def test_an_unknown_district_is_named():
    with pytest.raises(CellValueError, match="地区「思明区」不在地区表中") as caught:
        rows_of("P1", district="思明区")
    assert caught.value.field == "district"


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"checked_on": DEC[1]}, "result", "有回头看日期 2021-12-01 但回头看结果为空"),
        ({"result": "已整改"}, "checked_on", "有回头看结果「已整改」但回头看日期为空"),
        ({"checked_on": date(2021, 11, 1), "result": "已整改"}, "checked_on", "回头看日期 2021-11-01 早于督查日期"),
        ({"problem_no": " "}, "problem_no", "问题编号为空"),
        ({"due_on": "下周"}, "due_on", "整改时限「下周」不是日期"),
    ],
)
def test_bad_rows_are_refused_naming_the_field(cells, field, message):
    with pytest.raises(CellValueError, match=message) as caught:
        make_row({"problem_no": "P1", "inspected_on": date(2021, 11, 10), **cells})
    assert caught.value.field == field


def test_disagreeing_rows_warn_and_the_latest_round_wins():
    ledger = [
        make_row({"problem_no": "P1", "unit": "西桥街道办事处", "due_on": DEC[10]}),
        make_row({"problem_no": "P1", "unit": "芗城区城市管理局", "checked_on": DEC[14], "result": "未整改"}),
        make_row({"problem_no": "P1", "checked_on": DEC[14], "result": "已整改"}),
    ]
    (problem,), warnings = problems_from_rows(ledger)
    assert (problem.unit, problem.due_on, problem.status(DEC[14])) == ("芗城区城市管理局", DEC[10], "已整改")
    assert warnings == [
        "问题 P1 的责任单位各轮不一致（西桥街道办事处／芗城区城市管理局），按最近一轮「芗城区城市管理局」统计",
        "问题 P1 在 2021-12-14 有两条回头看记录（未整改／已整改），按后一条统计",
    ]


def test_row_record_round_trip_and_key():
    row = rows_of("CC2021-001", (14, "已整改"), district="高新区")[0]
    assert row.key == ("CC2021-001", DEC[14])
    assert row.record()["district"] == "漳州高新区" and row.record()["checked_on"] == "2021-12-14"
    assert RectifyRow.from_record(row.record()) == row
