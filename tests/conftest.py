"""Shared fixtures: a fresh store per test, and a helper that writes hand-built cases into it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.quality import infer_disposed  # noqa: E402
from models.records import CASE_FIELDS  # noqa: E402
from models.store import open_db, transaction  # noqa: E402

# The seed bulletin's figures (a copy of shared/seed/figures-2021-11.json kept with the tests).
SEED_FIGURES: dict = json.loads((Path(__file__).parent / "fixtures" / "figures-2021-11.json").read_text("utf-8"))


@pytest.fixture
def db(tmp_path: Path):
    """An empty store (schema migrated, reference tables seeded from resources/)."""
    database = open_db(tmp_path / "test.db")
    yield database
    database.conn.close()


def insert_cases(db, cases: list[dict]) -> None:
    """Write hand-built cases straight into the store (bypassing the importer) for definition tests.

    Each dict gives canonical fields (models.records.CASE_FIELDS) plus optional `cancelled` and
    `deadline_source`; timestamps as text "YYYY-MM-DD HH:MM:SS".
    """
    with transaction(db):
        import_id = db.execute(
            "INSERT INTO imports(file_name, started_at, outcome) VALUES ('hand-built', '2021-12-01 00:00:00', 'ok')"
        ).lastrowid
        for row_no, case in enumerate(cases, start=2):
            row = {field: case.get(field) or (0 if kind == "int" else None) for field, kind in CASE_FIELDS.items()}
            row["cancelled"] = int(bool(case.get("cancelled")))
            row["deadline_source"] = case.get("deadline_source", "export" if case.get("deadline_at") else None)
            row["raw"] = json.dumps(case, ensure_ascii=False)
            row["import_id"] = import_id
            row["row_no"] = row_no
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            db.execute(f"INSERT INTO cases({columns}) VALUES ({marks})", list(row.values()))
        infer_disposed(db, import_id)  # what the importer does after writing a file's rows


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """The demo months (2021-09..11) imported once per test session through the real importer."""
    from demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_db(path)
    build_demo(database)
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()
    return path


@pytest.fixture
def demo_db(demo_db_path: Path, tmp_path: Path):
    """A private copy of the demo database, so a test may write to it (e.g. adjust add)."""
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_db_path, copy)
    database = open_db(copy)
    yield database
    database.conn.close()


# The seed bulletin's manual deduction (domain.md §6), as the office enters it with `adjust add`.
SEED_ADJUSTMENT = dict(
    month="2021-11",
    unit="蓝田开发区管委会",
    points="-2",
    reason="职责范围内不接受案件派遣",
    rule_ref="处置单位绩效评价细则（附件2-1）",
    cases=["202110310540", "202111160744"],
)


def add_seed_adjustment(db):
    from models.adjustments import add_adjustment

    return add_adjustment(db, **SEED_ADJUSTMENT)


def seed_adjust_argv(db_path) -> list[str]:
    """`main.py adjust add …` for the seed's deduction, exactly as a user types it."""
    a = SEED_ADJUSTMENT
    return [
        "--db", str(db_path), "adjust", "add", "--month", a["month"], "--unit", a["unit"], "--points", a["points"],
        "--reason", a["reason"], "--rule", a["rule_ref"], "--cases", ",".join(a["cases"]),
    ]  # fmt: skip
