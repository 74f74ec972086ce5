"""The VBA check the build runs: the real project passes, each kind of mistake is found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.addin.conftest import MACROS
from xlplan.addin import AddinError, build_addin, check_addin
from xlplan.addin.build import REMOTE_MODULES, project_modules
from xlplan.addin.vba_check import BUILTINS, check_project
from xlplan.addin.vba_project import VbaModule

RIBBON = (MACROS / "ribbon.xml").read_bytes()
HEAD = 'Attribute VB_Name = "T"\r\nOption Explicit\r\n'
BUTTON = ('<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon>'
          '<tabs><tab id="t" label="t"><group id="g" label="g">'
          '<button id="b" label="b" onAction="{}"/></group></tab></tabs></ribbon></customUI>')


def module(body: str, head: str = HEAD) -> VbaModule:
    return VbaModule("T", "standard", head + body.replace("\n", "\r\n"))


def codes(body: str, *, head: str = HEAD, on_action: str = "T.Go") -> list[str]:
    found = check_project([module(body, head)], ours={"T"},
                          ribbon_xml=BUTTON.format(on_action).encode())
    return sorted(f.code for f in found)


GOOD = "Public Sub Go(control As IRibbonControl)\n    MsgBox Helper(1)\nEnd Sub\n" \
       "Private Function Helper(n As Long) As String\n    Helper = CStr(n)\nEnd Function\n"

CASES = [
    # (VBA, ribbon onAction, expected finding codes, why)
    (GOOD, "T.Go", [], "a callback, a private helper and built-ins"),
    ("Public Sub Go(control As IRibbonControl)\n    Helpr 1\nEnd Sub\n", "T.Go",
     ["undefined"], "a misspelt procedure as a call statement"),
    ("Public Sub Go(control As IRibbonControl)\n    x = Lenn(\"a\")\nEnd Sub\n", "T.Go",
     ["undefined"], "an unknown function in an expression"),
    ("Public Sub Go(control As IRibbonControl)\n    If True Then Nope\nEnd Sub\n", "T.Go",
     ["undefined"], "a call after Then on one line"),
    ("Public Sub Go(control As IRibbonControl)\n    Dim a(3) As Long\n    a(1) = 2\n"
     "    MsgBox a(1) ' Nope(1) in a comment\n    MsgBox \"Nope(1)\"\nEnd Sub\n", "T.Go",
     [], "arrays, comments and strings are not calls"),
    (GOOD, "T.Gone", ["callback"], "the ribbon names a Sub that does not exist"),
    (GOOD, "Other.Go", ["callback"], "the ribbon names another module"),
    ("Public Sub Go()\nEnd Sub\n", "T.Go", ["callback"], "a callback without its argument"),
    ("Private Sub Go(control As IRibbonControl)\nEnd Sub\n", "T.Go", ["callback"],
     "a private callback"),
    ("Public Function Go(control As IRibbonControl)\nEnd Function\n", "T.Go", ["callback"],
     "a Function is not a callback"),
    ("Private Declare Function GetTickCount Lib \"kernel32\" () As Long\n" + GOOD, "T.Go",
     ["ptrsafe"], "a Declare without PtrSafe"),
    ("Private Declare PtrSafe Function GetTickCount Lib \"kernel32\" () As Long\n"
     "Public Sub Go(control As IRibbonControl)\n    MsgBox GetTickCount()\nEnd Sub\n", "T.Go",
     [], "a PtrSafe Declare is a defined procedure"),
    (GOOD.replace("MsgBox Helper(1)", "MsgBox \"\u9032\u6357\""), "T.Go", ["ascii"],
     "Japanese in the source"),
]


@pytest.mark.parametrize(("vba", "on_action", "expected", "why"), CASES,
                         ids=[c[3] for c in CASES])
def test_each_kind_of_mistake_is_found(vba: str, on_action: str, expected: list[str],
                                       why: str) -> None:
    assert codes(vba, on_action=on_action) == expected, why


def test_option_explicit_is_required() -> None:
    assert codes(GOOD, head='Attribute VB_Name = "T"\r\n') == ["option-explicit"]


def test_the_shipped_project_passes() -> None:
    assert check_addin() == []


def test_without_the_server_client_the_module_would_not_compile() -> None:
    """The first-click defect: XlplanRunServer calls RunServerPython, which only
    xlwings' Remote module defines; VBA compiles the whole module, so every button
    failed when the client was not in the project."""
    modules, ours, _ = project_modules()
    remote = {Path(n).stem for n in REMOTE_MODULES}
    found = check_project([m for m in modules if m.name not in remote], ours=ours,
                          ribbon_xml=RIBBON)
    assert [(f.code, f.where) for f in found] == \
        [("undefined", "XlplanRibbon.XlplanRunServer")]
    assert "RunServerPython" in found[0].message


@pytest.mark.parametrize("left_out", [n for n in REMOTE_MODULES if n != "Remote.bas"])
def test_every_client_module_is_needed(left_out: str) -> None:
    """Each xlwings module we ship is needed by Remote (directly or not): leaving one out
    is found, from xlwings' own files."""
    from xlplan.addin import xlwings_addin_dir

    modules, ours, _ = project_modules()
    kept = [m for m in modules if m.name != Path(left_out).stem]
    unshipped = [VbaModule.from_file(p) for p in sorted(xlwings_addin_dir().glob("*.bas"))]
    found = check_project(kept, ours=ours, ribbon_xml=RIBBON, unshipped=unshipped)
    if left_out.endswith(".cls"):  # a class is used as a type: New WebClient, As Dictionary
        stem = Path(left_out).stem
        users = [m for m in kept if f"As {stem}" in m.code or f"New {stem}" in m.code]
        assert users, left_out
    else:
        assert any(f.code == "needs-module" and Path(left_out).stem in f.message
                   for f in found), left_out


def test_the_allow_list_of_built_ins_is_plain_names() -> None:
    assert all(n == n.lower() and n.replace("$", "").isalnum() for n in BUILTINS)


@pytest.fixture
def macros_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "macros"
    shutil.copytree(MACROS, folder)
    return folder


def test_the_build_refuses_a_callback_without_its_sub(macros_copy: Path, tmp_path: Path) -> None:
    ribbon = macros_copy / "ribbon.xml"
    ribbon.write_text(ribbon.read_text(encoding="utf-8").replace(
        'onAction="XlplanRibbon.XlplanRun"', 'onAction="XlplanRibbon.XlplanRunAll"', 1),
        encoding="utf-8")
    with pytest.raises(AddinError, match="XlplanRunAll"):
        build_addin(tmp_path / "x.xlam", macros=macros_copy)
    assert not (tmp_path / "x.xlam").exists()


def test_a_new_module_file_needs_no_build_change(macros_copy: Path, tmp_path: Path) -> None:
    (macros_copy / "XlplanProbe.bas").write_bytes(
        b'Attribute VB_Name = "XlplanProbe"\r\nOption Explicit\r\n'
        b"Public Sub XlplanProbeBook(wb As Workbook)\r\n    MsgBox wb.Name\r\nEnd Sub\r\n")
    res = build_addin(tmp_path / "x.xlam", macros=macros_copy)
    assert "XlplanProbe" in res.modules
