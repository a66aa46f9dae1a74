"""两违 steps, deadlines, extensions and lights on hand-built cases (domain.md §8), one rule per test."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from models.lw_cases import ExtensionRequest, LwCase
from models.lw_settings import load_lw_settings
from models.lw_steps import (
    HONOURED,
    PENDING,
    REFUSED_OUTCOME,
    WRONG_LEVEL,
    case_status,
    case_timeline,
    end_moment,
    judge_extensions,
    step_status,
)
from models.workcalendar import WorkCalendar

SETTINGS = load_lw_settings()
CAL = WorkCalendar()


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def timeline(requests=(), settings=SETTINGS, calendar=CAL, **fields):
    return case_timeline(LwCase("LW001", **fields), list(requests), calendar, settings)


def status(tl, step: str, as_of: str, settings=SETTINGS, calendar=CAL):
    return step_status(tl.step(step), dt(as_of), calendar, settings)


def ext(position: int, days: int | None, level: str | None, result: str | None) -> ExtensionRequest:
    return ExtensionRequest("LW001", position, days, level, result)


# ---------------------------------------------------------------- working-day deadlines


def test_saturday_receipt_starts_the_clock_monday_0800_and_the_deadline_is_friday_1730():
    tl = timeline(received_at=dt("2021-12-04 10:00"))  # a Saturday
    verify = tl.step("核查")
    assert verify.clock_start == dt("2021-12-06 08:00")
    assert verify.deadline == dt("2021-12-10 17:30")  # 5 × 7 h of working time ends at the end of a block


def test_finishing_at_the_block_end_is_on_time_and_at_0800_next_working_day_is_late():
    on_time = timeline(received_at=dt("2021-12-04 10:00"), verified_at=dt("2021-12-10 17:30"))
    late = timeline(received_at=dt("2021-12-04 10:00"), verified_at=dt("2021-12-13 08:00"))
    assert status(on_time, "核查", "2021-12-31 00:00").on_time
    s = status(late, "核查", "2021-12-31 00:00")
    assert s.done and s.due and not s.on_time and s.late


def test_lunch_break_deadline_at_1200_is_on_time_and_1230_is_late():
    tl = timeline(received_at=dt("2021-12-06 14:30"))  # Monday afternoon: 3 h + 4 × 7 h + 4 h
    assert tl.step("核查").deadline == dt("2021-12-13 12:00")
    noon = timeline(received_at=dt("2021-12-06 14:30"), verified_at=dt("2021-12-13 12:00"))
    half_past = timeline(received_at=dt("2021-12-06 14:30"), verified_at=dt("2021-12-13 12:30"))
    assert status(noon, "核查", "2021-12-20 00:00").on_time
    assert not status(half_past, "核查", "2021-12-20 00:00").on_time


def test_a_start_in_the_lunch_gap_starts_the_clock_at_1430():
    tl = timeline(received_at=dt("2021-12-06 12:10"))
    assert tl.step("核查").clock_start == dt("2021-12-06 14:30")
    assert tl.step("核查").deadline == dt("2021-12-13 12:00")


def test_new_year_2022_days_off_push_the_deadline_past_january_3():
    tl = timeline(received_at=dt("2021-12-30 09:00"))  # Thu; 2022-01-01..03 are days off
    # Thu 6 h + Fri 7 h + Tue/Wed/Thu 21 h = 34 h; the 35th hour ends Fri 2022-01-07 09:00
    assert tl.step("核查").deadline == dt("2022-01-07 09:00")


def test_statutory_make_up_saturday_is_a_working_day():
    tl = timeline(received_at=dt("2021-09-17 08:00"))  # Fri; Sat 09-18 worked, 09-19..21 Mid-Autumn off
    assert tl.step("核查").deadline == dt("2021-09-24 17:30")  # Fri 17, Sat 18, Wed 22, Thu 23, Fri 24


def test_the_holiday_override_table_is_the_same_calendar():
    calendar = WorkCalendar(overrides={date(2021, 12, 8): False})  # the office declares Wed 12-08 off
    tl = timeline(calendar=calendar, received_at=dt("2021-12-06 08:00"))
    assert tl.step("核查").deadline == dt("2021-12-13 17:30")


def test_the_office_schedule_setting_is_the_same_calendar():
    calendar = WorkCalendar(schedule=(("09:00", "12:00"), ("13:00", "17:00")))  # 7 h a day as well
    tl = timeline(calendar=calendar, received_at=dt("2021-12-06 08:00"))
    assert tl.step("核查").clock_start == dt("2021-12-06 09:00")
    assert tl.step("核查").deadline == dt("2021-12-10 17:00")


def test_dispose_starts_at_dispatch_or_at_verification_when_dispatch_is_blank():
    dispatched = timeline(verified_at=dt("2021-12-06 09:00"), dispatched_at=dt("2021-12-07 08:00"))
    assert dispatched.step("处置").start == dt("2021-12-07 08:00")
    assert dispatched.step("处置").deadline == dt("2021-12-27 17:30")  # 15 working days, no holiday
    undispatched = timeline(received_at=dt("2021-12-01 08:00"), verified_at=dt("2021-12-06 08:00"))
    assert undispatched.step("处置").start == dt("2021-12-06 08:00")
    assert undispatched.step("处置").deadline == dt("2021-12-24 17:30")


def test_review_runs_from_close_application_and_a_step_without_its_start_never_starts():
    tl = timeline(received_at=dt("2021-12-01 08:00"), close_applied_at=dt("2021-12-20 08:00"))
    assert tl.step("审核").deadline == dt("2021-12-24 17:30")
    assert tl.step("处置").start is None and tl.step("处置").deadline is None
    s = status(tl, "处置", "2022-06-01 00:00")
    assert not (s.started or s.due or s.open)


def test_date_only_end_time_means_1730_of_that_day():
    assert end_moment(date(2021, 12, 10), CAL) == dt("2021-12-10 17:30")
    assert end_moment(dt("2021-12-10 00:00"), CAL) == dt("2021-12-10 17:30")  # how the importer stores a date
    assert end_moment(dt("2021-12-10 09:15"), CAL) == dt("2021-12-10 09:15")
    on_deadline_day = timeline(received_at=dt("2021-12-04 10:00"), verified_at=date(2021, 12, 10))
    day_after = timeline(received_at=dt("2021-12-04 10:00"), verified_at=date(2021, 12, 13))
    assert on_deadline_day.step("核查").end == dt("2021-12-10 17:30")
    assert status(on_deadline_day, "核查", "2021-12-31 00:00").on_time
    assert not status(day_after, "核查", "2021-12-31 00:00").on_time


def test_a_date_only_verification_starts_dispose_at_1730_so_its_clock_starts_next_morning():
    tl = timeline(received_at=dt("2021-12-06 08:00"), verified_at=date(2021, 12, 7))
    assert tl.step("处置").start == dt("2021-12-07 17:30")
    assert tl.step("处置").clock_start == dt("2021-12-08 08:00")


def test_an_end_before_its_start_does_not_crash_and_is_noted():
    tl = timeline(received_at=dt("2021-12-08 09:00"), verified_at=dt("2021-12-07 10:00"))
    assert any("早于开始时间" in p for p in tl.problems)
    s = status(tl, "核查", "2021-12-31 00:00")
    assert s.done and s.on_time


def test_an_end_without_a_start_is_noted_and_not_counted():
    tl = timeline(received_at=dt("2021-12-06 08:00"), disposed_at=dt("2021-12-20 10:00"))
    assert any("处置有完成时间但没有开始时间" in p for p in tl.problems)
    assert not status(tl, "处置", "2021-12-31 00:00").started


# ---------------------------------------------------------------- as-of semantics


def test_as_of_before_the_step_ended_means_not_done_yet():
    tl = timeline(received_at=dt("2021-12-06 08:00"), verified_at=dt("2021-12-09 10:00"))
    before = status(tl, "核查", "2021-12-08 12:00")
    assert before.started and before.open and not before.done and not before.due
    assert before.light == "green" and before.used_share == Decimal("0.5143")  # 18 h of 35 h
    after = status(tl, "核查", "2021-12-09 10:00")
    assert after.done and after.on_time and not after.open and after.light is None


def test_a_step_that_starts_after_the_as_of_time_has_not_started():
    tl = timeline(received_at=dt("2021-12-06 08:00"))
    assert not status(tl, "核查", "2021-12-05 23:59").started


def test_an_open_step_past_its_deadline_is_due_late_and_overdue():
    tl = timeline(received_at=dt("2021-12-06 08:00"))
    s = status(tl, "核查", "2021-12-13 08:00")
    assert s.due and s.open and s.overdue_open and s.late and not s.on_time and s.light == "red"
    exactly = status(tl, "核查", "2021-12-10 17:30")  # the deadline itself has not passed
    assert not exactly.due and exactly.light == "yellow" and exactly.used_share == Decimal(1)


# ---------------------------------------------------------------- extensions


def test_20_plus_15_county_days_the_second_is_at_the_wrong_level():
    requests = [ext(1, 20, "县级", "同意"), ext(2, 15, "县级", "同意")]
    decisions = judge_extensions(requests, SETTINGS)
    assert [d.outcome for d in decisions] == [HONOURED, WRONG_LEVEL]
    assert decisions[1].running_total == 35 and decisions[1].needed_level == "市级"
    assert decisions[1].label == "审批层级不符"
    tl = timeline(requests, dispatched_at=dt("2021-12-06 08:00"))
    dispose = tl.step("处置")
    assert dispose.base_deadline == dt("2021-12-24 17:30")
    assert dispose.extension_days == 20 and dispose.deadline == dt("2022-01-13 17:30")


def test_20_county_then_15_city_days_are_both_honoured():
    decisions = judge_extensions([ext(1, 20, "县级", "同意"), ext(2, 15, "市级", "同意")], SETTINGS)
    assert [d.outcome for d in decisions] == [HONOURED, HONOURED]
    assert sum(d.moved_days for d in decisions) == 35


def test_a_45_day_city_approval_moves_the_deadline_by_45_times_24_hours():
    tl = timeline([ext(1, 45, "市级", "同意")], dispatched_at=dt("2021-12-06 08:00"))
    assert tl.step("处置").deadline == dt("2022-02-07 17:30")  # 2021-12-24 17:30 + 45 days
    assert [d.outcome for d in tl.extensions] == [HONOURED]


def test_a_45_day_county_approval_is_at_the_wrong_level_and_moves_nothing():
    tl = timeline([ext(1, 45, "县级", "同意")], dispatched_at=dt("2021-12-06 08:00"))
    assert [d.outcome for d in tl.extensions] == [WRONG_LEVEL]
    assert tl.step("处置").deadline == dt("2021-12-24 17:30")


def test_the_city_may_approve_30_days_or_fewer():
    assert [d.outcome for d in judge_extensions([ext(1, 10, "市级", "同意")], SETTINGS)] == [HONOURED]


def test_exactly_30_county_days_are_within_the_county_level():
    decisions = judge_extensions([ext(1, 20, "县级", "同意"), ext(2, 10, "县级", "同意")], SETTINGS)
    assert [d.outcome for d in decisions] == [HONOURED, HONOURED]


def test_a_refused_request_moves_nothing_and_does_not_count_toward_the_running_total():
    decisions = judge_extensions([ext(1, 20, "县级", "不同意"), ext(2, 15, "县级", "同意")], SETTINGS)
    assert [d.outcome for d in decisions] == [REFUSED_OUTCOME, HONOURED]
    assert decisions[1].running_total == 15
    tl = timeline([ext(1, 20, "县级", "不同意")], dispatched_at=dt("2021-12-06 08:00"))
    assert tl.step("处置").deadline == dt("2021-12-24 17:30")


def test_a_pending_request_moves_nothing():
    tl = timeline([ext(1, 10, "县级", None)], dispatched_at=dt("2021-12-06 08:00"))
    assert [d.outcome for d in tl.extensions] == [PENDING]
    assert tl.step("处置").deadline == dt("2021-12-24 17:30") and tl.step("处置").extension_days == 0


def test_requests_are_taken_in_row_order_whatever_order_they_arrive_in():
    decisions = judge_extensions([ext(3, 15, "县级", "同意"), ext(1, 20, "县级", "同意")], SETTINGS)
    assert [(d.request.position, d.outcome) for d in decisions] == [(1, HONOURED), (3, WRONG_LEVEL)]


def test_an_approval_without_a_level_or_without_days_moves_nothing_and_is_noted():
    tl = timeline([ext(1, 10, None, "同意"), ext(2, None, "县级", "同意")], dispatched_at=dt("2021-12-06 08:00"))
    assert [d.outcome for d in tl.extensions] == ["level_missing", "invalid"]
    assert tl.step("处置").extension_days == 0
    assert len(tl.problems) == 2


def test_extensions_move_only_the_dispose_step():
    tl = timeline([ext(1, 10, "县级", "同意")], received_at=dt("2021-12-06 08:00"), close_applied_at=dt("2021-12-20"))
    assert tl.step("核查").deadline == dt("2021-12-10 17:30")
    assert tl.step("审核").extension_days == 0


# ---------------------------------------------------------------- lights


def test_an_extended_dispose_step_is_lit_by_natural_time_to_the_extended_deadline():
    tl = timeline([ext(1, 10, "县级", "同意")], dispatched_at=dt("2021-12-06 08:00"))
    assert tl.step("处置").deadline == dt("2022-01-03 17:30")  # 681.5 natural hours after the start
    s = status(tl, "处置", "2021-12-24 12:00")  # 436 natural hours used; 102 of 105 working hours
    assert s.used_share == Decimal("0.6398") and s.light == "green"
    unextended = timeline(dispatched_at=dt("2021-12-06 08:00"))
    w = status(unextended, "处置", "2021-12-24 12:00")
    assert w.used_share == Decimal("0.9714") and w.light == "yellow"


def test_serious_means_more_than_200_percent_of_the_limit_used():
    tl = timeline(received_at=dt("2021-12-06 08:00"))
    at_200 = status(tl, "核查", "2021-12-20 08:00")  # exactly 70 working hours of 35
    assert at_200.used_share == Decimal("2.0000") and at_200.light == "red" and not at_200.serious
    past_200 = status(tl, "核查", "2021-12-20 08:30")
    assert past_200.used_share == Decimal("2.0143") and past_200.serious


def test_the_thresholds_are_settings():
    strict = load_lw_settings({"lights": {"yellow_from": "0.5", "serious_over": "1.5"}})
    tl = timeline(received_at=dt("2021-12-06 08:00"), settings=strict)
    assert status(tl, "核查", "2021-12-08 15:30", settings=strict).light == "yellow"  # 19 h of 35 h
    assert status(tl, "核查", "2021-12-16 08:00", settings=strict).serious  # 56 h = 160 %


def test_the_limits_are_settings():
    short = load_lw_settings({"limits": {"核查": 3}})
    tl = timeline(received_at=dt("2021-12-06 08:00"), settings=short)
    assert tl.step("核查").deadline == dt("2021-12-08 17:30") and tl.step("核查").limit_days == 3


def test_case_status_lists_the_three_steps_in_order():
    tl = timeline(received_at=dt("2021-12-06 08:00"), verified_at=dt("2021-12-07 08:00"))
    statuses = case_status(tl, dt("2021-12-08 08:00"), CAL, SETTINGS)
    assert [s.step.step for s in statuses] == ["核查", "处置", "审核"]
    assert [s.step.role for s in statuses] == ["核查员", "处置员", "督查员"]
    assert [s.open for s in statuses] == [False, True, False]


@pytest.mark.parametrize("field", ["verified_at", "disposed_at", "closed_at"])
def test_every_end_time_accepts_a_date(field):
    tl = timeline(
        received_at=dt("2021-12-06 08:00"),
        dispatched_at=dt("2021-12-07 08:00"),
        close_applied_at=dt("2021-12-08 08:00"),
        **{field: date(2021, 12, 9)},
    )
    assert dt("2021-12-09 17:30") in [s.end for s in tl.steps]
