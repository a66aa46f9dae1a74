"""The stats and cases commands over every kind of period (cli.md "Periods") and a bad --as-of, on hand-built cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from models.errors import UserFacingError
from models.indicators import resolve_as_of
from models.periods import parse_month
from models.store import open_db
from tests.conftest import insert_cases


def filed(no: str, when: str, **fields) -> dict:
    return {
        "case_no": no,
        "source": "信息采集",
        "channel": "网格巡查采集",
        "kind": "事件",
        "minor": "暴露垃圾",
        "unit": "西桥街道办事处",
        "reported_at": when,
        "filed_at": when,
        "dispatched_at": when,
        "deadline_at": "2099-12-31 17:30:00",
    } | fields


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "periods.db"
    db = open_db(path)
    insert_cases(
        db,
        [
            filed("Q1", "2021-10-05 09:00:00", closed_at="2021-10-06 09:00:00", disposed_at="2021-10-06 08:00:00"),
            filed("Q2", "2021-11-15 09:00:00"),
            filed("Q3", "2021-12-31 23:59:59", deadline_at="2022-01-02 10:00:00"),
            filed("Y1", "2021-03-01 00:00:00"),
            filed("N1", "2022-01-01 00:00:00"),
        ],
    )
    db.conn.close()
    return path


def stats(capsys, path: Path, *period: str) -> dict:
    assert main.main(["--db", str(path), "stats", *period, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_month_quarter_year_and_range_periods(db_path, capsys):
    assert stats(capsys, db_path, "--month", "2021-11")["filed"] == 1
    quarter = stats(capsys, db_path, "--quarter", "2021-Q4")
    assert quarter["period"] == "2021-Q4" and quarter["filed"] == 3 and quarter["closure_rate"] == "33.33"
    assert quarter["as_of"] == "2021-12-31T23:59:59"
    year = stats(capsys, db_path, "--year", "2021")
    assert year["period"] == "2021" and year["filed"] == 4
    days = stats(capsys, db_path, "--from", "2021-12-31", "--to", "2022-01-01")
    assert days["period"] == "2021-12-31..2022-01-01" and days["filed"] == 2


def test_as_of_flag_moves_the_overdue_watch(db_path, capsys):
    args = ["--db", str(db_path), "cases", "--quarter", "2021-Q4", "--figure", "overdue_open", "--json"]
    assert main.main([*args, "--as-of", "2022-01-03 09:00"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == ["Q3"]
    assert main.main(args) == 0  # as of the quarter's end Q3 is not yet due
    assert json.loads(capsys.readouterr().out)["cases"] == []
    assert main.main([*args[:-3], "--figure", "light_red", "--as-of", "2022-01-03 09:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == ["Q3"]


def test_bad_period_is_a_user_error(db_path, capsys):
    assert main.main(["--db", str(db_path), "stats", "--month", "2021年11月"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_stats_text_output(db_path, capsys):
    assert main.main(["--db", str(db_path), "stats", "--month", "2021-10"]) == 0
    out = capsys.readouterr().out
    assert "立案 1 件" in out and "结案率 100.00%" in out and "西桥街道办事处" in out


def test_bad_as_of_is_a_user_error_not_an_internal_one():
    with pytest.raises(UserFacingError, match="garbage"):
        resolve_as_of(parse_month("2021-11"), "garbage")


@pytest.mark.parametrize("command", ["stats", "cases"])
def test_cli_bad_as_of_exits_2_with_a_chinese_message(db_path, capsys, command):
    argv = ["--db", str(db_path), command, "--month", "2021-11", "--as-of", "2021-13-01"]
    assert main.main(argv) == 2
    err = capsys.readouterr().err
    assert "判断时刻" in err and "2021-13-01" in err and "内部错误" not in err
