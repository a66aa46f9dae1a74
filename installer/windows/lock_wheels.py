"""Pin the Windows wheels (win_amd64, CPython 3.12) the installer ships: requirements-win.txt, hash-pinned.

    python installer/windows/lock_wheels.py          # after changing dependencies in pyproject.toml

Resolves pyproject.toml's dependencies the way Windows would: each wheel's own requirements are followed with
Windows markers (click needs colorama there; `pip download --platform` alone evaluates markers for the machine
it runs on). Every wheel is fetched from the index with `pip download`, which checks the index's published
hash, and its sha256 is written beside its pin. The header records a digest of the dependency list, so a
test notices a dependency added without re-locking.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LOCK = HERE / "requirements-win.txt"
PY_VERSION = "3.12"
PLATFORM = "win_amd64"
PIP_TARGET = ["--platform", PLATFORM, "--python-version", PY_VERSION, "--implementation", "cp", "--abi", "cp312"]
PIP_TARGET += ["--only-binary=:all:"]
# packaging.markers names, as CPython 3.12 on 64-bit Windows reports them
WINDOWS = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_release": "10",
    "platform_version": "10.0.19045",
    "python_version": PY_VERSION,
    "python_full_version": PY_VERSION + ".10",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "implementation_version": PY_VERSION + ".10",
    "extra": "",
}


def dependencies(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    return list(tomllib.loads(pyproject.read_text("utf-8"))["project"]["dependencies"])


def dependencies_digest(deps: list[str]) -> str:
    return hashlib.sha256(json.dumps(sorted(deps), ensure_ascii=False).encode()).hexdigest()[:16]


def applies(requirement: Requirement) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(WINDOWS)


def _download(name: str, spec: SpecifierSet, dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *PIP_TARGET, "-d", str(dest), f"{name}{spec}"],
        check=True,
    )
    matches = [p for p in dest.glob("*.whl") if canonicalize_name(parse_wheel_filename(p.name)[0]) == name]
    return max(matches, key=lambda p: parse_wheel_filename(p.name)[1])


def _requires(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(zf.read(meta).decode("utf-8"))
    return [Requirement(r) for r in message.get_all("Requires-Dist") or []]


def resolve(deps: list[str], dest: Path) -> dict[str, Path]:
    """Name → the wheel chosen for it; re-picks a name when a later requirement narrows its versions."""
    wanted: dict[str, SpecifierSet] = {}
    chosen: dict[str, Path] = {}
    todo = [Requirement(d) for d in deps]
    while todo:
        requirement = todo.pop(0)
        if not applies(requirement):
            continue
        name = canonicalize_name(requirement.name)
        wanted[name] = wanted.get(name, SpecifierSet()) & requirement.specifier
        have = chosen.get(name)
        if have is not None and wanted[name].contains(parse_wheel_filename(have.name)[1], prereleases=True):
            continue
        chosen[name] = _download(name, wanted[name], dest)
        todo += [r for r in _requires(chosen[name]) if applies(r)]
    return chosen


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_lock(chosen: dict[str, Path], deps: list[str], lock: Path = LOCK) -> None:
    lines = [
        "# Windows wheels for the installer (win_amd64, CPython 3.12), hash-pinned.",
        "# Generated from pyproject.toml by installer/windows/lock_wheels.py: do not edit by hand.",
        f"# dependencies-digest: {dependencies_digest(deps)}",
    ]
    for name in sorted(chosen):
        wheel = chosen[name]
        lines.append(f"{name}=={parse_wheel_filename(wheel.name)[1]} \\")
        lines.append(f"    --hash=sha256:{sha256(wheel)}")
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_lock(lock: Path = LOCK) -> tuple[str | None, dict[str, str]]:
    """(dependencies digest, name → pinned version) from the lock file."""
    text = lock.read_text("utf-8")
    digest = re.search(r"^# dependencies-digest: (\w+)", text, re.M)
    pins = {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}
    return (digest[1] if digest else None), pins


def main() -> int:
    deps = dependencies()
    with tempfile.TemporaryDirectory(prefix="chengguan-lock-", ignore_cleanup_errors=True) as folder:
        chosen = resolve(deps, Path(folder))
        write_lock(chosen, deps)
    print(f"{LOCK}: {len(chosen)} wheels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
