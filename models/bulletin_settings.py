"""The bulletin's document settings (`bulletin.*`): names, 文号, score format, channel wording and templates.

Why one place: the text bulletin, the Word document, `config list|set|reset` and 设置 → 通报 all read these
values. The defaults are the seed's wording (resources/bulletin.toml); the database row holds only what a user
changed, so a corrected default reaches everyone who never changed that key. Every value is checked when it is
set (a template may use only its own placeholders), and again when it is used, for a row edited by hand.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from models.errors import UserFacingError
from models.numbers import HUNDRED, q2
from models.settings import Setting
from models.store import load_toml

PREFIX = "bulletin."
TEMPLATE = "template."
CHANNEL = "channel."

SCORE_FORMATS = {
    "seed": "满分写作 100.0，其余保留两位小数（如 99.05）",
    "0.00": "一律保留两位小数（如 100.00）",
}

PLACEHOLDERS: dict[str, str] = {
    "city": "城市",
    "platform": "平台名称",
    "period": "统计周期（如 2021年11月）",
    "year": "年份",
    "month": "月份（季度、年度取最后一个月）",
    "total": "受理总数",
    "sources": "各来源件数",
    "nth": "序号（一、二、三……）",
    "source": "问题来源",
    "count": "件数",
    "channels": "各渠道件数",
    "filed": "立案数",
    "disposed": "处置数",
    "due_to_close": "应结案数",
    "closed": "结案数",
    "disposal_rate": "处置率",
    "closure_rate": "结案率",
    "kind": "问题类型（部件/事件）",
    "share": "占立案数比例",
    "top": "高发小类",
    "verdict": "评语",
    "unit": "处置单位",
    "units": "处置单位（并列时多个）",
    "rate": "按期结案率",
    "reason": "事由",
    "rule": "依据的规定",
    "points": "分值",
    "cases": "案件编号",
}
COMMON = ("city", "platform", "period", "year", "month")  # every template may use these

# Each template: (label in 设置 → 通报, its own placeholders besides COMMON).
TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("标题", ()),
    "accepted": ("受理总述", ("total", "sources")),
    "accepted_empty": ("受理总述（本期无受理）", ()),
    "accepted_source": ("案件受理：每个来源", ("nth", "source", "count", "channels")),
    "nothing_accepted": ("案件受理：本期无受理", ()),
    "disposal": ("案件处置", ("filed", "disposed", "due_to_close", "closed", "disposal_rate", "closure_rate")),
    "kind": ("高发分析：部件/事件", ("kind", "count", "share")),
    "kind_top": ("高发分析：高发小类", ("kind", "top")),
    "good": ("好的方面", ("disposal_rate", "closure_rate", "verdict")),
    "verdict_high": ("评语：结案率高", ()),
    "verdict_mid": ("评语：结案率中", ()),
    "verdict_low": ("评语：结案率低", ()),
    "verdict_none": ("评语：无应结案案件", ()),
    "bonus": ("加分", ("unit", "reason", "rule", "points", "cases")),
    "bonus_no_rule": ("加分（未写规定）", ("unit", "reason", "points", "cases")),
    "low_closure": ("差的方面：按期结案率最低", ("units", "rate")),
    "deduction_cases": ("扣分：单位与案件号", ("unit", "cases")),
    "deduction": ("扣分", ("unit", "reason", "rule", "points", "cases")),
    "deduction_no_rule": ("扣分（未写规定）", ("unit", "reason", "points", "cases")),
    "nothing_bad": ("差的方面：未发现问题", ()),
}


class BulletinSettingError(UserFacingError):
    """A `bulletin.*` key that does not exist, or a value it cannot take."""


@dataclass(frozen=True)
class Key:
    """One settable key as `config list` and 设置 → 通报 show it."""

    key: str  # "bulletin.city", "bulletin.template.deduction", "bulletin.channel.微信公众平台"
    label: str
    kind: str  # text | choice | template | channel
    placeholders: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    may_be_empty: bool = False

    @property
    def name(self) -> str:
        """The key inside the settings row (the part after "bulletin.")."""
        return self.key.removeprefix(PREFIX)


FIXED_KEYS = (
    Key("bulletin.city", "城市", "text", may_be_empty=True),
    Key("bulletin.platform", "平台名称", "text"),
    Key("bulletin.issuer", "发文机关（署名）", "text"),
    Key("bulletin.doc_no", "文号", "template", placeholders=COMMON, may_be_empty=True),
    Key("bulletin.score_format", "得分格式", "choice", choices=tuple(SCORE_FORMATS)),
)


@dataclass(frozen=True)
class Item:
    """A key with its current value and its default (`config list`)."""

    key: Key
    value: str
    default: str

    @property
    def changed(self) -> bool:
        return self.value != self.default


@dataclass(frozen=True)
class BulletinSettings:
    """The resolved settings the bulletin is written with."""

    city: str
    platform: str
    issuer: str
    doc_no: str
    score_format: str
    templates: dict[str, str]
    channels: dict[str, str] = field(default_factory=dict)
    verdicts: tuple[tuple[Decimal, str], ...] = ()  # (结案率 floor, template name), highest floor first

    def fill(self, name: str, **values: object) -> str:
        """Template `name` with its placeholders filled in (the common ones come from `values` too)."""
        return fill_template(f"{PREFIX}{TEMPLATE}{name}", self.templates[name], values)

    def without_template_words(self, name: str, placeholder: str, value: str) -> str:
        """`value` without the words template `name` already writes around `placeholder`.

        Why: a reason entered as the whole phrase (存在职责范围内不接受案件派遣现象, as users did while the
        bulletin printed the reason as entered) would read 存在存在…现象现象 in 存在{reason}现象; the ledger is
        append-only, so such entries stay. Only a whole word is dropped: the text between the placeholder and
        the nearest punctuation or placeholder on each side."""
        before, found, after = self.templates[name].partition("{" + placeholder + "}")
        if not found:
            return value
        lead = re.split(r"[\W{}]", before)[-1]  # \W: punctuation, spaces; CJK letters count as word characters
        tail = re.split(r"[\W{}]", after)[0]
        if lead and value.startswith(lead) and len(value) > len(lead):
            value = value[len(lead) :]
        if tail and value.endswith(tail) and len(value) > len(tail):
            value = value[: -len(tail)]
        return value

    def fill_doc_no(self, **values: object) -> str:
        """The 文号 line ("2021年第11期"), empty when no 文号 is set."""
        return fill_template(f"{PREFIX}doc_no", self.doc_no, values) if self.doc_no else ""

    def channel_label(self, channel: str) -> str:
        return self.channels.get(channel) or channel

    def score_text(self, score: Decimal | str) -> str:
        """A score as the office writes it: "100.0" for full marks in the seed format, else two decimals."""
        value = q2(Decimal(score))
        if self.score_format == "seed" and value == HUNDRED:
            return "100.0"
        return f"{value:.2f}"

    def verdict(self, closure_rate: Decimal | None) -> str:
        """The closing words of (一)好的方面 for the period's 结案率."""
        if closure_rate is None:
            return "verdict_none"
        for floor, name in self.verdicts:
            if closure_rate >= floor:
                return name
        return "verdict_low"


