"""The 两违 rules that are settings (domain.md §8): step limits, light thresholds, the extension level rule and
the words exports use for approval levels and results.

Why a module: rules are data. The shipped values live in resources/lw_rules.toml; the user's edits are one
JSON object in the store's settings table (key "lw_rules", same shape as the file) and win key by key.
Every figure echoes the values it was computed with (`definitions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from models.errors import CellValueError, UserFacingError
from models.settings import Setting
from models.store import load_toml
from models.vocabulary import match_key

SETTING_KEY = "lw_rules"
STORED = Setting(SETTING_KEY, {})  # the user's edits, same shape as resources/lw_rules.toml
RESOURCE = "lw_rules.toml"
STEPS = ("核查", "处置", "审核")
COUNTY, CITY = "县级", "市级"
APPROVED, REFUSED = "同意", "不同意"


class LwSettingsError(UserFacingError):
    """A stored or shipped 两违 rule value that cannot be used (names the key)."""


class LwValueError(CellValueError):
    """A cell the 两违 rules cannot read (an unknown level or result word, days that are not a whole number, a
    missing case number); str() is the Chinese reason and ``field`` the canonical field, so the importer turns
    it into a rejected row naming the row and column."""


def _match(
    text: str | None, field: str, what: str, choices: tuple[tuple[str, tuple[str, ...]], ...], note: str = ""
) -> str | None:
    """The canonical word whose list holds `text` (blank → None); an unknown word raises LwValueError."""
    if text is None or not match_key(str(text)):
        return None
    word = match_key(str(text))
    for canonical, words in choices:
        if word in {match_key(w) for w in words}:
            return canonical
    known = "；".join(f"{canonical}：{'、'.join(words)}" for canonical, words in choices)
    raise LwValueError(field, f"{what}「{text}」无法识别（{known}{note}）", str(text))


@dataclass(frozen=True)
class LwSettings:
    """domain.md §8 settings; the defaults are the seed's figures (resources/lw_rules.toml)."""

    limits: dict[str, int] = field(default_factory=lambda: {"核查": 5, "处置": 15, "审核": 5})  # 工作日
    yellow_from: Decimal = Decimal("0.8")
    serious_over: Decimal = Decimal("2")
    county_max_days: int = 30
    county_words: tuple[str, ...] = (COUNTY,)
    city_words: tuple[str, ...] = (CITY,)
    approved_words: tuple[str, ...] = (APPROVED,)
    refused_words: tuple[str, ...] = (REFUSED,)
    departments: tuple[str, ...] = ("城管", "农业农村", "自然资源")
    department_aliases: dict[str, str] = field(default_factory=dict)
    version: str = "1"

    def __post_init__(self) -> None:
        for step in STEPS:
            days = self.limits.get(step)
            if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
                raise LwSettingsError(f"两违时限设置「{step}」应为正整数（工作日），收到「{days}」")
        if not Decimal(0) < self.yellow_from <= Decimal(1):
            raise LwSettingsError(f"两违黄灯阈值应在 0 与 1 之间（如 0.8），收到「{self.yellow_from}」")
        if self.serious_over < Decimal(1):
            raise LwSettingsError(f"两违严重超期阈值应不小于 1（如 2 即 200%），收到「{self.serious_over}」")
        if not isinstance(self.county_max_days, int) or self.county_max_days < 0:
            raise LwSettingsError(f"县级可审批的延期天数应为非负整数，收到「{self.county_max_days}」")
        levels = [match_key(w) for w in self.county_words + self.city_words]
        results = [match_key(w) for w in self.approved_words + self.refused_words]
        for words, what in ((levels, "审批层级"), (results, "审批结果")):
            twice = sorted({w for w in words if words.count(w) > 1})
            if twice:
                raise LwSettingsError(f"两违{what}用语「{'、'.join(twice)}」同时出现在两个列表中")

    def limit_text(self, step: str) -> str:
        """ "5工作日", as cli.md's `lw stats` prints a step's limit."""
        return f"{self.limits[step]}工作日"

    def level(self, text: str | None) -> str | None:
        """An export's approval-level word → 县级 | 市级; blank → None; an unknown word raises LwValueError."""
        return _match(text, "extension_level", "延期审批层级", ((COUNTY, self.county_words), (CITY, self.city_words)))

    def result(self, text: str | None) -> str | None:
        """An export's result word → 同意 | 不同意; blank → None (pending); an unknown word raises LwValueError."""
        return _match(
            text,
            "extension_result",
            "延期审批结果",
            ((APPROVED, self.approved_words), (REFUSED, self.refused_words)),
            "；空白为待审批",
        )

    def department(self, text: str | None) -> str | None:
        """An export's department name → its display name (城管局 → 城管); other names as given, trimmed."""
        if text is None or not str(text).strip():
            return None
        aliases = {match_key(a): name for a, name in self.department_aliases.items()}
        return aliases.get(match_key(str(text)), str(text).strip())

    def definitions(self) -> dict:
        """The settings as echoed in every 两违 output."""
        return {
            "rules_version": self.version,
            "limits": {step: self.limit_text(step) for step in STEPS},
            "yellow_from": f"{self.yellow_from * 100:.2f}",
            "serious_over": f"{self.serious_over * 100:.2f}",
            "extension_unit": "自然日",
            "county_max_days": self.county_max_days,
        }

    @classmethod
    def from_json(cls, data: dict) -> LwSettings:
        """The resource file's shape (limits, lights, extensions, words, departments) to settings."""
        lights = data.get("lights", {})
        words = data.get("words", {})
        base = cls()
        try:
            return cls(
                limits={step: data.get("limits", {}).get(step, base.limits[step]) for step in STEPS},
                yellow_from=Decimal(str(lights.get("yellow_from", base.yellow_from))),
                serious_over=Decimal(str(lights.get("serious_over", base.serious_over))),
                county_max_days=data.get("extensions", {}).get("county_max_days", base.county_max_days),
                county_words=tuple(words.get("county", base.county_words)),
                city_words=tuple(words.get("city", base.city_words)),
                approved_words=tuple(words.get("approved", base.approved_words)),
                refused_words=tuple(words.get("refused", base.refused_words)),
                departments=tuple(data.get("departments", {}).get("order", base.departments)),
                department_aliases=dict(data.get("departments", {}).get("aliases", {})),
                version=str(data.get("version", base.version)),
            )
        except InvalidOperation:
            raise LwSettingsError(f"两违亮灯阈值应为数字，收到「{lights}」") from None


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_lw_settings(stored: dict | None = None) -> LwSettings:
    """The shipped rules (resources/lw_rules.toml), with a stored override (same shape) winning key by key."""
    return LwSettings.from_json(_merge(load_toml(RESOURCE), stored or {}))


