"""Word for word: the demo month's bulletin, as text and as a Word document, against the seed bulletin's body.

With the seed's settings, its manual deduction entered as README shows and the seed's signature date, the body
from "一、运行数据分析" to "2021年12月13日" must equal the published one once whitespace is removed and full- and
half-width forms are normalised (NFKC); the annex holds every unit of the registry in the seed's layout.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import main
from exporters.xlsx_common import display_width
from tests.conftest import seed_adjust_argv

pytestmark = pytest.mark.slow

MM = 72 / 25.4
SEED_BODY = Path(__file__).parent / "fixtures" / "bulletin-2021-11-body.txt"
FIRST, LAST = "一、运行数据分析", "2021年12月13日"
SEED_SETTINGS = {
    "bulletin.city": "漳州",
    "bulletin.issuer": "漳州市城市管理委员会办公室",
    "bulletin.score_format": "seed",
}


def normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def seed_body() -> str:
    lines = SEED_BODY.read_text(encoding="utf-8").splitlines()
    return normalised("".join(line for line in lines if not line.startswith("#")))


def body_between(paragraphs: list[str]) -> str:
    """The paragraphs from the one that is the first heading to the one that is the date, normalised."""
    texts = [normalised(p) for p in paragraphs]
    start, end = texts.index(normalised(FIRST)), texts.index(normalised(LAST))
    return "".join(texts[start : end + 1])


def page_words(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    """(xMin, yMin, xMax, yMax) in points of every word poppler finds on `page`."""
    command = ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    return [tuple(float(v) for v in box) for box in boxes]


def first_difference(seed: str, ours: str) -> str:
    """The two bodies side by side from a little before the first character where they part."""
    at = next((i for i, (a, b) in enumerate(zip(seed, ours, strict=False)) if a != b), min(len(seed), len(ours)))
    if seed == ours:
        return ""
    left = max(0, at - 24)
    return (
        f"first difference at character {at} (seed {len(seed)}, ours {len(ours)} characters):\n"
        f"  seed: …{seed[left : at + 24]}\n"
        f"  ours: …{ours[left : at + 24]}\n"
        f"         {' ' * display_width(seed[left:at])}^"
    )


@pytest.fixture
def seed_month(demo_db_path, tmp_path) -> str:
    """A copy of the demo database with the seed's deduction and settings entered through the CLI."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_db_path, path)
    assert main.main(seed_adjust_argv(path)) == 0
    for key, value in SEED_SETTINGS.items():
        assert main.main(["--db", str(path), "config", "set", key, value]) == 0
    return str(path)


def test_the_text_body_is_the_seed_word_for_word(seed_month, capsys):
    capsys.readouterr()
    assert main.main(["--db", seed_month, "report", "--month", "2021-11", "--issued", "2021-12-13"]) == 0
    ours = body_between(capsys.readouterr().out.splitlines())
    assert ours == seed_body(), first_difference(seed_body(), ours)


def test_the_word_body_is_the_seed_word_for_word_and_the_annex_holds_every_unit(seed_month, tmp_path, capsys):
    out = tmp_path / "通报" / "通报_2021-11.docx"
    argv = ["--db", seed_month, "report", "--month", "2021-11", "--issued", "2021-12-13", "--docx", str(out)]
    assert main.main(argv) == 0
    assert capsys.readouterr().out == ""  # the document is the output; the text is printed only with -o
    document = docx.Document(str(out))
    ours = body_between([p.text for p in document.paragraphs])
    assert ours == seed_body(), first_difference(seed_body(), ours)

    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["单位类别", "处置单位", "评价得分"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 56
    assert [r[0] for r in rows].count("A类单位") == 11 and [r[0] for r in rows].count("C类单位") == 14
    assert "市城市管理局[含下属单位的绩效评价]" in [r[1] for r in rows]
    scores = [r[2].split("（")[0] for r in rows]
    assert all(s.endswith("分") for s in scores)
    assert "100.0分" in scores and all(s == "100.0分" or len(s.split(".")[1]) == 3 for s in scores)  # 2 places + 分
    merges = [tc.vMerge for tc in table._tbl.xpath("./w:tr/w:tc[1]")][1:]
    assert merges.count("restart") == 3 and merges.count("continue") == 56 - 3  # one merged cell per category
    assert table._tbl.xpath("./w:tr/w:tc[1]")[1].tcPr.find(qn("w:vMerge")) is not None


def test_the_docx_folder_form_uses_the_period_in_the_file_name(seed_month, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    assert main.main(["--db", seed_month, "report", "--month", "2021-11", "--docx", str(folder)]) == 0
    assert [p.name for p in folder.iterdir()] == ["通报_2021-11.docx"]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="no LibreOffice")
def test_libreoffice_prints_the_document_on_a4_with_the_body_and_the_annex(seed_month, tmp_path):
    out = tmp_path / "通报_2021-11.docx"
    argv = ["--db", seed_month, "report", "--month", "2021-11", "--issued", "2021-12-13", "--docx", str(out)]
    assert main.main(argv) == 0
    profile = (tmp_path / "lo_profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = out.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 5
    words = page_words(pdf, 1)  # GB/T 9704 margins: left 28 mm, right 26, top 37, bottom 35 (1 mm = 2.835 pt)
    assert abs(min(w[0] for w in words) - 28 * MM) < 2 and max(w[2] for w in words) <= (210 - 26) * MM + 1
    assert min(w[1] for w in words) >= 37 * MM - 8 and max(w[3] for w in words) <= (297 - 35) * MM + 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = normalised(text)
    assert seed_body() in flat  # the body prints whole, in order (pdftotext keeps the reading order)
    assert normalised("漳州市城市管理委员会办公室") in flat and "附件" in flat
    assert flat.count("100.0分") >= 10
