"""The ribbon XML and its VBA: well formed, every button reaches a Python action, nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from fastapi.routing import APIRoute

from xlplan import excel
from xlplan.addin import RIBBON_XML, VBA_MESSAGES, VBA_MODULE_FILE, vba_message_consts
from xlplan.engines.excel import _FORMAT_KEYS as FORMAT_KEYS
from xlplan.engines.excel import ADDIN_MACROS, MACRO_PROBE, PROBE_HEADER, PROBE_VERSION, VBA_MODULE
from xlplan.engines.excel import OPS as LAYOUT_OPS
from xlplan.server import create_app

NS = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
BAS = VBA_MODULE_FILE.read_bytes().decode("ascii")  # ASCII only, or this fails


def buttons() -> list[ET.Element]:
    root = ET.parse(RIBBON_XML).getroot()
    return root.findall(".//c:button", NS)


def public_subs() -> dict[str, str]:
    return dict(re.findall(r"^Public (?:Sub|Function) (\w+)\(([^)]*)\)", BAS, re.M))


def test_ribbon_is_well_formed_with_one_tab() -> None:
    root = ET.parse(RIBBON_XML).getroot()
    tabs = root.findall(".//c:tab", NS)
    assert [t.get("label") for t in tabs] == [excel.TAB_LABEL]


def test_every_button_reaches_an_existing_action_and_nothing_else() -> None:
    tags = {b.get("tag"): b.get("label") for b in buttons()}
    assert tags == excel.ACTIONS  # each action has its button, with its Japanese label
    for b in buttons():
        module, sub = b.get("onAction", "").split(".")
        assert module == VBA_MODULE and sub == "XlplanRun"
        assert public_subs()[sub].strip() == "control As IRibbonControl"
        assert b.get("imageMso") and b.get("imageMso").isascii()
    # The VBA forwards only these tags, and to xlplan.excel.run with the tag.
    allowed = re.search(r'Private Const ACTIONS As String = "([^"]+)"', BAS).group(1)
    assert allowed.strip("|").split("|") == list(excel.ACTIONS)
    assert "import xlplan.excel; xlplan.excel.run('\" & action & \"')" in BAS
    # The server has a route for the same actions and only those.
    routes = [r.path for r in create_app().routes if isinstance(r, APIRoute)]
    assert "/xlplan/{action}" in routes


def test_vba_is_ascii_with_windows_line_ends() -> None:
    raw = VBA_MODULE_FILE.read_bytes()
    assert raw.isascii()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert BAS.startswith('Attribute VB_Name = "XlplanRibbon"')


def test_japanese_messages_of_the_vba_decode_to_the_texts() -> None:
    assert vba_message_consts() in BAS.replace("\r\n", "\n")
    for name, text in VBA_MESSAGES.items():
        codes = re.search(rf'Private Const {name} As String = "([0-9A-F ]+)"', BAS).group(1)
        assert "".join(chr(int(c, 16)) for c in codes.split()) == text
        assert re.search(rf"Ja\({name}\)", BAS), f"{name} is never shown"


def test_the_macros_python_calls_exist_with_their_arguments() -> None:
    subs = public_subs()
    for qualified in ADDIN_MACROS:
        name = qualified.rsplit(".", 1)[1]
        assert qualified.startswith("'xlplan.xlam'!XlplanRibbon.")
        assert subs[name].startswith("wb As Workbook, sheetName As String")
    body = _body("XlplanApplyLayout")
    cases = set(re.findall(r'^\s+Case "(\w)"', body, re.M))
    assert cases == set(LAYOUT_OPS)  # every operation spec() writes, and no other
    keys = set(re.findall(r'^\s+Case "(\w+)"', _body("LayoutFormat"), re.M))
    assert keys == {short for _, short in FORMAT_KEYS}
    assert subs[MACRO_PROBE.rsplit(".", 1)[1]].strip() == "wb As Workbook"
    assert re.search(rf'PROBE_HEADER As String = "{PROBE_HEADER}"', BAS)
    assert re.search(r"PROBE_VERSION As Long = (\d+)", BAS).group(1) == str(PROBE_VERSION)


def _body(name: str) -> str:
    """The text of one procedure of the module."""
    text = BAS.replace("\r\n", "\n")
    start = re.search(rf"^(?:Public|Private) (?:Sub|Function) {name}\(", text, re.M).start()
    end = re.search(r"^End (?:Sub|Function)", text[start:], re.M).end()
    return text[start:start + end]


def test_macros_folder_documents_the_files() -> None:
    readme = (VBA_MODULE_FILE.parent / "README.md").read_text(encoding="utf-8")
    for name in ("ribbon.xml", "XlplanRibbon.bas", "xlplan addin build", "--import-vba"):
        assert name in readme
    assert Path(RIBBON_XML).name == "ribbon.xml"
