"""Benchmark: one month's full statistics and the 12-month trend with 1..5 city-years in the store.

Rows come from the demo generator (demo.generator.iter_month_cases) and go straight into the store with
executemany (not via xlsx). After each added year the script times, on the last year's November:
  - stats_document (the whole `stats --json` document: accepted, all counts, units, kinds, districts, streets)
  - trend (12 months)
  - case_numbers for one unit's closed cases (a drill-down)
Each timing is the median of --runs runs; the first (cold) run is shown too. Targets: stats < 0.5 s,
trend < 1 s with five years (about 3.3 million records).

    python tests/bench/bench_stats.py [--years 5] [--first-year 2017] [--scale 1] [--db PATH] [--runs 5]

Results so far: tests/bench/NOTES.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from demo.generator import iter_month_cases  # noqa: E402
from models.drilldown import case_numbers  # noqa: E402
from models.periods import month_period  # noqa: E402
from models.records import CASE_FIELDS  # noqa: E402
from models.stats import stats_document, trend  # noqa: E402
from models.store import open_db, transaction  # noqa: E402

COLUMNS = [*CASE_FIELDS, "deadline_source", "cancelled", "raw", "import_id", "row_no"]


def insert_year(db, year: int, scale: int) -> int:
    """Generate and insert one city-year; returns the number of records written."""
    sql = f"INSERT OR REPLACE INTO cases({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
    written = 0
    for month in range(1, 13):
        with transaction(db):
            import_id = db.execute(
                "INSERT INTO imports(file_name, started_at, outcome) VALUES (?, datetime('now'), 'ok')",
                (f"bench-{year}-{month:02d}",),
            ).lastrowid
            batch = []
            for row_no, case in enumerate(iter_month_cases(year, month, scale=scale), start=2):
                stage = case.get("stage") or ""
                values = [case.get(f) for f in CASE_FIELDS]
                values[COLUMNS.index("rework_count")] = case.get("rework_count") or 0
                values += [
                    "export" if case.get("deadline_at") else None,
                    int("作废" in stage),
                    "{}",
                    import_id,
                    row_no,
                ]
                batch.append(values)
            db.conn.executemany(sql, batch)
            written += len(batch)
    return written


def timed(func, runs: int) -> tuple[float, float]:
    """(cold first run, median of the following runs) in seconds."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--first-year", type=int, default=2017)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="database file (default: a temporary file, removed afterwards)")
    args = parser.parse_args()

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-stats-")
        path = Path(tmp.name) / "bench.db"
    db = open_db(path)
    results = []
    total = 0
    print(f"{'years':>5} {'records':>10} {'insert s':>9} {'stats cold':>10} {'stats med':>9} "
          f"{'trend cold':>10} {'trend med':>9} {'drill med':>9}")  # fmt: skip
    for n in range(args.years):
        year = args.first_year + n
        start = time.perf_counter()
        total += insert_year(db, year, args.scale)
        db.execute("ANALYZE")
        inserted = time.perf_counter() - start
        period = month_period(year, 11)
        doc = stats_document(db, period)
        unit = doc["units"][0]["unit"] if doc["units"] else None
        s_cold, s_med = timed(lambda p=period: stats_document(db, p), args.runs)
        t_cold, t_med = timed(lambda p=period: trend(db, p), args.runs)
        d_cold, d_med = timed(lambda p=period, u=unit: case_numbers(db, p, "closed", unit=u), args.runs)
        row = {
            "years": n + 1,
            "records": total,
            "insert_s": round(inserted, 1),
            "stats_cold_s": round(s_cold, 3),
            "stats_median_s": round(s_med, 3),
            "trend_cold_s": round(t_cold, 3),
            "trend_median_s": round(t_med, 3),
            "drill_median_s": round(d_med, 4),
            "month_filed": doc["filed"],
        }
        results.append(row)
        print(
            f"{n + 1:>5} {total:>10} {inserted:>9.1f} {s_cold:>10.3f} {s_med:>9.3f} {t_cold:>10.3f} {t_med:>9.3f}"
            f" {d_med:>9.4f}",
            flush=True,
        )
    db.conn.close()
    print(json.dumps(results, ensure_ascii=False))
    last = results[-1]
    ok = last["stats_median_s"] < 0.5 and last["trend_median_s"] < 1.0
    print("targets (stats < 0.5 s, trend < 1 s):", "met" if ok else "NOT met")
    if tmp:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
