"""Running the parser child (importers.child) from the app's process: the job it gets, its progress and
chunk announcements, its staging file's meta, and a dead child turned into a refused file."""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import subprocess
import threading
from pathlib import Path

from importers import headers as hdr
from importers.launch import start_child
from importers.report import ProgressFn
from importers.sniff import Sniffed
from models.errors import ImportRefused

log = logging.getLogger(__name__)

MERGE_CHUNK = 200_000  # at most this many rows per staging chunk (the child picks about 1/8 of the file)
CHILD_CRASH_REASON = "解析进程异常退出（退出码 {code}），文件可能已损坏或是恶意构造的"


class ImportCancelled(Exception):
    """Raised internally when cancel() returns True; import_file turns it into report.cancelled."""


def job_for(
    db,
    path: Path,
    sniffed: Sniffed,
    staging: Path,
    mapping,
    preview: int | None = None,
    *,
    stream: str = "cases",
    key_field: str = "case_no",
) -> dict:
    """What the child needs to know: the file, where to stage, the stream's header aliases and the store's
    alias tables. A ledger stream (not "cases") is staged as raw cell rows keyed by `key_field`."""
    config = hdr.load_header_config(db, stream)
    return {
        "path": str(path.resolve()),
        "file_name": path.name,
        "format": sniffed.format,
        "encoding": sniffed.encoding,
        "staging": str(staging),
        "chunk": MERGE_CHUNK,
        "stream": stream,
        "key_field": key_field,
        "header_hint": None if stream == "cases" else _hint(config),
        "header_config": config.to_json(),
        "mapping": mapping,
        "unit_aliases": dict(db.execute("SELECT alias, unit FROM unit_aliases").fetchall()),
        "category_aliases": dict(db.execute("SELECT alias, name FROM category_aliases").fetchall()),
        "channels": dict(db.execute("SELECT name, source FROM channels").fetchall()),
        "preview": preview,
    }


def _hint(config: hdr.HeaderConfig) -> str:
    """Column names to suggest when no header row is found: the required ones first, three in all."""
    names = [*config.required, *(f for f in config.labels if f not in config.required)]
    return "、".join(config.labels[f] for f in names[:3])


def run_child(job: dict, folder: Path, progress: ProgressFn | None, cancel, on_chunk=None) -> dict:
    """Run importers.child on the job; return its meta. Each finished chunk of rows goes to on_chunk(index)
    while the child reads on. A dead child is a refused file; cancel kills it."""
    job_path = folder / "job.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    err_path = folder / "child.err"
    with err_path.open("wb") as err:
        proc = start_child(job_path, stdout=subprocess.PIPE, stderr=err)
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


def first_rejection(staging: Path) -> str:
    conn = sqlite3.connect(str(staging))
    try:
        row = conn.execute("SELECT row_no, column_name, reason FROM rejected ORDER BY rowid LIMIT 1").fetchone()
    finally:
        conn.close()
    return rejection_text(*row) if row else ""


def rejection_text(row_no: int, column: str | None, reason: str) -> str:
    """A rejected row as one phrase: 第 5 行「上报时间」列：无法识别的日期时间「…」."""
    return f"第 {row_no} 行「{column}」列：{reason}"
