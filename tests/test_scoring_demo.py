"""Issue 4 "done when", on the demo month: the seed's deduction entered with `adjust add`, then scored,
explained and exported; two rule sets give two different, explained results."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

import main
from models.periods import parse_month
from models.scoring import lines_total
from tests.conftest import seed_adjust_argv

pytestmark = pytest.mark.slow
NOV = parse_month("2021-11")
SEED_CASES = ["202110310540", "202111160744"]


@pytest.fixture
def adjusted(demo_db, tmp_path):
    """The demo database with the seed's deduction entered through the CLI, as the user would."""
    path = str(tmp_path / "demo.db")
    code = main.main(seed_adjust_argv(path))
    assert code == 0
    return demo_db, path


def test_demo_month_scores_explained_and_exported(adjusted, tmp_path):
    from exporters.score_sheet import write_score_sheet

    db, _ = adjusted
    out = tmp_path / "scores.xlsx"
    doc = write_score_sheet(db, NOV, out)
    assert len(doc["units"]) == 56 and doc["unplaced_units"] == []
    for entry in doc["units"]:
        assert lines_total(entry) == Decimal(entry["score"]), entry["unit"]
        # October is in the demo too: every ranked unit has a change; an idle one has no rank to compare
        assert (entry["rank_change"] is None) == (entry["rank"] is None), entry["unit"]
    lantian = next(e for e in doc["units"] if e["unit"] == "蓝田开发区管委会")
    seed_line = [line for line in lantian["lines"] if line.get("type") == "adjustment"]
    assert [(x["points"], x["cases"]) for x in seed_line] == [("-2.00", SEED_CASES)]
    xc = next(e for e in doc["units"] if e["unit"] == "芗城区城市管理局")
    assert xc["indicators"]["on_time_closure_rate"] == "34.04"  # the seed's figure
    assert xc["lines"][1]["detail"] == "按期结案率 34.04%，低于100%共65.96个百分点 × 0.30"
    assert xc["lines"][1]["points"] == "-19.79"
    assert len(xc["lines"][1]["cases"]) == xc["indicators"]["due_to_close"] - xc["indicators"]["closed_on_time"]

    wb = openpyxl.load_workbook(out)
    ws = wb["评价结果"]
    names = [ws.cell(r, 2).value for r in range(3, 59)]
    assert len(names) == 56 and ws.cell(59, 2).value is None
    assert {"A3:A13", "A14:A44", "A45:A58"} <= {str(r) for r in ws.merged_cells.ranges}
    detail = [[c.value for c in row] for row in wb["扣分明细"].iter_rows(min_row=2)]
    seed = [r for r in detail if r[1] == "蓝田开发区管委会" and r[3] == "处置单位绩效评价细则（附件2-1）"]
    assert len(seed) == 1 and seed[0][4] == -2 and seed[0][7] == " ".join(SEED_CASES)


def test_demo_two_rule_sets_differ_and_both_add_up(adjusted, capsys):
    _, path = adjusted
    import json

    assert main.main(["--db", path, "scores", "--month", "2021-11", "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert main.main(["--db", path, "scores", "--month", "2021-11", "--json", "--rules", "gb_composite"]) == 0
    composite = json.loads(capsys.readouterr().out)
    assert (default["rule_set"]["name"], composite["rule_set"]["name"]) == ("default", "gb_composite")
    scores_d = {e["unit"]: e["score"] for e in default["units"]}
    scores_g = {e["unit"]: e["score"] for e in composite["units"]}
    assert scores_d != scores_g and scores_d.keys() == scores_g.keys()
    for doc in (default, composite):
        for entry in doc["units"]:
            assert lines_total(entry) == Decimal(entry["score"])
    assert main.main(["--db", path, "scores", "--month", "2021-11"]) == 0
    text = capsys.readouterr().out
    assert "202110310540" in text and "蓝田开发区管委会" in text
