"""The indicator definitions of domain.md §4 that differ between cities, stored as one setting.

Defaults reproduce the seed bulletin; every alternative is a value here, never a code change, and the
whole object is echoed in every statistics output so a reader knows which definitions made the figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from models.errors import UserFacingError
from models.labels import DEFINITION_LABELS, DEFINITION_VALUE_LABELS
from models.settings import Setting

SETTING = Setting("definitions", {})  # Definitions.to_json(); fields not stored take their default

CHOICES: dict[str, tuple[str, ...]] = {
    "due_to_close": ("filed", "disposed_plus_overdue_open"),
    "rework_rate_base": ("disposed", "due_to_close"),
    "cutoff": ("none", "period_end"),
}

# Stages that mark a case as deferred (缓办 / 挂账) when exclude_deferred is on (substring match).
DEFERRED_STAGE_WORDS = ("缓办", "挂账")

LABELS = DEFINITION_LABELS  # the settings' names (models.labels, the one table)


class DefinitionsError(UserFacingError):
    """A stored or edited definition value that is not one of the documented choices."""


@dataclass(frozen=True)
class Definitions:
    """domain.md §4 settings; see CHOICES for the allowed alternatives."""

    due_to_close: str = "filed"  # or "disposed_plus_overdue_open"
    rework_rate_base: str = "disposed"  # or "due_to_close"
    exclude_deferred: bool = False
    cutoff: str = "none"  # or "period_end"
    top_parts: int = 6
    top_events: int = 8

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                words = "、".join(DEFINITION_VALUE_LABELS[name].get(a, a) for a in allowed)
                raise DefinitionsError(f"统计口径「{LABELS[name]}」的取值「{value}」无效（可选：{words}）")
        for name in ("top_parts", "top_events"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DefinitionsError(f"统计口径「{LABELS[name]}」应为非负整数，收到「{value}」")
        if not isinstance(self.exclude_deferred, bool):
            raise DefinitionsError(f"统计口径「{LABELS['exclude_deferred']}」应为 true/false")

    def to_json(self) -> dict:
        """The definitions as echoed in every output (keys in declaration order)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> Definitions:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})


def load_definitions(db) -> Definitions:
    """The stored definitions, defaults for anything not stored."""
    return Definitions.from_json(SETTING.read(db))


def save_definitions(db, defs: Definitions) -> None:
    SETTING.write(db, defs.to_json())
