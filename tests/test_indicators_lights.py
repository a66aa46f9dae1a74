"""Timer lights for open cases at an as-of time, in the limit's own kind of time (domain.md §5)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from models.drilldown import case_numbers
from models.overdue import light_counts, open_case_lights, open_case_lights_report, used_time_text
from models.periods import parse_month
from models.store import transaction
from models.workcalendar import fill_missing_deadlines
from tests.conftest import insert_cases

NOV = parse_month("2021-11")


def open_case(no: str, **fields) -> dict:
    base = {
        "case_no": no,
        "kind": "事件",
        "minor": "暴露垃圾",  # 2 工作时 in resources/time_limits.toml
        "unit": "西桥街道办事处",
        "filed_at": "2021-11-01 08:00:00",
        "dispatched_at": "2021-11-01 08:00:00",
    }
    return base | fields


def lights_by_case(db, as_of: datetime) -> dict:
    return {c.case_no: c for c in open_case_lights(db, as_of)}


def test_light_follows_share_of_working_time_used(db):
    insert_cases(db, [open_case("W1")])
    fill_missing_deadlines(db)  # 08:00 + 2 working hours = 10:00
    assert lights_by_case(db, datetime(2021, 11, 1, 9, 0))["W1"].light == "green"  # 50 %
    yellow = lights_by_case(db, datetime(2021, 11, 1, 9, 36))["W1"]
    assert yellow.light == "yellow" and yellow.used_share == Decimal("0.8000")
    red = lights_by_case(db, datetime(2021, 11, 1, 11, 0))["W1"]
    assert red.light == "red" and not red.serious  # 150 % of the limit
    # lunch break and evening do not count: 14:00 → 4 h used = 200 % (not yet serious), 15:00 → 4.5 h = 225 %
    assert not lights_by_case(db, datetime(2021, 11, 1, 14, 0))["W1"].serious
    serious = lights_by_case(db, datetime(2021, 11, 1, 15, 0))["W1"]
    assert serious.serious and serious.used_share == Decimal("2.2500")


def test_lights_are_counted_by_colour_and_seriousness(db):
    nine = "2021-11-01 09:00:00"
    insert_cases(db, [open_case("W1"), open_case("W2", filed_at=nine, dispatched_at=nine)])
    fill_missing_deadlines(db)
    lights = open_case_lights(db, datetime(2021, 11, 1, 15, 0))  # W1: 225 %, W2: 175 %
    assert light_counts(lights) == {"green": 0, "yellow": 0, "red": 2, "serious": 1}
    assert sorted(c.share_text for c in lights) == ["175%", "225%"]


def test_natural_hour_limits_count_clock_time(db):
    insert_cases(db, [open_case("N1", kind="部件", minor="上水井盖", dispatched_at="2021-11-01 22:00:00")])
    fill_missing_deadlines(db)  # + 4 natural hours = 02:00
    light = lights_by_case(db, datetime(2021, 11, 2, 1, 30))["N1"]
    assert light.light == "yellow" and light.used_share == Decimal("0.8750") and light.deadline_at.endswith("02:00:00")


def test_closed_or_disposed_cases_are_not_watched(db):
    insert_cases(
        db,
        [
            open_case("D1", disposed_at="2021-11-01 09:00:00"),
            open_case("D2", closed_at="2021-11-01 09:30:00"),
            open_case("D3", disposed_at="2021-11-03 09:00:00"),  # open at the as-of time below
            open_case("X1", cancelled=1),
        ],
    )
    fill_missing_deadlines(db)
    assert set(lights_by_case(db, datetime(2021, 11, 2, 9, 0))) == {"D3"}


def test_no_deadline_and_no_limit_is_green_with_a_warning(db):
    with transaction(db):
        db.execute("DELETE FROM time_limits")
    insert_cases(db, [open_case("U1")])
    lights, warnings = open_case_lights_report(db, datetime(2021, 12, 31, 9, 0))
    assert lights[0].light == "green" and lights[0].used_share is None
    assert "U1" in warnings[0]


def test_light_figures_drill_down_per_period_and_unit(db):
    insert_cases(
        db,
        [
            open_case("G1", deadline_at="2021-12-31 17:30:00"),
            open_case("R1", deadline_at="2021-11-02 17:30:00"),
            open_case("R2", deadline_at="2021-11-02 17:30:00", unit="巷口街道办事处"),
        ],
    )
    as_of = "2021-11-30 23:59:59"
    assert case_numbers(db, NOV, "light_green", as_of=as_of) == ["G1"]
    assert case_numbers(db, NOV, "light_red", as_of=as_of) == ["R1", "R2"]
    assert case_numbers(db, NOV, "serious_overdue", as_of=as_of, unit="巷口街道办事处") == ["R2"]
    assert case_numbers(db, NOV, "light_yellow", as_of=as_of) == []


def test_used_time_reads_as_time_past_or_left_in_the_limits_own_kind_of_time(db):
    """已用时限 14036% is unreadable: 超期 N 个工作日 / N 个工作小时 / N 小时 (issue 11)."""
    insert_cases(
        db,
        [
            open_case("H1"),  # 2 工作时: deadline 11-01 10:00
            open_case("D1", kind="部件", minor="交通护栏"),  # 2 工作日: deadline 11-02 17:30
            open_case("X1", kind="部件", minor="上水井盖", deadline_at="2021-11-01 20:00:00"),  # 自然小时
        ],
    )
    fill_missing_deadlines(db)
    late = lights_by_case(db, datetime(2021, 11, 8, 10, 0))  # a Monday
    assert used_time_text(late["H1"]) == "超期 5 个工作日"  # 11-01 10:00 → 11-08 10:00: 5 h + 4 × 7 h + 2 h
    assert late["H1"].overdue_hours == Decimal("35.0000")
    assert used_time_text(late["D1"]) == "超期 3.3 个工作日"  # 11-02 17:30 → 11-08 10:00: 3 days + 2 h of 7 h
    assert used_time_text(late["X1"]) == "超期 6.6 天"  # clock time: 158 hours
    early = lights_by_case(db, datetime(2021, 11, 1, 9, 0))
    assert used_time_text(early["H1"]) == "剩余 1 个工作小时" and early["H1"].overdue_hours == Decimal("-1.0000")
    assert used_time_text(early["X1"]) == "剩余 11 小时"
    with transaction(db):
        db.execute("DELETE FROM time_limits")
        db.execute("UPDATE cases SET deadline_at = NULL WHERE case_no = 'H1'")
    assert used_time_text(lights_by_case(db, datetime(2021, 11, 8, 10, 0))["H1"]) == "无时限"
