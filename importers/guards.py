"""Guards that run BEFORE any parser sees a zip-based workbook.

A parser is never handed a zip bomb, an XML part with DOCTYPE/ENTITY declarations (billion laughs, XXE),
a corrupt member (bad CRC, truncated) or a sheet whose declared extent is absurd for its size (python-calamine
aborts the whole process on those). Every check reads declared sizes first, then streams each member once.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from models.errors import ImportRefused

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3  # 2 GiB: a 500,000-row export is about 300 MB of XML
MAX_RATIO = 200  # real sheets compress 5–30:1; bombs 1000:1 and more
RATIO_MIN_SIZE = 16 * 1024**2  # ratios are only meaningful for large members
MAX_PROLOG = 64 * 1024
CHUNK = 1024 * 1024
MAX_DECLARED_CELLS = 2_000_000  # a declared extent above this must be backed by that much XML

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")
_ROOT = re.compile(rb"<[A-Za-z_]")
_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass
class ZipSummary:
    names: list[str]
    content_types: bytes  # [Content_Types].xml (xlsx family) or b""
    mimetype: bytes  # ODS mimetype member or b""


def _col_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _mib(size: int) -> str:
    return f"{size / 1024**2:.0f} MB"


def check_zip(path, file_name: str) -> ZipSummary:
    """Refuse hostile or broken zip containers; return the member names and format markers."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportRefused(file_name, "文件不完整或已损坏（无法读取压缩包目录），请重新导出") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ImportRefused(file_name, f"压缩包内文件过多（{len(infos)} 个），疑似恶意构造的文件")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ImportRefused(
                file_name, f"解压后总大小 {_mib(total)} 超过上限 {_mib(MAX_TOTAL_UNCOMPRESSED)}，疑似压缩炸弹"
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise ImportRefused(file_name, "工作簿设有密码保护，请去掉密码后重新导出")
            if info.file_size >= RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise ImportRefused(file_name, f"「{info.filename}」压缩比 {ratio}:1 异常，疑似压缩炸弹")
        content_types = mimetype = b""
        for info in infos:
            head = _scan_member(archive, info, file_name)
            if info.filename == "[Content_Types].xml":
                content_types = head
            elif info.filename == "mimetype":
                mimetype = head[:200].strip()
        return ZipSummary([i.filename for i in infos], content_types, mimetype)


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str) -> bytes:
    """Stream one member to its end (CRC checked by zipfile) and check its XML prolog; return its head."""
    name = info.filename
    is_xml = name.lower().endswith(XML_SUFFIXES)
    is_sheet = name.lower().startswith("xl/worksheets/") and is_xml
    head = b""
    read = 0
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(CHUNK)
                if not chunk:
                    break
                if len(head) < MAX_PROLOG:
                    head += chunk[: MAX_PROLOG - len(head)]
                read += len(chunk)
                if read > info.file_size:  # cannot happen with zipfile, kept as a belt for declared sizes
                    raise ImportRefused(file_name, f"「{name}」实际大小超过声明大小，疑似压缩炸弹")
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, RuntimeError | NotImplementedError) and "encrypt" in str(exc).lower():
            raise ImportRefused(file_name, "工作簿设有密码保护，请去掉密码后重新导出") from exc
        raise ImportRefused(file_name, f"文件已损坏（「{name}」校验失败或不完整），请重新导出") from exc
    if is_xml:
        _check_prolog(head, name, file_name)
    if is_sheet:
        _check_dimension(head, info.file_size, name, file_name)
    return head


def _check_prolog(head: bytes, name: str, file_name: str) -> None:
    """DOCTYPE or ENTITY anywhere in the head of an XML part is refused (no OOXML/ODF part needs one)."""
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").encode("utf-8")
    root = _ROOT.search(text)
    if _DECL.search(text):
        raise ImportRefused(file_name, f"「{name}」含有 DOCTYPE/ENTITY 声明（XML 实体攻击），拒绝读取")
    if root is None and len(head) >= MAX_PROLOG:
        raise ImportRefused(file_name, f"「{name}」的 XML 文件头异常，拒绝读取")


def _check_dimension(head: bytes, xml_size: int, name: str, file_name: str) -> None:
    """A few-KB sheet declaring A1:XFD1048576 makes python-calamine allocate terabytes and abort."""
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return
    first_col, first_row, last_col, last_row = match.groups()
    rows = int(last_row) - int(first_row) + 1
    cols = _col_number(last_col) - _col_number(first_col) + 1
    cells = rows * cols
    if cells > MAX_DECLARED_CELLS and cells > xml_size:
        ref = f"{first_col.decode()}{first_row.decode()}:{last_col.decode()}{last_row.decode()}"
        raise ImportRefused(
            file_name, f"工作表声明的单元格范围 {ref} 与文件实际内容不符（{cells} 个单元格），疑似恶意构造的文件"
        )
