"""Cases in and figures out: `import`, `demo`, `stats`, `cases`, `report`, `export cases`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import common


def register(sub) -> None:
    p = common.add_command(
        sub,
        "import",
        cmd_import,
        "导入平台导出的案件文件（.xlsx/.xlsm/.xls/.ods/.csv，另存为 .xls 的网页）；有文件被拒收时退出码为 2",
        creates_db=True,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="任何一行被拒即拒收整个文件")

    common.add_command(
        sub,
        "demo",
        cmd_demo,
        "生成并导入演示数据（城管案件2021年9–11月；两违、督察信访、创城回头看台账）",
        creates_db=True,
    )

    p = common.add_command(sub, "stats", cmd_stats, "统计周期的各项指标", period_flags=True, output_flag=True)
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="超期与按期的判断时刻")
    p.add_argument("--json", action="store_true")

    p = common.add_command(sub, "cases", cmd_cases, "列出任一数字背后的案件编号", period_flags=True, output_flag=True)
    common.add_case_filters(p)
    p.add_argument("--json", action="store_true")

    p = common.add_command(
        sub,
        "report",
        cmd_report,
        "生成通报（按科室的结构与措辞）：文本，或 --docx 写成 Word 文件（正文、落款、附件得分表）",
        period_flags=True,
        output_flag=True,
    )
    p.add_argument("--rules", metavar="NAME|PATH")
    p.add_argument("--issued", metavar="YYYY-MM-DD", help="落款日期（默认今天）")
    p.add_argument("--docx", metavar="FILE.docx|FOLDER", help="写成 Word 文件（给出文件夹则用建议的文件名）")


def register_export(export) -> None:
    p = common.add_command(
        export, "cases", cmd_export_cases, "导出筛选出的案件清单（筛选条件写在表头）", period_flags=True
    )
    common.add_case_filters(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FOLDER")


def cmd_import(args: argparse.Namespace) -> int:
    from importers.pipeline import import_files
    from models.store import close_db

    db = common.open_store(args)
    reports = import_files(db, [Path(p) for p in args.files], strict=args.strict)
    for report in reports:
        print(report.summary_text())
    close_db(db)  # the WAL copied back and truncated now, not by whoever opens the store next
    return 2 if any(r.refused for r in reports) else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from demo.build import build_demo
    from models.store import close_db

    db = common.open_store(args)
    reports = build_demo(db, progress=common.progress_printer("生成演示数据"))
    print(file=sys.stderr)
    for report in reports:
        print(report.summary_text())
    close_db(db)
    return 2 if any(r.refused for r in reports) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from exporters.bulletin import render_stats_text
    from models.stats import stats_document

    doc = stats_document(common.open_store(args), args.period, as_of=args.as_of)
    common.emit_document(args, doc, render_stats_text)
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from models.drilldown import case_numbers

    numbers = case_numbers(common.open_store(args), args.period, **common.case_filters(args))
    if args.json:
        doc = {"period": args.period.label, "figure": args.figure, "count": len(numbers), "cases": numbers}
        common.emit_json(args, doc)
    else:
        common.emit(args, "\n".join(numbers))
        print(f"共 {len(numbers)} 件", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from exporters.bulletin import build_bulletin, render_text, suggest_file_name
    from models.periods import PeriodError, parse_day

    try:
        issued = parse_day(args.issued) if args.issued else None
    except PeriodError as exc:
        raise PeriodError(f"落款日期 --issued：{exc}") from None
    bulletin = build_bulletin(common.open_store(args), args.period, rules=args.rules, issued=issued)
    if args.docx:
        from exporters.bulletin_docx import write_bulletin_docx

        out = common.export_target(args, lambda: suggest_file_name(args.period), target=args.docx)
        write_bulletin_docx(bulletin, out)
        print(f"已写入：{out}", file=sys.stderr)
    if args.output or not args.docx:
        common.emit(args, render_text(bulletin))
    return 0


def cmd_export_cases(args: argparse.Namespace) -> int:
    from exporters.case_list import CaseFilter, suggest_file_name, write_case_list

    filters = CaseFilter(**common.case_filters(args))
    out = common.export_target(args, lambda: suggest_file_name(args.period, filters))
    write_case_list(common.open_store(args), args.period, filters, out)
    print(f"已导出：{out}")
    return 0
