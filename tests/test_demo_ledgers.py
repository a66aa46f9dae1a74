"""The demo's supervision ledgers (demo.ledgers): what they hold, and that they import cleanly."""

from datetime import date, datetime

import pytest

from demo.lw_export import lw_demo
from models.lw_steps import HONOURED, PENDING, REFUSED_OUTCOME, WRONG_LEVEL
from models.lw_store import lw_evaluation
from models.periods import parse_month
from models.workcalendar import WorkCalendar

SEED_TOWNS = {
    "东铺头街道", "西桥街道", "新桥街道", "巷口街道", "南坑街道", "通北街道", "芝山街道", "石亭街道", "步文街道",
    "碧湖街道", "蓝田街道", "朝阳街道", "景山街道", "九湖镇", "颜厝镇",
}  # fmt: skip


@pytest.fixture(scope="module")
def ledger_store(tmp_path_factory):
    from demo.ledgers import import_demo_ledgers
    from models.store import open_db

    folder = tmp_path_factory.mktemp("demo-ledgers")
    db = open_db(folder / "demo.db")
    reports = import_demo_ledgers(db, folder)
    yield db, reports
    db.conn.close()


def test_the_lw_export_is_deterministic_and_in_the_seeds_towns():
    first, second = lw_demo(), lw_demo()
    assert first == second
    assert {row["town"] for row in first.rows} == SEED_TOWNS
    december = {row["case_no"] for row in first.rows if str(row["received_at"]).startswith("2021-12")}
    assert len(december) == 108


def test_the_lw_export_has_a_saturday_receipt_and_steps_across_new_year():
    rows = lw_demo().rows
    calendar = WorkCalendar()
    saturday = [r for r in rows if r["received_at"].weekday() == 5]
    assert any(r["case_no"] == "LW202112040001" for r in saturday)
    assert not calendar.is_workday(date(2022, 1, 3))  # New Year's day off moved to Monday
    across = [r for r in rows if r["received_at"] < datetime(2022, 1, 1) and r.get("verified_at")
              and r["verified_at"] >= datetime(2022, 1, 4)]  # fmt: skip
    assert "LW202112290003" in {r["case_no"] for r in across}


def test_every_ledger_imports_without_a_rejected_row(ledger_store):
    _db, reports = ledger_store
    assert [(r.stream, r.refused, r.rejected) for r in reports] == [
        ("lw", False, 0),
        ("petitions", False, 0),
        ("rectify", False, 0),
    ]
    assert [r.inserted for r in reports] == [110, 20, 25]


def test_the_demo_december_shows_every_kind_of_extension(ledger_store):
    db, _reports = ledger_store
    evaluation = lw_evaluation(db, parse_month("2021-12"), "2021-12-31 23:59:59")
    outcomes = {d.outcome for e in evaluation.cases for d in e.timeline.extensions}
    assert {HONOURED, REFUSED_OUTCOME, PENDING, WRONG_LEVEL} <= outcomes
    levels = {(d.request.level, d.request.days > 30) for e in evaluation.cases for d in e.timeline.extensions
              if d.outcome == HONOURED}  # fmt: skip
    assert {("县级", False), ("市级", True), ("市级", False)} <= levels
    serious = {e.case_no for e in evaluation.cases if any(s.serious for s in e.statuses)}
    assert "LW202112010011" in serious


def test_the_full_demo_holds_the_ledgers_beside_the_city_cases(demo_db):
    counts = {t: demo_db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("lw_cases", "petition_pieces", "rectify_rows")}  # fmt: skip
    assert counts == {"lw_cases": 110, "petition_pieces": 20, "rectify_rows": 25}
    streams = demo_db.execute("SELECT stream, COUNT(*) FROM imports GROUP BY stream ORDER BY stream").fetchall()
    assert streams == [("cases", 3), ("lw", 1), ("petitions", 1), ("rectify", 1)]


def test_the_full_demo_reports_batch_8_in_the_seeds_words(demo_db):
    from models.petition_store import paragraph
    from tests.test_petitions_report import SEED_PARAGRAPH, comparable

    ours = paragraph(demo_db, 8)
    print("generated:", ours, "\nseed:     ", SEED_PARAGRAPH)
    assert comparable(ours) == comparable(SEED_PARAGRAPH)
