"""Every staff-facing sentence, once: findings, refusals and the messages people read.

Three tables, each keyed by a stable code:

* :data:`FINDINGS` — what a check, a read or a merge reports: level, message, what to
  do. Build one with :func:`finding`. docs/workbook.md and docs/roundtrip.md list every
  code (a test keeps them in step both ways).
* :data:`REFUSALS` — why a command or a button does nothing at all (a file that cannot
  be used as it is): message, what to do, and an English line for the command line.
  Raise one with :func:`refuse`.
* :data:`UI` — everything else people read: ribbon messages, summaries, sheet titles,
  the report's legend and notes. Read one with :func:`say`.

Placeholders are ``str.format`` fields (``{name}``). The words of the workbook itself
(sheet names, column headings) are the glossary in :mod:`xlplan.core.layout`; the words
of value cells (units, eras, status words) are the lexicon in :mod:`xlplan.core.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlplan.core.findings import Finding, Level

E, W, I = Level.ERROR, Level.WARNING, Level.INFO  # noqa: E741 - the catalogue's level column


@dataclass(frozen=True, slots=True)
class FindingText:
    level: Level
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class RefusalText:
    message: str
    fix: str
    english: str


# =========================================================================== findings

FINDINGS: dict[str, FindingText] = {
    # --- reading the workbook (xlplan.core.master, sheetread, settings_grid) ------------
    "sheet_missing": FindingText(
        E, "シート「{tab}」がありません。",
        "シートを削除・改名していないか確認し、テンプレートの名前に戻してください。"),
    "sheet_not_grid": FindingText(
        E, "「{tab}」はグラフシートです。表のシートが必要です。",
        "グラフシートを別の名前にし、テンプレートから「{tab}」シートをコピーしてください。"),
    "sheet_hidden": FindingText(
        W, "入力シート「{tab}」が非表示になっています。",
        "シート見出しを右クリックし「再表示」で表示してください。"),
    "sheet_password": FindingText(
        E, "シート「{tab}」がパスワードで保護されているため、書き込めません。",
        "「校閲」→「シート保護の解除」でパスワードを外してから、もう一度実行してください。"),
    "header_not_found": FindingText(
        E, "「{tab}」シートに見出し行（ID・成果指標・基準値…）が見つかりません。",
        "テンプレートの見出し行を消したり書き換えたりしていないか確認し、テンプレートから見出し行をコピーしてください。"),
    "heading_missing": FindingText(
        E, "「{tab}」シートに見出し「{heading}」の列がありません。",
        "列を削除・改名していないか確認し、テンプレートの見出しのとおりに戻してください。"),
    "heading_duplicate": FindingText(
        E, "「{tab}」シートに見出し「{heading}」の列が2つ以上あります（{cells}）。どちらを使うか決められないため、書き込みません。",
        "追加した列の見出しを別の名前（例：「{heading}（メモ）」）に変えてください。"),
    "heading_outside_table": FindingText(
        E, "「{tab}」シートの表の外（{cell}）に、xlplanの列と同じ見出し「{heading}」があります。この列には書き込みません。",
        "追加した列の見出しを別の名前（例：「{heading}（メモ）」）に変えてください。"),
    "merged_cells": FindingText(
        E, "データ範囲に結合セル（{ref}）があります。1行1指標で読めません。",
        "「セルを結合して中央揃え」を解除し、各行に値を入れてください。"),
    "formula_in_input": FindingText(
        E, "入力欄に数式「{formula}」が入っています。数式の結果は使わず、空欄として扱いました。",
        "数式ではなく値を入力してください（コピーする場合は「値の貼り付け」）。"),
    "excel_error": FindingText(
        E, "入力欄がExcelのエラー値「{value}」になっています。",
        "正しい値を入力し直してください。"),
    "number_format_unknown": FindingText(
        W, "入力欄に数値「{value}」が入っていますが、表示形式（%や日付）を確かめられません。数値のまま読みました。",
        "値を文字で入力し直してください（例：50%、2021/3/31）。"),
    "duplicate_id": FindingText(
        E, "ID「{id}」が{first}と重複しています。",
        "行をコピーして追加した場合は、新しい行のIDを空欄にしてください（再計算で新しいIDが付きます）。"),
    "content_far_away": FindingText(
        W, "「{tab}」シートの表から離れたセル（{cell}）に値があります。読み取りの対象外です。",
        "不要なら削除してください（Ctrl+Endで最後のセルを確認できます）。"),
    "text_too_long": FindingText(
        E, "「{name}」の{label}が長すぎます（{length:,}文字。Excelのセルは32,767文字まで）。",
        "文章を短くしてください。"),
    "not_finite": FindingText(
        E, "入力欄に数値として扱えない値（{value}）が入っています。",
        "正しい数値を入力し直してください。"),
    "settings_missing": FindingText(
        E, "「設定」シートがありません。既定値（令和2年度）で判定しました。",
        "テンプレートから「設定」シートをコピーしてください。"),
    "settings_item_missing": FindingText(
        W, "設定「{label}」の行がありません。既定値 {default} を使いました。",
        "テンプレートの「設定」シートから行をコピーしてください。"),
    "settings_value_invalid": FindingText(
        E, "設定「{label}」の値「{value}」を読めません。既定値 {default} を使いました。",
        "{hint}"),
    "settings_threshold_order": FindingText(
        E, "○の基準が◎の基準以上になっています。",
        "○の基準は◎の基準より小さい値（例：50%と100%）にしてください。"),
    # --- row checks (xlplan.core.checks) ---------------------------------------------
    "required_missing": FindingText(
        E, "「{name}」の{label}が空欄です。",
        "値を入力してください。該当しない場合は「－」を入力してください。"),
    "unit_mismatch": FindingText(
        W, "「{name}」の{label}の単位「{unit}」が{other}の単位「{other_unit}」と違います。",
        "同じ単位で入力してください（入力ミスでなければ、理由を備考に書いてください）。"),
    "mark_flag": FindingText(
        W, "「{name}」：{flag}（判定：{trend}／{mark}）。",
        "値と目標を確認し、必要なら手動判定に理由を書いてください。"),
    "as_of_after_report": FindingText(
        W, "「{name}」の実績値の時点（{as_of}）が報告日（{report_date}）より後です。",
        "時点の書き間違いでないか確認してください。"),
    "as_of_outside_year": FindingText(
        W, "「{name}」の実績値の時点（{as_of}）が報告年度（{start}～{end}）の外です。",
        "今年度の実績値を入力してください。今年度の値がまだない場合は、その旨を備考に書いてください。"),
    "basis_missing": FindingText(
        W, "「{name}」の見込値に算出根拠がありません。",
        "「見込値の算出根拠」に計算の方法を書いてください。"),
    "miss_without_reason": FindingText(
        E, "「{name}」は中間目標未到達（{missed}）ですが、未達成の理由が書かれていません。",
        "「未達成の理由」の欄を記入してください。"),
    "miss_without_measure": FindingText(
        E, "「{name}」は中間目標未到達（{missed}）ですが、対策が書かれていません。",
        "「対策」の欄を記入してください。"),
    "override_without_reason": FindingText(
        E, "「{name}」に手動判定がありますが、理由が書かれていません。",
        "「手動判定の理由」を記入するか、手動判定を消してください。"),
    "override_trend": FindingText(
        I, "「{name}」の矢印は手動判定「{shown}」です（計算では「{computed}」）。理由：{reason}",
        "手動判定が今も妥当か確認してください。"),
    "override_mark": FindingText(
        I, "「{name}」の判定は手動判定「{shown}」です（計算では「{computed}」）。理由：{reason}",
        "手動判定が今も妥当か確認してください。"),
    "stale_trend": FindingText(
        W, "「{name}」の表示中の矢印「{shown}」が現在の入力による結果「{due}」と違います。",
        "「判定を再計算」（xlplan recompute）を実行してください。"),
    "stale_mark": FindingText(
        W, "「{name}」の表示中の判定「{shown}」が現在の入力による結果「{due}」と違います。",
        "「判定を再計算」（xlplan recompute）を実行してください。"),
    "direction_invalid": FindingText(
        E, "「{name}」の方向「{value}」は使えません。",
        "増加・減少・維持のいずれかを選んでください。"),
    "direction_inferred": FindingText(
        I, "「{name}」の方向が空欄のため「{direction}」と推定して判定しました。",
        "方向（増加・減少・維持）を選んでください。"),
    # What the parser flagged in a value cell ({warning} is the lexicon's sentence).
    "value_warning": FindingText(
        W, "「{name}」の{label}「{text}」：{warning}",
        "入力内容を確認してください。"),
    "digit_grouping": FindingText(
        E, "「{name}」の{label}「{text}」：{warning}",
        "桁区切りのカンマの位置を確認し、正しい数値に直してください（例：153,728）。"),
    "date_incomplete": FindingText(
        W, "「{name}」の{label}「{text}」：{warning}",
        "時点を「令和2年11月末」のように年と月まで書いてください。"),
    "unparseable": FindingText(
        E, "「{name}」の{label}「{text}」：{warning}",
        "数値と単位（例：1,234件）、または「－」を入力してください。"),
    # --- the printed report (xlplan.core.report) ---------------------------------------
    "report_edited": FindingText(
        W, "「{sheet}」の{cell}が手で変更されています（「{got}」、作成し直すと「{exp}」）。資料シートへの手入力は、作成し直すと消えます。",
        "直す場合は入力シート{where}を直してから資料を作成し直してください。"),
    "report_edited_more": FindingText(
        W, "「{sheet}」ではほかに{count}セルが手で変更されています。資料シートへの手入力は、作成し直すと消えます。",
        "直す場合は入力シートを直してから資料を作成し直してください。"),
    "report_stale": FindingText(
        I, "「{sheet}」は入力シートの今の内容と違います（前回作成した後に入力が変わりました）。",
        "資料を作成し直してください（xlplan render、またはリボンの「様式を再生成」）。"),
    "sheet_not_ours": FindingText(
        E, "シート「{tab}」はxlplanが作成したシートではありません（入力のあるシートが資料のシート名になっている可能性）。上書きしません。",
        "シート名を変えるか、内容を別のシートに移してから、もう一度実行してください。"),
    # --- split (xlplan.actions.split) ---------------------------------------------------
    "split_unassigned": FindingText(
        W, "「{column}」が空欄の行が{count}行あります（{what}）：{ids}",
        "各行の「{column}」を入力してから配布し直すか、--unassigned で「未設定」のファイルとして配布してください。"),
    # --- merge: the returned file (xlplan.actions.merge) ------------------------------
    "merge_is_master": FindingText(
        E, "マスター自身が返送ファイルとして指定されました。",
        "返送されたファイルを指定してください。"),
    "merge_unreadable": FindingText(
        E, "ファイルを読めません（{detail}）。",
        "Excelで開けるか確かめ、開ける場合は「名前を付けて保存」し直して送ってもらってください。"),
    "merge_macro": FindingText(
        W, "マクロまたは埋め込みオブジェクトを含むファイルです。マクロは実行せず、マスターにもコピーしません（値だけを読みます）。",
        "マクロを付けずに「Excel ブック (*.xlsx)」で保存するよう担当課に伝えてください。"),
    "merge_external_links": FindingText(
        W, "他のファイルへのリンク（外部参照）があります。リンク先は読まず、マスターにもコピーしません。",
        "リンクを解除（「データ→リンクの編集→リンクの解除」）して送り直してもらうと確実です。"),
    "merge_file_open": FindingText(
        I, "このファイルは誰かがExcelで開いています。最後に保存された内容を取り込みます。",
        "編集中でないか確認してください。"),
    "merge_conf_sheet": FindingText(
        W, "xlwings の設定シートと同じ形の名前のシート「{tab}」があります。読み込まず、マスターにもコピーしません。",
        "担当課がシートを追加した理由を確認してください（不審なら開かずに削除）。"),
    "merge_hidden_sheet": FindingText(
        W, "非表示のシート「{tab}」があります。{what}",
        "担当課がシートを隠した理由を確認してください。"),
    "merge_not_saved_by_excel": FindingText(
        I, "配布後にExcelで保存された記録がありません（保存者不明）。",
        "記入済みのファイルか確認してください。"),
    "merge_seen_before": FindingText(
        I, "このファイルは{when}に取り込み済みです（同じ内容）。二重には反映しません。",
        "対応は不要です。"),
    "merge_template_version": FindingText(
        E, "テンプレートの版が違います（このファイル：{found}、マスター：{expected}）。取り込みません。",
        "最新の配布ファイルに値を写して送り直してもらってください。"),
    "merge_no_stamp": FindingText(
        E, "配布記録（スタンプ）がありません。xlplan split で配布したファイルではないため、自動では取り込みません。マスターと違うセルを競合として一覧にします。",
        "配布したファイルに記入して送り直してもらうか、競合一覧を見て事務局がマスターに入力してください。"),
    "merge_other_master": FindingText(
        E, "別のマスター（前年度のマスターや別のコピー）から配布されたファイルです。自動では取り込みません。マスターと違うセルを競合として一覧にします。",
        "このマスターから配布し直したファイルに記入してもらってください。"),
    "merge_issue_unknown": FindingText(
        W, "{issued_at}の配布（{group}）はマスターの配布記録にありません（マスターをバックアップから戻した可能性）。配布時の値と比べて取り込みます。",
        "競合が出た場合は内容を確認してください。"),
    "merge_older_issue": FindingText(
        W, "このファイルは{issued_at}の配布分です。同じ行を{newer_at}にも配布しています（{newer_file}）。古い配布分として、配布時の値と比べて取り込みます。",
        "新しい配布ファイルでも返送があれば、競合の一覧を確認してください。"),
    "merge_stamp_unreadable": FindingText(
        W, "配布記録（スタンプ）の一部が読めません。読めない行は競合として扱います。",
        "このマスターから配布し直したファイルに記入してもらってください。"),
    "merge_sheet_missing": FindingText(
        E, "シート「{tab}」がない（削除・改名された）か、見出し行が見つかりません。このシートの行は取り込みません。",
        "シート名と見出し行を配布時のとおりに戻して送り直してもらってください。"),
    "merge_column_missing": FindingText(
        E, "シート「{tab}」に列「{heading}」が見つかりません（削除または見出しの変更）。この列は取り込みません。",
        "列と見出しを配布時のとおりに戻して送り直してもらってください。"),
    # --- merge: rows and cells (xlplan.core.merge) --------------------------------------
    "merge_new_row": FindingText(
        W, "IDのない行（{name}）があります。新しい指標の追加は取り込みません。",
        "新しい指標はマスターに事務局が追加してください（内容は返送ファイルに残っています）。"),
    "merge_duplicate_id": FindingText(
        E, "ID「{id}」の行が{count}つあり（{cells}）、内容が違います。この行は取り込みません。",
        "どちらが正しいか担当課に確認し、1行にして送り直してもらってください。"),
    "merge_duplicate_same": FindingText(
        I, "ID「{id}」の行が{count}つあります（{cells}）が、内容は同じなので1行として取り込みます。",
        "重複した行は削除してかまいません。"),
    "merge_row_not_issued": FindingText(
        W, "ID「{id}」（{name}）はこのファイルで配布した行ではありません。取り込みません。",
        "他のファイルから行をコピーしていないか確認してください。必要なら該当の配布ファイルで返送してもらってください。"),
    "merge_unknown_id": FindingText(
        W, "ID「{id}」（{name}）はマスターにありません。取り込みません。",
        "IDを書き換えていないか確認してください。新しい指標なら事務局がマスターに追加してください。"),
    "merge_row_moved": FindingText(
        W, "ID「{id}」は「{sheet}」の行として配布しましたが、別のシートにあります。取り込みません。",
        "行を元のシートに戻して送り直してもらってください。"),
    "merge_stamp_damaged": FindingText(
        W, "ID「{id}」の配布記録が書き換えられています。違いはすべて競合として扱います。",
        "競合の一覧を見て、正しい値を事務局がマスターに入力してください。"),
    "merge_row_deleted": FindingText(
        W, "配布したID「{id}」の行が返送ファイルにありません（削除された可能性）。マスターの行はそのままです。",
        "行を削除していないか担当課に確認してください。"),
    "merge_not_editable": FindingText(
        W, "「{name}」の「{heading}」が「{old}」→「{new}」に変更されていますが、この列は担当課の入力欄ではないため取り込みません。",
        "変更が必要なら事務局がマスターで直接修正してください（目標の変更は目標変更履歴に理由を記録）。"),
    "merge_formula": FindingText(
        E, "「{name}」の「{heading}」に数式「{formula}」が入っています。数式は取り込みません。",
        "担当課に、数式ではなく値（「値の貼り付け」）を入力して送り直してもらってください。"),
    "merge_excel_error": FindingText(
        E, "「{name}」の「{heading}」がExcelのエラー値「{value}」です。取り込みません。",
        "担当課に正しい値を入力して送り直してもらってください。"),
    "merge_text_too_long": FindingText(
        E, "「{name}」の「{heading}」が長すぎます（{length:,}文字。Excelのセルは32,767文字まで）。取り込みません。",
        "担当課に文章を短くして送り直してもらってください。"),
    # --- rollover (xlplan.core.rollover) -----------------------------------------------
    "rollover_skips_years": FindingText(
        W, "{old}年度から{new}年度へ、年度を飛ばして更新しました。",
        "間の年度の記録が必要なら、1年度ずつ更新してください。"),
    "rollover_past_final": FindingText(
        W, "{new}は最終目標の年度（{final}）より後です。",
        "計画の改定に合わせて、設定の目標年度と各指標の目標を見直してください。"),
    "rollover_rearchived": FindingText(
        I, "{year}の過去実績は既にありました（{count}行）。今回の値で置き換えました。",
        "対応は不要です。"),
    "target_changed_unrecorded": FindingText(
        W, "「{name}」の{target}が前年度の「{old}」から「{new}」に変わっていますが、目標変更履歴に理由がありません。",
        "シート「{sheet_name}」の該当行に理由を記入してください。"),
    "target_request_invalid": FindingText(
        E, "{where}：{problem}この変更は適用していません。",
        "{hint}"),
    # --- collection status and mail drafts (issue 12: xlplan.core.collection, mail) -----
    "split_due_past": FindingText(
        W, "提出期限（{due}）が配布日（{issued}）より前です。配布したファイルはすぐに「期限超過」になります。",
        "期限が正しいか確かめてください。直す場合は --due（または設定「提出期限」）で正しい日付を指定して、配布し直してください。"),
    "mail_no_address": FindingText(
        W, "「{group}」の宛先が設定シートの「メールの宛先」にありません。宛先（To）が空の下書きを作りました（{draft}）。",
        "設定シートの「メールの宛先」の表に、配布先（または担当課）の名前とメールアドレスを入力してください。下書きを開いて宛先を入れてから送ることもできます。"),
    "mail_some_addresses": FindingText(
        W, "「{group}」の下書き（{draft}）の宛先は{found}だけです。{missing}の宛先が設定シートの「メールの宛先」にありません。",
        "設定シートの「メールの宛先」の表に、{missing}のメールアドレスを入力するか、下書きを開いて宛先を足してから送ってください。"),
    "mail_address_invalid": FindingText(
        W, "設定シートの「メールの宛先」の「{group}」に、メールアドレスの形でない「{address}」があります。宛先に入れていません。",
        "「name@example.lg.jp」の形で入力してください（複数の場合は「;」で区切ります）。"),
    "mail_placeholder_unknown": FindingText(
        W, "設定「{label}」の「{{{name}}}」は差し込める項目ではありません。そのまま残しました。",
        "差し込める項目は {names} です。"),
}


def finding(code: str, *, sheet: str = "", cell: str = "", row_id: str = "", file: str = "",
            level: Level | None = None, **fields: Any) -> Finding:
    """The finding ``code`` with its catalogue words, placeholders filled from ``fields``."""
    t = FINDINGS[code]
    return Finding(code, level or t.level, sheet, cell, t.message.format(**fields),
                   t.fix.format(**fields), row_id, file)


# =========================================================================== refusals


class Refusal(Exception):
    """A workbook or a request xlplan will not touch as it is. Nothing has been written.

    ``str()`` is the one-line command-line message (Japanese, then English in brackets).
    """

    def __init__(self, code: str, where: Path | str | None, message: str, fix: str,
                 english: str) -> None:
        self.code = code
        self.path = Path(where) if where is not None else None
        self.message = message
        self.fix = fix
        self.english = english
        prefix = f"{where}: " if where is not None else ""
        line = f"{prefix}{message} {fix} ({english})"
        super().__init__(" ".join(line.split()))


REFUSALS: dict[str, RefusalText] = {
    "file_missing": RefusalText("ファイルが見つかりません。", "ファイル名と保存場所を確認してください。",
                                "file not found"),
    "not_a_file": RefusalText("フォルダーが指定されました。", "Excelファイル（.xlsx）を指定してください。",
                              "is a directory"),
    "old_xls": RefusalText(
        "古い形式（.xls）のファイルです。",
        "Excelで開き「名前を付けて保存」で「Excel ブック (*.xlsx)」として保存し直してください。",
        "old .xls format; save as .xlsx"),
    "encrypted": RefusalText(
        "パスワードで保護（暗号化）されたファイルは読めません。",
        "Excelで開き「ファイル→情報→ブックの保護→パスワードを使用して暗号化」でパスワードを消してから保存してください。",
        "password-protected (encrypted) workbook"),
    "not_xlsx": RefusalText("Excelのファイル（.xlsx）ではありません。",
                            "資料4のExcelブック（.xlsx）を指定してください。", "not an .xlsx file: {detail}"),
    "corrupt": RefusalText(
        "ファイルが壊れています（{what}）。",
        "送り主にもう一度送ってもらうか、バックアップから戻してください。",
        "corrupt file: {detail}"),
    "macro_in_xlsx": RefusalText(
        "拡張子は .xlsx ですが、マクロ（VBA）が含まれています。このまま保存するとマクロが失われるか、Excelで開けなくなります。",
        "Excelで開き「名前を付けて保存」で「Excel マクロ有効ブック (*.xlsm)」として保存し直してから指定してください。",
        "an .xlsx file that carries a VBA project; save it as .xlsm"),
    "open_in_excel": RefusalText("このファイルはExcelで開かれています。",
                                 "Excelでファイルを閉じてから、もう一度実行してください。",
                                 "file is open in Excel ({lock} exists)"),
    "read_only": RefusalText("保存先のフォルダーまたはファイルが読み取り専用です。",
                             "書き込みできるフォルダーにコピーするか、-o で別の保存先を指定してください。",
                             "folder or file is read-only"),
    "io_error": RefusalText("ファイルを読み書きできません（{reason}）。",
                            "保存先・権限・空き容量を確認してください。", "I/O error: {detail}"),
    "template_version": RefusalText(
        "テンプレートの版が違います（このファイル：{found}、必要：{expected}）。",
        "最新の資料4テンプレートに値を写すか、事務局に新しい様式を依頼してください。",
        "different template version: {found}, expected {expected}"),
    "unusable": RefusalText(
        "このブックには書き込めません：{reason}",
        "「入力チェック」（xlplan check --no-write）で場所を確かめ、直してから、もう一度実行してください。",
        "refused: {count} problem(s) where xlplan would write ({codes})"),
    "duplicate_id": RefusalText(
        "マスターでIDが重複しています（{where}「{id}」ほか）。",
        "重複した行のIDを空欄にして「判定を再計算」（xlplan recompute）で新しいIDを付けてから、もう一度実行してください。",
        "duplicate IDs in the master"),
    "id_missing": RefusalText(
        "IDのない行があります（{tab} {row}行目ほか{count}行）。",
        "「判定を再計算」（xlplan recompute）でIDを付けてから、もう一度実行してください。",
        "rows without an ID in the master"),
    "layout": RefusalText("{message}", "{fix}", "master layout is broken"),
    "output_is_input": RefusalText(
        "保存先「{name}」は読み込むファイルと同じです。上書きすると元の内容が失われます。",
        "-o（--report）には別のファイル名を指定してください。",
        "the output would overwrite an input file"),
    "exists": RefusalText(
        "保存先のファイルが既にあります。",
        "別のファイル名を指定するか、--force で上書きしてください（上書き前の内容は backup フォルダーに残ります）。",
        "output file exists (use --force to replace it)"),
    "rollover_in_place": RefusalText(
        "年度更新は元のマスターを上書きしません。",
        "-o で新しいファイル名（例：資料4_令和3年度.xlsx）を指定してください。",
        "rollover writes a new file; give -o another name"),
    "rollover_year": RefusalText(
        "報告年度は{year}年度（{era}）です。{to}年度へは更新できません。",
        "--to には{next}を指定してください。",
        "--to must be after the master's fiscal year {year}"),
    "split_by": RefusalText("「{by}」ではグループに分けられません。", "--by には {choices} のいずれかを指定してください。",
                            "--by must be one of {choices}"),
    "locked": RefusalText(
        "このマスターは別の処理（{owner}、{since}開始）が使用中です。",
        "その処理が終わるのを待ってから、もう一度実行してください。{stale}",
        "master is locked by {owner} since {since} ({lock})"),
    "changed_meanwhile": RefusalText(
        "処理の間に、別のプログラムがこのファイルを保存しました。上書きすると相手の変更が失われるため、保存しませんでした。",
        "もう一度実行してください。",
        "the file changed on disk while xlplan was working; nothing was saved"),
    "libreoffice_missing": RefusalText(
        "PDFの作成にはLibreOfficeが必要ですが、見つかりません（{detail}）。",
        "LibreOfficeを入れてください（Debian/Ubuntu：sudo apt-get install libreoffice-calc-nogui fonts-noto-cjk。"
        "Windowsでは、ExcelでPDFに保存することもできます）。",
        "LibreOffice (soffice) not found or cannot start; install it or set XLPLAN_SOFFICE ({detail})"),
    "pdf_timeout": RefusalText(
        "LibreOfficeのPDF変換が{seconds}秒で終わりませんでした。",
        "開いているLibreOfficeを閉じてから、もう一度実行してください。",
        "LibreOffice did not finish within {seconds} s"),
    "pdf_failed": RefusalText(
        "LibreOfficeでPDFを作れませんでした。",
        "LibreOfficeが正しくインストールされているか確認してください。",
        "LibreOffice failed: {detail}"),
    "pdf_locked": RefusalText(
        "PDFファイルを上書きできません（ほかのアプリで開かれています）。",
        "PDFを閉じるか、-o で別の名前を指定してください。",
        "cannot replace the PDF (open in another program?): {detail}"),
    "unexpected": RefusalText(
        "予期しないエラーが起きました（{detail}）。ファイルは変更していません。",
        "ログファイル {log} を事務局（システム担当）に送ってください。",
        "unexpected error, details in {log}"),
    # --- collection status and mail drafts (issue 12) ----------------------------------
    "due_invalid": RefusalText(
        "提出期限「{value}」を日付として読めません。",
        "2021/1/29 のように年・月・日で指定してください（--due、または設定シートの「提出期限」）。",
        "cannot read the deadline {value!r} as a date (use e.g. 2021-01-29)"),
    "date_invalid": RefusalText(
        "日付「{value}」を読めません。",
        "2021/2/1 のように年・月・日で指定してください。",
        "cannot read {value!r} as a date (use e.g. 2021-02-01)"),
    "mail_dir_is_file": RefusalText(
        "メールの下書きの保存先「{name}」はフォルダーではなくファイルです。",
        "--mail には下書きを保存するフォルダーを指定してください（なければ作ります）。",
        "--mail must name a folder"),
}


def refusal(code: str, where: Path | str | None = None, /, **fields: Any) -> Refusal:
    t = REFUSALS[code]
    return Refusal(code, where, t.message.format(**fields), t.fix.format(**fields),
                   t.english.format(**fields))


def refuse(code: str, where: Path | str | None = None, /, **fields: Any) -> Refusal:
    """``raise refuse("file_missing", path)``."""
    return refusal(code, where, **fields)


# =========================================================================== UI texts

UI: dict[str, str] = {
    # --- levels, and the one-line summary of a check ----------------------------------
    "level.error": "エラー",
    "level.warning": "警告",
    "level.info": "情報",
    "check.summary": "エラー {errors}件、警告 {warnings}件、情報 {infos}件",
    "check.summary_fix": "。エラーを直してから提出してください。",
    "check.title": "チェック結果",
    "check.headings": "レベル\tコード\tシート\tセル\tID\t内容\t対処",
    "check.link_tip": "セルへ移動",
    "check.done": "入力チェック：{summary}\n詳しくは「チェック結果」シートを見てください。",
    # --- recompute and render ------------------------------------------------------
    "recompute.nothing": "判定は最新です（変更はありません）。",
    "recompute.done": "判定を再計算しました（{cells}セル更新）。",
    "recompute.new_ids": "新しい行にIDを付けました：{ids}",
    "render.sheet": "{name} {rows}指標・{pages}ページ",
    "render.done": "様式（{pages}）と集計を作り直しました。",
    "action.reading_errors": "読み取りでエラーが{count}件ありました。「入力チェック」で確認してください。",
    "summary.chart_title": "資料別の判定の数",
    "summary.chart_axis": "指標の数",
    # --- the ribbon (xlplan.excel) ------------------------------------------------------
    "ribbon.tab": "ICT進捗",
    "ribbon.check": "入力チェック",
    "ribbon.recompute": "判定を再計算",
    "ribbon.render": "様式を再生成",
    "ribbon.update": "すべて更新",
    "ribbon.merge": "返送ファイルを取り込み",
    "ribbon.title": "{tab}：{label}",
    "ribbon.unknown_action": "不明な操作です：{action!r}（使えるのは {known}）",
    "ribbon.refused": "「{label}」を実行できませんでした。\n{message}\n{fix}\n（{english}）",
    "ribbon.failed": "「{label}」の実行中に予期しないエラーが起きました。{state}\nこのメッセージの内容とログファイル（{log}）を事務局に知らせてください。\n（{detail}）",
    "ribbon.undone": "書き込みの途中で失敗したため、書き込んだ部分を元に戻しました。",
    "ribbon.untouched": "ブックは変更していません。",
    "ribbon.merge_no_files": "取り込むファイルが選ばれていません。",
    "ribbon.merge_on_server": "返送ファイルの取り込みは、サーバー経由では使えません（サーバーからはこのパソコンのファイルを読めません）。Python を入れたパソコンのアドインで実行するか、事務局のパソコンで xlplan merge を使ってください。",
    "ribbon.merge_list_unreadable": "選んだファイルの一覧を読めませんでした。もう一度実行してください。\n（{detail}）",
    "ribbon.merge_applied": "開いているブックに反映しました（{cells}セル）。",
    "ribbon.merge_recomputed": "判定を再計算しました（{cells}セル更新）。",
    "ribbon.merge_saved_hint": "変更の記録はシート「{sheet}」にあります。保存（Ctrl+S）すると確定します。",
    "ribbon.more_lines": "…（ほか{count}行。すべての内容は xlplan merge --dry-run --report 結果.xlsx で一覧にできます）",
    # --- merge (xlplan.core.returns, xlplan.actions.merge) ------------------------------
    "merge.status.merged": "取込済",
    "merge.status.nothing": "変更なし",
    "merge.status.conflicts": "競合あり",
    "merge.status.refused": "取込せず",
    "merge.status.failed": "読めません",
    "merge.saved_by": "、保存者 {who}",
    "merge.file_line": "{name}{group}：{status} — 反映 {changes}セル、競合 {conflicts}、エラー {errors}、警告 {warnings}、取込済・同じ値 {already}、未変更 {unchanged}{who}",
    "merge.trial": "【試行（マスターは変更していません）】",
    "merge.head": "{trial}{files}ファイルを確認：反映 {changes}セル、競合 {conflicts}件。",
    "merge.conflict_line": "    [競合] {where} {id}「{heading}」 マスター「{master}」／返送「{returned}」：{reason}",
    "merge.saved": "マスターを保存しました：{path}",
    "merge.backup": "バックアップ：{path}",
    "merge.history_hint": "変更の記録はシート「{sheet}」にあります。",
    "merge.nothing": "マスターに反映する変更はありません（マスターは変更していません）。",
    "merge.report_written": "結果の一覧：{path}",
    "merge.history_action": "取込",
    "merge.reason.both_changed": "配布後にマスターでも変更されています",
    "merge.reason.no_base": "配布時の記録（スタンプ）がないため、どちらが新しいか判断できません",
    "merge.reason.row_gone": "マスターにこの行がありません（配布後に削除または移動）",
    "merge.hidden_input": "入力シートなので値は読みます。",
    "merge.hidden_other": "読み込まず、マスターにもコピーしません。",
    "merge.unknown_saver": "（不明）",
    "merge.trial_short": "【試行】",
    "merge.report_title": "取り込み結果 {at}{master}",
    "merge.report_master": "　マスター：{name}",
    "merge.sheet_summary": "概要",
    "merge.sheet_changes": "変更",
    "merge.sheet_conflicts": "競合",
    "merge.sheet_findings": "指摘",
    "merge.summary_headings": "ファイル\t結果\t配布先\t配布日時\t保存者\t反映\t競合\tエラー\t警告\t取込済・同じ値\t未変更",
    "merge.changes_headings": "ファイル\tシート\tセル\tID\t成果指標\t列\t変更前\t変更後",
    "merge.conflicts_headings": "ファイル\tシート\tマスターのセル\t返送のセル\tID\t成果指標\t列\t配布時\tマスターの現在値\t返送された値\t理由",
    "merge.findings_headings": "ファイル\tレベル\tコード\tシート\tセル\tID\t内容\t対処",
    "merge.unknown_base": "（不明）",
    # --- split ------------------------------------------------------------------------
    "split.unassigned_issued": "「未設定」のファイルで配布",
    "split.unassigned_kept": "配布していません",
    "lock.stale_hint": "（処理が異常終了した場合、ロックは{minutes}分後に自動で解除されます）",
    # --- rollover -----------------------------------------------------------------------
    "rollover.where_sheet": "{sheet} {row}行目",
    "rollover.where_file": "目標変更ファイル {row}行目",
    "rollover.no_id": "ID「{id}」の指標がありません。",
    "rollover.no_id_fix": "IDを確認してください。",
    "rollover.no_target": "目標「{target}」はこの指標にありません。",
    "rollover.no_target_fix": "「中間目標」（資料4-1のみ）または「最終目標」と書いてください。",
    "rollover.no_new": "変更後の値がありません。",
    "rollover.no_new_fix": "「変更後」に新しい目標を入力してください。",
    "rollover.no_reason": "理由がありません。目標の変更には理由が必要です。",
    "rollover.no_reason_fix": "「理由」を記入してください。",
    "rollover.unrecorded_reason": "（理由の記録なし：年度中にセルが直接変更されました）",
    "rollover.history_action": "年度更新",
    "rollover.history_text": "{old}→{new}（過去実績に{archived}行を記録、入力欄{cleared}セルを消去）",
    "server.title": "{tab}（サーバー）",
    "server.bad_payload": "Excelから送られたデータを読めませんでした。（{detail}）",
    "server.unreplayable": "サーバーの応答に、Excelで実行できない操作が含まれていました。ブックは変更していません。事務局に知らせてください。（{detail}）",
    "server.bad_request": "Excelから送られたデータの形が正しくありません。",
    "server.version": "xlwingsの版が合いません（Excel側のアドイン：{client}、サーバー：{server}）。事務局から最新の xlplan.xlam を入手して入れ直してください。",
    "server.unauthorized": "サーバーへの接続が許可されていません（AUTH の設定を確認してください）。",
    "server.unknown_action": "サーバーに「{action}」という処理はありません。",
    # --- collection status (issue 12: xlplan.core.collection, xlplan.actions.status) ----
    "status.title": "回収状況（{at} 現在）",
    "status.note": "配布（xlplan split）と取り込み（xlplan merge、返送ファイルを取り込み）のたびに、マスターの記録（_xlplan）から作り直す表です。手で書き込んだ内容は、次に作り直すと消えます。",
    "status.headings": "配布先\t配布ID\t配布日時\tファイル名\t行数\t提出期限\t状態\t回収日時\t最終取込\t保存者\t反映セル数\t競合数\t期限超過\t返送ファイル",
    "status.state.outstanding": "未回収",
    "status.state.returned": "回収済",
    "status.state.conflicts": "一部競合",
    "status.state.refused": "取込せず",
    "status.state.superseded": "再配布済",
    "status.overdue_days": "{days}日超過",
    "status.line": "配布 {issued}件、回収 {returned}件{returned_detail}、未回収 {outstanding}件{overdue_detail}",
    "status.returned_detail": "（うち{parts}）",
    "status.part": "{state} {count}件",
    "status.overdue_detail": "（うち期限超過 {overdue}件）",
    "status.superseded_detail": "（ほかに再配布済 {count}件）",
    "status.none": "配布の記録がありません（xlplan split で配布すると、ここに表示されます）。",
    "status.copy_line": "・{group}（{file}、{rows}指標）：{state}{detail}",
    "status.copy_due": "、期限 {due}",
    "status.copy_overdue": "、{days}日超過",
    "status.copy_returned": "、最終取込 {at}、反映 {changes}セル、競合 {conflicts}",
    "merge.collection": "回収状況：{line}",
    "status.refreshed": "シート「{sheet}」を更新しました。保存（Ctrl+S）すると確定します。",
    "status.written": "シート「{sheet}」を更新しました：{path}",
    "split.due": "提出期限：{due}",
    "settings.due_help": "xlplan split で --due を省略したときの提出期限（例：2021/1/29）。空欄なら期限なし。回収状況シートの「期限超過」はこの日の翌日から。",
    "settings.sender_help": "メールの下書きの差出人（例：ict-suishin@pref.example.lg.jp）。空欄ならメールソフトの既定のアカウント。",
    "settings.template_help": "空欄なら既定の文面。差し込める項目：{names}",
    "settings.template_long": "（全文はセルを選ぶと数式バーに出ます。改行は Alt+Enter）",
    "summary.collection_title": "5. 配布・回収の状況",
    "summary.collection_head": "状態\t\t件数",
    "summary.collection_issued": "配布（再配布済を除く）",
    "summary.collection_note": "期限超過の件数は日付で変わるため、ここには載せていません。「回収状況」シート（xlplan status）で確認してください。",
    # --- mail drafts (issue 12: xlplan.core.mail) ----------------------------------------
    "mail.subject": "【依頼】{年度}ICT戦略の進捗状況調査（資料4）について（{配布先}）",
    "mail.body": (
        "{配布先}\nご担当者様\n\n"
        "いつもお世話になっております。ICT戦略推進の事務局です。\n\n"
        "{年度}のICT戦略の進捗状況について、アドバイザリー会議の資料（資料4）を作成するため、"
        "調査票をお送りします。\n"
        "お忙しいところ恐れ入りますが、添付のファイルに記入のうえ、{期限}までに、"
        "このメールへの返信にファイルを添付してお送りください。\n\n"
        "■添付ファイル：{ファイル名}（{行数}指標）\n"
        "■提出期限：{期限}\n\n"
        "【記入のお願い】\n"
        "・実績値・見込値・見込値の算出根拠・取組状況・課題などの記入欄に入力してください。\n"
        "・ID・目標・担当課などの欄は変更できません。行の削除やIDの書き換えはしないでください。\n"
        "・数式ではなく値を入力してください（他のファイルから写す場合は「値の貼り付け」）。\n\n"
        "ご不明な点がありましたら、事務局までお問い合わせください。\n"
        "よろしくお願いいたします。\n"),
    "mail.remind_subject": "【再度のお願い】{年度}ICT戦略の進捗状況調査（資料4）のご提出について（{配布先}）",
    "mail.remind_body": (
        "{配布先}\nご担当者様\n\n"
        "いつもお世話になっております。ICT戦略推進の事務局です。\n\n"
        "{配布日}にお送りした進捗状況調査（資料4）について、現時点で事務局にご提出を"
        "確認できておりません。\n"
        "お忙しいところ恐れ入りますが、記入のうえ、ご返送くださいますようお願いいたします。\n"
        "なお、行き違いでご提出済みの場合は、ご容赦ください。\n\n"
        "■提出期限：{期限}\n"
        "■お送りしたファイル：{ファイル名}（{行数}指標）\n"
        "■ご記入をお願いしている指標：\n{指標一覧}\n\n"
        "ご不明な点がありましたら、事務局までお問い合わせください。\n"
        "よろしくお願いいたします。\n"),
    "mail.no_due": "別途お知らせする期限",
    "mail.indicator_line": "　・{id} {name}",
    "mail.date": "{era}{month}月{day}日（{weekday}）",
    "mail.weekdays": "月火水木金土日",
    "mail.written": "メールの下書きを{count}件作成しました：{folder}（送信はしていません。開いて宛先と内容を確かめてから送ってください）",
    "remind.written": "督促メールの下書きを{count}件作成しました：{folder}（送信はしていません。開いて宛先と内容を確かめてから送ってください）",
    "remind.file_name": "督促_{stem}.eml",
    "remind.nothing": "督促が必要な配布ファイル（未回収）はありません。下書きは作成していません。",
    # --- the ribbon's secretariat buttons (issue 12) --------------------------------------
    "ribbon.status": "回収状況を更新",
    "ribbon.remind": "督促メールを作成",
    "ribbon.remind_on_server": "督促メールの作成は、サーバー経由では使えません（サーバーからはこのパソコンのフォルダーに書き込めません）。Python を入れたパソコンのアドインで実行するか、事務局のパソコンで xlplan remind を使ってください。",
    "ribbon.merge_recorded": "反映するセルはありませんでしたが、返送されたことをシート「{sheet}」に記録しました。保存（Ctrl+S）すると確定します。",
    "ribbon.remind_no_folder": "下書きを保存するフォルダーが選ばれていません。",
}


def say(key: str, **fields: Any) -> str:
    """The UI text ``key`` with its placeholders filled."""
    return UI[key].format(**fields)
