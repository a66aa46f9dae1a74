"""Pick a font that renders Chinese: 微软雅黑 on Windows, Noto Sans CJK SC / WenQuanYi on Linux.

Why: a fresh Linux box (and Qt's offscreen platform) may otherwise choose a Latin font and draw boxes.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

PREFERRED_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "微软雅黑",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Noto Sans SC",
)

BASE_POINT_SIZE = 10


def cjk_family() -> str | None:
    """The first installed family from PREFERRED_FAMILIES, or None (keep Qt's default)."""
    installed = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in installed:
            return family
    return None


def app_font(scale: float = 1.0) -> QFont:
    font = QFont()
    family = cjk_family()
    if family:
        font.setFamily(family)
        font.setFamilies([family, *[f for f in PREFERRED_FAMILIES if f != family]])
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    return font
