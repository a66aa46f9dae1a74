"""`lw import`: the 两违 platform's export through the generic ledger path (domain.md §8, cli.md `lw`).

One row per case, repeated once per extension request: a request is identified by (case number, its
position among that case's rows in the file), and the case's own fields come from its last accepted row.
Rows are rejected, with their column, for an unreadable date or case number, a step that ends before it
starts, an unknown approval word, or extension columns without days. Cases and requests are never deleted:
a later export that changes one keeps the previous version (lw_case_history, lw_extension_history).
"""

from __future__ import annotations

from importers import values as val
from importers.ledger import Accepted, LedgerStream, WriteCounts
from models.errors import CellValueError
from models.lw_cases import LW_CASE_FIELDS, LW_EXTENSION_FIELDS, case_from_row, extension_from_row
from models.lw_settings import LwSettings, lw_settings_from_db
from models.lw_steps import misordered_steps
from models.lw_store import LW_CASES, LW_EXTENSIONS
from models.versioned import upsert_versioned
from models.workcalendar import WorkCalendar

DATETIME_FIELDS = tuple(name for name, kind in {**LW_CASE_FIELDS, **LW_EXTENSION_FIELDS}.items() if kind == "datetime")


class LwStream(LedgerStream):
    name = "lw"
    label = "两违案件台账"
    key_field = "case_no"

    def __init__(self, settings: LwSettings | None = None, calendar: WorkCalendar | None = None):
        self.settings = settings
        self.calendar = calendar

    def prepare(self, db) -> None:
        self.settings = self.settings or lw_settings_from_db(db)
        self.calendar = self.calendar or WorkCalendar.from_db(db)

    def convert_row(self, cells: dict[str, object], row_no: int, state: dict) -> dict:
        """A row → {"case": stored case fields, "extension": stored request fields or None}."""
        try:
            case_no = val.case_no_text(cells.get("case_no"))
        except val.ValueProblem as exc:
            raise CellValueError("case_no", str(exc)) from None
        if not case_no:
            raise CellValueError("case_no", "案件编号为空")
        positions = state.setdefault("positions", {})
        positions[case_no] = position = positions.get(case_no, 0) + 1
        fields: dict[str, object] = {"case_no": case_no}
        for name in LW_CASE_FIELDS:
            if name == "case_no":
                continue
            fields[name] = self._cell(name, cells.get(name))
        if not fields["received_at"]:
            raise CellValueError("received_at", "接收时间为空：无法确定核查环节的开始与案件所属周期")
        case = case_from_row(fields)
        wrong = misordered_steps(case, self.calendar)
        if wrong:
            raise CellValueError(*wrong[0])
        ext_cells = {name: self._cell(name, cells.get(name)) for name in LW_EXTENSION_FIELDS}
        request = extension_from_row(case_no, position, ext_cells, self.settings)
        if request is not None and request.days is None:
            filled = "、".join(w for w in (request.level, request.result) if w) or "延期审批时间"
            raise CellValueError("extension_days", f"有延期信息（{filled}）但申请延期天数为空")
        extension = None
        if request is not None:
            extension = {
                "case_no": case_no,
                "position": position,
                "days": request.days,
                "level": request.level,
                "result": request.result,
                "decided_at": ext_cells["extension_at"],
            }
        return {"case": fields, "extension": extension}

    @staticmethod
    def _cell(name: str, value: object) -> object:
        """Date-times as stored text (as the case importer reads them), other cells as trimmed text."""
        try:
            if name in DATETIME_FIELDS:
                return val.datetime_text(value if value != "" else None)
            return val.plain_text(value if value != "" else None)
        except val.ValueProblem as exc:
            raise CellValueError(name, str(exc)) from None

    def write(self, db, rows: list[Accepted], import_id: int, now: str) -> WriteCounts:
        cases: dict[str, Accepted] = {}
        for row in rows:
            cases[row.record["case"]["case_no"]] = row  # the last accepted row of a case gives its fields
        counts = WriteCounts()
        for row in cases.values():
            values = row.record["case"] | {"raw": row.raw_json, "import_id": import_id, "row_no": row.row_no}
            counts.add(upsert_versioned(db, LW_CASES, values, import_id=import_id, now=now))
        extensions = WriteCounts()
        for row in rows:
            extension = row.record["extension"]
            if extension is not None:
                values = extension | {"raw": row.raw_json, "import_id": import_id, "row_no": row.row_no}
                extensions.add(upsert_versioned(db, LW_EXTENSIONS, values, import_id=import_id, now=now))
        total = extensions.inserted + extensions.updated + extensions.unchanged
        counts.notes.append(f"案件 {len(cases)} 件")
        counts.notes.append(
            f"延期申请 {total} 条：新增 {extensions.inserted}，更新 {extensions.updated}，未变 {extensions.unchanged}"
        )
        return counts
