"""The unit registry (处置单位): categories, parents (roll-up), districts, aliases (domain.md §6)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlite_utils

from models.errors import UserFacingError
from models.store import transaction


class RegistryError(UserFacingError):
    """A registry edit that cannot be applied (message in Chinese)."""


@dataclass(frozen=True)
class Unit:
    name: str
    category: str | None
    parent: str | None
    district: str | None
    evaluation_scope: str | None
    sort_order: int
    aliases: tuple[str, ...] = ()

    @property
    def includes_subunits(self) -> bool:
        """Scored over its whole subtree ("含下属单位的绩效评价" / "含区属单位的区域性评价")."""
        return bool(self.evaluation_scope)


def categories(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(code, description) in display order: A, B, C by default."""
    return [tuple(r) for r in db.execute("SELECT code, description FROM unit_categories ORDER BY sort_order, code")]


def list_units(db: sqlite_utils.Database) -> list[Unit]:
    """Every registered unit, by category order then registry order."""
    aliases: dict[str, list[str]] = {}
    for alias, unit in db.execute("SELECT alias, unit FROM unit_aliases ORDER BY alias"):
        aliases.setdefault(unit, []).append(alias)
    rows = db.execute(
        """SELECT u.name, u.category, u.parent, u.district, u.evaluation_scope, u.sort_order
           FROM units u LEFT JOIN unit_categories c ON c.code = u.category
           ORDER BY COALESCE(c.sort_order, 999), u.sort_order, u.name"""
    ).fetchall()
    return [Unit(*row, aliases=tuple(aliases.get(row[0], ()))) for row in rows]


def units_by_name(db: sqlite_utils.Database) -> dict[str, Unit]:
    return {u.name: u for u in list_units(db)}


def alias_map(db: sqlite_utils.Database) -> dict[str, str]:
    """alias -> registered unit name (used when importing the export's unit column)."""
    return dict(db.execute("SELECT alias, unit FROM unit_aliases").fetchall())


def children(db: sqlite_utils.Database) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for unit in list_units(db):
        if unit.parent:
            out.setdefault(unit.parent, []).append(unit.name)
    return out


def subtree(db: sqlite_utils.Database, name: str) -> list[str]:
    """The unit and all its descendants (cycle-safe), the unit first."""
    return subtree_in(children(db), name)


def subtree_in(kids: dict[str, list[str]], name: str) -> list[str]:
    """subtree() over a children() map already read (scoring walks every unit's subtree)."""
    out, stack, seen = [], [name], set()
    while stack:
        current = stack.pop(0)
        if current in seen:
            continue
        seen.add(current)
        out.append(current)
        stack.extend(kids.get(current, []))
    return out


