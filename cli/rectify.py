"""创城回头看 (domain.md §10, cli.md `rectify`): import the ledger, 整改达标率 at a date, the printable sheet."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cli import common


def register(sub) -> None:
    group = common.add_group(sub, "rectify", "创城“回头看”：问题整改台账、整改达标率与整改情况表")
    p = common.add_command(
        group, "import", cmd_import, "导入回头看台账（每个问题每轮回头看一行）；被拒收时退出码为 2", creates_db=True
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="任何一行被拒即拒收整个文件")

    p = common.add_command(
        group, "stats", cmd_stats, "统计日的整改达标率，按责任单位、所属区、类别、点位", output_flag=True
    )
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="统计日（默认今天）")
    p.add_argument("--json", action="store_true")

    p = common.add_command(group, "export", cmd_export, "导出整改情况表（未整改到位的在前，附各轮回头看记录）")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="统计日（默认今天）")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FOLDER")


def _day(text: str | None) -> date:
    from models.periods import parse_day

    return parse_day(text) if text else date.today()


def cmd_import(args: argparse.Namespace) -> int:
    from importers.pipeline import import_file
    from importers.rectify_import import RectifyStream

    report = import_file(common.open_store(args), Path(args.file), strict=args.strict, stream=RectifyStream())
    print(report.summary_text())
    return 2 if report.refused else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from exporters.rectify_text import render_rectify_stats_text
    from models.rectify_store import stats

    doc = stats(common.open_store(args), as_of=_day(args.as_of))
    common.emit_document(args, doc, render_rectify_stats_text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from exporters.bulletin import pct
    from exporters.rectify_sheet import suggest_file_name, write_rectify_sheet
    from models.rectify_store import load_rows

    as_of = _day(args.as_of)
    out = common.export_target(args, lambda: suggest_file_name(as_of))
    doc = write_rectify_sheet(load_rows(common.open_store(args)), as_of, out)
    print(f"已导出：{out}（问题 {doc['problems']} 个，整改达标率 {pct(doc['rate'])}）")
    return 0
