"""The PyInstaller one-folder app (installer/build_app.py), built once and driven as a user would.

Why a real build: the frozen app is where `sys.executable` is the app itself, resources come from the
bundle, and trimming may leave out something a page imports late (pyqtgraph needs QtOpenGL). About a
minute: one build (~30 s), the demo through the frozen parser child, stats, the score sheet, a GUI start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="the build extra (pip install '.[build]') brings PyInstaller")

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if os.name == "nt" else ""
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        from build_app import build
    finally:
        sys.path.remove(str(ROOT / "installer"))
    return build(tmp_path_factory.mktemp("dist"))


def _env(home: Path) -> dict[str, str]:
    """A user's environment: no PYTHONPATH into the checkout, a fresh home for settings and logs."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
    env.update(XDG_STATE_HOME=str(home / ".local/state"), QT_QPA_PLATFORM="offscreen")
    return env


def test_the_bundle_is_trimmed_and_holds_what_the_app_loads(app):
    internal = app / "_internal"
    assert (app / f"chengguan{EXE}").is_file() and (app / f"城管绩效台{EXE}").is_file()
    assert (internal / "resources" / "units.json").is_file()
    assert (internal / "resources" / "rules" / "default.toml").is_file()
    qt = internal / "PySide6" / "Qt"
    assert sorted(p.name for p in (qt / "translations").iterdir()) == ["qt_zh_CN.qm", "qtbase_zh_CN.qm"]
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert any("offscreen" in name for name in platforms) and any("xcb" in n or "windows" in n for n in platforms)
    assert not (qt / "qml").exists()
    assert not list(internal.rglob("*Qt6Quick*")) and not list(internal.rglob("*WebEngine*"))
    assert not list(internal.rglob("*Qt6Designer*"))


@pytest.fixture(scope="module")
def frozen_demo(app, tmp_path_factory) -> tuple[Path, str]:
    """`chengguan demo` from a folder that is not the app's: every file goes through the frozen parser child."""
    work = tmp_path_factory.mktemp("elsewhere")
    cli = [str(app / f"chengguan{EXE}"), "--db", str(work / "demo.db"), "demo"]
    env = _env(tmp_path_factory.mktemp("home"))
    demo = subprocess.run(cli, cwd=work, env=env, capture_output=True, encoding="utf-8")
    assert demo.returncode == 0, demo.stderr
    return work / "demo.db", demo.stdout


def test_the_frozen_command_line_from_another_folder(app, frozen_demo, tmp_path):
    """demo (through the app re-entered as the parser child), then stats --json, the score sheet, the Word bulletin."""
    database, demo_output = frozen_demo
    assert demo_output.count("已导入") == 6 and "读取 55603 行" in demo_output and "拒收" not in demo_output
    assert "已导入两违案件台账" in demo_output and "已导入督察信访台账" in demo_output  # ledger resources bundled
    env = _env(tmp_path / "home")
    cli = [str(app / f"chengguan{EXE}"), "--db", str(database)]
    run = dict(cwd=tmp_path, env=env, capture_output=True, encoding="utf-8")
    stats = subprocess.run([*cli, "stats", "--month", "2021-11", "--json"], **run)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["accepted"]["total"] == 55603
    export = subprocess.run([*cli, "export", "scores", "--month", "2021-11", "-o", "sheets/"], **run)
    assert export.returncode == 0, export.stderr
    (sheet,) = (tmp_path / "sheets").glob("*.xlsx")
    import openpyxl

    assert "评价结果" in openpyxl.load_workbook(sheet, read_only=True).sheetnames
    word = subprocess.run([*cli, "report", "--month", "2021-11", "--docx", "通报/"], **run)  # python-docx's template
    assert word.returncode == 0, word.stderr
    import docx

    assert docx.Document(str(tmp_path / "通报" / "通报_2021-11.docx")).tables[0].rows[1].cells[0].text == "A类单位"


def test_the_windowed_launcher_opens_the_console_and_draws_its_charts(app, frozen_demo, tmp_path):
    """The GUI launcher (no console) on the demo: the dashboard imports pyqtgraph late; nothing may raise."""
    database = tmp_path / "demo.db"
    shutil.copyfile(frozen_demo[0], database)
    gui = subprocess.Popen(
        [str(app / f"城管绩效台{EXE}"), "--db", str(database)],
        env=_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    time.sleep(12)  # the window, the dashboard's tiles and its six charts
    alive = gui.poll() is None
    gui.kill()
    output = gui.communicate()[0].decode("utf-8", errors="replace")
    assert alive, output
    assert "Traceback" not in output and "Error" not in output, output
