"""Scores and their explanation lines on hand-built cases (domain.md §6, cli.md scores --json)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import main
from exporters.score_text import render_scores_text
from models import registry
from models.adjustments import add_adjustment, reverse_adjustment
from models.periods import parse_label, parse_month
from models.scoring import ScoringError, compute_scores, explain_unit, lines_total, score_document
from tests.conftest import add_seed_adjustment, insert_cases

NOV = parse_month("2021-11")


def case(
    no, unit, *, filed="2021-11-05 09:00:00", deadline="2021-11-10 17:30:00", disposed=None, closed=None, rework=0
):
    return dict(
        case_no=no,
        unit=unit,
        reported_at=filed,
        filed_at=filed,
        dispatched_at=filed,
        deadline_at=deadline,
        disposed_at=disposed,
        closed_at=closed,
        rework_count=rework,
        kind="事件",
        minor="道路不洁",
    )


def on_time(no, unit, **kw):
    return case(no, unit, disposed="2021-11-06 10:00:00", closed="2021-11-07 10:00:00", **kw)


def late(no, unit, **kw):
    return case(no, unit, disposed="2021-11-12 10:00:00", closed="2021-11-13 10:00:00", **kw)


@pytest.fixture
def scored_db(db):
    """芗城区城市管理局: one on time, one late with rework, one open; 市环境卫生中心 one on time; one unplaced."""
    insert_cases(
        db,
        [
            on_time("202111050001", "芗城区城市管理局"),
            late("202111050002", "芗城区城市管理局", rework=1),
            case("202111050003", "芗城区城市管理局"),
            on_time("202111050004", "市环境卫生中心"),
            case("202111050005", "未登记单位甲"),
        ],
    )
    return db


def entry(doc, unit):
    return next(e for e in doc["units"] if e["unit"] == unit)


def test_default_lines_use_published_rates_and_add_up(scored_db):
    doc = score_document(scored_db, NOV)
    assert doc["period"] == "2021-11"
    assert doc["rule_set"]["name"] == "default" and doc["rule_set"]["version"] == "1"
    e = entry(doc, "芗城区城市管理局")
    assert e["category"] == "B" and e["no_cases"] is False
    assert [(line["rule"], line["points"]) for line in e["lines"]] == [
        ("基础分", "100.00"),
        ("按期结案率", "-20.00"),  # (100 − 33.33) × 0.30 = 20.001
        ("结案率", "-6.67"),  # (100 − 66.67) × 0.20 = 6.666
        ("返工案件", "-0.20"),
    ]
    assert e["lines"][1]["detail"] == "按期结案率 33.33%，低于100%共66.67个百分点 × 0.30"
    assert e["lines"][1]["cases"] == ["202111050002", "202111050003"]
    assert e["lines"][2]["cases"] == ["202111050003"]
    assert e["lines"][3]["cases"] == ["202111050002"] and e["lines"][3]["detail"] == "返工案件 1 件 × 0.20"
    assert e["score"] == "73.13" and lines_total(e) == Decimal("73.13")
    assert e["indicators"]["on_time_closure_rate"] == "33.33"
    for unit in doc["units"]:
        assert lines_total(unit) == Decimal(unit["score"]), unit["unit"]


def test_all_registry_units_listed_in_category_and_rank_order(scored_db):
    doc = compute_scores(scored_db, NOV)
    assert len(doc["units"]) == 56 == len(registry.list_units(scored_db))
    assert [e["category"] for e in doc["units"]] == sorted(e["category"] for e in doc["units"])
    b = [e for e in doc["units"] if e["category"] == "B"]
    # the two units that worked are ranked; the 29 without a case follow, unranked (domain.md §6)
    assert [e["rank"] for e in b] == [1, 2] + [None] * 29
    assert [e["unit"] for e in b[:2]] == ["市环境卫生中心", "芗城区城市管理局"]
    assert all(e["no_cases"] and e["score"] == "100.00" and e["rank_change"] is None for e in b[2:])
    registry_order = [u.name for u in registry.list_units(scored_db) if u.category == "B"]
    assert [e["unit"] for e in b[2:]] == [n for n in registry_order if n not in ("市环境卫生中心", "芗城区城市管理局")]
    assert doc["unplaced_units"] == [{"unit": "未登记单位甲", "filed": 1}]
    assert "未登记单位甲" not in {e["unit"] for e in doc["units"]}


def test_unit_without_cases_gets_rule_set_treatment(scored_db):
    e = entry(compute_scores(scored_db, NOV), "市民政局")
    assert e["no_cases"] is True and e["score"] == "100.00"
    assert e["lines"] == [
        {
            "rule": "基础分",
            "points": "100.00",
            "detail": "本期无立案案件（无案件），按规则集计 100 分，不参加排名",
            "cases": [],
            "type": "no_cases",
        }
    ]


def test_parent_with_evaluation_scope_is_scored_on_its_subtree(scored_db):
    doc = compute_scores(scored_db, NOV)
    parent = entry(doc, "芗城区政府")  # 含区属单位的区域性评价: includes 芗城区城市管理局
    assert parent["score"] == "73.13" and parent["indicators"]["filed"] == 3
    assert "芗城区城市管理局" in parent["subunits"]
    city = entry(doc, "市城市管理局")  # includes 市环境卫生中心
    assert city["no_cases"] is False and city["indicators"]["filed"] == 1 and city["score"] == "100.00"
    assert entry(doc, "市环境卫生中心")["indicators"]["filed"] == 1  # descendants scored on their own too


def test_seed_adjustment_appears_with_its_cases_and_reversal_removes_it(scored_db):
    add_seed_adjustment(scored_db)
    e = explain_unit(scored_db, NOV, "蓝田开发区管委会")
    assert e["score"] == "98.00" and e["no_cases"] is True
    line = e["lines"][-1]
    assert line["rule"] == "处置单位绩效评价细则（附件2-1）" and line["points"] == "-2.00"
    assert line["cases"] == ["202110310540", "202111160744"] and line["type"] == "adjustment"
    assert "职责范围内不接受案件派遣" in line["detail"]
    # the parent (龙文区政府) takes only its own adjustments by default
    assert explain_unit(scored_db, NOV, "龙文区政府")["score"] == "100.00"
    # other months do not see it
    assert explain_unit(scored_db, parse_month("2021-10"), "蓝田开发区管委会")["score"] == "100.00"
    # a quarter holds its months' adjustments
    assert explain_unit(scored_db, parse_label("2021-Q4"), "蓝田开发区管委会")["score"] == "98.00"
    reverse_adjustment(scored_db, 1, reason="误录")
    assert explain_unit(scored_db, NOV, "蓝田开发区管委会")["score"] == "100.00"


def test_cap_and_floor_are_their_own_lines(scored_db):
    add_adjustment(scored_db, month="2021-11", unit="市民政局", points="5", reason="领导交办案件加分")
    add_adjustment(scored_db, month="2021-11", unit="芗城区城市管理局", points="-80", reason="弄虚作假")
    doc = compute_scores(scored_db, NOV)
    bonus = entry(doc, "市民政局")
    assert [(x["rule"], x["points"]) for x in bonus["lines"]][-2:] == [("人工调整", "5.00"), ("封顶", "-5.00")]
    assert bonus["score"] == "100.00"
    low = entry(doc, "芗城区城市管理局")
    assert low["lines"][-1]["rule"] == "保底" and low["lines"][-1]["points"] == "6.87"
    assert low["score"] == "0.00" and lines_total(low) == 0


def test_rank_change_against_previous_month(db):
    insert_cases(
        db,
        [
            late("202110050001", "漳州移动公司", filed="2021-10-05 09:00:00"),
            on_time("202110050002", "漳州联通公司", filed="2021-10-05 09:00:00"),
            on_time("202111050001", "漳州移动公司"),
            late("202111050002", "漳州联通公司"),
        ],
    )
    doc = compute_scores(db, NOV)
    mobile, unicom = entry(doc, "漳州移动公司"), entry(doc, "漳州联通公司")
    assert (mobile["rank"], unicom["rank"]) == (1, 2)
    assert mobile["rank_change"] == 1 and unicom["rank_change"] == -1
    assert entry(doc, "漳州电信公司")["rank"] is None and entry(doc, "漳州电信公司")["rank_change"] is None
    oct_doc = compute_scores(db, parse_month("2021-10"))
    assert all(e["rank_change"] is None for e in oct_doc["units"])  # September holds no case


def test_gb_composite_gives_a_different_explained_result(scored_db):
    default = compute_scores(scored_db, NOV)
    composite = compute_scores(scored_db, NOV, "gb_composite")
    assert composite["rule_set"]["name"] == "gb_composite"
    e = entry(composite, "芗城区城市管理局")
    assert [(x["rule"], x["points"]) for x in e["lines"]] == [
        ("立案数分值", "10.00"),
        ("结案率分值", "20.00"),  # 66.67 × 30% = 20.001
        ("按期处置率分值", "10.00"),  # 33.33 × 30% = 9.999
        ("返工率分值", "15.00"),  # (100 − 50.00) × 30%
    ]
    assert e["lines"][0]["detail"] == "立案 3 件（0–50件档）→ 分值 100 × 10%"
    assert e["lines"][3]["cases"] == ["202111050002"]
    assert e["score"] == "55.00" != entry(default, "芗城区城市管理局")["score"]
    for unit in composite["units"]:
        assert lines_total(unit) == Decimal(unit["score"])


def test_rule_file_path_and_category_override(scored_db, tmp_path):
    from models.rule_files import BUILTIN_DIR

    text = (BUILTIN_DIR / "default.toml").read_text(encoding="utf-8")
    text = text.replace('name = "default"', 'name = "strict_b"')
    text += '\n[overrides.B.rules.rework]\nper_case = "1.00"\n'
    path = tmp_path / "strict_b.toml"
    path.write_text(text, encoding="utf-8")
    e = entry(compute_scores(scored_db, NOV, str(path)), "芗城区城市管理局")
    assert e["lines"][3]["points"] == "-1.00" and e["score"] == "72.33"
    assert entry(compute_scores(scored_db, NOV, str(path)), "芗城区政府")["lines"][3]["points"] == "-0.20"


def test_score_document_is_stored_with_its_rule_set(scored_db):
    score_document(scored_db, NOV)
    score_document(scored_db, NOV)
    score_document(scored_db, NOV, "gb_composite")
    rows = scored_db.execute(
        "SELECT period, rule_set_name, rule_set_version, result FROM score_results ORDER BY id"
    ).fetchall()
    assert [r[:3] for r in rows] == [("2021-11", "default", "1"), ("2021-11", "gb_composite", "1")]
    assert json.loads(rows[0][3])["units"][0]["unit"] == "市城市管理局"  # A's first ranked unit


def test_explain_unknown_unit_is_a_user_error(scored_db):
    with pytest.raises(ScoringError, match="不在单位名录"):
        explain_unit(scored_db, NOV, "未登记单位甲")


def test_scores_text_and_cli_json(scored_db, tmp_path, capsys):
    text = render_scores_text(compute_scores(scored_db, NOV))
    assert "规则：内置示例规则（扣分制）（版本 1）" in text and "按内置示例规则计算，非本市考核细则" in text
    assert "芗城区城市管理局" in text and "-20.00" in text and "无案件" in text and "未登记单位甲" in text
    assert "default" not in text and "None" not in text
    xc = next(line for line in text.splitlines() if "芗城区城市管理局" in line)
    idle = next(line for line in text.splitlines() if "市民政局" in line)
    assert xc.split()[0] == "2" and idle.split()[0] == "—" and "无案件" in idle
    path = tmp_path / "test.db"  # the db fixture's file
    assert main.main(["--db", str(path), "scores", "--month", "2021-11", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"period", "rule_set", "units"}
    assert set(doc["units"][0]) >= {"category", "unit", "score", "rank", "rank_change", "no_cases", "lines"}
    assert set(doc["units"][0]["lines"][0]) >= {"rule", "points", "detail", "cases"}
    assert main.main(["--db", str(path), "scores", "--month", "2021-11", "--rules", "nope"]) == 2


def test_an_added_category_is_ranked_on_its_own_after_the_others(scored_db):
    registry.set_category(scored_db, "D", "试点单位")
    registry.set_unit(scored_db, "漳州移动公司", category="D")
    doc = compute_scores(scored_db, NOV)
    assert doc["units"][-1]["unit"] == "漳州移动公司" and doc["units"][-1]["category"] == "D"
    assert doc["units"][-1]["rank"] is None  # no case in November: listed, unranked
    assert doc["categories"][-1] == {"code": "D", "description": "试点单位"}
    with pytest.raises(registry.RegistryError, match="还有 1 个单位"):
        registry.remove_category(scored_db, "D")


def test_rate_excess_max_points_and_late_disposal_rules(scored_db, tmp_path):
    path = tmp_path / "extra.toml"
    path.write_text(
        """name = "extra"
