"""Fixtures of the add-in tests: one built add-in per session, and the reference files.

Expected values come from readers and files we did not write: oletools (olefile,
olevba), LibreOffice, the ``.bas``/``.cls`` files of ``macros/`` and of the installed
xlwings package, and the two VBA projects Excel saved that xlwings ships
(``quickstart_addin_ribbon.xlam`` and ``addin/xlwings.xlam``).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile
import pytest
from oletools.olevba import decompress_stream

from xlplan.addin import addin_settings, build_addin, xlwings_addin_dir

MACROS = Path(__file__).resolve().parents[2] / "macros"
XLWINGS_ADDIN = xlwings_addin_dir()
QUICKSTART = XLWINGS_ADDIN.parent / "quickstart_addin_ribbon.xlam"
XLWINGS_XLAM = XLWINGS_ADDIN / "xlwings.xlam"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "xlplan.xlam"
    settings = addin_settings(interpreter=r"C:\xlplan\venv\Scripts\python.exe",
                              pythonpath="C:\\xlplan\\src\\")
    return build_addin(out, settings=settings).path


def vba_bin(xlam: Path) -> bytes:
    with zipfile.ZipFile(xlam) as z:
        return z.read("xl/vbaProject.bin")


def ole(xlam: Path) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(vba_bin(xlam)))


@dataclass
class Record:
    rid: int
    data: bytes


def dir_records(o: olefile.OleFileIO) -> list[Record]:
    """The records of VBA/dir, decompressed by oletools, split by Id/Size (§2.3.4.2).

    The same walker reads xlwings' files (saved by Excel), which shows it reads right.
    """
    d = bytes(decompress_stream(bytearray(o.openstream("VBA/dir").read())))
    out, i = [], 0
    while i < len(d):
        rid, size = struct.unpack_from("<HI", d, i)
        if rid == 0x0009:  # PROJECTVERSION: Reserved (4), then 6 bytes of version
            size = 6
        out.append(Record(rid, d[i + 6:i + 6 + size]))
        i += 6 + size
    return out


def module_records(records: list[Record]) -> dict[str, list[int]]:
    """Module name -> the Ids of its records, from MODULENAME to its Terminator."""
    out: dict[str, list[int]] = {}
    name = None
    for r in records:
        if r.rid == 0x0019:
            name = r.data.decode("cp1252")
            out[name] = []
        if name is not None:
            out[name].append(r.rid)
        if r.rid == 0x002B:
            name = None
    return out


def source_lines(path: Path) -> list[str]:
    """A module file as the VBA editor keeps it, minus Attribute lines.

    An exported ``.cls`` starts with a VERSION/BEGIN ... END block that the editor drops
    on import (it is not part of the module); Attribute lines are hidden by every reader
    (olevba filters them, LibreOffice drops them) and are compared separately.
    """
    lines = path.read_bytes().decode("cp1252").replace("\r\n", "\n").split("\n")
    if path.suffix == ".cls":
        lines = lines[lines.index("END") + 1:]
    while lines and lines[-1] == "":
        lines.pop()
    return [line for line in lines if not line.startswith("Attribute VB_")]
