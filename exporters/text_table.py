"""Plain-text tables for the terminal, aligned for CJK (a wide character takes two columns)."""

from __future__ import annotations

from collections.abc import Sequence

from exporters.xlsx_common import display_width


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` display columns."""
    return text + " " * max(0, width - display_width(text))


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, indent: str = "  ") -> list[str]:
    """Lines of a table whose columns are as wide as their widest cell; None shows as "—"."""
    cells = [[str(h) for h in headers]] + [["—" if v is None else str(v) for v in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    return [indent + "  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
