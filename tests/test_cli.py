"""The command line's own behaviour (cli.md): the shared --db, exit codes, registry edits, export into a folder."""

from __future__ import annotations

import json

import pytest

import main
from cli import build_parser
from cli.common import leaf_commands
from models import registry
from models.store import open_db


def test_bad_period_is_a_user_error_with_exit_2(tmp_path, capsys):
    code = main.main(["--db", str(tmp_path / "x.db"), "stats", "--month", "2021/11"])
    assert code == 2
    assert "月份格式应为 YYYY-MM" in capsys.readouterr().err


def test_two_periods_at_once_are_refused(tmp_path, capsys):
    code = main.main(["--db", str(tmp_path / "x.db"), "stats", "--month", "2021-11", "--year", "2021"])
    assert code == 2
    assert "请指定一个统计周期" in capsys.readouterr().err


def test_units_set_places_an_unknown_unit_and_edits_persist(tmp_path, capsys):
    path = str(tmp_path / "x.db")
    open_db(path).conn.close()  # only import and demo create a database
    assert main.main(["--db", path, "units", "set", "新建街道办事处", "--category", "B", "--parent", "芗城区政府"]) == 0
    assert main.main(["--db", path, "units", "set", "新建街道办事处", "--alias", "新建街道"]) == 0
    capsys.readouterr()
    assert main.main(["--db", path, "units", "list", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)
    placed = [u for u in units if u["unit"] == "新建街道办事处"][0]
    assert placed == {
        "unit": "新建街道办事处",
        "category": "B",
        "parent": "芗城区政府",
        "district": None,
        "evaluation_scope": None,
        "aliases": ["新建街道"],
    }
    db = open_db(path)
    assert "新建街道办事处" in registry.subtree(db, "芗城区政府")


def test_units_set_refuses_unknown_category_and_missing_parent(tmp_path, capsys):
    path = str(tmp_path / "x.db")
    open_db(path).conn.close()  # only import and demo create a database
    assert main.main(["--db", path, "units", "set", "某单位", "--category", "Z"]) == 2
    assert "未知的单位类别「Z」" in capsys.readouterr().err
    assert main.main(["--db", path, "units", "set", "某单位", "--parent", "不存在的单位"]) == 2
    assert "上级单位「不存在的单位」不在单位名录中" in capsys.readouterr().err
    assert "某单位" not in registry.units_by_name(open_db(path))


def test_units_set_refuses_a_parent_cycle(tmp_path, capsys):
    path = str(tmp_path / "x.db")
    open_db(path).conn.close()  # only import and demo create a database
    assert main.main(["--db", path, "units", "set", "龙文区政府", "--parent", "蓝田开发区管委会"]) == 2
    assert "是「龙文区政府」的下属单位" in capsys.readouterr().err
    assert registry.units_by_name(open_db(path))["龙文区政府"].parent is None


def test_export_into_a_folder_uses_the_suggested_name(demo_db_path, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    db = str(demo_db_path)
    assert main.main(["--db", db, "export", "scores", "--month", "2021-11", "-o", str(out)]) == 0
    assert (out / "处置单位绩效评价_2021-11.xlsx").is_file()
    code = main.main(
        [
            "--db",
            db,
            "export",
            "cases",
            "--month",
            "2021-11",
            "--unit",
            "芗城区城市管理局",
            "--figure",
            "closed",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert (out / "案件清单_2021-11_结案_芗城区城市管理局.xlsx").is_file()


def test_an_alias_places_an_unknown_unit_and_cannot_be_a_registered_name(tmp_path, capsys):
    from tests.conftest import insert_cases

    path = str(tmp_path / "x.db")
    db = open_db(path)
    insert_cases(db, [{"case_no": "202111010001", "unit": "蓝田开发区新名", "filed_at": "2021-11-01 09:00:00"}])
    assert registry.unknown_units(db) == [("蓝田开发区新名", 1)]
    assert main.main(["--db", path, "units", "set", "蓝田开发区管委会", "--alias", "蓝田开发区新名"]) == 0
    assert registry.unknown_units(db) == []
    capsys.readouterr()
    assert main.main(["--db", path, "units", "set", "蓝田开发区管委会", "--alias", "龙文区政府"]) == 2
    assert "别名「龙文区政府」已是登记单位的名称" in capsys.readouterr().err
    assert main.main(["--db", path, "units", "set", "蓝田开发区管委会", "--alias", "蓝田开发区管委会"]) == 2


# ---------------------------------------------------------------- the shared parser (cli/common.py)

SMALL_CASES = [
    {
        "case_no": f"2021110{n}0001",
        "kind": "事件",
        "minor": "暴露垃圾",
        "unit": "西桥街道办事处",
        "reported_at": f"2021-11-0{n} 08:00:00",
        "filed_at": f"2021-11-0{n} 08:10:00",
        "dispatched_at": f"2021-11-0{n} 08:20:00",
        "deadline_at": f"2021-11-0{n + 2} 17:30:00",
        "disposed_at": f"2021-11-0{n + 1} 10:00:00",
        "closed_at": f"2021-11-0{n + 1} 11:00:00",
    }
    for n in (1, 2, 3)
]


@pytest.fixture
def small_db(tmp_path) -> str:
    from tests.conftest import insert_cases

    path = tmp_path / "small.db"
    db = open_db(path)
    insert_cases(db, SMALL_CASES)
    db.conn.close()
    return str(path)


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "scores", "--month", "2021-11", "-o", "{out}/s.xlsx", "--db", "{db}"],
        ["export", "--db", "{db}", "cases", "--month", "2021-11", "-o", "{out}/c.xlsx"],
        ["adjust", "add", "--month", "2021-11", "--unit", "西桥街道办事处", "--points", "-1", "--db", "{db}",
         "--reason", "r"],
        ["adjust", "--db", "{db}", "list"],
        ["units", "set", "新建街道办事处", "--category", "B", "--db", "{db}"],
        ["units", "list", "--json", "--db", "{db}"],
        ["stats", "--month", "2021-11", "--db", "{db}"],
        ["--db", "{db}", "cases", "--month", "2021-11"],
    ],
)  # fmt: skip
def test_db_is_accepted_anywhere_on_the_line(small_db, tmp_path, capsys, argv):
    line = [a.format(db=small_db, out=tmp_path) for a in argv]
    assert main.main(line) == 0, capsys.readouterr().err


def test_a_db_after_the_command_wins_over_one_before_it(small_db, tmp_path, capsys):
    elsewhere = tmp_path / "other.db"
    assert main.main(["--db", str(elsewhere), "units", "list", "--json", "--db", small_db]) == 0
    assert json.loads(capsys.readouterr().out) and not elsewhere.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--month", "2021-11"],
        ["cases", "--month", "2021-11", "--json"],
        ["report", "--month", "2021-11"],
        ["scores", "--month", "2021-11", "--json"],
        ["adjust", "add", "--month", "2021-11", "--unit", "西桥街道办事处", "--points", "-1", "--reason", "r"],
        ["adjust", "list"],
        ["adjust", "reverse", "1", "--reason", "r"],
        ["export", "scores", "--month", "2021-11", "-o", "{out}/s.xlsx"],
        ["export", "cases", "--month", "2021-11", "-o", "{out}/c.xlsx"],
        ["units", "list"],
        ["units", "set", "新建街道办事处", "--category", "B"],
    ],
)  # fmt: skip
def test_a_missing_database_is_refused_not_created(tmp_path, capsys, argv):
    missing = tmp_path / "typo.db"
    line = [a.format(out=tmp_path) for a in argv]
    assert main.main(["--db", str(missing), *line]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"错误：数据库文件不存在：{missing}\n" and captured.out == ""
    assert not missing.exists() and not list(tmp_path.iterdir())


def test_only_import_demo_and_the_gui_create_a_database():
    creating = {" ".join(path) for path, parser in leaf_commands(build_parser()) if parser.get_default("creates_db")}
    assert creating == {"gui", "import", "demo", "lw import", "petitions import", "rectify import"}


def test_import_creates_the_database(tmp_path, capsys):
    path = tmp_path / "new" / "fresh.db"
    path.parent.mkdir()
    source = tmp_path / "cases.csv"
    source.write_text(
        "案件编号,处置单位,上报时间,立案时间\n202111010001,西桥街道办事处,2021-11-01 08:00:00,2021-11-01 08:10:00\n"
    )
    assert main.main(["import", str(source), "--db", str(path)]) == 0
    assert path.is_file()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--month", "2021-13"], "月份超出范围：13（应为 1–12）"),
        (["--month", "2021-00"], "月份超出范围：0（应为 1–12）"),
        (["--quarter", "2021-Q5"], "季度超出范围：Q5（应为 Q1–Q4）"),
        (["--from", "2021-02-30", "--to", "2021-03-01"], "日期超出范围：30 日（2021年2月只有 28 天）"),
        (["--from", "2021-11-01", "--to", "2021-13-01"], "月份超出范围：13（应为 1–12）"),
        (["--year", "0000"], "年份超出范围：0000（应为 1900–2999）"),
        (["--month", "0201-11"], "年份超出范围：0201（应为 1900–2999）"),
    ],
)
def test_an_impossible_period_names_the_wrong_part(small_db, capsys, flags, message):
    assert main.main(["--db", small_db, "stats", *flags]) == 2
    assert capsys.readouterr().err == f"错误：{message}\n"


