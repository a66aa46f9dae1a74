"""Import benchmark — a script, not a test: `python tests/bench/bench_import.py [--rows N] [--compare TREE]`.

For the demo month (55,603 rows) and a 500,000-row export, each as .xlsx and as a .csv twin of the same
cases, it runs three interleaved rounds; each round measures, every step in a fresh process:
a bare python-calamine `iter_rows` pass over the xlsx, the import of the xlsx and of the csv into an empty
store (parser child included), and with --compare the same imports by another checkout (e.g. a
`git worktree add /tmp/before <rev>`), so before and after see the same machine load.

Reported as medians of the rounds: rows/s; the ratio of import rows/s to the same round's bare calamine
rows/s (issue 12 targets: xlsx >= 0.40, csv >= 0.60 — tying both to the calamine pass of the same round
cancels this machine's swings); the importing process's peak memory (target < 300 MB) and the parser
child's peak (its memory goes back when it exits; the parent's resident size after the import shows it);
the WAL left after the import, and after the idle checkpoint where the tree has one.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _status_mb(key: str) -> float | None:
    """VmHWM (peak) or VmRSS (now) of this process, in MB (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


# ---------------------------------------------------------------- files


def _cases(scale: int, rows: int | None):
    from demo.generator import iter_month_cases

    cases = iter_month_cases(2021, 11, scale=scale)
    return itertools.islice(cases, rows) if rows else cases


def make_files(folder: Path, name: str, scale: int, rows: int | None) -> tuple[Path, Path]:
    """Platform-style xlsx (the demo's writer) and a UTF-8-BOM CSV of the same cases; cached between runs."""
    sys.path.insert(0, str(ROOT))
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
    import python_calamine as pc

    started, cpu = time.perf_counter(), _cpu()
    sheet = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sum(1 for _ in sheet.iter_rows())
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": int(rows / seconds),
        "peak_mb": _status_mb("VmHWM"),
        "cpu_s": round(_cpu() - cpu, 2),
    }


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (the parser child), user + system."""
    return sum(os.times()[:4])


def _wal_mb(db_path: Path) -> float:
    wal = Path(str(db_path) + "-wal")
    return round(wal.stat().st_size / 1024**2, 1) if wal.exists() else 0.0


def measure_import(path: Path, db_path: Path, tree: Path) -> dict:
    """Import into an empty store with the code of `tree`; then the idle checkpoint if the tree has one."""
    sys.path.insert(0, str(tree))
    from importers.pipeline import import_file
    from models import store

    db = store.open_db(db_path)
    baseline = _status_mb("VmHWM")
    started, cpu = time.perf_counter(), _cpu()
    report = import_file(db, path)
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu
    assert not report.refused, report.message
    result = {
        "rows": report.rows_read,
        "inserted": report.inserted,
        "seconds": round(seconds, 3),
        "rows_per_s": int(report.rows_read / seconds),
        "parent_peak_mb": _status_mb("VmHWM"),
        "parent_baseline_mb": baseline,
        "parent_rss_after_mb": _status_mb("VmRSS"),
        "child_peak_mb": round(report.child_peak_kb / 1024, 1) if report.child_peak_kb else None,
        "wal_mb": _wal_mb(db_path),
        "cpu_s": round(cpu, 2),
    }
    idle = getattr(store, "checkpoint_idle", None)
    if idle is not None:
        started = time.perf_counter()
        idle(db)
        result["idle_checkpoint_s"] = round(time.perf_counter() - started, 3)
        result["wal_idle_mb"] = _wal_mb(db_path)
    started = time.perf_counter()
    getattr(store, "close_db", lambda d: d.conn.close())(db)
    result["close_s"] = round(time.perf_counter() - started, 3)
    return result


def _run(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, encoding="utf-8"
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_import(path: Path, db_path: Path, tree: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    return _run("--import", str(path), str(db_path), str(tree))


# ---------------------------------------------------------------- rounds and report


def bench(label: str, xlsx: Path, csv_path: Path, work: Path, trees: dict[str, Path], rounds: int) -> list[dict]:
    """`rounds` interleaved rounds: bare calamine, then each tree's xlsx and csv import, in a rotating order."""
    runs: list[dict] = []
    for n in range(rounds):
        load = _load()
        bare = _run("--bare", str(xlsx))
        row = {"round": n + 1, "bare": bare, "load_before": round(load, 2)}
        order = list(trees.items())
        order = order[n % len(order) :] + order[: n % len(order)]
        for name, tree in order:
            for path, kind in ((xlsx, "xlsx"), (csv_path, "csv")):
                result = _fresh_import(path, work / f"{label}-{name}-{kind}.db", tree)
                result["ratio"] = round(result["rows_per_s"] / bare["rows_per_s"], 3)
                row[f"{name}.{kind}"] = result
        row["load_after"] = round(_load(), 2)
        runs.append(row)
        print(
            f"  {label} round {n + 1}: load {row['load_before']}→{row['load_after']}, bare calamine"
            f" {bare['rows_per_s']:,} rows/s"
            + "".join(
                f" | {k} {v['rows_per_s']:,} rows/s ({v['ratio']:.2f})"
                for k, v in row.items()
                if isinstance(v, dict) and "ratio" in v
            ),
            flush=True,
        )
    return runs


