"""The project's own wheel, built from a clean copy of the source tree (pip wheel . leaves build/ behind)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NOT_SHIPPED = (".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", "tests", "docs", "installer")


def project_wheel(dest: Path) -> Path:
    """`pip wheel . --no-deps` into `dest`; returns the chengguan_console-*.whl."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chengguan-wheel-", ignore_cleanup_errors=True) as folder:
        source = Path(folder) / "src"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SHIPPED))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dest)],
            check=True,
            capture_output=True,
        )
    return max(dest.glob("chengguan_console-*.whl"), key=lambda p: p.stat().st_mtime)
