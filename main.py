"""城管绩效台 — start the desktop console, or run one CLI command over the same core (cli.md).

`python main.py` opens the GUI; `python main.py COMMAND …` runs a command headless. Handlers here only
parse arguments, call core functions and print: every figure comes from the same call the GUI makes.
Exit status: 0 ok, 2 a refused file or a user error, 1 anything else (traceback in the log file only).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from models.errors import UserFacingError
from models.periods import Period, period_from_args

log = logging.getLogger("chengguan")


# ---------------------------------------------------------------- helpers


def _open(args: argparse.Namespace):
    from models.store import open_db

    return open_db(Path(args.db) if args.db else None)


def _period(args: argparse.Namespace) -> Period:
    return period_from_args(
        month=getattr(args, "month", None),
        quarter=getattr(args, "quarter", None),
        year=getattr(args, "year", None),
        date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None),
    )


def _print_json(doc) -> None:
    print(json.dumps(doc, ensure_ascii=False, indent=1))


def _add_period_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("统计周期（任选其一）")
    group.add_argument("--month", metavar="YYYY-MM")
    group.add_argument("--quarter", metavar="YYYY-Qn")
    group.add_argument("--year", metavar="YYYY")
    group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")


def _add_case_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", help="处置单位")
    parser.add_argument("--with-subunits", action="store_true", help="含下属单位")
    parser.add_argument("--kind", choices=["部件", "事件"])
    parser.add_argument("--minor", help="小类")
    from models.indicators import FIGURES

    parser.add_argument("--figure", choices=FIGURES, default="filed", help="哪个数字背后的案件（默认 filed 立案）")
    parser.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="亮灯与超期的判断时刻")


def _progress_printer(label: str):
    """A progress callback for long commands: a single updating line on stderr."""

    interactive = sys.stderr.isatty()

    def report(done: int, total: int | None = None, message: str = "") -> None:
        text = f"{label} {done}" + (f"/{total}" if total else "") + (f" {message}" if message else "")
        if interactive:  # one line that updates in place
            print("\r" + text.ljust(60), end="", file=sys.stderr, flush=True)
        else:  # a log file or a pipe: one line per update
            print(text, file=sys.stderr, flush=True)

    return report


# ---------------------------------------------------------------- commands


def cmd_import(args: argparse.Namespace) -> int:
    from importers.pipeline import import_files

    db = _open(args)
    reports = import_files(db, [Path(p) for p in args.files], strict=args.strict)
    for report in reports:
        print(report.summary_text())
    return 2 if any(r.refused for r in reports) else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from models.demo import build_demo

    db = _open(args)
    reports = build_demo(db, progress=_progress_printer("生成演示数据"))
    print(file=sys.stderr)
    for report in reports:
        print(report.summary_text())
    return 2 if any(r.refused for r in reports) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from exporters.bulletin import render_stats_text
    from models.indicators import stats_document

    db = _open(args)
    doc = stats_document(db, _period(args), as_of=args.as_of)
    if args.json:
        _print_json(doc)
    else:
        print(render_stats_text(doc))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from models.indicators import case_numbers

    db = _open(args)
    numbers = case_numbers(
        db,
        _period(args),
        figure=args.figure,
        unit=args.unit,
        with_subunits=args.with_subunits,
        kind=args.kind,
        minor=args.minor,
        as_of=args.as_of,
    )
    if args.json:
        _print_json({"period": _period(args).label, "figure": args.figure, "count": len(numbers), "cases": numbers})
    else:
        print("\n".join(numbers))
        print(f"共 {len(numbers)} 件", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from exporters.bulletin import render_bulletin

    db = _open(args)
    print(render_bulletin(db, _period(args), rules=args.rules))
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    from exporters.score_text import render_scores_text
    from models.scoring import score_document

    db = _open(args)
    doc = score_document(db, _period(args), rules=args.rules)
    if args.json:
        _print_json(doc)
    else:
        print(render_scores_text(doc))
    return 0


def cmd_adjust(args: argparse.Namespace) -> int:
    from models import adjustments

    db = _open(args)
    if args.action == "add":
        cases = [c.strip() for c in (args.cases or "").split(",") if c.strip()]
        entry = adjustments.add_adjustment(
            db,
            month=args.month,
            unit=args.unit,
            points=args.points,
            reason=args.reason,
            rule_ref=args.rule,
            cases=cases,
        )
        print(f"已记录调整 #{entry.id}：{entry.unit} {entry.period} {entry.points:+} 分（{entry.reason}）")
    elif args.action == "list":
        entries = adjustments.list_adjustments(db, month=args.month)
        if args.json:
            _print_json([e.to_json() for e in entries])
        else:
            for e in entries:
                print(e.describe())
            if not entries:
                print("（无调整记录）")
    else:
        entry = adjustments.reverse_adjustment(db, args.id, reason=args.reason)
        print(f"已冲销调整 #{args.id}，冲销记录 #{entry.id}：{entry.points:+} 分")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    db = _open(args)
    out = Path(args.output)
    # -o may name a folder: the file then gets the suggested name (period and filter in it)
    into_folder = out.is_dir() or args.output.endswith(("/", "\\"))
    if args.what == "scores":
        from exporters.score_sheet import write_score_sheet

        if into_folder:
            out = out / f"处置单位绩效评价_{_period(args).label}.xlsx"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_score_sheet(db, _period(args), out, rules=args.rules)
    else:
        from exporters.case_list import CaseFilter, suggest_file_name, write_case_list

        filters = CaseFilter(
            figure=args.figure,
            unit=args.unit,
            with_subunits=args.with_subunits,
            kind=args.kind,
            minor=args.minor,
            as_of=args.as_of,
        )
        if into_folder:
            out = out / suggest_file_name(_period(args), filters)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_case_list(db, _period(args), filters, out)
    print(f"已导出：{out}")
    return 0


def cmd_units(args: argparse.Namespace) -> int:
    from models import registry

    db = _open(args)
    if args.action == "list":
        units = registry.list_units(db)
        if args.json:
            _print_json(
                [
                    {
                        "unit": u.name,
                        "category": u.category,
                        "parent": u.parent,
                        "district": u.district,
                        "evaluation_scope": u.evaluation_scope,
                        "aliases": list(u.aliases),
                    }
                    for u in units
                ]
            )
        else:
            for u in units:
                extra = f" 上级：{u.parent}" if u.parent else ""
                extra += f" 区域：{u.district}" if u.district else ""
                extra += f" [{u.evaluation_scope}]" if u.evaluation_scope else ""
                extra += f" 别名：{'、'.join(u.aliases)}" if u.aliases else ""
                print(f"{u.category or '-'}  {u.name}{extra}")
        unknown = registry.unknown_units(db)
        if unknown and not args.json:
            print("\n未登记的单位（请用 units set 归类）：")
            for name, count in unknown:
                print(f"  {name}（{count} 件）")
    else:
        unit = registry.set_unit(
            db,
            args.name,
            category=args.category,
            parent=args.parent,
            district=args.district,
            alias=args.alias,
        )
        print(f"已保存：{unit.category or '-'}  {unit.name}" + (f" 上级：{unit.parent}" if unit.parent else ""))
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import run_gui

    return run_gui(db_path=Path(args.db) if args.db else None)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="城管绩效台：不带命令时启动桌面程序")
    parser.add_argument("--db", help="数据库文件（默认：用户数据目录中与桌面程序共用的文件）")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
        p.set_defaults(func=func)
        return p

    p = add("gui", cmd_gui, "启动桌面程序")
    p = add("import", cmd_import, "导入平台导出的案件文件")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="任何一行被拒即拒收整个文件")

    add("demo", cmd_demo, "生成并导入演示数据（2021年9–11月）")

    p = add("stats", cmd_stats, "月度统计")
    _add_period_flags(p)
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME")
    p.add_argument("--json", action="store_true")

    p = add("cases", cmd_cases, "列出某个数字背后的案件")
    _add_period_flags(p)
    _add_case_filters(p)
    p.add_argument("--json", action="store_true")

    p = add("report", cmd_report, "生成通报文本")
    _add_period_flags(p)
    p.add_argument("--rules", metavar="NAME|PATH")

    p = add("scores", cmd_scores, "处置单位绩效评价得分")
    _add_period_flags(p)
    p.add_argument("--rules", metavar="NAME|PATH")
    p.add_argument("--json", action="store_true")

    p = add("adjust", cmd_adjust, "人工加减分（只追加，更正用冲销）")
    adjust = p.add_subparsers(dest="action", required=True)
    a = adjust.add_parser("add")
    a.add_argument("--month", required=True)
    a.add_argument("--unit", required=True)
    a.add_argument("--points", required=True, help="扣分为负，加分为正")
    a.add_argument("--reason", required=True)
    a.add_argument("--rule")
    a.add_argument("--cases", help="案件编号，逗号分隔")
    a = adjust.add_parser("list")
    a.add_argument("--month")
    a.add_argument("--json", action="store_true")
    a = adjust.add_parser("reverse")
    a.add_argument("id", type=int)
    a.add_argument("--reason", required=True)

    p = add("export", cmd_export, "导出 Excel")
    export = p.add_subparsers(dest="what", required=True)
    e = export.add_parser("scores")
    _add_period_flags(e)
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--rules", metavar="NAME|PATH")
    e = export.add_parser("cases")
    _add_period_flags(e)
    _add_case_filters(e)
    e.add_argument("-o", "--output", required=True)

    p = add("units", cmd_units, "单位名录")
    units = p.add_subparsers(dest="action", required=True)
    u = units.add_parser("list")
    u.add_argument("--json", action="store_true")
    u = units.add_parser("set")
    u.add_argument("name")
    u.add_argument("--category")
    u.add_argument("--parent")
    u.add_argument("--district")
    u.add_argument("--alias")
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


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    log_path = setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return args.func(args)
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


if __name__ == "__main__":
    sys.exit(main())
