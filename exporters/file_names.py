"""How an exported file is named — one function for the GUI's save dialogs and the CLI's ``-o FOLDER``.

Why one: the office files the workbooks by name; the same export must get the same name whichever way it
was made, with its period in it and nothing Windows forbids (a chart titled 部件 / 事件 would otherwise
become a folder 部件 and a file 事件.png). Light to import (no openpyxl): the GUI's pages use it at start-up.
"""

from __future__ import annotations

from datetime import datetime

from exporters.saving import safe_file_name
from models.periods import Period

# what is exported → the first word of its file name
TITLES = {
    "scores": "处置单位绩效评价",
    "cases": "案件清单",
    "lights": "超期预警",
    "bulletin": "通报",
    "stats": "运行统计",
    "rejected": "被拒行",
}
PART_LIMIT = 40  # characters of one part: a long search text or unit name keeps the name usable
SUFFIXES = {"scores": ".xlsx", "cases": ".xlsx", "lights": ".xlsx", "bulletin": ".txt", "stats": ".txt"}


def period_part(period: Period) -> str:
    """The period as a file name shows it: 2021-11, 2021-Q4, 2021, 2021-11-01至2021-11-30."""
    return period.label.replace("..", "至")


def export_file_name(
    what: str, period: Period | None = None, *details: str | None, suffix: str | None = None, as_of=None
) -> str:
    """A suggested file name: <title>_<period>_<details…><suffix>, e.g. 处置单位绩效评价_2021-11.xlsx,
    案件清单_2021-11_结案_芗城区城市管理局.xlsx, 超期预警_截至2021-11-30.xlsx, 部件_事件_2021-11.png.

    what: a key of TITLES (scores, cases, lights, bulletin, stats, rejected) or any title (a chart's);
    details: filter words, empty ones left out; as_of: the moment a snapshot (the overdue lights) was taken."""
    parts = [TITLES.get(what, what)]
    if period is not None:
        parts.append(period_part(period))
    if as_of is not None:
        moment = as_of if isinstance(as_of, datetime) else datetime.fromisoformat(str(as_of))
        parts.append(f"截至{moment:%Y-%m-%d}")
    parts += [d for d in details if d]
    return "_".join(safe_file_name(p)[:PART_LIMIT] for p in parts) + (suffix or SUFFIXES.get(what, ".xlsx"))
