"""The `lw`, `petitions` and `rectify` commands on the demo ledgers (cli.md), with the values they print."""

import json
import shutil

import openpyxl
import pytest

import main
from models.store import open_db
from tests.test_petitions_report import SEED_PARAGRAPH, comparable

AS_OF = "2021-12-31T23:59:59"


@pytest.fixture(scope="module")
def ledgers_db(tmp_path_factory):
    """A store holding only the demo's three ledgers, imported through the commands themselves."""
    from demo.ledgers import write_lw_export, write_petition_ledger, write_rectify_ledger

    folder = tmp_path_factory.mktemp("ledgers")
    path = folder / "ledgers.db"
    lw, rectify = write_lw_export(folder), write_rectify_ledger(folder)
    petitions, batch = write_petition_ledger(folder)
    assert main.main(["--db", str(path), "lw", "import", str(lw)]) == 0
    day = batch["handed_over"].isoformat()
    assert main.main(["petitions", "import", str(petitions), "--batch", "8", "--date", day, "--db", str(path)]) == 0
    assert main.main(["rectify", "--db", str(path), "import", str(rectify)]) == 0
    db = open_db(path)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies below take the main file only
    db.conn.close()
    return path


@pytest.fixture
def store(ledgers_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copyfile(ledgers_db, copy)
    return str(copy)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- 两违


def test_lw_stats_json_on_the_demo_december(store, capsys):
    code, out, _ = run(capsys, "--db", store, "lw", "stats", "--month", "2021-12", "--json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["period"], doc["as_of"], doc["received"]) == ("2021-12", "2021-12-31T23:59:59", 108)
    steps = {s["step"]: s for s in doc["steps"]}
    assert [s["step"] for s in doc["steps"]] == ["核查", "处置", "审核"]
    assert {k: steps["核查"][k] for k in ("limit", "started", "done", "due", "on_time", "on_time_rate")} == {
        "limit": "5工作日", "started": 108, "done": 95, "due": 99, "on_time": 83, "on_time_rate": "83.84",
    }  # fmt: skip
    assert (steps["处置"]["open"], steps["处置"]["overdue_open"], steps["审核"]["on_time_rate"]) == (62, 8, "90.00")
    ext = doc["extensions"]
    counts = (ext["requests"], ext["approved"], ext["refused"], ext["pending"], ext["days_approved"])
    assert counts == (21, 18, 1, 1, 313)
    assert ext["wrong_level"] == ["LW202112070005"]
    assert [c["county"] for c in doc["counties"]] == ["芗城区", "龙文区", "漳州高新区"]
    assert doc["towns"][0] == {
        "county": "芗城区", "town": "东铺头街道", "received": 6, "verify_on_time_rate": "80.00",
        "dispose_on_time_rate": None, "review_on_time_rate": None, "overdue_open": 1, "serious": 0,
    }  # fmt: skip
    assert doc["definitions"]["limits"] == {"核查": "5工作日", "处置": "15工作日", "审核": "5工作日"}


def test_lw_stats_text_reads_in_chinese(store, capsys):
    code, out, _ = run(capsys, "--db", store, "lw", "stats", "--month", "2021-12")
    assert code == 0
    assert out.startswith("两违监管统计　周期：2021-12（按接收时间）　判断时刻：2021-12-31 23:59\n收件 108 件")
    assert "  核查  5工作日   108     95      99    83    83.84%  13    4         2" in out
    assert "延期申请 21 条：已生效 18 条（共 313 天），不同意 1 条，待审批 1 条，审批层级不符 1 条" in out
    assert "  审批层级不符的案件：LW202112070005" in out


def test_lw_overdue_lists_open_steps_most_used_first(store, capsys):
    code, out, _ = run(capsys, "--db", store, "lw", "overdue", "--as-of", AS_OF, "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 82 and sum(i["serious"] for i in items) == 5
    assert {k: items[0][k] for k in ("case_no", "step", "role", "person", "county", "town", "used", "light")} == {
        "case_no": "LW202112010011", "step": "核查", "role": "核查员", "person": "杨帆", "county": "芗城区",
        "town": "巷口街道", "used": "452.86", "light": "red",
    }  # fmt: skip
    used = [float(i["used"]) for i in items]
    assert used == sorted(used, reverse=True)
    code, out, _ = run(capsys, "--db", store, "lw", "overdue", "--as-of", AS_OF)
    assert "在办环节 82 个：红灯 16（其中严重超期 5），黄灯 4，绿灯 62" in out
    assert "红灯（严重超期）  452.86%   LW202112010011" in out


def test_lw_export_escalation_into_a_folder(store, capsys, tmp_path):
    code, out, _ = run(capsys, "--db", store, "lw", "export", "escalation", "--as-of", AS_OF, "-o", f"{tmp_path}/")
    assert code == 0
    path = tmp_path / "两违严重超期清单_截至2021-12-31.xlsx"
    assert out.strip() == f"已导出：{path}（严重超期环节 5 个）"
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(r, 2).value for r in range(4, 9)] == [
        "LW202112010011", "LW202111290012", "LW202112150142", "LW202111120014", "LW202112080116",
    ]  # fmt: skip
    assert ws.cell(7, 12).value == "第1次 10天 县级 不同意\n第2次 20天 县级 待审批"


# ---------------------------------------------------------------- 督察信访


def test_petitions_report_prints_the_seed_paragraph(store, capsys):
    code, out, _ = run(capsys, "--db", store, "petitions", "report", "--batch", "8")
    assert code == 0
    print("generated:", out, "\nseed:     ", SEED_PARAGRAPH)
    assert comparable(out) == comparable(SEED_PARAGRAPH)


def test_petitions_stats_and_list(store, capsys):
    code, out, _ = run(capsys, "--db", store, "petitions", "stats", "--batch", "8", "--as-of", "2021-12-31", "--json")
    doc = json.loads(out)
    assert (doc["batch"], doc["pieces"], doc["duplicates"], doc["transferred"]) == (8, 17, 3, 17)
    assert [(t["name"], t["count"]) for t in doc["types"]] == [
        ("水环境问题", 6), ("大气环境问题", 9), ("生态环境问题", 3), ("噪声环境问题", 4), ("其他污染", 3),
    ]  # fmt: skip
    assert (doc["multi_type"], doc["multi_region"], doc["closed"], doc["closure_rate"]) == (True, True, 9, "52.94")
    assert len(doc["overdue"]) == 2
    code, out, _ = run(capsys, "--db", store, "petitions", "stats", "--as-of", "2021-12-31")
    assert out.startswith("督察信访统计：全部批次（第八批）　截至 2021-12-31\n举报件 17 件（另有重复件 3 件，不计数）")
    code, out, _ = run(capsys, "--db", store, "petitions", "list", "--as-of", "2021-12-31")
    assert "  第八批  2021-12-14  省生态环境保护督察组  17      3       17      9       52.94%  2" in out
    code, out, _ = run(capsys, "--db", store, "petitions", "list", "--as-of", "2021-12-31", "--json")
    assert json.loads(out)["batches"][0]["closure_rate"] == "52.94"


def test_petitions_unknown_batch_and_bad_date_are_user_errors(store, capsys):
    code, _, err = run(capsys, "--db", store, "petitions", "report", "--batch", "9")
    assert code == 2 and err.strip() == "错误：没有第 9 批督察信访件；已导入：第 8 批"
    code, _, err = run(capsys, "--db", store, "petitions", "import", "x.xlsx", "--batch", "9", "--date", "2021-13-01")
    assert code == 2 and "月份超出范围" in err


# ---------------------------------------------------------------- 创城回头看


def test_rectify_stats_before_and_after_the_last_round(store, capsys):
    code, out, _ = run(capsys, "--db", store, "rectify", "stats", "--as-of", "2021-12-14", "--json")
    doc = json.loads(out)
    assert (doc["problems"], doc["due"], doc["rectified"], doc["rate"]) == (16, 13, 7, "53.85")
    assert doc["rebound"] == ["CC2021-003", "CC2021-007"]
    code, out, _ = run(capsys, "--db", store, "rectify", "stats", "--as-of", "2021-12-31", "--json")
    doc = json.loads(out)
    assert (doc["due"], doc["rectified"], doc["rate"], doc["rebound"]) == (15, 11, "73.33", ["CC2021-003"])
    assert doc["unchecked"] == ["CC2021-011"]
    code, out, _ = run(capsys, "--db", store, "rectify", "stats", "--as-of", "2021-12-31")
    assert "问题 16 个，应整改（整改时限已到）15 个，已整改 11 个，整改达标率 73.33%" in out


def test_rectify_export_writes_the_sheet(store, capsys, tmp_path):
    target = tmp_path / "rectify.xlsx"
    code, out, _ = run(capsys, "--db", store, "rectify", "export", "--as-of", "2021-12-31", "-o", str(target))
    assert code == 0 and out.strip() == f"已导出：{target}（问题 16 个，整改达标率 73.33%）"
    ws = openpyxl.load_workbook(target)["问题清单"]
    assert (ws["B4"].value, ws["C4"].value) == ("CC2021-003", "反弹")


# ---------------------------------------------------------------- the shared rules


@pytest.mark.parametrize(
    "argv",
    [
        ["lw", "stats", "--month", "2021-12"],
        ["lw", "overdue"],
        ["lw", "export", "escalation", "-o", "x.xlsx"],
        ["petitions", "list"],
        ["petitions", "stats"],
        ["petitions", "report", "--batch", "8"],
        ["rectify", "stats"],
        ["rectify", "export", "-o", "x.xlsx"],
    ],
)
def test_only_the_imports_create_a_database(tmp_path, capsys, argv):
    path = tmp_path / "none.db"
    code, _, err = run(capsys, *argv, "--db", str(path))
    assert code == 2 and err.strip() == f"错误：数据库文件不存在：{path}"
    assert not path.exists()


def test_printing_commands_write_minus_o_files(store, capsys, tmp_path):
    target = tmp_path / "lw.json"
    assert run(capsys, "--db", store, "lw", "stats", "--month", "2021-12", "--json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["received"] == 108  # no BOM in JSON
    text = tmp_path / "report.txt"
    assert run(capsys, "--db", store, "petitions", "report", "--batch", "8", "-o", str(text))[0] == 0
    assert text.read_bytes().startswith("\ufeff12月14日".encode())


def test_a_bad_as_of_and_a_refused_file_exit_2(store, capsys, tmp_path):
    code, _, err = run(capsys, "--db", store, "lw", "overdue", "--as-of", "昨天")
    assert code == 2 and err.startswith("错误：判断时刻 --as-of：")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    code, out, _ = run(capsys, "--db", store, "lw", "import", str(bad))
    assert code == 2 and out.startswith("拒收文件「bad.xlsx」：")
    code, out, _ = run(capsys, "--db", store, "rectify", "import", str(bad))
    assert code == 2 and out.startswith("拒收文件「bad.xlsx」：")
