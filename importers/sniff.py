"""Identify a file's format from its bytes, never its extension.

Platforms save HTML tables and tab-separated text as ".xls"; users rename files. Zip containers are checked
by :mod:`importers.guards` before their markers are read; OLE2 files holding EncryptedPackage are
password-protected xlsx files.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from importers import guards
from models.errors import ImportRefused

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
PASSWORD_REASON = "工作簿设有密码保护，请去掉密码后重新导出"
UNKNOWN_REASON = "无法识别的文件格式（不是 Excel、ODS、CSV 或网页表格）"
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|table|meta|head|body)", re.IGNORECASE | re.DOTALL
)
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Sniffed:
    format: str  # xlsx | xlsm | xlsb | ods | xls | html | csv
    encoding: str | None = None  # text formats only


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(path: Path, file_name: str | None = None) -> Sniffed:
    """Detect the format (and a text file's encoding); refuse empty, hostile, encrypted or unknown files."""
    file_name = file_name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise ImportRefused(file_name, f"无法打开文件（{exc.strerror or exc}）") from exc
    if size == 0:
        raise ImportRefused(file_name, "文件为空（0 字节）")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(path, file_name)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(path, file_name)
    if head.startswith(b"\x09\x08") or head.startswith(b"\x09\x04"):  # bare BIFF stream (very old .xls)
        return Sniffed("xls")
    encoding = detect_encoding(path, head, file_name)
    text_head = head.decode(encoding, errors="ignore").encode("utf-8")
    if _HTML_START.match(text_head) or b"<table" in text_head[:4096].lower():
        return Sniffed("html", encoding)
    if text_head.lstrip().startswith(b"<?xml"):
        raise ImportRefused(file_name, "不支持的 XML 表格格式，请在 Excel 中另存为 .xlsx 后再导入")
    return Sniffed("csv", encoding)


def _sniff_zip(path: Path, file_name: str) -> Sniffed:
    summary = guards.check_zip(path, file_name)
    if summary.mimetype.startswith(ODS_MIME):
        return Sniffed("ods")
    types = summary.content_types
    if types:
        if b"macroEnabled.main" in types:
            return Sniffed("xlsm")
        if b"sheet.binary" in types:
            return Sniffed("xlsb")
        if b"spreadsheetml.sheet.main" in types or b"spreadsheetml.template.main" in types:
            return Sniffed("xlsx")
        if b"wordprocessingml" in types:
            raise ImportRefused(file_name, "这是 Word 文档，不是表格")
    if summary.mimetype:
        raise ImportRefused(file_name, "这是 OpenDocument 文档，但不是电子表格（.ods）")
    raise ImportRefused(file_name, "压缩包中不是电子表格（缺少 [Content_Types].xml 或 mimetype）")


def _sniff_ole2(path: Path, file_name: str) -> Sniffed:
    """OLE2: .xls (Workbook/Book stream) or an encrypted OOXML package (EncryptionInfo + EncryptedPackage)."""
    data = path.read_bytes()
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise ImportRefused(file_name, PASSWORD_REASON)
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return Sniffed("xls")
    raise ImportRefused(file_name, "不是 Excel 工作簿（OLE2 文件中没有工作簿数据）")


def detect_encoding(path: Path, head: bytes, file_name: str) -> str:
    """BOM first; then strict UTF-8 over the whole file; then GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "utf-16-le"
        if even > len(head) // 4 and odd == 0:
            return "utf-16-be"
        raise ImportRefused(file_name, UNKNOWN_REASON)
    declared = _META_CHARSET.search(head[:4096])
    if declared and declared.group(1).lower() in (b"gbk", b"gb2312", b"gb18030"):
        return "gb18030"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise ImportRefused(file_name, "无法识别文本编码（不是 UTF-8、GBK/GB18030 或 UTF-16），请另存为 UTF-8 后再导入")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(4 * 1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
