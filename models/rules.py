"""Rule sets as data (domain.md §6): versioned TOML files that say how a unit's score is made. This module
holds what a loaded rule set is; models.rule_files finds and loads the files, models.rule_parser reads one.

Why data: each city weighs the indicators differently; a weight, a target or a band is a line in a file the
office can copy and edit, never a code change. Built-in sets live in ``resources/rules``; the user's own
copies live in ``<user data dir>/rules``.

A rule set is one engine for both families: an optional base line, one line per rule, the manual
adjustments, then a cap or floor line. ``family`` says which kinds of rule are allowed:

* ``deduction``: base (100) minus ``rate_shortfall`` / ``rate_excess`` / ``per_case`` deductions;
* ``composite``: no base; ``rate_score`` / ``inverse_rate_score`` / ``bands`` components times weights
  that add up to 1 (GB/T 30428 style).

``[overrides.<category>]`` changes base, cap, floor, no-case treatment or a rule's numbers for one unit
category (e.g. other 立案数 bands for C类).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path

from models.indicators import FIGURE_LABELS
from models.labels import EXAMPLE_RULES_NOTE

FAMILIES = ("deduction", "composite")
ROUNDINGS = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}

# rate key -> (Chinese label, numerator figure, denominator figure); "higher is better" except rework_rate.
RATES: dict[str, tuple[str, str, str]] = {
    "disposal_rate": ("处置率", "disposed", "need_dispose"),
    "on_time_disposal_rate": ("按期处置率", "disposed_on_time", "need_dispose"),
    "closure_rate": ("结案率", "closed", "due_to_close"),
    "on_time_closure_rate": ("按期结案率", "closed_on_time", "due_to_close"),
    "rework_rate": ("返工率", "rework", "rework_base"),
}
# count key -> Chinese label (Counts fields plus the derived disposed_late)
COUNTS: dict[str, str] = {
    key: FIGURE_LABELS[key]
    for key in (
        "filed",
        "need_dispose",
        "disposed",
        "disposed_on_time",
        "disposed_late",
        "due_to_close",
        "closed",
        "closed_on_time",
        "rework",
        "returned",
    )
}
KINDS_BY_FAMILY: dict[str, tuple[str, ...]] = {
    "deduction": ("rate_shortfall", "rate_excess", "per_case"),
    "composite": ("rate_score", "inverse_rate_score", "bands"),
}


@dataclass(frozen=True)
class Band:
    """立案数分值 band: counts up to ``max`` (inclusive; None = no upper bound) score ``score``."""

    max: int | None
    score: Decimal


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    kind: str
    rate: str | None = None
    count: str | None = None
    target: Decimal = Decimal(100)
    per_point: Decimal = Decimal(0)
    per_case: Decimal = Decimal(0)
    max_points: Decimal | None = None  # a deduction rule never takes more than this
    weight: Decimal = Decimal(0)
    bands: tuple[Band, ...] = ()
    when_null: str = "none"  # deduction: "none" (no points); composite: "full" (component 100) or "zero"


@dataclass(frozen=True)
class NoCases:
    """The treatment of a unit with no filed case in the period (domain.md §6, the ``[no_cases]`` table).

    ``ranked = false`` (the default): such a unit gets ``score`` but no rank — it is listed after the ranked
    units of its category, marked ``label`` — so an idle unit never outranks one that did the work."""

    score: Decimal = Decimal(100)
    label: str = "无案件"
    ranked: bool = False


@dataclass(frozen=True)
class Scheme:
    """The effective numbers for one unit category (the top level with its override applied)."""

    base: Decimal | None
    cap: Decimal | None
    floor: Decimal | None
    no_cases: NoCases
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    description: str
    family: str
    rounding: str
    scheme: Scheme
    overrides: dict[str, Scheme] = field(default_factory=dict)
    adjustments: bool = True  # manual adjustments count
    adjustments_roll_up: bool = False  # a 含下属单位 parent also takes its descendants' adjustments
    path: Path | None = None
    sha256: str = ""
    builtin: bool = False
    display_name: str = ""  # what people read (内置示例规则（扣分制）); the name is the file's code
    example: bool = False  # an example to start from, not any city's 考核细则: every output says so

    @property
    def label(self) -> str:
        """The rule set as every output names it: 内置示例规则（扣分制）（版本 1）."""
        return f"{self.display_name or self.name}（版本 {self.version}）"

    def for_category(self, category: str | None) -> Scheme:
        return self.overrides.get(category or "", self.scheme)

    def round(self, value: Decimal) -> Decimal:
        """Round one line to 0.01 the way the file says (default half-up; never Python's round())."""
        return Decimal(value).quantize(Decimal("0.01"), rounding=ROUNDINGS[self.rounding])

    def to_json(self) -> dict:
        """What every output prints about the rule set (cli.md: name and version; the rest is extra)."""
        return {
            "name": self.name,
            "version": self.version,
            "family": self.family,
            "description": self.description,
            "file": self.path.name if self.path else None,
            "sha256": self.sha256,
            "display_name": self.display_name or self.name,
            "label": self.label,
            "example": self.example,
            "note": EXAMPLE_RULES_NOTE if self.example else None,
        }
