"""QA findings in the statistics core, each pinned by the test that would have caught it."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from models.errors import UserFacingError
from models.indicators import resolve_as_of
from models.periods import parse_month
from models.store import open_db
from tests.conftest import insert_cases


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "qa.db"
    db = open_db(path)
    insert_cases(
        db,
        [
            {
                "case_no": "QA1",
                "kind": "事件",
                "minor": "暴露垃圾",
                "unit": "西桥街道办事处",
                "reported_at": "2021-11-10 08:00:00",
                "filed_at": "2021-11-10 08:10:00",
                "dispatched_at": "2021-11-10 08:20:00",
                "deadline_at": "2021-11-12 17:30:00",
            }
        ],
    )
    db.conn.close()
    return path


def test_bad_as_of_is_a_user_error_not_an_internal_one():
    with pytest.raises(UserFacingError, match="garbage"):
        resolve_as_of(parse_month("2021-11"), "garbage")


@pytest.mark.parametrize("command", ["stats", "cases"])
def test_cli_bad_as_of_exits_2_with_a_chinese_message(db_path, capsys, command):
    argv = ["--db", str(db_path), command, "--month", "2021-11", "--as-of", "2021-13-01"]
    assert main.main(argv) == 2
    err = capsys.readouterr().err
    assert "判断时刻" in err and "2021-13-01" in err and "内部错误" not in err


def test_cases_under_an_alias_entered_after_import_count_for_the_unit(db):
    """`units list` tells the user to place an unknown unit with `units set`; an alias must not lose cases."""
    from models import registry
    from models.drilldown import case_numbers
    from models.indicators import counts_by_unit, counts_for_units
    from models.scoring import compute_scores
    from models.stats import stats_document

    nov = parse_month("2021-11")
    base = {
        "kind": "事件",
        "minor": "暴露垃圾",
        "reported_at": "2021-11-10 08:00:00",
        "filed_at": "2021-11-10 08:10:00",
        "dispatched_at": "2021-11-10 08:20:00",
        "deadline_at": "2021-11-12 17:30:00",
    }
    insert_cases(
        db,
        [
            base
            | {
                "case_no": "A1",
                "unit": "蓝田开发区管委会",
                "disposed_at": "2021-11-11 09:00:00",
                "closed_at": "2021-11-11 10:00:00",
            },
            base | {"case_no": "A2", "unit": "蓝田管委会"},  # the export's other spelling, not yet known
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


def test_bulletin_remarks_name_only_the_adjustments_its_score_table_counts(db):
    """A custom range that cuts November in part takes no November adjustment in the score table; the
    bulletin's (二)差的方面 must not announce a deduction the table below it does not apply."""
    from datetime import date

    from exporters.bulletin import render_bulletin
    from models.adjustments import add_adjustment, adjustment_months
    from models.periods import parse_label
    from models.scoring import compute_scores

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
    assert "蓝田开发区管委会办理案件号202111160744，职责范围内不接受案件派遣" in whole and "扣2分" in whole


def test_an_alias_that_is_a_registry_name_does_not_move_that_units_cases(db):
    """The registry refuses such an alias; one written into the table by hand still leaves a registered name alone."""
    from models import registry
    from models.drilldown import case_numbers
    from models.indicators import counts_by_unit

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
