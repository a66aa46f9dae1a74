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

# Paths inside the bundle or a wheel. PySide6 lays Qt out as PySide6/Qt/{lib,plugins,translations} on Linux and
# as PySide6/{plugins,translations,Qt6*.dll} on Windows; the patterns take both.
_QT = r"PySide6/(?:Qt/)?"
_UNUSED_QT = (
    r"(?:Quick|Qml|WebEngine|Designer|Pdf|VirtualKeyboard|Wayland|Wl|Network|Sql|Test|Xml|Concurrent|PrintSupport"
    r"|Svg|Help|EglFs|EglFS|3D|Multimedia|ShaderTools|Positioning|Location|Labs|Lottie|UiTools|Graphs|Charts"
    r"|DataVisualization|SerialPort|Bluetooth|Nfc|RemoteObjects|Scxml|StateMachine|TextToSpeech|WebChannel"
    r"|WebSockets|HttpServer|SpatialAudio|Sensors)"
)
_DROPPED = [
    _QT + r"qml/",
    _QT + r"translations/(?!(qt|qtbase)_zh_CN\.qm$)",
    _QT + r"plugins/(designer|qmltooling|qmllint|qmlls|sqldrivers|tls|networkinformation|egldeviceintegrations"
    r"|generic|printsupport|wayland-[a-z-]+|vectorimageformats|assetimporters|sceneparsers|renderers)/",
    _QT + r"plugins/platforms/.*(wayland|eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)",
    _QT + r"plugins/(imageformats|iconengines)/.*svg",
    _QT + r"plugins/platformthemes/.*gtk3",  # GTK 3 on the build machine: a second toolkit (cairo, pango …)
    _QT + r"(metatypes|libexec|include|typesystems|glue|scripts|resources|doc)/",
    r"PySide6/[^/]+\.(exe|pyi|lib)$",  # designer, linguist, qmlls …; type stubs; link libraries
    r"(^|/)(lib)?pyside6qml\.",
    r"PySide6/opengl32sw\.dll$",  # Mesa's software OpenGL for Qt Quick: 20 MB the widgets never load
    rf"(^|/)(lib)?Qt6{_UNUSED_QT}\w*\.(dll|so\.6)$",
    rf"PySide6/Qt{_UNUSED_QT}\w*\.(pyd|abi3\.so)$",
    r"pyqtgraph/(examples|opengl|jupyter)/",
    r"numpy/(.+/)?tests/",
    r"^pip/",  # sqlite-utils requires pip for its `install` command only
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
