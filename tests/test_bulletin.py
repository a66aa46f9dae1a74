"""The bulletin's structure, wording and data-drawn remarks (domain.md §7) on hand-built cases."""

from __future__ import annotations

import json
from datetime import date

import pytest

from exporters.bulletin import period_words, render_bulletin, render_stats_text
from models.adjustments import add_adjustment, adjustment_months, reverse_adjustment
from models.bulletin_settings import set_setting_values
from models.periods import parse_label, parse_month
from models.quality import NoDataError
from models.scoring import compute_scores
from models.stats import stats_document
from tests.conftest import SEED_ADJUSTMENT, insert_cases

NOV = parse_month("2021-11")


def case(no: str, unit: str, *, on_time: bool = True, closed: bool = True, **fields) -> dict:
    base = {
        "case_no": no,
        "source": "公众举报",
        "channel": "12319城管服务热线",
        "kind": "部件",
        "minor": "行道树",
        "unit": unit,
        "reported_at": "2021-11-03 08:00:00",
        "filed_at": "2021-11-03 08:10:00",
        "dispatched_at": "2021-11-03 08:20:00",
        "deadline_at": "2021-11-05 17:30:00",
        "disposed_at": "2021-11-04 10:00:00" if on_time else "2021-11-08 10:00:00",
        "closed_at": ("2021-11-09 10:00:00" if closed else None),
    }
    return base | fields


def build(db) -> None:
    insert_cases(
        db,
        [
            case("B1", "西桥街道办事处"),
            case("B2", "西桥街道办事处", on_time=False),
            case("B3", "巷口街道办事处", on_time=False),
            case("B4", "巷口街道办事处"),
            case("B5", "市环境卫生中心", closed=False, kind="事件", minor="暴露垃圾"),
            case("B6", "市环境卫生中心", kind="事件", minor="暴露垃圾", channel="网格巡查采集", source="信息采集"),
        ],
    )


