from models import registry
from models.numbers import fmt2, rate
from models.periods import parse_label, parse_month
from models.store import MIGRATIONS, schema_version


def test_fresh_store_is_migrated_and_seeded(db):
    assert schema_version(db) == len(MIGRATIONS)
    units = registry.list_units(db)
    assert len(units) == 56
    assert units[0].name == "市民政局" and units[0].category == "A"
    assert db.execute("SELECT source FROM channels WHERE name='网格巡查采集'").fetchone()[0] == "信息采集"


def test_subtree_rolls_up_district_units(db):
    tree = registry.subtree(db, "龙文区政府")
    assert tree[0] == "龙文区政府" and "蓝田开发区管委会" in tree and len(tree) == 9


def test_rates_round_half_up_not_bankers():
    assert fmt2(rate(7101, 7377)) == "96.26"
    assert fmt2(rate(16, 47)) == "34.04"
    assert fmt2(rate(1, 8)) == "12.50"
    assert str(rate(1, 800)) == "0.13"  # 0.125 -> 0.13 half-up (round() would give 0.12)
    assert rate(3, 0) is None


def test_period_labels_round_trip():
    assert parse_month("2021-11").previous().label == "2021-10"
    assert parse_label("2021-Q4").start_text == "2021-10-01 00:00:00"
    assert parse_label("2021-11-01..2021-11-30").end_text == "2021-12-01 00:00:00"
    assert parse_month("2021-01").previous().label == "2020-12"


def test_an_import_leaves_the_wal_to_the_idle_checkpoint_which_gives_its_space_back(tmp_path):
    from pathlib import Path

    from importers.pipeline import import_file
    from models.store import AUTOCHECKPOINT_PAGES, checkpoint_idle, close_db, open_db
    from tests.fixtures.import_builders import sample_rows, write_csv

    path = tmp_path / "store.db"
    wal = Path(f"{path}-wal")
    db = open_db(path)
    rows = sample_rows(3000)
    for row in rows:
        row[6] = "描述" * 200  # wide rows: the WAL outgrows the autocheckpoint threshold
    report = import_file(db, write_csv(tmp_path / "big.csv", rows))
    assert report.inserted == 3000
    assert wal.stat().st_size > AUTOCHECKPOINT_PAGES * 4096  # the COMMIT did not checkpoint
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone() == (AUTOCHECKPOINT_PAGES,)  # restored after
    checkpoint_idle(db)
    assert wal.stat().st_size == 0
    assert db.execute("SELECT COUNT(*) FROM cases").fetchone() == (3000,)
    close_db(db)
    assert not wal.exists() or wal.stat().st_size == 0


def test_the_idle_checkpoint_waits_for_no_reader_and_tries_again_later(tmp_path):
    import queue
    import sqlite3
    import threading
    from pathlib import Path

    from models.store import checkpoint_idle, next_job, no_autocheckpoint, open_db, transaction

    path = tmp_path / "store.db"
    db = open_db(path)
    with no_autocheckpoint(db), transaction(db):
        db.conn.executemany("INSERT INTO settings(key, value) VALUES (?, '0')", [(f"k{i}",) for i in range(3000)])
    reader = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM settings").fetchone()  # holds a snapshot that needs the WAL
    assert checkpoint_idle(db) is False and Path(f"{path}-wal").stat().st_size > 0
    jobs: queue.Queue = queue.Queue()

    def later():
        reader.execute("COMMIT")
        reader.close()
        jobs.put("next")

    threading.Timer(0.2, later).start()
    assert next_job(db, jobs, idle_seconds=0.05) == "next"
    assert checkpoint_idle(db) is True and Path(f"{path}-wal").stat().st_size == 0
