"""The Word bulletin's 公文 layout (GB/T 9704): page, styles and fonts, signature placement, safe text."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from exporters.bulletin import Annex, AnnexGroup, AnnexRow, BulletinDocument, Paragraph, Section, build_bulletin
from exporters.bulletin_docx import _signature_indents, _width, write_bulletin_docx
from exporters.saving import ExportError
from models.bulletin_settings import set_setting_value
from models.periods import parse_month
from tests.conftest import insert_cases


def east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def small_bulletin(**changes) -> BulletinDocument:
    fields = dict(
        title="漳州市数字化城市管理绩效评价通报",
        doc_no="2021年第11期",
        sections=(
            Section(
                "一、运行数据分析",
                (Paragraph("2021年11月受理案件6件。"), Paragraph("平台立案6件。", "（一）案件受理。")),
            ),
        ),
        issuer="漳州市城市管理委员会办公室",
        issued=date(2021, 12, 13),
        annex=Annex("2021年11月处置单位绩效评价得分", "评分规则：default（版本 1）", ()),
    )
    return BulletinDocument(**(fields | changes))


def test_page_and_fonts_follow_gb_t_9704(tmp_path):
    path = write_bulletin_docx(small_bulletin(), tmp_path / "b.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    mm = [round(length.mm, 1) for length in (section.page_width, section.page_height)]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert mm + [round(m.mm, 1) for m in margins] == [210, 297, 37, 35, 28, 26]
    styles = document.styles
    assert (east_asian(styles["Normal"]), styles["Normal"].font.size, styles["Normal"].font.name) == (
        "仿宋",
        Pt(16),
        "Times New Roman",
    )
    assert (east_asian(styles["公文标题"]), styles["公文标题"].font.size) == ("方正小标宋简体", Pt(22))
    assert east_asian(styles["一级标题"]) == "黑体" and east_asian(styles["二级标题"]) == "楷体"
    assert styles["Normal"].paragraph_format.first_line_indent == Pt(32)  # 空二字
    lang = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(qn("w:eastAsia")) == "zh-CN"

    title, doc_no, blank, heading, first, second = document.paragraphs[:6]
    assert (title.text, title.style.name, title.alignment) == ("漳州市数字化城市管理绩效评价通报", "公文标题", None)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (doc_no.text, blank.text, heading.style.name) == ("2021年第11期", "", "一级标题")
    assert [(r.text, r.style.name) for r in second.runs] == [
        ("（一）案件受理。", "二级标题"),
        ("平台立案6件。", "Default Paragraph Font"),
    ]
    texts = [p.text for p in document.paragraphs]
    at = texts.index("漳州市城市管理委员会办公室")
    assert texts[at - 1 : at + 5] == [
        "",
        texts[at],
        "2021年12月13日",
        "附件",
        "2021年11月处置单位绩效评价得分",
        "评分规则：default（版本 1）",
    ]
    issuer, when, annex = document.paragraphs[at : at + 3]
    assert annex.paragraph_format.page_break_before
    assert issuer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert issuer.paragraph_format.right_indent == Pt(32)  # 右空二字
    assert when.paragraph_format.right_indent == int(Pt(16) * 4.75)  # starts two characters right of the issuer
    props = document.core_properties
    assert (props.title, props.author) == ("漳州市数字化城市管理绩效评价通报", "漳州市城市管理委员会办公室")


def test_signature_placement_for_a_short_issuer_and_the_date_width():
    assert _width("2021年12月13日") == 8.25  # 4 for the digits, 3 for 年月日, 5 quarter gaps between them
    assert _signature_indents("漳州市城市管理委员会办公室", "2021年12月13日") == (2, 4.75)
    assert _signature_indents("城管办", "2021年12月13日") == (9.25, 2)  # the date stays 右空二字


def test_no_doc_number_and_control_characters_from_imported_text(tmp_path):
    annex = Annex("附件标题", "评分规则", (AnnexGroup("A类单位", (AnnexRow("单位\x07甲", "100.0分", 1, "无案件"),)),))
    bulletin = small_bulletin(doc_no="", annex=annex, notes=("（统计口径：x）",))
    document = docx.Document(str(write_bulletin_docx(bulletin, tmp_path / "b.docx")))
    assert document.paragraphs[1].text == ""  # no 文号 line: the blank line after the title
    (table,) = document.tables
    assert [c.text for c in table.rows[1].cells] == ["A类单位", "单位甲", "100.0分（无案件）"]
    assert document.paragraphs[-1].text == "（统计口径：x）"


def test_only_a_docx_name_is_written_and_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    with pytest.raises(ExportError, match="应以 .docx 结尾"):
        write_bulletin_docx(small_bulletin(), tmp_path / "通报.doc")
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(ExportError, match="无法保存「.*folder.docx」"):
        write_bulletin_docx(small_bulletin(), tmp_path / "folder.docx")
    old = tmp_path / "通报.docx"
    old.write_bytes(b"the previous month's file")

    def open_in_word(src, dst):
        error = PermissionError(13, "Permission denied")
        error.winerror = 32  # ERROR_SHARING_VIOLATION: Windows' answer while Word holds the file
        raise error

    monkeypatch.setattr("exporters.saving.os.replace", open_in_word)
    with pytest.raises(ExportError, match="这个文件正在被 Excel、WPS 或其他程序打开"):
        write_bulletin_docx(small_bulletin(), old)
    assert old.read_bytes() == b"the previous month's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.docx", "通报.docx"]


def test_the_annex_takes_the_configured_score_format(db, tmp_path):
    insert_cases(db, [{"case_no": "A1", "unit": "西桥街道办事处", "reported_at": "2021-11-03 08:00:00"}])
    set_setting_value(db, "bulletin.score_format", "0.00")
    bulletin = build_bulletin(db, parse_month("2021-11"), issued=date(2021, 12, 13))
    assert bulletin.annex.unit_count == 56
    document = docx.Document(str(write_bulletin_docx(bulletin, tmp_path / "b.docx")))
    assert document.tables[0].rows[1].cells[2].text == "100.00分（无案件）"
