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
