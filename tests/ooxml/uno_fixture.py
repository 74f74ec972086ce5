"""Build a LibreOffice-saved copy of a workbook with a text box, a comment and an image.

Run with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno):

    /usr/bin/python3 tests/ooxml/uno_fixture.py IN.xlsx OUT.xlsx SHEET

It starts a private headless LibreOffice (its own profile in a temporary folder), opens IN,
draws on sheet SHEET a text box (a drawing shape) reading "テキストボックス", a comment
(note) on cell B5 reading "メモ: 確認済み" and a small PNG picture, and saves the result as
Office Open XML (.xlsx) to OUT. Nothing binary is committed: the test session builds it.
"""

from __future__ import annotations

import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.awt import Point, Size  # type: ignore[import-not-found]
from com.sun.star.table import CellAddress  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared launcher
from uno_office import office, prop

TEXT_BOX = "テキストボックス"
COMMENT = "メモ: 確認済み"


def png(width: int = 16, height: int = 16) -> bytes:
    """A small red/blue PNG made from scratch (no imaging library needed)."""
    rows = b"".join(b"\x00" + b"".join(
        (b"\xff\x00\x00" if (x + y) % 2 else b"\x00\x00\xff") for x in range(width))
        for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main(src: Path, out: Path, sheet_name: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="uno-fixture-"))
    try:
        with office() as (desktop, ctx):
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(src.resolve())),
                                               "_blank", 0, (prop("Hidden", True),))
            sheet = doc.Sheets.getByName(sheet_name)
            page = sheet.DrawPage

            box = doc.createInstance("com.sun.star.drawing.TextShape")
            box.Position = Point(2000, 30000)
            box.Size = Size(6000, 2000)
            page.add(box)
            box.setString(TEXT_BOX)

            addr = CellAddress()
            addr.Sheet = doc.Sheets.getElementNames().index(sheet_name)
            addr.Column = 1
            addr.Row = 4
            sheet.Annotations.insertNew(addr, COMMENT)

            image_path = work / "picture.png"
            image_path.write_bytes(png())
            provider = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.graphic.GraphicProvider", ctx)
            graphic = provider.queryGraphic(
                (prop("URL", uno.systemPathToFileUrl(str(image_path))),))
            pic = doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
            pic.Graphic = graphic
            page.add(pic)
            pic.Position = Point(10000, 30000)
            pic.Size = Size(2000, 2000)

            doc.storeToURL(uno.systemPathToFileUrl(str(out.resolve())),
                           (prop("FilterName", "Calc Office Open XML"),))
            doc.close(True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
