"""Import pipeline: identify → guard → extract (child process) → merge (one transaction) → report.

CSV goes through the child too. An in-process CSV path (parse, convert and executemany straight into `cases`
in the importing thread; a TEMP table + upsert only for batches touching stored cases) was measured no faster:
demo month 3.60 vs 3.62 s (3 alternating runs), 500k rows 25.9 vs 26.9 s, with twice the app's peak memory at
500k. The child overlaps conversion with this process's merge on two cores, and binding ~48 parameters a row
through sqlite3 costs about what skipping the staging files saves; a writer thread was slower still (GIL).

Issue 2 items 4–5 and cli.md: a refused file writes nothing to `cases`; one transaction per file, so a
failure, a cancel or a kill -9 midway leaves the store exactly as before; the same bytes imported twice
write nothing; a changed case keeps its previous version in case_history.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from importers import headers as hdr
from importers.sniff import Sniffed, sniff
from models.errors import ImportRefused
from models.records import CASE_FIELDS
from models.store import transaction

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int | None, str], None]
ROOT = Path(__file__).resolve().parent.parent
MERGE_CHUNK = 200_000  # at most this many rows per staging chunk (the child picks about 1/8 of the file)
CHILD_CRASH_REASON = "解析进程异常退出（退出码 {code}），文件可能已损坏或是恶意构造的"


class ImportCancelled(Exception):
    """Raised internally when cancel() returns True; import_file turns it into report.cancelled."""


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

    def summary_text(self) -> str:
        """One Chinese paragraph per file, as the CLI prints it."""
        if self.refused or self.duplicate or self.cancelled:
            return self.message
        text = (
            f"已导入「{self.file_name}」：读取 {self.rows_read} 行，新增 {self.inserted}，更新 {self.updated}，"
            f"未变 {self.unchanged}，被拒 {self.rejected} 行"
        )
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


# ---------------------------------------------------------------- the child process


def _job(db, path: Path, sniffed: Sniffed, staging: Path, mapping, preview: int | None = None) -> dict:
    return {
        "path": str(path.resolve()),
        "file_name": path.name,
        "format": sniffed.format,
        "encoding": sniffed.encoding,
        "staging": str(staging),
        "chunk": MERGE_CHUNK,
        "header_config": hdr.load_header_config(db).to_json(),
        "mapping": mapping,
        "unit_aliases": dict(db.execute("SELECT alias, unit FROM unit_aliases").fetchall()),
        "category_aliases": dict(db.execute("SELECT alias, name FROM category_aliases").fetchall()),
        "channels": dict(db.execute("SELECT name, source FROM channels").fetchall()),
        "preview": preview,
    }


def _run_child(job: dict, folder: Path, progress: ProgressFn | None, cancel, on_chunk=None) -> dict:
    """Run importers.child on the job; return its meta. Each finished chunk of rows goes to on_chunk(index)
    while the child reads on. A dead child is a refused file; cancel kills it."""
    job_path = folder / "job.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    env = os.environ.copy()
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    err_path = folder / "child.err"
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "importers.child", str(job_path)],
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=str(ROOT),
            env=env,
            creationflags=flags,
        )
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            while True:
                try:
                    line = lines.get(timeout=0.05)
                except queue.Empty:
                    line = None
                if line is None and proc.poll() is not None and not reader.is_alive():
                    break
                if line and progress and line.startswith("P "):
                    _, done, total = line.split()
                    progress(int(done), int(total) if int(total) >= 0 else None, f"读取「{job['file_name']}」")
                elif line and on_chunk is not None and line.startswith("C "):
                    on_chunk(int(line.split()[1]))
                if cancel is not None and cancel():
                    raise ImportCancelled
        except BaseException:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            raise
        code = proc.wait()
    meta = _read_meta(Path(job["staging"]))
    if code != 0 or meta is None:
        tail = err_path.read_bytes()[-2000:].decode("utf-8", errors="replace")
        log.warning("import child for %s exited with %s: %s", job["file_name"], code, tail)
        raise ImportRefused(job["file_name"], CHILD_CRASH_REASON.format(code=code))
    if meta.get("outcome") != "ok":
        raise ImportRefused(job["file_name"], meta["reason"])
    return meta


def _pump(stream, lines: queue.Queue) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", errors="replace").strip())
    stream.close()


def _read_meta(staging: Path) -> dict | None:
    import sqlite3

    if not staging.exists():
        return None
    try:
        conn = sqlite3.connect(str(staging))
        try:
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {k: json.loads(v) for k, v in rows} or None


# ---------------------------------------------------------------- merge (one transaction)

_FIELDS = list(CASE_FIELDS)
_STORE_COLS = [*_FIELDS, "cancelled", "deadline_source", "raw", "row_no"]


def _raw_cells(raw: str) -> str:
    """SQL: a stored raw row as a JSON array of cell texts (rows imported before schema 3 hold an object)."""
    as_array = f"(SELECT json_group_array(value) FROM json_each({raw}))"
    return f"CASE WHEN json_type({raw}) = 'object' THEN {as_array} ELSE {raw} END"


def _changed(old: str, new: str) -> str:
    """SQL: the incoming row differs from the stored one (a limit-computed deadline is not a change)."""
    parts = [f"{old}.{c} IS NOT {new}.{c}" for c in _FIELDS if c != "deadline_at"]
    parts += [
        f"{old}.cancelled IS NOT {new}.cancelled",
        f"{old}.raw IS NOT {new}.raw AND {_raw_cells(f'{old}.raw')} IS NOT {new}.raw",
    ]
    same_deadline = f"{old}.deadline_at IS {new}.deadline_at"
    parts.append(f"NOT ({same_deadline} OR ({new}.deadline_at IS NULL AND {old}.deadline_source = 'limit'))")
    return "(" + " OR ".join(parts) + ")"


_COUNT_NEW = (
    "SELECT COUNT(*) FROM {chunk}.rows r WHERE 1"
    " AND NOT EXISTS (SELECT 1 FROM main.cases c WHERE c.case_no = r.case_no)"
)
# history keeps the previous row self-describing: its raw cells as {header: text} again
_RAW_OBJECT = (
    "CASE WHEN json_type(c.raw) = 'object' THEN json(c.raw) ELSE (SELECT json_group_object("
    "COALESCE(h.value, '列' || (r.key + 1)), r.value) FROM json_each(c.raw) r LEFT JOIN json_each("
    "(SELECT raw_headers FROM main.imports i WHERE i.id = c.import_id)) h ON h.key = r.key) END"
)
_OLD_JSON = (
    "json_object("
    + ", ".join(f"'{c}', c.{c}" for c in [*_FIELDS, "deadline_source", "cancelled"])
    + f", 'raw', {_RAW_OBJECT}, 'import_id', c.import_id, 'row_no', c.row_no)"
)
_HISTORY = (
    f"INSERT INTO main.case_history(case_no, replaced_at, replaced_by_import, old) SELECT c.case_no, ?, ?, {_OLD_JSON}"
    " FROM {chunk}.rows r JOIN main.cases c ON c.case_no = r.case_no"
    f" WHERE {_changed('c', 'r')}"
)
_UPSERT = (
    f"INSERT INTO main.cases({', '.join(_STORE_COLS)}, import_id) SELECT {', '.join(_STORE_COLS)}, ?"
    " FROM {chunk}.rows WHERE 1 ON CONFLICT(case_no) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in [*_STORE_COLS, "import_id"])
    + f" WHERE {_changed('cases', 'excluded')}"
)


def _now() -> str:
    return datetime.now().isoformat(" ", "seconds")


def _fill_missing_deadlines(db, import_id: int) -> list[str]:
    """Deadlines from the time-limit table for this import's cases without one (domain.md §5), in our transaction."""
    from models.workcalendar import fill_missing_deadlines

    return list(fill_missing_deadlines(db, import_id) or [])


