"""models.petitions: a 督察信访 ledger row's cells → a Piece (domain.md §9), and the words refused by name."""

import tomllib
from datetime import date

import pytest

from models.errors import CellValueError
from models.numbers import chinese_numeral, parse_chinese_numeral
from models.petitions import (
    BatchMismatch,
    Piece,
    load_petition_vocabulary,
    make_piece,
    parse_batch,
    parse_deadline,
    parse_duplicate,
    parse_regions,
    parse_types,
    split_cell,
    vocabulary_from_data,
)
from models.store import RESOURCES
from models.vocabulary import VocabularyError

VOCAB = load_petition_vocabulary()
DEC14 = date(2021, 12, 14)


def row(**cells) -> Piece:
    return make_piece({"piece_no": "D001", "types": "水", "regions": "芗城区", **cells}, batch=8, handed_over=DEC14)


@pytest.mark.parametrize(
    "cell",
    ["水、大气", "水，大气", "水,大气", "水；大气", "水;大气", "水/大气", "水／大气", "水\n大气", " 水 、\r\n 大气 、"],
)
def test_every_separator_splits_a_multi_type_cell(cell):
    assert parse_types(cell, VOCAB) == ("水", "大气")


def test_short_long_and_alias_type_names_are_one_type_listed_in_table_order():
    assert parse_types("其他污染、水环境问题、噪音、固体废物", VOCAB) == ("水", "噪声", "固废", "其他")
    assert parse_types("水、水环境问题", VOCAB) == ("水",)  # the same type twice is one type
    assert parse_types("大 气", VOCAB) == ("大气",)  # whitespace inside a word is ignored


def test_region_aliases_become_the_registry_names_in_administrative_order():
    assert parse_regions("古雷/高新区、台商区", VOCAB) == ("漳州台商投资区", "漳州高新区", "古雷开发区")
    assert parse_regions("龙海市", VOCAB) == ("龙海区",)
    assert parse_regions("芗城", VOCAB) == ("芗城区",)


def test_an_unknown_type_word_is_refused_by_name():
    with pytest.raises(CellValueError) as caught:
        parse_types("水、辐射", VOCAB)
    assert caught.value.field == "types"
    assert caught.value.word == "辐射"
    assert str(caught.value) == "问题类型「辐射」不在问题类型表中（应为：水、大气、生态、噪声、土壤、固废、其他）"


def test_an_unknown_region_word_is_refused_by_name():
    with pytest.raises(CellValueError, match="地区「厦门市」不在地区表中") as caught:
        row(regions="芗城区、厦门市")
    assert caught.value.field == "regions"


def test_a_piece_needs_at_least_one_type_and_one_region():
    with pytest.raises(CellValueError, match="问题类型为空") as caught:
        row(types=" 、 ")
    assert caught.value.field == "types"
    with pytest.raises(CellValueError, match="所属地区为空"):
        row(regions=None)


def test_split_cell_keeps_words_and_takes_a_list_as_already_split():
    assert split_cell("漳州台商投资区 ; 漳州高新区") == ["漳州台商投资区", "漳州高新区"]
    assert split_cell(["水", " 大气 "]) == ["水", "大气"]
    assert split_cell(None) == []


@pytest.mark.parametrize(("cell", "duplicate"), [("是", True), ("重复", True), ("重复件", True), (" 否 ", False)])
def test_duplicate_words(cell, duplicate):
    assert parse_duplicate(cell, VOCAB) is duplicate


def test_a_blank_duplicate_cell_counts_the_piece_and_a_strange_word_is_refused():
    assert row().duplicate is False
    assert row(duplicate="").counted
    with pytest.raises(CellValueError, match="是否重复「待定」应为") as caught:
        row(duplicate="待定")
    assert caught.value.field == "duplicate"


def test_deadline_as_a_date_is_kept():
    piece = row(deadline=date(2021, 12, 31))
    assert (piece.deadline, piece.deadline_days) == (date(2021, 12, 31), None)
    assert row(deadline="2021-12-31 00:00:00").deadline == date(2021, 12, 31)  # the importer's date text


@pytest.mark.parametrize("cell", [15, 15.0, "15", "15天", "15日", "15个自然日", "１５天"])
def test_deadline_as_a_number_is_natural_days_from_the_handover(cell):
    assert parse_deadline(cell, DEC14) == (date(2021, 12, 29), 15)