def test_bulletin_structure_and_figures(db):
    build(db)
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    order = ["漳州市数字化城市管理绩效评价通报", "2021年第11期", "一、运行数据分析", "（一）案件受理。"]
    order += ["（二）案件处置。", "（三）高发分析。", "二、评价结果点评", "（一）好的方面。", "（二）差的方面。"]
    order += ["漳州市城市管理委员会办公室", "2021年12月13日", "附件", "2021年11月处置单位绩效评价得分"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    assert "2021年11月漳州智慧城管平台受理案件6件，其中信息采集1件、公众举报5件。" in text
    assert "二是公众举报板块共5件，其中12319城管服务热线投诉举报5件" in text
    assert "平台立案6件，处置6件，应结案6件，结案5件，处置率100.00%，结案率83.33%。" in text
    assert "部件类案件总数4件，占立案数66.67%，主要集中在行道树等方面；事件类案件总数2件，占立案数33.33%" in text


def test_lowest_on_time_closure_units_are_all_named_on_a_tie(db):
    build(db)
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    low = "市环境卫生中心、西桥街道办事处、巷口街道办事处"  # all at 50.00 %, in registry order
    assert f"一是个别单位处置效率较低，{low}按期结案率50.00%。" in text


def test_deductions_with_case_numbers_and_reversals_left_out(db):
    build(db)
    add_adjustment(db, **SEED_ADJUSTMENT)
    wrong = add_adjustment(db, month="2021-11", unit="西桥街道办事处", points="-1", reason="录错了")
    reverse_adjustment(db, wrong.id, reason="更正")
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert (
        "二是蓝田开发区管委会办理案件号202110310540、202111160744，存在职责范围内不接受案件派遣现象，"
        "根据处置单位绩效评价细则（附件2-1）规定，扣2分。"
    ) in text
    assert "录错了" not in text


def test_a_reason_entered_as_the_whole_phrase_is_not_worded_twice(db):
    """Entries made while the bulletin printed reasons as entered hold 存在…现象 already; the ledger keeps them."""
    build(db)
    add_adjustment(db, **(SEED_ADJUSTMENT | {"reason": "存在职责范围内不接受案件派遣现象", "rule_ref": None}))
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert "，存在职责范围内不接受案件派遣现象，扣2分。" in text


def test_names_and_doc_number_come_from_settings(db):
    build(db)
    set_setting_values(
        db,
        {
            "bulletin.city": "厦门",
            "bulletin.platform": "数字城管平台",
            "bulletin.issuer": "厦门市市政园林局",
            "bulletin.doc_no": "厦市政〔{year}〕{month}号（{period}）",
        },
    )
    lines = render_bulletin(db, NOV, issued=date(2021, 12, 13)).splitlines()
    assert lines[:2] == ["厦门市数字化城市管理绩效评价通报", "厦市政〔2021〕11号（2021年11月）"]
    assert lines[4].startswith("2021年11月厦门数字城管平台受理案件")
    assert "厦门市市政园林局\n2021年12月13日" in "\n".join(lines)


def test_an_office_setting_of_an_earlier_release_is_read_under_its_new_name(db):
    build(db)
    legacy = {"city": "厦门", "office_name": "厦门市城管办", "channel_labels": {"12319城管服务热线": "12319热线"}}
    row = json.dumps({"settings_version": 1, "value": legacy}, ensure_ascii=False)  # as the release before wrote it
    db.execute("INSERT INTO settings(key, value) VALUES ('bulletin', ?)", (row,))
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert "厦门市城管办\n2021年12月13日" in text and "其中12319热线5件" in text
    set_setting_values(db, {"bulletin.platform": "数字城管平台"})  # saving keeps the old row's values
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert "厦门数字城管平台" in text and "厦门市城管办\n2021年12月13日" in text and "其中12319热线5件" in text


def test_a_month_without_filed_cases_shows_dashes_not_zero_rates(db):
    insert_cases(db, [{"case_no": "A1", "unit": "西桥街道办事处", "reported_at": "2021-11-03 08:00:00"}])
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert "处置率—、结案率—，本期无应结案案件。" in text and "（二）差的方面。本期未发现突出问题。" in text
    stats = render_stats_text(stats_document(db, NOV))
    assert "结案率 —" in stats


def test_a_month_of_filed_cases_reported_earlier_says_none_was_accepted(db):
    insert_cases(db, [case("B1", "西桥街道办事处") | {"reported_at": "2021-10-31 08:00:00"}])
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    assert "2021年11月漳州智慧城管平台未受理案件。\n（一）案件受理。本期无受理案件。" in text


def test_a_month_without_any_case_is_refused_not_reported_as_zeros(db):
    with pytest.raises(NoDataError, match="^2021年11月没有任何案件数据（无受理、无立案记录），不能生成通报"):
        render_bulletin(db, NOV, issued=date(2021, 12, 13))
    doc = stats_document(db, NOV)
    assert [w["code"] for w in doc["warnings"]] == ["no_data"]
    assert "结案率 —" in render_stats_text(doc) and "没有任何案件数据" in render_stats_text(doc)


def test_period_words():
    assert period_words(parse_label("2021-Q4")) == "2021年第四季度"
    assert period_words(parse_label("2021")) == "2021年"
    assert period_words(parse_label("2021-11-01..2021-11-15")) == "2021年11月1日至2021年11月15日"


def test_bulletin_remarks_name_only_the_adjustments_its_score_table_counts(db):
    """A custom range that cuts November in part takes no November adjustment in the score table; the
    bulletin's (二)差的方面 must not announce a deduction the table below it does not apply."""
    insert_cases(
        db,
        [
            {
                "case_no": "202111160744",
                "kind": "事件",
                "minor": "暴露垃圾",
                "unit": "蓝田开发区管委会",
                "reported_at": "2021-11-16 07:44:00",
                "filed_at": "2021-11-16 08:00:00",
                "dispatched_at": "2021-11-16 08:10:00",
                "deadline_at": "2021-11-18 17:30:00",
                "disposed_at": "2021-11-17 09:00:00",
                "closed_at": "2021-11-17 10:00:00",
            }
        ],
    )
    add_adjustment(
        db,
        month="2021-11",
        unit="蓝田开发区管委会",
        points="-2",
        reason="职责范围内不接受案件派遣",
        cases=["202111160744"],
    )
    part = parse_label("2021-11-05..2021-11-30")
    assert adjustment_months(part) == []
    assert adjustment_months(parse_label("2021-Q4")) == ["2021-10", "2021-11", "2021-12"]
    lantian = next(u for u in compute_scores(db, part)["units"] if u["unit"] == "蓝田开发区管委会")
    assert lantian["score"] == "100.00"
    text = render_bulletin(db, part, issued=date(2021, 12, 13))
    assert "职责范围内不接受案件派遣" not in text and "扣2分" not in text

    whole = render_bulletin(db, parse_month("2021-11"), issued=date(2021, 12, 13))
    assert "蓝田开发区管委会办理案件号202111160744，存在职责范围内不接受案件派遣现象，扣2分。" in whole


def test_units_with_cases_outside_the_registry_are_named_with_the_annex_not_in_the_body(db):
    build(db)
    insert_cases(db, [case("X1", "新成立的街道办事处")])
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    body, annex = text.split("\n附件\n")
    assert "未登记单位未参加评价：新成立的街道办事处（立案1件）" in annex and "未登记单位" not in body


def test_the_score_table_names_the_rule_set_in_words_and_ranks_only_units_that_worked(db):
    build(db)
    text = render_bulletin(db, NOV, issued=date(2021, 12, 13))
    body, table = text.split("处置单位绩效评价得分\n", 1)
    assert table.startswith("评分规则：内置示例规则（扣分制）（版本 1）\n（按内置示例规则计算，非本市考核细则）\n")
    assert "内置示例规则" not in body  # the note goes with the score table, never inside the body text
    assert "default" not in text and "None" not in text
    assert "  —\t市民政局\t100.0分（无案件）" in table  # unranked, after the ranked units of A
    ranked = [line for line in table.splitlines() if line.startswith("  ") and not line.startswith("  —")]
    assert ranked and all(line.split("\t")[0].strip().isdigit() for line in ranked)
