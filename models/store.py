"""The case store: one SQLite file, a versioned schema, and explicit transactions.

Every module reads and writes through :func:`open_db`; the GUI and the CLI find the same file through
:func:`default_db_path`. Date-times are stored as text ``YYYY-MM-DD HH:MM:SS`` (sortable, compared
directly in SQL, no conversion cost at query time).
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote

import sqlite_utils

from models.bundled import resources_root

APP_NAME = "chengguan-console"
BUSY_TIMEOUT_MS = 10_000
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default; 0 while an import writes (see no_autocheckpoint)
IDLE_SECONDS = 2.0  # how long the database thread waits before it checkpoints the WAL
RESOURCES = resources_root()

# The supervision streams the store holds (architecture.md "several streams, one machinery"): the name in
# imports.stream and the header tables -> the resource file whose [fields] seed that stream's header aliases.
CASES = "cases"
HEADER_RESOURCES = {
    CASES: "header_aliases.toml",
    "lw": "lw_header_aliases.toml",
    "petitions": "petitions.toml",
    "rectify": "rectify.toml",
}

# Each migration runs in one transaction and bumps PRAGMA user_version by one.
MIGRATIONS: list[str] = [
    # 1: the case store, import audit, reference tables
    """
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_path TEXT,
        size INTEGER,
        sha256 TEXT,
        format TEXT,
        encoding TEXT,
        sheet TEXT,
        header_row INTEGER,
        mapping TEXT,              -- JSON: canonical field -> header text
        rows_read INTEGER NOT NULL DEFAULT 0,
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        skipped_rows TEXT,         -- JSON: title/totals rows skipped, with their row numbers
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL,     -- ok | refused | duplicate | cancelled
        message TEXT
    );
    CREATE INDEX idx_imports_sha ON imports(sha256);

    CREATE TABLE cases (
        case_no TEXT PRIMARY KEY,
        source TEXT,
        channel TEXT,
        kind TEXT,                 -- 部件 | 事件
        major_code TEXT,
        major TEXT,
        minor_code TEXT,
        minor TEXT,
        detail TEXT,
        description TEXT,
        district TEXT,
        street TEXT,
        community TEXT,
        grid TEXT,
        address TEXT,
        unit TEXT,
        reported_at TEXT,
        filed_at TEXT,
        dispatched_at TEXT,
        deadline_at TEXT,          -- from the export, or computed (deadline_source = 'limit')
        deadline_source TEXT,      -- export | limit | NULL (no deadline known)
        disposed_at TEXT,
        closed_at TEXT,
        stage TEXT,
        cancelled INTEGER NOT NULL DEFAULT 0,
        rework_count INTEGER NOT NULL DEFAULT 0,
        raw TEXT NOT NULL,         -- JSON object: original header -> original cell text
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL    -- 1-based row number in the source sheet
    ) WITHOUT ROWID;
    CREATE INDEX idx_cases_reported ON cases(reported_at, cancelled, source, channel);
    CREATE INDEX idx_cases_filed ON cases(filed_at, cancelled, unit, kind, minor);
    CREATE INDEX idx_cases_unit_filed ON cases(unit, filed_at);

    CREATE TABLE case_history (
        id INTEGER PRIMARY KEY,
        case_no TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL          -- JSON: the whole previous row
    );
    CREATE INDEX idx_case_history_case ON case_history(case_no);

    CREATE TABLE rejected_rows (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL,
        column_name TEXT,
        reason TEXT NOT NULL,
        raw TEXT
    );
    CREATE INDEX idx_rejected_import ON rejected_rows(import_id);

    CREATE TABLE unit_categories (
        code TEXT PRIMARY KEY,
        description TEXT,
        sort_order INTEGER NOT NULL
    );
    CREATE TABLE units (
        name TEXT PRIMARY KEY,
        category TEXT,
        parent TEXT,
        district TEXT,
        evaluation_scope TEXT,     -- e.g. 含下属单位的绩效评价: scored over its subtree
        sort_order INTEGER NOT NULL
    );
    CREATE TABLE unit_aliases (
        alias TEXT PRIMARY KEY,
        unit TEXT NOT NULL
    );
    CREATE TABLE channels (
        name TEXT PRIMARY KEY,
        source TEXT NOT NULL
    );
    CREATE TABLE category_aliases (
        alias TEXT PRIMARY KEY,
        name TEXT NOT NULL
    );
    CREATE TABLE header_aliases (
        field TEXT NOT NULL,
        alias TEXT NOT NULL,
        priority INTEGER NOT NULL,
        PRIMARY KEY (field, alias)
    );
    CREATE TABLE header_fields (
        field TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        required INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE header_mappings (
        signature TEXT PRIMARY KEY, -- the header row's texts, JSON
        mapping TEXT NOT NULL,      -- JSON: canonical field -> header text, as the user corrected it
        saved_at TEXT NOT NULL
    );
    CREATE TABLE time_limits (
        kind TEXT NOT NULL,         -- 部件 | 事件 | * (any)
        minor TEXT NOT NULL,        -- 小类 name, or * for the kind's default
        amount TEXT NOT NULL,       -- Decimal as text
        unit TEXT NOT NULL,         -- 工作日 | 工作时 | 自然小时
        PRIMARY KEY (kind, minor)
    );
    CREATE TABLE holiday_overrides (
        day TEXT PRIMARY KEY,       -- YYYY-MM-DD
        is_workday INTEGER NOT NULL,
        note TEXT
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL          -- JSON
    );
    CREATE TABLE adjustments (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL,
        period TEXT NOT NULL,        -- YYYY-MM
        points TEXT NOT NULL,        -- Decimal as text, negative = deduction
        reason TEXT NOT NULL,
        rule_ref TEXT,
        cases TEXT NOT NULL DEFAULT '[]', -- JSON list of case numbers
        entered_at TEXT NOT NULL,
        reverses_id INTEGER REFERENCES adjustments(id)
    );
    CREATE INDEX idx_adjustments_period ON adjustments(period, unit);
    CREATE TABLE score_results (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        rule_set_name TEXT NOT NULL,
        rule_set_version TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        result TEXT NOT NULL         -- JSON: the scores --json document
    );
    CREATE INDEX idx_score_results_period ON score_results(period, rule_set_name);
    """,
    # 2: covering partial indexes so a period's indicators (models.indicators) read only index
    # pages: the filed cases' flags by 立案时间, and 受理 per (channel, source) by 上报时间.
    """
    CREATE INDEX idx_cases_filed_stats ON cases(
        filed_at, unit, kind, minor, district, street, dispatched_at, deadline_at, disposed_at, closed_at,
        rework_count, stage, cancelled
    ) WHERE filed_at IS NOT NULL AND cancelled = 0;
    CREATE INDEX idx_cases_accepted ON cases(channel, source, reported_at, cancelled) WHERE cancelled = 0;
    """,
    # 3: `cases` becomes a rowid table (case_no keeps its unique key): faster to fill and smaller than
    # WITHOUT ROWID with these wide rows (tests/bench/NOTES.md). idx_cases_filed is
    # dropped: every query it served reads idx_cases_filed_stats (same leading filed_at, covering). New imports
    # store the raw row compactly as a JSON array of cell texts with the header list once per import
    # (imports.raw_headers); earlier rows keep their JSON object. Read both through models.records.raw_row.
    """
    CREATE TABLE cases_v3 (
        case_no TEXT NOT NULL PRIMARY KEY,
        source TEXT,
        channel TEXT,
        kind TEXT,
        major_code TEXT,
        major TEXT,
        minor_code TEXT,
        minor TEXT,
        detail TEXT,
        description TEXT,
        district TEXT,
        street TEXT,
        community TEXT,
        grid TEXT,
        address TEXT,
        unit TEXT,
        reported_at TEXT,
        filed_at TEXT,
        dispatched_at TEXT,
        deadline_at TEXT,
        deadline_source TEXT,
        disposed_at TEXT,
        closed_at TEXT,
        stage TEXT,
        cancelled INTEGER NOT NULL DEFAULT 0,
        rework_count INTEGER NOT NULL DEFAULT 0,
        raw TEXT NOT NULL,         -- JSON array of cell texts (headers in imports.raw_headers), or a JSON object
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL
    );
    INSERT INTO cases_v3 SELECT case_no, source, channel, kind, major_code, major, minor_code, minor, detail,
        description, district, street, community, grid, address, unit, reported_at, filed_at, dispatched_at,
        deadline_at, deadline_source, disposed_at, closed_at, stage, cancelled, rework_count, raw, import_id, row_no
        FROM cases ORDER BY case_no;
    DROP TABLE cases;
    ALTER TABLE cases_v3 RENAME TO cases;
    CREATE INDEX idx_cases_reported ON cases(reported_at, cancelled, source, channel);
    CREATE INDEX idx_cases_unit_filed ON cases(unit, filed_at);
    CREATE INDEX idx_cases_filed_stats ON cases(
        filed_at, unit, kind, minor, district, street, dispatched_at, deadline_at, disposed_at, closed_at,
        rework_count, stage, cancelled
    ) WHERE filed_at IS NOT NULL AND cancelled = 0;
    CREATE INDEX idx_cases_accepted ON cases(channel, source, reported_at, cancelled) WHERE cancelled = 0;
    ALTER TABLE imports ADD COLUMN raw_headers TEXT;  -- JSON list: the keys of this import's raw rows
    """,
    # 4: the other supervision streams (domain.md §8–10) beside the city cases: 两违 cases and their extension
    # requests, 督察信访 batches and pieces (types and regions many-to-many), 创城回头看 rows. Like `cases`,
    # nothing is ever deleted: a row a later import changes keeps its previous version in its *_history
    # table. `imports.stream` says which stream an import was (params: its arguments, e.g. the batch); the
    # header alias tables and remembered mappings gain a stream column, so each stream's columns are edited
    # like the case columns.
    """
    ALTER TABLE imports ADD COLUMN stream TEXT NOT NULL DEFAULT 'cases';  -- cases | lw | petitions | rectify
    ALTER TABLE imports ADD COLUMN params TEXT;                           -- JSON: the stream's import arguments

    CREATE TABLE header_fields_v4 (
        stream TEXT NOT NULL DEFAULT 'cases',
        field TEXT NOT NULL,
        label TEXT NOT NULL,
        required INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (stream, field)
    );
    INSERT INTO header_fields_v4(stream, field, label, required)
        SELECT 'cases', field, label, required FROM header_fields ORDER BY rowid;
    DROP TABLE header_fields;
    ALTER TABLE header_fields_v4 RENAME TO header_fields;
    CREATE TABLE header_aliases_v4 (
        stream TEXT NOT NULL DEFAULT 'cases',
        field TEXT NOT NULL,
        alias TEXT NOT NULL,
        priority INTEGER NOT NULL,
        PRIMARY KEY (stream, field, alias)
    );
    INSERT INTO header_aliases_v4(stream, field, alias, priority)
        SELECT 'cases', field, alias, priority FROM header_aliases;
    DROP TABLE header_aliases;
    ALTER TABLE header_aliases_v4 RENAME TO header_aliases;
    CREATE TABLE header_mappings_v4 (
        stream TEXT NOT NULL DEFAULT 'cases',
        signature TEXT NOT NULL,
        mapping TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (stream, signature)
    );
    INSERT INTO header_mappings_v4(stream, signature, mapping, saved_at)
        SELECT 'cases', signature, mapping, saved_at FROM header_mappings;
    DROP TABLE header_mappings;
    ALTER TABLE header_mappings_v4 RENAME TO header_mappings;

    CREATE TABLE lw_cases (
        case_no TEXT PRIMARY KEY,
        county TEXT,
        town TEXT,
        department TEXT,
        violation_type TEXT,
        source TEXT,
        received_at TEXT,          -- 接收时间: starts 核查, puts the case in its period
        verifier TEXT,
        verified_at TEXT,
        dispatched_at TEXT,
        disposer TEXT,
        disposed_at TEXT,
        close_applied_at TEXT,
        supervisor TEXT,
        closed_at TEXT,
        current_step TEXT,
        raw TEXT NOT NULL,         -- JSON object: header -> cell text of the case's last row in its export
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL
    );
    CREATE INDEX idx_lw_cases_received ON lw_cases(received_at);
    CREATE TABLE lw_extensions (
        case_no TEXT NOT NULL REFERENCES lw_cases(case_no),
        position INTEGER NOT NULL, -- the request's row among its case's rows in the export (1-based)
        days INTEGER,              -- natural days asked for
        level TEXT,                -- 县级 | 市级 | NULL
        result TEXT,               -- 同意 | 不同意 | NULL (pending)
        decided_at TEXT,           -- 延期审批时间, when the export gives it
        raw TEXT NOT NULL,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL,
        PRIMARY KEY (case_no, position)
    );
    CREATE TABLE lw_case_history (
        id INTEGER PRIMARY KEY,
        case_no TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL          -- JSON: the whole previous row
    );
    CREATE INDEX idx_lw_case_history ON lw_case_history(case_no);
    CREATE TABLE lw_extension_history (
        id INTEGER PRIMARY KEY,
        case_no TEXT NOT NULL,
        position INTEGER NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL
    );
    CREATE INDEX idx_lw_extension_history ON lw_extension_history(case_no, position);

    CREATE TABLE petition_batches (
        batch INTEGER PRIMARY KEY, -- 第八批 = 8
        handed_over TEXT NOT NULL, -- YYYY-MM-DD
        body TEXT NOT NULL,        -- who handed it over (省生态环境保护督察组)
        import_id INTEGER NOT NULL REFERENCES imports(id)
    );
    CREATE TABLE petition_batch_history (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL
    );
    CREATE TABLE petition_pieces (
        batch INTEGER NOT NULL REFERENCES petition_batches(batch),
        piece_no TEXT NOT NULL,
        duplicate INTEGER NOT NULL DEFAULT 0,  -- 是否重复: kept, not counted
        unit TEXT,                 -- 转办单位
        deadline TEXT,             -- 办理时限 as a date (YYYY-MM-DD)
        deadline_days INTEGER,     -- when the ledger gave 办理时限 as a number of natural days
        closed_on TEXT,            -- 办结时间 (YYYY-MM-DD)
        result TEXT,
        content TEXT,
        raw TEXT NOT NULL,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL,
        PRIMARY KEY (batch, piece_no)
    );
    CREATE TABLE petition_piece_types (
        batch INTEGER NOT NULL,
        piece_no TEXT NOT NULL,
        type TEXT NOT NULL,        -- the short type name (水, 大气, …)
        PRIMARY KEY (batch, piece_no, type),
        FOREIGN KEY (batch, piece_no) REFERENCES petition_pieces(batch, piece_no)
    );
    CREATE TABLE petition_piece_regions (
        batch INTEGER NOT NULL,
        piece_no TEXT NOT NULL,
        region TEXT NOT NULL,      -- the canonical region name
        PRIMARY KEY (batch, piece_no, region),
        FOREIGN KEY (batch, piece_no) REFERENCES petition_pieces(batch, piece_no)
    );
    CREATE TABLE petition_piece_history (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL,
        piece_no TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL          -- JSON: the previous piece with its types and regions
    );
    CREATE INDEX idx_petition_piece_history ON petition_piece_history(batch, piece_no);

    CREATE TABLE rectify_rows (
        problem_no TEXT NOT NULL,
        checked_on TEXT NOT NULL DEFAULT '',  -- 回头看日期 (YYYY-MM-DD); '' for a problem not yet re-checked
        inspected_on TEXT,
        site TEXT,
        district TEXT,
        category TEXT,
        description TEXT,
        unit TEXT,
        due_on TEXT,               -- 整改时限; NULL: never due
        result TEXT,               -- 已整改 | 未整改 | 反弹 | NULL (no round)
        raw TEXT NOT NULL,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row_no INTEGER NOT NULL,
        PRIMARY KEY (problem_no, checked_on)
    );
    CREATE TABLE rectify_row_history (
        id INTEGER PRIMARY KEY,
        problem_no TEXT NOT NULL,
        checked_on TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by_import INTEGER NOT NULL REFERENCES imports(id),
        old TEXT NOT NULL
    );
    CREATE INDEX idx_rectify_row_history ON rectify_row_history(problem_no, checked_on);
    """,
    # 5: domain.md §4 "Missing facts": a closed case without 处置时间 was disposed at its 结案时间. The time
    # is stored in disposed_at (every figure reads it as it stands) and marked disposed_source = 'inferred'
    # (NULL: as the export gave it), so a drill-down and the case record can say so. Rows already stored
    # are inferred here once; models.quality.infer_disposed does it for each import. The partial indexes
    # stay near-empty on complete exports: one finds an import's cases still to infer, the others count a
    # period's inferred 处置时间 and limit-computed deadlines (models.quality's warnings).
    """
    ALTER TABLE cases ADD COLUMN disposed_source TEXT;
    UPDATE cases SET disposed_at = closed_at, disposed_source = 'inferred'
        WHERE disposed_at IS NULL AND closed_at IS NOT NULL;
    CREATE INDEX idx_cases_to_infer ON cases(import_id) WHERE disposed_at IS NULL AND closed_at IS NOT NULL;
    CREATE INDEX idx_cases_inferred ON cases(filed_at, import_id) WHERE disposed_source = 'inferred';
    CREATE INDEX idx_cases_deadline_limit ON cases(filed_at) WHERE deadline_source = 'limit';
    """,
    # 6: 回退次数 (a unit returned the dispatch) was an alias of 返工次数 (a failed disposal sent back): it is
    # its own field now, with 回退单位 when an export has one. Both are re-derived in place from the stored raw
    # rows (re-importing the same file is refused by its sha256): an import that read 回退次数 as 返工次数
    # gets that count back as returned_count. The covering statistics index takes returned_count.
    """
    ALTER TABLE cases ADD COLUMN returned_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cases ADD COLUMN returned_unit TEXT;
    CREATE TEMP TABLE m6_headers (field TEXT, header TEXT, priority INTEGER);
    INSERT INTO m6_headers VALUES ('returned_count', '回退次数', 0), ('returned_count', '退回次数', 1),
        ('returned_unit', '回退单位', 0), ('returned_unit', '退回单位', 1), ('returned_unit', '回退部门', 2),
        ('rework_count', '返工次数', 0);
    CREATE TEMP TABLE m6_imports AS
        SELECT i.id, i.raw_headers,
            replace(trim(json_extract(i.mapping, '$.rework_count'), '*:：'), ' ', '') IN (
                SELECT header FROM m6_headers WHERE field = 'returned_count') AS was_alias
        FROM imports i
        WHERE i.stream = 'cases' AND i.outcome = 'ok' AND (i.raw_headers IS NULL OR EXISTS (
            SELECT 1 FROM json_each(i.raw_headers) x JOIN m6_headers n
            ON n.header = replace(trim(x.value, '*:：'), ' ', '') WHERE n.field <> 'rework_count'));
    CREATE TEMP TABLE m6_cells AS
        SELECT c.rowid AS id, n.field AS field, e.value AS value, i.was_alias
        FROM m6_imports i CROSS JOIN cases c ON c.import_id = i.id, json_each(c.raw) e
        LEFT JOIN json_each(i.raw_headers) h ON h.key = e.key
        JOIN m6_headers n ON n.header = replace(trim(COALESCE(h.value, e.key), '*:：'), ' ', '');
    CREATE TEMP TABLE m6_cases AS
        SELECT c.id, max(c.was_alias) AS was_alias,
            max(0, CAST(trim(replace(max(CASE WHEN c.field = 'returned_count' THEN c.value END), '次', '')) AS INTEGER))
                AS returned,
            max(0, CAST(trim(replace(max(CASE WHEN c.field = 'rework_count' THEN c.value END), '次', '')) AS INTEGER))
                AS rework,
            NULLIF(trim(max(CASE WHEN c.field = 'returned_unit' THEN c.value END)), '') AS unit
        FROM m6_cells c GROUP BY c.id;
    UPDATE cases SET
        returned_count = CASE WHEN m.was_alias THEN cases.rework_count ELSE COALESCE(m.returned, 0) END,
        rework_count = CASE WHEN m.was_alias THEN COALESCE(m.rework, 0) ELSE cases.rework_count END,
        returned_unit = CASE WHEN trim(m.unit, '-－—') = '' THEN NULL
            ELSE COALESCE((SELECT a.unit FROM unit_aliases a WHERE a.alias = m.unit), m.unit) END
        FROM m6_cases m WHERE m.id = cases.rowid;
    DROP TABLE m6_imports;
    DROP TABLE m6_cells;
    DROP TABLE m6_cases;
    DELETE FROM header_aliases WHERE stream = 'cases' AND field = 'rework_count' AND alias IN (
        SELECT header FROM m6_headers WHERE field = 'returned_count');
    INSERT OR IGNORE INTO header_fields(stream, field, label, required)
        SELECT 'cases', field, header, 0 FROM m6_headers WHERE field <> 'rework_count' AND priority = 0
        AND EXISTS (SELECT 1 FROM header_fields WHERE stream = 'cases');
    INSERT OR IGNORE INTO header_aliases(stream, field, alias, priority)
        SELECT 'cases', field, header, priority FROM m6_headers WHERE field <> 'rework_count'
        AND EXISTS (SELECT 1 FROM header_fields WHERE stream = 'cases');
    DROP TABLE m6_headers;
    DROP INDEX idx_cases_filed_stats;
    CREATE INDEX idx_cases_filed_stats ON cases(
        filed_at, unit, kind, minor, district, street, dispatched_at, deadline_at, disposed_at, closed_at,
        rework_count, returned_count, stage, cancelled
    ) WHERE filed_at IS NOT NULL AND cancelled = 0;
    """,
]


def default_db_path() -> Path:
    """The one database file the GUI and the CLI share (cli.md: without --db)."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "chengguan.db"


def sqlite_uri(path: PurePath, **params: str) -> str:
    """A ``file:`` URI SQLite accepts for `path`. ``Path.as_uri()`` gives ``file://server/share/x.db`` for a
    UNC path, which SQLite rejects (a URI authority other than localhost); SQLite wants ``file:////server/…``."""
    text = path.as_posix()
    if not text.startswith("/"):  # C:/… → /C:/…
        text = "/" + text
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return "file://" + quote(text, safe="/:") + (f"?{query}" if query else "")


def is_network_path(path: Path | str) -> bool:
    """A database on a UNC path, a mapped network drive (Windows) or an NFS/SMB mount (elsewhere)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if os.name == "nt":
        import ctypes

        drive = PureWindowsPath(os.path.abspath(text)).drive
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    return _mount_type(Path(text)) in NETWORK_FILESYSTEMS


NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "afs", "9p"}
NETWORK_WARNING = (
    "数据库「{path}」在网络共享盘上。SQLite 的 WAL 日志模式不能跨电脑共享：请只在一台电脑上打开这个数据库，"
    "其他电脑请勿同时使用（多台电脑共用需等共享服务器版数据库），否则数据可能损坏。"
)


def _mount_type(path: Path) -> str | None:
    """The file-system type of the mount holding `path` (Linux /proc/self/mounts), or None."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.absolute())
    best, kind = "", None
    for line in mounts:
        fields = line.split()
        inside = len(fields) > 2 and (target == fields[1] or target.startswith(fields[1].rstrip("/") + "/"))
        if inside and len(fields[1]) >= len(best):
            best, kind = fields[1], fields[2]
    return kind


def network_warning(path: Path | str) -> str | None:
    """The message to show when the database is on a network share (one PC per database), else None."""
    return NETWORK_WARNING.format(path=path) if is_network_path(path) else None


def connect(path: Path | str, *, readonly: bool = False) -> sqlite_utils.Database:
    """A raw connection with the pragmas every connection needs (no migration)."""
    if readonly:
        uri = sqlite_uri(Path(path).resolve(), mode="ro")
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return sqlite_utils.Database(conn)


def open_db(path: Path | str | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the store, run pending migrations, seed reference tables once."""
    db = connect(path if path is not None else default_db_path())
    migrate(db)
    seed_reference_tables(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> None:
    """Apply each pending migration in its own transaction (a crash leaves the previous version)."""
    current = schema_version(db)
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= current:
            continue
        with transaction(db):
            for statement in split_sql(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    statements, buffer = [], ""
    for line in script.splitlines():
        line = line.split("--", 1)[0] if "--" in line else line
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One explicit write transaction: all of it or nothing (a kill -9 midway rolls back)."""
    conn = db.conn
    if conn.in_transaction:  # nested use joins the outer transaction
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


@contextmanager
def no_autocheckpoint(db: sqlite_utils.Database) -> Iterator[None]:
    """Write without WAL checkpoints: the COMMIT of a large import then returns without first copying
    everything it wrote into the database file; checkpoint_idle or close_db does that later."""
    db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")


def checkpoint_idle(db: sqlite_utils.Database) -> bool:
    """When the app has nothing to do: copy the WAL into the database without waiting for anyone (PASSIVE),
    and once all of it is copied, give the WAL's disk space back (an import leaves hundreds of MB there)
    unless a reader still uses it (no waiting: busy_timeout 0 for that one statement).
    True when the WAL is empty now, False when a reader or a transaction kept it (try again later)."""
    conn = db.conn
    if conn.in_transaction:
        return False
    busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if frames <= 0:
        return True  # nothing in the WAL (or not in WAL mode)
    if busy or copied < frames:
        return False
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        busy, frames, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return not busy


def next_job(db: sqlite_utils.Database, jobs: queue.Queue, idle_seconds: float = IDLE_SECONDS):
    """The database thread's next job; while none comes, checkpoint every idle_seconds until the WAL is
    empty, then wait."""
    while True:
        try:
            return jobs.get(timeout=idle_seconds)
        except queue.Empty:
            if checkpoint_idle(db):
                return jobs.get()


def close_db(db: sqlite_utils.Database) -> None:
    """Close the store with its WAL copied back and truncated (TRUNCATE waits for readers: busy_timeout)."""
    conn = db.conn
    if not conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def load_toml(name: str) -> dict:
    with (RESOURCES / name).open("rb") as fh:
        return tomllib.load(fh)


def seed_reference_tables(db: sqlite_utils.Database) -> None:
    """Fill empty reference tables from resources/ (the user's later edits live in the database)."""
    with transaction(db):
        if not db.execute("SELECT 1 FROM units LIMIT 1").fetchone():
            registry = json.loads((RESOURCES / "units.json").read_text(encoding="utf-8"))
            for order, (code, text) in enumerate(registry["categories"].items()):
                db.execute(
                    "INSERT OR REPLACE INTO unit_categories(code, description, sort_order) VALUES (?,?,?)",
                    (code, text, order),
                )
            for order, unit in enumerate(registry["units"]):
                db.execute(
                    "INSERT INTO units(name, category, parent, district, evaluation_scope, sort_order)"
                    " VALUES (?,?,?,?,?,?)",
                    (
                        unit["unit"],
                        unit.get("category"),
                        unit.get("parent"),
                        unit.get("district"),
                        unit.get("evaluation_scope"),
                        order,
                    ),
                )
                for alias in unit.get("aliases", []):
                    db.execute("INSERT OR IGNORE INTO unit_aliases(alias, unit) VALUES (?,?)", (alias, unit["unit"]))
        if not db.execute("SELECT 1 FROM channels LIMIT 1").fetchone():
            for channel in load_toml("channels.toml")["channel"]:
                db.execute("INSERT INTO channels(name, source) VALUES (?,?)", (channel["name"], channel["source"]))
        if not db.execute("SELECT 1 FROM category_aliases LIMIT 1").fetchone():
            for alias, name in load_toml("category_aliases.toml")["aliases"].items():
                db.execute("INSERT INTO category_aliases(alias, name) VALUES (?,?)", (alias, name))
        for stream, resource in HEADER_RESOURCES.items():
            if db.execute("SELECT 1 FROM header_fields WHERE stream = ? LIMIT 1", (stream,)).fetchone():
                continue
            for field, spec in load_toml(resource)["fields"].items():
                db.execute(
                    "INSERT INTO header_fields(stream, field, label, required) VALUES (?,?,?,?)",
                    (stream, field, spec["label"], int(spec.get("required", False))),
                )
                for priority, alias in enumerate(spec["aliases"]):
                    db.execute(
                        "INSERT INTO header_aliases(stream, field, alias, priority) VALUES (?,?,?,?)",
                        (stream, field, alias, priority),
                    )
        time_limits = RESOURCES / "time_limits.toml"
        if time_limits.exists() and not db.execute("SELECT 1 FROM time_limits LIMIT 1").fetchone():
            for row in load_toml("time_limits.toml").get("limit", []):
                db.execute(
                    "INSERT OR REPLACE INTO time_limits(kind, minor, amount, unit) VALUES (?,?,?,?)",
                    (row["kind"], row["minor"], str(row["amount"]), row["unit"]),
                )
