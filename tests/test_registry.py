"""The unit registry as the settings page saves it: the whole edited table in one transaction."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models import registry
from models.registry import RegistryError, UnitEdit


def _edit(unit: registry.Unit) -> UnitEdit:
    return UnitEdit(unit.name, unit.category, unit.parent, unit.district, unit.evaluation_scope, unit.aliases)


def test_a_bad_unit_halfway_through_the_registry_saves_nothing(db):
    before = registry.list_units(db)
    edits = [_edit(u) for u in before]
    edits[0] = replace(edits[0], district="芗城区")  # a valid change before the bad row
    edits[10] = replace(edits[10], category="D")
    edits.append(UnitEdit("新设街道办事处", "B", "芗城区政府", "芗城区", None, ("新设街道",)))
    with pytest.raises(RegistryError) as err:
        registry.save_units(db, edits)
    assert str(err.value) == f"单位「{before[10].name}」：未知的单位类别「D」（可选：A、B、C）"
    assert registry.list_units(db) == before


def test_saving_the_registry_changes_only_edited_units_and_adds_aliases(db):
    before = registry.units_by_name(db)
    edits = [_edit(u) for u in before.values()]
    traffic = next(i for i, e in enumerate(edits) if e.name == "市交警支队")
    edits[traffic] = replace(edits[traffic], aliases=(*edits[traffic].aliases, "交警"))
    # a new unit whose parent is another new unit further down the table
    edits.append(UnitEdit("新设社区工作站", "C", "新设街道办事处", None, None, ()))
    edits.append(UnitEdit("新设街道办事处", "B", "芗城区政府", "芗城区", None, ("新设街道",)))
    assert registry.save_units(db, edits) == 3
    after = registry.units_by_name(db)
    assert "交警" in after["市交警支队"].aliases
    assert (after["新设社区工作站"].parent, after["新设街道办事处"].aliases) == ("新设街道办事处", ("新设街道",))
    assert registry.alias_map(db)["新设街道"] == "新设街道办事处"
    assert {n: u for n, u in after.items() if n in before and n != "市交警支队"} == {
        n: u for n, u in before.items() if n != "市交警支队"
    }
    assert registry.save_units(db, [_edit(u) for u in after.values()]) == 0  # nothing edited, nothing written
