"""The bulletin's settings (defaults from resources/, `config list|set|reset`, every value checked); report flags."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import main
from models.bulletin_settings import (
    WORDING,
    BulletinSettingError,
    load_bulletin_settings,
    reset_setting,
    set_setting_value,
    set_setting_values,
    setting_items,
)
from tests.conftest import insert_cases


def stored_row(db):
    row = db.execute("SELECT value FROM settings WHERE key = 'bulletin'").fetchone()
    return None if row is None else json.loads(row[0])


@pytest.fixture
def db_path(db, tmp_path) -> str:
    return str(tmp_path / "test.db")


def config(db_path: str, *words: str) -> int:
    return main.main(["--db", db_path, "config", *words])


def test_the_defaults_are_the_seeds_wording(db):
    settings = load_bulletin_settings(db)
    assert (settings.city, settings.platform, settings.issuer) == ("漳州", "智慧城管平台", "漳州市城市管理委员会办公室")
    assert settings.score_format == "seed"
    assert settings.templates["deduction"] == "存在{reason}现象，根据{rule}规定，扣{points}分"
    assert settings.channel_label("12319城管服务热线") == "12319城管服务热线投诉举报"
    assert settings.channel_label("110指挥中心转办") == "110指挥中心转办"
    assert all(not item.changed for item in setting_items(db))


@pytest.mark.parametrize(
    ("score_format", "score", "text"),
    [
        ("seed", "100.00", "100.0"),
        ("seed", "99.05", "99.05"),
        ("seed", "98", "98.00"),
        ("seed", "100.004", "100.0"),
        ("0.00", "100", "100.00"),
        ("0.00", "85.335", "85.34"),  # half-up, never banker's rounding
    ],
)
def test_score_formats(db, score_format, score, text):
    set_setting_value(db, "bulletin.score_format", score_format)
    assert load_bulletin_settings(db).score_text(Decimal(score)) == text


def test_config_set_list_and_reset_round_trip(db_path, capsys):
    assert config(db_path, "set", "bulletin.city", "  厦门 ") == 0
    assert capsys.readouterr().out == "已设置：bulletin.city = 厦门\n"
    assert config(db_path, "set", "bulletin.template.deduction", "因{reason}，扣{points}分（{rule}）") == 0
    assert config(db_path, "set", "bulletin.channel.110指挥中心转办", "110转办") == 0
    capsys.readouterr()
    assert config(db_path, "list", "--json") == 0
    listed = {item["key"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed["bulletin.city"] == {
        "key": "bulletin.city",
        "label": "城市",
        "value": "厦门",
        "default": "漳州",
        "changed": True,
        "placeholders": [],
        "choices": [],
    }
    assert listed["bulletin.template.deduction"]["value"] == "因{reason}，扣{points}分（{rule}）"
    assert "points" in listed["bulletin.template.deduction"]["placeholders"]
    assert listed["bulletin.channel.110指挥中心转办"]["value"] == "110转办"
    assert listed["bulletin.score_format"]["choices"] == ["seed", "0.00"]

    assert config(db_path, "list") == 0
    text = capsys.readouterr().out
    assert "bulletin.city = 厦门    # 城市\n    默认：漳州\n" in text
    assert "bulletin.platform = 智慧城管平台（默认）    # 平台名称\n" in text
    assert "{points} 分值" in text

    assert config(db_path, "reset", "bulletin.city") == 0
    assert capsys.readouterr().out == "已恢复默认：bulletin.city = 漳州（默认）\n"


def test_a_value_equal_to_the_default_is_stored_as_the_default(db):
    """So that a default corrected in a later release reaches everyone who never changed the key."""
    set_setting_value(db, "bulletin.platform", "数字城管平台")
    set_setting_value(db, "bulletin.platform", "智慧城管平台")
    assert stored_row(db) == {"settings_version": 2, "value": {"platform": None}}
    assert not next(i for i in setting_items(db) if i.key.key == "bulletin.platform").changed


def test_an_unknown_key_is_refused_with_the_known_ones(db_path, capsys):
    assert config(db_path, "set", "bulletin.town", "芗城") == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：未知的设置项「bulletin.town」。可设置：bulletin.city、bulletin.platform、")
    assert "bulletin.score_format" in err and "bulletin.template.<名称>" in err and "deduction" in err
    assert "bulletin.channel.<渠道>" in err and "微信公众平台" in err
    assert config(db_path, "reset", "city") == 2  # the prefix is part of the key


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("bulletin.template.deduction", "存在{reason}现象，扣{pts}分", "中有未知的占位符 {pts}。可用的占位符："),
        ("bulletin.template.deduction", "扣{points分", "的花括号不成对"),
        ("bulletin.template.deduction", "扣{points:.1f}分", "不能带格式说明"),
        ("bulletin.template.deduction", "扣{}分", "中有未知的占位符 {}"),
        ("bulletin.template.deduction", "扣{points.real}分", "中有未知的占位符 {points.real}"),
        ("bulletin.template.title", "{reason}通报", "中有未知的占位符 {reason}"),  # another template's placeholder
        ("bulletin.doc_no", "第{number}期", "中有未知的占位符 {number}"),
        ("bulletin.score_format", "0.0", "的取值「0.0」无效（可选 seed："),
        ("bulletin.issuer", "  ", "bulletin.issuer（发文机关（署名））不能为空；恢复默认用 config reset"),
        ("bulletin.city", "漳\n州", "不能含换行或控制字符"),
    ],
)
def test_an_invalid_value_is_refused_and_nothing_is_stored(db, key, value, message):
    with pytest.raises(BulletinSettingError) as caught:
        set_setting_value(db, key, value)
    assert message in str(caught.value)
    assert stored_row(db) is None


def test_a_page_of_values_is_stored_only_when_every_value_is_valid(db):
    with pytest.raises(BulletinSettingError):
        set_setting_values(db, {"bulletin.city": "厦门", "bulletin.template.kind": "{nope}"})
    assert load_bulletin_settings(db).city == "漳州"
    set_setting_values(db, {"bulletin.city": "厦门", "bulletin.doc_no": ""})
    settings = load_bulletin_settings(db)
    assert (settings.city, settings.doc_no, settings.fill_doc_no(year=2021, month=11)) == ("厦门", "", "")


def test_literal_braces_are_written_doubled(db):
    set_setting_value(db, "bulletin.doc_no", "{{内部}}{year}-{month}")
    settings = load_bulletin_settings(db)
    assert settings.fill_doc_no(year=2021, month=11, period="", city="", platform="") == "{内部}2021-11"


def test_a_template_broken_by_hand_in_the_database_is_named_before_any_output(db, db_path, capsys):
    WORDING.write(db, {"template.deduction": "扣{pts}分"})  # as a hand edit of the database would
    assert main.main(["--db", db_path, "report", "--month", "2021-11"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "bulletin.template.deduction 中有未知的占位符 {pts}" in out.err
    reset_setting(db, "bulletin.template.deduction")
    insert_cases(db, [{"case_no": "A1", "unit": "西桥街道办事处", "reported_at": "2021-11-03 08:00:00"}])
    assert main.main(["--db", db_path, "report", "--month", "2021-11"]) == 0  # a month with a case


def test_report_refuses_an_impossible_signature_date(db_path, capsys):
    assert main.main(["--db", db_path, "report", "--month", "2021-11", "--issued", "2021-02-30"]) == 2
    assert capsys.readouterr().err == "错误：落款日期 --issued：日期超出范围：30 日（2021年2月只有 28 天）\n"
