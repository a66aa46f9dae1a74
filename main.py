"""城管绩效台 — `python main.py` opens the desktop console; `python main.py COMMAND …` runs one command of
the command line (cli/) over the same core. `python main.py --help` lists the commands."""

from __future__ import annotations

import sys

from cli import run


def main(argv: list[str] | None = None) -> int:
    """The exit status: 0 ok, 2 the user's input is wrong, 1 an internal error (details in the log)."""
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
