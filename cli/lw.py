"""两违 supervision (domain.md §8, cli.md `lw`): `lw import`, `lw stats`, `lw overdue`, `lw export escalation`."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import common


def register(sub) -> None:
    lw = common.add_group(sub, "lw", "两违（违法占地和违法建设）智能监管：导入、按期率、亮灯与严重超期")
    p = common.add_command(
        lw,
        "import",
        cmd_import,
        "导入两违平台导出的案件明细（每次延期一行）；有文件被拒收时退出码为 2",
        creates_db=True,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="任何一行被拒即拒收整个文件")

    p = common.add_command(
        lw,
        "stats",
        cmd_stats,
        "两违统计：三个环节的按期率、延期、按乡镇/部门/责任人",
        period_flags=True,
        output_flag=True,
    )
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="判断时刻（默认周期末，或现在如更早）")
    p.add_argument("--json", action="store_true")

    p = common.add_command(lw, "overdue", cmd_overdue, "在办环节的亮灯，已用时限多的在前", output_flag=True)
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="判断时刻（默认现在）")
    p.add_argument("--json", action="store_true")

    export = common.add_group(lw, "export", "导出两违 Excel 表")
    p = common.add_command(
        export, "escalation", cmd_export_escalation, "导出严重超期清单（抄送纪委监委、效能部门，可直接打印）"
    )
    p.add_argument("--as-of", dest="as_of", metavar="DATETIME", help="判断时刻（默认现在）")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FOLDER")


def cmd_import(args: argparse.Namespace) -> int:
    from importers.lw_import import LwStream
    from importers.pipeline import import_files

    reports = import_files(
        common.open_store(args), [Path(p) for p in args.files], strict=args.strict, stream=LwStream()
    )
    for report in reports:
        print(report.summary_text())
    return 2 if any(r.refused for r in reports) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from exporters.lw_text import render_lw_stats_text
    from models.lw_stats import lw_stats_document
    from models.lw_store import lw_evaluation

    evaluation = lw_evaluation(common.open_store(args), args.period, args.as_of)
    common.emit_document(args, lw_stats_document(evaluation), render_lw_stats_text)
    return 0


def cmd_overdue(args: argparse.Namespace) -> int:
    from exporters.lw_text import render_lw_overdue_text
    from models.lw_stats import open_steps
    from models.lw_store import lw_evaluation

    evaluation = lw_evaluation(common.open_store(args), None, args.as_of)
    items = [row.to_json() for row in open_steps(evaluation)]
    if args.json:
        common.emit_json(args, items)
    else:
        as_of = evaluation.as_of.strftime("%Y-%m-%d %H:%M:%S")
        common.emit(args, render_lw_overdue_text(items, as_of, evaluation.settings.definitions()))
    return 0


def cmd_export_escalation(args: argparse.Namespace) -> int:
    from exporters.lw_escalation import suggest_file_name, write_escalation
    from models.lw_store import lw_evaluation

    evaluation = lw_evaluation(common.open_store(args), None, args.as_of)
    out = common.export_target(args, lambda: suggest_file_name(evaluation.as_of))
    count = write_escalation(evaluation, out)
    print(f"已导出：{out}（严重超期环节 {count} 个）")
    return 0
