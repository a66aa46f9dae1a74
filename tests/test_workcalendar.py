"""Deadlines on the statutory calendar with 调休 make-up days, the office schedule and overrides (domain.md §5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from models.store import transaction
from models.workcalendar import SCHEDULE, LimitTable, TimeLimit, WorkCalendar, fill_missing_deadlines
from tests.conftest import insert_cases

DAYS2 = TimeLimit("部件", "消防设施", Decimal(2), "工作日")
DAY1 = TimeLimit("事件", "*", Decimal(1), "工作日")
HOURS2 = TimeLimit("事件", "暴露垃圾", Decimal(2), "工作时")
NATURAL4 = TimeLimit("部件", "上水井盖", Decimal(4), "自然小时")


def test_calendar_knows_2021_national_day_and_mid_autumn_make_up_days():
    cal = WorkCalendar()
    assert not cal.is_workday(date(2021, 10, 1)) and not cal.is_workday(date(2021, 10, 7))
    assert cal.is_workday(date(2021, 10, 9))  # Saturday, worked
    assert cal.is_workday(date(2021, 9, 26))  # Sunday, worked
    assert cal.is_workday(date(2021, 9, 18))  # Saturday, worked
    assert not any(cal.is_workday(date(2021, 9, d)) for d in (19, 20, 21))
    assert cal.day_seconds == 7 * 3600  # 08:00–12:00 and 14:30–17:30


def test_deadline_skips_national_day_and_counts_make_up_saturday():
    cal = WorkCalendar()
    # 09-30 10:00: 5 h that day; 10-01..07 off; 10-08 (Fri) 7 h; 10-09 (make-up Saturday) 08:00 + 2 h
    assert cal.deadline(datetime(2021, 9, 30, 10, 0), DAYS2) == datetime(2021, 10, 9, 10, 0)


def test_deadline_counts_mid_autumn_saturday_and_skips_the_holiday():
    cal = WorkCalendar()
    # 09-17 (Fri) 16:00: 1.5 h; 09-18 (worked Saturday) 08:00–12:00 and 14:30 + 1.5 h
    assert cal.deadline(datetime(2021, 9, 17, 16, 0), DAY1) == datetime(2021, 9, 18, 16, 0)
    # 09-18 16:00: 1.5 h; 09-19..21 off; 09-22 5.5 h
    assert cal.deadline(datetime(2021, 9, 18, 16, 0), DAY1) == datetime(2021, 9, 22, 16, 0)


def test_working_hours_skip_lunch_night_and_weekend():
    cal = WorkCalendar()
    assert cal.deadline(datetime(2021, 11, 5, 17, 0), HOURS2) == datetime(2021, 11, 8, 9, 30)  # Fri → Mon
    assert cal.deadline(datetime(2021, 11, 2, 11, 0), HOURS2) == datetime(2021, 11, 2, 15, 30)  # over lunch
    assert cal.deadline(datetime(2021, 11, 2, 20, 0), HOURS2) == datetime(2021, 11, 3, 10, 0)  # after hours


def test_working_time_counted_back_skips_lunch_weekend_and_national_day():
    cal = WorkCalendar()
    assert cal.sub_working_seconds(datetime(2021, 11, 2, 15, 30), 2 * 3600) == datetime(2021, 11, 2, 11, 0)
    assert cal.sub_working_seconds(datetime(2021, 11, 8, 9, 30), 2 * 3600) == datetime(2021, 11, 5, 17, 0)
    # 10-08 (Fri) 08:00 back 2 h: 10-01..07 off, 09-30 ends at 17:30
    assert cal.sub_working_seconds(datetime(2021, 10, 8, 8, 0), 2 * 3600) == datetime(2021, 9, 30, 15, 30)
    start = datetime(2021, 9, 30, 10, 0)
    assert cal.sub_working_seconds(cal.deadline(start, DAYS2), cal.limit_seconds(DAYS2)) == start


def test_natural_hours_run_through_night_and_holiday():
    cal = WorkCalendar()
    assert cal.deadline(datetime(2021, 9, 30, 22, 0), NATURAL4) == datetime(2021, 10, 1, 2, 0)


def test_override_table_wins_over_the_statutory_calendar(db):
    with transaction(db):
        db.execute("INSERT INTO holiday_overrides(day, is_workday, note) VALUES ('2021-10-09', 0, '本市不调休')")
    cal = WorkCalendar.from_db(db)
    assert cal.deadline(datetime(2021, 9, 30, 10, 0), DAYS2) == datetime(2021, 10, 11, 10, 0)


def test_schedule_setting_changes_working_hours(db):
    SCHEDULE.write(db, [["09:00", "12:00"], ["13:00", "17:00"]])
    cal = WorkCalendar.from_db(db)
    assert cal.day_seconds == 7 * 3600
    assert cal.deadline(datetime(2021, 11, 2, 11, 0), HOURS2) == datetime(2021, 11, 2, 14, 0)


def test_year_outside_the_calendar_warns_with_the_year_and_does_not_crash():
    cal = WorkCalendar()
    assert cal.deadline(datetime(2027, 1, 4, 9, 0), DAY1) == datetime(2027, 1, 5, 9, 0)
    assert len(cal.warnings) == 1 and "2027" in cal.warnings[0]


def test_working_seconds_between_counts_only_schedule_time():
    cal = WorkCalendar()
    assert cal.working_seconds_between(datetime(2021, 9, 30, 10, 0), datetime(2021, 10, 9, 10, 0)) == 14 * 3600
    assert cal.working_seconds_between(datetime(2021, 10, 2, 0, 0), datetime(2021, 10, 3, 0, 0)) == 0


def test_limit_lookup_falls_back_from_minor_to_kind_to_any(db):
    limits = LimitTable.from_db(db)
    assert limits.find("部件", "上水井盖").unit == "自然小时"
    assert limits.find("部件", "没有这个小类") == limits.find("部件", "*")
    assert limits.find(None, None) == limits.find("*", "*")


def test_fill_missing_deadlines_computes_only_missing_ones(db):
    insert_cases(
        db,
        [
            {"case_no": "L1", "kind": "部件", "minor": "消防设施", "filed_at": "2021-09-30 09:50:00",
             "dispatched_at": "2021-09-30 10:00:00"},
            {"case_no": "E1", "kind": "部件", "minor": "消防设施", "filed_at": "2021-09-30 09:50:00",
             "dispatched_at": "2021-09-30 10:00:00", "deadline_at": "2021-10-20 17:00:00"},
            {"case_no": "N1", "kind": "事件", "minor": "暴露垃圾", "filed_at": "2021-09-30 09:50:00"},
            {"case_no": "Y27", "kind": "事件", "minor": "暴露垃圾", "filed_at": "2027-01-04 08:50:00",
             "dispatched_at": "2027-01-04 09:00:00"},
        ],
    )  # fmt: skip
    warnings = fill_missing_deadlines(db)
    rows = dict(db.execute("SELECT case_no, deadline_at || '|' || COALESCE(deadline_source, '') FROM cases"))
    assert rows["L1"] == "2021-10-09 10:00:00|limit"
    assert rows["E1"] == "2021-10-20 17:00:00|export"
    assert rows["N1"] is None  # not dispatched: no clock runs
    assert rows["Y27"] == "2027-01-04 11:00:00|limit"
    assert any("2027" in w for w in warnings)


def test_fill_missing_deadlines_warns_about_cases_without_a_limit(db):
    with transaction(db):
        db.execute("DELETE FROM time_limits")
    insert_cases(db, [{"case_no": "Q1", "kind": "事件", "minor": "x", "dispatched_at": "2021-11-01 09:00:00"}])
    warnings = fill_missing_deadlines(db, import_id=None)
    assert len(warnings) == 1 and "Q1" in warnings[0]
    assert db.execute("SELECT deadline_at FROM cases").fetchone()[0] is None
