"""The command line over the same core the GUI uses (../shared/cli.md).

One module per command group registers its commands and holds their handlers; handlers only parse,
call core functions and print, so every figure comes from the call the GUI makes:

- `cli.common`  — shared parser pieces (`--db`, periods, case filters, `-o`), output and progress helpers
- `cli.cases`   — import, demo, stats, cases, report (text or --docx), export cases
- `cli.scoring` — scores, adjust add|list|reverse, export scores
- `cli.units`   — units list|set
- `cli.lw`, `cli.petitions`, `cli.rectify` — the other supervision streams (两违, 督察信访, 创城回头看)
- `cli.config`  — config list|set|reset (the documents' settings)
- `cli.usage`   — the README's command table, generated from these parsers

Exit status: 0 ok; 2 the user's input is wrong (a `UserFacingError`, a refused file or an argparse
error), with the Chinese message on stderr; 1 anything else, a short note on stderr and the traceback in
the log file only.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cli import cases, common, config, lw, petitions, rectify, scoring, units
from models.errors import UserFacingError

log = logging.getLogger("chengguan")


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import run_gui

    return run_gui(db_path=args.db_path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="城管绩效台：不带命令时启动桌面程序")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认：用户数据目录中与桌面程序共用的文件）")
    parser.set_defaults(handler=cmd_gui, creates_db=True, period_flags=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common.add_command(sub, "gui", cmd_gui, "启动桌面程序（不带命令时的默认）", creates_db=True)
    cases.register(sub)
    scoring.register(sub)
    export = common.add_group(sub, "export", "导出 Excel（-o 给出文件名，或给出文件夹以使用建议的文件名）")
    scoring.register_export(export)
    cases.register_export(export)
    units.register(sub)
    lw.register(sub)
    petitions.register(sub)
    rectify.register(sub)
    config.register(sub)
    return parser


def setup_logging() -> Path:
    """Tracebacks go to a log file beside the default database, never to the user's screen."""
    import platformdirs

    folder = Path(platformdirs.user_log_dir("chengguan-console", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "chengguan.log"
    logging.basicConfig(
        filename=str(path),
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        encoding="utf-8",
    )
    return path


def run(argv: list[str] | None = None) -> int:
    """Parse the line and run its command (the GUI when none is given); returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    log_path = setup_logging()
    args = build_parser().parse_args(argv)
    try:
        if args.period_flags:  # the arguments first, then the file they are about
            args.period = common.period_of(args)
        args.db_path = common.database_path(args)
        return args.handler(args)
    except BrokenPipeError:  # output piped into `head` or a closed pager: not an error
        sys.stderr.close()
        return 0
    except UserFacingError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence (cli.md exit status 1)
        log.exception("command failed: %s", argv if argv is not None else sys.argv[1:])
        print(f"内部错误：{type(exc).__name__}: {exc}（详情见日志 {log_path}）", file=sys.stderr)
        return 1
