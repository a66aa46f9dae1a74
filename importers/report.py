"""What an import tells its caller: progress as it goes, the report of each file, the preview before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ProgressFn = Callable[[int, int | None, str], None]


@dataclass
class ImportReport:
    file_name: str
    import_id: int | None
    refused: bool
    duplicate: bool
    cancelled: bool
    message: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    format: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    child_peak_kb: int | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # data-quality notes (e.g. cases with no time limit)
    stream: str = "cases"  # imports.stream: cases | lw | petitions | rectify
    label: str = ""  # what the file held, for the summary ("两违案件台账"); blank for city cases
    notes: list[str] = field(default_factory=list)  # what a ledger import wrote besides its rows

    def summary_text(self) -> str:
        """One Chinese paragraph per file, as the CLI prints it."""
        if self.refused or self.duplicate or self.cancelled:
            return self.message
        text = (
            f"已导入{self.label}「{self.file_name}」：读取 {self.rows_read} 行，新增 {self.inserted}，"
            f"更新 {self.updated}，未变 {self.unchanged}，被拒 {self.rejected} 行"
        )
        if self.notes:
            text += "（" + "；".join(self.notes) + "）"
        if self.skipped_rows:
            text += "；跳过 " + describe_skipped(self.skipped_rows)
        text += "。"
        if self.rejected:
            text += "被拒的行连同行号、列名和原因已保存在导入记录中。"
        if self.warnings:
            text += "数据提示：" + "；".join(self.warnings) + "。"
        return text


def describe_skipped(skipped: list[tuple[int, str]]) -> str:
    groups: dict[str, list[int]] = {}
    for row_no, why in skipped:
        groups.setdefault(why, []).append(row_no)
    parts = []
    for why, rows in groups.items():
        shown = "、".join(str(n) for n in rows[:5]) + ("…" if len(rows) > 5 else "")
        parts.append(f"{why} {len(rows)} 行（第 {shown} 行）")
    return "，".join(parts)


@dataclass
class Preview:
    """What the GUI shows before importing, so the user can correct the column mapping."""

    file_name: str
    format: str
    encoding: str | None
    sheet: str | None
    header_row: int
    headers: list[str]
    mapping: dict[str, str]  # field -> header text
    missing_required: list[str]  # fields
    missing_message: str | None
    rows: list[list[str]]
    skipped_rows: list[tuple[int, str]]
    labels: dict[str, str]  # field -> Chinese label, for the mapping editor
    required: list[str]  # fields a file must map (header_fields.required)
    # what the file's missing optional columns will mean (models.quality.missing_column_notes), shown before
    # the import: e.g. no 处置时间 column → closed cases count as disposed at their 结案时间 (inferred)
    notes: list[str] = field(default_factory=list)
