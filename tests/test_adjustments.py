"""The append-only adjustment ledger and its CLI (cli.md `adjust add|list|reverse`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import main
from models.adjustments import add_adjustment, effective_adjustments, list_adjustments, reverse_adjustment
from models.errors import AdjustmentError
from models.store import open_db
from tests.conftest import SEED_ADJUSTMENT, seed_adjust_argv

SEED = SEED_ADJUSTMENT


def test_add_records_every_field(db):
    entry = add_adjustment(db, **SEED)
    assert entry.id == 1 and entry.unit == "蓝田开发区管委会" and entry.period == "2021-11"
    assert entry.points == Decimal("-2.00") and entry.reverses_id is None
    assert entry.cases == ("202110310540", "202111160744")
    assert entry.rule_ref == "处置单位绩效评价细则（附件2-1）"
    assert len(entry.entered_at) == 19
    assert entry.to_json()["points"] == "-2.00"
    assert "202111160744" in entry.describe() and "-2.00" in entry.describe()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "不存在的单位"}, "不在单位名录"),
        ({"month": "2021-13"}, "YYYY-MM"),
        ({"month": "Nov 2021"}, "YYYY-MM"),
        ({"points": "0"}, "非零"),
        ({"points": "abc"}, "数字"),
        ({"points": "-1.005"}, "两位小数"),
        ({"reason": "  "}, "原因"),
        ({"cases": ["2021 1031"]}, "空白"),
    ],
)
def test_add_refuses_invalid_entries(db, change, message):
    with pytest.raises(AdjustmentError, match=message):
        add_adjustment(db, **{**SEED, **change})
    assert list_adjustments(db) == []


def test_points_accept_fullwidth_and_bonus(db):
    entry = add_adjustment(db, **{**SEED, "points": "＋１.5", "cases": "202111160744, 202111160744"})
    assert entry.points == Decimal("1.50") and entry.cases == ("202111160744",)


def test_reverse_appends_a_negated_entry_and_refuses_twice(db):
    original = add_adjustment(db, **SEED)
    reversal = reverse_adjustment(db, original.id, reason="误录")
    assert reversal.points == Decimal("2.00") and reversal.reverses_id == original.id
    assert reversal.unit == original.unit and reversal.cases == original.cases
    assert [e.id for e in list_adjustments(db, month="2021-11")] == [original.id, reversal.id]
    assert list_adjustments(db, month="2021-10") == []
    assert effective_adjustments(db, ["2021-11"]) == []
    with pytest.raises(AdjustmentError, match="已被"):
        reverse_adjustment(db, original.id, reason="again")
    with pytest.raises(AdjustmentError, match="本身是冲销记录"):
        reverse_adjustment(db, reversal.id, reason="undo")
    with pytest.raises(AdjustmentError, match="#99"):
        reverse_adjustment(db, 99, reason="x")
    # nothing was edited in place
    assert get_points(db) == ["-2.00", "2.00"]


def get_points(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT points FROM adjustments ORDER BY id")]


def test_cli_adjust_add_list_reverse(tmp_path, capsys):
    path = str(tmp_path / "cli.db")
    open_db(path).conn.close()  # only import and demo create a database
    code = main.main(seed_adjust_argv(path))
    assert code == 0
    assert "已记录调整 #1" in capsys.readouterr().out
    assert main.main(["--db", path, "adjust", "list", "--month", "2021-11"]) == 0
    assert "202110310540、202111160744" in capsys.readouterr().out
    assert main.main(["--db", path, "adjust", "reverse", "1", "--reason", "误录"]) == 0
    assert "冲销记录 #2" in capsys.readouterr().out
    assert main.main(["--db", path, "adjust", "reverse", "1", "--reason", "再来"]) == 2
    assert "不能重复冲销" in capsys.readouterr().err
    assert (
        main.main(
            ["--db", path, "adjust", "add", "--month", "2021-11", "--unit", "无名", "--points", "1", "--reason", "x"]
        )
        == 2
    )