class _Merger:
    """Merges the child's row chunks as they are announced, in one transaction opened by the first chunk
    (the store is not locked while the child is still loading the workbook), so the merge of one chunk
    overlaps with the child converting the next. Each chunk file is ATTACHed (allowed inside a transaction;
    DETACH is not, so they are detached after COMMIT or ROLLBACK)."""

    def __init__(self, db, report: ImportReport, audit: dict, staging: Path, progress, cancel):
        self.db, self.conn = db, db.conn
        self.report, self.audit, self.staging = report, audit, staging
        self.progress, self.cancel = progress, cancel
        self.import_id: int | None = None
        self.attached: list[str] = []
        self.now = _now()
        self.merged = self.inserted = self.updated = 0

    def _attach(self, name: str, path: Path) -> None:
        self.conn.execute(f"ATTACH DATABASE ? AS {name}", (str(path),))
        self.attached.append(name)

    def _begin(self) -> None:
        if self.import_id is not None:
            return
        conn, a = self.conn, self.audit
        conn.execute("BEGIN IMMEDIATE")
        self.import_id = conn.execute(
            "INSERT INTO imports(file_name, file_path, size, sha256, format, encoding, started_at, outcome)"
            " VALUES (?,?,?,?,?,?,?, 'ok')",
            (
                a["file_name"],
                a["file_path"],
                a["size"],
                a["sha256"],
                self.report.format,
                self.report.encoding,
                a["started_at"],
            ),
        ).lastrowid

    def chunk(self, index: int) -> None:
        """Merge rows-<index>.db: count the new cases, keep the old versions of changed ones, upsert."""
        if self.cancel is not None and self.cancel():
            raise ImportCancelled
        from importers.child import chunk_path

        name = f"chunk{index}"
        self._attach(name, chunk_path(self.staging, index))
        self._begin()
        conn = self.conn
        self.inserted += conn.execute(_COUNT_NEW.replace("{chunk}", name)).fetchone()[0]
        self.updated += conn.execute(_HISTORY.replace("{chunk}", name), (self.now, self.import_id)).rowcount
        conn.execute(_UPSERT.replace("{chunk}", name), (self.import_id,))
        self.merged += conn.execute(f"SELECT COUNT(*) FROM {name}.rows").fetchone()[0]
        if self.progress:
            self.progress(self.merged, None, f"写入「{self.report.file_name}」")

    def finish(self, meta: dict, mapping) -> None:
        """Rejected rows, remembered mapping, deadlines and the counts, then COMMIT."""
        self._begin()
        conn, report, import_id = self.conn, self.report, self.import_id
        self._attach("staging", self.staging)
        conn.execute(
            "INSERT INTO main.rejected_rows(import_id, row_no, column_name, reason, raw)"
            " SELECT ?, row_no, column_name, reason, raw FROM staging.rejected ORDER BY rowid",
            (import_id,),
        )
        if mapping is not None:
            hdr.save_mapping(self.db, meta.get("headers") or [], mapping)
        report.warnings = _fill_missing_deadlines(self.db, import_id)
        if self.progress:
            self.progress(self.merged, self.merged, f"写入「{report.file_name}」")
        if self.cancel is not None and self.cancel():
            raise ImportCancelled
        report.import_id = import_id
        report.rows_read = int(meta.get("rows_read") or 0)
        report.inserted, report.updated = self.inserted, self.updated
        report.unchanged = int(meta.get("staged") or 0) - self.inserted - self.updated
        report.rejected = int(meta.get("rejected") or 0)
        report.skipped_rows = [tuple(s) for s in meta.get("skipped") or []]
        report.message = report.summary_text()
        conn.execute(
            "UPDATE imports SET sheet=?, header_row=?, mapping=?, skipped_rows=?, raw_headers=?, rows_read=?,"
            " inserted=?, updated=?, unchanged=?, rejected=?, finished_at=?, message=? WHERE id=?",
            (
                meta.get("sheet"),
                meta.get("header_row"),
                json.dumps(meta.get("mapping") or {}, ensure_ascii=False),
                json.dumps(meta.get("skipped") or [], ensure_ascii=False),
                json.dumps(meta.get("raw_headers") or [], ensure_ascii=False),
                report.rows_read,
                report.inserted,
                report.updated,
                report.unchanged,
                report.rejected,
                _now(),
                report.message,
                import_id,
            ),
        )
        conn.execute("COMMIT")
        self.close()

    def close(self) -> None:
        """Roll back if still open, detach every chunk (always runs)."""
        conn = self.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        for name in self.attached:
            conn.execute(f"DETACH DATABASE {name}")
        self.attached = []


