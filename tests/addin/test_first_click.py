"""The defects that broke the first click (issue 9), one test each.

Where the defect is in VBA, which cannot run here, the test reads the macro's text for
the safe form (and would find the unsafe one that was there before).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.addin.conftest import MACROS, QUICKSTART
from tests.conftest import run_cli
from xlplan.addin import VBA_MESSAGES, install_addin
from xlplan.engines.excel import ADDIN_MACROS

BAS = (MACROS / "XlplanRibbon.bas").read_text(encoding="ascii").replace("\r\n", "\n")
# The customUI namespace and the relationship type Office expects for it (MS-CUSTOMUI;
# docs/excel-integration.md): 2006/01 with the 2006 type, 2009/07 with the 2007 type.
PAIRS = {
    "http://schemas.microsoft.com/office/2006/01/customui":
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2009/07/customui":
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def body(name: str) -> str:
    m = re.search(rf"^(?:Public|Private) (?:Sub|Function) {name}\(.*?^End (?:Sub|Function)",
                  BAS, re.M | re.S)
    assert m, name
    return m.group(0)


def ribbon_pairs(xlam: Path) -> list[tuple[str, str]]:
    """(namespace of the part, type of the relationship pointing at it) for each ribbon."""
    with zipfile.ZipFile(xlam) as z:
        rels = ET.fromstring(z.read("_rels/.rels"))
        out = []
        for r in rels.iter(REL):
            if "ui/extensibility" in r.get("Type", ""):
                root = ET.fromstring(z.read(r.get("Target").lstrip("/")))
                out.append((root.tag[1:].split("}")[0], r.get("Type")))
        return out


def test_the_ribbon_part_and_its_relationship_match(built: Path) -> None:
    got = ribbon_pairs(built)
    assert len(got) == 1
    ns, rel_type = got[0]
    assert PAIRS[ns] == rel_type


def test_xlwings_quickstart_had_the_mismatch() -> None:
    """The file the add-in used to be patched from: the test above would fail on it."""
    (ns, rel_type), = ribbon_pairs(QUICKSTART)
    assert PAIRS[ns] != rel_type


def test_no_quickstart_leftovers(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        for name in z.namelist():
            data = z.read(name)
            for leftover in (b"MyAddin", b"myaddin", b"RibbonMyAddin", b"Sheet2", b"felix",
                             b"Felix"):
                assert leftover not in data, (name, leftover)
            if name.endswith(".xml"):
                ET.fromstring(data)


def test_install_always_as_xlplan_xlam(built: Path, tmp_path: Path) -> None:
    downloaded = tmp_path / "xlplan (1).xlam"
    shutil.copyfile(built, downloaded)
    dest = install_addin(downloaded, tmp_path / "XLSTART")
    assert dest.name == "xlplan.xlam" and dest.read_bytes() == built.read_bytes()
    assert not (tmp_path / "XLSTART" / downloaded.name).exists()
    # ... which is the name the macros Python runs are qualified with.
    assert all(m.startswith(f"'{dest.name}'!") for m in ADDIN_MACROS)


def test_unprotect_never_prompts_and_refuses_a_password() -> None:
    vba = body("XlplanUnprotectSheet")
    calls = re.findall(r"\.Unprotect\b.*", vba)
    # Before: "ws.Unprotect" with no password, which prompts on a protected sheet.
    assert calls == ['.Unprotect Password:=""']
    handler = vba.index("On Error GoTo locked")
    assert handler < vba.index(".Unprotect") < vba.index("On Error GoTo 0")
    assert re.search(r"^locked:\n\s+Err\.Raise vbObjectError \+ \d+", vba, re.M)
    # The permissions are remembered only once the sheet is really unprotected.
    assert vba.index(".Unprotect") < vba.index("savedProtection(wb.Name")


def test_apply_layout_restores_alerts_on_a_failure() -> None:
    vba = body("XlplanApplyLayout")
    assert vba.index("alerts = Application.DisplayAlerts") < vba.index("On Error GoTo failed") \
        < vba.index("Application.DisplayAlerts = False")
    handler = vba[vba.index("\nfailed:"):]
    assert handler.index("Application.DisplayAlerts = alerts") < handler.index("Err.Raise errNumber")
    # Every Err.Raise before the handler lands in it (no Exit in between).
    assert "Exit Sub\nfailed:" in vba


def test_the_error_box_shows_the_end_of_the_log_and_keeps_it() -> None:
    vba = body("XlplanRunPython")
    start = vba.index("If exitCode <> 0 Then")
    failure = vba[start:vba.index("\n    Else\n", start)]
    # Before: ReadText(logFile) in full (MsgBox shows its start only), then Kill logFile.
    assert "LogTail(ReadText(logFile), LOG_TAIL)" in failure and "Ja(MSG_LOG) & logFile" in failure
    assert "Kill" not in failure
    assert vba.index("Kill logFile") > vba.index("\n    Else\n", start)
    tail = int(re.search(r"Private Const LOG_TAIL As Long = (\d+)", BAS).group(1))
    # The box: message, "...", the tail, the label and a path of up to 260 characters.
    shown = len(VBA_MESSAGES["MSG_FAILED"]) + 4 + tail + 8 + len(VBA_MESSAGES["MSG_LOG"]) + 260
    assert shown < 1024
    assert "Right$(text, maxLen)" in body("LogTail")


def test_the_build_says_in_one_line_why_it_is_incomplete(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    bas = macros / "XlplanRibbon.bas"
    bas.write_bytes(bas.read_bytes().replace(b"Public Sub XlplanRun(", b"Public Sub XlplanGo("))
    res = run_cli("addin", "build", "-o", tmp_path / "x.xlam", "--macros", macros)
    assert res.returncode == 2
    (line,) = res.stderr.strip().splitlines()
    assert "不完全" in line and "incomplete add-in" in line and "XlplanRun" in line
    assert not (tmp_path / "x.xlam").exists()


@pytest.mark.parametrize("missing", ["XlplanRibbon.bas"])
def test_the_build_refuses_a_missing_module(tmp_path: Path, missing: str) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    (macros / missing).unlink()
    res = run_cli("addin", "build", "-o", tmp_path / "x.xlam", "--macros", macros)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "incomplete add-in" in res.stderr
