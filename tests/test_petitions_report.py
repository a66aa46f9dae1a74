"""models.petition_report: the 督察信访 batch paragraph in the seed's words and the follow-up figures (domain.md §9)."""

import dataclasses
import tomllib
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from models.petition_report import (
    Batch,
    PetitionError,
    batch_paragraph,
    batch_rows,
    count_labels,
    overdue_pieces,
    petition_stats,
    pieces_behind,
    type_region_table,
)
from models.petitions import Piece, load_petition_vocabulary, make_piece

VOCAB = load_petition_vocabulary()
DEMO_BATCH8 = Path(__file__).resolve().parent.parent / "resources" / "demo" / "petitions_batch8.toml"
DEC14 = date(2021, 12, 14)
BATCH8 = Batch(8, DEC14, "省生态环境保护督察组")

# The seed page's paragraph, copied as printed (line breaks, stray spaces, half-width brackets and all).
SEED_PARAGRAPH = """12 月 14 日，省生
态环境保护督察组向我市移交第八
批群众信访举报件 17件(已扣除重复
件)。从信访举报件生态环境问题类
型看，涉及水环境问题 6 件、大气环
境问题 9件、生态环境问题 3件、噪声
环境问题 4件、其他污染 3件（部分举

报件涉及多个问题类型）；从区域分
布上看，芗城区 2 件、龙文区 3 件、漳
浦县 3 件、东山县 1 件、平和县 2 件、
漳州台商投资区 5 件、漳州高新区 1
件、古雷开发区 1 件（部分举报件涉
及多个地区)。所有举报件均已及时
转交相关地区（部门）处理。"""


