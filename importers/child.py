"""The parser child: read one file, write normalised rows to a staging SQLite file, exit.

Run as ``python -m importers.child JOB.json``. python-calamine aborts the whole process on some crafted
files (upstream calamine issues #693, #714) and holds a whole sheet in memory, so the app never parses a
spreadsheet in its own process: a child that dies means a refused file, and its memory is returned when it
exits. The staging file carries rows, rejected rows, skipped rows and a meta table; the parent merges it.
Progress goes to stdout as lines ``P done total``. The rows go into chunk files (``rows-N.db``, announced as
``C N rows``) so the parent merges one chunk while the child converts the next. The ledger streams (job
"stream" other than "cases") stage raw cell rows instead (importers.raw_rows) for the parent to convert.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import threading
import time
import traceback
from pathlib import Path

import apsw

from importers import headers as hdr
from importers import values as val
from importers.raw_rows import RawRowWriter
from importers.readers import open_sheets
from importers.rowcode import compile_row_converter, staging_insert_sql
from models.errors import ImportRefused
from models.records import CASE_FIELDS

FAULT_ENV = "CHENGGUAN_IMPORT_CHILD_FAULT"  # test hook: abort | exit | hang
BATCH = 5000
MAX_CHUNKS = 8  # the parent attaches each chunk file (SQLite allows 10 attached databases); the last takes the rest
CHUNK_SHRINK = 0.7
PROGRESS_EVERY = 10_000
STAGING_COLUMNS = ["row_no", *CASE_FIELDS, "cancelled", "deadline_source", "raw"]
ROWS_TABLE_SQL = f"CREATE TABLE rows (rid INTEGER PRIMARY KEY, {', '.join(STAGING_COLUMNS)})"


def _private_file(path: Path) -> apsw.Connection:
    """A staging file only this process writes and the parent reads after it is announced: no journal, no
    sync. apsw, not sqlite3: it binds values about a third faster, and the writer thread holds the GIL less
    (only this child's own files are written with it, never the store)."""
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def create_staging(path: Path) -> apsw.Connection:
    conn = _private_file(path)
    conn.execute("CREATE TABLE rejected (row_no INTEGER, column_name TEXT, reason TEXT, raw TEXT)")
    conn.execute("CREATE TABLE skipped (row_no INTEGER, why TEXT)")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    return conn


def _unique_keys(headers: list[str]) -> list[str]:
    """Raw JSON keys: the header texts, made unique ("上报时间(2)") and named for blank headers ("列5")."""
    seen: dict[str, int] = {}
    keys = []
    for i, text in enumerate(headers, start=1):
        key = text or f"列{i}"
        if key in seen:
            seen[key] += 1
            key = f"{key}({seen[key]})"
        else:
            seen[key] = 1
        keys.append(key)
    return keys


class Extractor:
    """Turns the rows below the header into staging rows; row problems become rejected rows."""

    def __init__(
        self, job: dict, conn: apsw.Connection, header_cells: list, mapping: hdr.Mapping, chunk_sizes: list[int]
    ):
        self.conn = conn
        self.batch = max(1, min(BATCH, *chunk_sizes))
        self.headers = hdr.header_texts(header_cells)
        self.width = len(self.headers)
        self.keys = _unique_keys(self.headers)
        self.case_col = mapping.columns["case_no"]
        self.time_cols = [col for name, col in mapping.columns.items() if CASE_FIELDS[name] == "datetime"]
        labels = {name: self.headers[col] or self.keys[col] for name, col in mapping.columns.items()}
        self.case_header = labels["case_no"]
        self.convert = compile_row_converter(
            mapping.columns,
            labels,
            self.width,
            text_only=job["format"] in ("csv", "html"),
            unit_aliases=job["unit_aliases"],
            category_aliases=job["category_aliases"],
            channels=job["channels"],
        )
        self.insert_sql = staging_insert_sql()
        self.writer = _Writer(conn, Path(job["staging"]), chunk_sizes)
        self.rows: list[list] = []
        self.rejected: list[tuple] = []
        self.skipped: list[tuple[int, str]] = []
        self.seen: dict[str, int] = {}
        self.written = 0
        self.rejected_rows = 0

    def _raw_json(self, cells: list) -> str:
        raw = [c if type(c) is str else val.raw_text(c) for c in cells[: self.width]]
        raw += [""] * (self.width - len(raw))
        return json.dumps(dict(zip(self.keys, raw, strict=True)), ensure_ascii=False)

    def add(self, row_no: int, cells: list) -> None:
        if not any(cells):
            self.skipped.append((row_no, "空行"))
            return
        # a case number (ASCII, in the first column) is the row's first cell: no totals or note line then
        case_cell = cells[self.case_col] if self.case_col < len(cells) else None
        if self.case_col or type(case_cell) is not str or not case_cell or not case_cell.isascii():
            why = hdr.totals_or_note_row(cells, self.time_cols)
            if why is not None:
                self.skipped.append((row_no, why))
                return
        out, problems = self.convert(cells, row_no)
        case_no = out[1]
        if not case_no:
            if not any(h == self.case_header for h, _ in problems):
                problems.insert(0, (self.case_header, "案件编号为空"))
        elif not problems:
            first = self.seen.setdefault(case_no, row_no)
            if first != row_no:
                problems.append((self.case_header, f"案件编号「{case_no}」与第 {first} 行重复"))
        if problems:
            raw = self._raw_json(cells)
            self.rejected.extend((row_no, header, reason, raw) for header, reason in problems)
            self.rejected_rows += 1
            return
        self.rows.append(out)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.put(self.insert_sql, self.rows, is_rows=True)
            self.written += len(self.rows)
            self.rows = []
        if self.rejected:
            self.writer.put("INSERT INTO rejected VALUES (?,?,?,?)", self.rejected)
            self.rejected = []


def chunk_path(staging: Path, index: int) -> Path:
    return staging.with_name(f"rows-{index}.db")


def _say(line: str) -> None:
    """One stdout line, written whole (the writer thread and the reading thread both report)."""
    with _SAY_LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


_SAY_LOCK = threading.Lock()


class _Writer(threading.Thread):
    """Writes staging batches on a second thread: apsw releases the GIL while SQLite works, so the
    inserts overlap with converting the next batch (two cores: about a third off the child's time).
    Rows go to chunk files of `chunk_sizes` rows (the last takes the rest); each finished chunk is announced
    to the parent."""

    def __init__(self, conn: apsw.Connection, staging: Path, chunk_sizes: list[int]):
        super().__init__(daemon=True)
        self.conn = conn
        self.staging = staging
        self.chunk_sizes = chunk_sizes
        self.index = 0
        self.chunk: apsw.Connection | None = None
        self.in_chunk = 0
        self.batches: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None

    def put(self, sql: str, rows: list, is_rows: bool = False) -> None:
        if self.error is not None:
            raise self.error
        self.batches.put((sql, rows, is_rows))

    def _open_chunk(self) -> apsw.Connection:
        self.index += 1
        conn = _private_file(chunk_path(self.staging, self.index))
        conn.execute(ROWS_TABLE_SQL)
        conn.execute("BEGIN")
        self.in_chunk = 0
        return conn

    def _close_chunk(self) -> None:
        if self.chunk is not None:
            self.chunk.execute("COMMIT")
            self.chunk.close()
            self.chunk = None
            _say(f"C {self.index} {self.in_chunk}")

    def run(self) -> None:
        while (item := self.batches.get()) is not None:
            if self.error is not None:
                continue
            sql, rows, is_rows = item
            try:
                if not is_rows:
                    self.conn.executemany(sql, rows)
                    continue
                if self.chunk is None:
                    self.chunk = self._open_chunk()
                self.chunk.executemany(sql, rows)
                self.in_chunk += len(rows)
                if self.index < MAX_CHUNKS and self.in_chunk >= self.chunk_sizes[self.index - 1]:
                    self._close_chunk()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the reading thread
                self.error = exc
        if self.error is None:
            try:
                self._close_chunk()  # the last chunk (the connection belongs to this thread)
            except BaseException as exc:  # noqa: BLE001
                self.error = exc

    def close(self) -> None:
        if self.is_alive():
            self.batches.put(None)
            self.join()
        if self.error is not None:
            raise self.error


def _progress(done: int, total: int | None) -> None:
    _say(f"P {done} {total if total is not None else -1}")


def _peak_kb() -> int | None:
    """This process's peak resident memory. Linux: VmHWM (ru_maxrss would include the parent's peak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _chunk_sizes(job: dict, path: Path, total: int | None) -> list[int]:
    """Rows per chunk, each CHUNK_SHRINK times the one before, at most job["chunk"]: the parent merges a
    chunk in about a third of the time the child takes to read the next, so shrinking chunks keep pace and
    leave the smallest for after the child is done (the import's tail). A CSV's row count is estimated from
    its size and a sample's line length, a quarter high: a low estimate would leave a big last chunk."""
    limit = int(job.get("chunk") or 50_000)
    if total is None:
        size = path.stat().st_size
        with path.open("rb") as fh:
            sample = fh.read(256 * 1024)
        total = size * max(1, sample.count(b"\n")) * 5 // (4 * max(1, len(sample)))
    weights = [CHUNK_SHRINK**i for i in range(MAX_CHUNKS)]
    return [max(1, min(limit, max(2000, int(total * w / sum(weights)) + 1))) for w in weights]


def extract(job: dict, conn: apsw.Connection) -> dict:
    """Read the file, find the header, write rows; return the meta dict (raises ImportRefused)."""
    path, file_name = Path(job["path"]), job["file_name"]
    config = hdr.HeaderConfig.from_json(job["header_config"])
    if job.get("mapping"):
        config.remembered["(user)"] = job["mapping"]  # lets the header search recognise the user's names
    preview = job.get("preview")
    meta: dict = {"format": job["format"], "encoding": job.get("encoding")}
    saw_data = False
    for sheet in open_sheets(path, job["format"], job.get("encoding"), file_name):
        head: list[tuple[int, list]] = []
        for row_no, cells in sheet.rows:
            head.append((row_no, cells))
            if len(head) >= hdr.HEADER_SCAN_ROWS:
                break
        if any(any(cells) for _, cells in head):
            saw_data = True
        index = hdr.find_header_row([cells for _, cells in head], config)
        if index is None:
            continue
        header_no, header_cells = head[index]
        headers = hdr.header_texts(header_cells)
        mapping = hdr.map_headers(headers, config, job.get("mapping"))
        meta.update(
            sheet=sheet.name,
            header_row=header_no,
            headers=headers,
            mapping=mapping.headers,
            missing_required=mapping.missing_required,
            missing_message=mapping.missing_message,
            signature=hdr.signature(headers),
            raw_headers=_unique_keys(headers),
            columns=mapping.columns,
        )
        skipped = [(n, "标题行" if any(c) else "空行") for n, c in head[:index]]
        if preview is not None:
            rows = [cells for _, cells in head[index + 1 :]]
            for _, cells in sheet.rows:
                if len(rows) >= preview:
                    break
                rows.append(cells)
            meta["preview_rows"] = [[val.raw_text(c) for c in cells] for cells in rows[:preview]]
            meta["skipped"] = skipped
            return meta
        if mapping.missing_message:
            raise ImportRefused(file_name, mapping.missing_message)
        staging_writer = Extractor if job.get("stream", "cases") == "cases" else RawRowWriter
        extractor = staging_writer(job, conn, header_cells, mapping, _chunk_sizes(job, path, sheet.total))
        extractor.skipped.extend(skipped)
        total = sheet.total
        done = 0
        conn.execute("BEGIN")
        extractor.writer.start()
        try:
            for row_no, cells in head[index + 1 :]:
                extractor.add(row_no, cells)
                done += 1
            for row_no, cells in sheet.rows:
                extractor.add(row_no, cells)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    _progress(done, total)
            extractor.flush()
        finally:
            extractor.writer.close()
        conn.executemany("INSERT INTO skipped VALUES (?,?)", extractor.skipped)
        conn.execute("COMMIT")
        if extractor.written + extractor.rejected_rows == 0:
            where = f"工作表「{sheet.name}」" if sheet.name else "文件"
            raise ImportRefused(file_name, f"{where}只有表头，没有数据行")
        meta.update(
            rows_read=extractor.written + extractor.rejected_rows,
            staged=extractor.written,
            rejected=extractor.rejected_rows,
            skipped=extractor.skipped,
        )
        _progress(done, total)
        return meta
    if not saw_data:
        raise ImportRefused(file_name, "文件中没有数据（工作表为空）")
    hint = job.get("header_hint") or "案件编号、处置单位、上报时间"
    raise ImportRefused(file_name, f"找不到表头行（前 30 行中没有可识别的列名，如 {hint}）")


def run(job: dict) -> int:
    """Extract into the staging file and record the outcome in its meta table; the exit code is 0 then."""
    started = time.perf_counter()
    conn = create_staging(Path(job["staging"]))
    try:
        meta = extract(job, conn)
        meta["outcome"] = "ok"
    except ImportRefused as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        meta = {"outcome": "refused", "reason": exc.reason, "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a reader crash on a corrupt file is a refused file, not a dead app
        traceback.print_exc()
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        reason = f"读取文件时出错（{type(exc).__name__}: {text}）"
        meta = {"outcome": "refused", "reason": reason, "message": f"拒收文件「{job['file_name']}」：{reason}"}
    meta["seconds"] = round(time.perf_counter() - started, 3)
    meta["peak_kb"] = _peak_kb()
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()]
    )
    conn.close()
    return 0


def _fault_hook() -> None:
    fault = os.environ.get(FAULT_ENV)
    if fault == "abort":
        os.abort()
    elif fault == "exit":
        os._exit(3)
    elif fault == "hang":
        time.sleep(3600)


def _limit_memory(path: Path) -> None:
    """POSIX: cap the child's address space so a crafted file that makes the parser allocate wildly fails
    fast (a refused file) instead of pushing the desktop into swap. python-calamine needs about 16× the
    xlsx size (tests/bench/NOTES.md); the cap leaves generous room above that."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the child still isolates a crash
        return
    size = path.stat().st_size if path.exists() else 0
    limit = max(4 * 1024**3, 64 * size)
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    _fault_hook()
    _limit_memory(Path(job["path"]))
    return run(job)


if __name__ == "__main__":
    sys.exit(main())