def unknown_units(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    """Units met in imported cases but neither registered nor an alias, with case counts, for the user to place."""
    return [
        tuple(r)
        for r in db.execute(
            """SELECT c.unit, COUNT(*) FROM cases c
               WHERE c.unit IS NOT NULL AND c.unit <> '' AND c.unit NOT IN (SELECT name FROM units)
                 AND c.unit NOT IN (SELECT alias FROM unit_aliases)
               GROUP BY c.unit ORDER BY COUNT(*) DESC, c.unit"""
        )
    ]


def set_unit(
    db: sqlite_utils.Database,
    name: str,
    *,
    category: str | None = None,
    parent: str | None = None,
    district: str | None = None,
    evaluation_scope: str | None = None,
    alias: str | None = None,
) -> Unit:
    """Create or edit a unit; only the given fields change. parent="" clears the parent."""
    name = name.strip()
    if not name:
        raise RegistryError("单位名称不能为空")
    with transaction(db):
        if category is not None and category != "":
            known = {code for code, _ in categories(db)}
            if category not in known:
                raise RegistryError(f"未知的单位类别「{category}」（可选：{'、'.join(sorted(known))}）")
        exists = db.execute("SELECT 1 FROM units WHERE name = ?", (name,)).fetchone()
        if not exists:
            order = db.execute("SELECT COALESCE(MAX(sort_order), -1) + 1 FROM units").fetchone()[0]
            db.execute("INSERT INTO units(name, sort_order) VALUES (?, ?)", (name, order))
        if parent is not None:
            if parent and parent == name:
                raise RegistryError(f"单位「{name}」不能是自己的上级单位")
            if parent and not db.execute("SELECT 1 FROM units WHERE name = ?", (parent,)).fetchone():
                raise RegistryError(f"上级单位「{parent}」不在单位名录中")
            if parent and name in subtree(db, name) and parent in subtree(db, name):
                raise RegistryError(f"「{parent}」是「{name}」的下属单位，不能设为其上级")
            db.execute("UPDATE units SET parent = ? WHERE name = ?", (parent or None, name))
        for column, value in (("category", category), ("district", district), ("evaluation_scope", evaluation_scope)):
            if value is not None:
                db.execute(f"UPDATE units SET {column} = ? WHERE name = ?", (value or None, name))
        if alias:
            if alias == name or db.execute("SELECT 1 FROM units WHERE name = ?", (alias,)).fetchone():
                raise RegistryError(f"别名「{alias}」已是登记单位的名称，不能再作别名")
            db.execute(
                "INSERT INTO unit_aliases(alias, unit) VALUES (?, ?)"
                " ON CONFLICT(alias) DO UPDATE SET unit = excluded.unit",
                (alias, name),
            )
    return units_by_name(db)[name]


@dataclass(frozen=True)
class UnitEdit:
    """One row of the registry as the user edited it: the unit's fields (None: empty) and its aliases."""

    name: str
    category: str | None = None
    parent: str | None = None
    district: str | None = None
    evaluation_scope: str | None = None
    aliases: tuple[str, ...] = ()


def save_units(db: sqlite_utils.Database, edits: list[UnitEdit]) -> int:
    """Save the edited registry as a whole, in one transaction: a refused row saves none of the others.

    Rows equal to the stored unit are left alone; aliases are only added (cases imported under an alias
    keep their unit). New units are written before any parent is set, so a row may name as its parent a
    unit added further down. Returns the number of units changed."""
    existing = units_by_name(db)
    changed = []
    for edit in edits:
        old = existing.get(edit.name)
        new_aliases = [a for a in edit.aliases if old is None or a not in old.aliases]
        fields = (edit.category, edit.parent, edit.district, edit.evaluation_scope)
        same = old is not None and fields == (old.category, old.parent, old.district, old.evaluation_scope)
        if not same or new_aliases:
            changed.append((edit, new_aliases))
    with transaction(db):
        for edit, new_aliases in changed:
            with _naming(edit.name):
                set_unit(
                    db,
                    edit.name,
                    category=edit.category or "",
                    district=edit.district or "",
                    evaluation_scope=edit.evaluation_scope or "",
                )
                for alias in new_aliases:
                    set_unit(db, edit.name, alias=alias)
        for edit, _aliases in changed:
            with _naming(edit.name):
                set_unit(db, edit.name, parent=edit.parent or "")
    return len(changed)


@contextmanager
def _naming(name: str) -> Iterator[None]:
    """A refused registry row names its unit (a category error alone does not say which row it is)."""
    try:
        yield
    except RegistryError as exc:
        if f"「{name}」" in str(exc):
            raise
        raise RegistryError(f"单位「{name}」：{exc}") from exc


def register_unit(
    db: sqlite_utils.Database, name: str, *, category: str, parent: str | None = None, district: str | None = None
) -> Unit:
    """登记到名册: put a unit met in the cases into the registry with its category (and parent), so that it
    is scored from now on. Refused — nothing saved — for a name already registered or an alias, a missing or
    unknown category, an unknown parent."""
    name = name.strip()
    if not (category or "").strip():
        codes = "、".join(code for code, _ in categories(db))
        raise RegistryError(f"登记「{name}」需要选择单位类别（{codes}），才能参加评价")
    if name in units_by_name(db):
        raise RegistryError(f"单位「{name}」已在单位名录中")
    aliases = alias_map(db)
    if name in aliases:
        raise RegistryError(f"「{name}」已是单位「{aliases[name]}」的别名，其案件计入该单位")
    with transaction(db):  # the new row and its parent together, or neither
        return set_unit(db, name, category=category.strip(), parent=parent or "", district=district or "")


def set_category(db: sqlite_utils.Database, code: str, description: str | None = None) -> tuple[str, str]:
    """Add or describe a unit category (the A/B/C list is editable); new codes go last.

    Scores rank within categories, so a city with a fourth group (D类) adds it here.
    """
    code = code.strip()
    if not code or len(code) > 10:
        raise RegistryError("单位类别代码不能为空，且不超过10个字符")
    with transaction(db):
        exists = db.execute("SELECT 1 FROM unit_categories WHERE code = ?", (code,)).fetchone()
        if exists:
            if description is not None:
                db.execute("UPDATE unit_categories SET description = ? WHERE code = ?", (description, code))
        else:
            order = db.execute("SELECT COALESCE(MAX(sort_order), -1) + 1 FROM unit_categories").fetchone()[0]
            db.execute(
                "INSERT INTO unit_categories(code, description, sort_order) VALUES (?, ?, ?)",
                (code, description or f"{code}类单位", order),
            )
    return next((c, d) for c, d in categories(db) if c == code)


def remove_category(db: sqlite_utils.Database, code: str) -> None:
    """Remove an unused category; refused while a unit still belongs to it."""
    with transaction(db):
        used = db.execute("SELECT COUNT(*) FROM units WHERE category = ?", (code,)).fetchone()[0]
        if used:
            raise RegistryError(f"类别「{code}」下还有 {used} 个单位，请先改变这些单位的类别")
        db.execute("DELETE FROM unit_categories WHERE code = ?", (code,))