version = "2024.1"
family = "deduction"
base = 100
floor = 0
cap = 100

[[rules]]
id = "rework_rate"
name = "返工率"
kind = "rate_excess"
rate = "rework_rate"
target = 10
per_point = "0.50"
max_points = 15

[[rules]]
id = "late"
name = "超期处置"
kind = "per_case"
count = "disposed_late"
per_case = "1.5"
""",
        encoding="utf-8",
    )
    doc = compute_scores(scored_db, NOV, str(path))
    assert doc["rule_set"]["version"] == "2024.1"
    e = entry(doc, "芗城区城市管理局")
    assert [(x["rule"], x["points"]) for x in e["lines"]] == [
        ("基础分", "100.00"),
        ("返工率", "-15.00"),  # (50.00 − 10) × 0.50 = 20, capped at 15
        ("超期处置", "-1.50"),
    ]
    assert e["lines"][1]["detail"] == "返工率 50.00%，高于10%共40个百分点 × 0.50，本项最多扣15分"
    assert e["lines"][1]["cases"] == ["202111050002"] and e["lines"][2]["cases"] == ["202111050002"]
    good = entry(doc, "市环境卫生中心")
    assert good["lines"][1]["detail"] == "返工率 0.00%，未超过10%，不扣分" and good["score"] == "100.00"


def test_a_rule_set_may_rank_units_without_cases(scored_db, tmp_path):
    from models.rule_files import BUILTIN_DIR

    text = (BUILTIN_DIR / "default.toml").read_text(encoding="utf-8").replace("ranked = false", "ranked = true")
    path = tmp_path / "ranked.toml"
    path.write_text(text.replace('name = "default"', 'name = "ranked"'), encoding="utf-8")
    doc = compute_scores(scored_db, NOV, str(path))
    b = [e for e in doc["units"] if e["category"] == "B"]
    assert [e["rank"] for e in b] == [1] * 30 + [31]  # competition ranks: 30 tie at 100, then 31
    assert b[-1]["unit"] == "芗城区城市管理局" and "不参加排名" not in b[0]["lines"][0]["detail"]


def test_no_cases_table_is_checked(tmp_path):
    from models.errors import RuleSetError
    from models.rule_files import BUILTIN_DIR, load_rule_set

    text = (BUILTIN_DIR / "default.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text.replace("ranked = false", 'ranked = "no"'), encoding="utf-8")
    with pytest.raises(RuleSetError, match="第 25 行：「no_cases.ranked」应为 true 或 false"):
        load_rule_set(str(path))
