"""Reading and validating a rule file (the format is described in models.rules): any problem is a
RuleSetError naming the file and the line."""

from __future__ import annotations

import copy
import hashlib
import re
import tomllib
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from models.errors import RuleSetError
from models.rules import COUNTS, FAMILIES, KINDS_BY_FAMILY, RATES, ROUNDINGS, Band, NoCases, Rule, RuleSet, Scheme

TOP_KEYS = {
    "name",
    "display_name",
    "example",
    "version",
    "description",
    "family",
    "rounding",
    "base",
    "cap",
    "floor",
    "no_cases",
    "adjustments",
    "rules",
    "overrides",
}
RULE_KEYS = {
    "id",
    "name",
    "kind",
    "rate",
    "count",
    "target",
    "per_point",
    "per_case",
    "max_points",
    "weight",
    "bands",
    "when_null",
}


class _Locator:
    """Finds the line of a key in the TOML text, for validation errors (tomllib gives no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def _first(self, pattern: str, start: int = 0, stop: int | None = None) -> int | None:
        regex = re.compile(pattern)
        for index in range(start, len(self.lines) if stop is None else stop):
            if regex.match(self.lines[index]):
                return index
        return None

    def table(self, header: str) -> int | None:
        return self._first(r"\s*\[\s*" + re.escape(header).replace(r"\.", r"\s*\.\s*") + r"\s*\]")

    def rule(self, index: int) -> int | None:
        found = -1
        for number, line in enumerate(self.lines):
            if re.match(r"\s*\[\[\s*rules\s*\]\]", line):
                found += 1
                if found == index:
                    return number
        return None

    def key(self, key: str, *, section: int | None = None) -> int:
        """1-based line of ``key = …`` in the section starting at ``section`` (0-based), else of the section."""
        start = 0 if section is None else section + 1
        stop = self._first(r"\s*\[", start) if section is not None else self._first(r"\s*\[")
        hit = self._first(r"\s*" + re.escape(key) + r"\s*=", start, stop)
        if hit is None and section is None:
            hit = self._first(r"\s*" + re.escape(key) + r"\s*=")
        if hit is not None:
            return hit + 1
        return (section + 1) if section is not None else 1


def parse_rule_file(path: Path, *, builtin: bool = False) -> RuleSet:
    """Read and validate one rule file; any problem is a RuleSetError naming the file and line."""
    raw_bytes = path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleSetError(f"规则文件「{path.name}」不是 UTF-8 编码，请用 UTF-8 保存") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"第 {match.group(1)} 行第 {match.group(2)} 列" if match else "某处"
        raise RuleSetError(f"规则文件「{path.name}」{where}有格式错误：{exc}") from None
    rule_set = _build(data, _Locator(text), path.name)
    return replace(rule_set, path=path.resolve(), sha256=hashlib.sha256(raw_bytes).hexdigest(), builtin=builtin)


def _fail(file_name: str, line: int, message: str) -> RuleSetError:
    return RuleSetError(f"规则文件「{file_name}」第 {line} 行：{message}")


def _decimal(value, file_name: str, line: int, key: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(file_name, line, f"「{key}」应为数字，收到「{value}」")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _fail(file_name, line, f"「{key}」应为数字，收到「{value}」") from None
    if not number.is_finite():
        raise _fail(file_name, line, f"「{key}」应为有限数字，收到「{value}」")
    return number


def _build(data: dict, loc: _Locator, file_name: str) -> RuleSet:
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(
            file_name, loc.key(unknown[0]), f"未知的设置项「{unknown[0]}」（可用：{'、'.join(sorted(TOP_KEYS))}）"
        )
    for key in ("name", "version", "family"):
        if key not in data:
            raise _fail(file_name, 1, f"缺少必填项「{key}」")
    name = data["name"]
    if not isinstance(name, str) or not name.strip():
        raise _fail(file_name, loc.key("name"), "「name」应为非空文本")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int | str) or not str(version).strip():
        raise _fail(file_name, loc.key("version"), '「version」应为整数或文本，如 1 或 "2024.1"')
    family = data["family"]
    if family not in FAMILIES:
        raise _fail(file_name, loc.key("family"), f"「family」应为 {' 或 '.join(FAMILIES)}，收到「{family}」")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(file_name, loc.key("description"), "「description」应为文本")
    display_name = data.get("display_name", "")
    if not isinstance(display_name, str):
        raise _fail(file_name, loc.key("display_name"), "「display_name」应为文本（显示给用户的中文名称）")
    example = data.get("example", False)
    if not isinstance(example, bool):
        raise _fail(file_name, loc.key("example"), "「example」应为 true 或 false")
    rounding = data.get("rounding", "half_up")
    if rounding not in ROUNDINGS:
        raise _fail(file_name, loc.key("rounding"), f"「rounding」应为 {'、'.join(ROUNDINGS)} 之一，收到「{rounding}」")
    adjustments = data.get("adjustments", {})
    if not isinstance(adjustments, dict):
        raise _fail(file_name, loc.key("adjustments"), "「adjustments」应为表 [adjustments]")
    adj_line = loc.table("adjustments")
    for key in ("include", "roll_up"):
        if key in adjustments and not isinstance(adjustments[key], bool):
            raise _fail(file_name, loc.key(key, section=adj_line), f"「adjustments.{key}」应为 true 或 false")
    extra = sorted(set(adjustments) - {"include", "roll_up"})
    if extra:
        raise _fail(file_name, loc.key(extra[0], section=adj_line), f"[adjustments] 中未知的设置项「{extra[0]}」")

    rules_raw = data.get("rules", [])
    if not isinstance(rules_raw, list) or not rules_raw or not all(isinstance(r, dict) for r in rules_raw):
        raise _fail(file_name, loc.key("rules"), "至少需要一条规则（[[rules]] 表）")
    scheme = _scheme(data, rules_raw, family, loc, file_name, section=None)

    overrides: dict[str, Scheme] = {}
    raw_overrides = data.get("overrides", {})
    if not isinstance(raw_overrides, dict):
        raise _fail(file_name, loc.key("overrides"), "「overrides」应为表，如 [overrides.C]")
    for category, override in raw_overrides.items():
        section = loc.table(f"overrides.{category}")
        line = (section + 1) if section is not None else loc.key("overrides")
        if not isinstance(override, dict):
            raise _fail(file_name, line, f"[overrides.{category}] 应为表")
        unknown = sorted(set(override) - {"base", "cap", "floor", "no_cases", "rules"})
        if unknown:
            raise _fail(
                file_name,
                loc.key(unknown[0], section=section),
                f"[overrides.{category}] 中未知的设置项「{unknown[0]}」",
            )
        merged = {k: data.get(k) for k in ("base", "cap", "floor", "no_cases") if k in data}
        merged.update({k: v for k, v in override.items() if k != "rules"})
        if isinstance(data.get("no_cases"), dict) and isinstance(override.get("no_cases"), dict):
            merged["no_cases"] = data["no_cases"] | override["no_cases"]  # e.g. only ranked changes for C
        rules = copy.deepcopy(rules_raw)
        by_id = {r.get("id"): r for r in rules}
        for rule_id, changes in (override.get("rules") or {}).items():
            rule_line = loc.table(f"overrides.{category}.rules.{rule_id}")
            rule_line = (rule_line + 1) if rule_line is not None else line
            if rule_id not in by_id:
                raise _fail(file_name, rule_line, f"[overrides.{category}] 引用了不存在的规则「{rule_id}」")
            if not isinstance(changes, dict) or "kind" in changes or "id" in changes:
                raise _fail(file_name, rule_line, f"规则「{rule_id}」的覆盖只能修改数值（不能修改 id 或 kind）")
            by_id[rule_id].update(changes)
        overrides[str(category)] = _scheme(merged, rules, family, loc, file_name, section=section)

    return RuleSet(
        name=name.strip(),
        version=str(version).strip(),
        description=description.strip(),
        display_name=display_name.strip(),
        example=example,
        family=family,
        rounding=rounding,
        scheme=scheme,
        overrides=overrides,
        adjustments=adjustments.get("include", True),
        adjustments_roll_up=adjustments.get("roll_up", False),
    )


def _scheme(data: dict, rules_raw: list[dict], family: str, loc: _Locator, file_name: str, section) -> Scheme:
    def line_of(key: str) -> int:
        return loc.key(key, section=section) if section is not None else loc.key(key)

    base = _decimal(data.get("base"), file_name, line_of("base"), "base", allow_none=True)
    if family == "deduction" and base is None:
        raise _fail(file_name, 1, "扣分制（deduction）规则集需要基础分「base」，如 base = 100")
    if family == "composite" and base is not None:
        raise _fail(file_name, line_of("base"), "加权综合（composite）规则集没有基础分，请删除「base」")
    cap = _decimal(data.get("cap"), file_name, line_of("cap"), "cap", allow_none=True)
    floor = _decimal(data.get("floor"), file_name, line_of("floor"), "floor", allow_none=True)
    if cap is not None and floor is not None and floor > cap:
        raise _fail(file_name, line_of("floor"), f"下限 floor={floor} 高于上限 cap={cap}")
    raw_nc = data.get("no_cases", {}) or {}
    nc_line = loc.table("no_cases")
    nc_line = (nc_line + 1) if nc_line is not None else line_of("no_cases")
    if not isinstance(raw_nc, dict) or set(raw_nc) - {"score", "label", "ranked"}:
        raise _fail(file_name, nc_line, "[no_cases] 只能有 score、label 和 ranked 三项")
    ranked = raw_nc.get("ranked", False)
    if not isinstance(ranked, bool):
        raise _fail(file_name, loc.key("ranked", section=nc_line - 1), "「no_cases.ranked」应为 true 或 false")
    no_cases = NoCases(
        score=_decimal(raw_nc.get("score", 100), file_name, nc_line, "no_cases.score"),
        label=str(raw_nc.get("label", "无案件")),
        ranked=ranked,
    )
    # these numbers become score lines as they stand (cli.md: every line already has two decimals)
    for key, value, line in (
        ("base", base, line_of("base")),
        ("cap", cap, line_of("cap")),
        ("floor", floor, line_of("floor")),
        ("no_cases.score", no_cases.score, loc.key("score", section=nc_line - 1) if "score" in raw_nc else nc_line),
    ):
        if value is not None and value.normalize().as_tuple().exponent < -2:
            raise _fail(file_name, line, f"「{key}」最多两位小数（得分的每一行都保留两位小数），收到「{value}」")
    rules = tuple(_rule(raw, index, family, loc, file_name) for index, raw in enumerate(rules_raw))
    ids = [r.id for r in rules]
    for index, rule_id in enumerate(ids):
        if rule_id in ids[:index]:
            raise _fail(file_name, loc.key("id", section=loc.rule(index)), f"规则 id「{rule_id}」重复")
    if family == "composite":
        total = sum((r.weight for r in rules), Decimal(0))
        if total != 1:
            where = (section + 1) if section is not None else (loc.rule(0) or 0) + 1
            raise _fail(file_name, where, f"加权综合规则的权重之和应为 1，现为 {total}")
    return Scheme(base=base, cap=cap, floor=floor, no_cases=no_cases, rules=rules)


def _rule(raw: dict, index: int, family: str, loc: _Locator, file_name: str) -> Rule:
    section = loc.rule(index)

    def line(key: str) -> int:
        return loc.key(key, section=section) if section is not None else 1

    unknown = sorted(set(raw) - RULE_KEYS)
    if unknown:
        raise _fail(
            file_name, line(unknown[0]), f"规则中未知的设置项「{unknown[0]}」（可用：{'、'.join(sorted(RULE_KEYS))}）"
        )
    for key in ("id", "name", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(
                file_name, line(key) if key in raw else (section or 0) + 1, f"第 {index + 1} 条规则缺少「{key}」"
            )
    kind = raw["kind"]
    if kind not in KINDS_BY_FAMILY[family]:
        raise _fail(
            file_name,
            line("kind"),
            f"{family} 规则集不支持 kind=「{kind}」（可用：{'、'.join(KINDS_BY_FAMILY[family])}）",
        )
    values: dict = {"id": raw["id"].strip(), "name": raw["name"].strip(), "kind": kind}
    if kind in ("rate_shortfall", "rate_excess", "rate_score", "inverse_rate_score"):
        if raw.get("rate") not in RATES:
            raise _fail(file_name, line("rate"), f"「rate」应为 {'、'.join(RATES)} 之一，收到「{raw.get('rate')}」")
        values["rate"] = raw["rate"]
    if kind in ("per_case", "bands"):
        if raw.get("count") not in COUNTS:
            raise _fail(file_name, line("count"), f"「count」应为 {'、'.join(COUNTS)} 之一，收到「{raw.get('count')}」")
        values["count"] = raw["count"]
    if kind in ("rate_shortfall", "rate_excess"):
        values["target"] = _decimal(
            raw.get("target", 100 if kind == "rate_shortfall" else 0), file_name, line("target"), "target"
        )
        values["per_point"] = _positive(raw, "per_point", line, file_name)
    if kind == "per_case":
        values["per_case"] = _positive(raw, "per_case", line, file_name)
    if kind in ("rate_shortfall", "rate_excess", "per_case") and "max_points" in raw:
        values["max_points"] = _decimal(raw["max_points"], file_name, line("max_points"), "max_points")
    if family == "composite":
        weight = _decimal(raw.get("weight"), file_name, line("weight"), "weight") if "weight" in raw else None
        if weight is None or not 0 < weight <= 1:
            raise _fail(file_name, line("weight"), '加权综合规则的「weight」应在 0 与 1 之间，如 "0.30"')
        values["weight"] = weight
        when_null = raw.get("when_null", "full")
        if when_null not in ("full", "zero"):
            raise _fail(file_name, line("when_null"), "「when_null」应为 full（按满分）或 zero（按零分）")
        values["when_null"] = when_null
    if kind == "bands":
        values["bands"] = _bands(raw.get("bands"), line("bands"), file_name)
    return Rule(**values)


def _positive(raw: dict, key: str, line, file_name: str) -> Decimal:
    if key not in raw:
        raise _fail(file_name, line(key), f"缺少「{key}」（每单位扣分）")
    value = _decimal(raw[key], file_name, line(key), key)
    if value < 0:
        raise _fail(file_name, line(key), f"「{key}」应为正数（扣分规则自动取负）")
    return value


def _bands(raw, line: int, file_name: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(file_name, line, "「bands」应为分档列表，如 [{max = 50, score = 100}, {score = 0}]")
    bands: list[Band] = []
    previous = -1
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "score" not in item or set(item) - {"max", "score"}:
            raise _fail(file_name, line, f"第 {number} 档应写成 {{max = 件数, score = 分值}}")
        top = item.get("max")
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top <= previous):
            raise _fail(file_name, line, f"第 {number} 档的 max 应为大于上一档的整数")
        if top is None and number != len(raw):
            raise _fail(file_name, line, "只有最后一档可以不写 max")
        bands.append(Band(max=top, score=_decimal(item["score"], file_name, line, "score")))
        previous = top if top is not None else previous
    if bands[-1].max is not None:
        raise _fail(file_name, line, "最后一档不应写 max（覆盖其余所有件数）")
    return tuple(bands)
