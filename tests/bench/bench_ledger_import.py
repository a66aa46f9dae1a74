"""Benchmark: the generic ledger import path (importers.ledger) on a synthetic 两违 export of N rows.

Times one `lw import` of an .xlsx of N rows (the demo's December export repeated with new case numbers)
into a fresh store, then the same rows again from a second file (every row unchanged), each the median of
--runs runs. The child stages raw JSON cells; the parent converts each row with models.lw_cases / lw_steps
and writes through models.versioned, row by row.

    python tests/bench/bench_ledger_import.py [--rows 2000 20000] [--runs 3]

Measured on this kind of machine (2 cores shared with other jobs, load average 5):
     rows   first import   same rows again
    2 000   0.77 s         0.65 s
   20 000   3.12 s         3.75 s
About 6 000 rows/s either way (the child's read and the per-row upsert dominate); a real 两违 or 督察信访
ledger is hundreds to a few thousand rows, so the case path's chunked SQL merge is not worth copying here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from demo.ledgers import write_lw_export  # noqa: E402
from importers.lw_import import LwStream  # noqa: E402
from importers.pipeline import import_file  # noqa: E402
from models.store import open_db  # noqa: E402


def synthetic_export(folder: Path, rows: int, name: str) -> Path:
    """The demo export's rows repeated with fresh case numbers up to `rows` rows."""
    import openpyxl

    source = openpyxl.load_workbook(write_lw_export(folder)).active
    template = [list(r) for r in source.iter_rows(min_row=3, values_only=True)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.value for c in source[2]])
    for i in range(rows):
        row = list(template[i % len(template)])
        row[0] = f"{row[0]}-{i // len(template)}"
        ws.append(row)
    path = folder / name
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("rows     first import median   same rows again median")
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            first_file = synthetic_export(folder, rows, "a.xlsx")
            second_file = synthetic_export(folder, rows, "b.xlsx")
            firsts, agains = [], []
            for run in range(args.runs):
                db = open_db(folder / f"run{run}.db")
                started = time.perf_counter()
                report = import_file(db, first_file, stream=LwStream())
                firsts.append(time.perf_counter() - started)
                started = time.perf_counter()
                again = import_file(db, second_file, stream=LwStream())
                agains.append(time.perf_counter() - started)
                assert report.rejected == 0 and again.inserted == 0, (report.message, again.message)
                db.conn.close()
            print(f"{rows:>6}   {statistics.median(firsts):8.2f} s            {statistics.median(agains):8.2f} s")


if __name__ == "__main__":
    main()
