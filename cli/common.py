"""The parser pieces every command group shares: command registration with `--db`, period flags, case
filters, `-o FILE`, and the ways a command hands its result to the user (text, JSON, progress).

A command declares what it needs when it is registered (`creates_db`, `period_flags`, `output_flag`);
:func:`cli.run` checks the period and the database before the command runs, so a mistake in either is
reported the same way by every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from models.errors import UserFacingError
from models.periods import Period, period_from_args

Handler = Callable[[argparse.Namespace], int]

PERIOD_DESTS = ("month", "quarter", "year", "date_from", "date_to")
BOM_SUFFIXES = (".txt", ".csv")  # Excel and Notepad on Windows read UTF-8 reliably only with a BOM


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    """`--db` on a command or a group: accepted at any level of the line; the last one given wins."""
    parser.add_argument("--db", metavar="PATH", help="数据库文件（可写在命令行的任意位置）", default=argparse.SUPPRESS)


def add_group(sub, name: str, help_text: str):
    """A command with its own subcommands (`adjust add|list|reverse`); returns their subparsers."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    add_db_flag(parser)
    return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)


def add_command(
    sub,
    name: str,
    handler: Handler,
    help_text: str,
    *,
    creates_db: bool = False,
    period_flags: bool = False,
    output_flag: bool = False,
) -> argparse.ArgumentParser:
    """Register one runnable command.

    creates_db: the command may create the database file (only imports, the demo and the GUI); every other
    command refuses a file that does not exist rather than printing zeros from a new empty store.
    period_flags: the command takes `--month | --quarter | --year | --from/--to` and gets `args.period`.
    output_flag: the command prints its result and takes `-o FILE` to write it to a file instead.
    """
    parser = sub.add_parser(name, help=help_text, description=help_text)
    add_db_flag(parser)
    parser.set_defaults(handler=handler, creates_db=creates_db, period_flags=period_flags)
    if period_flags:
        group = parser.add_argument_group("统计周期（任选其一）")
        group.add_argument("--month", metavar="YYYY-MM")
        group.add_argument("--quarter", metavar="YYYY-Qn")
        group.add_argument("--year", metavar="YYYY")
        group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
        group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    if output_flag:
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="写入文件（UTF-8；.txt/.csv 带 BOM）而不是打印到屏幕"
        )
    return parser


def add_case_filters(parser: argparse.ArgumentParser) -> None:
    """Which cases behind which figure (`cases`, `export cases`)."""
    parser.add_argument("--unit", help="处置单位")
    parser.add_argument("--with-subunits", action="store_true", help="含下属单位")
    parser.add_argument("--kind", choices=["部件", "事件"])
    parser.add_argument("--minor", help="小类")
    from models.indicators import FIGURES

    parser.add_argument(
        "--figure",
        choices=FIGURES,
        metavar="FIGURE",
        default="filed",
        help="哪个数字背后的案件（默认 filed 立案；可选：%(choices)s）",
    )
    parser.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="亮灯与超期的判断时刻")


def case_filters(args: argparse.Namespace) -> dict:
    """The values of :func:`add_case_filters`, as keyword arguments of case_numbers and CaseFilter."""
    return {key: getattr(args, key) for key in ("figure", "unit", "with_subunits", "kind", "minor", "as_of")}


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(words after `main.py`, parser) for every runnable command, in the order `--help` lists them."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
        return
    for name, child in groups[0].choices.items():
        yield from leaf_commands(child, (*path, name))


def period_of(args: argparse.Namespace) -> Period:
    """The one period the period flags name (PeriodError when none, several, or an impossible one)."""
    return period_from_args(
        month=args.month,
        quarter=args.quarter,
        year=args.year,
        date_from=args.date_from,
        date_to=args.date_to,
    )


def database_path(args: argparse.Namespace) -> Path:
    """`--db` or the file the GUI uses; a command that does not create the store refuses a missing file."""
    from models.store import default_db_path

    path = Path(args.db) if args.db else default_db_path()
    if not args.creates_db and not path.is_file():
        raise UserFacingError(f"数据库文件不存在：{path}")
    return path


def open_store(args: argparse.Namespace):
    from models.store import network_warning, open_db

    if args.db_path and (warning := network_warning(args.db_path)):
        print(f"警告：{warning}", file=sys.stderr)
    return open_db(args.db_path)


def emit(args: argparse.Namespace, text: str) -> None:
    """A command's printed result, followed by a newline: on stdout, or into `-o FILE` when given.

    The file is UTF-8 with a BOM only for .txt and .csv (never for JSON, which forbids one), and it is
    written in one piece after the result is complete, so a failed command leaves no half-written file.
    A path that cannot be written (a folder, no permission, open in Excel) is the user's to fix."""
    output = getattr(args, "output", None)
    if not output:
        print(text)
        return
    from exporters.saving import write_text

    path = Path(output)
    if path.is_dir():
        raise UserFacingError(f"无法写入「{path}」：这是一个文件夹，请给出文件名")
    write_text(path, text + "\n", bom=path.suffix.lower() in BOM_SUFFIXES)  # says why when it cannot
    print(f"已写入：{path}", file=sys.stderr)


def emit_json(args: argparse.Namespace, doc) -> None:
    emit(args, json.dumps(doc, ensure_ascii=False, indent=1))


def emit_document(args: argparse.Namespace, doc, render: Callable[[dict], str]) -> None:
    """A document (stats, scores) as JSON with `--json`, else as the text `render` makes of it."""
    if args.json:
        emit_json(args, doc)
    else:
        emit(args, render(doc))


def progress_printer(label: str):
    """A progress callback for long commands: a single updating line on stderr."""

    interactive = sys.stderr is not None and sys.stderr.isatty()

    def report(done: int, total: int | None = None, message: str = "") -> None:
        text = f"{label} {done}" + (f"/{total}" if total else "") + (f" {message}" if message else "")
        if interactive:  # one line that updates in place
            print("\r" + text.ljust(60), end="", file=sys.stderr, flush=True)
        else:  # a log file or a pipe: one line per update
            print(text, file=sys.stderr, flush=True)

    return report


def export_target(args: argparse.Namespace, suggested_name: Callable[[], str], target: str | None = None) -> Path:
    """The file an export writes: `-o FILE` (or `target`, another option's value), or inside a FOLDER (an
    existing folder, or a path ending in a slash) under the suggested name, which carries the period and the
    filter."""
    given = target if target is not None else args.output
    out = Path(given)
    if out.is_dir() or given.endswith(("/", "\\")):
        out = out / suggested_name()
    out.parent.mkdir(parents=True, exist_ok=True)
    return out
