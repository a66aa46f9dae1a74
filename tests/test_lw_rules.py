"""两违 rules as data: settings with stored overrides, approval words, regions and towns, export rows, and the
light rule shared with city cases (domain.md §5, §8)."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal

import pytest

from models.lights import judge_light, used_share
from models.lw_cases import LW_CASE_FIELDS, LW_EXTENSION_FIELDS, LW_FIELD_LABELS, case_from_row, cases_from_rows
from models.lw_settings import (
    STORED,
    LwSettings,
    LwSettingsError,
    LwValueError,
    load_lw_settings,
    lw_settings_from_db,
)
from models.regions import BLANK, load_region_table
from models.store import RESOURCES

SETTINGS = load_lw_settings()


# ---------------------------------------------------------------- settings


def test_the_shipped_rules_are_the_seed_figures():
    assert SETTINGS.limits == {"核查": 5, "处置": 15, "审核": 5}
    assert (SETTINGS.yellow_from, SETTINGS.serious_over, SETTINGS.county_max_days) == (Decimal("0.8"), Decimal(2), 30)
    assert SETTINGS.definitions() == {
        "rules_version": "1",
        "limits": {"核查": "5工作日", "处置": "15工作日", "审核": "5工作日"},
        "yellow_from": "80.00",
        "serious_over": "200.00",
        "extension_unit": "自然日",
        "county_max_days": 30,
    }


def test_a_stored_override_wins_key_by_key(db):
    STORED.write(db, {"limits": {"处置": 10}, "lights": {"serious_over": "3"}})
    edited = lw_settings_from_db(db)
    assert edited.limits == {"核查": 5, "处置": 10, "审核": 5}
    assert edited.serious_over == Decimal(3) and edited.yellow_from == Decimal("0.8")
    assert "县两违治理办" in edited.county_words  # untouched keys keep the shipped values


def test_an_empty_store_uses_the_shipped_rules(db):
    assert lw_settings_from_db(db) == SETTINGS


@pytest.mark.parametrize(
    "override, word",
    [
        ({"limits": {"核查": 0}}, "核查"),
        ({"limits": {"处置": "15"}}, "处置"),
        ({"lights": {"yellow_from": "1.5"}}, "黄灯"),
        ({"lights": {"serious_over": "0.5"}}, "严重"),
        ({"lights": {"yellow_from": "八成"}}, "数字"),
        ({"words": {"city": ["县级"]}}, "县级"),
    ],
)
def test_unusable_settings_are_refused_with_a_message(override, word):
    with pytest.raises(LwSettingsError, match=word):
        load_lw_settings(override)


def test_approval_level_words_and_their_aliases():
    assert [SETTINGS.level(w) for w in ("县级", "县两违治理办", " 县（区）两违治理办 ", "市级", "市两违治理办")] == [
        "县级",
        "县级",
        "县级",
        "市级",
        "市级",
    ]
    assert SETTINGS.level("") is None and SETTINGS.level(None) is None
    with pytest.raises(LwValueError, match="省级"):
        SETTINGS.level("省级")


def test_result_words_blank_is_pending_and_not_agreed_is_not_agreed():
    words = ("同意", "不同意", "驳回", "  ", None)
    assert [SETTINGS.result(w) for w in words] == ["同意", "不同意", "不同意", None, None]
    with pytest.raises(LwValueError, match="待定"):
        SETTINGS.result("待定")


def test_department_names_merge_their_long_forms_only():
    assert [SETTINGS.department(w) for w in ("城管局", "自然资源局", "农业农村", "住建局", "")] == [
        "城管",
        "自然资源",
        "农业农村",
        "住建局",
        None,
    ]


def test_the_resource_file_and_the_dataclass_defaults_agree():
    assert LwSettings().limits == SETTINGS.limits
    assert LwSettings().departments == SETTINGS.departments


# ---------------------------------------------------------------- regions and towns


def test_counties_follow_the_seed_order_and_merge_aliases():
    regions = load_region_table()
    assert regions.counties == [
        "芗城区",
        "龙文区",
        "龙海区",
        "长泰区",
        "漳浦县",
        "云霄县",
        "诏安县",
        "东山县",
        "南靖县",
        "平和县",
        "华安县",
        "漳州台商投资区",
        "漳州高新区",
        "古雷开发区",
        "漳州开发区",
    ]
    words = ["高新区", "台商区", "龙海市", "长泰县", "古雷港经济开发区", "芗城区", " 龙文 ", "厦门市", "", None]
    assert [regions.county(w) for w in words] == [
        "漳州高新区",
        "漳州台商投资区",
        "龙海区",
        "长泰区",
        "古雷开发区",
        "芗城区",
        "龙文区",
        "厦门市",
        None,
        None,
    ]


def test_towns_resolve_by_name_alias_or_unique_beginning_within_their_county():
    regions = load_region_table()
    assert regions.town("芗城区", "东铺头街道") == "东铺头街道"
    assert regions.town("芗城区", "石亭镇") == "石亭街道"
    assert regions.town("高新区", "九湖") == "九湖镇"
    assert regions.town("龙文区", "朝阳镇") == "朝阳街道"
    assert regions.town("龙文区", "九湖镇") == "九湖镇"  # not 龙文区's: kept as given
    assert regions.town("芗城区", "东") == "东"  # one character is too short to guess from
    assert regions.town("芗城区", "") is None


def test_the_towns_table_holds_the_real_towns_of_the_city_districts():
    regions = load_region_table()
    towns = {c: [t.town for t in regions.towns if t.county == c] for c in ("芗城区", "龙文区", "漳州高新区")}
    streets = ["东铺头街道", "西桥街道", "新桥街道", "巷口街道", "南坑街道", "通北街道", "芝山街道", "石亭街道"]
    assert towns["芗城区"] == [*streets, "浦南镇", "天宝镇", "芗城区奶牛场", "天宝林场"]
    assert towns["龙文区"] == ["步文街道", "碧湖街道", "蓝田街道", "朝阳街道", "景山街道", "郭坑镇", "蓝田开发区管委会"]
    assert towns["漳州高新区"] == ["九湖镇", "颜厝镇"]
    assert len({(t.county, t.town) for t in regions.towns}) == len(regions.towns)
    assert all(t.county in regions.counties for t in regions.towns)
    assert len({t.town for t in regions.towns if t.county != "漳州开发区"}) == len(regions.towns) - 1


def test_sort_keys_put_unknown_after_known_by_name_and_blank_last():
    regions = load_region_table()
    pairs = [("厦门市", "x"), (BLANK, BLANK), ("芗城区", "新华街道"), ("芗城区", "西桥街道"), ("芗城区", "东铺头街道")]
    pairs += [("芗城区", BLANK), ("芗城区", "三桥街道"), ("漳州高新区", "颜厝镇"), ("龙文区", "景山街道")]
    assert sorted(pairs, key=lambda p: regions.town_key(*p)) == [
        ("芗城区", "东铺头街道"),
        ("芗城区", "西桥街道"),
        ("芗城区", "三桥街道"),
        ("芗城区", "新华街道"),
        ("芗城区", BLANK),
        ("龙文区", "景山街道"),
        ("漳州高新区", "颜厝镇"),
        ("厦门市", "x"),
        (BLANK, BLANK),
    ]


# ---------------------------------------------------------------- export rows


def test_the_header_alias_file_names_only_canonical_fields_and_every_field_has_a_label():
    aliases = tomllib.loads((RESOURCES / "lw_header_aliases.toml").read_text("utf-8"))["fields"]
    assert set(aliases) == set(LW_CASE_FIELDS) | set(LW_EXTENSION_FIELDS)
    assert set(LW_FIELD_LABELS) == set(aliases)
    words = [w for spec in aliases.values() for w in spec["aliases"]]
    assert len(words) == len(set(words)), "a header text may stand for one field only"
    assert [f for f, spec in aliases.items() if spec.get("required")] == ["case_no", "received_at"]
    for field, header in (("town", "乡（镇、街、场）"), ("extension_level", "审批层级"), ("closed_at", "结案时间")):
        assert header in aliases[field]["aliases"]


def test_rows_parse_dates_days_and_words():
    case = case_from_row({"case_no": " LW1 ", "received_at": "2021-12-04 10:00:00", "verified_at": date(2021, 12, 6)})
    assert case.case_no == "LW1" and case.received_at.hour == 10 and case.verified_at == date(2021, 12, 6)
    rows = [(3, {"case_no": "LW1", "extension_days": 20.0, "extension_level": "市级", "extension_result": "同意"})]
    rows += [(2, {"case_no": "LW1", "town": "old"}), (4, {"case_no": "LW1", "town": "new", "extension_days": "5日"})]
    cases, requests = cases_from_rows(rows, SETTINGS)
    assert [c.town for c in cases] == ["new"]
    assert [(r.position, r.days, r.level, r.result) for r in requests] == [(2, 20, "市级", "同意"), (3, 5, None, None)]


@pytest.mark.parametrize("days", ["二十", "2.5", "-3", True])
def test_extension_days_must_be_whole_numbers(days):
    with pytest.raises(LwValueError, match="延期天数"):
        cases_from_rows([(2, {"case_no": "LW1", "extension_days": days})], SETTINGS)


def test_a_row_without_a_case_number_is_refused():
    with pytest.raises(LwValueError, match="案件编号"):
        case_from_row({"case_no": "  "})


# ---------------------------------------------------------------- the shared light rule


@pytest.mark.parametrize(
    "share, past, light, serious",
    [
        ("0.7999", False, "green", False),
        ("0.8", False, "yellow", False),
        ("1", False, "yellow", False),
        ("1.0001", True, "red", False),
        ("2", True, "red", False),
        ("2.0001", True, "red", True),
        (None, True, "red", True),  # late by an unmeasurable amount
        (None, False, "green", False),
    ],
)
def test_judge_light(share, past, light, serious):
    assert judge_light(None if share is None else Decimal(share), past) == (light, serious)


def test_judge_light_takes_the_thresholds_it_is_given():
    assert judge_light(Decimal("0.6"), False, yellow_from=Decimal("0.5")) == ("yellow", False)
    assert judge_light(Decimal("1.6"), True, serious_over=Decimal("1.5")) == ("red", True)


def test_used_share_rounds_half_up_to_four_places_and_needs_a_limit():
    assert used_share(1, 3) == Decimal("0.3333")
    assert used_share(2, 3) == Decimal("0.6667")
    assert used_share(5, 0) is None


# ---------------------------------------------------------------- editing the rules (设置 → 两违规则)


def test_an_edit_of_the_rules_is_validated_stored_and_versioned(db):
    from models.lw_settings import save_lw_rules

    edit = {"limits": {"核查": 3, "处置": 10, "审核": 5}, "yellow_from": Decimal("0.75"), "serious_over": Decimal(3)}
    saved = save_lw_rules(db, **edit, county_max_days=20, today="2022-01-05")
    assert saved == lw_settings_from_db(db)
    assert saved.definitions() == {
        "rules_version": "1（本机修改 2022-01-05）",
        "limits": {"核查": "3工作日", "处置": "10工作日", "审核": "5工作日"},
        "yellow_from": "75.00",
        "serious_over": "300.00",
        "extension_unit": "自然日",
        "county_max_days": 20,
    }
    assert "县两违治理办" in saved.county_words  # the approval words are not part of the edit
    with pytest.raises(LwSettingsError, match="核查"):
        save_lw_rules(db, **edit | {"limits": {"核查": 0, "处置": 10, "审核": 5}}, county_max_days=20, today="x")
    with pytest.raises(LwSettingsError, match="黄灯"):
        save_lw_rules(db, **edit | {"yellow_from": Decimal("1.2")}, county_max_days=20, today="x")
    assert lw_settings_from_db(db) == saved  # a refused edit stores nothing
    back = save_lw_rules(
        db, limits=dict(SETTINGS.limits), yellow_from=Decimal("0.80"), serious_over=Decimal("2.0"), county_max_days=30,
        today="2022-01-06",
    )  # fmt: skip
    assert back.definitions() == SETTINGS.definitions()  # the shipped values again: the shipped version again
