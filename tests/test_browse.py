"""models.browse: the case browser's keyset pages, explicit lists, search, and the import audit views."""

from models import browse
from models.periods import parse_label
from tests.conftest import insert_cases

NOV1, NOV2 = "2021-11-01 09:00:00", "2021-11-02 08:00:00"


def _cases(db):
    insert_cases(
        db,
        [
            {"case_no": "C3", "unit": "甲", "kind": "事件", "filed_at": NOV2, "address": "胜利路100%号"},
            {"case_no": "C1", "unit": "乙", "kind": "部件", "filed_at": NOV2, "address": "新华路"},
            {"case_no": "C2", "unit": "甲", "kind": "事件", "filed_at": NOV1, "description": "井盖_缺失"},
            {"case_no": "C4", "unit": "甲", "kind": "事件", "filed_at": "2021-10-31 09:00:00"},
            {"case_no": "C5", "unit": "甲", "kind": "事件", "filed_at": "2021-11-05 09:00:00", "cancelled": True},
        ],
    )


def test_pages_follow_the_period_date_then_case_number_without_gaps(db):
    _cases(db)
    q = browse.CaseQuery(period=parse_label("2021-11"))
    assert browse.count_cases(db, q) == 3  # October and the cancelled case are out
    first = browse.fetch_page(db, q, None, 2)
    rest = browse.fetch_page(db, q, first[-1], 2)
    assert [r[0] for r in first + rest] == ["C2", "C1", "C3"]
    assert browse.fetch_page(db, q, rest[-1], 2) == []
    unit = browse.CaseQuery(period=parse_label("2021-11"), unit="甲", kind="事件")
    assert [r[0] for r in browse.fetch_page(db, unit, None)] == ["C2", "C3"]


def test_without_a_period_pages_go_by_case_number(db):
    _cases(db)
    q = browse.CaseQuery()
    assert [r[0] for r in browse.fetch_page(db, q, None, 10)] == ["C1", "C2", "C3", "C4"]
    assert browse.reads_lazily(q)
    assert not browse.reads_lazily(browse.CaseQuery(unit="甲"))  # may scan: the worker lists the numbers
    nov = parse_label("2021-11")
    assert browse.reads_lazily(browse.CaseQuery(period=nov, unit="甲"))  # idx_cases_unit_filed
    assert not browse.reads_lazily(browse.CaseQuery(period=nov, date_field="reported_at", unit="甲"))


def test_search_matches_number_address_or_description_literally(db):
    _cases(db)
    assert browse.matching_numbers(db, browse.CaseQuery(search="100%")) == ["C3"]
    assert browse.matching_numbers(db, browse.CaseQuery(search="井盖_")) == ["C2"]
    assert browse.matching_numbers(db, browse.CaseQuery(search="C4")) == ["C4"]
    assert browse.matching_numbers(db, browse.CaseQuery(search="%")) == ["C3"]
    assert not browse.reads_lazily(browse.CaseQuery(period=parse_label("2021-11"), search="路"))


def test_explicit_numbers_keep_their_order_and_a_case_shows_its_record(db):
    _cases(db)
    assert [r[0] for r in browse.fetch_numbers(db, ["C3", "X", "C1"])] == ["C3", "C1"]
    record = browse.case_record(db, "C3")
    assert record["unit"] == "甲" and record["raw"]["address"] == "胜利路100%号"
    assert record["import_file"] == "hand-built"
    assert browse.case_history(db, "C3") == []
    assert browse.latest_case_month(db).label == "2021-11"
    assert browse.distinct_values(db, "unit") == ["甲", "乙"]
    assert browse.import_history(db)[0]["file_name"] == "hand-built"


def test_restrict_numbers_applies_the_other_filters_to_an_explicit_list(db):
    _cases(db)
    listed = ["C4", "C3", "C2", "C1", "C5"]
    assert browse.restrict_numbers(db, listed, browse.CaseQuery()) == ["C4", "C3", "C2", "C1"]  # C5 cancelled
    assert browse.restrict_numbers(db, listed, browse.CaseQuery(search="胜利路")) == ["C3"]
    assert browse.restrict_numbers(db, listed, browse.CaseQuery(unit="甲", kind="事件")) == ["C4", "C3", "C2"]
    nov = browse.CaseQuery(period=parse_label("2021-11"), unit="甲")
    assert browse.restrict_numbers(db, listed, nov) == ["C3", "C2"]
    assert browse.restrict_numbers(db, [], browse.CaseQuery(search="x")) == []


def test_a_figures_cases_are_narrowed_by_the_browsers_filters(db):
    _cases(db)
    nov = parse_label("2021-11")
    assert browse.figure_numbers(db, nov, "filed") == ["C1", "C2", "C3"]
    assert browse.figure_numbers(db, nov, "filed", browse.CaseQuery(unit="甲", kind="事件")) == ["C2", "C3"]
    # a search and a stage narrow the figure's list; the query's period does not drop earlier-filed cases
    assert browse.figure_numbers(db, nov, "filed", browse.CaseQuery(period=nov, search="胜利路")) == ["C3"]
    assert browse.figure_numbers(db, nov, "filed", browse.CaseQuery(stage="没有这个阶段")) == []


def test_months_with_cases_span_reported_and_filed_months_and_skip_cancelled(db):
    _cases(db)
    insert_cases(
        db,
        [
            {"case_no": "R1", "reported_at": "2020-12-31 23:00:00"},  # accepted, never filed
            {"case_no": "X1", "filed_at": "2022-03-01 09:00:00", "cancelled": True},
        ],
    )
    assert browse.months_with_cases(db) == ["2020-12", "2021-10", "2021-11"]


def test_a_filter_on_the_unnamed_channel_or_source_selects_the_blank_ones(db):
    from models import stats

    assert browse.UNNAMED == {"source": stats.UNKNOWN_SOURCE, "channel": stats.UNKNOWN_CHANNEL}
    reported = "2021-11-02 08:00:00"
    insert_cases(
        db,
        [
            {"case_no": "A1", "reported_at": reported, "source": "信息采集"},
            {"case_no": "A2", "reported_at": reported, "source": "信息采集", "channel": "网格巡查采集"},
            {"case_no": "A3", "reported_at": reported},
        ],
    )
    q = browse.CaseQuery(period=parse_label("2021-11"), date_field="reported_at", channel="未注明渠道")
    assert browse.matching_numbers(db, q) == ["A1", "A3"]
    assert browse.matching_numbers(db, browse.CaseQuery(channel="未注明渠道", source="信息采集")) == ["A1"]
    assert browse.matching_numbers(db, browse.CaseQuery(source="未注明来源")) == ["A3"]
