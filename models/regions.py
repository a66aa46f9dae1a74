"""Zhangzhou's county-level regions and their 乡（镇、街、场）: canonical names, aliases and display order.

Why: 两违 figures are grouped by county and town in the city's administrative order (domain.md §8), and the
督察信访 regions follow the same order (§9). Exports write the same region several ways (高新区 / 漳州高新区,
龙海市 / 龙海区, 九湖 / 九湖镇). The counties are the one strict word table of models.vocabulary
(resources/regions.toml, which refuses unknown words in the ledgers); this module adds the towns
(resources/towns.toml: county, town, order) and the lenient lookup 两违 needs, where an unknown word is kept
as the export gives it and sorted after the known ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.store import load_toml
from models.vocabulary import WordTable, load_regions, match_key

BLANK = "（未填写）"  # the group of rows that leave the region empty: shown last


@dataclass(frozen=True)
class Town:
    county: str
    town: str
    order: int
    code: str | None = None
    aliases: tuple[str, ...] = ()


class RegionTable:
    """The county table (order and aliases) with each county's towns in order, and lenient lookups."""

    def __init__(self, counties: WordTable, towns: list[Town]) -> None:
        self.table = counties
        self.counties = list(counties.names)
        self._county_rank = {name: rank for rank, name in enumerate(self.counties)}
        self.towns = sorted(towns, key=lambda t: (self._county_rank.get(t.county, len(self.counties)), t.order))
        self._town_rank = {(t.county, t.town): t.order for t in self.towns}
        self._town_words: dict[str, dict[str, str]] = {}
        for t in self.towns:
            words = self._town_words.setdefault(t.county, {})
            words.setdefault(match_key(t.town), t.town)
            for alias in t.aliases:
                words.setdefault(match_key(alias), t.town)

    def county(self, text: str | None) -> str | None:
        """The canonical county for an export's word (高新区 → 漳州高新区); unknown words as given; blank → None."""
        if text is None or not match_key(str(text)):
            return None
        return self.table.find(str(text)) or str(text).strip()

    def town(self, county: str | None, text: str | None) -> str | None:
        """The canonical town of a county for an export's word: its name, an alias, or the unique listed town
        the word begins (九湖 → 九湖镇). Unknown words as given; blank → None."""
        if text is None or not match_key(str(text)):
            return None
        word = match_key(str(text))
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
    """The shipped table: the county word table of models.vocabulary (resources/regions.toml) and
    resources/towns.toml."""
    towns = [
        Town(t["county"], t["town"], int(t["order"]), t.get("code"), tuple(t.get("aliases", [])))
        for t in load_toml("towns.toml")["towns"]
    ]
    return RegionTable(load_regions(), towns)
