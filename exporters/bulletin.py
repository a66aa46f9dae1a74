"""The monthly bulletin (通报, domain.md §7) and the plain-text statistics, from the same figures as the JSON.

Why one module: the bulletin must carry exactly the figures of ``stats --json``; both texts are rendered
from the stats document (models.stats.stats_document), never recomputed here. The bulletin is built once as
a :class:`BulletinDocument` (title, 文号, the body in the seed's structure, signature, date, the score table as
附件); the text here and the Word document (exporters.bulletin_docx) are two renderings of that one model, and
every sentence comes from a wording template of the `bulletin.*` settings (models.bulletin_settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from exporters.file_names import export_file_name
from exporters.score_sheet import category_label, unit_label
from models.adjustments import adjustment_months, effective_adjustments
from models.bulletin_settings import BulletinSettings, load_bulletin_settings
from models.definitions import Definitions, load_definitions
from models.labels import NO_CASES_MARK, UNAVAILABLE_MARK, definitions_text, rank_text
from models.numbers import q2
from models.periods import Period, period_words
from models.quality import require_data, warning_lines
from models.scoring import score_document
from models.stats import stats_document

ORDINALS = "一二三四五六七八九十"
# The seed's structure: two first-level headings, each with its inline second-level ones.
DATA_HEADING = "一、运行数据分析"
DATA_LEADS = ("（一）案件受理。", "（二）案件处置。", "（三）高发分析。")
REVIEW_HEADING = "二、评价结果点评"
REVIEW_LEADS = ("（一）好的方面。", "（二）差的方面。")
ANNEX_LABEL = "附件"
ANNEX_HEADERS = ("单位类别", "处置单位", "评价得分")


def pct(value: str | None) -> str:
    """A JSON rate for people: "96.26%" or "—" (zero denominator)."""
    return "—" if value is None else f"{value}%"


def _nth(i: int) -> str:
    return ORDINALS[i] if i < len(ORDINALS) else str(i + 1)


def _points_words(points: Decimal) -> str:
    """2 → "2", 0.5 → "0.5" (the seed writes 扣2分)."""
    return format(q2(abs(points)).normalize(), "f")


# ---------------------------------------------------------------- plain statistics text


def render_stats_text(doc: dict) -> str:
    """``stats`` without --json: the same document, for people; a figure the data cannot give shows "—"."""
    defs = doc.get("definitions", {})
    gone = set(doc.get("unavailable") or ())

    def n(figures: dict, key: str) -> str:
        return UNAVAILABLE_MARK if key in gone else str(figures[key])

    def r(figures: dict, key: str) -> str:
        return pct(figures.get(key))

    lines = [f"统计周期：{doc['period']}　截至：{doc['as_of'].replace('T', ' ')}", ""]
    acc = doc["accepted"]
    lines.append(f"受理 {acc['total']} 件")
    for source in acc["sources"]:
        parts = "、".join(f"{c['name']} {c['count']}" for c in source["channels"])
        lines.append(f"  {source['name']} {source['count']} 件：{parts}")
    lines += [
        "",
        f"立案 {n(doc, 'filed')} 件　应处置 {n(doc, 'need_dispose')}　处置 {n(doc, 'disposed')}"
        f"　按期处置 {n(doc, 'disposed_on_time')}　超期处置 {n(doc, 'disposed_late')}",
        f"应结案 {n(doc, 'due_to_close')}　结案 {n(doc, 'closed')}　按期结案 {n(doc, 'closed_on_time')}"
        f"　返工 {n(doc, 'rework')}",
        f"处置率 {r(doc, 'disposal_rate')}　按期处置率 {r(doc, 'on_time_disposal_rate')}"
        f"　结案率 {r(doc, 'closure_rate')}　按期结案率 {r(doc, 'on_time_closure_rate')}"
        f"　返工率 {r(doc, 'rework_rate')}",
        "",
    ]
    shown = {"部件": defs.get("top_parts", 6), "事件": defs.get("top_events", 8)}
    for kind in doc["kinds"]:
        top = kind["top"][: shown.get(kind["name"], 8)]
        names = "、".join(f"{t['name']} {t['count']}" for t in top)
        lines.append(f"{kind['name']} {kind['count']} 件（占立案 {pct(kind['share'])}）高发：{names or '—'}")
    lines += ["", "处置单位（本单位案件）："]
    header = "类别  单位  应处置 处置 按期处置 应结案 结案 按期结案 返工  处置率 按期处置率 结案率 按期结案率"
    lines.append(header)
    for u in doc["units"]:
        counts = " ".join(n(u, k) for k in ("disposed", "disposed_on_time", "due_to_close", "closed"))
        lines.append(
            f"{u['category'] or '-'}  {u['unit']}  {n(u, 'need_dispose')} {counts}"
            f" {n(u, 'closed_on_time')} {n(u, 'rework')}"
            f"  {r(u, 'disposal_rate')} {r(u, 'on_time_disposal_rate')}"
            f" {r(u, 'closure_rate')} {r(u, 'on_time_closure_rate')}"
        )
    if doc.get("districts"):
        lines += ["", "区域："]
        for d in doc["districts"]:
            lines.append(f"  {d['name']}  立案 {d['filed']}  结案 {n(d, 'closed')}  结案率 {r(d, 'closure_rate')}")
    if doc.get("warnings"):
        lines += ["", "数据质量提示："] + [f"  {line}" for line in warning_lines(doc["warnings"])]
    lines += ["", "统计口径：" + definitions_text(defs)]
    return "\n".join(lines)


# ---------------------------------------------------------------- the bulletin as a document


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; `lead` is the inline second-level heading that opens it ("（一）案件受理。")."""

    text: str
    lead: str = ""

    @property
    def full_text(self) -> str:
        return self.lead + self.text


