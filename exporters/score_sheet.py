"""The score sheet: 评价结果 in the seed's layout, 指标明细, 扣分明细 and 说明 — made to be printed.

Why this shape: 评价结果 is the table the office publishes (title, 单位类别 | 处置单位 | 评价得分 | 名次, grouped
A/B/C, ranked units by rank and the unranked ones after them, the category cell merged over its group, on at
most two A4 pages); the other sheets let anyone redo each score from the published rates and see the case
numbers behind every deduction. Every sheet prints legibly (≥ 8 pt), with its header repeated and a footer
naming the document, the period and 第 N 页 共 M 页 (tests/printing.py checks the printed PDF).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from exporters.saving import write_file
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    CENTER,
    FORMAT_INT,
    FORMAT_RATE,
    FORMAT_SCORE,
    HEADER_FONT,
    LINE_HEIGHT,
    MIDDLE_LEFT,
    TITLE_FONT,
    WRAP,
    fit_row_heights,
    fit_width,
    font,
    print_setup,
    set_text,
    set_widths,
    style_header,
    wrapped_lines,
)
from models.labels import (
    DEFINITION_LABELS,
    FAMILY_LABELS,
    NO_CASES_MARK,
    UNAVAILABLE_MARK,
    UNRANKED_MARK,
    definition_value_text,
)
from models.periods import Period, period_words
from models.quality import require_data
from models.rules import COUNTS
from models.scoring import score_document

RESULT_HEADERS = ["单位类别", "处置单位", "评价得分", "名次", "备注"]
INDICATOR_HEADERS = [
    "单位类别",
    "处置单位",
    "评价范围",
    *(f"{label}数" for label in COUNTS.values()),  # 立案数 … 返工数, 回退数: the rule sets' counts
    "处置率",
    "按期处置率",
    "结案率",
    "按期结案率",
    "返工率",
    "评价得分",
    "类内名次",
    "名次变化",
    "无案件",
]
INDICATOR_COUNTS = list(COUNTS)  # the rule sets' count keys, in the same order
INDICATOR_RATES = ["disposal_rate", "on_time_disposal_rate", "closure_rate", "on_time_closure_rate", "rework_rate"]
RATES_FROM = 4 + len(INDICATOR_COUNTS)  # first rate column: the second column group starts here
DETAIL_HEADERS = ["单位类别", "处置单位", "评价得分", "规则", "分值", "计算说明", "案件数", "案件编号"]
# Widths in Excel's units; they add up to what fits an A4 page at 100 % (xlsx_common.PAGE_UNITS), so nothing
# is shrunk below the body size when printed. The case column holds three case numbers a line at CASE_SIZE.
DETAIL_WIDTHS = {1: 8, 2: 14, 3: 7, 4: 9, 5: 6, 6: 20, 7: 5, 8: 41}
CASE_SIZE = 9  # points: case numbers are digits, legible at 9 pt, and a month's lists take fewer pages
# Case numbers are separated by spaces: LibreOffice breaks a line inside a number after a bare "、".
CASE_SEPARATOR = " "
CASE_LINES_PER_ROW = 8  # a row cannot be split across pages: longer lists continue below, and rows pack pages
# the fixed columns, then each group: 评价范围 (12) and 9 counts at 7; 5 rates at 8 and the score columns at 7
INDICATOR_WIDTHS = {1: 9, 2: 24, 3: 12} | dict.fromkeys(range(4, 13), 7) | dict.fromkeys(range(13, 18), 8)
INDICATOR_WIDTHS |= dict.fromkeys(range(18, 22), 7)
RESULT_UNIT_WIDTH = 42  # longer unit names wrap: the table stays one A4 page wide at 100 %


TOP = Alignment(vertical="top")


def category_label(code: str | None) -> str:
    return f"{code}类单位" if code else "未分类单位"


def unit_label(entry: dict) -> str:
    """The unit as the seed prints it: 市城市管理局[含下属单位的绩效评价]."""
    scope = entry.get("evaluation_scope")
    return f"{entry['unit']}[{scope}]" if scope else entry["unit"]


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save through exporters.saving: a failed write never leaves half a file behind, and says why."""
    write_file(path, wb.save)


