"""The add-in's VBA project, read back by readers we did not write.

oletools (olefile for the container, olevba for the VBA project) and LibreOffice read
the project ``xlplan addin build`` writes; the expected texts are the module files
themselves, and the expected shape is that of the two projects Excel saved that
xlwings ships (see conftest.py).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Project, decompress_stream

from tests.addin.conftest import (
    MACROS,
    QUICKSTART,
    XLWINGS_ADDIN,
    XLWINGS_XLAM,
    dir_records,
    module_records,
    ole,
    source_lines,
)
from tests.lanes import examples
from xlplan.addin.vba_project import compress

# xlwings' client for xlwings Server: Remote.bas and what it needs to compile (Remote
# calls GetConfig of Config, RunPython/RunFrozenPython of Main, GetMacDir/CreateGuid of
# Utils; the Web* classes and WebHelpers use Dictionary and IWebAuthenticator).
CLIENT = ["Remote.bas", "Config.bas", "Main.bas", "Utils.bas", "WebHelpers.bas",
          "Dictionary.cls", "IWebAuthenticator.cls", "WebClient.cls", "WebRequest.cls",
          "WebResponse.cls"]
OURS = sorted(p for p in MACROS.iterdir() if p.suffix in (".bas", ".cls"))
FILES = {p.stem: p for p in OURS} | {Path(n).stem: XLWINGS_ADDIN / n for n in CLIENT}
DOCUMENTS = {"ThisWorkbook", "Sheet1"}
NON_MODULE_STREAMS = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"}


def olevba_project(o: olefile.OleFileIO) -> VBA_Project:
    """oletools' own parse of PROJECT and VBA/dir, strict: it raises on what it doubts."""
    project = VBA_Project(o, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    return project


def lines(code: str) -> list[str]:
    out = code.replace("\r\n", "\n").split("\n")
    while out and out[-1] == "":
        out.pop()
    return out


def test_olevba_reads_every_module_as_in_its_file(built: Path) -> None:
    project = olevba_project(ole(built))
    assert project.projectname == "xlplan"
    assert project.codepage == 1252
    got = {m.name: m for m in project.modules}
    assert set(got) == DOCUMENTS | set(FILES)
    for name, path in FILES.items():
        exp = source_lines(path)
        assert [x for x in lines(got[name].code) if not x.startswith("Attribute VB_")] == exp, name
        # MODULETYPE 0x0021 procedural, 0x0022 class or document (§2.3.4.2.3.2.8);
        # the extension olevba gives comes from the PROJECT stream's Module=/Class= line.
        assert (got[name].type, got[name].filename) == (
            (0x0021, f"{name}.bas") if path.suffix == ".bas" else (0x0022, f"{name}.cls")), name
    for name in DOCUMENTS:
        assert got[name].type == 0x0022


def test_attributes_are_those_excel_stored_for_the_same_modules(built: Path) -> None:
    """Excel saved xlwings.xlam with ThisWorkbook, Sheet1 and the same classes: the
    attribute lines it stored (VB_Base, ...) are what ours carry."""
    got = {m.name: lines(m.code) for m in olevba_project(ole(built)).modules}
    exp = {m.name: lines(m.code) for m in olevba_project(olefile.OleFileIO(
        io.BytesIO(_vba_bin(XLWINGS_XLAM)))).modules}
    for name in DOCUMENTS:
        assert got[name] == exp[name]  # empty document modules: only attributes
    for name, path in FILES.items():
        attrs = [x for x in got[name] if x.startswith("Attribute VB_") and "." not in x.split()[1]]
        if name in exp and path.suffix == ".cls":
            assert attrs == [x for x in exp[name] if x.startswith("Attribute VB_")
                             and "." not in x.split()[1]], name
        assert attrs[0] == f'Attribute VB_Name = "{name}"'


def _vba_bin(xlam: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(xlam) as z:
        return z.read("xl/vbaProject.bin")


def test_the_container_is_a_correct_compound_file(built: Path) -> None:
    # olefile raises on every defect it classes as incorrect (not only fatal ones).
    o = olefile.OleFileIO(io.BytesIO(_vba_bin(built)), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(p) for p in o.listdir()}
    assert streams == NON_MODULE_STREAMS | {f"VBA/{n}" for n in DOCUMENTS | set(FILES)}
    assert o.get_type("VBA") == olefile.STGTY_STORAGE
    sizes = [o.get_size(s) for s in streams]
    assert min(sizes) < 4096 <= max(sizes)  # both the mini stream and regular sectors


def test_the_stream_set_and_dir_records_are_shaped_as_in_xlwings_files(built: Path) -> None:
    ours = ole(built)
    refs = {"quickstart": olefile.OleFileIO(io.BytesIO(_vba_bin(QUICKSTART))),
            "xlwings": olefile.OleFileIO(io.BytesIO(_vba_bin(XLWINGS_XLAM)))}
    got_streams = {"/".join(p) for p in ours.listdir()}
    got_records = dir_records(ours)
    got_modules = module_records(got_records)
    for ref in refs.values():
        names = set(module_records(dir_records(ref)))
        assert {"/".join(p) for p in ref.listdir()} - {f"VBA/{n}" for n in names} == \
            NON_MODULE_STREAMS == got_streams - {f"VBA/{n}" for n in got_modules}
        # §2.3.4.1: the bare header, version 0xFFFF: no performance cache.
        assert ref.openstream("VBA/_VBA_PROJECT").read() == \
            ours.openstream("VBA/_VBA_PROJECT").read()
        exp_records = dir_records(ref)
        # PROJECTINFORMATION: the same records in the same order (up to the references).
        first_ref = next(i for i, r in enumerate(exp_records) if r.rid == 0x0016)
        got_first_ref = next(i for i, r in enumerate(got_records) if r.rid == 0x0016)
        assert [r.rid for r in got_records[:got_first_ref]] == \
            [r.rid for r in exp_records[:first_ref]]
        assert got_records[-1].rid == exp_records[-1].rid == 0x0010
    # References as in xlwings.xlam (stdole, Office), same records, same libraries.
    xw_records = dir_records(refs["xlwings"])

    def references(records: list) -> list[tuple[int, bytes]]:
        start = next(i for i, r in enumerate(records) if r.rid == 0x0016)
        end = next(i for i, r in enumerate(records) if r.rid == 0x000F)
        return [(r.rid, r.data.split(b"#")[0] if r.rid == 0x000D else r.data)
                for r in records[start:end]]

    assert references(got_records) == references(xw_records)
    # Each module's records in the order Excel wrote them for a module of the same kind.
    xw_modules = module_records(xw_records)
    kinds = {"bas": xw_modules["Remote"], "cls": xw_modules["WebClient"],
             "doc": xw_modules["ThisWorkbook"]}
    for name, ids in got_modules.items():
        kind = "doc" if name in DOCUMENTS else FILES[name].suffix[1:]
        assert ids == kinds[kind], name
    # MODULEOFFSET 0: the module streams hold source only.
    assert {r.data for r in got_records if r.rid == 0x0031} == {b"\0\0\0\0"}


def ovba_decrypt(hex_text: str) -> tuple[int, bytes]:
    """§2.4.3.3 Decryption, written here from the spec: (project key, data).

    Checked on Excel's own CMG/DPB/GC of xlwings' quickstart file below.
    """
    buf = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = buf[0], buf[1], buf[2]
    assert seed ^ version_enc == 2
    key = seed ^ key_enc
    unencrypted, enc1, enc2 = key, key_enc, version_enc
    plain = bytearray()
    for enc in buf[3:]:
        byte = enc ^ ((enc2 + unencrypted) & 0xFF)
        plain.append(byte)
        enc2, enc1, unencrypted = enc1, enc, byte
    plain = plain[(seed & 6) // 2:]
    length = struct.unpack("<I", plain[:4])[0]
    assert len(plain) == 4 + length
    return key, bytes(plain[4:])


def project_lines(o: olefile.OleFileIO) -> dict[str, str]:
    text = o.openstream("PROJECT").read().decode("cp1252")
    return dict(line.split("=", 1) for line in text.split("\r\n")
                if "=" in line and not line.startswith("&H"))


@pytest.mark.parametrize("source", ["quickstart", "built"])
def test_the_project_is_unprotected_and_visible(source: str, built: Path) -> None:
    o = olefile.OleFileIO(io.BytesIO(_vba_bin(QUICKSTART))) if source == "quickstart" else ole(built)
    props = project_lines(o)
    project_key = sum(props["ID"].strip('"').encode("ascii")) & 0xFF
    assert ovba_decrypt(props["CMG"].strip('"')) == (project_key, b"\0\0\0\0")  # no protection
    assert ovba_decrypt(props["DPB"].strip('"')) == (project_key, b"\0")  # no password
    assert ovba_decrypt(props["GC"].strip('"')) == (project_key, b"\xff")  # visible
    if source == "built":
        assert props["Name"] == '"xlplan"'
        text = o.openstream("PROJECT").read().decode("cp1252")
        for bad in ("MyAddin", "RibbonMyAddin", "Sheet2"):  # quickstart leftovers
            assert bad not in text


def test_module_streams_are_really_compressed(built: Path) -> None:
    o = ole(built)
    raw = sum(len(p.read_bytes()) for p in FILES.values())
    packed = sum(o.get_size(f"VBA/{n}") for n in FILES)
    assert packed < raw * 0.5  # literal tokens alone would take 9/8 of the text
    for name in FILES:
        data = o.openstream(f"VBA/{name}").read()
        header = struct.unpack("<H", data[1:3])[0]
        assert data[0] == 1 and header & 0x8000 and header & 0x7000 == 0x3000, name


@settings(max_examples=examples(60), deadline=None)
@given(st.one_of(
    st.binary(max_size=9000),
    st.text(alphabet="ABab _\r\n'\"()=&.", max_size=12000).map(str.encode),
    st.builds(lambda unit, n: unit * n, st.binary(min_size=1, max_size=7),
              st.integers(0, 3000)),
))
def test_oletools_decompresses_what_we_compress(data: bytes) -> None:
    try:
        packed = compress(data)
    except ValueError:
        # Only a short, incompressible last chunk is refused (raw chunks are padded).
        assert len(data) % 4096 > 3600
        return
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_a_full_incompressible_chunk_is_stored_raw() -> None:
    data = bytes(range(256)) * 2 + os.urandom(4096 - 512)
    packed = compress(data)
    assert struct.unpack("<H", packed[1:3])[0] & 0x8000 == 0
    assert bytes(decompress_stream(bytearray(packed))) == data


LO_HEADER = ("Rem Attribute VBA_ModuleType=", "Option VBASupport 1", "Option ClassModule")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/python3").exists() or not shutil.which("soffice"),
                    reason="needs LibreOffice and Debian's python3-uno (tools/setup.sh)")
def test_libreoffice_reads_every_module_as_in_its_file(built: Path, tmp_path: Path) -> None:
    xlsm = tmp_path / "xlplan.xlsm"  # LibreOffice does not know the .xlam extension
    shutil.copyfile(built, xlsm)
    script = Path(__file__).with_name("lo_basic.py")
    res = subprocess.run(["/usr/bin/python3", str(script), str(xlsm), str(tmp_path / "profile")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["vba_mode"]
    modules = got["libraries"]["xlplan"]  # the library is named after the project
    assert set(modules) == DOCUMENTS | set(FILES)
    kinds = {".bas": "VBAModule", ".cls": "VBAClassModule"}
    for name, text in modules.items():
        exp_kind = kinds[FILES[name].suffix] if name in FILES else "VBADocumentModule"
        assert text.startswith(f"Rem Attribute VBA_ModuleType={exp_kind}\n"), name
        body = [x for x in lines(text) if not x.startswith(LO_HEADER)]
        # LibreOffice drops member attributes too (Attribute Item.VB_UserMemId = 0).
        exp = [x for x in source_lines(FILES[name]) if not x.startswith("Attribute ")] \
            if name in FILES else []
        assert body == exp, name


@pytest.mark.slow
def test_a_vba_grammar_parses_our_modules() -> None:
    """antlr4-vba (the ANTLR grammar of MS-VBAL, on PyPI): our modules parse without a
    syntax error. xlwings' modules are not parsed: they use #If, which this grammar
    leaves to a separate preprocessor, and xlwings compiles them in its own add-in."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    class Collect(ErrorListener):  # type: ignore[misc]
        def __init__(self) -> None:
            self.errors: list[str] = []

        def syntaxError(self, recognizer, symbol, line, column, msg, e):  # type: ignore[no-untyped-def]
            self.errors.append(f"{line}:{column} {msg}")

    for path in OURS:
        errors = Collect()
        lexer = vbaLexer(InputStream(path.read_text(encoding="ascii")))
        lexer.removeErrorListeners()
        lexer.addErrorListener(errors)
        parser = vbaParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(errors)
        parser.startRule()
        assert errors.errors == [], path.name
    # The grammar does reject broken VBA (so the test above can fail).
    errors = Collect()
    parser = vbaParser(CommonTokenStream(vbaLexer(InputStream(
        'Attribute VB_Name = "T"\r\nSub A()\r\n    If x Then\r\nEnd Sub\r\n'))))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    parser.startRule()
    assert errors.errors
