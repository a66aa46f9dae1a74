"""Closed word lists of the supervision ledgers: canonical names in a fixed order, and other ways to write them.

Why a module: the 督察信访 pieces name problem types and regions (domain.md §9), the 创城回头看 rows name a
district and a result (§10); each ledger writes them its own way (高新区 for 漳州高新区, 水 for 水环境问题).
Figures are listed in the table's order, and a word outside the table is refused with its name, never
guessed. The tables are data: resources/regions.toml here (models.regions builds the 两违 towns and its
lenient lookup on the same table), the ledgers' own words in their own files.
"""

from __future__ import annotations

import dataclasses
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.errors import CellValueError, UserFacingError
from models.store import RESOURCES


class VocabularyError(UserFacingError):
    """A word table (a city's edited regions.toml, petitions.toml, rectify.toml) that contradicts itself:
    an alias of a name not in the table, a word given to two names, a name listed twice."""


def match_key(text: str) -> str:
    """How a word is compared with a table: NFKC (full/half width alike) and no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class WordTable:
    """Canonical names in their fixed order plus {alias: name}; ``label`` names the list in messages."""

    label: str
    names: tuple[str, ...]
    aliases: Mapping[str, str]
    _lookup: dict[str, str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for word, name in [*((n, n) for n in self.names), *self.aliases.items()]:
            if name not in self.names:
                raise VocabularyError(f"{self.label}：别名「{word}」指向不在表中的「{name}」")
            key = match_key(word)
            if lookup.get(key, name) != name:
                raise VocabularyError(f"{self.label}：「{word}」同时指向「{lookup[key]}」和「{name}」")
            lookup[key] = name
        object.__setattr__(self, "_lookup", lookup)

    def find(self, word: str) -> str | None:
        """The canonical name of a word (a name or an alias), or None."""
        return self._lookup.get(match_key(word))

    def canonical(self, word: str, field: str) -> str:
        """The canonical name, or a :class:`CellValueError` naming the word and the accepted names."""
        name = self.find(word)
        if name is None:
            accepted = "、".join(self.names)
            raise CellValueError(field, f"{self.label}「{word.strip()}」不在{self.label}表中（应为：{accepted}）", word)
        return name

    def position(self, name: str | None) -> int:
        """Sort key in the table's order; names outside the table (and None) follow it."""
        try:
            return self.names.index(name)  # type: ignore[arg-type]
        except ValueError:
            return len(self.names)

    def ordered(self, names: Iterable[str | None]) -> list[str | None]:
        """Distinct names in the table's order, others after in their first-seen order, None last."""
        seen = list(dict.fromkeys(names))
        return sorted(seen, key=lambda n: (self.position(n), n is None, seen.index(n)))


def table_from_entries(label: str, entries: list[dict]) -> WordTable:
    """A word table from TOML entries ``{name = "…", aliases = ["…"]}`` (the order of the entries is kept)."""
    names = tuple(e["name"] for e in entries)
    if len(set(names)) != len(names):
        raise VocabularyError(f"{label}：名称重复")
    aliases: dict[str, str] = {}
    for entry in entries:
        for alias in entry.get("aliases", []):
            if aliases.get(alias, entry["name"]) != entry["name"]:
                raise VocabularyError(f"{label}：「{alias}」同时指向「{aliases[alias]}」和「{entry['name']}」")
            aliases[alias] = entry["name"]
    return WordTable(label, names, aliases)


def read_toml(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=4)
def load_regions(path: Path | None = None) -> WordTable:
    """The city's regions (县区) in administrative order, from resources/regions.toml (domain.md §9)."""
    data = read_toml(path or RESOURCES / "regions.toml")
    return table_from_entries("地区", data["region"])
