"""Every figure of the seed (figures-2021-11.json) but the 56 scores, from the demo database through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import main
from models.periods import parse_month
from tests.conftest import SEED_FIGURES

pytestmark = pytest.mark.slow

ACCEPTED = SEED_FIGURES["accepted"]
TOP = {
    kind: (entry["count"], f"{entry['share_of_filed_pct']:.2f}", entry["top_categories_in_order"])
    for kind, entry in SEED_FIGURES["high_frequency"].items()
}
_REMARKS = SEED_FIGURES["remarks"]
LOWEST = (
    _REMARKS["lowest_on_time_closure"]["unit"],
    f"{_REMARKS['lowest_on_time_closure']['on_time_closure_rate_pct']:.2f}",
)
REFUSED = (
    _REMARKS["refused_dispatch"]["unit"],
    _REMARKS["refused_dispatch"]["cases"],
    str(_REMARKS["refused_dispatch"]["deduction_points"]),
    _REMARKS["refused_dispatch"]["rule"],
)


def run_cli(capsys, *argv: str) -> str:
    assert main.main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def stats(demo_db_path: Path) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main.main(["--db", str(demo_db_path), "stats", "--month", "2021-11", "--json"]) == 0
    return json.loads(out.getvalue())


def test_accepted_total_sources_and_channels(stats):
    acc = stats["accepted"]
    assert acc["total"] == ACCEPTED["total"]
    assert [s["name"] for s in acc["sources"]] == ["信息采集", "公众举报", "专项普查"]
    for source in acc["sources"]:
        expected = ACCEPTED[source["name"]]
        assert source["count"] == expected["total"]
        assert {c["name"]: c["count"] for c in source["channels"]} == {
            k: v for k, v in expected.items() if k != "total"
        }
        counts = [c["count"] for c in source["channels"]]
        assert counts == sorted(counts, reverse=True)


def test_handling_figures_and_rates(stats):
    assert (stats["filed"], stats["disposed"], stats["due_to_close"], stats["closed"]) == (7377, 7101, 7377, 7101)
    assert stats["need_dispose"] == 7377
    assert stats["disposal_rate"] == "96.26" and stats["closure_rate"] == "96.26"
    assert stats["period"] == "2021-11" and stats["as_of"] == "2021-11-30T23:59:59"
    assert stats["definitions"]["due_to_close"] == "filed" and stats["definitions"]["cutoff"] == "none"


def test_high_frequency_kinds_shares_and_top_categories(stats):
    kinds = {k["name"]: k for k in stats["kinds"]}
    assert [k["name"] for k in stats["kinds"]][:2] == ["部件", "事件"]
    for name, (count, share, top) in TOP.items():
        assert kinds[name]["count"] == count and kinds[name]["share"] == share
        assert [t["name"] for t in kinds[name]["top"][: len(top)]] == top
        assert sum(t["count"] for t in kinds[name]["top"]) == count


def test_lowest_on_time_closure_unit(stats):
    units = {u["unit"]: u for u in stats["units"]}
    unit, rate = LOWEST
    assert units[unit]["on_time_closure_rate"] == rate
    rated = [Decimal(u["on_time_closure_rate"]) for u in stats["units"] if u["on_time_closure_rate"] is not None]
    assert min(rated) == Decimal(rate)
    assert sum(u["need_dispose"] for u in stats["units"]) <= stats["need_dispose"]


def test_units_listed_registry_order_then_unknown(stats, demo_db_path):
    from models import registry
    from models.store import open_db

    db = open_db(demo_db_path)
    order = [u.name for u in registry.list_units(db)]
    db.conn.close()
    known = [u["unit"] for u in stats["units"] if u["category"] is not None]
    assert known == sorted(known, key=order.index)
    unknown = [u["unit"] for u in stats["units"] if u["category"] is None]
    assert unknown == sorted(unknown)
    assert all(u["need_dispose"] > 0 for u in stats["units"])


def test_cases_command_lists_the_numbers_behind_a_figure(stats, demo_db_path, capsys):
    unit = LOWEST[0]
    out = run_cli(
        capsys, "--db", str(demo_db_path), "cases", "--month", "2021-11", "--figure", "closed_on_time",
        "--unit", unit, "--json",
    )  # fmt: skip
    doc = json.loads(out)
    entry = next(u for u in stats["units"] if u["unit"] == unit)
    assert doc["count"] == entry["closed_on_time"] == len(doc["cases"])
    out = run_cli(capsys, "--db", str(demo_db_path), "cases", "--month", "2021-11", "--figure", "closed", "--json")
    assert json.loads(out)["count"] == 7101


def test_report_carries_the_seed_figures_and_remarks(demo_db, capsys, tmp_path):
    path = tmp_path / "demo.db"  # the demo_db fixture's private copy
    from models import adjustments

    unit, cases, points, rule = REFUSED
    if not any(a.unit == unit for a in adjustments.list_adjustments(demo_db, month="2021-11")):
        run_cli(
            capsys, "--db", str(path), "adjust", "add", "--month", "2021-11", "--unit", unit, "--points", f"-{points}",
            "--reason", "存在职责范围内不接受案件派遣现象", "--rule", rule, "--cases", ",".join(cases),
        )  # fmt: skip
    text = run_cli(capsys, "--db", str(path), "report", "--month", "2021-11")
    for snippet in (
        "受理案件55603件，其中信息采集11522件、公众举报377件、专项普查43704件。",
        "网格巡查采集7000件、信息采集员自行简易处置4522件",
        "12319城管服务热线投诉举报327件、110指挥中心转办16件、微信公众平台投诉举报34件",
        "停车位普查36593件、部件更新普查2702件、侧招广告普查2648件、芗城区流动性案件普查1095件、"
        "主城区垃圾清扫及直运普查404件、主城区相关企业（大型商超、市场等）普查259件、牛皮癣普查3件",
        "（二）案件处置。平台立案7377件，处置7101件，应结案7377件，结案7101件，处置率96.26%，结案率96.26%。",
        "部件类案件总数1121件，占立案数15.20%，主要集中在消防设施、行道树、止车石、交通护栏、户外广告、雨水箅子等方面",
        "事件类案件总数6256件，占立案数84.80%，主要集中在车辆违停、乱堆物料、沿街晾挂、道路不洁、绿地脏乱、"
        "无照经营游商、违规标语宣传品、施工占道等方面",
        "（一）好的方面。平台案件处置率96.26%、结案率96.26%，绝大多数案件得到了解决。",
        "一是个别单位处置效率较低，芗城区城市管理局按期结案率34.04%。",
        f"二是{unit}办理案件号{'、'.join(cases)}，存在职责范围内不接受案件派遣现象，根据{rule}规定，扣{points}分。",
    ):
        assert snippet in text, snippet
    for heading in ("一、运行数据分析", "（一）案件受理。", "（三）高发分析。", "二、评价结果点评", "（二）差的方面。"):
        assert heading in text
    assert text.index("一、运行数据分析") < text.index("二、评价结果点评")


def test_stats_text_and_trend_on_demo(demo_db_path, capsys):
    text = run_cli(capsys, "--db", str(demo_db_path), "stats", "--month", "2021-11")
    assert "立案 7377 件" in text and "结案率 96.26%" in text
    from models.stats import trend
    from models.store import open_db

    db = open_db(demo_db_path)
    rows = trend(db, parse_month("2021-11"))
    db.conn.close()
    assert rows[-1]["filed"] == 7377 and rows[-1]["closure_rate"] == "96.26"
    assert rows[-2]["filed"] > 0 and rows[-3]["filed"] > 0  # 2021-09 and -10 are in the demo too
