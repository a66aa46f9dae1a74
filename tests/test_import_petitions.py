"""`petitions import FILE --batch N --date D`: a 督察信访 batch through the shared importer (domain.md §9)."""

from datetime import date

from importers.petition_import import PetitionStream
from importers.pipeline import import_file
from models.petition_store import batch_list, load_batches, load_pieces, paragraph, piece_history, stats
from tests.fixtures.import_builders import write_xlsx
from tests.test_petitions_report import SEED_PARAGRAPH, comparable

HEADERS = [
    "序号", "举报件编号", "批次", "移交日期", "问题类型", "所属地区", "是否重复", "转办单位", "办理时限", "办结时间",
]  # fmt: skip
DEC14 = date(2021, 12, 14)


def piece(no, types="水", regions="芗城区", *, batch="第八批", day="2021-12-14", dup="", unit="芗城区人民政府",
          deadline="15", closed=""):  # fmt: skip
    return [no[-1], no, batch, day, types, regions, dup, unit, deadline, closed]


def ledger(tmp_path, rows, name="batch8.xlsx", headers=HEADERS):
    return write_xlsx(tmp_path / name, rows, headers=headers, title="第八批群众信访举报件办理台账")


def import_batch(db, path, batch=8, day=DEC14, body=None, **kwargs):
    return import_file(db, path, stream=PetitionStream(batch, day, body), **kwargs)


def count(db, table):
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_batch_imports_with_its_words_canonical_and_its_duplicates_kept(db, tmp_path):
    rows = [
        piece("P01", "水、大气", "芗城/高新区"),
        piece("P02", "噪声环境问题", "龙文区", closed="2021-12-20"),
        piece("P03", "大气", "龙文", dup="是"),
    ]
    report = import_batch(db, ledger(tmp_path, rows))
    assert not report.refused, report.message
    assert (report.inserted, report.rejected, report.skipped_rows) == (3, 0, [(1, "标题行")])
    assert "第 8 批，12月14日移交，省生态环境保护督察组；其中重复件 1 件（保留，不计数）" in report.message
    assert load_batches(db)[0].body == "省生态环境保护督察组"
    first, second, third = load_pieces(db, 8)
    assert (first.types, first.regions) == (("水", "大气"), ("芗城区", "漳州高新区"))
    assert (first.deadline, first.deadline_days) == (date(2021, 12, 29), 15)
    assert second.closed_on == date(2021, 12, 20) and third.duplicate
    assert db.execute("SELECT stream, params FROM imports").fetchone() == (
        "petitions",
        '{"batch": 8, "date": "2021-12-14", "body": null}',
    )
    doc = stats(db, as_of=date(2021, 12, 31), batch=8)
    assert (doc["pieces"], doc["duplicates"], doc["closed"], doc["closure_rate"]) == (2, 1, 1, "50.00")
    assert [r["name"] for r in doc["regions"]] == ["芗城区", "龙文区", "漳州高新区"]


def test_an_unknown_type_or_region_word_is_a_rejected_row_naming_the_word(db, tmp_path):
    rows = [piece("P01"), piece("P02", "光污染"), piece("P03", regions="厦门市"), piece("P01", "大气")]
    report = import_batch(db, ledger(tmp_path, rows))
    assert (report.inserted, report.rejected) == (1, 3)
    reasons = db.execute("SELECT row_no, column_name, reason FROM rejected_rows ORDER BY row_no").fetchall()
    assert reasons[0][:2] == (4, "问题类型") and reasons[0][2].startswith("问题类型「光污染」不在问题类型表中")
    assert reasons[1][:2] == (5, "所属地区") and reasons[1][2].startswith("地区「厦门市」不在地区表中")
    assert reasons[2] == (6, "举报件编号", "举报件编号「P01」与第 3 行重复")


