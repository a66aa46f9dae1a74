"""The unit registry: `units list`, `units set`."""

from __future__ import annotations

import argparse

from cli import common


def register(sub) -> None:
    units = common.add_group(sub, "units", "单位名录")
    u = common.add_command(units, "list", cmd_units_list, "列出登记的单位与未登记的单位", output_flag=True)
    u.add_argument("--json", action="store_true")
    u = common.add_command(units, "set", cmd_units_set, "登记或修改一个单位（类别、上级、区域、别名）")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--category", metavar="C")
    u.add_argument("--parent", metavar="P")
    u.add_argument("--district", metavar="D")
    u.add_argument("--alias", metavar="A")


def cmd_units_list(args: argparse.Namespace) -> int:
    from models import registry

    db = common.open_store(args)
    units = registry.list_units(db)
    if args.json:
        doc = [
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
        common.emit_json(args, doc)
        return 0
    lines = []
    for u in units:
        extra = f" 上级：{u.parent}" if u.parent else ""
        extra += f" 区域：{u.district}" if u.district else ""
        extra += f" [{u.evaluation_scope}]" if u.evaluation_scope else ""
        extra += f" 别名：{'、'.join(u.aliases)}" if u.aliases else ""
        lines.append(f"{u.category or '-'}  {u.name}{extra}")
    unknown = registry.unknown_units(db)
    if unknown:
        lines.append("\n未登记的单位（请用 units set 归类）：")
        lines += [f"  {name}（{count} 件）" for name, count in unknown]
    common.emit(args, "\n".join(lines))
    return 0


def cmd_units_set(args: argparse.Namespace) -> int:
    from models import registry

    unit = registry.set_unit(
        common.open_store(args),
        args.name,
        category=args.category,
        parent=args.parent,
        district=args.district,
        alias=args.alias,
    )
    print(f"已保存：{unit.category or '-'}  {unit.name}" + (f" 上级：{unit.parent}" if unit.parent else ""))
    return 0
