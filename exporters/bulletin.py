"""The monthly bulletin (通报, domain.md §7) and the plain-text statistics, from the same figures as the JSON.

Why one module: the bulletin must carry exactly the figures of ``stats --json``; both texts are rendered
from the stats document (models.stats.stats_document), never recomputed here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models import registry
from models.definitions import Definitions, load_definitions
from models.numbers import q2
from models.periods import Period, period_words
from models.settings import Setting
from models.stats import stats_document

DEFAULT_BULLETIN = {
    "city": "",
    "platform_name": "智慧城管平台",
    "office_name": "城市管理委员会办公室",
    # how the bulletin words some channels (the seed: "12319城管服务热线投诉举报")
    "channel_labels": {
        "12319城管服务热线": "12319城管服务热线投诉举报",
        "微信公众平台": "微信公众平台投诉举报",
    },
}
WORDING = Setting("bulletin", {})  # the user's changes to DEFAULT_BULLETIN
ORDINALS = "一二三四五六七八九十"


def bulletin_settings(db) -> dict:
    """The bulletin's wording settings (office name, platform name, channel labels), defaults filled in."""
    stored = WORDING.read(db) or {}
    return DEFAULT_BULLETIN | {k: v for k, v in stored.items() if v is not None}


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
    """``stats`` without --json: the same document, for people."""
    defs = doc.get("definitions", {})
    lines = [f"统计周期：{doc['period']}　截至：{doc['as_of'].replace('T', ' ')}", ""]
    acc = doc["accepted"]
    lines.append(f"受理 {acc['total']} 件")
    for source in acc["sources"]:
        parts = "、".join(f"{c['name']} {c['count']}" for c in source["channels"])
        lines.append(f"  {source['name']} {source['count']} 件：{parts}")
    lines += [
        "",
        f"立案 {doc['filed']} 件　应处置 {doc['need_dispose']}　处置 {doc['disposed']}"
        f"　按期处置 {doc['disposed_on_time']}　超期处置 {doc['disposed'] - doc['disposed_on_time']}",
        f"应结案 {doc['due_to_close']}　结案 {doc['closed']}　按期结案 {doc['closed_on_time']}　返工 {doc['rework']}",
        f"处置率 {pct(doc['disposal_rate'])}　按期处置率 {pct(doc['on_time_disposal_rate'])}"
        f"　结案率 {pct(doc['closure_rate'])}　按期结案率 {pct(doc['on_time_closure_rate'])}"
        f"　返工率 {pct(doc.get('rework_rate'))}",
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
        lines.append(
            f"{u['category'] or '-'}  {u['unit']}  {u['need_dispose']} {u['disposed']} {u['disposed_on_time']}"
            f" {u['due_to_close']} {u['closed']} {u['closed_on_time']} {u['rework']}"
            f"  {pct(u['disposal_rate'])} {pct(u['on_time_disposal_rate'])}"
            f" {pct(u['closure_rate'])} {pct(u['on_time_closure_rate'])}"
        )
    if doc.get("districts"):
        lines += ["", "区域："]
        for d in doc["districts"]:
            lines.append(f"  {d['name']}  立案 {d['filed']}  结案 {d['closed']}  结案率 {pct(d['closure_rate'])}")
    if doc.get("warnings"):
        lines += ["", "数据质量提示："] + [f"  {w}" for w in doc["warnings"]]
    lines += ["", "统计口径：" + "；".join(f"{k}={v}" for k, v in defs.items())]
    return "\n".join(lines)


# ---------------------------------------------------------------- the bulletin


def _adjustments(db, period: Period) -> list:
    """Manual adjustments that count for the period's months (reversed pairs net out), from the adjustment ledger."""
    try:
        from models import adjustments
    except ImportError:
        return []
    months = adjustments.adjustment_months(period)  # the same months the score table counts
    if hasattr(adjustments, "effective_adjustments"):
        return list(adjustments.effective_adjustments(db, months))
    entries = [a for m in months for a in adjustments.list_adjustments(db, month=m)]
    reversed_ids = {a.reverses_id for a in entries if a.reverses_id is not None}
    return [a for a in entries if a.reverses_id is None and a.id not in reversed_ids]


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


def _accepted_paragraphs(doc: dict, settings: dict, when: str, order: dict[str, int]) -> list[str]:
    """受理 in the bulletin's words; channels in the channel table's order, unregistered ones after by count
    (the JSON orders them by count, cli.md)."""
    acc = doc["accepted"]
    labels = settings.get("channel_labels") or {}
    summary = "、".join(f"{s['name']}{s['count']}件" for s in acc["sources"])
    platform = f"{settings.get('city') or ''}{settings['platform_name']}"
    first = f"{when}{platform}受理案件{acc['total']}件" + (f"，其中{summary}。" if summary else "。")
    parts = []
    for i, source in enumerate(acc["sources"]):
        ordered = sorted(source["channels"], key=lambda c: (order.get(c["name"], len(order)), -c["count"], c["name"]))
        channels = "、".join(f"{labels.get(c['name'], c['name'])}{c['count']}件" for c in ordered)
        parts.append(f"{_nth(i)}是{source['name']}板块共{source['count']}件，其中{channels}")
    second = "(一)案件受理。" + ("；".join(parts) + "。" if parts else "本期无受理案件。")
    return [first, second]


def _high_frequency(doc: dict, defs: Definitions) -> str:
    shown = {"部件": defs.top_parts, "事件": defs.top_events}
    parts = []
    for kind in doc["kinds"]:
        if kind["name"] not in shown and not kind["count"]:
            continue
        text = f"{kind['name']}类案件总数{kind['count']}件，占立案数{pct(kind['share'])}"
        top = [t["name"] for t in kind["top"][: shown.get(kind["name"], defs.top_events)]]
        if top:
            text += f"，主要集中在{'、'.join(top)}等方面"
        parts.append(text)
    return "(三)高发分析。" + "；".join(parts) + "。"


def _good_side(doc: dict, bonuses: list) -> str:
    closure = doc["closure_rate"]
    if closure is None:
        verdict = "本期无应结案案件"
    elif Decimal(closure) >= 90:
        verdict = "绝大多数案件得到了解决"
    elif Decimal(closure) >= 50:
        verdict = "多数案件得到了解决"
    else:
        verdict = "案件解决情况仍需加强"
    text = f"(一)好的方面。平台案件处置率{pct(doc['disposal_rate'])}、结案率{pct(closure)}，{verdict}。"
    for a in bonuses:
        rule = f"，根据{a.rule_ref}规定" if a.rule_ref else ""
        text += f"{a.unit}{a.reason}{rule}，加{_points_words(a.points)}分。"
    return text


def _bad_side(doc: dict, deductions: list) -> str:
    items = []
    low = lowest_on_time_closure(doc)
    if low:
        names = "、".join(u["unit"] for u in low)
        items.append(f"个别单位处置效率较低，{names}按期结案率{pct(low[0]['on_time_closure_rate'])}")
    for a in deductions:
        text = f"{a.unit}"
        if a.cases:
            text += f"办理案件号{'、'.join(a.cases)}，"
        text += a.reason
        if a.rule_ref:
            text += f"，根据{a.rule_ref}规定"
        text += f"，扣{_points_words(a.points)}分"
        items.append(text)
    if not items:
        return "(二)差的方面。本期未发现突出问题。"
    return "(二)差的方面。" + "".join(f"{_nth(i)}是{t}。" for i, t in enumerate(items))


def _score_table(db, period: Period, rules) -> list[str]:
    try:
        from models.scoring import score_document
    except ImportError:
        return ["（评分模块不可用，得分表从略）"]
    doc = score_document(db, period, rules=rules)
    scopes = {u.name: u.evaluation_scope for u in registry.list_units(db)}
    lines = ["处置单位绩效评价得分", f"评分规则：{doc['rule_set']['name']}（版本 {doc['rule_set']['version']}）"]
    category = object()
    for u in doc["units"]:
        if u["category"] != category:
            category = u["category"]
            lines.append(f"{category or '未分类'}类单位")
        scope = f"[{scopes[u['unit']]}]" if scopes.get(u["unit"]) else ""
        mark = "（无案件）" if u.get("no_cases") else ""
        lines.append(f"  {u['rank']}\t{u['unit']}{scope}\t{u['score']}分{mark}")
    return lines


def render_bulletin(db, period: Period, rules=None, *, issued: date | None = None) -> str:
    """The bulletin in the seed's structure and wording; remarks drawn from the data and the ledger."""
    defs = load_definitions(db)
    settings = bulletin_settings(db)
    doc = stats_document(db, period, defs=defs)
    when = period_words(period)
    adjustments = _adjustments(db, period)
    deductions = [a for a in adjustments if a.points < 0]
    bonuses = [a for a in adjustments if a.points > 0]
    title = f"{settings.get('city') or ''}数字化城市管理绩效评价通报（{when}）"
    lines = [title, "", "一、运行数据分析"]
    lines += _accepted_paragraphs(doc, settings, when, channel_order(db))
    lines.append(
        f"(二)案件处置。平台立案{doc['filed']}件，处置{doc['disposed']}件，应结案{doc['due_to_close']}件，"
        f"结案{doc['closed']}件，处置率{pct(doc['disposal_rate'])}，结案率{pct(doc['closure_rate'])}。"
    )
    lines.append(_high_frequency(doc, defs))
    lines += ["", "二、评价结果点评", _good_side(doc, bonuses), _bad_side(doc, deductions), ""]
    lines += _score_table(db, period, rules)
    issued = issued or date.today()
    lines += ["", settings["office_name"], f"{issued.year}年{issued.month}月{issued.day}日"]
    if doc.get("warnings"):
        lines += ["", "（数据质量提示：" + "；".join(doc["warnings"]) + "）"]
    lines.append(f"（统计口径：截至 {doc['as_of'].replace('T', ' ')}；" + _defs_words(defs) + "）")
    return "\n".join(lines)


def _defs_words(defs: Definitions) -> str:
    due = "立案数" if defs.due_to_close == "filed" else "处置数＋超期未处置数"
    base = "处置数" if defs.rework_rate_base == "disposed" else "应结案数"
    cut = "导出数据中全部时间" if defs.cutoff == "none" else "截至统计期末"
    text = f"应结案数＝{due}；返工率分母＝{base}；处置/结案计至{cut}"
    if defs.exclude_deferred:
        text += "；应结案数扣除缓办/挂账案件"
    return text
