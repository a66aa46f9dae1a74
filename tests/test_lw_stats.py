"""两违 period figures, drill-down and the overdue list on a small hand-built export (domain.md §8, cli.md `lw`).

The seven cases (as-of 2022-01-10 09:00, period 2021-12; working hours by hand on the statutory calendar):
- A 芗城区/东铺头街道: Saturday receipt, 核查 on time; 处置 open, 20 county days honoured + 15 county days at
  the wrong level (running total 35): deadline 2022-01-20 17:30, natural share 673 h / 921.5 h = 73.03 %.
- B 芗城区/西桥街道: 核查 late; 处置 from 核查完成时间 (派发 blank) ends exactly at its deadline 2022-01-04
  09:00 (New Year off); 审核 open, 20 h of 35 h; a pending request.
- C 高新区/九湖 (aliases): 核查 open since 2021-12-15 09:00: 119 h of 35 h = 340 %, serious.
- D 龙海市/东园镇: 处置 open, 90 h of 105 h = 85.71 % (yellow); its date-only 处置完成时间 is after the
  as-of time; a refused request.
- E 芗城区/新华街道 (not in the towns table): a 45-day city approval.
- F received 2021-11-30 and G received 2022-01-04: outside the period, but open at the as-of time.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from models.lw_cases import cases_from_rows
from models.lw_settings import load_lw_settings
from models.lw_stats import (
    FIGURES,
    STEP_FIGURES,
    LwFigureError,
    case_numbers,
    escalation,
    evaluate,
    extension_decisions,
    lw_stats,
    lw_stats_document,
    open_steps,
)
from models.periods import parse_month

SETTINGS = load_lw_settings()
AS_OF = datetime(2022, 1, 10, 9, 0)
A, B, C, D, E, F, G = (f"LW{n}" for n in ("2112001", "2112002", "2112003", "2112004", "2112005", "2111009", "2201001"))


def row(case_no, **fields):
    return {"case_no": case_no} | fields


A_ROW = row(
    A,
    county="芗城区",
    town="东铺头街道",
    department="城管局",
    violation_type="违法占地建设",
    source="群众举报",
    received_at="2021-12-04 10:00:00",
    verifier="张核",
    verified_at="2021-12-10 16:00:00",
    dispatched_at="2021-12-13 08:00:00",
    disposer="李处",
    extension_days="20",
    extension_level="县两违治理办",
    extension_result="同意",
)
ROWS = [
    A_ROW,
    A_ROW | {"extension_days": "15天", "extension_level": "县级", "current_step": "处置"},  # the case repeats
    row(
        B,
        county="芗城区",
        town="西桥街道",
        department="自然资源局",
        violation_type="楼顶违建",
        source="物业上报",
        received_at="2021-12-06 08:00:00",
        verifier="张核",
        verified_at="2021-12-13 09:00:00",
        disposer="刘处",
        disposed_at="2022-01-04 09:00:00",
        close_applied_at="2022-01-05 10:00:00",
        supervisor="赵督",
        extension_days=10,
        extension_level="县级",
        extension_result="",
    ),
    row(
        C,
        county="高新区",
        town="九湖",
        department="农业农村局",
        violation_type="破坏林地",
        source="巡查发现",
        received_at="2021-12-15 09:00:00",
        verifier="王核",
    ),
    row(
        D,
        county="龙海市",
        town="东园镇",
        department="城管",
        violation_type="违法占地建设",
        source="群众举报",
        received_at="2021-12-20 08:00:00",
        verifier="陈核",
        verified_at="2021-12-21 08:00:00",
        dispatched_at="2021-12-21 10:00:00",
        disposer="李处",
        disposed_at="2022-01-11",
        extension_days="20",
        extension_level="县级",
        extension_result="不同意",
    ),
    row(
        E,
        county="芗城区",
        town="新华街道",
        department="城管",
        violation_type="临时搭盖",
        source="群众举报",
        received_at="2021-12-27 08:00:00",
        verifier="张核",
        verified_at="2021-12-28 08:00:00",
        dispatched_at="2021-12-28 09:00:00",
        disposer="李处",
        extension_days="45",
        extension_level="市两违治理办",
        extension_result="同意",
    ),
    row(F, county="芗城区", town="浦南镇", received_at="2021-11-30 10:00:00", verifier="王核"),
    row(G, county="龙文区", town="朝阳镇", received_at="2022-01-04 08:00:00", verifier="陈核"),
]
CASES, REQUESTS = cases_from_rows(list(enumerate(ROWS, start=2)), SETTINGS)


@pytest.fixture(scope="module")
def period_eval():
    return evaluate(CASES, REQUESTS, period=parse_month("2021-12"), as_of=AS_OF, settings=SETTINGS)


@pytest.fixture(scope="module")
def doc(period_eval):
    return lw_stats_document(period_eval)


def test_the_export_rows_become_cases_and_requests_in_row_order():
    assert [c.case_no for c in CASES] == [A, B, C, D, E, F, G]
    assert [(r.case_no, r.position, r.days, r.level, r.result) for r in REQUESTS] == [
        (A, 1, 20, "县级", "同意"),
        (A, 2, 15, "县级", "同意"),
        (B, 1, 10, "县级", None),
        (D, 1, 20, "县级", "不同意"),
        (E, 1, 45, "市级", "同意"),
    ]
    assert next(c for c in CASES if c.case_no == A).current_step == "处置"  # the last row wins


def test_stats_header_and_received_count_the_period_by_receipt_time(doc):
    assert doc["period"] == "2021-12"
    assert doc["as_of"] == "2022-01-10T09:00:00"
    assert doc["received"] == 5
    assert list(doc)[:6] == ["period", "as_of", "received", "steps", "extensions", "towns"]


def test_stats_steps(doc):
    keys = ["step", "limit", "started", "done", "due", "on_time", "on_time_rate", "open", "overdue_open"]
    assert [[s[k] for k in keys] for s in doc["steps"]] == [
        ["核查", "5工作日", 5, 4, 5, 3, "60.00", 1, 1],
        ["处置", "15工作日", 4, 1, 1, 1, "100.00", 3, 0],
        ["审核", "5工作日", 1, 0, 0, 0, None, 1, 0],
    ]
    assert [s["rate_name"] for s in doc["steps"]] == ["按期核查率", "按期处置率（两违）", "按期审核率"]
    assert [s["serious"] for s in doc["steps"]] == [1, 0, 0]


def test_stats_extensions(doc):
    ext = doc["extensions"]
    assert {k: ext[k] for k in ("requests", "approved", "refused", "pending", "wrong_level", "days_approved")} == {
        "requests": 5,
        "approved": 2,
        "refused": 1,
        "pending": 1,
        "wrong_level": [A],
        "days_approved": 65,
    }


def test_stats_towns_in_county_and_town_order_with_aliases_merged(doc):
    keys = ["county", "town", "received", "verify_on_time_rate", "dispose_on_time_rate", "review_on_time_rate"]
    keys += ["overdue_open", "serious"]
    assert [list(t) for t in doc["towns"]] == [keys] * 5
    assert [list(t.values()) for t in doc["towns"]] == [
        ["芗城区", "东铺头街道", 1, "100.00", None, None, 0, 0],
        ["芗城区", "西桥街道", 1, "0.00", "100.00", None, 0, 0],
        ["芗城区", "新华街道", 1, "100.00", None, None, 0, 0],  # not in the towns table: after the listed ones
        ["龙海区", "东园镇", 1, "100.00", None, None, 0, 0],  # written 龙海市
        ["漳州高新区", "九湖镇", 1, "0.00", None, None, 1, 1],  # written 高新区 / 九湖
    ]
    assert [c["county"] for c in doc["counties"]] == ["芗城区", "龙海区", "漳州高新区"]
    assert doc["counties"][0]["received"] == 3 and doc["counties"][0]["verify_on_time_rate"] == "66.67"


def test_stats_by_department_role_holder_violation_type_and_source(doc):
    assert [(d["name"], d["received"]) for d in doc["departments"]] == [("城管", 3), ("农业农村", 1), ("自然资源", 1)]
    holders = {(h["role"], h["person"]): h for h in doc["holders"]}
    assert list(holders) == [
        ("核查员", "张核"),
        ("核查员", "王核"),
        ("核查员", "陈核"),
        ("处置员", "刘处"),
        ("处置员", "李处"),
        ("督查员", "赵督"),
    ]
    z = holders[("核查员", "张核")]
    assert (z["started"], z["done"], z["due"], z["on_time"], z["on_time_rate"]) == (3, 3, 3, 2, "66.67")
    li = holders[("处置员", "李处")]
    assert (li["started"], li["due"], li["on_time_rate"], li["open"]) == (3, 0, None, 3)
    assert [(v["name"], v["received"]) for v in doc["violation_types"]] == [
        ("违法占地建设", 2),
        ("临时搭盖", 1),
        ("楼顶违建", 1),
        ("破坏林地", 1),
    ]
    assert [(s["name"], s["received"]) for s in doc["sources"]] == [("群众举报", 3), ("巡查发现", 1), ("物业上报", 1)]


def test_stats_definitions_echo_the_settings(doc):
    d = doc["definitions"]
    assert d["limits"] == {"核查": "5工作日", "处置": "15工作日", "审核": "5工作日"}
    assert (d["yellow_from"], d["serious_over"], d["county_max_days"]) == ("80.00", "200.00", 30)
    assert d["working_hours"] == [["08:00", "12:00"], ["14:30", "17:30"]]
    assert d["date_only_end"] == "17:30" and d["period_by"] == "接收时间"


def test_edited_limits_change_the_figures_and_are_echoed():
    generous = load_lw_settings({"limits": {"核查": 20}})
    doc = lw_stats(CASES, REQUESTS, parse_month("2021-12"), AS_OF, generous)
    verify = doc["steps"][0]
    assert (verify["limit"], verify["due"], verify["on_time"], verify["on_time_rate"]) == ("20工作日", 4, 4, "100.00")
    assert doc["definitions"]["limits"]["核查"] == "20工作日"


def test_rates_are_null_when_nothing_is_due():
    doc = lw_stats(CASES, REQUESTS, parse_month("2021-12"), datetime(2021, 12, 8, 9, 0), SETTINGS)
    verify = doc["steps"][0]
    assert (verify["started"], verify["due"], verify["on_time_rate"]) == (2, 0, None)
    assert {t["verify_on_time_rate"] for t in doc["towns"]} == {None}
    # a case received later in the month belongs to the period, though its steps have not started yet
    assert doc["received"] == 5


def test_a_month_without_cases_gives_zeros_and_nulls():
    doc = lw_stats(CASES, REQUESTS, parse_month("2021-10"), AS_OF, SETTINGS)
    assert doc["received"] == 0 and doc["towns"] == []
    assert [s["on_time_rate"] for s in doc["steps"]] == [None, None, None]
    assert doc["extensions"]["requests"] == 0


# ---------------------------------------------------------------- drill-down


def test_every_step_figure_drills_down_to_as_many_cases_as_it_counts(period_eval, doc):
    for entry in doc["steps"]:
        for figure in ("started", "done", "due", "on_time", "open", "overdue_open", "late", "serious"):
            assert len(case_numbers(period_eval, figure, step=entry["step"])) == entry[figure], (entry["step"], figure)
    assert len(case_numbers(period_eval, "received")) == doc["received"]


def test_drill_down_lists_the_cases(period_eval):
    assert case_numbers(period_eval, "due", step="核查") == [A, B, C, D, E]
    assert case_numbers(period_eval, "late", step="核查") == [B, C]
    assert case_numbers(period_eval, "serious") == [C]
    assert case_numbers(period_eval, "open", step="处置") == [A, D, E]
    assert case_numbers(period_eval, "received", group=("town", ("芗城区", "西桥街道"))) == [B]
    assert case_numbers(period_eval, "received", group=("county", "漳州高新区")) == [C]
    assert case_numbers(period_eval, "on_time", group=("verifier", "张核")) == [A, E]  # the holder's own step
    assert case_numbers(period_eval, "received", group=("department", "城管")) == [A, D, E]
    assert case_numbers(period_eval, "ext_wrong_level") == [A]
    assert case_numbers(period_eval, "ext_approved") == [A, E]
    assert case_numbers(period_eval, "ext_pending") == [B]
    assert [(d.request.case_no, d.request.position) for d in extension_decisions(period_eval, "honoured")] == [
        (A, 1),
        (E, 1),
    ]


def test_every_town_figure_drills_down(period_eval, doc):
    for town in doc["towns"]:
        group = ("town", (town["county"], town["town"]))
        assert len(case_numbers(period_eval, "received", group=group)) == town["received"]
        assert len(case_numbers(period_eval, "overdue_open", group=group)) == town["overdue_open"]
        assert len(case_numbers(period_eval, "serious", group=group)) == town["serious"]


def test_drill_down_refuses_unknown_names(period_eval):
    with pytest.raises(LwFigureError):
        case_numbers(period_eval, "closed")
    with pytest.raises(LwFigureError):
        case_numbers(period_eval, "due", step="结案")
    with pytest.raises(LwFigureError):
        case_numbers(period_eval, "received", group=("unit", "x"))
    assert set(STEP_FIGURES) < set(FIGURES)


# ---------------------------------------------------------------- open steps and escalation


@pytest.fixture(scope="module")
def all_eval():
    return evaluate(CASES, REQUESTS, period=None, as_of=AS_OF, settings=SETTINGS)


def test_overdue_lists_every_open_step_most_used_first(all_eval):
    rows = [r.to_json() for r in open_steps(all_eval)]
    assert [(r["case_no"], r["step"], r["used"], r["light"], r["serious"]) for r in rows] == [
        (F, "核查", "557.14", "red", True),
        (C, "核查", "340.00", "red", True),
        (D, "处置", "85.71", "yellow", False),
        (G, "核查", "82.86", "yellow", False),
        (A, "处置", "73.03", "green", False),
        (B, "审核", "57.14", "green", False),
        (E, "处置", "19.40", "green", False),
    ]
    first_keys = ["case_no", "step", "role", "person", "county", "town", "started_at", "deadline_at", "used"]
    assert list(rows[0])[:11] == [*first_keys, "light", "serious"]
    c = rows[1]
    assert (c["role"], c["person"], c["county"], c["town"]) == ("核查员", "王核", "漳州高新区", "九湖镇")
    assert (c["started_at"], c["deadline_at"]) == ("2021-12-15 09:00:00", "2021-12-22 09:00:00")
    a = rows[4]
    assert a["deadline_at"] == "2022-01-20 17:30:00" and a["extension_days"] == 20
    assert [x["outcome"] for x in a["extensions"]] == ["已延期", "审批层级不符"]
    assert rows[3]["town"] == "朝阳街道"  # 朝阳镇 became 朝阳街道: a town alias


def test_escalation_holds_the_serious_ones(all_eval):
    assert [(r.case.case_no, r.status.step.step) for r in escalation(all_eval)] == [(F, "核查"), (C, "核查")]


def test_a_used_share_of_one_and_an_eighth_prints_as_112_50():
    cases, requests = cases_from_rows([(2, row("LW9", received_at="2021-12-06 08:00:00"))], SETTINGS)
    # 35 h (Mon–Fri) + 4 h + 22.5 min = 39.375 h of 35 h
    ev = evaluate(cases, requests, period=None, as_of=datetime(2021, 12, 13, 14, 52, 30), settings=SETTINGS)
    assert open_steps(ev)[0].to_json()["used"] == "112.50"