def test_a_file_whose_own_batch_or_date_disagrees_is_refused(db, tmp_path):
    report = import_batch(db, ledger(tmp_path, [piece("P01"), piece("P02", batch="第九批")]))
    assert report.refused
    assert report.message == "拒收文件「batch8.xlsx」：第 4 行「批次」列：文件中的批次「第九批」与导入的第 8 批不一致"
    report = import_batch(db, ledger(tmp_path, [piece("P01", day="2021-12-15")], "dated.xlsx"))
    assert report.message == (
        "拒收文件「dated.xlsx」：第 3 行「移交日期」列：文件中的移交日期 2021-12-15 与导入的移交日期 2021-12-14 不一致"
    )
    assert (count(db, "petition_batches"), count(db, "petition_pieces")) == (0, 0)


def test_a_stored_batch_keeps_its_handover_date(db, tmp_path):
    import_batch(db, ledger(tmp_path, [piece("P01")]))
    no_columns = [h for h in HEADERS if h not in ("批次", "移交日期")]
    rows = [[c for h, c in zip(HEADERS, piece("P02"), strict=True) if h in no_columns]]
    report = import_batch(db, ledger(tmp_path, rows, "more.xlsx", no_columns), day=date(2021, 12, 15))
    assert report.refused
    assert "第 8 批已导入，移交日期为 2021-12-14，与本次给出的 2021-12-15 不一致" in report.message
    assert count(db, "petition_pieces") == 1


def test_reimporting_a_batch_replaces_nothing_silently(db, tmp_path):
    first = ledger(tmp_path, [piece("P01"), piece("P02"), piece("P03")])
    import_batch(db, first)
    assert import_batch(db, first).duplicate
    changed = [piece("P01"), piece("P02", "水/噪声", closed="2021-12-24"), piece("P04", "其他")]
    report = import_batch(db, ledger(tmp_path, changed, "again.xlsx"), body="省第二生态环境保护督察组")
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    assert "本批另有 1 件已导入的举报件不在本文件中，保留不变" in report.message
    assert [p.piece_no for p in load_pieces(db, 8)] == ["P01", "P02", "P03", "P04"]
    (old,) = piece_history(db, 8, "P02")
    assert old["old"]["types"] == ["水"] and old["old"]["closed_on"] is None
    assert old["replaced_by_import"] == report.import_id
    assert load_pieces(db, 8)[1].types == ("水", "噪声")
    assert load_batches(db)[0].body == "省第二生态环境保护督察组"
    assert count(db, "petition_batch_history") == 1


def test_the_same_file_for_another_batch_is_not_a_duplicate(db, tmp_path):
    headers = [h for h in HEADERS if h not in ("批次", "移交日期")]
    rows = [[c for h, c in zip(HEADERS, piece("P01"), strict=True) if h in headers]]
    path = ledger(tmp_path, rows, "plain.xlsx", headers)
    import_batch(db, path)
    report = import_batch(db, path, batch=9, day=date(2021, 12, 28))
    assert not report.duplicate and report.inserted == 1
    assert [(b["batch"], b["pieces"]) for b in batch_list(db, date(2021, 12, 31))] == [(9, 1), (8, 1)]


def test_the_demo_ledger_reports_the_seed_paragraph_from_the_store(db, tmp_path):
    from demo.ledgers import write_petition_ledger

    path, batch = write_petition_ledger(tmp_path)
    report = import_batch(db, path, batch["number"], batch["handed_over"], batch["body"])
    assert (report.inserted, report.rejected) == (20, 0)
    ours = paragraph(db, 8)
    print("generated:", ours, "\nseed:     ", SEED_PARAGRAPH)
    assert comparable(ours) == comparable(SEED_PARAGRAPH)


def test_a_missing_required_column_is_named(db, tmp_path):
    headers = [h for h in HEADERS if h != "所属地区"]
    rows = [[c for h, c in zip(HEADERS, piece("P01"), strict=True) if h != "所属地区"]]
    report = import_batch(db, ledger(tmp_path, rows, "no-region.xlsx", headers))
    assert report.refused
    assert report.message == "拒收文件「no-region.xlsx」：找不到列「所属地区」（已尝试：所属地区、所属区域、涉及地区…）"
