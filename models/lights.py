"""Timer lights (亮灯): the one rule every supervision stream shares (domain.md §5, reused by §8).

green while under the yellow threshold (default 80 %) of the time limit is used, yellow from it up to the
deadline, red past the deadline; "serious" (flagged for escalation) when red and more than the serious
threshold (default 2×, i.e. 200 %) of the limit is used. Each stream measures the used share in its own
kind of time (working or natural) and hands it here: city cases (models.overdue) and 两违 steps
(models.lw_steps) differ in how they measure, never in how a share becomes a light.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from models.labels import LIGHT_LABELS as LIGHT_LABELS  # the words: one table (models.labels)

YELLOW_FROM = Decimal("0.8")
SERIOUS_OVER = Decimal("2")
SHARE_PLACES = Decimal("0.0001")
LIGHTS = ("green", "yellow", "red")


def used_share(used_seconds: float, total_seconds: float) -> Decimal | None:
    """Used ÷ limit as a Decimal rounded half-up to 4 places (1.0 = the whole limit); None without a limit."""
    if not total_seconds:
        return None
    return (Decimal(str(used_seconds)) / Decimal(str(total_seconds))).quantize(SHARE_PLACES, ROUND_HALF_UP)


def judge_light(
    share: Decimal | None,
    past_deadline: bool,
    *,
    yellow_from: Decimal = YELLOW_FROM,
    serious_over: Decimal = SERIOUS_OVER,
) -> tuple[str, bool]:
    """(light, serious) for an open item. A red item whose share cannot be measured counts as serious:
    it is late and nobody can say by how little."""
    if past_deadline:
        light = "red"
    elif share is not None and share >= yellow_from:
        light = "yellow"
    else:
        light = "green"
    serious = light == "red" and (share is None or share > serious_over)
    return light, serious
