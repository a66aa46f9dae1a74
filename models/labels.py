"""The one table of Chinese words the office reads for our internal names.

Why one table: field names (``case_no``), figure keys (``filed``), setting values (``none``) and rule-set
codes (``gb_composite``) are the machine-facing vocabulary of the JSON contract (cli.md); people read the
words below instead — in the CLI's text, the workbooks, the bulletin and the GUI. Every user-facing label
is looked up here, so a word is changed in one place and an internal name never leaks onto a page.
"""

from __future__ import annotations

# canonical case fields (models.records.CASE_FIELDS) and stored extras, in display order
FIELD_LABELS: dict[str, str] = {
    "case_no": "案件编号",
    "source": "问题来源",
    "channel": "受理渠道",
    "kind": "问题类型",
    "major_code": "大类编码",
    "major": "大类",
    "minor_code": "小类编码",
    "minor": "小类",
    "detail": "小类明细",
    "description": "问题描述",
    "district": "区域",
    "street": "街道",
    "community": "社区",
    "grid": "单元网格",
    "address": "地址",
    "unit": "处置单位",
    "reported_at": "上报时间",
    "filed_at": "立案时间",
    "dispatched_at": "派遣时间",
    "deadline_at": "处置截止时间",
    "disposed_at": "处置结束时间",
    "closed_at": "结案时间",
    "stage": "当前阶段",
    "returned_count": "回退次数",
    "returned_unit": "回退单位",
    "rework_count": "返工次数",
    "cancelled": "已作废",
    "deadline_source": "截止时间来源",
    "disposed_source": "处置时间来源",
}

# figures (models.indicators.FIGURES, the rates, and the data-quality drill-downs) → the office's word
FIGURE_LABELS: dict[str, str] = {
    "accepted": "受理",
    "filed": "立案",
    "need_dispose": "应处置",
    "disposed": "处置",
    "disposed_on_time": "按期处置",
    "disposed_late": "超期处置",
    "due_to_close": "应结案",
    "closed": "结案",
    "closed_on_time": "按期结案",
    "rework": "返工",
    "returned": "回退",
    "overdue_open": "超期未处置",
    "light_green": "绿灯",
    "light_yellow": "黄灯",
    "light_red": "红灯",
    "serious_overdue": "严重超期",
    "disposed_inferred": "处置时间按结案时间推定",
    "no_deadline": "无处置截止时间",
    "deadline_from_limit": "截止时间按时限计算",
    "disposal_rate": "处置率",
    "on_time_disposal_rate": "按期处置率",
    "closure_rate": "结案率",
    "on_time_closure_rate": "按期结案率",
    "rework_rate": "返工率",
    # sections of the statistics that a missing column can make unavailable
    "sources": "受理来源分布",
    "kinds": "部件/事件分布",
    "top": "高发小类",
    "districts": "区域统计",
    "streets": "街道统计",
}

# models.definitions: each setting's name, and the words for its coded values
DEFINITION_LABELS: dict[str, str] = {
    "due_to_close": "应结案数口径",
    "rework_rate_base": "返工率分母",
    "exclude_deferred": "应结案数扣除缓办/挂账案件",
    "cutoff": "处置/结案截止口径",
    "top_parts": "高发部件小类显示个数",
    "top_events": "高发事件小类显示个数",
    "as_of": "判断时刻",
    "period_assignment": "周期归属",
    "top_order": "高发小类排序",
    "disposed_source": "处置时间来源",
}
DEFINITION_VALUE_LABELS: dict[str, dict[str, str]] = {
    "due_to_close": {"filed": "立案数", "disposed_plus_overdue_open": "处置数＋超期未处置数"},
    "rework_rate_base": {"disposed": "处置数", "due_to_close": "应结案数"},
    "cutoff": {"none": "导出数据中的全部时间", "period_end": "截至统计期末"},
    "top_order": {"count desc, then name in code-point order": "按件数从多到少，件数相同按名称排序"},
}

FAMILY_LABELS = {"deduction": "扣分制", "composite": "加权综合指标"}
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
DEADLINE_SOURCE_LABELS = {"export": "导出文件", "limit": "按处置时限计算"}
DISPOSED_SOURCE_LABELS = {"export": "导出文件", "inferred": "按结案时间推定"}

NO_CASES_MARK = "无案件"  # a unit without a filed case in the period (domain.md §6)
UNRANKED_MARK = "—"  # the rank column of a unit the rule set leaves unranked
UNAVAILABLE_MARK = "—"  # a figure the data cannot give (missing column, zero denominator)
EXAMPLE_RULES_NOTE = "按内置示例规则计算，非本市考核细则"


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def figure_label(figure: str) -> str:
    return FIGURE_LABELS.get(figure, figure)


def definition_value_text(key: str, value) -> str:
    """One definition's value as the office reads it: 是/否, a Chinese word for a code, or the value itself."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # disposed_source: {"export": n, "inferred": m}
        return "，".join(f"{DISPOSED_SOURCE_LABELS.get(k, k)} {v} 件" for k, v in value.items())
    if isinstance(value, str) and len(value) == 19 and value[10] == "T":  # an ISO moment
        return value.replace("T", " ")
    return DEFINITION_VALUE_LABELS.get(key, {}).get(str(value), str(value))


def definitions_text(definitions: dict, *, separator: str = "；") -> str:
    """The definitions echoed in an output, in words: 应结案数口径：立案数；返工率分母：处置数；…"""
    return separator.join(
        f"{DEFINITION_LABELS.get(k, k)}：{definition_value_text(k, v)}" for k, v in definitions.items()
    )


def rank_text(rank: int | None) -> str:
    return UNRANKED_MARK if rank is None else str(rank)