def lw_settings_from_db(db) -> LwSettings:
    """The rules in force for a store: the shipped file plus the user's edits (setting "lw_rules")."""
    return load_lw_settings(STORED.read(db))


def edited_rules(settings: LwSettings) -> tuple:
    """The rules 设置 edits: step limits, light thresholds, the county ceiling."""
    return settings.limits, settings.yellow_from, settings.serious_over, settings.county_max_days


def save_lw_rules(
    db, *, limits: dict[str, int], yellow_from: Decimal, serious_over: Decimal, county_max_days: int, today: str
) -> LwSettings:
    """Validate and store an edit of the rules 设置 shows; returns the rules now in force.

    A value that cannot be used raises LwSettingsError and stores nothing. Why a version of its own: every
    export states the rules' version, and an edited rule set must not pass for the shipped one; an edit back
    to the shipped values takes the shipped version again. `today` (YYYY-MM-DD) dates the edit."""
    shipped = load_lw_settings()
    edit = {
        "limits": {step: limits.get(step) for step in STEPS},
        "lights": {"yellow_from": str(yellow_from), "serious_over": str(serious_over)},
        "extensions": {"county_max_days": county_max_days},
    }
    stored = STORED.read(db) or {}
    candidate = load_lw_settings(_merge(stored, edit | {"version": shipped.version}))  # raises when unusable
    same = edited_rules(candidate) == edited_rules(shipped)
    edit["version"] = shipped.version if same else f"{shipped.version}（本机修改 {today}）"
    STORED.write(db, _merge(stored, edit))
    return lw_settings_from_db(db)
