"""A private headless LibreOffice for the test scripts run by the system Python (Debian's
python3-uno): tests/ooxml/uno_fixture.py, tests/ooxml/uno_edit.py, tests/addin/lo_basic.py.

    with office() as (desktop, ctx):
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))

Each call starts its own soffice with its own profile (a temporary folder unless one is
given) on its own pipe, so scripts never share a running LibreOffice, and stops it after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


@contextlib.contextmanager
def office(profile: Path | None = None) -> Iterator[tuple[object, object]]:
    """(Desktop, component context) of a fresh headless LibreOffice, terminated when the
    block ends (the context's ServiceManager makes LibreOffice's other services)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("soffice not found")
    work = None if profile is not None else Path(tempfile.mkdtemp(prefix="uno-"))
    user = profile if profile is not None else work / "profile"  # type: ignore[operator]
    pipe = f"xlplan_uno_{os.getpid()}"
    proc = subprocess.Popen(
        [exe, f"-env:UserInstallation=file://{Path(user).resolve()}", "--headless",
         "--invisible", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.5)
        if ctx is None:
            raise SystemExit("could not connect to LibreOffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield desktop, ctx
        with contextlib.suppress(Exception):  # LibreOffice may close the bridge first
            desktop.terminate()
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
