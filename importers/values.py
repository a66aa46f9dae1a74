"""Cell values → the store's types (domain.md §2–3): case numbers as text, date-times as canonical text.

Each converter takes what a reader yields (str, int, float, datetime, date, None, …) and returns the stored
value, or raises :class:`ValueProblem` with a Chinese reason; the caller adds the row and column. NFKC is
applied to case numbers and date-times only — never to names, where it would rewrite full-width brackets.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

NULL_TEXTS = frozenset({"", "-", "－", "—", "--"})
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_TEXT_DT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?"
)
_SCI = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_COUNT_TEXT = re.compile(r"(?:合计|总计|小计|共计|汇总)?[:：]?共?\d+(?:条|件|页|行)")
MIN_CASE_NO_LENGTH = 4
CANCEL_STAGES = frozenset({"作废", "[作废]", "【作废】", "已作废", "(作废)", "（作废）"})


class ValueProblem(ValueError):
    """A cell that cannot be stored as its field's kind; str() is the Chinese reason."""


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _seconds(dt: datetime) -> datetime:
    """Excel serials carry float noise (07:43:59.999987): round to the nearest second."""
    if dt.microsecond:
        dt = (dt + timedelta(microseconds=500_000)).replace(microsecond=0)
    return dt


def _check_year(dt: datetime, shown: object) -> datetime:
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        raise ValueProblem(f"日期「{shown}」超出合理范围")
    return dt


def datetime_text(value: object, *, end_of_day: bool = False) -> str | None:
    """Any date-time cell → "YYYY-MM-DD HH:MM:SS"; a date without a time is midnight, or 23:59:59 for deadlines."""
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        if len(text) == 19 and text[10] == " " and text[4] == "-":
            # fast path: already canonical (the common case for text exports)
            try:
                datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                return text
        if text in NULL_TEXTS:
            return None
        return _parse_text(_nfkc(text), value, end_of_day)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return _check_year(_seconds(value), value).isoformat(" ")
    if isinstance(value, date):
        return f"{value.isoformat()} {'23:59:59' if end_of_day else '00:00:00'}"
    if isinstance(value, bool):
        raise ValueProblem(f"「{value}」不是日期时间")
    if isinstance(value, int | float):
        if not 1 <= value < 2_958_466:
            raise ValueProblem(f"数值「{value}」不是有效的 Excel 日期")
        if end_of_day and float(value).is_integer():
            return f"{(_EXCEL_EPOCH + timedelta(days=value)).date().isoformat()} 23:59:59"
        return _check_year(_seconds(_EXCEL_EPOCH + timedelta(days=value)), value).isoformat(" ")
    if isinstance(value, time | timedelta):
        raise ValueProblem(f"「{value}」只有时间，没有日期")
    raise ValueProblem(f"无法识别的日期时间「{value}」")


def _parse_text(text: str, shown: object, end_of_day: bool) -> str:
    if not text:
        raise ValueProblem("日期时间为空")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        date_only = len(text) <= 10
        parsed = _check_year(_seconds(parsed.replace(tzinfo=None)), shown)
        if date_only:
            return f"{parsed.date().isoformat()} {'23:59:59' if end_of_day else '00:00:00'}"
        return parsed.isoformat(" ")
    match = _TEXT_DT.fullmatch(text)
    if not match:
        raise ValueProblem(f"无法识别的日期时间「{shown}」")
    year, month, day, hour, minute, second = match.groups()
    try:
        if hour is None:
            day_value = date(int(year), int(month), int(day))
            _check_year(datetime(day_value.year, 1, 1), shown)
            return f"{day_value.isoformat()} {'23:59:59' if end_of_day else '00:00:00'}"
        sec = float(second) if second else 0.0
        parsed = datetime(int(year), int(month), int(day), int(hour), int(minute)) + timedelta(seconds=sec)
    except ValueError as exc:
        raise ValueProblem(f"无法识别的日期时间「{shown}」") from exc
    return _check_year(_seconds(parsed), shown).isoformat(" ")


