"""The app runs wherever it is installed: resources found as package data, the parser child started right in
a source run, a wheel install and a frozen app, and no crash in a windowed launcher without stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import main
from importers import launch
from importers.pipeline import import_files
from models.bundled import resource_path, resources_root
from tests.fixtures.import_builders import sample_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent


def test_resources_are_found_through_the_package():
    assert resources_root() == Path(__import__("resources").__file__).parent
    assert resource_path("units.json").is_file()
    assert resource_path("rules", "default.toml").is_file()
    assert resource_path("demo", "plan.toml").is_file()


def test_no_module_guesses_resources_next_to_its_file():
    """Only models/bundled.py may say where resources/ is; everything else asks it."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if {"tests", ".git", "build", "installer"} & set(path.relative_to(ROOT).parts):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if "__file__" in line and "resources" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_child_command_from_source(tmp_path):
    argv = launch.child_command(tmp_path / "job.json")
    assert argv == [sys.executable, "-m", "importers.child", str(tmp_path / "job.json")]
    home = launch.child_env()["PYTHONPATH"].split(os.pathsep)[0]
    assert Path(home) == ROOT


def test_child_command_swaps_pythonw_for_the_console_python(tmp_path, monkeypatch):
    names = ("pythonw.exe", "python.exe") if os.name == "nt" else ("pythonw", "python")
    for name in names:
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(sys, "executable", str(tmp_path / names[0]))
    assert launch.child_command("job.json")[:3] == [str(tmp_path / names[1]), "-m", "importers.child"]


def test_child_command_in_a_frozen_app_reenters_the_console_launcher(tmp_path, monkeypatch):
    suffix = ".exe" if os.name == "nt" else ""
    gui = tmp_path / f"城管绩效台{suffix}"
    gui.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(gui))
    assert launch.child_command("job.json") == [str(gui), launch.CHILD_FLAG, "job.json"]
    console = tmp_path / f"chengguan{suffix}"
    console.write_bytes(b"")
    assert launch.child_command("job.json") == [str(console), launch.CHILD_FLAG, "job.json"]
    assert "PYTHONPATH" not in launch.child_env() or launch.child_env()["PYTHONPATH"] == os.environ["PYTHONPATH"]


def test_main_dispatches_the_child_flag_before_logging_and_parsing(monkeypatch):
    seen = []
    monkeypatch.setattr(launch, "run_child", lambda argv: seen.append(argv) or 0)
    monkeypatch.setattr(main, "run", lambda argv: pytest.fail("the child must not set up the log nor parse a command"))
    assert main.main([launch.CHILD_FLAG, "job.json"]) == 0
    assert seen == [["job.json"]]


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the frozen executable")
def test_an_import_through_the_frozen_reentry_path(tmp_path, monkeypatch, db):
    """What a frozen app does, with a script standing in for its console launcher: `chengguan --import-child JOB`."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    launcher = bundle / "chengguan"
    calls = tmp_path / "calls.txt"
    launcher.write_text(
        f'#!/bin/sh\necho "$@" >> "{calls}"\nPYTHONPATH="{ROOT}" exec "{sys.executable}" "{ROOT / "main.py"}" "$@"\n'
    )
    launcher.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "城管绩效台"))
    path = write_csv(tmp_path / "export.csv", sample_rows(3))
    (report,) = import_files(db, [path])
    assert not report.refused, report.message
    assert report.inserted == 3
    assert calls.read_text().startswith(launch.CHILD_FLAG + " ")


def test_a_windowed_launcher_without_stdout_or_stderr(tmp_path, monkeypatch, db):
    """pythonw and the packaged GUI start with sys.stdout = sys.stderr = None; printing must not crash."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main.main(["--db", str(tmp_path / "test.db"), "stats", "--month", "2021-11", "--json"]) == 0
    from cli.common import progress_printer

    report = progress_printer("生成演示数据")
    report(1, 3, "读取")
    assert main.main(["--db", str(tmp_path / "test.db"), "stats", "--month", "2021-13"]) == 2


@pytest.mark.slow
def test_an_installed_wheel_builds_the_demo_and_prints_stats_from_any_folder(tmp_path):
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        from project_wheel import project_wheel
    finally:
        sys.path.remove(str(ROOT / "installer"))
    wheel = project_wheel(tmp_path / "wheels")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("main.py", "resources/units.json", "resources/rules/default.toml", "resources/demo/plan.toml"):
        assert name in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "chengguan = main:main" in text and "chengguan-gui = main:main" in text

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv), "--system-site-packages"], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [python, "-c", "import models, resources; print(models.__file__); print(resources.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert all(Path(p).is_relative_to(venv) for p in where)

    chengguan = [str(bin_dir / "chengguan"), "--db", str(elsewhere / "demo.db")]
    demo = subprocess.run([*chengguan, "demo"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    assert "读取 55603 行" in demo.stdout
    stats = subprocess.run(
        [*chengguan, "stats", "--month", "2021-11", "--json"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["accepted"]["total"] == 55603