@dataclass(frozen=True)
class Section:
    heading: str  # first level: "一、运行数据分析"
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class AnnexRow:
    unit: str  # as the seed prints it: 市城市管理局[含下属单位的绩效评价]
    score: str  # in the configured score format, with 分: "100.0分"
    rank: int | None
    note: str = ""  # e.g. 无案件


@dataclass(frozen=True)
class AnnexGroup:
    category: str  # "A类单位"
    rows: tuple[AnnexRow, ...]


@dataclass(frozen=True)
class Annex:
    """附件: the score table by category, the rule set that made it and the notes that go with it."""

    title: str
    rule_set: str
    groups: tuple[AnnexGroup, ...]
    notes: tuple[str, ...] = ()

    @property
    def unit_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass(frozen=True)
class BulletinDocument:
    title: str
    doc_no: str  # empty: no 文号 line
    sections: tuple[Section, ...]
    issuer: str
    issued: date
    annex: Annex
    notes: tuple[str, ...] = ()  # data-quality warnings and the definitions: after the annex, never in the body

    @property
    def date_text(self) -> str:
        """The signature date as 公文 write it: 2021年12月13日."""
        return f"{self.issued.year}年{self.issued.month}月{self.issued.day}日"


# ---------------------------------------------------------------- building it


def _adjustments(db, period: Period) -> list:
    """Manual adjustments that count for the period's months: the same ones its score table counts."""
    return list(effective_adjustments(db, adjustment_months(period)))


def lowest_on_time_closure(doc: dict) -> list[dict]:
    """The unit(s) with the lowest 按期结案率 below 100% (ties all named, in the document's unit order)."""
    rated = [u for u in doc["units"] if u["on_time_closure_rate"] is not None]
    if not rated:
        return []
    low = min(Decimal(u["on_time_closure_rate"]) for u in rated)
    if low >= 100:
        return []
    return [u for u in rated if Decimal(u["on_time_closure_rate"]) == low]


def channel_order(db) -> dict[str, int]:
    """The channel table's order (as the office lists channels; the seed: 12319, 110, 微信)."""
    return {name: i for i, (name,) in enumerate(db.execute("SELECT name FROM channels ORDER BY rowid"))}


class _Wording:
    """The settings' templates with the placeholders every template may use already filled in."""

    def __init__(self, settings: BulletinSettings, period: Period):
        self.settings = settings
        last = period.last_moment
        self.common = {
            "city": settings.city,
            "platform": settings.platform,
            "period": period_words(period),
            "year": period.start.year,
            "month": last.month,
        }

    def __call__(self, name: str, **values: object) -> str:
        return self.settings.fill(name, **(self.common | values))


