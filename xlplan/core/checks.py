"""Input checks: every problem in what staff typed, as findings, never an exception.

Pure: takes the rows read from a workbook (:class:`RowData`) with their computed
results and the settings; returns findings with a stable code, a level, the sheet and
cell, a Japanese message and a fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import DIRECTION_BY_WORD, DIRECTION_WORDS, Kind, columns_for
from xlplan.core.marks import FLAG_MESSAGES
from xlplan.core.model import RowData
from xlplan.core.parse import same_unit
from xlplan.core.settings import Settings
from xlplan.core.values import Parsed

VALUE_LABEL = {
    "baseline": "基準値",
    "actual": "実績値",
    "projection": "見込値",
    "mid_target": "中間目標",
    "final_target": "最終目標",
}

# Parser warning code → level. Anything not listed is a warning.
WARNING_LEVEL = {
    "digit_grouping": Level.ERROR,
    "unparseable": Level.ERROR,
    "date_incomplete": Level.WARNING,
}


def _fy_bounds(settings: Settings) -> tuple[date, date]:
    y = settings.fiscal_year
    return date(y, 4, 1), date(y + 1, 3, 31)


def check_row(row: RowData, result: RowResult, settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    tab, rid = row.tab, row.id

    def add(code: str, level: Level, key: str, message: str, fix: str) -> None:
        out.append(Finding(code, level, tab, row.cell(key), message, fix, rid))

    name = row.text("indicator") or rid or f"{row.row}行目"

    # Required cells.
    for c in columns_for(row.sheet):
        if c.required and c.kind is not Kind.KEY and c.key in row.addr and not row.text(c.key):
            add("required_missing", Level.ERROR, c.key,
                f"「{name}」の{c.heading.format(base='', fy='', mid='', final='').strip('（）')}が空欄です。",
                "値を入力してください。該当しない場合は「－」を入力してください。")

    # What the parser flagged in each value cell.
    parsed: Mapping[str, Parsed] = result.parsed
    for key, p in parsed.items():
        if key not in row.addr:
            continue
        for w in p.warnings:
            add(w.code, WARNING_LEVEL.get(w.code, Level.WARNING), key,
                f"「{name}」の{VALUE_LABEL[key]}「{cell_text(p.text)}」：{w.message}",
                _fix_for(w.code))

    # Units within the row: the evaluated value against the target and the baseline.
    j = result.judgement
    v = j.evaluated
    basis_key = "projection" if j.basis and j.basis.value == "projection" else "actual"
    target_key = "mid_target" if row.sheet == "4-1" and "mid_target" in parsed else "final_target"
    if v is not None and v.unit:
        for other in (target_key, "baseline"):
            o = parsed.get(other)
            if o is None or not o.unit or o.status is not None:
                continue
            if not same_unit(v.unit, o.unit) and not any(same_unit(p.unit, o.unit) for p in v.parts):
                add("unit_mismatch", Level.WARNING, basis_key,
                    f"「{name}」の{VALUE_LABEL[basis_key]}の単位「{v.unit}」が{VALUE_LABEL[other]}の単位「{o.unit}」と違います。",
                    "同じ単位で入力してください（入力ミスでなければ、理由を備考に書いてください）。")
                break

    # What the mark engine could not decide cleanly (a word value, a missing target …).
    for flag in j.flags:
        if flag != "units_differ":  # reported above as unit_mismatch, with the units
            add(flag, Level.WARNING, basis_key,
                f"「{name}」：{FLAG_MESSAGES.get(flag, flag)}（判定：{j.trend}／{j.mark}）。",
                "値と目標を確認し、必要なら手動判定に理由を書いてください。")

    # As-of dates of the actual: inside the reporting year and not after the report date.
    actual = parsed.get("actual")
    as_of = actual.as_of if actual is not None else None
    if as_of is not None:
        start, end = _fy_bounds(settings)
        if as_of > settings.report_date:
            add("as_of_after_report", Level.WARNING, "actual",
                f"「{name}」の実績値の時点（{as_of:%Y/%m/%d}）が報告日（{settings.report_date:%Y/%m/%d}）より後です。",
                "時点の書き間違いでないか確認してください。")
        elif not start <= as_of <= end:
            add("as_of_outside_year", Level.WARNING, "actual",
                f"「{name}」の実績値の時点（{as_of:%Y/%m/%d}）が報告年度（{start:%Y/%m/%d}～{end:%Y/%m/%d}）の外です。",
                "今年度の実績値を入力してください。今年度の値がまだない場合は、その旨を備考に書いてください。")

    # A projection needs its basis.
    proj = parsed.get("projection")
    has_projection = (proj is not None and proj.status is None
                      and (proj.value is not None or bool(proj.parts)))
    if has_projection and "basis" in row.addr and row.text("basis") in ("", "－", "―", "-"):
        add("basis_missing", Level.WARNING, "basis",
            f"「{name}」の見込値に算出根拠がありません。",
            "「見込値の算出根拠」に計算の方法を書いてください。")

    # 4-1: a missed mid target needs a reason and a countermeasure.
    if row.sheet == "4-1" and result.values.get("mark") == settings.labels.missed:
        for key, label in (("miss_reason", "未達成の理由"), ("countermeasure", "対策")):
            if key in row.addr and row.text(key) in ("", "－", "―", "-"):
                add("miss_without_" + ("reason" if key == "miss_reason" else "measure"), Level.ERROR, key,
                    f"「{name}」は中間目標未到達（{settings.labels.missed}）ですが、{label}が書かれていません。",
                    f"「{label}」の欄を記入してください。")

    # Overrides: a reason is mandatory; every override is listed beside the computed value.
    t_ov, m_ov = row.text("trend_override"), row.text("mark_override")
    if (t_ov or m_ov) and not row.text("override_reason"):
        add("override_without_reason", Level.ERROR, "override_reason",
            f"「{name}」に手動判定がありますが、理由が書かれていません。",
            "「手動判定の理由」を記入するか、手動判定を消してください。")
    if t_ov and t_ov != j.trend:
        add("override_trend", Level.INFO, "trend_override",
            f"「{name}」の矢印は手動判定「{t_ov}」です（計算では「{j.trend}」）。理由：{row.text('override_reason') or '（なし）'}",
            "手動判定が今も妥当か確認してください。")
    if m_ov and m_ov != j.mark:
        add("override_mark", Level.INFO, "mark_override",
            f"「{name}」の判定は手動判定「{m_ov}」です（計算では「{j.mark}」）。理由：{row.text('override_reason') or '（なし）'}",
            "手動判定が今も妥当か確認してください。")

    # The shown columns as they are in the workbook, against what they should be now.
    for key in ("trend", "mark"):
        if key in row.addr:
            shown, due = row.text(key), cell_text(result.values[key])
            if shown != due:
                add("stale_" + key, Level.WARNING, key,
                    f"「{name}」の表示中の{'矢印' if key == 'trend' else '判定'}「{shown or '（空欄）'}」が"
                    f"現在の入力による結果「{due}」と違います。",
                    "「判定を再計算」（xlplan recompute）を実行してください。")

    # Direction: an unknown word is an error; a blank one is inferred and said so.
    d = row.text("direction")
    if d and d not in DIRECTION_BY_WORD:
        add("direction_invalid", Level.ERROR, "direction",
            f"「{name}」の方向「{d}」は使えません。", "増加・減少・維持のいずれかを選んでください。")
    elif not d and "direction" in row.addr:
        add("direction_inferred", Level.INFO, "direction",
            f"「{name}」の方向が空欄のため「{DIRECTION_WORDS[j.direction]}」と推定して判定しました。",
            "方向（増加・減少・維持）を選んでください。")
    return out


def _fix_for(code: str) -> str:
    return {
        "digit_grouping": "桁区切りのカンマの位置を確認し、正しい数値に直してください（例：153,728）。",
        "date_incomplete": "時点を「令和2年11月末」のように年と月まで書いてください。",
        "unparseable": "数値と単位（例：1,234件）、または「－」を入力してください。",
    }.get(code, "入力内容を確認してください。")


def check_rows(rows: Iterable[RowData], results: Mapping[tuple[str, int], RowResult],
               settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    for r in rows:
        out += check_row(r, results[(r.sheet, r.row)], settings)
    return out
