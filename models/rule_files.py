"""Where rule files live and how they are found: the built-in sets in ``resources/rules``, the user's own
copies in ``<user data dir>/rules``; loading one by name or path, listing them, copying one to edit."""

from __future__ import annotations

import re
from pathlib import Path

from models.bundled import resource_path
from models.errors import RuleSetError
from models.rule_parser import parse_rule_file
from models.rules import RuleSet
from models.settings import Setting

BUILTIN_DIR = resource_path("rules")
DEFAULT_NAME = "default"
CHOSEN = Setting("rule_set", DEFAULT_NAME)  # the rule set used when none is named


def user_rules_dir() -> Path:
    """The user's own rule files (copies to edit), beside the database in the user data folder."""
    import platformdirs

    from models.store import APP_NAME

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "rules"


def _candidates(name: str) -> list[Path]:
    return [BUILTIN_DIR / f"{name}.toml", user_rules_dir() / f"{name}.toml"]


def _looks_like_path(text: str) -> bool:
    return text.lower().endswith(".toml") or "/" in text or "\\" in text


def chosen_rule_set(db) -> str:
    """The name of the rule set chosen in settings (used wherever none is named), else ``default``."""
    return CHOSEN.read(db) or DEFAULT_NAME


def choose_rule_set(db, name: str) -> str:
    """Make `name` the rule set used wherever none is named; an unknown or malformed one is refused first."""
    rule_set = load_rule_set(name)
    CHOSEN.write(db, rule_set.name)
    return rule_set.name


def load_rule_set(name_or_path: str | Path | None = None, db=None) -> RuleSet:
    """A rule set by name (built-in first, then the user's folder) or by file path.

    None means the one chosen in settings (key ``rule_set``) when a database is given, else ``default``.
    """
    if name_or_path is None or str(name_or_path).strip() == "":
        name_or_path = DEFAULT_NAME if db is None else chosen_rule_set(db)
    text = str(name_or_path).strip()
    if isinstance(name_or_path, Path) or _looks_like_path(text):
        path = Path(text).expanduser()
        if not path.is_file():
            raise RuleSetError(f"找不到规则文件「{path}」")
        return parse_rule_file(path)
    for path in _candidates(text):
        if path.is_file():
            return parse_rule_file(path, builtin=path.parent == BUILTIN_DIR)
    names = "、".join(r.name for r in list_rule_sets()) or "无"
    raise RuleSetError(f"没有名为「{text}」的规则集（可用：{names}；也可给出 .toml 文件路径）")


def list_rule_sets() -> list[RuleSet]:
    """Built-in rule sets, then the user's (a malformed user file is skipped here; loading it names the error)."""
    out: list[RuleSet] = []
    seen: set[str] = set()
    for folder, builtin in ((BUILTIN_DIR, True), (user_rules_dir(), False)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.stem in seen:
                continue
            try:
                out.append(parse_rule_file(path, builtin=builtin))
            except RuleSetError:
                if builtin:
                    raise
                continue
            seen.add(path.stem)
    return out


def copy_rule_set(name: str, new_name: str, *, folder: Path | None = None) -> Path:
    """Copy a rule set to ``<user rules>/<new_name>.toml`` (name set, version 1) for the user to edit.

    The text is copied, comments included, so the copy explains itself; only ``name``, ``version`` and
    ``description`` lines change. Refuses to overwrite a file or to shadow a built-in name.
    """
    new_name = new_name.strip()
    if not re.fullmatch(r"[\w\-]+", new_name):
        raise RuleSetError(f"规则集名称「{new_name}」只能包含字母、数字、汉字、下划线和连字符")
    if (BUILTIN_DIR / f"{new_name}.toml").exists():
        raise RuleSetError(f"「{new_name}」是内置规则集的名称，请换一个名称")
    source = load_rule_set(name)
    target_dir = folder or user_rules_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{new_name}.toml"
    if target.exists():
        raise RuleSetError(f"规则文件「{target}」已存在")
    text = source.path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name\s*=.*$", f'name = "{new_name}"', text, count=1)
    text = re.sub(r"(?m)^version\s*=.*$", "version = 1", text, count=1)
    # the copy is the office's own rule set now: its own display name, no longer marked as an example
    text = re.sub(r"(?m)^display_name\s*=.*$", lambda _m: f'display_name = "{new_name}"', text, count=1)
    text = re.sub(r"(?m)^example\s*=.*$", "example = false", text, count=1)
    described = f"复制自 {source.label}：{source.description}".replace('"', "'")
    text = re.sub(r"(?m)^description\s*=.*$", lambda _m: f'description = "{described}"', text, count=1)
    target.write_text(text, encoding="utf-8")
    parse_rule_file(target)  # the copy must load
    return target
