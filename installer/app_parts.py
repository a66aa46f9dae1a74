"""What the packaged app leaves out: Qt and Python parts the console never loads.

Kept: QtCore, QtGui, QtWidgets and QtOpenGL(Widgets) (pyqtgraph imports them) with their libraries; the
platform plugins (Windows, X11/xcb, offscreen), image formats, styles, the xdg-desktop-portal theme and the
input contexts (Chinese input methods on Linux); the zh_CN Qt translations. Left out: Qt Quick/QML,
WebEngine, Designer, networking/TLS, SQL drivers, printing, SVG, Wayland plugins (XWayland serves), the GTK 3
theme (it drags in a second toolkit), the other languages' translations, and Python modules only optional
features reach (tkinter, unittest, pyqtgraph's OpenGL/Jupyter/console, numpy's yaml).
"""

from __future__ import annotations

import re
from pathlib import PurePath

EXCLUDED_MODULES = [
    "tkinter",
    "unittest",
    "pydoc_data",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtNetwork",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtPrintSupport",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtHelp",
    "pyqtgraph.opengl",
    "pyqtgraph.jupyter",
    "pyqtgraph.examples",
    "pyqtgraph.console",
    "pyqtgraph.canvas",
    "pyqtgraph.flowchart",
    "OpenGL",
    "matplotlib",
    "scipy",
    "h5py",
    "IPython",
    "yaml",  # numpy.__config__ only
    "requests",
    "charset_normalizer",
]

# Paths inside the bundle (as PyInstaller names them: PySide6/Qt/plugins/..., PySide6/Qt/translations/...).
_DROPPED = [
    r"Qt/qml/",
    r"Qt/translations/(?!(qt|qtbase)_zh_CN\.qm$)",
    r"Qt/plugins/(designer|qmltooling|qmllint|sqldrivers|tls|networkinformation|egldeviceintegrations|generic)/",
    r"Qt/plugins/(wayland-[a-z-]+|vectorimageformats)/",
    r"Qt/plugins/platforms/.*(wayland|eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)",
    r"Qt/plugins/printsupport/",
    r"Qt/plugins/(imageformats|iconengines)/.*svg",
    r"Qt/plugins/platformthemes/.*gtk3",  # GTK 3 on the build machine: a second toolkit (cairo, pango …)
    r"Qt/metatypes/",
    r"Qt/libexec/",
    r"Qt/lib/libQt6(Quick|Qml|WebEngine|Designer|Pdf|VirtualKeyboard|WaylandClient|WaylandEgl|Network|Sql|Test|Xml"
    r"|Concurrent|PrintSupport|Svg|Help|EglFs|3D|Multimedia|ShaderTools|Positioning|Location)",
    r"(^|/)Qt6(Quick|Qml|WebEngine|Designer|Pdf|VirtualKeyboard|Network|Sql|Test|Xml|Concurrent"
    r"|PrintSupport|Svg|Help|3D|Multimedia|ShaderTools|Positioning|Location)\w*\.dll$",
]
_DROPPED_RE = re.compile("|".join(f"(?:{p})" for p in _DROPPED))


def keep_file(dest: str) -> bool:
    """Whether a collected file (its path inside the bundle) stays in the trimmed app."""
    return not _DROPPED_RE.search(dest.replace("\\", "/"))


def _is_root(dest: str, kind: str) -> bool:
    """Loaded by the bootloader, the interpreter or Qt's plugin loader rather than linked: always kept."""
    name = PurePath(dest).name.lower()
    return kind == "EXTENSION" or "/plugins/" in dest.replace("\\", "/") or name.startswith(("libpython", "python"))


def prune_unlinked(binaries: list[tuple]) -> list[tuple]:
    """Drop shared libraries that nothing kept links to: those that came in only with a dropped plugin or module
    (on Linux, GTK's stack behind the gtk3 theme). Follows the link graph from the extension modules, the Qt
    plugins and the Python library; a symlink stays when its target does."""
    from PyInstaller.depend.bindepend import get_imports

    by_name: dict[str, list[tuple]] = {}
    for entry in binaries:
        by_name.setdefault(PurePath(entry[0]).name.lower(), []).append(entry)
    kept: set[int] = set()
    todo = [e for e in binaries if _is_root(e[0], e[2])]
    while todo:
        entry = todo.pop()
        if id(entry) in kept:
            continue
        kept.add(id(entry))
        if entry[2] == "SYMLINK":
            continue
        for name, _path in get_imports(entry[1]):
            todo += [e for e in by_name.get(PurePath(name).name.lower(), []) if id(e) not in kept]
    real = {PurePath(e[0]).as_posix() for e in binaries if id(e) in kept and e[2] != "SYMLINK"}
    out = []
    for entry in binaries:
        if entry[2] == "SYMLINK":
            target = (PurePath(entry[0]).parent / entry[1]).as_posix()
            if target in real:
                out.append(entry)
        elif id(entry) in kept:
            out.append(entry)
    return out
