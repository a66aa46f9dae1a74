"""Issue 11 on a plainer export than the demo: no 处置时间 column, one unit not in the registry (domain.md §4
"Missing facts", §6). What was inferred is stated, what cannot be known is unavailable, never 0."""

from __future__ import annotations

import json

import openpyxl
import pytest

import main
from exporters.bulletin import render_stats_text
from exporters.score_sheet import write_score_sheet
from importers.pipeline import import_file, preview_file
from models.browse import case_record
from models.drilldown import case_numbers
from models.periods import parse_month
from models.quality import period_warnings, warning_cases
from models.scoring import compute_scores
from models.stats import stats_document
from tests.fixtures.import_builders import HEADERS, write_csv, write_xlsx

NOV = parse_month("2021-11")
UNKNOWN_UNIT = "新区城管中队"
PLAIN_HEADERS = [h for h in HEADERS if h != "处置结束时间"]


def plain_rows(n: int = 30, closed: int = 23, unknown: int = 6) -> list[list]:
    """n November cases; the first `closed` closed (every fifth one after its deadline); the last `unknown`
    belong to a unit the registry does not know."""
    rows = []
    for i in range(n):
        day = 2 + i % 20
        closed_at = f"2021-11-{day + (4 if i % 5 == 0 else 1):02d} 15:00:00" if i < closed else ""
        rows.append(
            [
                f"2021110{i:05d}", "信息采集", "网格巡查采集", "事件", "市容环境", "暴露垃圾", f"描述{i}", "西桥街道",
                UNKNOWN_UNIT if i >= n - unknown else "西桥街道办事处",
                f"2021-11-{day:02d} 08:00:00", f"2021-11-{day:02d} 08:10:00", f"2021-11-{day:02d} 08:20:00",
                f"2021-11-{day + 2:02d} 17:30:00", closed_at, "结案" if closed_at else "处置中", "0",
            ]
        )  # fmt: skip
    return rows


@pytest.fixture
def plain(db, tmp_path):
    path = write_xlsx(tmp_path / "平台导出_202111.xlsx", plain_rows(), headers=PLAIN_HEADERS)
    report = import_file(db, path)
    assert not report.refused, report.message
    return db, report, path


def test_closed_cases_count_as_disposed_at_their_closure_and_it_is_said(plain):
    db, report, _ = plain
    assert "23 件已结案案件没有处置时间，已按结案时间计为已处置（推定）" in report.summary_text()
    doc = stats_document(db, NOV)
    assert (doc["filed"], doc["closed"], doc["disposed"]) == (30, 23, 23)  # not 处置 0 beside 结案 23
    assert doc["disposal_rate"] == doc["closure_rate"] == "76.67"
    # on time by the 结案时间: cases 0, 5, 10, 15, 20 closed four days after filing, past their deadline
    assert (doc["disposed_on_time"], doc["on_time_disposal_rate"]) == (18, "60.00")
    assert doc["definitions"]["disposed_source"] == {"export": 0, "inferred": 23}
    codes = {w["code"]: w for w in doc["warnings"]}
    inferred = codes["disposed_inferred"]
    assert inferred["count"] == 23 and inferred["level"] == "inferred" and inferred["figure"] == "disposed_inferred"
    assert "按结案时间计为已处置（推定）" in inferred["text"]
    missing = next(w for w in doc["warnings"] if w.get("field") == "disposed_at")
    assert missing["code"] == "missing_column" and missing["figures"] == [] and missing["count"] == 30
    assert "未结案案件是否已处置无法得知" in missing["text"] and "平台导出_202111.xlsx" in missing["text"]
    assert doc["unavailable"] == ["districts"]  # nor has it a 区域 column: said, not shown as an empty list


def test_inferred_cases_are_listed_and_marked_in_the_case_record(plain):
    db, _, _ = plain
    numbers = case_numbers(db, NOV, "disposed_inferred")
    assert len(numbers) == 23 and numbers == case_numbers(db, NOV, "closed")
    record = case_record(db, numbers[0])
    assert record["disposed_source"] == "inferred" and record["disposed_at"] == record["closed_at"]
    assert case_record(db, "202111000029")["disposed_source"] is None  # open: nothing inferred
    entry = next(w for w in period_warnings(db, NOV) if w["code"] == "disposed_inferred")
    assert warning_cases(db, NOV, entry) == numbers


def test_the_unregistered_unit_is_named_in_stats_scores_and_the_sheet(plain, tmp_path):
    db, _, _ = plain
    doc = stats_document(db, NOV)
    entry = next(w for w in doc["warnings"] if w["code"] == "unregistered_unit")
    assert (entry["unit"], entry["count"], entry["figure"]) == (UNKNOWN_UNIT, 6, "filed")
    assert f"处置单位「{UNKNOWN_UNIT}」不在单位名录中（本期立案 6 件）" in entry["text"]
    assert len(warning_cases(db, NOV, entry)) == 6
    text = render_stats_text(doc)
    assert UNKNOWN_UNIT in text and "推定" in text and "按按期" not in text
    scores = compute_scores(db, NOV)
    assert scores["unplaced_units"] == [{"unit": UNKNOWN_UNIT, "filed": 6}]
    assert any(w["code"] == "unregistered_unit" and w["unit"] == UNKNOWN_UNIT for w in scores["warnings"])
    out = tmp_path / "scores.xlsx"
    write_score_sheet(db, NOV, out)
    about = [[c.value for c in row] for row in openpyxl.load_workbook(out)["说明"].iter_rows(min_row=2)]
    assert any(UNKNOWN_UNIT in (value or "") for _label, value in about)
    assert any("推定" in (value or "") for _label, value in about)


