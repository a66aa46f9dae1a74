"""models.reference: the settings page's reference-table edits, validated and saved whole."""

from decimal import Decimal

import pytest

from models import reference
from models.reference import HeaderAlias, HolidayOverride, ReferenceTableError, TimeLimit


def test_header_aliases_round_trip_and_refuse_one_header_for_two_fields(db):
    aliases = reference.list_header_aliases(db)
    assert HeaderAlias("case_no", "案件编号", 0) in aliases
    saved = reference.save_header_aliases(db, [*aliases, HeaderAlias("case_no", "工单号", 9)])
    assert saved == len(aliases) + 1
    assert HeaderAlias("case_no", "工单号", 9) in reference.list_header_aliases(db)
    with pytest.raises(ReferenceTableError, match="一个表头只能对应一个字段"):
        reference.save_header_aliases(db, [*aliases, HeaderAlias("unit", "案件编号", 9)])


def test_header_aliases_keep_one_alias_for_each_required_field(db):
    aliases = [a for a in reference.list_header_aliases(db) if a.field != "unit"]
    with pytest.raises(ReferenceTableError, match="处置单位"):
        reference.save_header_aliases(db, aliases)
    assert any(a.field == "unit" for a in reference.list_header_aliases(db))  # nothing written


def test_time_limits_validate_amount_and_unit(db):
    reference.save_time_limits(
        db, [TimeLimit("事件", "车辆违停", Decimal("2"), "工作时"), TimeLimit("*", "*", "5", "工作日")]
    )
    assert reference.list_time_limits(db) == [
        TimeLimit("*", "*", Decimal("5"), "工作日"),
        TimeLimit("事件", "车辆违停", Decimal("2"), "工作时"),
    ]
    with pytest.raises(ReferenceTableError, match="第 1 行：时限「两天」不是数字"):
        reference.save_time_limits(db, [TimeLimit("事件", "车辆违停", "两天", "工作日")])
    with pytest.raises(ReferenceTableError, match="单位应为"):
        reference.save_time_limits(db, [TimeLimit("事件", "车辆违停", "2", "天")])
    assert len(reference.list_time_limits(db)) == 2


def test_holiday_overrides_reject_impossible_dates(db):
    reference.save_holiday_overrides(db, [HolidayOverride("2027-02-06", True, "春节调休上班")])
    assert reference.list_holiday_overrides(db) == [HolidayOverride("2027-02-06", True, "春节调休上班")]
    with pytest.raises(ReferenceTableError, match="2027-02-30"):
        reference.save_holiday_overrides(db, [HolidayOverride("2027-02-30", False)])