def write_score_sheet(db, period: Period, path: Path, rules=None) -> dict:
    """Write the four-sheet score workbook; returns the scores document it shows (also stored).

    A period without a single case is refused (models.quality.NoDataError): a sheet of 100s is no result."""
    require_data(db, period, "导出评分表")
    doc = score_document(db, period, rules)
    generated_at = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    title = f"{period_words(period)}处置单位绩效评价结果"
    wb = Workbook()
    _results_sheet(wb.active, doc, title)
    _indicator_sheet(wb.create_sheet("指标明细"), doc, title)
    _detail_sheet(wb.create_sheet("扣分明细"), doc, title)
    _about_sheet(wb.create_sheet("说明"), db, doc, period, generated_at, title)
    wb.properties.title = title
    wb.properties.creator = "城管绩效台"
    save_workbook(wb, Path(path))
    return doc


def rule_set_words(rule_set: dict) -> str:
    """The rule set as the sheet and the bulletin name it, with the example note where it applies."""
    text = f"评价规则：{rule_set['label']}"
    return text + (f"。{rule_set['note']}" if rule_set.get("note") else "")


def _groups(doc: dict) -> list[tuple[str | None, list[dict]]]:
    groups: list[tuple[str | None, list[dict]]] = []
    for entry in doc["units"]:
        if groups and groups[-1][0] == entry["category"]:
            groups[-1][1].append(entry)
        else:
            groups.append((entry["category"], [entry]))
    return groups


def _results_sheet(ws, doc: dict, title: str) -> None:
    """The published table: by category, ranked units first (rank order), then the unranked ones."""
    ws.title = "评价结果"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RESULT_HEADERS))
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append(RESULT_HEADERS)
    style_header(ws[2])

    row = 3
    for category, entries in _groups(doc):
        first = row
        for entry in entries:  # the document's order: rank, then the unranked in registry order
            ws.cell(row, 1)
            name = ws.cell(row, 2)
            set_text(name, unit_label(entry))
            score = ws.cell(row, 3, Decimal(entry["score"]))
            score.number_format = FORMAT_SCORE
            ws.cell(row, 4, entry["rank"] if entry["rank"] is not None else UNRANKED_MARK)
            ws.cell(row, 5, NO_CASES_MARK if entry["no_cases"] else None)
            name.alignment = MIDDLE_LEFT
            for column in (1, 2, 3, 4, 5):
                cell = ws.cell(row, column)
                cell.font = BODY_FONT
                cell.border = BORDER
                if column != 2:
                    cell.alignment = CENTER
            row += 1
        label = ws.cell(first, 1, category_label(category))
        label.alignment = CENTER
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    notes = [rule_set_words(doc["rule_set"]) + "。"]
    if any(e["rank"] is None for e in doc["units"]):
        notes.append(
            f"“{UNRANKED_MARK}”：本期无立案案件（{NO_CASES_MARK}），按规则不参加排名，列于本类已排名单位之后。"
        )
    unplaced = doc.get("unplaced_units") or []
    if unplaced:
        names = "、".join(f"{u['unit']}（立案 {u['filed']} 件）" for u in unplaced)
        notes.append(f"未登记单位未参加评价：{names}，见“说明”。")
    notes.append("计算明细见“指标明细”“扣分明细”，口径与数据来源见“说明”。")
    widths = [
        fit_width([category_label(c) for c, _ in _groups(doc)] + [RESULT_HEADERS[0]], minimum=10),
        fit_width([unit_label(e) for e in doc["units"]] + [RESULT_HEADERS[1]], minimum=20, maximum=RESULT_UNIT_WIDTH),
        9,
        6,
        8,
    ]
    set_widths(ws, widths)
    fit_row_heights(ws, {2: widths[1]}, first_row=3)
    for text in notes:
        row += 1
        note = ws.cell(row, 1)
        set_text(note, text)
        note.font = font(size=9)
        note.alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(RESULT_HEADERS))
        lines = wrapped_lines(text, sum(widths) * 10.5 / 9)
        ws.row_dimensions[row].height = lines * LINE_HEIGHT * 9 / 10.5 + 4
    ws.freeze_panes = "A3"
    print_setup(ws, title_rows="1:2", footer=f"{title}　{ws.title}")