def test_the_cli_prints_the_inference_and_the_unit(plain, capsys):
    db, _, _ = plain
    path = db.execute("PRAGMA database_list").fetchone()[2]
    assert main.main(["--db", path, "stats", "--month", "2021-11"]) == 0
    out = capsys.readouterr().out
    assert "处置 23" in out and "结案 23" in out and "推定" in out and UNKNOWN_UNIT in out
    assert main.main(["--db", path, "stats", "--month", "2021-11", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["disposed"] == 23 and {w["code"] for w in doc["warnings"]} >= {"disposed_inferred", "unregistered_unit"}
    assert main.main(["--db", path, "cases", "--month", "2021-11", "--figure", "disposed_inferred"]) == 0
    assert len(capsys.readouterr().out.split()) == 23


def test_the_preview_says_what_a_missing_column_will_mean(db, tmp_path):
    path = write_xlsx(tmp_path / "plain.xlsx", plain_rows(3, 2, 0), headers=PLAIN_HEADERS)
    preview = preview_file(db, path)
    assert any("没有「处置结束时间」列：已结案案件按结案时间计为已处置（推定）" in note for note in preview.notes)
    full = preview_file(db, write_xlsx(tmp_path / "full.xlsx", [[*r[:13], "", *r[13:]] for r in plain_rows(3, 2, 0)]))
    assert not any("处置结束时间" in note for note in full.notes)


def test_a_later_export_with_the_column_replaces_the_inference_without_history_noise(plain, tmp_path):
    db, _, _ = plain
    same = import_file(db, write_csv(tmp_path / "again.csv", plain_rows(), headers=PLAIN_HEADERS))
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, 30)  # an inferred time is not a change
    rows = [[*r[:13], r[13].replace("15:00", "10:00") if r[13] else "", *r[13:]] for r in plain_rows()]
    full = import_file(db, write_xlsx(tmp_path / "full.xlsx", rows))
    assert full.updated == 30 and "推定" not in full.summary_text()  # every raw row gained a cell
    doc = stats_document(db, NOV)
    assert doc["definitions"]["disposed_source"] == {"export": 23, "inferred": 0}
    assert not any(w["code"] == "disposed_inferred" or w.get("field") == "disposed_at" for w in doc["warnings"])
    assert case_numbers(db, NOV, "disposed_inferred") == []


def test_a_column_nothing_can_stand_in_for_makes_its_figures_unavailable_not_zero(db, tmp_path):
    headers = [h for h in HEADERS if h not in ("返工次数", "结案时间")]
    rows = [[*r[:14], r[15]] for r in (r[:13] + ["2021-11-05 10:00:00", "", r[14]] for r in plain_rows(4, 0, 0))]
    import_file(db, write_xlsx(tmp_path / "no-rework.xlsx", rows, headers=headers))
    doc = stats_document(db, NOV)
    assert doc["disposed"] == 4 and doc["disposal_rate"] == "100.00"
    assert doc["closure_rate"] is None and doc["on_time_closure_rate"] is None and doc["rework_rate"] is None
    closure = {"closed", "closed_on_time", "closure_rate", "on_time_closure_rate"}
    assert set(doc["unavailable"]) == {*closure, *REWORK, "districts"}
    assert doc["units"][0]["closure_rate"] is None
    texts = [w["text"] for w in doc["warnings"] if w["code"] == "missing_column"]
    assert any("没有「返工次数」列：返工、返工率无法计算" in t for t in texts)
    assert any("没有「结案时间」列：结案、按期结案、结案率、按期结案率无法计算" in t for t in texts)
    text = render_stats_text(doc)
    assert "结案 —" in text and "返工率 —" in text and "结案率 0.00%" not in text
    unit = next(e for e in compute_scores(db, NOV)["units"] if e["unit"] == "西桥街道办事处")
    closure = next(line for line in unit["lines"] if line.get("id") == "closure_rate")
    assert closure["points"] == "0.00" and "没有「结案时间」列" in closure["detail"]


REWORK = ("rework", "rework_rate")


def test_registering_the_unit_places_it_in_the_scores_and_clears_the_warning(plain):
    from models import registry

    db, _, _ = plain
    with pytest.raises(registry.RegistryError, match="需要选择单位类别"):
        registry.register_unit(db, UNKNOWN_UNIT, category="")
    with pytest.raises(registry.RegistryError, match="上级单位「不存在」不在单位名录中"):
        registry.register_unit(db, UNKNOWN_UNIT, category="B", parent="不存在")
    assert UNKNOWN_UNIT not in registry.units_by_name(db)  # a refused registration saves nothing
    unit = registry.register_unit(db, UNKNOWN_UNIT, category="B", parent="芗城区城市管理局")
    assert (unit.category, unit.parent) == ("B", "芗城区城市管理局")
    with pytest.raises(registry.RegistryError, match="已在单位名录中"):
        registry.register_unit(db, UNKNOWN_UNIT, category="B")
    assert not any(w["code"] == "unregistered_unit" for w in period_warnings(db, NOV))
    scores = compute_scores(db, NOV)
    entry = next(e for e in scores["units"] if e["unit"] == UNKNOWN_UNIT)
    assert scores["unplaced_units"] == [] and entry["rank"] is not None and entry["indicators"]["filed"] == 6
