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

import json
import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared launcher
from uno_office import office, prop

PERCENT = 128  # com.sun.star.util.NumberFormat.PERCENT


def main(src: Path, out: Path, edits: list[dict[str, object]]) -> None:
    with office() as (desktop, _ctx):
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


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]),
         json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")))
