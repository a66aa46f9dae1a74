"""The demo's 创城回头看 ledger (resources/demo/rectify_ledger.toml) at the seed's sites, and the ledgers' tables."""

import tomllib
from datetime import date
from pathlib import Path

from models import petitions, rectify
from models.rectify import make_row, problem_statuses, problems_from_rows, rectify_stats

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SEED_SITES = ["大唐春风里", "西洋坪市场", "漳州三馆", "动车站", "漳州一中碧湖校区", "下洲社区"]
SEED_CATEGORIES = ["市容市貌", "公益广告", "疫情防控宣传", "环境卫生", "交通秩序"]


def demo_rows() -> list[rectify.RectifyRow]:
    data = tomllib.loads((RESOURCES / "demo" / "rectify_ledger.toml").read_text(encoding="utf-8"))
    return [make_row(cells) for cells in data["row"]]


def test_demo_ledger_covers_the_seed_sites_categories_and_districts():
    problems, warnings = problems_from_rows(demo_rows())
    assert warnings == []
    assert sorted({p.site for p in problems}, key=SEED_SITES.index) == SEED_SITES
    assert sorted({p.category for p in problems}, key=SEED_CATEGORIES.index) == SEED_CATEGORIES
    assert {p.district for p in problems} == {"芗城区", "龙文区", "漳州高新区"}
    checked = sorted({r.checked_on for p in problems for r in p.rounds})
    assert checked[0] < date(2021, 12, 14) < checked[-1]  # rounds before and after the seed's 回头看 day


def test_demo_ledger_on_the_seed_day():
    doc = rectify_stats(demo_rows(), as_of=date(2021, 12, 14))
    assert (doc["problems"], doc["due"], doc["rectified"], doc["rate"]) == (16, 13, 7, "53.85")
    assert doc["rebound"] == ["CC2021-003", "CC2021-007"]
    assert doc["unchecked"] == ["CC2021-010", "CC2021-011", "CC2021-016"]
    assert [(g["district"], g["due"], g["rectified"], g["rate"]) for g in doc["by_district"]] == [
        ("芗城区", 5, 3, "60.00"),
        ("龙文区", 5, 2, "40.00"),
        ("漳州高新区", 3, 2, "66.67"),
    ]
    assert [g["category"] for g in doc["by_category"]] == SEED_CATEGORIES
    assert [g["site"] for g in doc["by_site"]] == SEED_SITES


def test_demo_ledger_at_the_end_of_december():
    doc = rectify_stats(demo_rows(), as_of=date(2021, 12, 31))
    assert (doc["problems"], doc["due"], doc["rectified"], doc["rate"]) == (16, 15, 11, "73.33")
    assert doc["rebound"] == ["CC2021-003"]  # CC2021-007 was rectified again on 12-28
    assert doc["unchecked"] == ["CC2021-011"]  # never re-checked
    problems, _ = problems_from_rows(demo_rows())
    not_due = [s.problem.problem_no for s in problem_statuses(problems, date(2021, 12, 31)) if not s.due]
    assert not_due == ["CC2021-012"]  # 整改时限 2022-01-15
    assert next(g for g in doc["by_unit"] if g["unit"] == "市交警支队")["rate"] == "0.00"


def test_every_ledger_field_has_an_import_column_entry():
    for module, vocab in (
        (petitions, petitions.load_petition_vocabulary()),
        (rectify, rectify.load_rectify_vocabulary()),
    ):
        assert list(vocab.headers) == list(module.FIELD_LABELS)
        for field, spec in vocab.headers.items():
            assert spec["label"] == module.FIELD_LABELS[field]
            assert spec["aliases"][0] == spec["label"]
        aliases = [a for spec in vocab.headers.values() for a in spec["aliases"]]
        assert len(aliases) == len(set(aliases)), "a header text may stand for one field only"
