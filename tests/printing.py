"""Print a document the way the office does — LibreOffice to PDF — and read the pages back for tests.

Why printing and not openpyxl properties: a page setup that reads well in the file can still print at 4 pt,
cut wrapped text or drop the header on page 2; only the printed page shows it. Workbooks (.xlsx) and Word
documents (.docx) go through ``soffice --headless --convert-to pdf``; the PDF is read with poppler-utils:
``pdftotext -bbox`` gives every word with its box, ``pdffonts`` the fonts of a page, ``pdftoppm`` PNG pages
to look at. Used by the export tests (issue 11) and the Word 通报 tests (issue 14).

The tools come from Debian packages libreoffice-calc-nogui, libreoffice-writer-nogui, poppler-utils and
fonts-noto-cjk (.ci/run installs them when missing); a test that needs them is skipped with the reason
when they cannot be found (``requires_printing``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

TOOLS = ("soffice", "pdftotext", "pdffonts", "pdftoppm")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
requires_printing = pytest.mark.skipif(
    bool(MISSING),
    reason=f"printing checks need LibreOffice and poppler-utils; not found: {', '.join(MISSING)}"
    " (Debian: libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-noto-cjk)",
)

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
A4 = (595.3, 841.9)  # points, portrait


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        """The word's font size in points, from its box height (see :func:`points_per_box`)."""
        return (self.y1 - self.y0) / points_per_box()


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text(self) -> str:
        """The page's words joined without spaces (CJK text has none; wrapped cells join up again)."""
        return "".join(w.text for w in self.words)

    def lines(self, tolerance: float = 2.0) -> list[str]:
        """The page's text line by line, top to bottom (words whose boxes share a baseline)."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.y1, w.x0)):
            if rows and abs(rows[-1][0].y1 - word.y1) <= tolerance:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]

    def footer(self, margin: float = 70.0) -> str:
        """The text printed in the bottom `margin` points of the page."""
        return "".join(w.text for w in self.words if w.y0 > self.height - margin)

    def footer_left(self, margin: float = 70.0) -> str:
        """The footer's left part (what the pages are), left to right."""
        words = [w for w in self.words if w.y0 > self.height - margin and w.x1 < self.width * 0.45]
        return "".join(w.text for w in sorted(words, key=lambda w: w.x0))

    def header_zone(self, depth: float) -> str:
        """The text printed in the top `depth` points of the page."""
        return "".join(w.text for w in self.words if w.y1 < depth)

    def smallest(self) -> Word | None:
        return min(self.words, key=lambda w: w.y1 - w.y0, default=None)


def print_to_pdf(document: Path, out_dir: Path | None = None) -> Path:
    """The document printed to PDF by LibreOffice (every sheet of a workbook, in order)."""
    document = Path(document)
    out_dir = Path(out_dir or document.parent)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        # a private profile: LibreOffice refuses to start twice on one profile (tests may run in parallel)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=os.environ | {"HOME": profile},
        )
    pdf = out_dir / (document.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {document.name}"
    return pdf


def read_pdf(pdf: Path) -> list[Page]:
    """Every page with its words and their boxes (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        boxes = _WORD.findall(body)
        words = tuple(Word(html.unescape(text), float(a), float(b), float(c), float(d)) for a, b, c, d, text in boxes)
        pages.append(Page(number, float(width), float(height), words))
    return pages


def page_fonts(pdf: Path, page: int) -> set[str]:
    """The font families used on one page (subset prefix and weight removed: NotoSansCJKjp, DejaVuSans)."""
    out = subprocess.run(
        ["pdffonts", "-f", str(page), "-l", str(page), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {re.sub(r"-(Bold|Regular|Medium|Light|Book|Oblique|Italic|VKana)+$", "", n.split("+")[-1]) for n in names}


def png_pages(pdf: Path, prefix: Path, dpi: int = 80, first: int | None = None, last: int | None = None) -> list[Path]:
    """The pages as PNG images (pdftoppm), to look at what was printed."""
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


@cache
def points_per_box() -> float:
    """How many points of word-box height pdftotext reports per point of font size on this machine.

    Why measured: the box is the font's ascent + descent, which depends on the fonts LibreOffice substitutes
    (微软雅黑 on Windows, Noto/DejaVu here). A 20 pt reference cell is printed once and measured."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with tempfile.TemporaryDirectory(prefix="print-calibration-") as folder:
        wb = Workbook()
        ws = wb.active
        ws["A1"] = "处置单位202111160744"
        ws["A1"].font = Font(name="微软雅黑", size=20)
        ws.column_dimensions["A"].width = 60
        ws.row_dimensions[1].height = 40
        path = Path(folder) / "calibration.xlsx"
        wb.save(path)
        words = read_pdf(print_to_pdf(path))[0].words
        return max(w.y1 - w.y0 for w in words) / 20


def smallest_text(pages: list[Page]) -> tuple[float, str, int]:
    """(size in points, the word, page number) of the smallest printed word."""
    sizes = [(w.size, w.text, p.number) for p in pages for w in p.words]
    return min(sizes) if sizes else (0.0, "", 0)
