"""Files shipped with the app (``resources/``), found through ``importlib.resources``.

Why one helper: a path guessed next to ``__file__`` breaks as soon as the code is installed somewhere the
data is not (a wheel without package data, a frozen app). The app is never run from a zip, so the package
is always a folder on disk and callers get a real :class:`~pathlib.Path`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

PACKAGE = "resources"


@cache
def resources_root() -> Path:
    root = files(PACKAGE)
    if not isinstance(root, Path):  # a zip import or a namespace package: not a layout we ship
        raise FileNotFoundError(f"程序文件不完整：找不到 {PACKAGE} 文件夹（{root}）")
    return root


def resource_path(*parts: str) -> Path:
    """``resource_path("rules", "default.toml")`` → the shipped file (which may not exist: callers check)."""
    return resources_root().joinpath(*parts)
