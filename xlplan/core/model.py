"""Plain records of what was read from a workbook, for the pure core to work on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RowData:
    """One indicator row of an input sheet, as typed."""

    sheet: str  # "4-1", "4-2", "4-3"
    tab: str  # the tab name staff see ("4-1入力")
    row: int  # 1-based worksheet row
    id: str
    values: Mapping[str, object]  # column key → cell value
    addr: Mapping[str, str] = field(default_factory=dict)  # column key → "J12"

    def text(self, key: str) -> str:
        v = self.values.get(key)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    def cell(self, key: str) -> str:
        return self.addr.get(key, "")
