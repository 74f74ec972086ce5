"""Run by /usr/bin/python3 (Debian's python3-uno), not by the project's Python.

Opens a workbook in LibreOffice Calc, headless, with the filter that imports its VBA
project, and prints every Basic library and module LibreOffice sees, as JSON:
``{"libraries": {"VBAProject": {"Module": "source", ...}}, "vba_mode": true}``.

Usage: lo_basic.py WORKBOOK.xlsm PROFILE_DIR
"""

import json
import os
import sys
from pathlib import Path

import uno

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared launcher
from uno_office import office, prop


def main():
    path, profile = os.path.abspath(sys.argv[1]), Path(sys.argv[2])
    with office(profile) as (desktop, _ctx):
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0,
            (prop("Hidden", True), prop("FilterName", "Calc MS Excel 2007 VBA XML"),
             prop("MacroExecutionMode", 0)))  # never run a macro
        libs = doc.BasicLibraries
        out = {}
        for name in libs.getElementNames():
            libs.loadLibrary(name)
            lib = libs.getByName(name)
            out[name] = {m: lib.getByName(m) for m in lib.getElementNames()}
        result = {"libraries": out, "vba_mode": bool(libs.VBACompatibilityMode)}
        doc.close(True)
        print(json.dumps(result))


if __name__ == "__main__":
    main()
