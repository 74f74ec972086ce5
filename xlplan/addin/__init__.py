"""The Excel add-in ``xlplan.xlam``: the ribbon tab ICT進捗 and the VBA behind it.

* :mod:`~xlplan.addin.build` writes the add-in from ``macros/`` on any OS (no Windows,
  no Excel, no Trust Center change), after :mod:`~xlplan.addin.vba_check` found nothing
  that would break a button;
* :mod:`~xlplan.addin.vba_project` writes the VBA project (MS-OVBA) and
  :mod:`~xlplan.addin.cfb` the compound file around it (MS-CFB);
* :mod:`~xlplan.addin.install` copies the add-in into Excel's XLSTART folder as
  ``xlplan.xlam``.
"""

from pathlib import Path

from xlplan.addin.build import (
    ADDIN_NAME,
    CONF_SHEET,
    REMOTE_MODULES,
    RIBBON_XML,
    VBA_MESSAGES,
    VBA_MODULE_FILE,
    AddinError,
    BuildResult,
    addin_settings,
    build_addin,
    check_addin,
    macros_dir,
    vba_hex,
    vba_message_consts,
    xlwings_addin_dir,
)
from xlplan.addin.install import import_vba, install_addin, xlstart_folder
from xlplan.core.texts import build_text


def shipped_addin() -> Path:
    """xlwings' quickstart ribbon add-in: no longer a part of ours, kept for comparisons."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / "quickstart_addin_ribbon.xlam"
    if not path.exists():
        raise AddinError(build_text("addin.xlwings_missing", name=path.name, path=path))
    return path


__all__ = [
    "ADDIN_NAME", "CONF_SHEET", "REMOTE_MODULES", "RIBBON_XML", "VBA_MESSAGES",
    "VBA_MODULE_FILE", "AddinError", "BuildResult", "addin_settings", "build_addin",
    "check_addin", "import_vba", "install_addin", "macros_dir", "shipped_addin", "vba_hex",
    "vba_message_consts", "xlstart_folder", "xlwings_addin_dir",
]
