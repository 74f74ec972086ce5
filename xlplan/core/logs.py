"""The plain tables xlplan keeps in the master: 変更履歴, 過去実績, 目標変更履歴.

Headings in row 1, one record a row. Records are read by heading (the secretariat may
reorder columns or add its own), and appended where the headings are now, below the last
used row. Pure: grids in, blocks and sheet contents out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xlplan.core.layout import CHANGES_SHEET, FONT_UI, HISTORY_SHEET, TARGETS_SHEET
from xlplan.core.meta import last_used_row
from xlplan.core.model import SheetRead
from xlplan.core.plan import (
    AutoFilter,
    Block,
    ColWidth,
    Format,
    Op,
    Plan,
    SheetContent,
    Value,
    View,
    grid_of,
    ref,
)

Grid = Sequence[Sequence[object]]
HEAD_FILL = "DDEBF7"
FONT = FONT_UI


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[tuple[str, str], ...]  # (key, Japanese heading)
    widths: Mapping[str, float] = field(default_factory=dict)

    @property
    def headings(self) -> list[str]:
        return [h for _, h in self.columns]

    def records(self, grid: Grid) -> list[dict[str, object]]:
        """Rows as dicts by key, columns found by heading; ``_row`` is the sheet row."""
        if not grid:
            return []
        by_heading = {h: k for k, h in self.columns}
        cols = {by_heading[str(v).strip()]: i for i, v in enumerate(grid[0])
                if v is not None and str(v).strip() in by_heading}
        out = []
        for n, line in enumerate(grid[1:], start=2):
            rec: dict[str, object] = {k: (line[i] if i < len(line) else None) for k, i in cols.items()}
            if all(v is None or str(v).strip() == "" for v in rec.values()):
                continue
            rec["_row"] = n
            out.append(rec)
        return out

    def new_sheet(self, records: Sequence[Mapping[str, object]], after: str | None = None
                  ) -> SheetContent:
        """The whole sheet, headed, with ``records`` (when the master does not have it)."""
        width = len(self.columns)
        rows: list[list[Value]] = [list(self.headings)]
        rows += [[_value(rec.get(k)) for k, _ in self.columns] for rec in records]
        ops: list[Op] = [ColWidth(j, self.widths.get(k, 14))
                         for j, (k, _) in enumerate(self.columns, start=1)]
        ops.append(Format(ref(1, 1, 1, width), font_name=FONT, font_size=9, bold=True,
                          fill=HEAD_FILL, h_align="center", v_align="center", wrap=True,
                          border=True))
        if records:
            ops.append(Format(ref(2, 1, len(rows), width), v_align="top", wrap=True))
        ops += [View(freeze="A2"), AutoFilter(ref(1, 1, len(rows), width))]
        return SheetContent(self.sheet, grid_of(rows), tuple(ops), after=after)

    def append(self, read: SheetRead | None, records: Sequence[Mapping[str, object]],
               after: str | None = None) -> Plan:
        """``records`` below the last used row, each value under its heading as it is now
        (a value whose heading is gone is not written); the sheet is created when missing."""
        plan = Plan()
        if not records:
            return plan
        if read is None:
            plan.sheets.append(self.new_sheet(records, after))
            return plan
        grid = read.values
        top = grid[0] if grid else ()
        where = {str(v).strip(): j for j, v in enumerate(top, start=1)
                 if v is not None and str(v).strip()}
        cols = {k: where[h] for k, h in self.columns if h in where}
        if not cols:
            return plan
        c0, c1 = min(cols.values()), max(cols.values())
        first = max(last_used_row(grid), 1) + 1
        before = [[read.at(first + i, c) for c in range(c0, c1 + 1)] for i in range(len(records))]
        after_rows = [list(line) for line in before]
        for i, rec in enumerate(records):
            for k, c in cols.items():
                if k in rec:
                    after_rows[i][c - c0] = _value(rec[k])
        plan.blocks.append(Block(self.sheet, first, c0, grid_of(after_rows),  # type: ignore[arg-type]
                                 grid_of(before)))  # type: ignore[arg-type]
        return plan


def _value(v: object) -> Value:
    if v is None or isinstance(v, str | int | float | bool):
        return v
    from datetime import date, datetime

    if isinstance(v, datetime | date):
        return v
    return str(v)


CHANGES = Table(CHANGES_SHEET, (
    ("at", "日時"), ("action", "操作"), ("file", "ファイル"), ("saved_by", "保存者"),
    ("tab", "シート"), ("id", "ID"), ("indicator", "成果指標"), ("column", "列"),
    ("old", "変更前"), ("new", "変更後"), ("group", "配布先"), ("issue_id", "配布ID"),
    ("key", "列キー"),
), {"at": 18, "file": 28, "indicator": 30, "column": 18, "old": 30, "new": 30, "issue_id": 12})

HISTORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fiscal_year", "年度"), ("era", "年度（和暦）"), ("sheet", "資料"), ("id", "ID"),
    ("major", "大項目"), ("middle", "中項目"), ("minor", "小項目"), ("program", "取組名"),
    ("indicator", "成果指標"), ("owner", "担当課"), ("direction", "方向"),
    ("baseline", "基準値"), ("actual", "実績値"), ("projection", "見込値"),
    ("basis", "見込値の算出根拠"), ("mid_target", "中間目標"), ("final_target", "最終目標"),
    ("status_text", "取組状況"), ("miss_reason", "中間目標が未達成となった理由"),
    ("countermeasure", "未達成の場合の対策"), ("challenges", "取組を行っている上での課題"),
    ("policy", "今後の取組方針・対策"), ("questions", "専門家に聞きたいこと"),
    ("trend", "矢印"), ("mark", "判定"), ("progress", "進捗率"), ("evaluated", "評価値"),
    ("eval_basis", "評価に用いた値"), ("trend_override", "矢印（手動判定）"),
    ("mark_override", "判定（手動判定）"), ("override_reason", "手動判定の理由"),
    ("explanation", "判定の根拠"), ("archived_at", "記録日時"),
)
HISTORY = Table(HISTORY_SHEET, HISTORY_COLUMNS, {"indicator": 30, "explanation": 40})

TARGETS = Table(TARGETS_SHEET, (
    ("date", "日付"), ("id", "ID"), ("indicator", "成果指標"), ("target", "目標"),
    ("old", "変更前"), ("new", "変更後"), ("reason", "理由"), ("state", "状態"),
    ("fiscal_year", "適用年度"),
), {"indicator": 30, "reason": 40, "old": 16, "new": 16})
