"""``xlplan addin install``: put the add-in where Excel loads and trusts it.

The add-in is always installed as ``xlplan.xlam``, whatever the source file is called
(``xlplan (1).xlam`` after a second download): the macros Python runs are named
``'xlplan.xlam'!XlplanRibbon.…`` (xlplan.engines.excel), so any other name would break
render and update.

``import_vba`` is the old Windows-only way to put the modules in (COM, needs "Trust
access to the VBA project object model"); ``xlplan addin build`` writes them itself now,
so it is only an alternative for someone who edits the project inside Excel.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

from xlplan.addin.build import (
    ADDIN_NAME,
    REMOTE_MODULES,
    AddinError,
    our_module_files,
    xlwings_addin_dir,
)
from xlplan.core.texts import build_text


def import_vba(addin: Path) -> list[str]:
    """Windows only: import every module of macros/ and the server client into ``addin``."""
    if not sys.platform.startswith("win"):
        raise AddinError(build_text("addin.import_needs_windows"))
    import xlwings as xw

    done: list[str] = []
    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(Path(addin).resolve()))
        components = book.api.VBProject.VBComponents
        files = [*our_module_files(), *(xlwings_addin_dir() / m for m in REMOTE_MODULES)]
        for f in files:
            with contextlib.suppress(Exception):  # not there yet
                components.Remove(components(f.stem))
            components.Import(str(f))
            done.append(f.name)
        book.save()
        book.close()
    finally:
        app.quit()
    return done


def xlstart_folder() -> Path | None:
    """Excel's per-user startup folder on Windows (a trusted location); None elsewhere."""
    if not sys.platform.startswith("win"):
        return None
    appdata = os.environ.get("APPDATA")
    if not appdata:
        return None
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def install_addin(src: Path | str = ADDIN_NAME, dest_dir: Path | str | None = None) -> Path:
    """Copy the add-in into XLSTART (or ``dest_dir``) as ``xlplan.xlam``.

    Excel loads it at its next start. The name is fixed (see the module docstring).
    """
    src = Path(src)
    if not src.exists():
        raise AddinError(build_text("addin.not_built", path=src))
    folder = Path(dest_dir) if dest_dir else xlstart_folder()
    if folder is None:
        raise AddinError(build_text("addin.no_xlstart"))
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / ADDIN_NAME
    try:
        shutil.copyfile(src, dest)
    except PermissionError as e:
        raise AddinError(build_text("addin.cannot_write", path=dest)) from e
    if sys.platform.startswith("win"):
        # The "downloaded from the internet" mark makes Excel block the add-in's macros.
        with contextlib.suppress(OSError):
            os.remove(str(dest) + ":Zone.Identifier")
    return dest