def case_no_text(value: object) -> str | None:
    """A case number is text (domain.md §2): 202111160744.0 → "202111160744"; never scientific notation."""
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text).strip()
        if text.startswith('="') and text.endswith('"'):  # CSV exports that protect numbers from Excel
            text = text[2:-1].strip()
        text = text.lstrip("'\t")
        if text in NULL_TEXTS:
            return None
        if _SCI.fullmatch(text):
            raise ValueProblem(f"案件编号「{text}」已被转成科学计数法，原编号无法恢复，请以文本格式重新导出")
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        return _plausible_case_no(text)
    if isinstance(value, bool):
        raise ValueProblem(f"案件编号「{value}」无效")
    if isinstance(value, int):
        return _plausible_case_no(str(value))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"案件编号「{value}」不是整数编号")
        if abs(value) >= 1e15:
            raise ValueProblem(f"案件编号「{value:.0f}」以数字保存且超过 15 位，已被 Excel 截断，请以文本格式重新导出")
        return _plausible_case_no(str(int(value)))
    raise ValueProblem(f"案件编号「{value}」无效")


def _plausible_case_no(text: str) -> str:
    """A platform case number has digits and at least 4 characters; "40条" or "共 3 页" is a count from a
    totals or page line that landed in the case-number column, not a case."""
    if _COUNT_TEXT.fullmatch("".join(text.split())):
        raise ValueProblem(f"案件编号「{text}」是条数或页数（合计行、页脚），不是案件编号")
    if not any(c.isdigit() for c in text):
        raise ValueProblem(f"案件编号「{text}」不含数字，不是案件编号")
    if len(text) < MIN_CASE_NO_LENGTH:
        raise ValueProblem(f"案件编号「{text}」不足 {MIN_CASE_NO_LENGTH} 个字符，不是案件编号")
    return text


def is_date_value(value: object) -> bool:
    """A cell that holds a date (a typed date-time, or text that reads as one): what a case row has in its
    time columns and a totals line has not."""
    if isinstance(value, date):
        return True
    if type(value) is not str or not value.strip():
        return False
    try:
        return datetime_text(value) is not None
    except ValueProblem:
        return False


def plain_text(value: object) -> str | None:
    """A name or description: stripped, blank and "-" are null, no NFKC (names keep full-width brackets)."""
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        return None if text in NULL_TEXTS else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return _seconds(value).isoformat(" ")
    return str(value)


def code_text(value: object) -> str | None:
    """A category or grid code: like a case number, digits stay text ("0101", 101.0 → "101")."""
    text = plain_text(value)
    return None if text is None else _nfkc(text)


def count_int(value: object) -> int:
    """返工次数 and similar counts: blank is 0."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueProblem(f"「{value}」不是次数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"「{value}」不是整数次数")
        number = int(value)
    else:
        text = _nfkc(str(value).strip())
        if text in NULL_TEXTS:
            return 0
        if text.endswith("次"):
            text = text[:-1].strip()
        try:
            number = int(float(text)) if text.replace(".", "", 1).isdigit() and float(text).is_integer() else int(text)
        except ValueError as exc:
            raise ValueProblem(f"「{value}」不是整数次数") from exc
    if number < 0:
        raise ValueProblem(f"次数「{value}」不能为负")
    return number


def kind_text(value: object) -> str | None:
    """问题类型 must be 部件 or 事件 (domain.md §2); "部件类" and "事件类" are accepted spellings."""
    text = plain_text(value)
    if text is None:
        return None
    for kind in ("部件", "事件"):
        if text.startswith(kind):
            return kind
    raise ValueProblem(f"问题类型「{text}」应为 部件 或 事件")


def is_cancelled_stage(stage: str | None) -> bool:
    """作废 / [作废] stages drop the case out of every count (domain.md §1)."""
    return stage is not None and stage.replace(" ", "") in CANCEL_STAGES


def raw_text(value: object) -> str:
    """The original cell as text for the `raw` JSON (numbers without a spurious ".0")."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return str(value)
