"""The Windows installer's inputs and its pynsist layout stage (the installer itself needs the real CPython zip).

The layout test fetches the locked win_amd64 wheels (about 100 MB) and runs pynsist --no-makensis with a
stand-in embeddable zip passed with its own version and hash through the explicit options.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "installer" / "windows"), str(ROOT / "installer")]
import build_installer as bi  # noqa: E402
import lock_wheels  # noqa: E402

sys.path[:2] = []


def stand_in_embed_zip(path: Path, version: str = "3.12.10") -> Path:
    """What python-X.Y.Z-embed-amd64.zip holds that the build looks at: the ._pth, the DLL, the launchers."""
    tag = "".join(version.split(".")[:2])
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            f"python{tag}._pth", f"python{tag}.zip\r\n.\r\n\r\n# Uncomment to run site.main()\r\n#import site\r\n"
        )
        for name in (f"python{tag}.dll", f"python{tag}.zip", "python.exe", "pythonw.exe", "python3.dll"):
            zf.writestr(name, b"MZ stand-in")
    return path


def test_the_embed_pin_is_a_312_amd64_zip_with_a_sha256():
    pin = bi.embed_pin()
    assert pin["version"].startswith("3.12.") and pin["file"] == f"python-{pin['version']}-embed-amd64.zip"
    assert len(pin["sha256"]) == 64 and pin["url"].endswith(pin["file"])


def test_a_zip_that_is_not_the_pinned_one_is_refused(tmp_path):
    stand_in = stand_in_embed_zip(tmp_path / "python-3.12.10-embed-amd64.zip")
    with pytest.raises(bi.BuildError, match="sha256"):
        bi.check_embed_zip(stand_in, version="3.12.10", digest=bi.embed_pin()["sha256"])
    digest = hashlib.sha256(stand_in.read_bytes()).hexdigest()
    bi.check_embed_zip(stand_in, version="3.12.10", digest=digest)
    with pytest.raises(bi.BuildError, match="3.13.1"):
        bi.check_embed_zip(stand_in, version="3.13.1", digest=digest)


def test_the_wheel_lock_follows_pyproject():
    """A dependency added to pyproject.toml without re-running lock_wheels.py fails here."""
    digest, pins = lock_wheels.read_lock()
    assert digest == lock_wheels.dependencies_digest(lock_wheels.dependencies()), "run installer/windows/lock_wheels.py"
    for text in lock_wheels.dependencies():
        requirement = Requirement(text)
        if lock_wheels.applies(requirement):
            name = canonicalize_name(requirement.name)
            assert name in pins and requirement.specifier.contains(pins[name], prereleases=True), text
    assert "colorama" in pins  # click's Windows-only dependency: markers are evaluated for Windows
    assert all(line.startswith("    --hash=sha256:") for line in lock_wheels.LOCK.read_text().splitlines()[4::2])


def test_exclusions_name_a_dropped_folder_once(tmp_path):
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        names = ["PySide6/qml/QtQuick/a.qml", "PySide6/qml/b.qmltypes", "PySide6/translations/qt_de.qm"]
        names += ["PySide6/translations/qtbase_zh_CN.qm", "PySide6/Qt6Quick.dll", "PySide6/Qt6Core.dll"]
        for name in names:
            zf.writestr(name, b"")
    assert bi.exclusions([wheel]) == [
        "pkgs/PySide6/Qt6Quick.dll",
        "pkgs/PySide6/qml",
        "pkgs/PySide6/translations/qt_de.qm",
    ]


@pytest.mark.slow
def test_the_pynsist_layout_holds_the_app_resources_and_x64_modules(tmp_path):
    pytest.importorskip("nsist", reason="the build extra (pip install '.[build]') brings pynsist")
    stand_in = stand_in_embed_zip(tmp_path / "python-3.12.10-embed-amd64.zip")
    digest = hashlib.sha256(stand_in.read_bytes()).hexdigest()
    nsis = bi.build(stand_in, tmp_path / "out", makensis=False, version="3.12.10", digest=digest)
    pkgs = nsis / "pkgs"
    for name in ("main.py", "importers/child.py", "resources/units.json", "resources/rules/default.toml",
                 "resources/demo/plan.toml", "PySide6/QtCore.pyd", "PySide6/QtOpenGL.pyd", "numpy/__init__.py",
                 "python_calamine/__init__.py"):  # fmt: skip
        assert (pkgs / name).is_file(), name
    pyds = list(pkgs.rglob("*.pyd"))
    assert len(pyds) > 20 and all(bi.pe_machine(p) == bi.AMD64 for p in pyds)
    assert not list(pkgs.rglob("*.so")) and not (pkgs / "PySide6" / "qml").exists()
    assert sorted(p.name for p in (pkgs / "PySide6" / "translations").iterdir()) == ["qt_zh_CN.qm", "qtbase_zh_CN.qm"]
    assert "..\\pkgs" in (nsis / "Python" / "python312._pth").read_text().splitlines()
    assert (nsis / "bin" / "chengguan.exe").is_file()
    assert (nsis / "城管绩效台.launch.pyw").is_file()
    script = (nsis / "installer.nsi").read_text("utf-8")
    assert 'MUI_LANGUAGE "SimpChinese"' in script and "MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER" in script
    assert "/INSTDIR=" in script and "sec_path" in script