# ---------------------------------------------------------------- defaults and keys


@cache
def _resource() -> dict:
    return load_toml("bulletin.toml")


def defaults() -> dict[str, str]:
    """Every default as {name in the row: value}, from resources/bulletin.toml."""
    data = _resource()
    values = {name: str(value) for name, value in data["settings"].items()}
    values |= {TEMPLATE + name: text for name, text in data["templates"].items()}
    values |= {CHANNEL + name: text for name, text in data.get("channels", {}).items()}
    return values


def _channel_names(db) -> list[str]:
    """Channels a label may be set for: the channel table's, then any with a default label."""
    names = [name for (name,) in db.execute("SELECT name FROM channels ORDER BY rowid")]
    return names + [name for name in _resource().get("channels", {}) if name not in names]


def known_keys(db) -> list[Key]:
    """Every key `config set` accepts, in the order `config list` shows them."""
    keys = list(FIXED_KEYS)
    for name, (label, own) in TEMPLATES.items():
        keys.append(Key(f"{PREFIX}{TEMPLATE}{name}", f"措辞：{label}", "template", placeholders=COMMON + own))
    for channel in _channel_names(db):
        keys.append(Key(f"{PREFIX}{CHANNEL}{channel}", f"渠道写法：{channel}", "channel"))
    return keys


def default_of(key: Key) -> str:
    """The value `key` has when the user never set it (a channel without a default label: its own name)."""
    base = defaults()
    if key.kind == "channel":
        return base.get(key.name) or key.name.removeprefix(CHANNEL)
    return base.get(key.name, "")


def find_key(db, key: str) -> Key:
    """The key named `key`; an unknown one is refused with the list of the known ones."""
    keys = known_keys(db)
    for candidate in keys:
        if candidate.key == key.strip():
            return candidate
    fixed = "、".join(k.key for k in FIXED_KEYS)
    raise BulletinSettingError(
        f"未知的设置项「{key}」。可设置：{fixed}；"
        f"措辞模板 {PREFIX}{TEMPLATE}<名称>（名称：{'、'.join(TEMPLATES)}）；"
        f"渠道写法 {PREFIX}{CHANNEL}<渠道>（渠道：{'、'.join(_channel_names(db))}）"
    )


# ---------------------------------------------------------------- checking values


