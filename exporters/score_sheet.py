"""The score sheet: 评价结果 in the seed's layout, 指标明细, 扣分明细 and 说明.

Why this shape: 评价结果 is the table the office publishes (title, 单位类别 | 处置单位 | 评价得分, grouped A/B/C,
sorted descending, the category cell merged over its group); the other sheets let anyone redo each score
from the published rates and see the case numbers behind every deduction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from exporters.saving import write_file
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    CENTER,
    FORMAT_INT,
    FORMAT_RATE,
    FORMAT_SCORE,
    HEADER_FONT,
    LEFT,
    TITLE_FONT,
    WRAP,
    auto_widths,
    fit_row_heights,
    fit_width,
    font,
    print_setup,
    set_text,
    set_widths,
    style_header,
)
from models.periods import Period, period_words
from models.quality import require_data
from models.rules import COUNTS
from models.scoring import score_document

RESULT_HEADERS = ["单位类别", "处置单位", "评价得分"]
INDICATOR_HEADERS = [
    "单位类别",
    "处置单位",
    "评价范围",
    "立案数",
    "应处置数",
    "处置数",
    "按期处置数",
    "超期处置数",
    "应结案数",
    "结案数",
    "按期结案数",
    "返工数",
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
FAMILY_LABELS = {"deduction": "扣分制", "composite": "加权综合指标"}
DETAIL_HEADERS = ["单位类别", "处置单位", "评价得分", "规则", "分值", "计算说明", "案件数", "案件编号"]


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
    wb = Workbook()
    _results_sheet(wb.active, doc, period)
    _indicator_sheet(wb.create_sheet("指标明细"), doc)
    _detail_sheet(wb.create_sheet("扣分明细"), doc)
    _about_sheet(wb.create_sheet("说明"), db, doc, period, generated_at)
    wb.properties.title = f"{period_words(period)}处置单位绩效评价结果"
    wb.properties.creator = "城管绩效台"
    save_workbook(wb, Path(path))
    return doc


def _results_sheet(ws, doc: dict, period: Period) -> None:
    ws.title = "评价结果"
    ws.append([f"{period_words(period)}处置单位绩效评价结果"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    title = ws.cell(1, 1)
    title.font = TITLE_FONT
    title.alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append(RESULT_HEADERS)
    style_header(ws[2])

    row = 3
    groups: list[tuple[str | None, list[dict]]] = []
    for entry in doc["units"]:
        if groups and groups[-1][0] == entry["category"]:
            groups[-1][1].append(entry)
        else:
            groups.append((entry["category"], [entry]))
    for category, entries in groups:
        first = row
        for entry in entries:  # the document's order: by rank, then the unranked units
            ws.cell(row, 1)
            name = ws.cell(row, 2)
            set_text(name, unit_label(entry))
            score = ws.cell(row, 3, Decimal(entry["score"]))
            score.number_format = FORMAT_SCORE
            name.alignment = LEFT
            score.alignment = CENTER
            for column in (1, 2, 3):
                ws.cell(row, column).font = BODY_FONT
                ws.cell(row, column).border = BORDER
            row += 1
        label = ws.cell(first, 1, category_label(category))
        label.alignment = CENTER
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    rule_set = doc["rule_set"]
    note = ws.cell(
        row + 1,
        1,
        f"评价规则：{rule_set['name']} v{rule_set['version']}；"
        "计算明细见“指标明细”“扣分明细”，口径与数据来源见“说明”。",
    )
    note.font = font(size=9)
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=3)
    set_widths(
        ws,
        [
            fit_width([category_label(c) for c, _ in groups] + [RESULT_HEADERS[0]], minimum=10),
            fit_width([unit_label(e) for e in doc["units"]] + [RESULT_HEADERS[1]], minimum=20),
            12,
        ],
    )
    ws.freeze_panes = "A3"
    print_setup(ws, title_rows="1:2")


def _indicator_sheet(ws, doc: dict) -> None:
    ws.append(INDICATOR_HEADERS)
    style_header(ws[1])
    for entry in doc["units"]:
        ind = entry["indicators"]
        scope = f"含下属单位{len(entry['subunits'])}个" if entry["subunits"] else "本单位"
        values: list = [category_label(entry["category"]), None, scope]
        values += [ind[key] for key in INDICATOR_COUNTS]
        values += [None] * len(INDICATOR_RATES)
        change = entry["rank_change"]
        values += [Decimal(entry["score"]), entry["rank"], change, "是" if entry["no_cases"] else ""]
        ws.append(values)
        row = ws.max_row
        set_text(ws.cell(row, 2), entry["unit"])
        for offset, key in enumerate(INDICATOR_RATES):
            cell = ws.cell(row, 4 + len(INDICATOR_COUNTS) + offset)
            rate = ind[key]
            if rate is None:
                cell.value = "—"
                cell.alignment = CENTER
            else:
                cell.value = Decimal(rate) / 100
                cell.number_format = FORMAT_RATE
        for column in range(4, 4 + len(INDICATOR_COUNTS)):
            ws.cell(row, column).number_format = FORMAT_INT
        ws.cell(row, len(INDICATOR_HEADERS) - 3).number_format = FORMAT_SCORE
        for cell in ws[row]:
            cell.font = BODY_FONT
            cell.border = BORDER
    _detail_layout(ws, len(INDICATOR_HEADERS))
    auto_widths(ws, maximum=40)


def _detail_sheet(ws, doc: dict) -> None:
    ws.append(DETAIL_HEADERS)
    style_header(ws[1])
    for entry in doc["units"]:
        for line in entry["lines"]:
            points = Decimal(line["points"])
            if line["rule"] == "基础分" or points == 0:
                continue
            ws.append(
                [
                    category_label(entry["category"]),
                    None,
                    Decimal(entry["score"]),
                    None,
                    points,
                    None,
                    len(line["cases"]),
                    None,
                ]
            )
            row = ws.max_row
            set_text(ws.cell(row, 2), entry["unit"])
            set_text(ws.cell(row, 4), line["rule"])
            set_text(ws.cell(row, 6), line["detail"])
            set_text(ws.cell(row, 8), "、".join(line["cases"]))
            ws.cell(row, 3).number_format = FORMAT_SCORE
            ws.cell(row, 5).number_format = FORMAT_SCORE
            ws.cell(row, 7).number_format = FORMAT_INT
            for cell in ws[row]:
                cell.font = BODY_FONT
                cell.border = BORDER
                cell.alignment = TOP  # rows grow with wrapped case numbers: keep the row's values together
            ws.cell(row, 6).alignment = WRAP
            ws.cell(row, 8).alignment = WRAP
    _detail_layout(ws, len(DETAIL_HEADERS))
    auto_widths(ws, maximum=30)
    wrapped = {6: 48, 8: 60}
    set_widths(ws, wrapped)
    fit_row_heights(ws, wrapped)


def _detail_layout(ws, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(ws.max_row, 1)}"
    print_setup(ws, title_rows="1:1", landscape=True)


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


def _about_sheet(ws, db, doc: dict, period: Period, generated_at: str) -> None:
    from models.definitions import LABELS

    rule_set = doc["rule_set"]
    rows: list[tuple[str, str]] = [
        ("统计周期", f"{period_words(period)}（{period.start_text} 至 {period.last_moment:%Y-%m-%d %H:%M:%S}）"),
        (
            "评价规则",
            f"{rule_set['name']} v{rule_set['version']}（{FAMILY_LABELS.get(rule_set['family'], rule_set['family'])}）",
        ),
        ("规则说明", rule_set.get("description") or ""),
        ("规则文件", f"{rule_set.get('file') or ''}  SHA-256 {rule_set.get('sha256') or ''}"),
        ("计分方法", "每个单位的得分等于其各行分值之和；每行已四舍五入保留两位小数，比率按公布的两位小数计算。"),
    ]
    for key, value in doc["definitions"].items():
        rows.append((f"统计口径：{LABELS.get(key, key)}", _definition_text(value)))
    for entry in doc.get("unplaced_units", []):
        rows.append(("未登记单位（未评分）", f"{entry['unit']}（立案 {entry['filed']} 件）"))
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
    widths = {1: fit_width([r[0] for r in rows], minimum=10, maximum=30), 2: 90}
    set_widths(ws, widths)
    fit_row_heights(ws, widths)
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")


def _definition_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
