"""Surgical editing of Excel packages: change the parts xlplan owns, carry the rest.

>>> from xlplan.ooxml import Package
>>> pkg = Package.read("master.xlsx")                        # doctest: +SKIP
>>> pkg.set_cells("4-2入力", {(4, 21): "=HYPERLINK(…)"})       # stored as text  # doctest: +SKIP
>>> pkg.write("master.xlsx")                                 # doctest: +SKIP

Self-contained: it imports nothing from the rest of xlplan.
"""

from .errors import PackageError
from .package import InventoryItem, Package, SheetKind, SheetState

__all__ = ["InventoryItem", "Package", "PackageError", "SheetKind", "SheetState"]
