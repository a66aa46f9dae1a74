"""The demo months: the generator reproduces the seed bulletin (figures-2021-11.json) except the 56 scores,
its export is a platform-style workbook, and the same figures come out of the store after the real import."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from demo.generator import iter_month_cases
from demo.plan import apportion
from models.numbers import rate
from tests.conftest import SEED_FIGURES

SEED_CHANNELS = {
    channel: count
    for source in SEED_FIGURES["accepted"].values()
    if isinstance(source, dict)
    for channel, count in source.items()
    if channel != "total"
}
SEED_SOURCES = {name: source["total"] for name, source in SEED_FIGURES["accepted"].items() if isinstance(source, dict)}
TOP_PARTS = ["消防设施", "行道树", "止车石", "交通护栏", "户外广告", "雨水箅子"]
TOP_EVENTS = ["车辆违停", "乱堆物料", "沿街晾挂", "道路不洁", "绿地脏乱", "无照经营游商", "违规标语宣传品", "施工占道"]
NOV_START, NOV_END = "2021-11-01 00:00:00", "2021-12-01 00:00:00"
NO_CASE_UNITS = {"市民政局", "市生态环境局", "市建筑安全站", "漳州长运集团", "福建万佳友环境工程有限公司"}


def _in_nov(ts: str | None) -> bool:
    return ts is not None and NOV_START <= ts < NOV_END


def _assert_top_order(counts: dict[str, int], listed: list[str]) -> None:
    """The listed 小类 lead in exactly that order, strictly decreasing, and every other one is smaller."""
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    assert ranked[: len(listed)] == listed
    values = [counts[name] for name in listed]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert max(counts[name] for name in ranked[len(listed) :]) < values[-1]


@pytest.fixture(scope="module")
def november() -> list[dict]:
    return list(iter_month_cases(2021, 11))


# ------------------------------------------------------------------ the generator


def test_november_has_every_seed_channel_count(november):
    assert len(november) == 55603
    assert Counter(r["channel"] for r in november) == SEED_CHANNELS
    assert Counter(r["source"] for r in november) == SEED_SOURCES
    assert all(_in_nov(r["reported_at"]) for r in november)


def test_november_filed_disposed_closed_and_kinds(november):
    filed = [r for r in november if r["filed_at"]]
    assert len(filed) == 7377
    assert all(_in_nov(r["filed_at"]) and _in_nov(r["reported_at"]) for r in filed)
    assert {r["channel"] for r in filed} == {"网格巡查采集", "12319城管服务热线", "110指挥中心转办", "微信公众平台"}
    assert sum(1 for r in filed if r["disposed_at"]) == 7101
    assert sum(1 for r in filed if r["closed_at"]) == 7101
    assert all(r["deadline_at"] and r["unit"] and r["dispatched_at"] for r in filed)
    kinds = Counter(r["kind"] for r in filed)
    assert kinds == {"部件": 1121, "事件": 6256}
    _assert_top_order(Counter(r["minor"] for r in filed if r["kind"] == "部件"), TOP_PARTS)
    _assert_top_order(Counter(r["minor"] for r in filed if r["kind"] == "事件"), TOP_EVENTS)
    # cut-off "none": some disposals and closures fall in early December
    assert any(r["closed_at"] >= NOV_END for r in filed if r["closed_at"])


def test_xiangcheng_bureau_on_time_closure_is_34_04(november):
    mine = [r for r in november if r["filed_at"] and r["unit"] == "芗城区城市管理局"]
    on_time = [r for r in mine if r["closed_at"] and r["disposed_at"] <= r["deadline_at"]]
    assert (len(mine), len(on_time)) == (47, 16)
    assert str(rate(len(on_time), len(mine))) == "34.04"


def test_xiangcheng_bureau_has_the_lowest_on_time_closure_rate(november):
    filed: Counter = Counter()
    on_time: Counter = Counter()
    for r in november:
        if r["filed_at"]:
            filed[r["unit"]] += 1
            on_time[r["unit"]] += bool(r["closed_at"] and r["disposed_at"] <= r["deadline_at"])
    rates = {unit: on_time[unit] / n for unit, n in filed.items()}
    assert min(rates, key=rates.get) == "芗城区城市管理局"
    assert sum(1 for v in rates.values() if v == 1) >= 5  # some units perfect


def test_case_numbers_are_unique_dated_sequences(november):
    numbers = [r["case_no"] for r in november]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 12 and n.isdigit() for n in numbers)
    assert all(r["case_no"][:8] == r["reported_at"][:10].replace("-", "") for r in november)
    assert numbers == sorted(numbers)


def test_named_cases_go_to_lantian_development_zone(november):
    nov = next(r for r in november if r["case_no"] == "202111160744")
    assert nov["unit"] == "蓝田开发区管委会"
    assert nov["reported_at"].startswith("2021-11-16") and nov["filed_at"].startswith("2021-11-16")
    october = next(r for r in iter_month_cases(2021, 10) if r["case_no"] == "202110310540")
    assert october["unit"] == "蓝田开发区管委会"
    assert october["reported_at"].startswith("2021-10-31") and october["filed_at"].startswith("2021-10-31")


@pytest.mark.parametrize("seed", [1, 2])
def test_named_cases_exist_whatever_the_seed(seed):
    october = {r["case_no"]: r for r in iter_month_cases(2021, 10, seed=seed)}["202110310540"]
    assert october["unit"] == "蓝田开发区管委会" and october["filed_at"].startswith("2021-10-31")


def test_open_cases_units_and_reworks(november):
    filed = [r for r in november if r["filed_at"]]
    undisposed = [r for r in filed if not r["disposed_at"]]
    assert len(undisposed) == 276
    assert {r["stage"] for r in undisposed} == {"处置中"}
    end = "2021-11-30 23:59:59"
    assert any(r["deadline_at"] < end for r in undisposed) and any(r["deadline_at"] > end for r in undisposed)
    units = {r["unit"] for r in filed}
    registry = json.loads((Path(__file__).resolve().parent.parent / "resources" / "units.json").read_text("utf-8"))
    names = {u["unit"] for u in registry["units"]}
    assert units <= names
    assert names - units == NO_CASE_UNITS
    reworked = sum(1 for r in filed if r["rework_count"])
    assert 0.01 < reworked / 7101 < 0.06
    assert {r["district"] for r in november} == {"芗城区", "龙文区", "高新区"}
    assert all(r["street"].endswith(("街道", "镇")) for r in november)


def test_generation_is_deterministic():
    def digest(rows) -> str:
        h = hashlib.sha256()
        for row in rows:
            h.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()

    assert digest(iter_month_cases(2017, 3)) == digest(iter_month_cases(2017, 3))
    assert digest(iter_month_cases(2017, 3, seed=1)) != digest(iter_month_cases(2017, 3))


def test_same_rows_in_another_process_with_another_hash_seed():
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, json; from demo.generator import iter_month_cases; h = hashlib.sha256(); "
        "[h.update(json.dumps(r, ensure_ascii=False, sort_keys=True).encode()) for r in iter_month_cases(2017, 3)]; "
        "print(h.hexdigest())"
    )
    root = Path(__file__).resolve().parent.parent
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env=os.environ | {"PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_write_demo_exports_names_one_file_per_month(tmp_path, monkeypatch):
    from python_calamine import CalamineWorkbook

    from demo import build

    real = build.iter_month_cases
    monkeypatch.setattr(build, "iter_month_cases", lambda y, m: itertools.islice(real(y, m), 30))
    calls = []
    paths = build.write_demo_exports(tmp_path, progress=lambda done, total, message: calls.append((done, total)))
    assert [p.name for p in paths] == [
        "智慧城管平台案件明细_202109.xlsx",
        "智慧城管平台案件明细_202110.xlsx",
        "智慧城管平台案件明细_202111.xlsx",
    ]
    assert calls[-1] == (3, 3)
    first = CalamineWorkbook.from_path(str(paths[1])).get_sheet_by_index(0).to_python()
    assert first[0][0] == "漳州市智慧城管平台案件明细 2021年10月" and first[2][0] == "202110010001"


@pytest.mark.parametrize(("year", "month"), [(2017, 1), (2024, 2), (2026, 12)])
def test_any_month_of_2017_to_2026(year, month):
    rows = list(iter_month_cases(year, month))
    start = f"{year:04d}-{month:02d}-01"
    assert rows and all(r["reported_at"][:7] == start[:7] for r in rows)
    assert len({r["case_no"] for r in rows}) == len(rows)
    filed = [r for r in rows if r["filed_at"]]
    assert filed and all(r["filed_at"][:7] == start[:7] for r in filed)
    assert all(r["disposed_at"] is None or r["disposed_at"] > r["dispatched_at"] for r in filed)


def test_scale_multiplies_volume():
    one = sum(1 for _ in iter_month_cases(2019, 6))
    two = sum(1 for _ in iter_month_cases(2019, 6, scale=2))
    assert 1.6 < two / one < 2.4


def test_neighbour_months_differ_and_carry_cancelled_records():
    for year, month, cancelled in ((2021, 9, 7), (2021, 10, 5)):
        rows = list(iter_month_cases(year, month))
        assert sum(1 for r in rows if r["stage"] == "[作废]") == cancelled
        assert 30000 < len(rows) < 55603
        assert any(r["filed_at"] and not r["deadline_at"] for r in rows)  # computed deadlines get exercised


def test_apportion_is_exact_and_respects_caps():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(276, [5.0, 0.0, 2.5, 7.1])) == 276
    assert apportion(10, [5, 5, 0], caps=[2, 20, 20]) == [2, 8, 0]


# ------------------------------------------------------------------ the export workbook


def test_export_reads_back_in_calamine_and_openpyxl(tmp_path):
    import openpyxl
    from python_calamine import CalamineWorkbook

    from demo.xlsx_writer import write_case_export

    rows = list(itertools.islice(iter_month_cases(2021, 11), 120))
    path = tmp_path / "export.xlsx"
    assert write_case_export(path, "漳州市智慧城管平台案件明细 2021年11月", rows) == 120

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "漳州市智慧城管平台案件明细 2021年11月"
    assert sheet[1][:3] == ["案件编号", "问题来源", "受理渠道"] and sheet[1][-1] == "返工次数"
    assert sheet[-1][:2] == ["合计", "共 120 条"]
    header = sheet[1]
    text_dates = 0
    for cells, row in zip(sheet[2:-1], rows, strict=True):
        assert cells[0] == row["case_no"]
        reported = cells[header.index("上报时间")]
        if isinstance(reported, str):
            text_dates += 1
            assert reported == datetime.strptime(row["reported_at"], "%Y-%m-%d %H:%M:%S").strftime("%Y/%m/%d %H:%M")
        else:
            assert reported.strftime("%Y-%m-%d %H:%M:%S") == row["reported_at"]
    assert text_dates > 0

    sheet = openpyxl.load_workbook(path).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:U1"]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == rows[0]["case_no"]
    assert sheet["N3"].is_date and sheet["N3"].number_format == "yyyy-mm-dd hh:mm:ss"


# ------------------------------------------------------------------ through the real importer and store


@pytest.mark.slow
def test_demo_store_reproduces_seed_figures(demo_db):
    q = demo_db.execute
    nov = "reported_at >= ? AND reported_at < ? AND cancelled = 0"
    channels = dict(q(f"SELECT channel, COUNT(*) FROM cases WHERE {nov} GROUP BY channel", (NOV_START, NOV_END)))
    assert channels == SEED_CHANNELS
    sources = dict(q(f"SELECT source, COUNT(*) FROM cases WHERE {nov} GROUP BY source", (NOV_START, NOV_END)))
    assert sources == SEED_SOURCES
    filed = "filed_at >= ? AND filed_at < ? AND cancelled = 0"
    figures = q(
        f"SELECT COUNT(*), COUNT(disposed_at), COUNT(closed_at), COUNT(deadline_at) FROM cases WHERE {filed}",
        (NOV_START, NOV_END),
    ).fetchone()
    assert tuple(figures) == (7377, 7101, 7101, 7377)
    assert dict(q(f"SELECT kind, COUNT(*) FROM cases WHERE {filed} GROUP BY kind", (NOV_START, NOV_END))) == {
        "部件": 1121,
        "事件": 6256,
    }
    for kind, listed in (("部件", TOP_PARTS), ("事件", TOP_EVENTS)):
        sql = f"SELECT minor, COUNT(*) FROM cases WHERE {filed} AND kind = ? GROUP BY minor"
        minors = dict(q(sql, (NOV_START, NOV_END, kind)))
        _assert_top_order(minors, listed)
    mine, on_time = q(
        f"SELECT COUNT(*), SUM(closed_at IS NOT NULL AND disposed_at <= deadline_at) FROM cases"
        f" WHERE {filed} AND unit = '芗城区城市管理局'",
        (NOV_START, NOV_END),
    ).fetchone()
    assert (mine, on_time) == (47, 16)
    assert str(rate(on_time, mine)) == "34.04"


@pytest.mark.slow
def test_demo_store_named_cases_months_and_imports(demo_db):
    q = demo_db.execute
    named = dict(
        (no, (unit, reported[:10], filed[:10]))
        for no, unit, reported, filed in q(
            "SELECT case_no, unit, reported_at, filed_at FROM cases WHERE case_no IN ('202110310540', '202111160744')"
        )
    )
    assert named == {
        "202110310540": ("蓝田开发区管委会", "2021-10-31", "2021-10-31"),
        "202111160744": ("蓝田开发区管委会", "2021-11-16", "2021-11-16"),
    }
    months = dict(q("SELECT substr(reported_at, 1, 7), COUNT(*) FROM cases GROUP BY 1"))
    assert list(months) == ["2021-09", "2021-10", "2021-11"]  # November is the latest month
    assert months["2021-11"] == 55603
    assert min(months["2021-09"], months["2021-10"]) > 30000
    cancelled = dict(q("SELECT substr(reported_at, 1, 7), COUNT(*) FROM cases WHERE cancelled = 1 GROUP BY 1"))
    assert cancelled == {"2021-09": 7, "2021-10": 5}
    assert q("SELECT COUNT(*) FROM adjustments").fetchone()[0] == 0
    imports = q("SELECT outcome, rejected, inserted FROM imports WHERE stream = 'cases' ORDER BY id").fetchall()
    assert [tuple(r) for r in imports] == [("ok", 0, months["2021-09"]), ("ok", 0, months["2021-10"]), ("ok", 0, 55603)]
    # text date forms in the export arrived as the same canonical timestamps
    assert q("SELECT COUNT(*) FROM cases WHERE reported_at NOT LIKE '____-__-__ __:__:00'").fetchone()[0] == 0
    # blank Sep/Oct deadlines were computed from the time limits
    assert q("SELECT COUNT(*) FROM cases WHERE deadline_source = 'limit'").fetchone()[0] > 0


@pytest.mark.slow
def test_demo_store_open_cases_show_every_light(demo_db):
    from models.overdue import open_case_lights

    lights = open_case_lights(demo_db, datetime(2021, 11, 30, 23, 59, 59))
    november = [c for c in lights if c.case_no.startswith("202111")]
    seen = Counter(("serious" if c.serious else c.light) for c in november)
    assert set(seen) == {"green", "yellow", "red", "serious"}
    assert seen["serious"] < seen["red"] + seen["green"]
