"""城管绩效台 — `python main.py` opens the desktop console; `python main.py COMMAND …` runs one command of
the command line (cli/) over the same core. `python main.py --help` lists the commands."""

from __future__ import annotations

import sys

from cli import run


def ensure_std_streams() -> None:
    """A windowed launcher (pythonw, the packaged GUI) has no stdout/stderr: sys.stdout is None, and every
    print, isatty() or close() on it would raise. Point the missing ones at the null device."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def main(argv: list[str] | None = None) -> int:
    """The exit status: 0 ok, 2 the user's input is wrong, 1 an internal error (details in the log)."""
    from importers.launch import CHILD_FLAG, run_child

    argv = sys.argv[1:] if argv is None else argv
    ensure_std_streams()
    if argv[:1] == [CHILD_FLAG]:  # the packaged app re-entered as the parser child (importers/launch.py)
        return run_child(argv[1:])
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
