"""督察信访 batches (domain.md §9): petition pieces and the words their cells may hold.

The provincial inspection team hands the city numbered batches of petition pieces. One piece may concern
several problem types and several regions, so a cell holds one or more words; duplicates are kept but not
counted. This module turns cells (already coerced by an importer: dates as ``date`` or ISO text) into
:class:`Piece` objects, refusing unknown words by name. The figures and the batch paragraph are in
:mod:`models.petition_report`; the word tables are data (resources/petitions.toml, resources/regions.toml).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from models.errors import CellValueError
from models.ledger_cells import as_date, cell_text, is_blank, optional_text, split_cell
from models.numbers import parse_chinese_numeral
from models.store import RESOURCES
from models.vocabulary import VocabularyError, WordTable, load_regions, match_key, read_toml, table_from_entries

# A 办理时限 given as a number of natural days: 15, 15天, 15日, 15个自然日.
_DAYS = re.compile(r"(\d+)\s*(?:个)?\s*(?:自然)?\s*[天日]?")
# More than a year is taken for a typing error (or an Excel date serial shown as a number), never a limit.
MAX_DEADLINE_DAYS = 366

# Canonical import fields and their Chinese labels (the columns of the ledger, domain.md §9).
FIELD_LABELS: dict[str, str] = {
    "batch": "批次",
    "handed_over": "移交日期",
    "piece_no": "举报件编号",
    "types": "问题类型",
    "regions": "所属地区",
    "duplicate": "是否重复",
    "unit": "转办单位",
    "deadline": "办理时限",
    "closed_on": "办结时间",
    "result": "办理结果",
    "content": "举报内容",
}


@dataclass(frozen=True)
class PetitionVocabulary:
    """The words of the ledger: problem types (short name → report word), regions, 是否重复 words, the
    paragraph's wording templates and the import columns' header aliases (resources/petitions.toml)."""

    types: WordTable  # names are the short words: 水, 大气, …
    report_words: Mapping[str, str]  # 水 → 水环境问题
    regions: WordTable
    duplicate_yes: frozenset[str]  # match keys
    duplicate_no: frozenset[str]
    wording: Mapping[str, str]
    default_body: str
    headers: Mapping[str, Mapping]  # field → {label, required, aliases}

    def report_word(self, type_name: str) -> str:
        return self.report_words.get(type_name, type_name)


def vocabulary_from_data(data: dict, regions: WordTable) -> PetitionVocabulary:
    """Build the vocabulary from a petitions.toml document (a city's edited copy, or the database's)."""
    entries = data["type"]
    # the report word is accepted in a cell like any alias
    types = table_from_entries("问题类型", [{**e, "aliases": [e["report"], *e.get("aliases", [])]} for e in entries])
    dup = data.get("duplicate", {})
    yes = frozenset(match_key(w) for w in dup.get("yes", ["是", "重复"]))
    no = frozenset(match_key(w) for w in dup.get("no", ["否"]))
    if yes & no:
        raise VocabularyError(f"是否重复：「{'、'.join(sorted(yes & no))}」既算重复又算不重复")
    return PetitionVocabulary(
        types=types,
        report_words={e["name"]: e["report"] for e in entries},
        regions=regions,
        duplicate_yes=yes,
        duplicate_no=no,
        wording=dict(data["wording"]),
        default_body=data.get("default_body", ""),
        headers=dict(data.get("fields", {})),
    )


@lru_cache(maxsize=4)
def load_petition_vocabulary(path: Path | None = None, regions_path: Path | None = None) -> PetitionVocabulary:
    """The shipped vocabulary (resources/petitions.toml and regions.toml), or a city's copies."""
    data = read_toml(path or RESOURCES / "petitions.toml")
    return vocabulary_from_data(data, load_regions(regions_path))


@dataclass(frozen=True)
class Piece:
    """One petition piece (举报件) of a batch (domain.md §9).

    ``types`` are the short type names and ``regions`` the canonical region names, each in its table's
    order. ``deadline`` is the 办理时限 as a date; when the ledger gave a number of days, ``deadline_days``
    keeps it (the deadline is then 移交日期 + that many natural days).
    """

    batch: int
    handed_over: date
    piece_no: str
    types: tuple[str, ...]
    regions: tuple[str, ...]
    duplicate: bool = False
    unit: str | None = None
    deadline: date | None = None
    deadline_days: int | None = None
    closed_on: date | None = None
    result: str | None = None
    content: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        """A piece is identified by its batch and number (a re-import of the batch matches on this)."""
        return (self.batch, self.piece_no)

    @property
    def counted(self) -> bool:
        return not self.duplicate

    def is_closed(self, as_of: date) -> bool:
        """Closed at the as-of date: it has a 办结时间 on or before it."""
        return self.closed_on is not None and self.closed_on <= as_of

    def is_overdue(self, as_of: date) -> bool:
        """Past its 办理时限 (the deadline day itself is still in time) and not closed at the as-of date."""
        return self.deadline is not None and as_of > self.deadline and not self.is_closed(as_of)

    def days_overdue(self, as_of: date) -> int | None:
        """Natural days past the 办理时限 at the as-of date when overdue, else None."""
        return (as_of - self.deadline).days if self.is_overdue(as_of) else None

    def record(self) -> dict:
        """The piece as JSON-ready values (dates ISO, lists for types and regions): a store row or history."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_record(cls, record: Mapping) -> Piece:
        """The inverse of :meth:`record`."""
        values = dict(record)
        for name in ("handed_over", "deadline", "closed_on"):
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        values["types"] = tuple(values.get("types") or ())
        values["regions"] = tuple(values.get("regions") or ())
        return cls(**values)


# ---------------------------------------------------------------- cells


def _words(value: object, table: WordTable, field: str) -> tuple[str, ...]:
    words = split_cell(value)
    if not words:
        raise CellValueError(field, f"{FIELD_LABELS[field]}为空：每件举报件至少有一个{table.label}")
    found = {table.canonical(word, field) for word in words}
    return tuple(name for name in table.names if name in found)


def parse_types(value: object, vocab: PetitionVocabulary) -> tuple[str, ...]:
    """问题类型 cell → short type names in table order ("水环境问题、大气" → ("水", "大气"))."""
    return _words(value, vocab.types, "types")


def parse_regions(value: object, vocab: PetitionVocabulary) -> tuple[str, ...]:
    """所属地区 cell → canonical region names in administrative order ("高新区/芗城" → ("芗城区", "漳州高新区"))."""
    return _words(value, vocab.regions, "regions")


def parse_duplicate(value: object, vocab: PetitionVocabulary) -> bool:
    """是否重复: 是 / 重复 → a duplicate (kept, not counted); blank or 否 → counted."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    key = match_key(cell_text(value))
    if key in vocab.duplicate_yes:
        return True
    if key in vocab.duplicate_no:
        return False
    raise CellValueError("duplicate", f"是否重复「{cell_text(value)}」应为“是”（重复件）或“否”", cell_text(value))