def _dash(value):
    return UNRANKED_MARK if value is None else value


def _indicator_sheet(ws, doc: dict, title: str) -> None:
    """Every unit's figures; printed in two column groups (counts, then rates and scores) with the
    category and unit columns repeated, at 100 %."""
    ws.append(INDICATOR_HEADERS)
    style_header(ws[1])
    gone = set(doc.get("unavailable") or ())
    for entry in doc["units"]:
        ind = entry["indicators"]
        scope = f"含下属单位\n{len(entry['subunits'])}个" if entry["subunits"] else "本单位"
        values: list = [category_label(entry["category"]), None, scope]
        values += [UNAVAILABLE_MARK if key in gone else ind[key] for key in INDICATOR_COUNTS]
        values += [None] * len(INDICATOR_RATES)
        values += [Decimal(entry["score"]), _dash(entry["rank"]), _dash(entry["rank_change"])]
        values.append("是" if entry["no_cases"] else "")
        ws.append(values)
        row = ws.max_row
        set_text(ws.cell(row, 2), entry["unit"])
        for offset, key in enumerate(INDICATOR_RATES):
            cell = ws.cell(row, RATES_FROM + offset)
            rate = ind[key]
            if rate is None:
                cell.value = UNAVAILABLE_MARK
            else:
                cell.value = Decimal(rate) / 100
                cell.number_format = FORMAT_RATE
        for column in range(4, RATES_FROM):
            ws.cell(row, column).number_format = FORMAT_INT
        ws.cell(row, len(INDICATOR_HEADERS) - 3).number_format = FORMAT_SCORE
        for cell in ws[row]:
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = CENTER
        ws.cell(row, 2).alignment = MIDDLE_LEFT
        ws.cell(row, 3).alignment = MIDDLE_LEFT
    set_widths(ws, INDICATOR_WIDTHS)
    fit_row_heights(ws, {2: INDICATOR_WIDTHS[2], 3: INDICATOR_WIDTHS[3]})
    ws.row_dimensions[1].height = 2 * LINE_HEIGHT + 4  # two-line headers (按期处置数 → 按期处置 / 数)
    ws.col_breaks.append(Break(id=RATES_FROM - 1))  # counts | rates and scores
    _detail_layout(ws, len(INDICATOR_HEADERS))
    print_setup(ws, title_rows="1:1", title_cols="A:B", landscape=True, fit_width=False, footer=f"{title}　{ws.title}")


def _case_chunks(cases: list[str], width: float) -> list[str]:
    """The case list of a line as the texts of one or more rows, each short enough to print on one page."""
    chunks, current = [], []
    for number in cases:
        trial = CASE_SEPARATOR.join([*current, number])
        if current and wrapped_lines(trial, width, CASE_SIZE) > CASE_LINES_PER_ROW:
            chunks.append(CASE_SEPARATOR.join(current))
            current = []
        current.append(number)
    return [*chunks, CASE_SEPARATOR.join(current)] if current or not chunks else chunks


