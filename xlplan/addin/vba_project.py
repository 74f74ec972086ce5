"""Write a VBA project (``xl/vbaProject.bin``) from module source, on any OS.

The project is stored the way xlwings' own ``xlwings.xlam`` and
``quickstart_addin_ribbon.xlam`` store theirs, both of which Excel opens: a
``_VBA_PROJECT`` stream with no performance cache (version 0xFFFF), so Excel ignores
compiled code and compiles every module from its source, and module streams holding
compressed source only. Section numbers refer to [MS-OVBA] (Office VBA File Format
Structure, revision 11.0):

=====================  =================================================================
stream                 what it holds
=====================  =================================================================
``PROJECT``            §2.3.1 project properties as text: ID, one line per module, name,
                       protection (CMG/DPB/GC, §2.3.1.15-17, encrypted per §2.4.3)
``PROJECTwm``          §2.3.3 module names in MBCS and UTF-16
``VBA/_VBA_PROJECT``   §2.3.4.1 the 7-byte header, version 0xFFFF: no cache
``VBA/dir``            §2.3.4.2 information, references and modules, compressed (§2.4.1)
``VBA/<module>``       §2.3.4.3 the module's source, compressed; MODULEOFFSET is 0
=====================  =================================================================

Public names: :class:`VbaModule` (``from_file``, ``document``), :func:`compress`,
:func:`project_streams` and :func:`vba_project_bin`. Reading is left to independent
readers (oletools, LibreOffice) in the tests; nothing here decompresses.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from xlplan.addin.cfb import compound_file

ModuleKind = Literal["standard", "class", "document"]

CODE_PAGE = 1252  # the project's MBCS code page, as in xlwings' files (0x04E4)
LCID = 0x0409
# The Excel type library GUIDs a document module derives from (VB_Base), as Excel
# writes them (see xlwings' quickstart file): the workbook and a worksheet.
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
# The base a class module gets when the VBA editor imports a .cls file (as stored by
# Excel for every class of xlwings.xlam).
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"


@dataclass(frozen=True)
class Reference:
    """A registered type library reference (§2.3.4.2.2.5)."""

    name: str
    libid: str


# The two references of a new Excel project, as in xlwings.xlam: OLE Automation and
# the Office library (IRibbonControl lives there). VBA and Excel are implicit. The
# paths are hints; VBA resolves a registered library by its GUID and version.
DEFAULT_REFERENCES = (
    Reference("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
                        r"C:\Windows\System32\stdole2.tlb#OLE Automation"),
    Reference("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
                        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
                        r"#Microsoft Office 16.0 Object Library"),
)


@dataclass(frozen=True)
class VbaModule:
    """One module as stored in the project: its name, kind and source text.

    ``code`` is what the module stream holds: ``Attribute`` lines first, CRLF line
    ends, as the VBA editor stores a module after importing it.
    """

    name: str
    kind: ModuleKind
    code: str

    @classmethod
    def from_file(cls, path: Path) -> VbaModule:
        """A ``.bas`` (standard) or ``.cls`` (class) file as the VBA editor exports it.

        A ``.cls`` file starts with a ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END``
        block that the editor drops on import, adding the class attributes it keeps in
        the project (``VB_Base``, ``VB_TemplateDerived``, ``VB_Customizable``); this
        does the same, in the order Excel stored them for xlwings' classes.
        """
        text = path.read_bytes().decode("cp1252")
        lines = text.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        kind: ModuleKind = "class" if path.suffix.lower() == ".cls" else "standard"
        if kind == "class":
            if lines[:2] != ["VERSION 1.0 CLASS", "BEGIN"] or "END" not in lines:
                raise ValueError(f"{path.name}: not an exported class module")
            lines = lines[lines.index("END") + 1:]
            attrs = [line for line in lines if line.startswith("Attribute VB_")]
            if attrs[:1] and attrs[0].startswith("Attribute VB_Name"):
                lines.insert(1, f'Attribute VB_Base = "{CLASS_BASE}"')
                exposed = next((i for i, line in enumerate(lines)
                                if line.startswith("Attribute VB_Exposed")), None)
                if exposed is not None:
                    lines[exposed + 1:exposed + 1] = ["Attribute VB_TemplateDerived = False",
                                                      "Attribute VB_Customizable = False"]
        m = re.match(r'Attribute VB_Name = "(\w+)"$', lines[0] if lines else "")
        if not m:
            raise ValueError(f'{path.name}: the first line must be Attribute VB_Name = "..."')
        return cls(m.group(1), kind, "\r\n".join(lines) + "\r\n")

    @classmethod
    def document(cls, name: str, base: str) -> VbaModule:
        """An empty document module (ThisWorkbook or a sheet), as Excel writes one."""
        attrs = [("Name", f'"{name}"'), ("Base", f'"{base}"'), ("GlobalNameSpace", "False"),
                 ("Creatable", "False"), ("PredeclaredId", "True"), ("Exposed", "True"),
                 ("TemplateDerived", "False"), ("Customizable", "True")]
        return cls(name, "document", "".join(f"Attribute VB_{k} = {v}\r\n" for k, v in attrs))


# ---------------------------------------------------------------- compression (§2.4.1)

CHUNK = 4096  # §2.4.1.1.4: a chunk decompresses to 4,096 bytes at most


def _copy_token_layout(position: int) -> tuple[int, int]:
    """§2.4.1.3.19.1 CopyToken Help: (bit count of the offset, maximum length).

    The offset field widens as the chunk fills: at least 4 bits, and enough bits
    to reach back to the start of the chunk.
    """
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    """The token sequences of one chunk (§2.4.1.3.7), greedy longest-match LZ77.

    Candidates for a match are found through the positions of earlier 3-byte
    prefixes (most recent first, a bounded number of them), which keeps this fast;
    the spec's exhaustive search would find the same kind of tokens, only slower.
    """
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len, best_off = 0, 0
            if pos > 0 and pos + 3 <= n:
                bits, max_len = _copy_token_layout(pos)
                limit = min(max_len, n - pos)
                for cand in reversed(heads.get(chunk[pos:pos + 3], [])[-64:]):
                    length = 3
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                bits, _ = _copy_token_layout(pos)
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(chunk[pos])
                step = 1
            for p in range(pos, min(pos + step, n - 2)):
                heads.setdefault(chunk[p:p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """An MS-OVBA CompressedContainer (§2.4.1.1.1) of ``data``.

    Each 4,096-byte block becomes a compressed chunk (header with flag 1, §2.4.1.1.5)
    unless compressing would not fit in 4,096 bytes, in which case a full block is
    stored raw (flag 0). Raw storage of a short last block would be padded with zeros
    by the spec (§2.4.1.3.10) and so change the text; source code always compresses,
    so that case is refused instead.
    """
    out = bytearray(b"\x01")  # SignatureByte
    for start in range(0, len(data), CHUNK):
        block = data[start:start + CHUNK]
        tokens = _compress_chunk(block)
        if len(tokens) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(tokens) + 2 - 3)) + tokens
        elif len(block) == CHUNK:
            out += struct.pack("<H", 0x3000 | (CHUNK + 2 - 3)) + block
        else:
            raise ValueError("incompressible final chunk")
    return bytes(out)


# ---------------------------------------------------------------- records of VBA/dir

def _record(rid: int, data: bytes) -> bytes:
    """Id (2 bytes), Size (4 bytes), Data: the shape of almost every dir record."""
    return struct.pack("<HI", rid, len(data)) + data


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODE_PAGE}")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project_name: str, modules: Sequence[VbaModule],
               references: Sequence[Reference] = DEFAULT_REFERENCES) -> bytes:
    """The decompressed ``VBA/dir`` stream (§2.3.4.2), records in the order of the spec.

    The optional PROJECTCOMPATVERSION record is left out, as in xlwings' files.
    """
    out = bytearray()
    # §2.3.4.2.1 PROJECTINFORMATION
    out += _record(0x0001, _u32(0x00000001))  # PROJECTSYSKIND: 32-bit Windows, as xlwings'
    out += _record(0x0002, _u32(LCID))  # PROJECTLCID
    out += _record(0x0014, _u32(LCID))  # PROJECTLCIDINVOKE
    out += _record(0x0003, _u16(CODE_PAGE))  # PROJECTCODEPAGE
    out += _record(0x0004, _mbcs(project_name))  # PROJECTNAME
    out += _record(0x0005, b"") + _record(0x0040, b"")  # PROJECTDOCSTRING (+ Unicode)
    out += _record(0x0006, b"") + _record(0x003D, b"")  # PROJECTHELPFILEPATH (1 + 2)
    out += _record(0x0007, _u32(0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, _u32(0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: its "Size" field is a Reserved 4, then major (4) and minor (2).
    out += _u16(0x0009) + _u32(4) + _u32(1) + _u16(0)
    out += _record(0x000C, b"") + _record(0x003C, b"")  # PROJECTCONSTANTS (+ Unicode)
    # §2.3.4.2.2 PROJECTREFERENCES: a REFERENCENAME then a REFERENCEREGISTERED each.
    for ref in references:
        out += _record(0x0016, _mbcs(ref.name)) + _record(0x003E, _utf16(ref.name))
        libid = _mbcs(ref.libid)
        body = _u32(len(libid)) + libid + _u32(0) + _u16(0)  # Reserved1, Reserved2
        out += _record(0x000D, body)
    # §2.3.4.2.3 PROJECTMODULES
    out += _record(0x000F, _u16(len(modules)))  # count
    out += _record(0x0013, _u16(0xFFFF))  # PROJECTCOOKIE
    for m in modules:  # §2.3.4.2.3.2 MODULE
        out += _record(0x0019, _mbcs(m.name)) + _record(0x0047, _utf16(m.name))
        out += _record(0x001A, _mbcs(m.name)) + _record(0x0032, _utf16(m.name))  # stream
        out += _record(0x001C, b"") + _record(0x0048, b"")  # MODULEDOCSTRING
        out += _record(0x0031, _u32(0))  # MODULEOFFSET: source starts at 0, no cache
        out += _record(0x001E, _u32(0))  # MODULEHELPCONTEXT
        out += _record(0x002C, _u16(0xFFFF))  # MODULECOOKIE
        # MODULETYPE: 0x0021 procedural; 0x0022 document, class or designer.
        out += _record(0x0021 if m.kind == "standard" else 0x0022, b"")
        out += _record(0x002B, b"")  # module Terminator (Reserved 0)
    out += _record(0x0010, b"")  # PROJECTMODULES Terminator
    return bytes(out)


# ---------------------------------------------------------------- PROJECT (§2.3.1)

def _encrypt(project_id: str, data: bytes, seed: int) -> str:
    """§2.4.3.2 Data Encryption, as hex text (CMG, DPB and GC hold this).

    Deterministic: the seed is fixed and the ignored bytes are the seed itself, so
    the same project gives the same file.
    """
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted, enc1, enc2 = key, seed ^ key, seed ^ version
    ignored = [seed] * ((seed & 6) // 2)
    for byte in [*ignored, *_u32(len(data)), *data]:
        enc = byte ^ ((enc2 + unencrypted) & 0xFF)
        out.append(enc)
        enc2, enc1, unencrypted = enc1, enc, byte
    return out.hex().upper()


def project_stream(project_name: str, project_id: str, modules: Sequence[VbaModule],
                   seed: int = 0x1A) -> bytes:
    """The ``PROJECT`` stream (§2.3.1): unprotected, visible, no password."""
    kinds = {"document": "Document={}/&H00000000", "standard": "Module={}", "class": "Class={}"}
    no_password, visible = b"\x00", b"\xff"
    lines = [f'ID="{project_id}"']
    lines += [kinds[m.kind].format(m.name) for m in modules]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{_encrypt(project_id, _u32(0), seed)}"',  # protection state: none
        f'DPB="{_encrypt(project_id, no_password, seed)}"',
        f'GC="{_encrypt(project_id, visible, seed)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def projectwm_stream(modules: Sequence[VbaModule]) -> bytes:
    """``PROJECTwm`` (§2.3.3): each module name in MBCS and UTF-16, then a terminator."""
    out = bytearray()
    for m in modules:
        out += _mbcs(m.name) + b"\0" + _utf16(m.name) + b"\0\0"
    return bytes(out + b"\0\0")


# §2.3.4.1: Reserved1 0x61CC, Version 0xFFFF (no cache: compile from source), then
# the reserved bytes exactly as in xlwings' files.
VBA_PROJECT_HEADER = b"\xcc\x61\xff\xff\x00\x01\x00"


def project_streams(project_name: str, modules: Sequence[VbaModule], *,
                    project_id: str, references: Sequence[Reference] = DEFAULT_REFERENCES,
                    ) -> dict[str, bytes]:
    """Every stream of the project, by path inside the compound file."""
    names = [m.name.lower() for m in modules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"module names must be unique: {dupes}")
    streams = {
        "PROJECT": project_stream(project_name, project_id, modules),
        "PROJECTwm": projectwm_stream(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_HEADER,
        "VBA/dir": compress(dir_stream(project_name, modules, references)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(_mbcs(m.code))
    return streams


def vba_project_bin(project_name: str, modules: Sequence[VbaModule], *, project_id: str,
                    references: Sequence[Reference] = DEFAULT_REFERENCES) -> bytes:
    """The bytes of ``vbaProject.bin``: :func:`project_streams` in a compound file."""
    return compound_file(project_streams(project_name, modules, project_id=project_id,
                                         references=references))