def _date(value: object, field: str) -> date | None:
    return as_date(value, field, FIELD_LABELS[field])


def parse_deadline(value: object, handed_over: date) -> tuple[date | None, int | None]:
    """办理时限 → (deadline, days): a date as is; a number means that many natural days from 移交日期."""
    shown = cell_text(value)
    text = unicodedata.normalize("NFKC", shown)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = None if isinstance(value, bool | date) else _DAYS.fullmatch(text)
    if match:
        days = int(match.group(1))
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            reason = f"办理时限「{shown}」天数不合理（应为 1–{MAX_DEADLINE_DAYS} 天，或写成日期）"
            raise CellValueError("deadline", reason, shown)
        deadline = handed_over + timedelta(days=days)
    else:
        days = None
        try:
            deadline = None if isinstance(value, bool) else _date(value, "deadline")
        except CellValueError:
            deadline = None
        if deadline is None and not is_blank(value):
            reason = f"办理时限「{shown}」应为日期（如 2021-12-29）或天数（如 15）"
            raise CellValueError("deadline", reason, shown) from None
    if deadline is not None and deadline < handed_over:
        raise CellValueError("deadline", f"办理时限 {deadline} 早于移交日期 {handed_over}", str(deadline))
    return deadline, days


def parse_batch(value: object) -> int:
    """批次 cell or argument → its number: 8, "8", "第8批", "第八批", "八"."""
    shown = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    else:
        text = "".join(unicodedata.normalize("NFKC", shown).split())
        match = re.fullmatch(r"第?(.+?)批?次?", text)
        core = match.group(1) if match else text
        try:
            number = int(core) if core.isdigit() else parse_chinese_numeral(core)
        except ValueError:
            raise CellValueError("batch", f"批次「{shown}」不是批次号（如 8 或 第八批）", shown) from None
    if number < 1:
        raise CellValueError("batch", f"批次「{shown}」应为正整数", shown)
    return number


class BatchMismatch(CellValueError):
    """The file's own 批次 / 移交日期 column disagrees with the batch being imported: the whole file is
    refused (domain.md §9), not just the row."""

    refuses_file = True


def make_piece(
    cells: Mapping[str, object], *, batch: int, handed_over: date, vocab: PetitionVocabulary | None = None
) -> Piece:
    """One ledger row → a :class:`Piece`. ``cells`` maps canonical fields (:data:`FIELD_LABELS`) to cell
    values; ``batch`` / ``handed_over`` are the import's (``--batch`` / ``--date``). Raises
    :class:`CellValueError` (its ``field`` names the column), or :class:`BatchMismatch` when the row's own
    批次 or 移交日期 says another batch."""
    vocab = vocab or load_petition_vocabulary()
    if not is_blank(cells.get("batch")) and parse_batch(cells["batch"]) != batch:
        raise BatchMismatch("batch", f"文件中的批次「{cell_text(cells['batch'])}」与导入的第 {batch} 批不一致")
    own_date = _date(cells.get("handed_over"), "handed_over")
    if own_date is not None and own_date != handed_over:
        raise BatchMismatch("handed_over", f"文件中的移交日期 {own_date} 与导入的移交日期 {handed_over} 不一致")
    piece_no = unicodedata.normalize("NFKC", cell_text(cells.get("piece_no")))  # a number: NFKC (domain.md §2)
    if not piece_no:
        raise CellValueError("piece_no", "举报件编号为空")
    deadline, days = parse_deadline(cells.get("deadline"), handed_over)
    closed_on = _date(cells.get("closed_on"), "closed_on")
    if closed_on is not None and closed_on < handed_over:
        raise CellValueError("closed_on", f"办结时间 {closed_on} 早于移交日期 {handed_over}", str(closed_on))
    return Piece(
        batch=batch,
        handed_over=handed_over,
        piece_no=piece_no,
        types=parse_types(cells.get("types"), vocab),
        regions=parse_regions(cells.get("regions"), vocab),
        duplicate=parse_duplicate(cells.get("duplicate"), vocab),
        unit=optional_text(cells.get("unit")),
        deadline=deadline,
        deadline_days=days,
        closed_on=closed_on,
        result=optional_text(cells.get("result")),
        content=optional_text(cells.get("content")),
    )
