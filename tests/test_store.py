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