def test_the_period_is_checked_before_the_database(tmp_path, capsys):
    assert main.main(["--db", str(tmp_path / "typo.db"), "stats", "--month", "2021-13"]) == 2
    assert "月份超出范围" in capsys.readouterr().err


PRINTING = [
    ["stats", "--month", "2021-11"],
    ["stats", "--month", "2021-11", "--json"],
    ["scores", "--month", "2021-11", "--json"],
    ["scores", "--month", "2021-11"],
    ["cases", "--month", "2021-11"],
    ["cases", "--month", "2021-11", "--figure", "closed", "--json"],
    ["report", "--month", "2021-11"],
    ["adjust", "list"],
    ["adjust", "list", "--json"],
    ["units", "list"],
    ["units", "list", "--json"],
]


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".json", ".md"])
@pytest.mark.parametrize("argv", PRINTING, ids=" ".join)
def test_dash_o_writes_what_the_command_prints(small_db, tmp_path, capsys, argv, suffix):
    assert main.main(["--db", small_db, *argv]) == 0
    printed = capsys.readouterr().out
    target = tmp_path / "out" / f"result{suffix}"
    assert main.main(["--db", small_db, *argv, "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"已写入：{target}" in captured.err
    data = target.read_bytes()
    bom = "\ufeff".encode()
    assert data.startswith(bom) == (suffix in (".txt", ".csv"))
    assert data.removeprefix(bom).decode("utf-8") == printed
    if "--json" in argv:
        json.loads(target.read_text("utf-8-sig"))


def test_dash_o_keeps_an_adjustment_list_exact(small_db, tmp_path, capsys):
    adjust = ["adjust", "add", "--month", "2021-11", "--unit", "西桥街道办事处", "--points", "-1.5", "--reason", "r"]
    assert main.main(["--db", small_db, *adjust]) == 0
    assert main.main(["--db", small_db, "adjust", "list", "--json", "-o", str(tmp_path / "a.json")]) == 0
    [entry] = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert entry["points"] == "-1.50" and entry["unit"] == "西桥街道办事处"


def test_a_failed_command_writes_no_output_file(small_db, tmp_path, capsys):
    target = tmp_path / "stats.json"
    assert main.main(["--db", small_db, "stats", "--month", "2021-11", "--as-of", "garbage", "-o", str(target)]) == 2
    assert not target.exists()


def test_dash_o_naming_a_folder_is_a_user_error(small_db, tmp_path, capsys):
    assert main.main(["--db", small_db, "stats", "--month", "2021-11", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"错误：无法写入「{tmp_path}」：")


@pytest.mark.parametrize(
    "argv, what",
    [
        (["export", "scores", "--month", "2021-12", "-o", "{out}/s.xlsx"], "导出评分表"),
        (["export", "cases", "--month", "2021-12", "-o", "{out}/c.xlsx"], "导出案件清单"),
        (["report", "--month", "2021-12"], "生成通报"),
    ],
)
def test_exporting_or_reporting_a_month_without_data_is_refused(small_db, tmp_path, capsys, argv, what):
    out = tmp_path / "out"
    assert main.main(["--db", small_db, *(a.replace("{out}", str(out)) for a in argv)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"错误：2021年12月没有任何案件数据（无受理、无立案记录），不能{what}。请先导入该期的案件数据，或选择其他统计周期。\n"
    )
    assert captured.out == ""
    assert not out.exists() or not list(out.iterdir())  # nothing written
