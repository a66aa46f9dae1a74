"""Find the header row and map its columns to canonical fields (domain.md §3).

The alias table (header_fields / header_aliases) is data the user can edit; a mapping the user corrects
is remembered per header signature (header_mappings), so the next export of the same shape maps itself.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from importers import values as val

HEADER_SCAN_ROWS = 30
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "汇总")
NOTE_WORDS = (*TOTAL_WORDS, "注", "制表", "导出")


@dataclass
class HeaderConfig:
    """The alias table as plain data, so it can travel to the parser child as JSON."""

    labels: dict[str, str]  # field -> Chinese label
    required: list[str]  # fields that must be found
    aliases: dict[str, list[str]]  # field -> header texts, in priority order
    remembered: dict[str, dict[str, str]] = field(default_factory=dict)  # signature -> mapping

    def to_json(self) -> dict:
        return {
            "labels": self.labels,
            "required": self.required,
            "aliases": self.aliases,
            "remembered": self.remembered,
        }

    @classmethod
    def from_json(cls, data: dict) -> HeaderConfig:
        return cls(data["labels"], data["required"], data["aliases"], data.get("remembered", {}))


def load_header_config(db, stream: str = "cases") -> HeaderConfig:
    """One stream's alias table and remembered mappings (imports.stream names: cases, lw, petitions, rectify)."""
    labels, required, aliases = {}, [], {}
    rows = db.execute("SELECT field, label, required FROM header_fields WHERE stream = ? ORDER BY rowid", (stream,))
    for name, label, is_required in rows:
        labels[name] = label
        aliases[name] = []
        if is_required:
            required.append(name)
    rows = db.execute("SELECT field, alias FROM header_aliases WHERE stream = ? ORDER BY field, priority", (stream,))
    for name, alias in rows:
        aliases.setdefault(name, []).append(alias)
        labels.setdefault(name, name)
    rows = db.execute("SELECT signature, mapping FROM header_mappings WHERE stream = ?", (stream,))
    remembered = {sig: json.loads(m) for sig, m in rows}
    return HeaderConfig(labels, required, aliases, remembered)


def normalise_header(value: object) -> str:
    """Header text for matching: NFKC, no whitespace, no required-marker asterisk or trailing colon."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    return text.strip("*:")


def header_texts(cells: list) -> list[str]:
    """The header row as the user sees it (stripped), used as raw JSON keys and for the signature."""
    out = []
    for cell in cells:
        out.append("" if cell is None else " ".join(str(cell).split()))
    return out


def signature(headers: list[str]) -> str:
    """A header row's identity for remembered mappings: its non-empty texts, JSON."""
    return json.dumps([normalise_header(h) for h in headers if normalise_header(h)], ensure_ascii=False)


def _alias_index(config: HeaderConfig) -> dict[str, str]:
    """Header text -> field, from the alias table and from every remembered (user-corrected) mapping."""
    index: dict[str, str] = {}
    for name, names in config.aliases.items():
        for alias in names:
            index.setdefault(normalise_header(alias), name)
    for mapping in config.remembered.values():
        for name, header in mapping.items():
            if header:
                index.setdefault(normalise_header(header), name)
    return index


def find_header_row(rows: list[list], config: HeaderConfig) -> int | None:
    """Index (0-based in `rows`) of the row with the most known column names; at least 2 are needed."""
    index = _alias_index(config)
    best, best_score = None, 1
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len({index[n] for n in (normalise_header(c) for c in cells) if n in index})
        if score > best_score:
            best, best_score = i, score
    return best


@dataclass
class Mapping:
    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> header text
    missing_required: list[str]  # fields
    missing_message: str | None


def map_headers(headers: list[str], config: HeaderConfig, user_mapping: dict[str, str] | None = None) -> Mapping:
    """Map header texts to fields: the user's mapping, else a remembered one, else aliases in priority order."""
    norm = [normalise_header(h) for h in headers]
    position = {}
    for i, n in enumerate(norm):
        if n:
            position.setdefault(n, i)
    chosen: dict[str, int] = {}
    explicit = user_mapping if user_mapping is not None else config.remembered.get(signature(headers))
    if explicit:
        for name, header in explicit.items():
            i = position.get(normalise_header(header))
            if i is not None and name in config.labels:
                chosen[name] = i
    taken = set(chosen.values())
    for name, names in config.aliases.items():
        if name in chosen:
            continue
        if explicit and name in explicit and not explicit[name]:
            continue  # the user said: this field is not in the file
        for alias in names:
            i = position.get(normalise_header(alias))
            if i is not None and i not in taken:
                chosen[name] = i
                taken.add(i)
                break
    missing = [name for name in config.required if name not in chosen]
    message = None
    if missing:
        name = missing[0]
        tried = config.aliases.get(name, [])
        shown = "、".join(tried[:3]) + ("…" if len(tried) > 3 else "")
        message = f"找不到列「{config.labels.get(name, name)}」（已尝试：{shown}）"
    return Mapping(chosen, {name: headers[i] for name, i in chosen.items()}, missing, message)


@dataclass
class MappingCheck:
    """What a column mapping leaves to the user before an import (the GUI's validation line)."""

    missing: list[str]  # required fields no column is mapped to: the file would be refused
    ignored: list[str]  # headers no field is mapped to: their columns are not imported
    duplicated: list[str]  # headers mapped to more than one field


def check_mapping(headers: list[str], mapping: dict[str, str], required: list[str]) -> MappingCheck:
    """Check a mapping (field -> header text) of a file's `headers` against the `required` fields."""
    chosen = list(mapping.values())
    return MappingCheck(
        missing=[name for name in required if name not in mapping],
        ignored=[h for h in headers if h and h not in chosen],
        duplicated=sorted({h for h in chosen if chosen.count(h) > 1}),
    )


def totals_or_note_row(cells: list, time_columns: list[int]) -> str | None:
    """Why a row below the header is not a case: "合计行" for a totals line, "说明行" for a note, an
    导出人/制表人 line; None for a case row. Such a row starts (first non-blank cell) with one of the words
    and has no date in any time column: a count in the case-number column ("合计 | 40条") is not a case."""
    first = next((c for c in cells if c is not None and c != ""), None)
    if type(first) is not str:
        return None
    text = "".join(first.split())
    if not text.startswith(NOTE_WORDS):
        return None
    if any(val.is_date_value(cells[i]) for i in time_columns if i < len(cells)):
        return None
    return "合计行" if text.startswith(TOTAL_WORDS) else "说明行"


def save_mapping(db, headers: list[str], mapping: dict[str, str], stream: str = "cases") -> None:
    """Remember the user's corrected mapping (field -> header text) for this header signature."""
    from models.store import transaction  # not at module level: the parser child has no use for sqlite-utils

    with transaction(db):
        db.execute(
            "INSERT INTO header_mappings(stream, signature, mapping, saved_at) VALUES (?,?,?,?)"
            " ON CONFLICT(stream, signature) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at",
            (
                stream,
                signature(headers),
                json.dumps(mapping, ensure_ascii=False),
                datetime.now().isoformat(" ", "seconds"),
            ),
        )