# ---------------------------------------------------------------- public API


def _hash(path: Path, file_name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(4 * 1024 * 1024):
                digest.update(chunk)
        return path.stat().st_size, digest.hexdigest()
    except FileNotFoundError as exc:
        raise ImportRefused(file_name, "文件不存在") from exc
    except OSError as exc:
        raise ImportRefused(file_name, f"无法打开文件（{exc.strerror or exc}）") from exc


def _log_refusal(db, audit: dict, report: ImportReport) -> None:
    """cli.md: the refused attempt itself is logged in imports for audit (nothing goes to cases)."""
    with transaction(db):
        report.import_id = db.conn.execute(
            "INSERT INTO imports(file_name, file_path, size, sha256, format, encoding, started_at, finished_at,"
            " outcome, message) VALUES (?,?,?,?,?,?,?,?, 'refused', ?)",
            (
                audit["file_name"],
                audit["file_path"],
                audit.get("size"),
                audit.get("sha256"),
                report.format,
                report.encoding,
                audit["started_at"],
                _now(),
                report.message,
            ),
        ).lastrowid


def import_file(
    db,
    path: Path,
    *,
    strict: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Import one platform export; never raises for a bad file (the report says refused and why)."""
    path = Path(path)
    started = time.perf_counter()
    report = ImportReport(path.name, None, False, False, False, "")
    audit = {"file_name": path.name, "file_path": str(path), "started_at": _now()}
    try:
        audit["size"], audit["sha256"] = _hash(path, path.name)
        earlier = db.execute(
            "SELECT id, COALESCE(finished_at, started_at) FROM imports WHERE sha256 = ? AND outcome = 'ok'"
            " ORDER BY id LIMIT 1",
            (audit["sha256"],),
        ).fetchone()
        if earlier is not None:
            report.duplicate = True
            report.import_id = earlier[0]
            report.message = (
                f"「{path.name}」与已导入的文件（导入记录 #{earlier[0]}，{earlier[1]}）内容完全相同，未写入任何数据。"
            )
            return report
        sniffed = sniff(path, path.name)
        report.format, report.encoding = sniffed.format, sniffed.encoding
        with tempfile.TemporaryDirectory(prefix="chengguan-import-") as folder:
            staging = Path(folder) / "staging.db"
            merger = _Merger(db, report, audit, staging, progress, cancel)
            try:
                meta = _run_child(
                    _job(db, path, sniffed, staging, mapping), Path(folder), progress, cancel, merger.chunk
                )
                report.sheet, report.header_row = meta.get("sheet"), meta.get("header_row")
                report.child_peak_kb = meta.get("peak_kb")
                if strict and meta.get("rejected"):
                    first = _first_rejection(staging)
                    raise ImportRefused(path.name, f"有 {meta['rejected']} 行被拒（--strict 模式），{first}")
                merger.finish(meta, mapping)
            finally:
                merger.close()
    except ImportRefused as exc:
        report.refused = True
        report.message = str(exc)
        _log_refusal(db, audit, report)
    except ImportCancelled:
        report.cancelled = True
        report.import_id = None
        report.message = f"已取消导入「{path.name}」，数据库未改变。"
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _first_rejection(staging: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(str(staging))
    try:
        row = conn.execute("SELECT row_no, column_name, reason FROM rejected ORDER BY rowid LIMIT 1").fetchone()
    finally:
        conn.close()
    return f"第 {row[0]} 行「{row[1]}」列：{row[2]}" if row else ""


def import_files(
    db,
    paths: list[Path],
    *,
    strict: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[ImportReport]:
    """Import several files, each in its own transaction; a cancel stops before the next file."""
    reports = []
    for path in paths:
        if cancel is not None and cancel():
            break
        report = import_file(db, Path(path), strict=strict, progress=progress, cancel=cancel)
        reports.append(report)
        if report.cancelled:
            break
    return reports


def preview_file(db, path: Path, rows: int = 20) -> Preview:
    """Header row, mapping and the first rows, for the GUI's correct-the-mapping step (raises ImportRefused)."""
    path = Path(path)
    sniffed = sniff(path, path.name)
    with tempfile.TemporaryDirectory(prefix="chengguan-preview-") as folder:
        staging = Path(folder) / "staging.db"
        meta = _run_child(_job(db, path, sniffed, staging, None, preview=rows), Path(folder), None, None)
    config = hdr.load_header_config(db)
    return Preview(
        file_name=path.name,
        format=sniffed.format,
        encoding=sniffed.encoding,
        sheet=meta.get("sheet"),
        header_row=meta["header_row"],
        headers=meta["headers"],
        mapping=meta["mapping"],
        missing_required=meta["missing_required"],
        missing_message=meta.get("missing_message"),
        rows=meta.get("preview_rows", []),
        skipped_rows=[tuple(s) for s in meta.get("skipped") or []],
        labels=config.labels,
    )
