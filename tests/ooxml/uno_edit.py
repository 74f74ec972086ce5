"""Type into a workbook with LibreOffice Calc and save it as Excel 2007-365 (.xlsx).

Run with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno):

    /usr/bin/python3 tests/ooxml/uno_edit.py IN.xlsx OUT.xlsx EDITS.json

EDITS.json is a list of ``{"sheet": "4-2入力", "cell": "K4", ...}`` with one of
``"text"`` (typed as text, as Excel keeps a cell formatted @), ``"number"`` (with
``"percent": true`` the cell gets LibreOffice's standard percent format, as typing 58% in a
General cell does) or ``"formula"``. This is how a department's copy comes back when it
was edited in another spreadsheet program than the one that wrote it: the package is
LibreOffice's own (its shared strings, styles and number formats), not openpyxl's.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

PERCENT = 128  # com.sun.star.util.NumberFormat.PERCENT


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main(src: Path, out: Path, edits: list[dict[str, object]]) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("soffice not found")
    work = Path(tempfile.mkdtemp(prefix="uno-edit-"))
    pipe = f"xlplan_uno_edit_{os.getpid()}"
    proc = subprocess.Popen(
        [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--invisible",
         "--norestore", "--nolockcheck", "--nodefault",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            raise SystemExit("could not connect to LibreOffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(src.resolve())),
                                           "_blank", 0, (prop("Hidden", True),))
        locale = uno.createUnoStruct("com.sun.star.lang.Locale")
        for e in edits:
            cell = doc.Sheets.getByName(e["sheet"]).getCellRangeByName(e["cell"])
            if "text" in e:
                cell.setString(e["text"])
            elif "formula" in e:
                cell.setFormula(e["formula"])
            else:
                cell.setValue(float(e["number"]))  # type: ignore[arg-type]
                if e.get("percent"):
                    cell.NumberFormat = doc.NumberFormats.getStandardFormat(PERCENT, locale)
        doc.storeToURL(uno.systemPathToFileUrl(str(out.resolve())),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        with contextlib.suppress(Exception):  # LibreOffice may close the bridge first
            desktop.terminate()
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]),
         json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")))