def check_template(key: str, text: str, allowed: tuple[str, ...]) -> None:
    """A template uses only `allowed` placeholders, written as {name}, with literal braces doubled."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise BulletinSettingError(
            f"{key} 的花括号不成对：「{text}」（占位符写作 {{名称}}，字面花括号写作 {{{{ 和 }}}}）"
        ) from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            shown = "、".join(f"{{{p}}}（{PLACEHOLDERS[p]}）" for p in allowed)
            what = f"{{{name}}}" if name else "{}"
            raise BulletinSettingError(f"{key} 中有未知的占位符 {what}。可用的占位符：{shown}")
        if spec or conversion:
            raise BulletinSettingError(f"{key} 中的占位符只能写作 {{{name}}}，不能带格式说明")


def check_value(key: Key, text: str) -> str:
    """The value `text` cleaned (surrounding spaces off) if `key` can take it, else BulletinSettingError."""
    value = text.strip()
    if any(ord(ch) < 32 for ch in value):  # a newline, a tab or another control character
        raise BulletinSettingError(f"{key.key} 的值不能含换行或控制字符")
    if not value and not key.may_be_empty:
        raise BulletinSettingError(f"{key.key}（{key.label}）不能为空；恢复默认用 config reset {key.key}")
    if key.kind == "choice" and value not in key.choices:
        options = "；".join(f"{c}：{SCORE_FORMATS.get(c, c)}" for c in key.choices)
        raise BulletinSettingError(f"{key.key} 的取值「{value}」无效（可选 {options}）")
    if key.kind == "template":
        check_template(key.key, value, key.placeholders)
    return value


def fill_template(key: str, text: str, values: dict) -> str:
    """`text` with its placeholders filled in; a template edited by hand into a broken one is named."""
    try:
        return text.format_map({name: "" if v is None else str(v) for name, v in values.items()})
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise BulletinSettingError(
            f"通报措辞 {key} 有误（{type(exc).__name__}: {exc}）：用 config set 修改，或 config reset {key} 恢复默认"
        ) from None


# ---------------------------------------------------------------- the stored row


def _migrate(row: dict, version: int) -> dict:
    """Version 1 (and the unversioned 0) stored {"city", "platform_name", "office_name", "channel_labels": {…}};
    version 2 has the flat names of the `bulletin.*` keys without the prefix."""
    row = dict(row or {})
    if version < 2:
        for old, new in (("platform_name", "platform"), ("office_name", "issuer")):
            if old in row:
                row.setdefault(new, row.pop(old))
        for channel, label in (row.pop("channel_labels", None) or {}).items():
            row.setdefault(CHANNEL + channel, label)
    return row


# One settings row: {"city": …, "template.title": …, "channel.微信公众平台": …}; null means "the default".
WORDING = Setting("bulletin", {}, version=2, migrate=_migrate)


def stored(db) -> dict[str, str]:
    """What the user changed: {name in the row: value}."""
    return {name: value for name, value in (WORDING.read(db) or {}).items() if isinstance(value, str)}


def _write(db, changes: dict[Key, str | None]) -> None:
    """Store `changes` over the row; a value equal to its default (or None) is stored as null (default)."""
    WORDING.write(
        db, {key.name: None if value is None or value == default_of(key) else value for key, value in changes.items()}
    )


def setting_items(db) -> list[Item]:
    """Every key with its value and default, in `known_keys` order (`config list`, 设置 → 通报)."""
    mine = stored(db)
    items = []
    for key in known_keys(db):
        default = default_of(key)
        items.append(Item(key, mine.get(key.name, default), default))
    return items


def set_setting_value(db, key: str, text: str) -> Item:
    """`config set KEY VALUE`: check and store one value; returns the key with its new value."""
    return set_setting_values(db, {key: text})[0]


def set_setting_values(db, values: dict[str, str]) -> list[Item]:
    """Check every value first, then store them together (设置 → 通报 saves the page in one go)."""
    checked = {}
    for key_text, text in values.items():
        key = find_key(db, key_text)
        checked[key] = check_value(key, text)
    _write(db, checked)
    return [Item(key, value, default_of(key)) for key, value in checked.items()]


def reset_setting(db, key: str) -> Item:
    """`config reset KEY`: the key takes its default again."""
    found = find_key(db, key)
    _write(db, {found: None})
    return Item(found, default_of(found), default_of(found))


def load_bulletin_settings(db) -> BulletinSettings:
    """The settings the bulletin is written with: defaults, overridden by the user's values."""
    values = defaults() | stored(db)
    for key in known_keys(db):  # a row edited by hand into a bad value is named here, before any output
        if key.name in values:
            values[key.name] = check_value(key, values[key.name])
    templates = {name: values[TEMPLATE + name] for name in TEMPLATES}
    verdicts = sorted(((Decimal(str(v)), f"verdict_{k}") for k, v in _resource()["verdicts"].items()), reverse=True)
    return BulletinSettings(
        city=values["city"],
        platform=values["platform"],
        issuer=values["issuer"],
        doc_no=values["doc_no"],
        score_format=values["score_format"],
        templates=templates,
        channels={name.removeprefix(CHANNEL): v for name, v in values.items() if name.startswith(CHANNEL) and v},
        verdicts=tuple(verdicts),
    )
