"""The code's shape, checked: layers point one way, Qt stays out of the core, and no import goes in a circle.

The layer and Qt rules are import-linter contracts in pyproject.toml ([tool.importlinter]); `.ci/run` runs
`lint-imports` and this runs the same contracts, so the README's test command checks them too. The cycle
check is ours: a layers contract sees nothing inside one layer. Every import statement counts, wherever it
sits (function bodies included): a lazy import is still a dependency a reader has to hold.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", ".venv", "venv", "build", "dist", "__pycache__"}


def modules_under(root: Path) -> dict[str, Path]:
    """Every Python module below `root` by dotted name (a package by its __init__.py)."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if SKIP_DIRS.intersection(parts):
            continue
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of a dotted name that is one of our modules (None: not ours)."""
    parts = name.split(".")
    while parts:
        if (candidate := ".".join(parts)) in modules:
            return candidate
        parts.pop()
    return None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module → the modules of ours it imports, from every import statement anywhere in its source."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                base = ".".join([*base, node.module] if node.module else base)
                # `from pkg import mod` imports the submodule, `from mod import name` the module itself
                imported = [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            targets.update(t for t in (_resolve(i, modules) for i in imported) if t is not None and t != name)
        graph[name] = targets
    return graph


def cyclic_groups(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (strongly connected components > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []
    for start in sorted(graph):  # Tarjan's algorithm, iterative (no recursion limit on deep graphs)
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while (member := stack.pop()) != node:
                    group.append(member)
                group.append(node)
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def one_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest circle of imports through the group's first module, to print."""
    members, start = set(group), group[0]
    paths = {start: [start]}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return group


def test_no_import_cycles():
    graph = import_graph(modules_under(ROOT))
    groups = cyclic_groups(graph)
    assert not groups, "import cycles (function-level imports count):\n" + "\n".join(
        f"{' → '.join(one_cycle(graph, g))}  (in a circle: {', '.join(g)})" for g in groups
    )


def test_the_cycle_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def later():\n    from .c import thing\n    return thing\n")
    (package / "c.py").write_text("import pkg.a\nimport json\nthing = 1\n")
    (package / "d.py").write_text("from pkg.a import *\n")
    graph = import_graph(modules_under(tmp_path))
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c"}, "pkg.c": {"pkg.a"}, "pkg.d": {"pkg.a"}}
    assert cyclic_groups(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert one_cycle(graph, ["pkg.a", "pkg.b", "pkg.c"]) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_layer_and_qt_contracts_hold():
    """pyproject.toml's contracts: CLI > ui > demo > importers | exporters > models; no Qt below ui.

    In a child process: import-linter reconfigures logging (disabling the loggers that exist) when it runs.
    """
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
