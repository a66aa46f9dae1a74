"""Rule sets as data: the shipped files, validation errors naming the line, copies a user can edit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from models import rule_files
from models.errors import RuleSetError
from models.rule_files import copy_rule_set, list_rule_sets, load_rule_set
from models.rule_parser import parse_rule_file


@pytest.fixture(autouse=True)
def user_rules(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "user_rules"
    monkeypatch.setattr(rule_files, "user_rules_dir", lambda: folder)
    return folder


def test_default_rule_set_is_exactly_the_shipped_default_of_domain_section_6():
    rs = load_rule_set(None)
    assert (rs.name, rs.version, rs.family, rs.rounding) == ("default", "1", "deduction", "half_up")
    scheme = rs.scheme
    assert (scheme.base, scheme.floor, scheme.cap) == (Decimal(100), Decimal(0), Decimal(100))
    assert (scheme.no_cases.score, scheme.no_cases.label) == (Decimal(100), "无案件")
    by_id = {r.id: r for r in scheme.rules}
    assert by_id["on_time_closure_rate"].kind == "rate_shortfall"
    assert by_id["on_time_closure_rate"].per_point == Decimal("0.30")
    assert by_id["on_time_closure_rate"].target == Decimal(100)
    assert by_id["closure_rate"].per_point == Decimal("0.20")
    assert (by_id["rework"].kind, by_id["rework"].count, by_id["rework"].per_case) == (
        "per_case",
        "rework",
        Decimal("0.20"),
    )
    assert rs.adjustments is True and rs.builtin is True
    assert len(rs.sha256) == 64


def test_gb_composite_weights_and_filed_bands():
    rs = load_rule_set("gb_composite")
    assert rs.family == "composite" and rs.scheme.base is None
    weights = {r.id: r.weight for r in rs.scheme.rules}
    assert weights == {
        "filed_bands": Decimal("0.10"),
        "closure_rate": Decimal("0.30"),
        "on_time_disposal_rate": Decimal("0.30"),
        "rework_rate": Decimal("0.30"),
    }
    bands = next(r for r in rs.scheme.rules if r.kind == "bands").bands
    assert [(b.max, b.score) for b in bands] == [
        (50, 100),
        (100, 90),
        (200, 75),
        (500, 60),
        (1000, 40),
        (None, 0),
    ]


def test_list_rule_sets_has_both_builtins():
    names = [r.name for r in list_rule_sets()]
    assert names[:2] == ["default", "gb_composite"]


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\nversion = 1\nfamily = "deduction"\nbase = \n', encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rule_set(str(path))
    message = str(info.value)
    assert "broken.toml" in message and "第 4 行" in message


def _default_text() -> str:
    return (rule_files.BUILTIN_DIR / "default.toml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(needle))


def test_bad_value_names_the_line_of_its_key(tmp_path):
    text = _default_text().replace('per_point = "0.20"', 'per_point = "zwei"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        parse_rule_file(path)
    line = _line_of(text, 'per_point = "zwei"')
    assert f"第 {line} 行" in str(info.value)
    assert "bad.toml" in str(info.value) and "per_point" in str(info.value)


def test_unknown_rate_and_unknown_key_name_their_lines(tmp_path):
    text = _default_text().replace('rate = "closure_rate"', 'rate = "happiness"')
    path = tmp_path / "rate.toml"
    path.write_text(text, encoding="utf-8")
    line = _line_of(text, 'rate = "happiness"')
    with pytest.raises(RuleSetError, match=f"第 {line} 行"):
        parse_rule_file(path)
    text = _default_text().replace("cap = 100", "cap = 100\nbonus = 3")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match=f"第 {_line_of(text, 'bonus')} 行.*bonus"):
        parse_rule_file(path)


def test_composite_weights_must_add_up_to_one(tmp_path):
    text = (
        (rule_files.BUILTIN_DIR / "gb_composite.toml")
        .read_text(encoding="utf-8")
        .replace('weight = "0.10"', 'weight = "0.20"')
    )
    path = tmp_path / "weights.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match="权重之和应为 1"):
        parse_rule_file(path)


def test_deduction_kind_refused_in_composite_family(tmp_path):
    text = _default_text().replace('family = "deduction"', 'family = "composite"')
    path = tmp_path / "family.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match="base"):
        parse_rule_file(path)


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(RuleSetError, match="default"):
        load_rule_set("nonexistent")


def test_the_chosen_rule_set_is_used_where_none_is_named_and_a_bad_choice_is_refused(db):
    assert rule_files.chosen_rule_set(db) == "default"
    assert rule_files.choose_rule_set(db, "gb_composite") == "gb_composite"
    assert rule_files.chosen_rule_set(db) == "gb_composite" == load_rule_set(None, db).name
    with pytest.raises(RuleSetError, match="default"):
        rule_files.choose_rule_set(db, "nonexistent")
    assert rule_files.chosen_rule_set(db) == "gb_composite"


def test_copy_rule_set_to_user_folder_then_load_by_name(user_rules):
    path = copy_rule_set("default", "zhangzhou")
    assert path == user_rules / "zhangzhou.toml"
    text = path.read_text(encoding="utf-8")
    assert 'name = "zhangzhou"' in text and "version = 1" in text and "# " in text  # comments kept
    path.write_text(text.replace('per_case = "0.20"', 'per_case = "0.50"'), encoding="utf-8")
    rs = load_rule_set("zhangzhou")
    assert rs.name == "zhangzhou" and not rs.builtin
    assert next(r for r in rs.scheme.rules if r.id == "rework").per_case == Decimal("0.50")
    assert rs.description.startswith("复制自 内置示例规则（扣分制）（版本 1）：")
    assert (rs.display_name, rs.example, rs.to_json()["note"]) == ("zhangzhou", False, None)  # the office's own
    assert [r.name for r in list_rule_sets()] == ["default", "gb_composite", "zhangzhou"]
    with pytest.raises(RuleSetError, match="已存在"):
        copy_rule_set("default", "zhangzhou")
    with pytest.raises(RuleSetError, match="内置"):
        copy_rule_set("gb_composite", "default")


def test_per_category_override_changes_only_that_category(tmp_path):
    text = _default_text() + '\n[overrides.C]\nbase = 90\ncap = 90\n[overrides.C.rules.rework]\nper_case = "0.10"\n'
    path = tmp_path / "over.toml"
    path.write_text(text, encoding="utf-8")
    rs = parse_rule_file(path)
    assert rs.for_category("A").base == Decimal(100)
    c = rs.for_category("C")
    assert (c.base, c.cap) == (Decimal(90), Decimal(90))
    assert next(r for r in c.rules if r.id == "rework").per_case == Decimal("0.10")
    assert next(r for r in rs.for_category("B").rules if r.id == "rework").per_case == Decimal("0.20")


def test_override_of_unknown_rule_names_its_line(tmp_path):
    text = _default_text() + "\n[overrides.C.rules.nosuch]\nper_case = 1\n"
    path = tmp_path / "over.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match=f"第 {_line_of(text, '[overrides.C.rules.nosuch]')} 行"):
        parse_rule_file(path)


def _default_with(tmp_path: Path, old: str, new: str) -> Path:
    text = _default_text()
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("base = 100\n", 'base = "99.995"\n', "base"),
        ("cap = 100\n", 'cap = "99.995"\n', "cap"),
        ("floor = 0\n", "floor = 0.001\n", "floor"),
        ("score = 100\n", 'score = "100.005"\n', "no_cases.score"),
    ],
)
def test_numbers_that_become_score_lines_have_at_most_two_decimals(tmp_path, old, new, key):
    """These numbers are printed as score lines of two decimals: 99.995 would show as "100.00", a cap as "-0.00"."""
    path = _default_with(tmp_path, old, new)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text == new.strip())
    with pytest.raises(RuleSetError, match=rf"第 {line} 行：「{key}」最多两位小数"):
        parse_rule_file(path)


def test_trailing_zeros_and_large_whole_numbers_are_fine(tmp_path):
    path = _default_with(tmp_path, "base = 100\n", 'base = "100.000"\n')
    assert str(parse_rule_file(path).scheme.base) == "100.000"
    path = _default_with(tmp_path, "cap = 100\n", "cap = 1e30\n")
    assert parse_rule_file(path).scheme.cap == 10**30


def test_shipped_rule_sets_have_a_chinese_name_and_say_they_are_examples():
    for name, display in (("default", "内置示例规则（扣分制）"), ("gb_composite", "内置示例规则（加权综合指标）")):
        rs = load_rule_set(name)
        assert (rs.display_name, rs.example, rs.label) == (display, True, f"{display}（版本 1）")
        assert rs.to_json()["note"] == "按内置示例规则计算，非本市考核细则"
        assert rs.scheme.no_cases.ranked is False and rs.scheme.no_cases.label == "无案件"
