"""Unit scores and what changes them: `scores`, `adjust add|list|reverse`, `export scores`."""

from __future__ import annotations

import argparse

from cli import common


def register(sub) -> None:
    p = common.add_command(
        sub, "scores", cmd_scores, "处置单位绩效评价：得分、排名与每一项扣分的依据", period_flags=True, output_flag=True
    )
    p.add_argument("--rules", metavar="NAME|PATH")
    p.add_argument("--json", action="store_true")

    adjust = common.add_group(sub, "adjust", "人工加减分（只追加，更正用冲销）")
    a = common.add_command(adjust, "add", cmd_adjust_add, "记录一笔人工扣分（负数）或加分（正数）")
    a.add_argument("--month", required=True, metavar="YYYY-MM")
    a.add_argument("--unit", required=True, metavar="UNIT")
    a.add_argument("--points", required=True, metavar="POINTS", help="扣分为负，加分为正")
    a.add_argument("--reason", required=True, metavar="TEXT")
    a.add_argument("--rule", metavar="TEXT")
    a.add_argument("--cases", metavar="A,B", help="案件编号，逗号分隔")
    a = common.add_command(adjust, "list", cmd_adjust_list, "列出调整台账（含冲销记录）", output_flag=True)
    a.add_argument("--month", metavar="YYYY-MM")
    a.add_argument("--json", action="store_true")
    a = common.add_command(adjust, "reverse", cmd_adjust_reverse, "冲销一笔调整（追加一条相反的记录）")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--reason", required=True, metavar="TEXT")


def register_export(export) -> None:
    p = common.add_command(
        export,
        "scores",
        cmd_export_scores,
        "导出评分表（评价结果、指标明细、扣分明细、说明）",
        period_flags=True,
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FOLDER")
    p.add_argument("--rules", metavar="NAME|PATH")


def cmd_scores(args: argparse.Namespace) -> int:
    from exporters.score_text import render_scores_text
    from models.scoring import score_document

    doc = score_document(common.open_store(args), args.period, rules=args.rules)
    common.emit_document(args, doc, render_scores_text)
    return 0


def cmd_adjust_add(args: argparse.Namespace) -> int:
    from models.adjustments import add_adjustment

    entry = add_adjustment(
        common.open_store(args),
        month=args.month,
        unit=args.unit,
        points=args.points,
        reason=args.reason,
        rule_ref=args.rule,
        cases=[c.strip() for c in (args.cases or "").split(",") if c.strip()],
    )
    print(f"已记录调整 #{entry.id}：{entry.unit} {entry.period} {entry.points:+} 分（{entry.reason}）")
    return 0


def cmd_adjust_list(args: argparse.Namespace) -> int:
    from models.adjustments import list_adjustments

    entries = list_adjustments(common.open_store(args), month=args.month)
    if args.json:
        common.emit_json(args, [e.to_json() for e in entries])
    else:
        common.emit(args, "\n".join(e.describe() for e in entries) if entries else "（无调整记录）")
    return 0


def cmd_adjust_reverse(args: argparse.Namespace) -> int:
    from models.adjustments import reverse_adjustment

    entry = reverse_adjustment(common.open_store(args), args.id, reason=args.reason)
    print(f"已冲销调整 #{args.id}，冲销记录 #{entry.id}：{entry.points:+} 分")
    return 0


def cmd_export_scores(args: argparse.Namespace) -> int:
    from exporters.file_names import export_file_name
    from exporters.score_sheet import write_score_sheet

    out = common.export_target(args, lambda: export_file_name("scores", args.period))
    write_score_sheet(common.open_store(args), args.period, out, rules=args.rules)
    print(f"已导出：{out}")
    return 0