def _accepted(doc: dict, w: _Wording, order: dict[str, int]) -> list[Paragraph]:
    """受理 in the bulletin's words; channels in the channel table's order, unregistered ones after by count
    (the JSON orders them by count, cli.md)."""
    acc = doc["accepted"]
    if not acc["total"]:
        return [Paragraph(w("accepted_empty")), Paragraph(w("nothing_accepted"), DATA_LEADS[0])]
    sources = "、".join(f"{s['name']}{s['count']}件" for s in acc["sources"])
    parts = []
    for i, source in enumerate(acc["sources"]):
        ordered = sorted(source["channels"], key=lambda c: (order.get(c["name"], len(order)), -c["count"], c["name"]))
        channels = "、".join(f"{w.settings.channel_label(c['name'])}{c['count']}件" for c in ordered)
        parts.append(w("accepted_source", nth=_nth(i), source=source["name"], count=source["count"], channels=channels))
    return [
        Paragraph(w("accepted", total=acc["total"], sources=sources)),
        Paragraph("；".join(parts) + "。", DATA_LEADS[0]),
    ]


def _disposal(doc: dict, w: _Wording) -> Paragraph:
    text = w(
        "disposal",
        filed=doc["filed"],
        disposed=doc["disposed"],
        due_to_close=doc["due_to_close"],
        closed=doc["closed"],
        disposal_rate=pct(doc["disposal_rate"]),
        closure_rate=pct(doc["closure_rate"]),
    )
    return Paragraph(text, DATA_LEADS[1])


def _high_frequency(doc: dict, defs: Definitions, w: _Wording) -> Paragraph:
    shown = {"部件": defs.top_parts, "事件": defs.top_events}
    parts = []
    for kind in doc["kinds"]:
        if kind["name"] not in shown and not kind["count"]:
            continue
        text = w("kind", kind=kind["name"], count=kind["count"], share=pct(kind["share"]))
        top = [t["name"] for t in kind["top"][: shown.get(kind["name"], defs.top_events)]]
        if top:
            text += "，" + w("kind_top", kind=kind["name"], top="、".join(top))
        parts.append(text)
    return Paragraph("；".join(parts) + "。", DATA_LEADS[2])


def _adjustment_values(a) -> dict:
    return {
        "unit": a.unit,
        "reason": a.reason,
        "rule": a.rule_ref or "",
        "points": _points_words(a.points),
        "cases": "、".join(a.cases),
    }


def _good_side(doc: dict, bonuses: list, w: _Wording) -> Paragraph:
    closure = doc["closure_rate"]
    verdict = w(w.settings.verdict(None if closure is None else Decimal(closure)))
    text = w("good", disposal_rate=pct(doc["disposal_rate"]), closure_rate=pct(closure), verdict=verdict)
    for a in bonuses:
        text += w("bonus" if a.rule_ref else "bonus_no_rule", **_adjustment_values(a))
    return Paragraph(text, REVIEW_LEADS[0])


def _bad_side(doc: dict, deductions: list, w: _Wording) -> Paragraph:
    items = []
    low = lowest_on_time_closure(doc)
    if low:
        units = "、".join(u["unit"] for u in low)
        items.append(w("low_closure", units=units, rate=pct(low[0]["on_time_closure_rate"])))
    for a in deductions:
        template = "deduction" if a.rule_ref else "deduction_no_rule"
        values = _adjustment_values(a)
        values["reason"] = w.settings.without_template_words(template, "reason", a.reason)
        subject = w("deduction_cases", **values) if a.cases else a.unit
        items.append(subject + w(template, **values))
    if not items:
        return Paragraph(w("nothing_bad"), REVIEW_LEADS[1])
    return Paragraph("".join(f"{_nth(i)}是{t}。" for i, t in enumerate(items)), REVIEW_LEADS[1])


