"""How the parser child (importers/child.py) is started — the one place that knows.

Three installs, three command lines:

* from source or a wheel: ``python -m importers.child JOB`` with the parent's own interpreter (a windowed
  ``pythonw`` is swapped for the ``python`` beside it: the child reports progress on stdout);
* a frozen app (PyInstaller): ``sys.executable`` is the app itself, so the app is re-entered with
  :data:`CHILD_FLAG`, which ``main()`` dispatches before logging and argument parsing. A windowed launcher has
  no stdout, so the console launcher beside it (``chengguan``) is preferred; ``CREATE_NO_WINDOW`` keeps its
  console from flashing up on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD_FLAG = "--import-child"
CONSOLE_LAUNCHER = "chengguan"


def _exe_name(stem: str) -> str:
    return stem + (".exe" if os.name == "nt" else "")


def _console_python(executable: Path) -> Path:
    """``pythonw.exe`` → ``python.exe`` in the same folder when there is one."""
    if executable.stem.lower() == "pythonw":
        console = executable.with_name(_exe_name("python"))
        if console.is_file():
            return console
    return executable


def child_command(job_path: str | Path) -> list[str]:
    """The argv that runs the parser child on one job file."""
    executable = Path(sys.executable)
    if getattr(sys, "frozen", False):
        console = executable.with_name(_exe_name(CONSOLE_LAUNCHER))
        return [str(console if console.is_file() else executable), CHILD_FLAG, str(job_path)]
    return [str(_console_python(executable)), "-m", "importers.child", str(job_path)]


def child_env() -> dict[str, str]:
    """The parent's environment, UTF-8 pipes, and (from source) the folder our packages were imported from."""
    env = os.environ.copy()
    env["PYTHONIOENCODING"] = "utf-8"
    if not getattr(sys, "frozen", False):
        import importers

        home = str(Path(next(iter(importers.__path__))).parent)
        env["PYTHONPATH"] = home + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def start_child(job_path: Path, *, stdout, stderr) -> subprocess.Popen:
    """Start the child on `job_path`; no console window on Windows, no stdin. Its working folder is the job's
    (a temporary folder): ``-m`` puts the working folder first on sys.path, and the user's may hold anything."""
    return subprocess.Popen(
        child_command(job_path),
        stdout=stdout,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        cwd=str(Path(job_path).parent),
        env=child_env(),
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
    )


def run_child(argv: list[str]) -> int:
    """``main()``'s dispatch for CHILD_FLAG: run the child on the arguments after the flag."""
    from importers.child import main as child_main

    return child_main(argv)
