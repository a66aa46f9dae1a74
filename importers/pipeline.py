"""Import pipeline: identify → guard → extract (child process) → merge (one transaction) → report.

cli.md: a refused file writes nothing to `cases`; one transaction per file, so a failure, a cancel or a
kill -9 midway leaves the store exactly as before; the same bytes imported twice write nothing; a changed
case keeps its previous version in case_history. CSV goes through the child too: reading it in this process
was no faster and took twice the memory (tests/bench/NOTES.md).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from importers import headers as hdr
from importers.audit import log_attempt, now_text
from importers.child_runner import ImportCancelled, first_rejection, job_for, run_child
from importers.ledger import LedgerStream, import_ledger
from importers.merge import Merger
from importers.report import ImportReport, Preview, ProgressFn
from importers.sniff import sniff
from models.errors import ImportRefused
from models.quality import missing_column_notes
from models.store import CASES, no_autocheckpoint


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


def import_file(
    db,
    path: Path,
    *,
    strict: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    mapping: dict[str, str] | None = None,
    stream: LedgerStream | None = None,
) -> ImportReport:
    """Import one file — a platform case export, or the ledger of `stream` — and never raise for a bad file
    (the report says refused and why)."""
    path = Path(path)
    started = time.perf_counter()
    report = ImportReport(path.name, None, False, False, False, "")
    if stream is not None:
        report.stream, report.label = stream.name, stream.label
    params = stream.params() if stream is not None else None
    audit = {
        "file_name": path.name,
        "file_path": str(path),
        "started_at": now_text(),
        "params": json.dumps(params, ensure_ascii=False) if params else None,
    }
    try:
        audit["size"], audit["sha256"] = _hash(path, path.name)
        earlier = db.execute(
            "SELECT id, COALESCE(finished_at, started_at) FROM imports WHERE sha256 = ? AND outcome = 'ok'"
            " AND stream = ? AND params IS ? ORDER BY id LIMIT 1",
            (audit["sha256"], report.stream, audit["params"]),
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
        with (
            tempfile.TemporaryDirectory(prefix="chengguan-import-", ignore_cleanup_errors=True) as folder,
            no_autocheckpoint(db),
        ):
            staging = Path(folder) / "staging.db"
            if stream is not None:
                job = job_for(db, path, sniffed, staging, mapping, stream=stream.name, key_field=stream.key_field)
                meta = run_child(job, Path(folder), progress, cancel)
                report.sheet, report.header_row = meta.get("sheet"), meta.get("header_row")
                report.child_peak_kb = meta.get("peak_kb")
                import_ledger(
                    db, stream, report, audit, staging, meta, strict=strict, mapping=mapping, progress=progress,
                    cancel=cancel,
                )  # fmt: skip
            else:
                _import_cases(db, path, report, audit, staging, sniffed, strict, progress, cancel, mapping)
    except ImportRefused as exc:
        report.refused = True
        report.message = str(exc)
        report.import_id = log_attempt(db, audit, report, "refused")
    except ImportCancelled:
        # the file's writes are rolled back; the history still shows the abandoned attempt (已取消)
        report.cancelled = True
        report.message = f"已取消导入「{path.name}」，数据库未改变。"
        report.import_id = log_attempt(db, audit, report, "cancelled")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _import_cases(db, path, report, audit, staging, sniffed, strict, progress, cancel, mapping) -> None:
    """The city-case fast path: the child converts and stages chunks that the parent merges as they come."""
    merger = Merger(db, report, audit, staging, progress, cancel)
    try:
        meta = run_child(job_for(db, path, sniffed, staging, mapping), staging.parent, progress, cancel, merger.chunk)
        report.sheet, report.header_row = meta.get("sheet"), meta.get("header_row")
        report.child_peak_kb = meta.get("peak_kb")
        if strict and meta.get("rejected"):
            first = first_rejection(staging)
            raise ImportRefused(path.name, f"有 {meta['rejected']} 行被拒（--strict 模式），{first}")
        merger.finish(meta, mapping)
    finally:
        merger.close()


def import_files(
    db,
    paths: list[Path],
    *,
    strict: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    mappings: dict[Path, dict[str, str]] | None = None,
    numbered_progress: bool = False,
    stream: LedgerStream | None = None,
) -> list[ImportReport]:
    """Import several files, each in its own transaction; a cancel stops after the file it interrupted.

    `mappings` holds the user's corrected column mapping of some files (field -> header text);
    `numbered_progress` starts each progress message with "[n/N] file name" (the GUI's queue of files)."""
    reports = []
    for number, path in enumerate(map(Path, paths), start=1):
        file_progress = progress
        if progress is not None and numbered_progress:
            file_progress = _prefixed(progress, f"[{number}/{len(paths)}] {path.name}")
        mapping = (mappings or {}).get(path)
        report = import_file(
            db, path, strict=strict, progress=file_progress, cancel=cancel, mapping=mapping, stream=stream
        )
        reports.append(report)
        if report.cancelled or (cancel is not None and cancel()):
            break
    if any(r.inserted or r.updated for r in reports):
        # fold the write-ahead log back into the file: later reads (the GUI's read-only pages) stay short
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return reports


def _prefixed(progress: ProgressFn, prefix: str) -> ProgressFn:
    def file_progress(done: int, total: int | None = None, message: str = "") -> None:
        progress(done, total, f"{prefix} {message}".strip())

    return file_progress


def preview_file(db, path: Path, rows: int = 20, stream: LedgerStream | None = None) -> Preview:
    """Header row, mapping and the first rows, for the GUI's correct-the-mapping step (raises ImportRefused)."""
    path = Path(path)
    sniffed = sniff(path, path.name)
    name = stream.name if stream is not None else CASES
    key_field = stream.key_field if stream is not None else "case_no"
    with tempfile.TemporaryDirectory(prefix="chengguan-preview-", ignore_cleanup_errors=True) as folder:
        staging = Path(folder) / "staging.db"
        job = job_for(db, path, sniffed, staging, None, preview=rows, stream=name, key_field=key_field)
        meta = run_child(job, Path(folder), None, None)
    config = hdr.load_header_config(db, name)
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
        required=config.required,
        notes=missing_column_notes(meta["mapping"]),
    )
