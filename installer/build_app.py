"""Build the one-folder app with PyInstaller for the platform this runs on.

    python installer/build_app.py --out DIR [--no-trim]

DIR/chengguan/ then holds two launchers over one bundle: 城管绩效台 (the desktop console, no console window)
and chengguan (the command line; also the parser child). On Windows this folder is the portable 免安装 build;
on Linux it is how the frozen code path is tested (tests/test_frozen_app.py). Needs the build extra
(``pip install ".[build]"``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "chengguan.spec"
APP_FOLDER = "chengguan"


def folder_size(path: Path) -> int:
    """Bytes in all files under `path` (links not followed)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(out: Path, *, trim: bool = True, work: Path | None = None, quiet: bool = True) -> Path:
    """Run PyInstaller on the spec; return the app folder (out/chengguan)."""
    out = out.resolve()
    env = dict(os.environ, CHENGGUAN_TRIM="1" if trim else "0")
    with tempfile.TemporaryDirectory(prefix="chengguan-pyinstaller-", ignore_cleanup_errors=True) as scratch:
        command = [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(out),
            "--workpath",
            str(work or Path(scratch) / "work"),
            "--log-level",
            "WARN" if quiet else "INFO",
            str(SPEC),
        ]
        subprocess.run(command, check=True, env=env)
    app = out / APP_FOLDER
    for link in app.rglob("*"):  # links to libraries the trimming left out
        if link.is_symlink() and not link.exists():
            link.unlink()
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PyInstaller one-folder build of 城管绩效台")
    parser.add_argument("--out", required=True, type=Path, help="output folder (the app lands in OUT/chengguan)")
    parser.add_argument("--no-trim", action="store_true", help="keep everything PyInstaller collects (to measure)")
    parser.add_argument("--verbose", action="store_true", help="PyInstaller's INFO log")
    args = parser.parse_args(argv)
    app = build(args.out, trim=not args.no_trim, quiet=not args.verbose)
    print(f"{app}: {folder_size(app) / 1024**2:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