def _median(runs: list[dict], key: str, field: str):
    values = [r[key][field] for r in runs if r.get(key) and r[key].get(field) is not None]
    return statistics.median(values) if values else None


def summary(label: str, runs: list[dict], trees: dict[str, Path]) -> list[str]:
    bare = _median(runs, "bare", "rows_per_s")
    bare_cpu = _median(runs, "bare", "cpu_s")
    lines = []
    for name in trees:
        for kind in ("xlsx", "csv"):
            key = f"{name}.{kind}"
            cells = [_median(runs, key, f) for f in ("rows_per_s", "ratio", "parent_peak_mb", "child_peak_mb")]
            cells += [_median(runs, key, f) for f in ("parent_rss_after_mb", "wal_mb", "wal_idle_mb", "close_s")]
            rps, ratio, parent, child, rss, wal, wal_idle, close = cells
            cpu = _median(runs, key, "cpu_s")
            lines.append(
                f"| {label} | {kind} | {name} | {int(bare):,} | {int(rps):,} | {ratio:.2f} | {bare_cpu} | {cpu}"
                f" | {parent} | {child} | {rss} | {wal} | {'—' if wal_idle is None else wal_idle} | {close} |"
            )
    return lines


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        print(json.dumps(measure_bare(Path(sys.argv[2]))))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--import":
        print(json.dumps(measure_import(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="rows in the large export (0 = skip it)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "chengguan-bench"))
    parser.add_argument("--compare", metavar="TREE", help="also import with another checkout (git worktree)")
    parser.add_argument("--only", choices=["demo", "large"], help="run one of the two files only")
    args = parser.parse_args()
    trees = {"after": ROOT}
    if args.compare:
        trees = {"before": Path(args.compare).resolve(), "after": ROOT}
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"files in {folder} (cached); trees: {', '.join(f'{k}={v}' for k, v in trees.items())}", flush=True)
    table = []
    if args.only != "large":
        runs = bench("demo month", *make_files(folder, "demo-month", 1, None), folder, trees, args.rounds)
        table += summary("demo month", runs, trees)
    if args.rows and args.only != "demo":
        files = make_files(folder, f"rows-{args.rows}", 10, args.rows)
        runs = bench(f"{args.rows // 1000}k", *files, folder, trees, args.rounds)
        table += summary(f"{args.rows // 1000}k", runs, trees)
    print(f"\nmedians of {args.rounds} interleaved rounds (ratio = import rows/s ÷ bare calamine rows/s on the xlsx)")
    print(
        "| file | format | tree | bare calamine rows/s | import rows/s | ratio | bare CPU s | import CPU s"
        " | parent peak MB | child peak MB | parent RSS after MB | WAL after import MB | WAL after idle checkpoint MB"
        " | close s |"
    )
    print("|" + "---|" * 14)
    print("\n".join(table))
    print("targets: xlsx ratio >= 0.40, csv ratio >= 0.60, parent peak < 300 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
