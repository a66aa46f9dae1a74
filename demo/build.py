"""The demo months as platform-style .xlsx exports, and the one-call demo build through the real importer
(the city cases of 2021-09..11, then the 两违, 督察信访 and 创城回头看 ledgers of demo.ledgers)."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from demo.generator import iter_month_cases
from demo.ledgers import import_demo_ledgers
from demo.xlsx_writer import write_case_export
from importers.pipeline import import_files
from importers.report import ProgressFn

DEMO_MONTHS = ((2021, 9), (2021, 10), (2021, 11))


def _export_name(year: int, month: int) -> str:
    return f"智慧城管平台案件明细_{year}{month:02d}.xlsx"


def _write_month(folder: Path, year: int, month: int) -> Path:
    path = folder / _export_name(year, month)
    write_case_export(path, f"漳州市智慧城管平台案件明细 {year}年{month}月", iter_month_cases(year, month))
    return path


def write_demo_exports(folder: Path, progress: ProgressFn | None = None) -> list[Path]:
    """Write the three demo months as platform-style .xlsx exports (2021-09, -10, -11); returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, (year, month) in enumerate(DEMO_MONTHS):
        if progress:
            progress(number, len(DEMO_MONTHS), f"生成 {year}年{month}月 演示导出文件")
        paths.append(_write_month(folder, year, month))
    if progress:
        progress(len(DEMO_MONTHS), len(DEMO_MONTHS), "演示导出文件已生成")
    return paths


def build_demo(db, progress: ProgressFn | None = None) -> list:
    """Generate the demo exports and ledgers into a temporary folder and import them through the real importers.

    Why through the importer: the demo then exercises exactly the path a user's own export takes. Why a
    writer thread: the next month is written while the importer's child process parses the previous one
    (the first start builds the demo, so its wall time matters). Progress is reported from this thread only.
    """
    reports: list = []
    scratch = tempfile.TemporaryDirectory(prefix="chengguan-demo-", ignore_cleanup_errors=True)
    with scratch as tmp, ThreadPoolExecutor(max_workers=1) as pool:
        folder = Path(tmp)
        futures = [pool.submit(_write_month, folder, year, month) for year, month in DEMO_MONTHS]
        for number, ((year, month), future) in enumerate(zip(DEMO_MONTHS, futures, strict=True)):
            if progress:
                progress(number, len(DEMO_MONTHS), f"生成 {year}年{month}月 演示导出文件")
            path = future.result()
            reports.extend(import_files(db, [path], progress=progress))
        if progress:
            progress(len(DEMO_MONTHS), len(DEMO_MONTHS), "生成并导入两违、督察信访、创城回头看演示台账")
        reports.extend(import_demo_ledgers(db, folder, progress=progress))
    return reports
