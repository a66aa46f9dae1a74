"""The README's command section stays true: its table is generated from the parsers, and every command line
it shows parses with the real parser (a renamed flag fails here, not in a user's hands)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cli import build_parser, common
from cli.usage import README_BEGIN, README_END, command_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def readme_command_lines() -> list[str]:
    """Each `python main.py …` line inside the README's code blocks, backslash continuations joined."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", README, flags=re.S | re.M)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip().startswith("python main.py")]


def test_the_readme_holds_the_generated_command_table():
    start, end = README.index(README_BEGIN), README.index(README_END) + len(README_END)
    assert README[start:end] == command_table(), "README out of date: paste the output of `python -m cli.usage`"


def test_the_table_lists_every_command_once():
    table = command_table()
    for words in ["gui", "import", "demo", "stats", "cases", "report", "scores", "adjust add", "adjust list",
                  "adjust reverse", "export scores", "export cases", "units list", "units set", "lw import",
                  "lw stats", "lw overdue", "lw export escalation", "petitions import", "petitions list",
                  "petitions stats", "petitions report", "rectify import", "rectify stats",
                  "rectify export"]:  # fmt: skip
        assert table.count(f"`python main.py {words} ") + table.count(f"`python main.py {words}`") == 1, words


def test_readme_shows_some_command_lines():
    assert len(readme_command_lines()) >= 5


@pytest.mark.parametrize("line", readme_command_lines())
def test_every_command_line_in_the_readme_parses(line):
    argv = shlex.split(line)[2:]  # after `python main.py`
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse refused the line
        raise AssertionError(f"README line does not parse: {line}") from exc
    if args.period_flags:
        common.period_of(args)  # a well-formed, possible period