def _detail_sheet(ws, doc: dict, title: str) -> None:
    """One row per line that moves a score (base lines left out), with its case numbers; a long case list
    continues on rows marked （续）."""
    ws.append(DETAIL_HEADERS)
    style_header(ws[1])
    for entry in doc["units"]:
        for line in entry["lines"]:
            points = Decimal(line["points"])
            if line["rule"] == "基础分" or points == 0:
                continue
            for index, chunk in enumerate(_case_chunks(line["cases"], DETAIL_WIDTHS[8])):
                first = index == 0
                ws.append(
                    [
                        category_label(entry["category"]),
                        None,
                        Decimal(entry["score"]) if first else None,
                        None,
                        points if first else None,
                        None,
                        len(line["cases"]) if first else None,
                        None,
                    ]
                )
                row = ws.max_row
                set_text(ws.cell(row, 2), entry["unit"])
                set_text(ws.cell(row, 4), line["rule"] if first else f"{line['rule']}（续）")
                set_text(ws.cell(row, 6), line["detail"] if first else "（案件编号续上行）")
                set_text(ws.cell(row, 8), chunk)
                ws.cell(row, 3).number_format = FORMAT_SCORE
                ws.cell(row, 5).number_format = FORMAT_SCORE
                ws.cell(row, 7).number_format = FORMAT_INT
                for cell in ws[row]:
                    cell.font = BODY_FONT
                    cell.border = BORDER
                    cell.alignment = WRAP  # rows grow with wrapped case numbers: keep the row's values on top
                ws.cell(row, 8).font = font(size=CASE_SIZE)
    _detail_layout(ws, len(DETAIL_HEADERS))
    set_widths(ws, DETAIL_WIDTHS)
    fit_row_heights(ws, {c: DETAIL_WIDTHS[c] for c in (2, 4, 6, 8)}, sizes={8: CASE_SIZE})
    ws.row_dimensions[1].height = 2 * LINE_HEIGHT + 4  # 评价得分, 案件数 on two lines
    print_setup(ws, title_rows="1:1", landscape=True, footer=f"{title}　{ws.title}")


def _detail_layout(ws, columns: int) -> None:
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(ws.max_row, 1)}"


def _source_imports(db, period: Period) -> list[tuple]:
    """Imports whose cases fall in the period (file, sha256, finished, rows written)."""
    return db.execute(
        """SELECT i.id, i.file_name, i.sha256, COALESCE(i.finished_at, i.started_at), i.inserted, i.updated
           FROM imports i
           WHERE i.id IN (SELECT DISTINCT import_id FROM cases
                          WHERE (filed_at >= ? AND filed_at < ?) OR (reported_at >= ? AND reported_at < ?))
           ORDER BY i.id""",
        (period.start_text, period.end_text, period.start_text, period.end_text),
    ).fetchall()


def _about_sheet(ws, db, doc: dict, period: Period, generated_at: str, title: str) -> None:
    rule_set = doc["rule_set"]
    rows: list[tuple[str, str]] = [
        ("统计周期", f"{period_words(period)}（{period.start_text} 至 {period.last_moment:%Y-%m-%d %H:%M:%S}）"),
        ("评价规则", rule_set["label"]),
        ("计分方式", FAMILY_LABELS.get(rule_set["family"], rule_set["family"])),
    ]
    if rule_set.get("note"):
        rows.append(("规则性质", rule_set["note"]))
    rows += [
        ("规则说明", rule_set.get("description") or ""),
        ("规则文件", f"{rule_set.get('file') or ''}  SHA-256 {rule_set.get('sha256') or ''}"),
        ("计分方法", "每个单位的得分等于其各行分值之和；每行已四舍五入保留两位小数，比率按公布的两位小数计算。"),
    ]
    for key, value in doc["definitions"].items():
        rows.append((f"统计口径：{DEFINITION_LABELS.get(key, key)}", definition_value_text(key, value)))
    for entry in doc.get("unplaced_units", []):
        rows.append(
            ("未登记单位（未评分）", f"{entry['unit']}（立案 {entry['filed']} 件），请登记到单位名录后重新导出")
        )
    for warning in doc.get("warnings", []):
        if warning["code"] != "unregistered_unit":
            rows.append(("数据质量提示", warning["text"]))
    imports = _source_imports(db, period)
    for import_id, name, sha, finished, inserted, updated in imports:
        rows.append(
            (
                "数据来源",
                f"#{import_id} {name}  SHA-256 {sha or '—'}  导入于 {finished}（新增 {inserted}，更新 {updated}）",
            )
        )
    if not imports:
        rows.append(("数据来源", "（本期无导入数据）"))
    rows.append(("生成时间", generated_at))
    ws.append(["项目", "内容"])
    style_header(ws[1])
    for label, value in rows:
        ws.append([label, None])
        set_text(ws.cell(ws.max_row, 2), value)
        for cell in ws[ws.max_row]:
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = WRAP
        ws.cell(ws.max_row, 1).font = HEADER_FONT
    widths = {1: 24, 2: 50}
    set_widths(ws, widths)
    fit_row_heights(ws, widths)
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1", footer=f"{title}　{ws.title}")
