"""Each indicator definition of domain.md §4 and each alternative, on small hand-built cases."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from models import registry
from models.definitions import Definitions, DefinitionsError, load_definitions, save_definitions
from models.drilldown import case_numbers
from models.indicators import counts_by_unit, counts_for_units
from models.periods import parse_month
from models.quality import warning_cases
from models.scoring import compute_scores
from models.stats import stats_document, trend
from tests.conftest import insert_cases

NOV = parse_month("2021-11")
UNIT = "芗城区城市管理局"  # registry category B


def case(no: str, **fields) -> dict:
    """A filed, dispatched November case with a deadline; fields override."""
    base = {
        "case_no": no,
        "source": "信息采集",
        "channel": "网格巡查采集",
        "kind": "事件",
        "minor": "暴露垃圾",
        "unit": UNIT,
        "district": "芗城区",
        "street": "西桥街道",
        "reported_at": "2021-11-10 08:00:00",
        "filed_at": "2021-11-10 08:10:00",
        "dispatched_at": "2021-11-10 08:20:00",
        "deadline_at": "2021-11-12 17:30:00",
    }
    return base | fields


@pytest.fixture
def month(db):
    insert_cases(
        db,
        [
            case("C01", disposed_at="2021-11-11 10:00:00", closed_at="2021-11-11 15:00:00"),  # on time
            case("C02", disposed_at="2021-11-15 10:00:00", closed_at="2021-11-16 09:00:00"),  # late
            case("C03", disposed_at="2021-11-29 10:00:00", closed_at="2021-12-02 09:00:00",
                 filed_at="2021-11-28 09:00:00", deadline_at="2021-11-30 17:30:00", rework_count=2),
            case("C04", deadline_at="2021-11-20 17:30:00"),  # open, overdue
            case("C05", deadline_at="2021-12-20 17:30:00", stage="缓办"),  # open, not yet due, deferred
            case("C06", disposed_at="2021-12-03 10:00:00", closed_at="2021-12-04 10:00:00",
                 filed_at="2021-11-29 09:00:00", deadline_at="2021-12-06 17:30:00"),  # done after the month
            case("X01", cancelled=1, disposed_at="2021-11-11 10:00:00"),  # 作废: never counts
            case("R01", reported_at="2021-10-31 23:00:00", filed_at="2021-11-01 08:00:00", unit="未登记单位",
                 kind="部件", minor="行道树", disposed_at="2021-11-02 08:00:00", closed_at="2021-11-02 09:00:00"),
            case("R02", reported_at="2021-11-30 22:00:00", filed_at="2021-12-01 08:00:00"),  # accepted only
            case("S01", channel="停车位普查", source="专项普查", filed_at=None, dispatched_at=None, unit=None,
                 deadline_at=None),  # accepted, never filed
        ],
    )  # fmt: skip
    return db


def test_default_definitions_reproduce_the_seed_rules(month):
    c = counts_for_units(month, NOV, None)
    assert (c.filed, c.need_dispose, c.disposed, c.disposed_on_time) == (7, 7, 5, 4)
    assert (c.due_to_close, c.closed, c.closed_on_time, c.rework, c.rework_base) == (7, 5, 4, 1, 5)
    assert c.disposed_late == 1
    assert c.disposal_rate == Decimal("71.43") and c.closure_rate == Decimal("71.43")
    assert c.on_time_closure_rate == Decimal("57.14") and c.rework_rate == Decimal("20.00")


def test_accepted_by_reported_time_filed_by_filed_time(month):
    assert case_numbers(month, NOV, "accepted") == ["C01", "C02", "C03", "C04", "C05", "C06", "R02", "S01"]
    assert "R01" in case_numbers(month, NOV, "filed") and "R02" not in case_numbers(month, NOV, "filed")
    assert case_numbers(month, parse_month("2021-10"), "accepted") == ["R01"]


def test_cancelled_cases_never_count(month):
    for figure in ("accepted", "filed", "disposed", "disposed_on_time", "closed"):
        assert "X01" not in case_numbers(month, NOV, figure)


def test_due_to_close_alternative_is_disposed_plus_overdue_open(month):
    defs = Definitions(due_to_close="disposed_plus_overdue_open")
    c = counts_for_units(month, NOV, None, defs)
    assert c.due_to_close == 6  # 5 disposed + C04 (deadline 11-20 passed at the as-of 11-30 23:59:59)
    assert case_numbers(month, NOV, "due_to_close", defs=defs) == ["C01", "C02", "C03", "C04", "C06", "R01"]
    assert c.closure_rate == Decimal("83.33")


def test_rework_rate_base_alternative(month):
    c = counts_for_units(month, NOV, None, Definitions(rework_rate_base="due_to_close"))
    assert c.rework_base == 7 and c.rework_rate == Decimal("14.29")


def test_exclude_deferred_takes_them_out_of_due_to_close(month):
    c = counts_for_units(month, NOV, None, Definitions(exclude_deferred=True))
    assert c.due_to_close == 6 and "C05" not in case_numbers(
        month, NOV, "due_to_close", defs=Definitions(exclude_deferred=True)
    )


def test_cutoff_period_end_counts_disposal_and_closure_only_inside_the_month(month):
    defs = Definitions(cutoff="period_end")
    c = counts_for_units(month, NOV, None, defs)
    assert (c.disposed, c.closed) == (4, 3)  # C06 disposed in December; C03 and C06 closed in December
    assert case_numbers(month, NOV, "closed", defs=defs) == ["C01", "C02", "R01"]


def test_zero_denominator_gives_none_not_zero(db):
    c = counts_for_units(db, NOV, None)
    assert c.filed == 0 and c.disposal_rate is None and c.closure_rate is None and c.rework_rate is None


def test_no_deadline_counts_as_on_time(db):
    insert_cases(db, [case("D1", deadline_at=None, disposed_at="2021-12-30 10:00:00", closed_at="2021-12-30 11:00:00")])
    c = counts_for_units(db, NOV, None)
    assert (c.disposed_on_time, c.closed_on_time) == (1, 1)
    warning = stats_document(db, NOV)["warnings"][0]
    assert warning["code"] == "no_deadline" and warning["count"] == 1 and "视为按期" in warning["text"]
    assert warning_cases(db, NOV, warning) == ["D1"]


def test_per_unit_counts_and_unit_union(month):
    by_unit = counts_by_unit(month, NOV)
    assert set(by_unit) == {UNIT, "未登记单位"}
    assert by_unit["未登记单位"].filed == 1 and by_unit[UNIT].filed == 6
    assert counts_for_units(month, NOV, [UNIT, "未登记单位"]) == counts_for_units(month, NOV, None)


def test_case_numbers_with_subunits_kind_and_minor(month):
    # 芗城区城市管理局 is under 芗城区政府 in the demo registry
    assert case_numbers(month, NOV, "filed", unit="芗城区政府") == []
    assert len(case_numbers(month, NOV, "filed", unit="芗城区政府", with_subunits=True)) == 6
    assert case_numbers(month, NOV, "filed", kind="部件") == ["R01"]
    assert case_numbers(month, NOV, "filed", minor="行道树") == ["R01"]
    assert case_numbers(month, NOV, "disposed_late") == ["C02"]
    assert case_numbers(month, NOV, "rework") == ["C03"]
    assert case_numbers(month, NOV, "overdue_open") == ["C04"]
    assert case_numbers(month, NOV, "overdue_open", as_of="2021-11-15 09:00:00") == ["C02"]  # C04 due 11-20


def test_stats_document_keys_orders_and_units(month):
    doc = stats_document(month, NOV)
    assert list(doc)[:21] == [
        "period", "as_of", "accepted", "filed", "need_dispose", "disposed", "disposed_on_time", "due_to_close",
        "closed", "closed_on_time", "rework", "disposal_rate", "on_time_disposal_rate", "closure_rate",
        "on_time_closure_rate", "rework_rate", "kinds", "units", "districts", "definitions", "disposed_late",
    ]  # fmt: skip
    assert doc["as_of"] == "2021-11-30T23:59:59"
    assert doc["definitions"]["as_of"] == doc["as_of"] and doc["definitions"]["cutoff"] == "none"
    assert [s["name"] for s in doc["accepted"]["sources"]] == ["信息采集", "专项普查"]
    assert doc["accepted"]["total"] == 8
    assert [(u["unit"], u["category"]) for u in doc["units"]] == [(UNIT, "B"), ("未登记单位", None)]
    unit = doc["units"][0]
    assert list(unit)[:13] == [
        "unit", "category", "need_dispose", "disposed", "disposed_on_time", "due_to_close", "closed",
        "closed_on_time", "rework", "disposal_rate", "on_time_disposal_rate", "closure_rate", "on_time_closure_rate",
    ]  # fmt: skip
    assert unit["on_time_closure_rate"] == "50.00" and unit["closure_rate"] == "66.67"
    assert [k["name"] for k in doc["kinds"]] == ["部件", "事件"]
    assert doc["kinds"][0]["share"] == "14.29" and doc["kinds"][1]["share"] == "85.71"
    assert doc["districts"][0] == doc["districts"][0] | {"name": "芗城区", "filed": 7, "closed": 5}
    assert doc["streets"][0]["name"] == "西桥街道"


def test_top_categories_by_count_then_code_point_name(db):
    rows = [case(f"K{i}", minor=m) for i, m in enumerate(["乙", "甲", "甲", "丙", "乙", "丁"])]
    insert_cases(db, rows)
    top = stats_document(db, NOV)["kinds"][1]["top"]
    assert top == [
        {"name": "乙", "count": 2},
        {"name": "甲", "count": 2},
        {"name": "丁", "count": 1},
        {"name": "丙", "count": 1},
    ]  # 乙 U+4E59 < 甲 U+7532; 丁 U+4E01 < 丙 U+4E19


def test_sources_fixed_order_then_others_by_count(db):
    rows = [case("P1", source="公众举报", channel="12319城管服务热线")]
    rows += [case(f"O{i}", source="其他来源", channel="市长信箱") for i in range(2)]
    rows += [case("G1")]
    rows += [case(f"Z{i}", source="另一来源", channel="app") for i in range(3)]
    insert_cases(db, rows)
    names = [s["name"] for s in stats_document(db, NOV)["accepted"]["sources"]]
    assert names == ["信息采集", "公众举报", "另一来源", "其他来源"]


def test_source_from_channel_table_when_export_has_none(db):
    insert_cases(db, [case("H1", source=None, channel="110指挥中心转办")])
    assert stats_document(db, NOV)["accepted"]["sources"][0]["name"] == "公众举报"


def test_definitions_are_stored_and_validated(db):
    assert load_definitions(db) == Definitions()
    save_definitions(db, Definitions(due_to_close="disposed_plus_overdue_open", cutoff="period_end"))
    assert load_definitions(db).cutoff == "period_end"
    assert stats_document(db, NOV)["definitions"]["due_to_close"] == "disposed_plus_overdue_open"
    with pytest.raises(DefinitionsError):
        Definitions(cutoff="sometimes")


def test_as_of_defaults_to_now_when_the_period_is_not_over(db):
    today = datetime.now()
    doc = stats_document(db, parse_month(f"{today.year}-{today.month:02d}"))
    assert doc["as_of"] <= today.strftime("%Y-%m-%dT%H:%M:%S")
    assert stats_document(db, NOV, as_of="2021-11-20")["as_of"] == "2021-11-20T00:00:00"


def test_trend_lists_twelve_months_oldest_first(month):
    rows = trend(month, NOV)
    assert len(rows) == 12 and rows[0]["period"] == "2020-12" and rows[-1]["period"] == "2021-11"
    assert rows[-1]["filed"] == 7 and rows[-1]["accepted"] == 8 and rows[-2]["accepted"] == 1
    assert rows[-1]["closure_rate"] == "71.43" and rows[0]["closure_rate"] is None


def test_cases_under_an_alias_entered_after_import_count_for_the_unit(db):
    """`units list` tells the user to place an unknown unit with `units set`; an alias must not lose cases."""
    nov = NOV
    closed = {"disposed_at": "2021-11-11 09:00:00", "closed_at": "2021-11-11 10:00:00"}
    insert_cases(
        db,
        [
            case("A1", unit="蓝田开发区管委会", **closed),
            case("A2", unit="蓝田管委会"),  # the export's other spelling, not yet known
        ],
    )
    registry.set_unit(db, "蓝田开发区管委会", alias="蓝田管委会")

    assert counts_by_unit(db, nov)["蓝田开发区管委会"].filed == 2
    assert "蓝田管委会" not in counts_by_unit(db, nov)
    assert counts_for_units(db, nov, ["蓝田开发区管委会"]).filed == 2
    assert case_numbers(db, nov, "filed", unit="蓝田开发区管委会") == ["A1", "A2"]
    assert case_numbers(db, nov, "filed", unit="蓝田管委会") == ["A1", "A2"]
    assert "A2" in case_numbers(db, nov, "filed", unit="龙文区政府", with_subunits=True)

    doc = stats_document(db, nov)
    assert [(u["unit"], u["category"], u["need_dispose"]) for u in doc["units"]] == [("蓝田开发区管委会", "B", 2)]

    scores = {u["unit"]: u for u in compute_scores(db, nov)["units"]}
    lantian = scores["蓝田开发区管委会"]
    assert lantian["indicators"]["filed"] == 2 and lantian["indicators"]["disposed"] == 1
    closure = next(line for line in lantian["lines"] if line.get("id") == "closure_rate")
    assert closure["points"] == "-10.00" and closure["cases"] == ["A2"]  # 结案率 50.00%: 50 points short × 0.20
    assert scores["龙文区政府"]["indicators"]["filed"] == 2  # 含区属单位: the subtree takes the alias's case too


def test_an_alias_that_is_a_registry_name_does_not_move_that_units_cases(db):
    """The registry refuses such an alias; one written into the table by hand still leaves a registered name alone."""
    nov = parse_month("2021-11")
    insert_cases(
        db,
        [
            {"case_no": "J1", "unit": "市交警支队", "filed_at": "2021-11-10 08:10:00", "kind": "事件"},
            {"case_no": "G1", "unit": "市公安局", "filed_at": "2021-11-10 08:10:00", "kind": "事件"},
        ],
    )
    with pytest.raises(registry.RegistryError):
        registry.set_unit(db, "市公安局", alias="市交警支队")
    db.execute("INSERT INTO unit_aliases(alias, unit) VALUES ('市交警支队', '市公安局')")
    by_unit = counts_by_unit(db, nov)
    assert by_unit["市交警支队"].filed == 1 and by_unit["市公安局"].filed == 1
    assert case_numbers(db, nov, "filed", unit="市公安局") == ["G1"]
    assert case_numbers(db, nov, "filed", unit="市交警支队") == ["J1"]
