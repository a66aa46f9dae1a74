"""The one way an export reaches the disk: a temporary sibling, then an atomic replace, and a message that says
which of the usual Windows problems stopped it.

Why: a failed write must never leave half a workbook where the last good one was; and on an office PC the
usual failure is the previous export still open in Excel or WPS (Windows refuses to replace an open file),
which the user fixes by closing it, not by asking IT for permissions. Every exporter (score sheet, case list,
overdue lights, rejected rows, bulletin text, chart PNG) saves through :func:`write_file`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from models.errors import UserFacingError

SHARING_VIOLATIONS = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


class ExportError(UserFacingError):
    """An export that cannot be written (the file is open in Excel, no permission, disk full …)."""


def safe_file_name(name: str) -> str:
    """A suggested file name without the characters Windows forbids (a chart titled 部件 / 事件 would
    otherwise name a folder 部件 and a file 事件.png)."""
    cleaned = re.sub(r'\s*[\\/:*?"<>|\x00-\x1f]+\s*', "_", name).strip(" .")
    return cleaned if cleaned.strip("_") else "导出"


def in_use_by_another_program(path: Path) -> bool:
    """Whether an existing file is held open without sharing (Excel, WPS): opening it for writing fails with a
    sharing violation. Only Windows has such locks; elsewhere this is always False."""
    try:
        with open(path, "r+b"):
            return False
    except OSError as exc:
        return getattr(exc, "winerror", None) in SHARING_VIOLATIONS


def describe_failure(path: Path, exc: OSError) -> str:
    """The Chinese message for a failed save of `path`."""
    if getattr(exc, "winerror", None) in SHARING_VIOLATIONS or (path.exists() and in_use_by_another_program(path)):
        return f"无法保存「{path.name}」：这个文件正在被 Excel、WPS 或其他程序打开。请先关闭它再导出，或换一个文件名。"
    if isinstance(exc, PermissionError):
        if path.exists() and not os.access(path, os.W_OK):
            return f"无法保存「{path}」：原文件是只读的。请换一个文件名，或去掉文件的只读属性。"
        return f"无法保存到「{path.parent}」：没有写入这个文件夹的权限。请选择“文档”或桌面等自己的文件夹。"
    if isinstance(exc, FileNotFoundError):
        return f"无法保存到「{path.parent}」：文件夹不存在或已断开（网络驱动器？）。"
    return f"无法保存「{path}」：{exc.strerror or exc}"


def write_file(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call `write(temp)` to produce the file beside `path`, then replace `path` with it in one step."""
    path = Path(path)
    temp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise ExportError(describe_failure(path, exc)) from exc
    return path


def write_text(path: Path | str, text: str, *, bom: bool = False) -> Path:
    """A text file in UTF-8 (with a BOM when Notepad or Excel must recognise it)."""
    encoding = "utf-8-sig" if bom else "utf-8"
    return write_file(path, lambda temp: temp.write_text(text, encoding=encoding, newline=""))
