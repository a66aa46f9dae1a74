"""The bulletin as a Word document (.docx) in the 公文 layout of GB/T 9704-2012, via python-docx.

What it follows: A4; margins top 37 mm, bottom 35, left 28, right 26 (156 × 225 mm of text: 28 characters of
三号 a line, 22 lines a page at a fixed 28.95 pt); title in 方正小标宋简体 二号, centred; body in 仿宋 三号 with a
two-character first-line indent; first-level headings in 黑体, second-level ones (the inline "（一）案件受理。") in
楷体; the issuer and the date right-aligned as 7.3.5.3 places them for a document without a seal; then on a new
page 附件 and the score table, category cells merged as the seed prints them.

Fonts: a .docx names one East Asian font per run. 仿宋 and 楷体 (SimFang, SimKai) are on every Windows since Vista
and are the same 中易 designs as 仿宋_GB2312 and 楷体_GB2312, which only XP and machines with the old files have
and which Word does not map to 仿宋 or 楷体 when they are missing, so the modern names keep the look everywhere.
方正小标宋简体 has no stock equivalent; office machines that print 公文 have it, elsewhere Word and WPS use their
default Song face. Latin letters and digits are Times New Roman. python-docx sets only the Latin font names, so
the East Asian name is written into each style's w:rFonts, and the default language of East Asian text set to
zh-CN (the only XML this module touches).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from exporters.bulletin import ANNEX_HEADERS, ANNEX_LABEL, BulletinDocument
from exporters.saving import ExportError, write_file
from exporters.xlsx_common import CONTROL_CHARS, display_width

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_S4 = Pt(12)  # 小四
LINE = Pt(28.95)  # 22 lines in the 225 mm text height
TITLE_LINE = Pt(35)
INDENT = 2 * SIZE_3  # 空二字
TEXT_WIDTH = Mm(210 - 28 - 26)
COLUMN_WIDTHS = (Mm(26), Mm(88), Mm(42))  # 单位类别 | 处置单位 | 评价得分: the 156 mm text width


def _clean(text: str) -> str:
    """Text the XML of a .docx can hold (unit names and reasons come from imported files)."""
    return CONTROL_CHARS.sub("", text)


def _set_fonts(style, east_asian: str, latin: str = LATIN_FONT) -> None:
    style.font.name = latin  # w:ascii and w:hAnsi
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _paragraph_style(doc, name: str, east_asian: str, size, *, align=None, indent=None, line=None, bold=False):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _set_fonts(style, east_asian, east_asian if east_asian == TITLE_FONT else LATIN_FONT)
    style.font.size = size
    style.font.bold = bold
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if indent is not None:
        fmt.first_line_indent = indent
    if line is not None:
        fmt.line_spacing = line
    return style


def _styles(doc) -> None:
    """Normal is the body (仿宋 三号, fixed lines, 空二字); the others differ from it only where GB/T 9704 says."""
    # python-docx's template is set up for Japanese East Asian text (theme language ja-JP, text tagged en-US);
    # as zh-CN, Word, WPS and LibreOffice pick Chinese glyph forms, and 宋体 where a named font is missing.
    for lang in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:eastAsia"), "zh-CN")
    for lang in doc.settings.element.xpath("w:themeFontLang"):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = SIZE_3
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = INDENT
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    _paragraph_style(doc, "公文标题", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=TITLE_LINE)
    _paragraph_style(doc, "文号", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    heading = _paragraph_style(doc, "一级标题", HEADING_FONT, SIZE_3)
    heading.paragraph_format.keep_with_next = True
    _paragraph_style(doc, "署名", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0)
    _paragraph_style(doc, "附件标识", HEADING_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
    notes = _paragraph_style(doc, "附件说明", BODY_FONT, SIZE_S4, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, line=1.0)
    notes.paragraph_format.space_before = notes.paragraph_format.space_after = Pt(3)
    _paragraph_style(doc, "表格文字", BODY_FONT, SIZE_S4, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=1.0)
    _paragraph_style(doc, "表头", HEADING_FONT, SIZE_S4, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=1.0)
    sub = doc.styles.add_style("二级标题", WD_STYLE_TYPE.CHARACTER)
    _set_fonts(sub, SUBHEADING_FONT)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _width(text: str) -> float:
    """The printed width of `text` in characters: half for Latin letters and digits, plus the quarter
    character Word, WPS and LibreOffice put between Chinese and Latin text (2021年12月13日: 8.25)."""
    wide = [unicodedata.east_asian_width(ch) in ("W", "F") for ch in text]
    changes = sum(1 for a, b in zip(wide, wide[1:], strict=False) if a != b)
    return display_width(text) / 2 + changes / 4


def _signature_indents(issuer: str, date_text: str) -> tuple[float, float]:
    """Right indents, in characters, of the issuer and the date (GB/T 9704 7.3.5.3, no seal): the issuer
    右空二字, the date starting two characters right of the issuer's start; a date longer than that stays
    右空二字 and pushes the issuer left."""
    issuer_width, date_width = _width(issuer), _width(date_text)
    date_right = 2 + issuer_width - 2 - date_width
    if date_right >= 2:
        return 2, date_right
    return 2 + date_width + 2 - issuer_width, 2


def _body(doc, bulletin: BulletinDocument) -> None:
    doc.add_paragraph(_clean(bulletin.title), style="公文标题")
    if bulletin.doc_no:
        doc.add_paragraph(_clean(bulletin.doc_no), style="文号")
    doc.add_paragraph()
    for section in bulletin.sections:
        doc.add_paragraph(_clean(section.heading), style="一级标题")
        for paragraph in section.paragraphs:
            p = doc.add_paragraph()
            if paragraph.lead:
                p.add_run(_clean(paragraph.lead), style="二级标题")
            p.add_run(_clean(paragraph.text))
    doc.add_paragraph()
    issuer_indent, date_indent = _signature_indents(bulletin.issuer, bulletin.date_text)
    for text, indent in ((bulletin.issuer, issuer_indent), (bulletin.date_text, date_indent)):
        p = doc.add_paragraph(_clean(text), style="署名")
        p.paragraph_format.right_indent = int(SIZE_3 * indent)


def _annex(doc, bulletin: BulletinDocument) -> None:
    annex = bulletin.annex
    label = doc.add_paragraph(ANNEX_LABEL, style="附件标识")
    label.paragraph_format.page_break_before = True
    doc.add_paragraph(_clean(annex.title), style="公文标题")
    for note in (annex.rule_set, *annex.notes):
        doc.add_paragraph(_clean(note), style="附件说明")
    rows = annex.unit_count + 1
    table = doc.add_table(rows=rows, cols=len(ANNEX_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, text in enumerate(ANNEX_HEADERS):
        table.cell(0, column).paragraphs[0].text = text
        table.cell(0, column).paragraphs[0].style = doc.styles["表头"]
    row = 1
    for group in annex.groups:
        first = row
        for entry in group.rows:
            unit = table.cell(row, 1).paragraphs[0]
            unit.text = _clean(entry.unit)
            unit.alignment = WD_ALIGN_PARAGRAPH.LEFT
            score = f"{entry.score}（{entry.note}）" if entry.note else entry.score
            table.cell(row, 2).paragraphs[0].text = score
            row += 1
        category = table.cell(first, 0)
        category.paragraphs[0].text = _clean(group.category)
        if row - 1 > first:
            category = category.merge(table.cell(row - 1, 0))
    for column, width in enumerate(COLUMN_WIDTHS):
        table.columns[column].width = width
    for table_row in table.rows:
        for column, cell in enumerate(table_row.cells):
            cell.width = COLUMN_WIDTHS[column]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for paragraph in cell.paragraphs:
                if paragraph.style.name == "Normal":
                    paragraph.style = doc.styles["表格文字"]
    for note in bulletin.notes:
        doc.add_paragraph(_clean(note), style="附件说明")


def bulletin_docx(bulletin: BulletinDocument):
    """The python-docx Document of the bulletin (not yet saved)."""
    doc = Document()
    _page(doc)
    _styles(doc)
    _body(doc, bulletin)
    _annex(doc, bulletin)
    props = doc.core_properties
    props.title = _clean(bulletin.title)
    props.subject = _clean(bulletin.annex.title)
    props.author = _clean(bulletin.issuer)
    props.comments = "城管绩效台生成；" + _clean(bulletin.annex.rule_set)
    props.created = props.modified = datetime.now()
    props.last_modified_by = "城管绩效台"
    props.revision = 1
    return doc


def write_bulletin_docx(bulletin: BulletinDocument, path: Path) -> Path:
    """Write the bulletin to `path` (.docx) in one step; a file open in Word is named, never half-written."""
    if Path(path).suffix.lower() != ".docx":
        raise ExportError(f"Word 文件名应以 .docx 结尾：{path}")
    return write_file(path, bulletin_docx(bulletin).save)
