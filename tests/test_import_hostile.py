"""Hostile and broken files are refused before anything is written (cli.md "refused").

Each test asserts the exact Chinese message (file name + reason), that the process survived, that the
attempt is logged in `imports` as refused, and that the cases already stored are untouched.
"""

import struct
import sys
import zipfile

import pytest

from importers import guards
from importers.child import FAULT_ENV
from importers.pipeline import import_file
from tests.fixtures.import_builders import HEADERS, retype_workbook, rewrite_zip, sample_rows, write_csv, write_xlsx


@pytest.fixture
def stocked(db, tmp_path):
    """A store that already holds three cases from an earlier good import."""
    good = write_xlsx(tmp_path / "earlier.xlsx", sample_rows(3, start=202110010001))
    assert not import_file(db, good).refused
    return db


def snapshot(db):
    return (
        db.execute("SELECT * FROM cases ORDER BY case_no").fetchall(),
        db.execute("SELECT COUNT(*) FROM case_history").fetchone()[0],
        db.execute("SELECT COUNT(*) FROM rejected_rows").fetchone()[0],
    )


def assert_refused(db, path, reason, before):
    report = import_file(db, path)
    assert report.refused and not report.duplicate and not report.cancelled
    assert report.message == f"拒收文件「{path.name}」：{reason}"
    assert report.summary_text() == report.message
    assert snapshot(db) == before
    outcome = db.execute("SELECT outcome, message FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    assert outcome == ("refused", report.message)
    return report


def test_zero_byte_file(stocked, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert_refused(stocked, path, "文件为空（0 字节）", snapshot(stocked))


def test_truncated_xlsx(stocked, tmp_path):
    data = write_xlsx(tmp_path / "full.xlsx", sample_rows()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(stocked, path, "文件不完整或已损坏（无法读取压缩包目录），请重新导出", snapshot(stocked))


def test_bad_crc_member(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())
    stored = rewrite_zip(src, tmp_path / "stored.xlsx", stored=True)
    data = bytearray(stored.read_bytes())
    at = data.index(b"<sheetData>") + len(b"<sheetData>") + 1  # the sheet XML's bytes, however the writer escapes text
    data[at] ^= 0x01  # one flipped bit inside the sheet XML: the CRC no longer matches
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bytes(data))
    reason = "文件已损坏（「xl/worksheets/sheet1.xml」校验失败或不完整），请重新导出"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_zip_bomb_by_ratio(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())
    path = rewrite_zip(src, tmp_path / "bomb.xlsx", add={"xl/media/image1.bin": b"\0" * (64 * 1024 * 1024)})
    info = zipfile.ZipFile(path).getinfo("xl/media/image1.bin")
    ratio = info.file_size // info.compress_size
    assert ratio > guards.MAX_RATIO
    assert_refused(stocked, path, f"「xl/media/image1.bin」压缩比 {ratio}:1 异常，疑似压缩炸弹", snapshot(stocked))


def test_zip_bomb_by_declared_total_size(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())
    data = bytearray(rewrite_zip(src, tmp_path / "x.xlsx", add={"xl/media/big.bin": b"x" * 1000}).read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last central directory entry is the added member
    struct.pack_into("<I", data, central + 24, 3 * 1024**3)  # declare 3 GiB uncompressed
    path = tmp_path / "declared.xlsx"
    path.write_bytes(bytes(data))
    assert_refused(stocked, path, "解压后总大小 3072 MB 超过上限 2048 MB，疑似压缩炸弹", snapshot(stocked))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_billion_laughs_in_shared_strings(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())
    sst = BILLION_LAUGHS + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol3;</t></si></sst>"
    )
    path = rewrite_zip(src, tmp_path / "laughs.xlsx", add={"xl/sharedStrings.xml": sst})
    reason = "「xl/sharedStrings.xml」含有 DOCTYPE/ENTITY 声明（XML 实体攻击），拒绝读取"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_xxe_in_sheet_xml(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())

    def edit(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + data
        return data

    path = rewrite_zip(src, tmp_path / "xxe.xlsx", edit=edit)
    reason = "「xl/worksheets/sheet1.xml」含有 DOCTYPE/ENTITY 声明（XML 实体攻击），拒绝读取"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_entity_attack_in_ods_content(stocked, tmp_path):
    from tests.fixtures.import_builders import write_ods

    src = write_ods(tmp_path / "src.ods", sample_rows())
    path = rewrite_zip(
        src, tmp_path / "evil.ods", edit=lambda n, d: BILLION_LAUGHS + d.split(b"?>", 1)[1] if n == "content.xml" else d
    )
    reason = "「content.xml」含有 DOCTYPE/ENTITY 声明（XML 实体攻击），拒绝读取"
    assert_refused(stocked, path, reason, snapshot(stocked))


def _spanning_xlsx(tmp_path, name="span.xlsx", dimension=b"A1:XFD1048576"):
    """A few-KB xlsx whose cells span A1:XFD1048576 (python-calamine aborts the process on it)."""
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())

    def edit(member, data):
        if member == "xl/worksheets/sheet1.xml":
            data = data.replace(b'<dimension ref="A1:Q4"', b'<dimension ref="' + dimension + b'"')
            cell = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
            data = data.replace(b"</sheetData>", cell)
        return data

    return rewrite_zip(src, tmp_path / name, edit=edit)


def test_tiny_xlsx_spanning_the_whole_sheet_is_refused_by_the_guard(stocked, tmp_path):
    path = _spanning_xlsx(tmp_path)
    assert path.stat().st_size < 10_000
    reason = "工作表声明的单元格范围 A1:XFD1048576 与文件实际内容不符（17179869184 个单元格），疑似恶意构造的文件"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_parser_abort_in_the_child_is_a_refused_file_not_a_dead_app(stocked, tmp_path, monkeypatch):
    """With the guard switched off, python-calamine really aborts — in the child; the app carries on."""
    monkeypatch.setattr(guards, "_check_dimension", lambda *a: None)
    path = _spanning_xlsx(tmp_path, "abort.xlsx")
    before = snapshot(stocked)
    report = import_file(stocked, path)
    assert report.refused
    assert report.message.startswith("拒收文件「abort.xlsx」：解析进程异常退出（退出码 ")
    assert report.message.endswith("），文件可能已损坏或是恶意构造的")
    assert snapshot(stocked) == before
    # and the same process goes on importing
    assert not import_file(stocked, write_xlsx(tmp_path / "next.xlsx", sample_rows(2, start=202111300001))).refused


def test_forced_child_crash_via_test_hook(stocked, tmp_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "exit")
    path = write_xlsx(tmp_path / "crash.xlsx", sample_rows())
    reason = "解析进程异常退出（退出码 3），文件可能已损坏或是恶意构造的"
    assert_refused(stocked, path, reason, snapshot(stocked))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGABRT exit codes are POSIX")
def test_child_abort_via_test_hook(stocked, tmp_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "abort")
    path = write_xlsx(tmp_path / "abort.xlsx", sample_rows())
    assert_refused(stocked, path, "解析进程异常退出（退出码 -6），文件可能已损坏或是恶意构造的", snapshot(stocked))


def _ole2(tmp_path, name, streams):
    """A compound file header plus directory entry names (what the sniffer reads to spot encryption)."""
    body = b"".join(s.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for s in ["Root Entry", *streams])
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + body.ljust(4096, b"\0"))
    return path


def test_password_protected_xlsx(stocked, tmp_path):
    path = _ole2(tmp_path, "加密.xlsx", ["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])
    assert_refused(stocked, path, "工作簿设有密码保护，请去掉密码后重新导出", snapshot(stocked))


def test_ole2_without_a_workbook(stocked, tmp_path):
    path = _ole2(tmp_path, "doc.xls", ["WordDocument"])
    assert_refused(stocked, path, "不是 Excel 工作簿（OLE2 文件中没有工作簿数据）", snapshot(stocked))


def test_word_document_renamed_xlsx(stocked, tmp_path):
    src = write_xlsx(tmp_path / "src.xlsx", sample_rows())
    path = retype_workbook(
        src, tmp_path / "report.xlsx", b"spreadsheetml.sheet.main", b"wordprocessingml.document.main"
    )
    assert_refused(stocked, path, "这是 Word 文档，不是表格", snapshot(stocked))


def test_binary_garbage(stocked, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(bytes(range(256)) * 10)
    assert_refused(stocked, path, "无法识别的文件格式（不是 Excel、ODS、CSV 或网页表格）", snapshot(stocked))


def test_empty_sheet(stocked, tmp_path):
    import openpyxl

    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    assert_refused(stocked, path, "文件中没有数据（工作表为空）", snapshot(stocked))


def test_header_only_sheet(stocked, tmp_path):
    path = write_xlsx(tmp_path / "header.xlsx", [])
    assert_refused(stocked, path, "工作表「Sheet」只有表头，没有数据行", snapshot(stocked))


def test_header_only_csv(stocked, tmp_path):
    path = write_csv(tmp_path / "header.csv", [])
    assert_refused(stocked, path, "文件只有表头，没有数据行", snapshot(stocked))


def test_unclosed_quote_csv(stocked, tmp_path):
    path = tmp_path / "quote.csv"
    lines = [",".join(HEADERS), ",".join(sample_rows(1)[0]), '202111160999,"信息采集,网格巡查采集,事件']
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    reason = "CSV 第 3 行起引号未闭合（文件在引号内结束），请检查导出文件"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_no_header_row(stocked, tmp_path):
    path = write_csv(tmp_path / "numbers.csv", [["1", "2", "3"]] * 5, headers=["a", "b", "c"])
    reason = "找不到表头行（前 30 行中没有可识别的列名，如 案件编号、处置单位、上报时间）"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_missing_required_column(stocked, tmp_path):
    headers = [h for h in HEADERS if h != "处置部门"]
    rows = [r[:8] + r[9:] for r in sample_rows()]
    path = write_xlsx(tmp_path / "no-unit.xlsx", rows, headers=headers)
    reason = "找不到列「处置单位」（已尝试：处置部门、处置单位、责任单位…）"
    assert_refused(stocked, path, reason, snapshot(stocked))


def test_missing_file(stocked, tmp_path):
    assert_refused(stocked, tmp_path / "nowhere.xlsx", "文件不存在", snapshot(stocked))