def comparable(text: str) -> str:
    """The seed mixes half- and full-width brackets and breaks lines anywhere: compare under NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def first_difference(ours: str, seed: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(ours, seed, strict=False)) if a != b), min(len(ours), len(seed)))
    return (
        f"first difference at character {at}:\n"
        f"  generated: …{ours[max(0, at - 15) : at + 25]}\n"
        f"  seed:      …{seed[max(0, at - 15) : at + 25]}"
    )


def demo_batch8() -> tuple[Batch, list[Piece]]:
    data = tomllib.loads(DEMO_BATCH8.read_text(encoding="utf-8"))
    head = data["batch"]
    batch = Batch(head["number"], head["handed_over"], head["body"])
    pieces = [make_piece(cells, batch=batch.number, handed_over=batch.handed_over) for cells in data["piece"]]
    return batch, pieces


def piece(no: str, types: str = "水", regions: str = "芗城区", *, batch: int = 8, **cells) -> Piece:
    cells = {"piece_no": no, "types": types, "regions": regions, "unit": "芗城区人民政府", **cells}
    return make_piece(cells, batch=batch, handed_over=DEC14)


# ---------------------------------------------------------------- the seed's batch 8


def test_demo_batch8_prints_the_seed_paragraph_word_for_word():
    batch, pieces = demo_batch8()
    ours, seed = comparable(batch_paragraph(batch, pieces)), comparable(SEED_PARAGRAPH)
    print("generated:", ours, "\nseed:     ", seed)
    assert ours == seed, first_difference(ours, seed)


def test_demo_batch8_holds_the_seed_counts_with_duplicates_kept_aside():
    batch, pieces = demo_batch8()
    counts = count_labels(pieces)
    assert (counts.pieces, counts.duplicates, counts.transferred) == (17, 3, 17)
    assert dict(counts.types) == {"水": 6, "大气": 9, "生态": 3, "噪声": 4, "其他": 3}
    assert dict(counts.regions) == {
        "芗城区": 2,
        "龙文区": 3,
        "漳浦县": 3,
        "东山县": 1,
        "平和县": 2,
        "漳州台商投资区": 5,
        "漳州高新区": 1,
        "古雷开发区": 1,
    }
    assert sum(dict(counts.types).values()) == 25 and sum(dict(counts.regions).values()) == 18
    assert counts.multi_type and counts.multi_region
    assert batch.handed_over == DEC14


def test_the_generated_paragraph_uses_full_width_punctuation_only():
    batch, pieces = demo_batch8()
    text = batch_paragraph(batch, pieces)
    assert text.startswith("12月14日，省生态环境保护督察组向我市移交第八批群众信访举报件17件（已扣除重复件）。")
    assert not set(text) & set("()[],;:")
    assert text.endswith("。所有举报件均已及时转交相关地区（部门）处理。")


# ---------------------------------------------------------------- each conditional clause


def test_types_over_the_count_but_regions_not():
    pieces = [piece("1", "水、大气", "芗城区"), piece("2", "噪声", "龙文区")]
    text = batch_paragraph(BATCH8, pieces)
    assert text == (
        "12月14日，省生态环境保护督察组向我市移交第八批群众信访举报件2件。"
        "从信访举报件生态环境问题类型看，涉及水环境问题1件、大气环境问题1件、噪声环境问题1件（部分举报件涉及多个问题类型）；"
        "从区域分布上看，芗城区1件、龙文区1件。所有举报件均已及时转交相关地区（部门）处理。"
    )


def test_regions_over_the_count_but_types_not():
    pieces = [piece("1", "大气", "龙文区/台商区"), piece("2", "大气", "龙文区")]
    text = batch_paragraph(BATCH8, pieces)
    assert "涉及大气环境问题2件；" in text  # no type notice: 2 labels for 2 pieces
    assert "从区域分布上看，龙文区2件、漳州台商投资区1件（部分举报件涉及多个地区）。" in text
    assert "部分举报件涉及多个问题类型" not in text


def test_duplicates_add_the_deducted_note_and_count_nowhere():
    pieces = [piece("1", "水"), piece("2", "水、大气", "芗城区、龙文区", duplicate="是")]
    text = batch_paragraph(BATCH8, pieces)
    assert "举报件1件（已扣除重复件）。" in text
    assert "涉及水环境问题1件；从区域分布上看，芗城区1件。" in text
    assert "大气" not in text and "龙文区" not in text
    assert "（已扣除重复件）" not in batch_paragraph(BATCH8, pieces[:1])


def test_a_counted_piece_without_a_transfer_unit_drops_the_last_sentence():
    pieces = [piece("1"), piece("2", unit="")]
    text = batch_paragraph(BATCH8, pieces)
    assert text.endswith("从区域分布上看，芗城区2件。")
    assert "转交" not in text
    # a duplicate without a unit does not matter: it is not a counted piece
    text = batch_paragraph(BATCH8, [piece("1"), piece("2", unit=None, duplicate="重复")])
    assert text.endswith("所有举报件均已及时转交相关地区（部门）处理。")


def test_zero_counts_are_left_out_and_orders_are_the_tables_not_the_ledgers():
    pieces = [piece("1", "其他", "古雷"), piece("2", "固废", "长泰县"), piece("3", "水", "高新区")]
    text = batch_paragraph(BATCH8, pieces)
    assert "涉及水环境问题1件、固体废物问题1件、其他污染1件；" in text
    assert "从区域分布上看，长泰区1件、漳州高新区1件、古雷开发区1件。" in text
    assert "土壤" not in text and "芗城区" not in text


@pytest.mark.parametrize(("number", "words"), [(1, "第一批"), (12, "第十二批"), (20, "第二十批"), (99, "第九十九批")])
def test_batch_number_in_chinese_numerals(number, words):
    text = batch_paragraph(Batch(number, date(2022, 3, 5), "中央生态环境保护督察组"), [piece("1", batch=number)])
    assert text.startswith(f"3月5日，中央生态环境保护督察组向我市移交{words}群众信访举报件1件。")


def test_a_city_edits_the_wording_and_a_bad_placeholder_is_named():
    wording = dict(VOCAB.wording, opening="{month}月{day}日，{body}转来第{batch_number}批信访件{pieces}件{deducted}。")
    city = dataclasses.replace(VOCAB, wording=wording)
    assert batch_paragraph(BATCH8, [piece("1")], city).startswith("12月14日，省生态环境保护督察组转来第8批信访件1件。")
    broken = dataclasses.replace(VOCAB, wording=dict(VOCAB.wording, item="{name}{number}件"))
    message = r"督察信访措辞「item」含未知占位符 \{number\}（可用：\{name\}、\{count\}）"
    with pytest.raises(PetitionError, match=message):
        batch_paragraph(BATCH8, [piece("1")], broken)


def test_a_batch_without_pieces_cannot_be_reported():
    with pytest.raises(PetitionError, match="第 9 批没有举报件"):
        batch_paragraph(Batch(9, DEC14, "省生态环境保护督察组"), [piece("1")])


# ---------------------------------------------------------------- follow-up figures


def test_stats_document_of_one_batch():
    pieces = [
        piece("1", "水、大气", "芗城区", closed_on=date(2021, 12, 20), deadline=15),
        piece("2", "大气", "芗城区、龙文区", deadline=date(2021, 12, 20)),
        piece("3", "噪声", "龙文区", closed_on=date(2021, 12, 28), deadline=10, unit=None),
        piece("4", "大气", "龙文区", duplicate="是", deadline=5),
    ]
    doc = petition_stats(pieces, batch=8, as_of=date(2021, 12, 25))
    assert doc == {
        "batch": 8,
        "batches": [8],
        "as_of": "2021-12-25",
        "pieces": 3,
        "duplicates": 1,
        "types": [
            {"name": "水环境问题", "count": 1},
            {"name": "大气环境问题", "count": 2},
            {"name": "噪声环境问题", "count": 1},
        ],
        "regions": [{"name": "芗城区", "count": 2}, {"name": "龙文区", "count": 2}],
        "multi_type": True,
        "multi_region": True,
        "transferred": 2,
        "closed": 1,  # piece 3 closes on 12-28, after the as-of date
        "closure_rate": "33.33",
        "by_region": [
            {"name": "芗城区", "pieces": 2, "closed": 1, "closure_rate": "50.00", "overdue": 1},
            {"name": "龙文区", "pieces": 2, "closed": 0, "closure_rate": "0.00", "overdue": 2},
        ],
        "by_type": [
            {"name": "水环境问题", "pieces": 1, "closed": 1, "closure_rate": "100.00", "overdue": 0},
            {"name": "大气环境问题", "pieces": 2, "closed": 1, "closure_rate": "50.00", "overdue": 1},
            {"name": "噪声环境问题", "pieces": 1, "closed": 0, "closure_rate": "0.00", "overdue": 1},
        ],
        "overdue": [
            {
                "batch": 8,
                "piece_no": "2",
                "regions": ["芗城区", "龙文区"],
                "types": ["大气环境问题"],
                "unit": "芗城区人民政府",
                "deadline": "2021-12-20",
                "days_overdue": 5,
            },
            {
                "batch": 8,
                "piece_no": "3",
                "regions": ["龙文区"],
                "types": ["噪声环境问题"],
                "unit": None,
                "deadline": "2021-12-24",
                "days_overdue": 1,
            },
        ],
    }


def test_overdue_is_judged_at_the_as_of_date():
    late = piece("1", deadline=date(2021, 12, 24), closed_on=date(2021, 12, 27))
    assert overdue_pieces([late], date(2021, 12, 24)) == []  # the deadline day itself is in time
    assert overdue_pieces([late], date(2021, 12, 25)) == [late]  # past it, not yet closed
    assert overdue_pieces([late], date(2021, 12, 27)) == []  # closed (late, but closed)
    assert [late.days_overdue(date(2021, 12, d)) for d in (24, 26, 27)] == [None, 2, None]
    no_deadline = piece("2")
    duplicate = piece("3", deadline=1, duplicate="是")
    assert overdue_pieces([no_deadline, duplicate], date(2022, 6, 1)) == []


def test_stats_across_batches_and_traceable_pieces():
    pieces = [
        piece("8-1", "水", "芗城区", batch=8, closed_on=date(2021, 12, 20)),
        piece("8-2", "水", "龙文区", batch=8),
        piece("9-1", "水、噪声", "芗城区", batch=9, closed_on=date(2021, 12, 30), deadline=3),
    ]
    doc = petition_stats(pieces, as_of=date(2021, 12, 31))
    assert (doc["batch"], doc["batches"], doc["pieces"], doc["closed"], doc["closure_rate"]) == (
        None,
        [8, 9],
        3,
        2,
        "66.67",
    )
    assert doc["by_region"][0] == {"name": "芗城区", "pieces": 2, "closed": 2, "closure_rate": "100.00", "overdue": 0}
    assert doc["overdue"] == []
    assert petition_stats(pieces, batch=9, as_of=date(2021, 12, 31))["types"] == [
        {"name": "水环境问题", "count": 1},
        {"name": "噪声环境问题", "count": 1},
    ]
    behind = pieces_behind(pieces, "closed", as_of=date(2021, 12, 31), region="芗城", type_word="水环境问题")
    assert [p.piece_no for p in behind] == ["8-1", "9-1"]
    assert [p.piece_no for p in pieces_behind(pieces, "open", as_of=date(2021, 12, 31))] == ["8-2"]


def test_rates_round_half_up_and_are_null_without_pieces():
    pieces = [piece(str(i), closed_on=date(2021, 12, 20) if i == 0 else None) for i in range(32)]
    assert petition_stats(pieces, as_of=date(2021, 12, 31))["closure_rate"] == "3.13"  # 3.125, not banker's 3.12
    empty = petition_stats([piece("1", duplicate="是")], as_of=date(2021, 12, 31))
    assert (empty["pieces"], empty["duplicates"], empty["closure_rate"], empty["types"]) == (0, 1, None, [])


def test_batch_list_newest_first():
    batch, pieces = demo_batch8()
    ninth = Batch(9, date(2021, 12, 21), "省生态环境保护督察组")
    rows = batch_rows([batch, ninth], [*pieces, piece("9-1", batch=9)], as_of=date(2022, 1, 5))
    assert rows[0] == {
        "batch": 9,
        "handed_over": "2021-12-21",
        "body": "省生态环境保护督察组",
        "pieces": 1,
        "duplicates": 0,
        "transferred": 1,
        "closed": 0,
        "closure_rate": "0.00",
        "overdue": 0,
    }
    assert (rows[1]["batch"], rows[1]["pieces"], rows[1]["duplicates"], rows[1]["closed"]) == (8, 17, 3, 10)
    assert (rows[1]["closure_rate"], rows[1]["overdue"]) == ("58.82", 4)


def test_type_by_region_table_of_the_demo_batch():
    _, pieces = demo_batch8()
    table = type_region_table(pieces)
    assert table["type_totals"] == [6, 9, 3, 4, 3] and table["region_totals"] == [2, 3, 3, 1, 2, 5, 1, 1]
    row = table["types"].index("大气环境问题")
    column = table["regions"].index("漳州台商投资区")
    assert table["cells"][row][column] == 3
    assert table["multi_type"] and table["multi_region"] and table["pieces"] == 17