def _annex(db, period: Period, rules, settings: BulletinSettings) -> Annex:
    doc = score_document(db, period, rules=rules)
    groups: list[AnnexGroup] = []
    rows: list[AnnexRow] = []
    category = object()
    for u in doc["units"]:
        if u["category"] != category:
            if rows:
                groups.append(AnnexGroup(category_label(category), tuple(rows)))
            category, rows = u["category"], []
        note = NO_CASES_MARK if u.get("no_cases") else ""
        rows.append(AnnexRow(unit_label(u), f"{settings.score_text(u['score'])}分", u["rank"], note))
    if rows:
        groups.append(AnnexGroup(category_label(category), tuple(rows)))
    rule_set = doc["rule_set"]
    label = rule_set.get("label") or f"{rule_set['name']}（版本 {rule_set['version']}）"
    notes = [f"（{rule_set['note']}）"] if rule_set.get("note") else []  # e.g. an example rule set says so
    if doc.get("unplaced_units"):
        names = "、".join(f"{u['unit']}（立案{u['filed']}件）" for u in doc["unplaced_units"])
        notes.append(f"未登记单位未参加评价：{names}")
    return Annex(
        title=f"{period_words(period)}处置单位绩效评价得分",
        rule_set=f"评分规则：{label}",
        groups=tuple(groups),
        notes=tuple(notes),
    )


def build_bulletin(db, period: Period, rules=None, *, issued: date | None = None) -> BulletinDocument:
    """The bulletin in the seed's structure and wording; remarks drawn from the data and the ledger.

    A period without a single case is refused (models.quality.NoDataError): no bulletin of zeros."""
    settings = load_bulletin_settings(db)  # a broken wording setting is named first, whatever the data
    require_data(db, period, "生成通报")
    defs = load_definitions(db)
    w = _Wording(settings, period)
    doc = stats_document(db, period, defs=defs)
    adjustments = _adjustments(db, period)
    deductions = [a for a in adjustments if a.points < 0]
    bonuses = [a for a in adjustments if a.points > 0]
    data = (*_accepted(doc, w, channel_order(db)), _disposal(doc, w), _high_frequency(doc, defs, w))
    review = (_good_side(doc, bonuses, w), _bad_side(doc, deductions, w))
    notes = []
    if doc.get("warnings"):
        notes.append("（数据质量提示：" + "；".join(warning_lines(doc["warnings"])) + "）")
    notes.append(f"（统计口径：截至 {doc['as_of'].replace('T', ' ')}；" + _defs_words(defs) + "）")
    return BulletinDocument(
        title=w("title"),
        doc_no=settings.fill_doc_no(**w.common),
        sections=(Section(DATA_HEADING, data), Section(REVIEW_HEADING, review)),
        issuer=settings.issuer,
        issued=issued or date.today(),
        annex=_annex(db, period, rules, settings),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- the text rendering


def render_text(doc: BulletinDocument) -> str:
    """The bulletin as plain text: what `report` prints and the GUI previews."""
    lines = [doc.title]
    if doc.doc_no:
        lines.append(doc.doc_no)
    for section in doc.sections:
        lines += ["", section.heading, *(p.full_text for p in section.paragraphs)]
    lines += ["", doc.issuer, doc.date_text]
    annex = doc.annex
    lines += ["", ANNEX_LABEL, annex.title, annex.rule_set, *annex.notes]
    for group in annex.groups:
        lines.append(group.category)
        for row in group.rows:
            note = f"（{row.note}）" if row.note else ""
            lines.append(f"  {rank_text(row.rank)}\t{row.unit}\t{row.score}{note}")
    if doc.notes:
        lines += ["", *doc.notes]
    return "\n".join(lines)


def suggest_file_name(period: Period) -> str:
    """通报_2021-11.docx: the period in the name, so a month's file is found again (exporters.file_names)."""
    return export_file_name("bulletin", period, suffix=".docx")


def render_bulletin(db, period: Period, rules=None, *, issued: date | None = None) -> str:
    """The bulletin as text (`report` without --docx)."""
    return render_text(build_bulletin(db, period, rules, issued=issued))


def _defs_words(defs: Definitions) -> str:
    due = "立案数" if defs.due_to_close == "filed" else "处置数＋超期未处置数"
    base = "处置数" if defs.rework_rate_base == "disposed" else "应结案数"
    cut = "导出数据中全部时间" if defs.cutoff == "none" else "截至统计期末"
    text = f"应结案数＝{due}；返工率分母＝{base}；处置/结案计至{cut}"
    if defs.exclude_deferred:
        text += "；应结案数扣除缓办/挂账案件"
    return text
