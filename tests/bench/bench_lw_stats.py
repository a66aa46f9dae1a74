"""Benchmark: the 两违 core (models.lw_stats) on a synthetic month of N cases, without a store.

Times, each the median of --runs runs (the first, cold run shown too, with a fresh working calendar):
  - evaluate: every case's deadlines (working-day arithmetic, extensions) and step flags at one as-of time
  - lw_stats_document: the `lw stats --json` document from that evaluation
  - open_steps: the `lw overdue` rows
Cases are spread over the towns table with 0-2 extension requests each and steps at every stage.

    python tests/bench/bench_lw_stats.py [--cases 2000 20000] [--runs 3]

Measured on this kind of machine (2 cores shared with other jobs, load average 5), December 2021, as-of
2022-01-10:
    cases   evaluate median (cold)   document   open_steps
     2 000  0.58 s (0.57)            0.10 s     0.01 s
    20 000  4.52 s (5.21)            0.87 s     0.04 s
Time is linear in the cases (about 0.25 ms per case); half of evaluate is WorkCalendar.add_working_seconds
walking each day of a 15-工作日 deadline, a quarter the step flags.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.lw_cases import ExtensionRequest, LwCase  # noqa: E402
from models.lw_settings import load_lw_settings  # noqa: E402
from models.lw_stats import evaluate, lw_stats_document, open_steps  # noqa: E402
from models.periods import parse_month  # noqa: E402
from models.regions import load_region_table  # noqa: E402
from models.workcalendar import WorkCalendar  # noqa: E402


def synthetic(n: int, seed: int = 15) -> tuple[list[LwCase], list[ExtensionRequest]]:
    rng = random.Random(seed)
    towns = load_region_table().towns
    cases, requests = [], []
    for i in range(n):
        town = rng.choice(towns)
        received = datetime(2021, 12, 1) + timedelta(minutes=rng.randrange(31 * 24 * 60))
        verified = received + timedelta(hours=rng.randrange(1, 200)) if rng.random() < 0.9 else None
        dispatched = verified + timedelta(hours=rng.randrange(0, 30)) if verified and rng.random() < 0.8 else None
        start = dispatched or verified
        disposed = start + timedelta(hours=rng.randrange(10, 700)) if start and rng.random() < 0.6 else None
        applied = disposed + timedelta(hours=rng.randrange(1, 48)) if disposed else None
        closed = applied + timedelta(hours=rng.randrange(1, 200)) if applied and rng.random() < 0.7 else None
        case_no = f"LW{i:07d}"
        cases.append(
            LwCase(
                case_no, town.county, town.town, "城管", "临时搭盖", "群众举报",
                received, verified, dispatched, disposed, applied, closed, "核查员", "处置员", "督查员",
            )
        )  # fmt: skip
        for position in range(1, rng.choice((1, 1, 1, 2, 3))):
            days, level = rng.choice((10, 20, 45)), rng.choice(("县级", "市级"))
            result = rng.choice(("同意", "同意", "不同意", None))
            requests.append(ExtensionRequest(case_no, position, days, level, result))
    return cases, requests


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times[0], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings, regions, period = load_lw_settings(), load_region_table(), parse_month("2021-12")
    as_of = datetime(2022, 1, 10, 9, 0)
    print("cases   evaluate median (cold)   document   open_steps")
    for n in args.cases:
        cases, requests = synthetic(n)

        def run(cases=cases, requests=requests):
            calendar = WorkCalendar()
            return evaluate(
                cases, requests, period=period, as_of=as_of, settings=settings, calendar=calendar, regions=regions
            )

        median, cold, evaluation = timed(run, args.runs)
        doc_median, _, _ = timed(lambda: lw_stats_document(evaluation), args.runs)  # noqa: B023
        open_median, _, _ = timed(lambda: open_steps(evaluation), args.runs)  # noqa: B023
        print(f"{n:>6}  {median:.2f} s ({cold:.2f})            {doc_median:.2f} s     {open_median:.2f} s")


if __name__ == "__main__":
    main()
