"""``xlplan addin build|install``: the add-in file, checked part by part."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import run_cli
from xlplan.addin import (
    CONF_SHEET,
    RIBBON_XML,
    AddinError,
    addin_settings,
    build_addin,
    install_addin,
    shipped_addin,
)


def conf_values(xlam: Path) -> dict[str, str]:
    """The settings sheet: key in column A, value in B (an empty setting is no cell)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(xlam) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    out = {}
    for row in root.iter(f"{main}row"):
        cells = {c.get("r")[0]: "".join(t.text or "" for t in c.iter(f"{main}t"))
                 for c in row.iter(f"{main}c")}
        out[cells["A"]] = cells.get("B", "")
    return out


def test_build_writes_a_macro_enabled_addin_with_our_ribbon_and_settings(tmp_path: Path) -> None:
    settings = addin_settings(interpreter=r"C:\xlplan\venv\Scripts\python.exe",
                              pythonpath=r"C:\xlplan\src", auth="=token")
    out = build_addin(tmp_path / "xlplan.xlam", settings=settings).path
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.read("customUI/customUI.xml") == RIBBON_XML.read_bytes()
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
        assert z.read("xl/vbaProject.bin").startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
        workbook = z.read("xl/workbook.xml").decode()
        assert f'name="{CONF_SHEET}"' in workbook and 'codeName="ThisWorkbook"' in workbook
        # The shipped quickstart file is no longer a part of ours.
        with zipfile.ZipFile(shipped_addin()) as ship:
            assert not {n for n in z.namelist() if n in ship.namelist()
                        and z.read(n) == ship.read(n)}
    conf = conf_values(out)
    assert conf["INTERPRETER_WIN"] == r"C:\xlplan\venv\Scripts\python.exe"
    assert conf["PYTHONPATH"] == r"C:\xlplan\src"
    assert conf["SERVER_URL"] == ""
    assert conf["AUTH"] == "=token"  # text, never a formula


def test_build_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "xlplan.xlam"
    res = run_cli("addin", "build", "-o", out, "--server-url", "http://127.0.0.1:8000/",
                  "--auth", "token-1")
    assert res.returncode == 0, res.stderr
    assert "token-1" not in res.stdout  # the secret is not echoed
    conf = conf_values(out)
    assert conf["SERVER_URL"] == "http://127.0.0.1:8000" and conf["AUTH"] == "token-1"
    if not sys.platform.startswith("win"):
        assert re.match(r"%LOCALAPPDATA%\\xlplan\\venv\\Scripts\\python\.exe", conf["INTERPRETER_WIN"])


def test_build_refuses_a_broken_ribbon(tmp_path: Path) -> None:
    bad = tmp_path / "ribbon.xml"
    bad.write_text("<customUI><ribbon>", encoding="utf-8")
    with pytest.raises(ET.ParseError):
        build_addin(tmp_path / "x.xlam", ribbon=bad)
    bad.write_text('<customUI xmlns="http://example.com/ui"/>', encoding="utf-8")
    with pytest.raises(AddinError, match="customUI"):
        build_addin(tmp_path / "x.xlam", ribbon=bad)
    assert not (tmp_path / "x.xlam").exists()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the non-Windows behaviour")
def test_install_elsewhere_than_windows_does_nothing_harmful(tmp_path: Path) -> None:
    built = build_addin(tmp_path / "xlplan.xlam").path
    with pytest.raises(AddinError, match="XLSTART"):
        install_addin(built)
    res = run_cli("addin", "install", built)
    assert res.returncode == 2 and "nothing was installed" in res.stderr


def test_install_to_a_folder(tmp_path: Path) -> None:
    built = build_addin(tmp_path / "xlplan.xlam").path
    dest = install_addin(built, tmp_path / "XLSTART")
    assert dest.read_bytes() == built.read_bytes()
    with pytest.raises(AddinError, match="addin build"):
        install_addin(tmp_path / "missing.xlam", tmp_path / "XLSTART")
