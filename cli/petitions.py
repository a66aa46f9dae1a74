"""督察信访 batches (domain.md §9, cli.md `petitions`): import, list, stats and the batch paragraph."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cli import common


def register(sub) -> None:
    group = common.add_group(sub, "petitions", "环保督察群众信访举报件：按批次导入、统计与通报段落")
    p = common.add_command(
        group,
        "import",
        cmd_import,
        "导入一批信访举报件台账（批次与移交日期由参数给出，文件中的批次列须一致）；被拒收时退出码为 2",
        creates_db=True,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--batch", required=True, type=int, metavar="N", help="批次号（第八批为 8）")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="移交日期")
    p.add_argument("--body", metavar="TEXT", help="移交单位（默认：省生态环境保护督察组）")
    p.add_argument("--strict", action="store_true", help="任何一行被拒即拒收整个文件")

    p = common.add_command(group, "list", cmd_list, "列出已导入的批次及办结情况", output_flag=True)
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="办结情况的统计日（默认今天）")
    p.add_argument("--json", action="store_true")

    p = common.add_command(group, "stats", cmd_stats, "按问题类型、地区统计，办结率与超期未办结件", output_flag=True)
    p.add_argument("--batch", type=int, metavar="N", help="批次号（不给则统计全部批次）")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="办结情况的统计日（默认今天）")
    p.add_argument("--json", action="store_true")

    p = common.add_command(group, "report", cmd_report, "生成该批次的通报段落（按简报的措辞）", output_flag=True)
    p.add_argument("--batch", required=True, type=int, metavar="N")


def _day(text: str | None) -> date:
    from models.periods import parse_day

    return parse_day(text) if text else date.today()


def cmd_import(args: argparse.Namespace) -> int:
    from importers.petition_import import PetitionStream
    from importers.pipeline import import_file
    from models.errors import UserFacingError
    from models.periods import parse_day

    if args.batch < 1:
        raise UserFacingError(f"批次号应为正整数，收到「{args.batch}」")
    stream = PetitionStream(args.batch, parse_day(args.date), args.body)
    report = import_file(common.open_store(args), Path(args.file), strict=args.strict, stream=stream)
    print(report.summary_text())
    return 2 if report.refused else 0


def cmd_list(args: argparse.Namespace) -> int:
    from exporters.petition_text import render_batch_list_text
    from models.petition_store import batch_list

    as_of = _day(args.as_of)
    rows = batch_list(common.open_store(args), as_of)
    if args.json:
        common.emit_json(args, {"as_of": as_of.isoformat(), "batches": rows})
    else:
        common.emit(args, render_batch_list_text(rows, as_of.isoformat()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from exporters.petition_text import render_petition_stats_text
    from models.petition_store import stats

    doc = stats(common.open_store(args), as_of=_day(args.as_of), batch=args.batch)
    common.emit_document(args, doc, render_petition_stats_text)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from models.petition_store import paragraph

    common.emit(args, paragraph(common.open_store(args), args.batch))
    return 0
