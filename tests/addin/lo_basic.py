"""Run by /usr/bin/python3 (Debian's python3-uno), not by the project's Python.

Opens a workbook in LibreOffice Calc, headless, with the filter that imports its VBA
project, and prints every Basic library and module LibreOffice sees, as JSON:
``{"libraries": {"VBAProject": {"Module": "source", ...}}, "vba_mode": true}``.

Usage: lo_basic.py WORKBOOK.xlsm PROFILE_DIR
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    path, profile = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pipe = f"xlplan_lo_{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "-env:UserInstallation=file://" + profile, f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.5)
        if ctx is None:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
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
        with contextlib.suppress(Exception):  # it may already be going
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
