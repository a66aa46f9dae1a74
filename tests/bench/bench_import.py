"""Import benchmark — a script, not a test: `python tests/bench/bench_import.py [--rows N]`.

For the demo month (55,603 rows) and a 500,000-row export, each as .xlsx and .csv, it measures in fresh
processes: a bare python-calamine pass / bare csv pass over the same file, and a full import into an empty
store (child included). Reports rows/s and peak memory (parent: ru_maxrss of the importing process; child:
what the parser child reports). Targets: xlsx import >= 1/2 of the bare calamine rows/s; CSV >= 100,000
rows/s; parent < 300 MB for the demo month.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float | None:
    from importers.child import _peak_kb

    peak = _peak_kb()
    return None if peak is None else round(peak / 1024, 1)


# ---------------------------------------------------------------- files


def _cases(scale: int, rows: int | None):
    from demo.generator import iter_month_cases

    cases = iter_month_cases(2021, 11, scale=scale)
    return itertools.islice(cases, rows) if rows else cases


def make_files(folder: Path, name: str, scale: int, rows: int | None) -> tuple[Path, Path]:
    """Platform-style xlsx (the demo's writer) and a UTF-8-BOM CSV of the same cases; cached between runs."""
    from demo.xlsx_writer import COLUMNS, write_case_export

    xlsx, csv_path = folder / f"{name}.xlsx", folder / f"{name}.csv"
    if not xlsx.exists():
        write_case_export(xlsx, f"基准测试 {name}", _cases(scale, rows))
    if not csv_path.exists():
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([header for header, _, _ in COLUMNS])
            for case in _cases(scale, rows):
                writer.writerow(["" if case.get(f) is None else case.get(f) for _, f, _ in COLUMNS])
    return xlsx, csv_path


# ---------------------------------------------------------------- measurements (each in a fresh process)


def measure_bare(path: Path) -> dict:
    started = time.perf_counter()
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = sum(1 for _ in csv.reader(fh))
    else:
        import python_calamine as pc

        sheet = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sum(1 for _ in sheet.iter_rows())
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": int(rows / seconds), "peak_mb": _peak_mb()}


def measure_import(path: Path, db_path: Path) -> dict:
    from importers.pipeline import import_file
    from models.store import open_db

    db = open_db(db_path)
    baseline = _peak_mb()
    started = time.perf_counter()
    report = import_file(db, path)
    seconds = time.perf_counter() - started
    assert not report.refused, report.message
    return {
        "rows": report.rows_read,
        "inserted": report.inserted,
        "seconds": round(seconds, 2),
        "rows_per_s": int(report.rows_read / seconds),
        "parent_peak_mb": _peak_mb(),
        "parent_baseline_mb": baseline,
        "child_peak_mb": round(report.child_peak_kb / 1024, 1) if report.child_peak_kb else None,
    }


def _run(mode: str, *args: str, script: Path | None = None) -> dict:
    """Run this script (or the same script of another checkout, for --compare) in a fresh process."""
    out = subprocess.run(
        [sys.executable, str(script or __file__), mode, *args],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_import(path: Path, db_path: Path, script: Path | None = None) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    result = _run("--import", str(path), str(db_path), script=script)
    result["db_mb"] = round(db_path.stat().st_size / 1024**2, 1)
    return result


def bench(label: str, xlsx: Path, csv_path: Path, work: Path, before: Path | None = None) -> list[dict]:
    results = []
    for path, kind in ((xlsx, "xlsx"), (csv_path, "csv")):
        bare = _run("--bare", str(path))
        if before is not None:
            old = _fresh_import(path, work / f"{label}-{kind}-before.db", before / "tests/bench/bench_import.py")
        full = _fresh_import(path, work / f"{label}-{kind}.db")
        ratio = full["rows_per_s"] / bare["rows_per_s"]
        results.append({"file": f"{label}.{kind}", "bare": bare, "import": full, "ratio": round(ratio, 2)})
        if before is not None:
            results[-1]["before"] = old
        print(
            f"{label + '.' + kind:>16}: bare {'calamine' if kind == 'xlsx' else 'csv'} {bare['rows_per_s']:>9,} rows/s"
            f" ({bare['seconds']} s, {bare['peak_mb']} MB) | import {full['rows_per_s']:>9,} rows/s"
            f" ({full['seconds']} s) = {ratio:.2f}× bare | parent peak {full['parent_peak_mb']} MB"
            f" | child peak {full['child_peak_mb']} MB",
            flush=True,
        )
    return results


def print_comparison(results: list[dict], before: Path) -> None:
    """Before/after table: the same files, the same run, bare reader beside both imports."""
    print(f"\nbefore = {before}, after = {ROOT}")
    print(
        f"{'file':<16} {'bare rows/s':>11} | {'before rows/s':>13} {'after rows/s':>12} {'speed-up':>8}"
        f" | {'parent MB b/a':>13} | {'child MB b/a':>13} | {'db MB b/a':>11}"
    )
    for r in results:
        old, new = r["before"], r["import"]
        print(
            f"{r['file']:<16} {r['bare']['rows_per_s']:>11,} | {old['rows_per_s']:>13,} {new['rows_per_s']:>12,}"
            f" {new['rows_per_s'] / old['rows_per_s']:>7.2f}×"
            f" | {old['parent_peak_mb']!s:>6}/{new['parent_peak_mb']!s:<6}"
            f" | {old['child_peak_mb']!s:>6}/{new['child_peak_mb']!s:<6} | {old['db_mb']!s:>5}/{new['db_mb']!s:<5}"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        print(json.dumps(measure_bare(Path(sys.argv[2]))))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--import":
        print(json.dumps(measure_import(Path(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="rows in the large export (0 = skip it)")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "chengguan-bench"))
    parser.add_argument("--compare", metavar="CHECKOUT", help="also import with another checkout (git worktree)")
    args = parser.parse_args()
    before = Path(args.compare).resolve() if args.compare else None
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"files in {folder} (cached between runs)", flush=True)
    results = bench("demo-month", *make_files(folder, "demo-month", 1, None), folder, before)
    if args.rows:
        files = make_files(folder, f"rows-{args.rows}", 10, args.rows)
        results += bench(f"{args.rows // 1000}k", *files, folder, before)
    if before is not None:
        print_comparison(results, before)
    print("\ntargets:")
    for r in results:
        if r["file"].endswith(".xlsx"):
            verdict = "OK" if r["ratio"] >= 0.5 else "MISS"
            print(f"  {r['file']}: import/bare calamine = {r['ratio']} (target >= 0.5) {verdict}")
        else:
            ok = r["import"]["rows_per_s"] >= 100_000
            print(f"  {r['file']}: {r['import']['rows_per_s']:,} rows/s (target >= 100,000) {'OK' if ok else 'MISS'}")
        if r["file"].startswith("demo-month"):
            peak = r["import"]["parent_peak_mb"]
            print(f"  {r['file']}: parent peak {peak} MB (target < 300) {'OK' if peak and peak < 300 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
