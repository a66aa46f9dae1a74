"""The demo's supervision ledgers as the office receives them, imported through the real importers.

- 两违: the platform's export for December 2021 (demo.lw_export), one row per case and extension request.
- 督察信访: batch 8 exactly as the seed reports it (resources/demo/petitions_batch8.toml), a ledger with a
  title row and its own 批次 / 移交日期 columns, imported with --batch 8 --date 2021-12-14.
- 创城回头看: the 回头看 ledger at the seed's six sites (resources/demo/rectify_ledger.toml).

Why write files and import them rather than insert rows: the demo then goes the way a user's own ledger
goes (child process, header aliases, cell words, history), and the files can be opened to see what a ledger
looks like.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from demo.lw_export import HEADERS as LW_HEADERS
from demo.lw_export import lw_demo
from importers.lw_import import LwStream
from importers.petition_import import PetitionStream
from importers.pipeline import import_file
from importers.rectify_import import RectifyStream
from importers.report import ImportReport, ProgressFn
from models.numbers import chinese_numeral
from models.petitions import FIELD_LABELS as PETITION_LABELS
from models.rectify import FIELD_LABELS as RECTIFY_LABELS
from models.store import load_toml

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PETITION_COLUMNS = ("piece_no", "batch", "handed_over", "types", "regions", "duplicate", "unit", "deadline",
                    "closed_on", "result", "content")  # fmt: skip
LW_FILE = "两违智能监管平台案件明细_202112.xlsx"
PETITION_FILE = "省环保督察第八批信访件办理台账.xlsx"
RECTIFY_FILE = "创城回头看问题整改台账.xlsx"


def _sheet(path: Path, title: str, headers: list[str], rows: list[list], widths: list[int]) -> Path:
    """A ledger sheet as offices keep them: a merged title row, the header, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(2, index).column_letter].width = width
    ws.freeze_panes = "A3"
    wb.save(str(path))
    return path


def _text_time(value: object) -> object:
    """A time as some platforms write it: text "2021/12/06 09:30" (a date alone: "2021/12/06")."""
    if isinstance(value, datetime):
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y/%m/%d")
    return value


def write_lw_export(folder: Path) -> Path:
    demo = lw_demo()
    rows = []
    for index, row in enumerate(demo.rows):
        cells = [row.get(field) for _header, field in LW_HEADERS]
        if index in demo.text_date_rows:
            cells = [_text_time(c) for c in cells]
        rows.append(cells)
    widths = [18, 10, 14, 12, 16, 10, 17, 8, 17, 17, 8, 17, 17, 8, 17, 8, 8, 14, 8]
    return _sheet(folder / LW_FILE, demo.title, [h for h, _f in LW_HEADERS], rows, widths)


def write_petition_ledger(folder: Path) -> tuple[Path, dict]:
    """Batch 8's ledger; returns its path and the batch (number, handed_over, body)."""
    data = load_toml("demo/petitions_batch8.toml")
    batch = data["batch"]
    defaults = {"batch": f"第{chinese_numeral(batch['number'])}批", "handed_over": batch["handed_over"]}
    rows = [[(piece | defaults).get(field) for field in PETITION_COLUMNS] for piece in data["piece"]]
    title = f"省生态环境保护督察组移交第{chinese_numeral(batch['number'])}批群众信访举报件办理台账"
    headers = [PETITION_LABELS[field] for field in PETITION_COLUMNS]
    widths = [22, 8, 12, 16, 18, 8, 24, 10, 12, 40, 40]
    return _sheet(folder / PETITION_FILE, title, headers, rows, widths), batch


def write_rectify_ledger(folder: Path) -> Path:
    data = load_toml("demo/rectify_ledger.toml")
    fields = list(RECTIFY_LABELS)
    rows = [[row.get(field) for field in fields] for row in data["row"]]
    widths = [12, 12, 16, 10, 12, 36, 22, 12, 12, 10]
    return _sheet(folder / RECTIFY_FILE, "创城“回头看”问题整改台账", list(RECTIFY_LABELS.values()), rows, widths)


def import_demo_ledgers(db, folder: Path, progress: ProgressFn | None = None) -> list[ImportReport]:
    """Write the three ledgers into `folder` and import each through its stream."""
    folder = Path(folder)
    reports = [import_file(db, write_lw_export(folder), stream=LwStream(), progress=progress)]
    path, batch = write_petition_ledger(folder)
    stream = PetitionStream(batch["number"], batch["handed_over"], batch["body"])
    reports.append(import_file(db, path, stream=stream, progress=progress))
    reports.append(import_file(db, write_rectify_ledger(folder), stream=RectifyStream(), progress=progress))
    return reports