def test_deadline_across_the_new_year_and_blank():
    assert parse_deadline("30天", DEC14) == (date(2022, 1, 13), 30)
    assert parse_deadline(None, DEC14) == (None, None)
    assert parse_deadline("", DEC14) == (None, None)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("半个月", "办理时限「半个月」应为日期（如 2021-12-29）或天数（如 15）"),
        (0, "天数不合理"),
        (44561, "办理时限「44561」天数不合理（应为 1–366 天，或写成日期）"),
        (date(2021, 12, 1), "办理时限 2021-12-01 早于移交日期 2021-12-14"),
        (True, "办理时限「True」应为日期（如 2021-12-29）或天数"),
    ],
)
def test_bad_deadlines_are_refused(cell, message):
    with pytest.raises(CellValueError, match=message) as caught:
        row(deadline=cell)
    assert caught.value.field == "deadline"


def test_closed_date_cannot_precede_the_handover_nor_be_text():
    assert row(closed_on=date(2021, 12, 20)).closed_on == date(2021, 12, 20)
    with pytest.raises(CellValueError, match="办结时间 2021-12-01 早于移交日期"):
        row(closed_on=date(2021, 12, 1))
    with pytest.raises(CellValueError, match="办结时间「已办结」不是日期") as caught:
        row(closed_on="已办结")
    assert caught.value.field == "closed_on"


def test_piece_number_is_required_and_text_cells_are_trimmed():
    with pytest.raises(CellValueError, match="举报件编号为空"):
        row(piece_no="  ")
    piece = row(piece_no=" Ｄ001 ", unit=" 芗城区人民政府 ", result="—")
    assert (piece.piece_no, piece.unit, piece.result) == ("D001", "芗城区人民政府", None)


@pytest.mark.parametrize("cell", [8, 8.0, "8", "第8批", "第八批", "八", "第 八 批", "第8批次"])
def test_batch_cell_words(cell):
    assert parse_batch(cell) == 8


def test_a_row_of_another_batch_or_date_refuses_the_file():
    assert row(batch="第八批", handed_over=date(2021, 12, 14)).batch == 8
    with pytest.raises(BatchMismatch, match="文件中的批次「第九批」与导入的第 8 批不一致"):
        row(batch="第九批")
    with pytest.raises(BatchMismatch, match="移交日期 2021-12-15 与导入的移交日期 2021-12-14 不一致"):
        row(handed_over="2021-12-15")
    with pytest.raises(CellValueError, match="不是批次号"):
        parse_batch("最新")
    with pytest.raises(CellValueError, match="不是批次号"):
        parse_batch(True)


def test_chinese_numerals_for_batches_1_to_99():
    expected = {1: "一", 8: "八", 10: "十", 11: "十一", 12: "十二", 19: "十九", 20: "二十", 21: "二十一", 99: "九十九"}
    for n, words in expected.items():
        assert chinese_numeral(n) == words
    for n in range(1, 100):
        assert parse_chinese_numeral(chinese_numeral(n)) == n
    assert [chinese_numeral(n) for n in (100, 101, 110, 1010)] == ["一百", "一百零一", "一百一十", "一千零一十"]
    with pytest.raises(ValueError):
        chinese_numeral(0)


def test_record_round_trip():
    piece = row(types="水、生态", regions="高新区/台商区", deadline="15天", closed_on=date(2021, 12, 20))
    record = piece.record()
    assert record["types"] == ["水", "生态"]
    assert record["regions"] == ["漳州台商投资区", "漳州高新区"]
    assert record["deadline"] == "2021-12-29" and record["deadline_days"] == 15
    assert Piece.from_record(record) == piece


def test_a_city_adds_its_own_type_alias_and_a_word_for_two_types_is_refused():
    data = tomllib.loads((RESOURCES / "petitions.toml").read_text(encoding="utf-8"))
    data["type"][-1]["aliases"].append("辐射")
    city = vocabulary_from_data(data, VOCAB.regions)
    assert parse_types("水、辐射", city) == ("水", "其他")
    data["type"][0]["aliases"].append("辐射")
    with pytest.raises(VocabularyError, match="「辐射」同时指向「水」和「其他」"):
        vocabulary_from_data(data, VOCAB.regions)
