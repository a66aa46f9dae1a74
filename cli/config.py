"""Settings of the documents the app writes: `config list`, `config set KEY VALUE`, `config reset KEY`.

The keys are the bulletin's (`bulletin.*`, models.bulletin_settings): the same values 设置 → 通报 edits.
"""

from __future__ import annotations

import argparse

from cli import common


def register(sub) -> None:
    config = common.add_group(sub, "config", "通报等文件的设置（城市、平台、发文机关、文号、得分格式、措辞模板）")
    c = common.add_command(config, "list", cmd_config_list, "列出全部设置项、当前值与默认值", output_flag=True)
    c.add_argument("--json", action="store_true")
    c = common.add_command(config, "set", cmd_config_set, "修改一个设置项（未知的项或无效的值会被拒绝）")
    c.add_argument("key", metavar="KEY")
    c.add_argument("value", metavar="VALUE")
    c = common.add_command(config, "reset", cmd_config_reset, "把一个设置项恢复为默认值")
    c.add_argument("key", metavar="KEY")


def _describe(item) -> str:
    mark = "" if item.changed else "（默认）"
    return f"{item.key.key} = {item.value}{mark}"


def cmd_config_list(args: argparse.Namespace) -> int:
    from models.bulletin_settings import PLACEHOLDERS, setting_items

    items = setting_items(common.open_store(args))
    if args.json:
        doc = [
            {
                "key": i.key.key,
                "label": i.key.label,
                "value": i.value,
                "default": i.default,
                "changed": i.changed,
                "placeholders": list(i.key.placeholders),
                "choices": list(i.key.choices),
            }
            for i in items
        ]
        common.emit_json(args, doc)
        return 0
    lines = []
    for item in items:
        lines.append(f"{_describe(item)}    # {item.key.label}")
        if item.changed:
            lines.append(f"    默认：{item.default}")
    used = sorted({p for i in items for p in i.key.placeholders}, key=list(PLACEHOLDERS).index)
    lines += ["", "模板中的占位符：" + "、".join(f"{{{p}}} {PLACEHOLDERS[p]}" for p in used)]
    common.emit(args, "\n".join(lines))
    return 0


def cmd_config_set(args: argparse.Namespace) -> int:
    from models.bulletin_settings import set_setting_value

    print(f"已设置：{_describe(set_setting_value(common.open_store(args), args.key, args.value))}")
    return 0


def cmd_config_reset(args: argparse.Namespace) -> int:
    from models.bulletin_settings import reset_setting

    print(f"已恢复默认：{_describe(reset_setting(common.open_store(args), args.key))}")
    return 0
