"""QA findings in rule-set validation, each pinned by the test that would have caught it."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.errors import RuleSetError
from models.rule_files import BUILTIN_DIR
from models.rule_parser import parse_rule_file


def _default_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (BUILTIN_DIR / "default.toml").read_text(encoding="utf-8")
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
    """A base of 99.995 printed as "100.00" and a cap line of "-0.00" left a published 100.00 above the cap."""
    path = _default_with(tmp_path, old, new)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text == new.strip())
    with pytest.raises(RuleSetError, match=rf"第 {line} 行：「{key}」最多两位小数"):
        parse_rule_file(path)


def test_trailing_zeros_and_large_whole_numbers_are_fine(tmp_path):
    path = _default_with(tmp_path, "base = 100\n", 'base = "100.000"\n')
    assert str(parse_rule_file(path).scheme.base) == "100.000"
    path = _default_with(tmp_path, "cap = 100\n", "cap = 1e30\n")
    assert parse_rule_file(path).scheme.cap == 10**30
