"""`rectify import FILE`: the 创城回头看 ledger through the shared importer (domain.md §10)."""

from datetime import date

from importers.pipeline import import_file
from importers.rectify_import import RectifyStream
from models.rectify_store import load_rows, row_history, stats
from tests.fixtures.import_builders import write_csv, write_xlsx

HEADERS = [
    "问题编号", "督查日期", "点位", "所属区", "问题类别", "问题描述", "责任单位", "整改时限", "复查日期", "复查结果",
]  # fmt: skip


def row(no, checked="", result="", *, due="2021-11-30", site="动车站", district="龙文区", unit="市交警支队"):
    return [no, "2021-11-10", site, district, "交通秩序", "出租车乱停放", unit, due, checked, result]


def ledger(tmp_path, rows, name="rectify.xlsx"):
    return write_xlsx(tmp_path / name, rows, headers=HEADERS, title="创城“回头看”问题整改台账")


def import_ledger(db, path, **kwargs):
    return import_file(db, path, stream=RectifyStream(), **kwargs)


def count(db, table):
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_rounds_import_with_aliases_and_the_rate_is_taken_at_the_as_of_date(db, tmp_path):
    rows = [
        row("CC1", "2021-12-01", "未整改"),
        row("CC1", "2021/12/14", "整改完成"),
        row("CC2", "2021-12-01", "已整改"),
        row("CC2", "2021-12-14", "出现反弹"),
        row("CC3"),  # never re-checked
        row("CC4", "2021-12-14", "已整改", due="2022-01-15", district="高新区"),  # not yet due
    ]
    report = import_ledger(db, ledger(tmp_path, rows))
    assert not report.refused, report.message
    assert (report.inserted, report.rejected, report.skipped_rows) == (6, 0, [(1, "标题行")])
    assert "问题 4 个，回头看记录 5 条" in report.message
    assert db.execute("SELECT checked_on FROM rectify_rows WHERE problem_no = 'CC3'").fetchone() == ("",)
    before = stats(db, as_of=date(2021, 12, 10))
    assert (before["due"], before["rectified"], before["rate"]) == (3, 1, "33.33")
    assert before["unchecked"] == ["CC3", "CC4"] and before["rebound"] == []  # CC2 was still 已整改 on 12-10
    after = stats(db, as_of=date(2021, 12, 31))
    assert (after["due"], after["rectified"], after["rate"]) == (3, 1, "33.33")
    assert after["rebound"] == ["CC2"] and after["unchecked"] == ["CC3"]
    assert [d["district"] for d in after["by_district"]] == ["龙文区", "漳州高新区"]


def test_bad_rows_are_rejected_naming_their_column(db, tmp_path):
    rows = [
        row("CC1", "2021-12-01", "已整改"),
        row("CC1", "2021-12-01", "未整改"),
        row("CC2", "2021-12-01", "基本整改"),
        row("CC3", "2021-12-01", ""),
        row("CC4", district="鼓浪屿"),
        row("", "2021-12-01", "已整改"),
    ]
    report = import_ledger(db, ledger(tmp_path, rows))
    assert (report.inserted, report.rejected) == (1, 5)
    reasons = db.execute("SELECT row_no, column_name, reason FROM rejected_rows ORDER BY row_no").fetchall()
    assert reasons[0] == (4, "复查日期", "问题 CC1 的这一轮（回头看日期 2021-12-01）与第 3 行重复")
    assert reasons[1][:2] == (5, "复查结果") and reasons[1][2].startswith("回头看结果「基本整改」不在回头看结果表中")
    assert reasons[2] == (6, "复查结果", "有回头看日期 2021-12-01 但回头看结果为空")
    assert reasons[3][:2] == (7, "所属区") and reasons[3][2].startswith("地区「鼓浪屿」不在地区表中")
    assert reasons[4] == (8, "问题编号", "问题编号为空")


def test_reimport_same_file_changes_nothing_and_a_changed_round_keeps_history(db, tmp_path):
    rows = [row("CC1", "2021-12-01", "未整改"), row("CC2")]
    path = ledger(tmp_path, rows)
    import_ledger(db, path)
    assert import_ledger(db, path).duplicate
    again = import_ledger(db, write_csv(tmp_path / "same.csv", rows, headers=HEADERS))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    later = [row("CC1", "2021-12-01", "已整改"), row("CC1", "2021-12-14", "已整改")]
    report = import_ledger(db, ledger(tmp_path, later, "later.xlsx"))
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 0)
    (old,) = row_history(db, "CC1")
    assert old["old"]["result"] == "未整改" and old["old"]["checked_on"] == "2021-12-01"
    assert [(r.problem_no, r.checked_on, r.result) for r in load_rows(db)] == [
        ("CC1", date(2021, 12, 1), "已整改"),
        ("CC1", date(2021, 12, 14), "已整改"),
        ("CC2", None, None),
    ]
    assert count(db, "rectify_rows") == 3


def test_strict_refuses_a_file_with_a_rejected_row(db, tmp_path):
    report = import_ledger(db, ledger(tmp_path, [row("CC1", "2021-12-01", "看不清")]), strict=True)
    assert report.refused and "（--strict 模式），第 3 行「复查结果」列：回头看结果「看不清」" in report.message
    assert count(db, "rectify_rows") == 0


def test_a_missing_required_column_is_named(db, tmp_path):
    headers = HEADERS[1:]
    report = import_ledger(db, write_xlsx(tmp_path / "r.xlsx", [row("CC1")[1:]], headers=headers))
    assert report.refused
    assert report.message == "拒收文件「r.xlsx」：找不到列「问题编号」（已尝试：问题编号、编号、问题序号…）"
