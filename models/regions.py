"""Zhangzhou's county-level regions and their 乡（镇、街、场）: canonical names, aliases and display order.

Why: 两违 figures are grouped by county and town in the city's administrative order (domain.md §8), and the
督察信访 regions follow the same order (§9). Exports write the same region several ways (高新区 / 漳州高新区,
龙海市 / 龙海区, 九湖 / 九湖镇); one table says which name each spelling stands for. The shipped table is
resources/regions.toml (counties in the seed's order, shared with the other streams) and resources/towns.toml
(county, town, order); a store may later hold the office's edits and build a RegionTable from its rows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from models.store import load_toml

BLANK = "（未填写）"  # the group of rows that leave the region empty: shown last


def _key(text: str) -> str:
    """How a region word is compared: NFKC (full/half width alike), no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Town:
    county: str
    town: str
    order: int
    code: str | None = None
    aliases: tuple[str, ...] = ()


class RegionTable:
    """County order and aliases, and each county's towns in order with theirs."""

    def __init__(self, counties: list[str], county_aliases: dict[str, str], towns: list[Town]) -> None:
        self.counties = list(counties)
        self._county_rank = {name: rank for rank, name in enumerate(self.counties)}
        self._county_words = {_key(name): name for name in self.counties}
        for alias, name in county_aliases.items():
            self._county_words.setdefault(_key(alias), name)
        self.towns = sorted(towns, key=lambda t: (self._county_rank.get(t.county, len(self.counties)), t.order))
        self._town_rank = {(t.county, t.town): t.order for t in self.towns}
        self._town_words: dict[str, dict[str, str]] = {}
        for t in self.towns:
            words = self._town_words.setdefault(t.county, {})
            words.setdefault(_key(t.town), t.town)
            for alias in t.aliases:
                words.setdefault(_key(alias), t.town)

    def county(self, text: str | None) -> str | None:
        """The canonical county for an export's word (高新区 → 漳州高新区); unknown words as given; blank → None."""
        if text is None or not _key(str(text)):
            return None
        return self._county_words.get(_key(str(text)), str(text).strip())

    def town(self, county: str | None, text: str | None) -> str | None:
        """The canonical town of a county for an export's word: its name, an alias, or the unique listed town
        the word begins (九湖 → 九湖镇). Unknown words as given; blank → None."""
        if text is None or not _key(str(text)):
            return None
        word = _key(str(text))
        words = self._town_words.get(self.county(county) or "", {})
        if word in words:
            return words[word]
        if len(word) >= 2:
            starts = {name for key, name in words.items() if key.startswith(word)}
            if len(starts) == 1:
                return starts.pop()
        return str(text).strip()

    def is_known_county(self, name: str | None) -> bool:
        return name in self._county_rank

    def is_known_town(self, county: str | None, town: str | None) -> bool:
        return (county, town) in self._town_rank

    def county_key(self, name: str | None) -> tuple:
        """Sort key: listed counties in order, then others by name, then the blank group."""
        if not name or name == BLANK:
            return (2, 0, "")
        rank = self._county_rank.get(name)
        return (0, rank, "") if rank is not None else (1, 0, name)

    def town_key(self, county: str | None, town: str | None) -> tuple:
        """Sort key within the county order: listed towns in order, then others by name, then the blank group."""
        if not town or town == BLANK:
            inner: tuple = (2, 0, "")
        else:
            rank = self._town_rank.get((county, town))
            inner = (0, rank, "") if rank is not None else (1, 0, town)
        return self.county_key(county) + inner


def load_region_table() -> RegionTable:
    """The shipped table: resources/regions.toml (the county-level regions every stream shares, in the
    seed's order, with aliases) and resources/towns.toml."""
    regions = load_toml("regions.toml")["region"]
    counties = [c["name"] for c in regions]
    aliases = {alias: c["name"] for c in regions for alias in c.get("aliases", [])}
    towns = [
        Town(t["county"], t["town"], int(t["order"]), t.get("code"), tuple(t.get("aliases", [])))
        for t in load_toml("towns.toml")["towns"]
    ]
    return RegionTable(counties, aliases, towns)
