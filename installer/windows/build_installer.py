"""Build the Windows installer (pynsist + NSIS) from this repository, on Linux or Windows.

    python installer/windows/build_installer.py --python-embed python-3.12.10-embed-amd64.zip [--out DIR]

1. checks the embeddable CPython zip against python-embed.toml (version and sha256);
2. checks requirements-win.txt is current for pyproject.toml, then fetches those win_amd64 / cp312 wheels with
   `pip download --require-hashes` and builds the app's own wheel;
3. writes the pynsist configuration (installer.cfg with the version, the wheels and the exclusions of
   installer/app_parts.py) and runs pynsist, which lays out <out>/nsis (Python\\, pkgs\\, launchers) and runs
   makensis: <out>/nsis/chengguan-console-setup.exe. ``--no-makensis`` stops after the layout.

Needs the build extra (pynsist) and, for the installer itself, makensis (Debian: nsis).
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from app_parts import keep_file  # noqa: E402
from lock_wheels import LOCK, PIP_TARGET, dependencies, dependencies_digest, read_lock, sha256  # noqa: E402
from project_wheel import ROOT, project_wheel  # noqa: E402

EMBED_PIN = HERE / "python-embed.toml"
AMD64 = 0x8664


class BuildError(Exception):
    """A precondition of the build failed; the message says what to do."""


def embed_pin() -> dict:
    return tomllib.loads(EMBED_PIN.read_text("utf-8"))


def check_embed_zip(path: Path, *, version: str, digest: str) -> None:
    """The zip is the pinned CPython: its sha256, and a pythonXY._pth / pythonXY.zip of that version inside."""
    if not path.is_file():
        raise BuildError(f"找不到嵌入式 Python：{path}")
    actual = sha256(path)
    if actual != digest.lower():
        raise BuildError(f"{path.name} 的 sha256 是 {actual}，与固定值 {digest} 不符（{EMBED_PIN.name}）")
    major, minor = version.split(".")[:2]
    names = set(zipfile.ZipFile(path).namelist())
    expected = {f"python{major}{minor}._pth", f"python{major}{minor}.dll", "python.exe", "pythonw.exe"}
    if not expected <= names:
        raise BuildError(f"{path.name} 不是 CPython {version} 的嵌入式包（缺少 {', '.join(sorted(expected - names))}）")


def check_lock() -> dict[str, str]:
    digest, pins = read_lock()
    if digest != dependencies_digest(dependencies()):
        raise BuildError(f"{LOCK.name} 与 pyproject.toml 的依赖不一致：先运行 python installer/windows/lock_wheels.py")
    return pins


def fetch_wheels(dest: Path) -> list[Path]:
    """The locked wheels, each checked against its pinned hash by pip."""
    dest.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "-q", "--require-hashes", "--no-deps", *PIP_TARGET]
    subprocess.run([*command, "-r", str(LOCK), "-d", str(dest)], check=True)
    return sorted(dest.glob("*.whl"))


def exclusions(wheels: list[Path]) -> list[str]:
    """pynsist exclude patterns for what app_parts.keep_file drops: a whole folder once, else file by file."""
    patterns: set[str] = set()
    for wheel in wheels:
        names = [n for n in zipfile.ZipFile(wheel).namelist() if not n.endswith("/")]
        dropped = {n for n in names if not keep_file(n)}
        kept_dirs = {str(p) for n in names if n not in dropped for p in PurePosixPath(n).parents}
        for name in dropped:
            top = name
            for parent in reversed(PurePosixPath(name).parents[:-1]):
                if str(parent) not in kept_dirs:
                    top = str(parent)
                    break
            patterns.add("pkgs/" + top)
    return sorted(patterns)


def write_config(work: Path, wheels: list[Path], *, py_version: str) -> Path:
    config = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    config.optionxform = str
    config.read(HERE / "installer.cfg", encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    config["Application"]["version"] = project["version"]
    config["Python"]["version"] = py_version
    config["Include"]["local_wheels"] = "\n".join(f"wheels/{w.name}" for w in wheels)
    config["Include"]["exclude"] = "\n".join(exclusions(wheels))
    path = work / "installer.cfg"
    with path.open("w", encoding="utf-8") as fh:
        config.write(fh)
    shutil.copy2(HERE / "installer.nsi", work / "installer.nsi")
    shutil.copy2(ROOT / "resources" / "app.ico", work / "app.ico")
    return path


def pe_machine(path: Path) -> int:
    """The COFF machine field of a PE file (.pyd, .dll)."""
    data = path.read_bytes()[:4096]
    offset = int.from_bytes(data[0x3C:0x40], "little")
    if data[:2] != b"MZ" or data[offset : offset + 4] != b"PE\0\0":
        raise BuildError(f"{path} 不是 Windows 可执行文件")
    return int.from_bytes(data[offset + 4 : offset + 6], "little")


def check_layout(nsis: Path, *, version: str) -> None:
    """The app, resources/ and only x64 extension modules in pkgs; the ._pth puts pkgs on sys.path."""
    pkgs = nsis / "pkgs"
    for needed in ("main.py", "models/store.py", "importers/child.py", "resources/units.json", "resources/app.ico"):
        if not (pkgs / needed).is_file():
            raise BuildError(f"pkgs 中缺少 {needed}")
    wrong = [str(p.relative_to(pkgs)) for p in pkgs.rglob("*.pyd") if pe_machine(p) != AMD64]
    if wrong:
        raise BuildError(f"不是 x64 的扩展模块：{', '.join(wrong)}")
    tag = re.compile(r"\.cp(\d+)-win_amd64\.pyd$")
    other = [p.name for p in pkgs.rglob("*.pyd") if (m := tag.search(p.name)) and m[1] != version.replace(".", "")[:3]]
    if other:
        raise BuildError(f"其他 Python 版本的扩展模块：{', '.join(other)}")
    major, minor = version.split(".")[:2]
    pth = (nsis / "Python" / f"python{major}{minor}._pth").read_text("utf-8", errors="replace")
    if "..\\pkgs" not in pth.splitlines():
        raise BuildError(f"python{major}{minor}._pth 没有把 pkgs 加入 sys.path")


def build(
    embed_zip: Path,
    out: Path,
    *,
    makensis: bool = True,
    version: str | None = None,
    digest: str | None = None,
    wheel_cache: Path | None = None,
) -> Path:
    """Lay out (and with makensis, build) the installer in out/nsis; returns that folder."""
    pin = embed_pin()
    version, digest = version or pin["version"], digest or pin["sha256"]
    check_embed_zip(embed_zip, version=version, digest=digest)
    check_lock()
    out = out.resolve()
    work = out / "pynsist"
    shutil.rmtree(work, ignore_errors=True)
    (work / "wheels").mkdir(parents=True)
    wheels = []
    for wheel in fetch_wheels(wheel_cache or out / "wheel-cache"):
        wheels.append(Path(shutil.copy2(wheel, work / "wheels" / wheel.name)))
    wheels.append(project_wheel(work / "wheels"))
    config = write_config(work, wheels, py_version=version)
    cache = out / "pynsist-cache"  # pynsist takes the embeddable zip from its cache instead of downloading it
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy2(embed_zip, cache / f"python-{version}-embed-amd64.zip")
    command = [sys.executable, "-m", "nsist", str(config)] + ([] if makensis else ["--no-makensis"])
    subprocess.run(command, check=True, env=dict(os.environ, PYNSIST_CACHE_DIR=str(cache)))
    nsis = work / "nsis"
    check_layout(nsis, version=version)
    return nsis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="城管绩效台 Windows 安装程序（pynsist）")
    parser.add_argument("--python-embed", required=True, type=Path, help="python-X.Y.Z-embed-amd64.zip")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "windows", help="work and output folder")
    parser.add_argument("--no-makensis", action="store_true", help="stop after the layout (no installer .exe)")
    parser.add_argument("--wheel-cache", type=Path, help="keep downloaded wheels here between builds")
    parser.add_argument("--embed-version", help="a stand-in zip's CPython version (tests; default: the pin)")
    parser.add_argument("--embed-sha256", help="a stand-in zip's sha256 (tests; default: the pin)")
    args = parser.parse_args(argv)
    try:
        nsis = build(
            args.python_embed,
            args.out,
            makensis=not args.no_makensis,
            version=args.embed_version,
            digest=args.embed_sha256,
            wheel_cache=args.wheel_cache,
        )
    except BuildError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    setup = nsis / "chengguan-console-setup.exe"
    print(setup if setup.exists() else f"{nsis}（只生成了文件布局）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
