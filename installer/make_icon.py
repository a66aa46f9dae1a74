"""Draw the app icon (resources/app.png, resources/app.ico): three rising bars on the navigation's dark blue.

Run once when the design changes: ``python installer/make_icon.py``. The .ico holds PNG images at 16–256 px
(Windows Vista and later read PNG entries), written by hand so no imaging library is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
OUT = Path(__file__).resolve().parent.parent / "resources"


def draw(size: int) -> bytes:
    """The icon at `size` px as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, QColor("#3b5b80"))
    gradient.setColorAt(1, QColor("#24364b"))
    p.setBrush(gradient)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    colours = ("#9fc3ea", "#d3e5f8", "#ffffff")
    for i, (height, colour) in enumerate(zip((70, 115, 160), colours, strict=True)):
        p.setBrush(QColor(colour))
        p.drawRoundedRect(QRectF((52 + i * 56) * s, (200 - height) * s, 40 * s, height * s), 6 * s, 6 * s)
    p.setBrush(QColor("#f2b84b"))
    p.drawRect(QRectF(40 * s, 204 * s, 176 * s, 12 * s))
    p.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file of PNG entries: ICONDIR, one ICONDIRENTRY per size, then the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: draw(size) for size in SIZES}
    (OUT / "app.png").write_bytes(images[256])
    (OUT / "app.ico").write_bytes(ico(images))
    print(f"{OUT / 'app.png'}, {OUT / 'app.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
