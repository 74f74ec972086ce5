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

Beside them: :data:`VBA_TEXTS` (what the add-in's VBA shows itself), :data:`BUNDLE_TEXTS`
(README.txt and the messages of the install folder) and :data:`BUILD_TEXTS` (what
building the add-in and the install folder reports, read with :func:`build_text`).

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
    "number_not_finite": FindingText(
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
    "settings_scheme_rows_unused": FindingText(
        W, "判定方式が progress（進捗率）のため、判定方式の詳細の行は使いません。",
        "進捗率の基準と記号は「◎の基準」「○の基準」「記号：…」の行で変更してください。"),
    "settings_scheme_unknown": FindingText(
        E, "判定方式「{name}」はありません。既定の進捗率（◎○△－×）で判定しました。",
        "{choices} のいずれかを選んでください。"),
    "settings_scheme_value_invalid": FindingText(E, "{problem}", "{hint}"),
    "settings_scheme_invalid": FindingText(
        E, "判定方式の表を使えません（{error}）。{base} の既定の表で判定しました。",
        "区分は上から良い順に並べ、基準は上の区分ほど大きくしてください。"),
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
    # --- split (xlplan.actions.split) ---------------------------------------------------
    "split_unassigned": FindingText(
        W, "「{column}」が空欄の行が{count}行あります（{what}）：{ids}",
        "各行の「{column}」を入力してから配布し直すか、--unassigned で「未設定」のファイルとして配布してください。"),
    # --- merge: the returned file (xlplan.actions.merge) ------------------------------
    "merge_is_master": FindingText(
        E, "マスター自身が返送ファイルとして指定されました。",
        "返送されたファイルを指定してください。"),
    # A returned file that cannot be used: the file's refusal (corrupt, not_xlsx…) as a
    # finding of that code.
    "file_refused": FindingText(E, "{message}", "{fix}"),
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
        W, "ID「{id}」は「{issued_sheet}」の行として配布しましたが、別のシートにあります。取り込みません。",
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
    # --- hostile files (issue 13) ----------------------------------------------------------
    "sheet_not_ours": FindingText(
        E, "シート「{tab}」はxlplanが作成したシートではありません（表や入力欄の見出しがあるか、グラフシートです。入力のあるシートがこの名前になっている可能性があります）。上書きしません。",
        "シート名を変えるか、内容を別のシートに移してから、もう一度実行してください。"),
    "text_too_long": FindingText(
        E, "「{name}」の{label}が長すぎます（{length:,}文字。Excelのセルは32,767文字まで）。文字は切らずにそのまま残しています。",
        "文章を短くしてください。"),
    "invisible_only": FindingText(
        W, "「{tab}」シートに、見えない文字（ゼロ幅スペースなど）だけが入ったセルが{count}個あります（最初は{first}）。空欄として扱い、行として読みませんでした。",
        "不要なら「すべてクリア」で消してください。指標の行なら値を入力し直してください。"),
    "merge_not_finite": FindingText(
        E, "「{name}」の「{heading}」が数値として扱えない値（{value}）です。取り込みません。",
        "担当課に正しい値を入力して送り直してもらってください。"),
    "split_not_carried": FindingText(
        W, "配布ファイルには次のものが入りません（マスターには残っています）：{what}。",
        "配布先に必要なら、マスターから写して別途送ってください。"),
}


def finding(code: str, *, sheet: str = "", cell: str = "", row_id: str = "", file: str = "",
            level: Level | None = None, template: str | None = None, **fields: Any) -> Finding:
    """The finding ``code`` with its catalogue words, placeholders filled from ``fields``
    (and from the finding's own place: ``{sheet}``, ``{cell}``, ``{row_id}``, ``{file}``)."""
    t = FINDINGS[template or code]
    fields = {"sheet": sheet, "cell": cell, "row_id": row_id, "file": file, **fields}
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
    "password_sheet": RefusalText(
        "シート「{sheet}」はパスワードで保護されているため、書き込めません。何も変更していません。",
        "「校閲」→「シート保護の解除」でパスワードを外してから、もう一度実行してください（xlplanの保護はパスワードなしで掛け直されます）。",
        "sheet {sheet} is protected with a password; nothing was written"),
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
    # --- hostile files (issue 13) ----------------------------------------------------------
    "extension_mismatch": RefusalText(
        "ファイルの名前（{suffix}）と中身の種類（{ext}）が合いません。このままではExcelで開けません。",
        "ファイル名の拡張子を {ext} に変えてから、もう一度指定してください。",
        "the file is a {ext} workbook named {suffix}; rename it to {ext}"),
    "output_type": RefusalText(
        "保存先の名前が、このブックの種類（{ext}）と合いません。この名前ではExcelで開けなくなります。",
        "-o には拡張子 {ext} の名前を指定してください（マクロ有効ブックは .xlsm のまま保存します）。",
        "output name must end in {ext}, the kind of workbook this is"),
    "merged_where_written": RefusalText(
        "シート「{sheet}」の{cell}は結合セル（{ref}）の中にあるため、xlplanが書き込む値が隠れてしまいます。書き込みませんでした。",
        "{ref}の「セルを結合して中央揃え」を解除してから、もう一度実行してください。",
        "{sheet}!{cell} lies inside merged range {ref}; nothing was written"),
    "cannot_write": RefusalText(
        "このブックには書き込めません（{detail}）。ファイルは変更していません。",
        "「入力チェック」（xlplan check --no-write）で内容を確かめ、事務局（システム担当）に相談してください。",
        "cannot write this workbook: {detail}"),
}


def refusal(code: str, where: Path | str | None = None, /, **fields: Any) -> Refusal:
    t = REFUSALS[code]
    return Refusal(code, where, t.message.format(**fields), t.fix.format(**fields),
                   t.english.format(**fields))


def refuse(code: str, where: Path | str | None = None, /, **fields: Any) -> Refusal:
    """``raise refuse("file_missing", path)``."""
    return refusal(code, where, **fields)


# =========================================================================== judgements

# What the mark engine flags beside a mark (Judgement.flags): the check reports each as a
# finding of the same code, and the reasons repeat the sentence.
FLAG_MESSAGES: dict[str, str] = {
    "units_differ": "単位が異なります",
    "baseline_not_numeric": "基準値が数値でないため、矢印と進捗率を判定できません",
    "qualitative_change": "文字の値が基準値とも目標とも一致しないため、自動判定できません",
    "target_missing": "目標が数値でないため、改善か悪化かだけで判定しました",
    "target_conflicts_direction": "目標が基準値より悪い側にあるため、改善か悪化かだけで判定しました",
    "mid_missing": "中間目標がないため、最終目標で判定しました",
}


# Every sentence of the reasons, keyed by a stable code (Judgement.reason_codes): what
# staff read in the 判定の根拠 column (xlplan.core.marks builds them).
REASONS: dict[str, str] = {
    # direction
    "direction_from_intent": "方向が未入力のため、目標「{text}」から「{word}」と推定しました。",
    "direction_from_target": "方向が未入力のため、目標が基準値を{side}ことから「{word}」と推定しました。",
    "direction_assumed": "方向が未入力で目標からも判断できないため、「増加」とみなしました。",
    "direction_given": "方向：{word}",
    # what stops a judgement
    "suspended": "{which}が「進捗管理を停止している」のため、{label}。",
    "no_value": "見込値（{projection}）も実績値（{actual}）も使えないため{label}。",
    "mid_missing": FLAG_MESSAGES["mid_missing"] + "。",
    # the values used
    "evaluated_actual": "評価値：実績値 {v}（見込値が{why}のため。矢印は括弧書き）",
    "evaluated_projection": "評価値：見込値 {v}",
    "baseline_new": "基準値：0（「－」は新規の取組として0とみなす）",
    "baseline": "基準値：{b}",
    "target": "{name}：{t}",
    "relative_resolved": "{name}「{text}」は基準値に対する目標のため、{formula} = {t} としました。",
    "relative_unresolved": "{name}「{text}」は{why}ため、文言の目標として扱いました。",
    "units_differ": FLAG_MESSAGES["units_differ"] + "（{a}、{c}）。数値のまま比較しました。",
    # the arrow
    "arrow_same_words": "評価値「{words}」が基準値と同じため{arrow}",
    "arrow_words_reached": "評価値「{words}」が目標に達したため{arrow}",
    "qualitative_change": FLAG_MESSAGES["qualitative_change"] + "（手動判定が必要）。",
    "baseline_not_numeric": FLAG_MESSAGES["baseline_not_numeric"] + "（手動判定が必要）。",
    "arrow_up": "基準値より改善したため{arrow}",
    "arrow_down": "基準値より悪化したため{arrow}",
    "arrow_flat": "基準値と同じため{arrow}",
    # every scheme
    "scheme_rule": "判定方式：{title}（{legend}）",
    "words_reached": "評価値が{target}と同じ文言のため{label}",
    "bound_met": "評価値 {v} は{target}「{t}{word}」の範囲内のため{label}",
    "bound_not_met": "評価値 {v} は{target}「{t}{word}」の範囲外のため{label}",
    # progress rate
    "no_change": "基準値から増減がないため{label}",
    "progress_rate": "進捗率 r = (v−b)/(t−b) = ({v}−{b})/({t}−{b}) = {r}",
    "progress_worse": "基準値より悪化したため{label}",
    "progress_grade": "{rule}のため{label}",
    "maintain_kept": "維持：{name} {level} 以上を保ったため{label}",
    "maintain_missed": "維持：{name} {level} を下回ったため{label}",
    "untargeted_better": "{why}改善したので{label}",
    "untargeted_worse": "{why}悪化したので{label}",
    "why_target_equals_baseline": "目標が基準値と同じため、",
    "why_target_words": "目標が文言のため、",
    "why_target_conflicts": FLAG_MESSAGES["target_conflicts_direction"] + "。",
    "why_target_missing": FLAG_MESSAGES["target_missing"] + "。",
    # achievement rate and pace
    "every_year": "目標は毎年の値のため、{fy}年度の評価値を目標と比べます。",
    "expected_value": (
        "期待値 e = b+(t−b)×{k}/{n} = {b}+({t}−{b})×{k}/{n} = {e}"
        "（基準{by}年度から目標{ty}年度までの直線の{fy}年度の値）"
    ),
    "pace_no_baseline": "基準値が数値でないため、期待値ではなく目標と比べます。",
    "achievement_rate": "{measure} a = {formula} = {a}",
    "ratio_undefined": "比が計算できない値のため（{ref_name} {ref}）、{ref_name}に達したかどうかで判定しました。",
    "ratio_reached": "{ref_name}に達したため{label}",
    "ratio_missed": "{ref_name}に達していないため{label}",
    "ratio_grade": "{measure}が{rule}のため{label}",
    "ungraded": "目標が数値でないため、{title}では評価しません（{label}）。",
    # stages
    "stage_reached": "{target} {t} に到達したため{label}",
    "stage_band": "幅：{band}",
    "stage_better": "基準値との差 {diff} が幅を超える改善のため{label}",
    "stage_same": "基準値との差 {diff} が幅{within}のため{label}",
    "stage_worse": "基準値との差 {diff} が幅を超える悪化のため{label}",
    # 4-1: mid target reached
    "mid_reached": "{target}に到達したため{label}",
    "mid_missed": "{target}に未到達のため{label}",
    "mid_untargeted_reached": "{target}が数値でないため、基準値より改善したので{label}",
    "mid_untargeted_missed": "{target}が数値でないため、基準値より改善していないので{label}",
    "reference_rate": (
        "参考：最終目標に対する進捗率 r = (v−b)/(t−b) = ({v}−{b})/({t}−{b}) = {r}"
    ),
}



# What the parser says about a value cell (xlplan.core.lexicon.Lexicon.WARNINGS), by the
# warning's stable code; {fragment} is the text that triggered it.
PARSER_WARNINGS: dict[str, str] = {
    "digit_grouping": "桁区切りが不正です（{fragment}）。正しい数値に直してください。",
    "date_incomplete": (
        "時点の日付が不完全です（{fragment}）。「令和元年11月」のように年と月を"
        "書いてください。"
    ),
    "date_invalid": "存在しない日付です（{fragment}）。年月日を確認してください。",
    "bracket_unclosed": "括弧が閉じられていません（{fragment}）。括弧を閉じてください。",
    "bracket_unopened": "閉じ括弧に対応する開き括弧がありません（{fragment}）。括弧を確認してください。",
    "date_only": "日付だけが入力されています（{fragment}）。数値または「－」を入力してください。",
    "era_omitted": (
        "年号のない年です（{fragment}）。「令和4年度」のように年号を付けてください。"
        "時点は推測していません。"
    ),
    "not_finite": "数値として扱えない値です（{fragment}）。数値を入力してください。",
    "unparseable": (
        "値を読み取れませんでした（{fragment}）。数値と単位（例：1,234件）、"
        "または「－」を入力してください。"
    ),
}


# What `xlplan split --by` groups by (the keys), as staff call it (the words).
GROUP_WORDS: dict[str, str] = {"owner": "担当課", "sheet": "資料", "major": "大項目",
                               "middle": "中項目", "minor": "小項目", "program": "取組名"}
GROUP_KEYS = tuple(GROUP_WORDS)


# The words the reasons are made of (xlplan.core.marks, xlplan.core.checks).
WORDS: dict[str, str] = {
    "baseline": "基準値", "evaluated": "評価値", "target": "目標", "final_target": "最終目標",
    "mid_target": "中間目標", "projection": "見込値", "actual": "実績値", "total": "合計",
    "blank": "（空欄）", "below": "下回る", "above": "上回る", "unentered": "未入力",
    "undetermined": "未確定", "expected": "期待値", "achievement": "達成率",
    "achievement_vs_expected": "期待値に対する達成率", "under": "未満", "at_most": "以下",
    "at_least": "以上", "over": "超", "baseline_and_target": "基準値・目標",
    "other_reference": "基準値以外の年を基準としている",
    "baseline_not_number": "基準値が数値でない",
    "band_percent": "基準値の{band}%（{tol}）",
    "row": "{row}行目",
    "none_given": "（なし）",
    "within": "以内",
}

# =========================================================================== the add-in's VBA

# What the add-in's VBA shows itself, when Python cannot (macros/XlplanRibbon.bas keeps
# them as hex code points, being ASCII; a test keeps both in step).
VBA_TEXTS: dict[str, str] = {
    "MSG_TITLE": "ICT進捗",
    "MSG_NO_BOOK": "ブックを開いてから実行してください。",
    "MSG_UNKNOWN": "このボタンには対応する処理がありません。",
    "MSG_NO_PYTHON": "Pythonが見つかりません。xlplan.xlam の設定（INTERPRETER_WIN）を事務局に確認してください。",
    "MSG_FAILED": "Pythonの実行に失敗しました。次の内容を事務局に知らせてください。",
    "MSG_LOG": "記録ファイル：",
    "MSG_CONF": "このブックには設定シート（.conf）または設定ファイルが付いているため、実行を中止しました。事務局に確認してください。",
    # 返送ファイルを取り込み (merge): the file dialog, and the server path's refusal.
    "MSG_MERGE_PICK": "取り込む返送ファイルを選んでください（複数選べます）",
    "MSG_MERGE_FILTER": "Excel ブック (*.xlsx;*.xlsm),*.xlsx;*.xlsm",
    # 督促メールを作成 (remind): the folder dialog, and the server path's refusal.
    "MSG_REMIND_PICK": "督促メールの下書きを保存するフォルダーを選んでください",
}


# =========================================================================== the install folder

# What the person at a staff PC reads: README.txt and the messages of install.bat and
# uninstall.bat (xlplan.bundle writes them, in UTF-8, beside the scripts).
BUNDLE_TEXTS: dict[str, str] = {
    "start": "xlplan（Excel の「ICT進捗」タブ）をこのパソコンに入れます。\n"
             "インターネットには接続しません。数分かかります。",
    "verify": "1/4 フォルダーの中身を確認しています…",
    "python": "2/4 Python を確認しています…",
    "installing_python": "Python をこのユーザー用に入れています（{installers}）。"
                         "管理者権限は不要です。1～2分かかります…",
    "venv": "3/4 xlplan 用の Python 環境を作っています"
            "（ユーザーの AppData\\Local\\xlplan\\venv）…",
    "install": "3/4 xlplan を入れています（このフォルダーの wheels から。インターネットは使いません）…",
    "addin": "4/4 Excel アドイン xlplan.xlam を入れています…",
    "done": "完了しました。\n"
            "\n"
            "次にすること:\n"
            "  1. Excel を起動し、資料4 のブックを開きます。\n"
            "  2. リボンに「ICT進捗」タブがあります（入力チェック、判定を再計算、様式を再生成、すべて更新）。\n"
            "  3. 「判定を再計算」を押すと、判定が更新されたセルの数が表示されます。保存はいつもどおり Ctrl+S です。\n"
            "\n"
            "新しい版の導入フォルダーが届いたら、その install.bat を実行すると入れ替わります。",
    "uninstall_start": "xlplan（Excel アドインと xlplan 用の Python 環境）をこのパソコンから削除します…",
    "uninstalled": "削除しました。Excel を起動しても「ICT進捗」タブは表示されません。\n"
                   "Python 本体は残っています。ほかに使っていなければ、Windows の「設定 → アプリ」から削除できます。",
    "verify_failed": "フォルダーの中身が作成時と違います（ファイルが欠けている、書き換えられている、"
                     "または余分なファイルがあります。NG の行を参照）。何も入れていません。\n"
                     "事務局から導入フォルダーをもう一度コピーして、やり直してください。",
    "verify_unavailable": "ファイルの確認に使う Windows の標準コマンド certutil を実行できませんでした。"
                          "何も入れていません。\n"
                          "情報システムの担当者に certutil が使えるか確認し、この表示を事務局に知らせてください。",
    "no_python": "Python {versions}（64ビット）が見つかりません。このフォルダーには Python の"
                 "インストーラーも入っていません。何も入れていません。\n"
                 "事務局に「python フォルダーに Python のインストーラー（python.org の Windows installer "
                 "(64-bit)、{installer_hint}）を入れた導入フォルダー」を依頼してください。",
    "python_install_failed": "Python のインストーラーが失敗したか、終わった後も Python が見つかりません。\n"
                             "python フォルダーの {installers} をダブルクリックして「Install Now」で入れたあと、"
                             "install.bat をもう一度実行してください。",
    "venv_failed": "xlplan 用の Python 環境を作れませんでした。\n"
                   "エクスプローラーでユーザーの AppData\\Local\\xlplan フォルダーを削除してから、"
                   "install.bat をもう一度実行してください。続くときは上の表示を事務局に知らせてください。",
    "venv_remove_failed": "xlplan 用の Python 環境を削除できませんでした。Excel とコマンド プロンプトをすべて"
                          "閉じてから、もう一度実行してください。",
    "pip_failed": "xlplan を入れられませんでした。上の英語の表示（ERROR で始まる行）を控えて、"
                  "事務局に知らせてください。",
    "excel_running": "Excel が起動しています。Excel をすべて閉じてから、もう一度実行してください。",
    "addin_failed": "Excel アドインを入れられませんでした。Excel をすべて閉じてから install.bat を"
                    "もう一度実行してください。続くときは上の表示を事務局に知らせてください。",
    "readme": """\
xlplan 導入フォルダー（インターネットにつながらないパソコン用）
================================================================

このフォルダーは、Excel に「ICT進捗」タブ（資料4 の入力チェックと判定）を入れるための
ものです。必要なものはすべてこのフォルダーに入っていて、インターネットには接続しません。
管理者権限も不要です（入るのは、パソコンを使っているあなたのユーザーの分だけです）。

  作成日: {created}
  xlplan の版: {version}
  対応する Python: {versions}（Windows 64ビット）
  Python のインストーラー: {installers_line}


■ 入れ方（1回だけ。新しい版が届いたときも同じ手順です）

  1. Excel をすべて閉じます。
  2. このフォルダーを自分のパソコン（デスクトップなど）にコピーします。
     フォルダーの場所の名前に % ^ の記号が入らないようにしてください。
  3. コピーしたフォルダーの install.bat をダブルクリックします。
     「Windows によって PC が保護されました」と出たときは「詳細情報」→「実行」を押します。
  4. 黒い画面に 1/4 から 4/4 までの進み具合が表示されます。
     Python が入っていないパソコンでは、python フォルダーのインストーラーで Python が
     自動的に入ります（1～2分）。
  5. 「完了しました」と表示されたら、何かキーを押して画面を閉じます。


■ Excel ではこうなります

  Excel を起動して 資料4 のブックを開くと、リボンに「ICT進捗」タブが表示されます。
  ボタンは 入力チェック、判定を再計算、様式を再生成、すべて更新 です
  （事務局用に 返送ファイルを取り込み もあります）。
  試しに「判定を再計算」を押すと、更新されたセルの数が表示されます。
  ボタンは保存しません。保存はいつもどおり Ctrl+S です。


■ うまくいかないとき

  画面の最後に「exit code」と番号が表示されます。番号ごとの対処は次のとおりです。
  分からないときは、画面の写真か表示された文を事務局に送ってください。

{exit_codes}


■ 削除するには

  Excel をすべて閉じてから uninstall.bat をダブルクリックします。
  Excel アドインと xlplan 用の Python 環境（ユーザーの AppData\\Local\\xlplan\\venv）が
  削除されます。Python 本体は残ります。


■ このフォルダーの中身

  README.txt        この説明
  install.bat       入れる（または新しい版に入れ替える）
  uninstall.bat     削除する
  xlplan.xlam       Excel アドイン（install.bat が Excel の XLSTART フォルダーにコピーします）
  wheels            xlplan と、xlplan が使う部品（Windows 64ビット用）
{python_line}  workbook          資料4 の原本（{template}）
  macros            アドインのリボンと VBA（事務局用）
  msg               install.bat が表示するメッセージ
  manifest.json     全ファイルの大きさとハッシュ値（install.bat が最初に確認します）
  SHA256SUMS        同じハッシュ値の一覧

  中のファイルを追加・変更・削除しないでください（install.bat が確認して止まります）。
""",
}


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
    "word.none": "なし",
    "word.blank": "（空欄）",
    "word.formula": "数式 {formula}（数式の結果は使いません）",
    # --- the master template (xlplan.engines.template) ----------------------------------
    "template.title": "資料4 ICT戦略 進捗管理",
    "template.band_input": "入力（担当課が記入）",
    "template.band_override": "手動判定（事務局のみ・理由必須）",
    "template.band_computed": "自動計算（xlplanが書き込みます。入力しないでください）",
    "template.dv_error": "入力できない値です",
    "template.dv_direction": "増加・減少・維持から選んでください（減少＝値が小さいほど良い指標）。",
    "template.dv_trend_override": "手動で矢印を決める場合だけ選び、「手動判定の理由」を必ず記入してください。",
    "template.dv_mark_override": "手動で判定を決める場合だけ選び、「手動判定の理由」を必ず記入してください。",
    "template.settings_title": "設定（年度・判定基準・記号）",
    "template.settings_headings": "項目\t値\t説明",
    "template.meta_note": "xlplan の管理用シートです。編集・削除しないでください。",
    "split.issuer": "xlplan（配布時のまま）",
    "file.truncated": "途中で切れているか、破損しています",
    "file.damaged": "中身の一部が読めません",
    "file.bad_member": "ファイルの一部（{member}）が壊れています",
    "file.unloadable": "中身を読み込めません",
    # --- hostile files (issue 13) ----------------------------------------------------------
    "file.sheet_part_missing": "シート「{sheet}」の中身がありません",
    "file.sheet_unreadable": "シート「{sheet}」を読めません",
    "file.copy_unmakeable": "配布ファイルを作れません",
    "check.done": "入力チェック：{summary}\n詳しくは「チェック結果」シートを見てください。",
    # --- recompute and render ------------------------------------------------------
    "recompute.nothing": "判定は最新です（変更はありません）。",
    "recompute.done": "判定を再計算しました（{cells}セル更新）。",
    "recompute.new_ids": "新しい行にIDを付けました：{ids}",
    "render.sheet": "{name} {rows}指標・{pages}ページ",
    "render.done": "様式（{pages}）と集計を作り直しました。",
    "action.reading_errors": "読み取りでエラーが{count}件ありました。「入力チェック」で確認してください。",
    # --- the printed report and 集計 (xlplan.core.report) ----------------------------------
    "report.source_cell": "「{tab}」の{cell}",
    "report.side_note": "このシートは入力シートから自動で作成されます（xlplan render）。ここを直接直しても、次に作成したときに消えます。直すときは入力シートを直してください。",
    "report.footer": "{name}　－ &P －",
    "report.grade_heading": "評価",
    "report.note_value": "評価値＝{fy}末見込値（見込値がない場合は{fy}実績値を用い、矢印を括弧付き（{up}）で表示）",
    "report.note_arrows": "矢印：{up}基準値より改善　{down}悪化　{flat}増減なし",
    "report.note_override": "{mark}印：手動判定（理由は表の下に記載）",
    "report.note_mid": "中間目標到達：{reached}評価値が中間目標（{mid}）に到達（見込み）　{missed}未到達",
    "report.formula.progress": "進捗率＝（評価値－基準値）÷（最終目標－基準値）",
    "report.formula.achievement": "達成率＝評価値÷目標（目標が小さいほど良い指標は目標÷評価値）",
    "report.formula.pace": "達成率＝評価値÷見込み（基準値から目標までを直線で結んだ今年度の値）",
    "report.formula.stages": "基準値からの変化（許容幅の内は横ばい）と目標への到達",
    "report.legend_head": "　凡例：",
    "report.foot_trend": "矢印「{shown}」（計算では「{computed}」）",
    "report.foot_mark": "判定「{shown}」（計算では「{computed}」）",
    "report.no_reason": "（理由の記入なし）",
    "report.footnote": "{mark}{n}　{name}：{parts}は手動判定。理由：{reason}",
    "summary.title": "集計　{fy}　成果指標の進捗状況",
    "summary.note": "順調＝{good}（資料4-1は中間目標到達{reached}）。順調の割合＝順調の数÷判定できた指標の数（{unknown}・{suspended}を除く）。手動判定{mark}は上書き後の判定で数えています。",
    "summary.other": "その他",
    "summary.total": "合計",
    "summary.no_value": "見込値・実績値に評価できる数値がありません",
    "summary.manual_unknown": "手動判定で「不明」",
    "summary.undecided": "判定できませんでした",
    "summary.col_sheet": "資料",
    "summary.col_middle": "中項目",
    "summary.col_total": "合計",
    "summary.col_on_track": "順調",
    "summary.col_share": "順調の割合",
    "summary.no_share": "－",
    "summary.section1": "1. 資料別の判定の数",
    "summary.section2": "2. 中項目別の判定の数",
    "summary.section3": "3. 判定できなかった指標（データなし・不明）",
    "summary.section4": "4. 手動判定（{mark}）とその理由",
    "summary.head3": "資料\t成果指標\tID\t判定\t理由",
    "summary.head4": "資料\t成果指標\tID\t計算の矢印\t計算の判定\t表示の矢印\t表示の判定\t理由",
    "summary.none": "なし",
    "summary.chart_title": "資料別の判定の数",
    "summary.chart_axis": "指標の数",
    # --- the command line (xlplan.cli, xlplan.demo): the Japanese half of each line ------
    "cli.backup": "バックアップ",
    "cli.saved": "保存先",
    "cli.nothing_changed": "変更はありません",
    "cli.check_written": "チェック結果シートを書き込みました",
    "cli.pdf_written": "PDFを作成しました（資料4-1・4-2・4-3・集計）",
    "cli.template_written": "テンプレートを作成しました",
    "cli.split_done": "{by}ごとに{count}ファイルを配布用に作成しました",
    "cli.rows": "{count}行",
    "cli.split_unassigned": "配布していない行（{by}が空欄）",
    "cli.split_recorded": "マスターに配布記録を書き込みました",
    "cli.merging": "取り込み",
    "cli.rolled": "{old}年度から{new}年度のマスターを作成しました",
    "cli.archived": "過去実績に{rows}行を記録",
    "cli.cleared": "入力欄{cells}セルを消去",
    "cli.target_change": "目標変更",
    "cli.source_unchanged": "元のマスターは変更していません",
    "cli.addin_built": "アドインを作成しました",
    "cli.vba_imported": "VBAを取り込み直しました",
    "cli.addin_installed": "アドインを入れました",
    "cli.restart_excel": "Excel を起動し直すと「ICT進捗」タブが表示されます。",
    "cli.to_stop": "で終了",
    "cli.bundle_written": "導入フォルダーを作成しました",
    "cli.note": "注意",
    "cli.bundle_next": "このフォルダーを職員のパソコンにコピーし、install.bat を実行してもらってください（README.txt）。",
    "cli.usage": "コマンドの指定が正しくありません（{message}）。xlplan --help で使い方を確認してください。",
    "cli.dash_hint": "ファイル名が「-」で始まる場合は ./-o.xlsx のように指定してください。",
    "cli.minus_hint": "「-」で始まる値は -- の後に書いてください（例: xlplan parse -- -5%）。",
    "demo.check": "1/4 チェック / check: {path}",
    "demo.recompute": "2/4 判定を再計算 / recompute",
    "demo.changed": "   {cells}セル更新 / cells changed",
    "demo.render": "3/4 資料と集計を作成 / render 資料4-1・4-2・4-3・集計",
    "demo.sheet": "   {name}：{rows}指標、{pages}ページ",
    "demo.no_pdf": "4/4 PDF：LibreOfficeがないため作成しませんでした / skipped, LibreOffice not found",
    "demo.pdf": "4/4 PDF / export: {path}",
    "demo.result": "結果 / result: {path}",
    "demo.where": "  チェック結果はシート「チェック結果」、集計はシート「集計」にあります。バックアップ: {backup}",
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
    # --- the 設定 sheet (xlplan.core.settings_grid) ---------------------------------------
    "settings.hint.year": "西暦の4桁の数字（例：2020）を入力してください。",
    "settings.hint.date": "日付（例：2021/3/1）を入力してください。",
    "settings.hint.rate": "百分率（例：50%）を入力してください。",
    "settings.hint.text": "記号を1つ入力してください（空欄にはできません）。",
    "settings.hint.number": "数値を入力してください。",
    "scheme.value_unreadable": "設定「{label}」の値「{value}」を読めません（{error}）。{base} の値を使いました。",
    "scheme.label_empty": "判定方式の区分の記号が空です。既定の表で判定しました。",
    "scheme.threshold_unreadable": "区分「{label}」の基準「{value}」を読めません。既定の表で判定しました。",
    "scheme.bound_unreadable": "区分「{label}」の「{value}」を読めません。既定の表で判定しました。",
    "scheme.role_unreadable": "区分「{label}」の役割「{value}」を読めません。既定の表で判定しました。",
    "scheme.hint.kind": "進捗率・達成率・期待値・段階のいずれかを入力してください。",
    "scheme.hint.band": "数値（例：10）を入力してください。",
    "scheme.hint.band_unit": "「ポイント」か「%」を入力してください。",
    "scheme.hint.band_inclusive": "「以内」か「未満」を入力してください。",
    "scheme.hint.untargeted": "「評価なし」か「改善・悪化で判定」を入力してください。",
    "scheme.hint.target_default": "「最終年度まで」か「毎年」を入力してください。",
    "scheme.hint.text": "文字を入力してください。",
    "scheme.hint.label": "記号（例：A、◎、順調）を入力してください。",
    "scheme.hint.threshold": "百分率（例：110%）を入力してください。最後の区分は空欄にします。",
    "scheme.hint.bound": "「以上」か「超」を入力してください。",
    "scheme.hint.role": "{roles} のいずれかを入力してください。",
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
    # --- hostile files (issue 13) ----------------------------------------------------------
    # What a package holds (xlplan.ooxml inventory), in the words of a finding.
    "part.text box / shape": "テキストボックス・図形",
    "part.picture": "画像",
    "part.image": "画像",
    "part.comment": "コメント",
    "part.threaded comment": "スレッド形式のコメント",
    "part.form control": "フォームコントロール",
    "part.ActiveX control": "ActiveXコントロール",
    "part.sparkline group": "スパークライン",
    "part.slicer": "スライサー",
    "part.timeline": "タイムライン",
    "part.embedded object": "埋め込みオブジェクト",
    "part.VBA project": "マクロ（VBA）",
    "part.custom XML": "カスタムXML",
    "part.SmartArt": "SmartArt",
    "part.chart (Excel 2016 type)": "グラフ（Excel 2016以降の種類）",
    "part.printer settings": "プリンターの設定",
    "part.where": "{what}（{sheet}）",
    "part.sep": "、",
}


# The add-in shows the server path's refusals itself: the same words as the ribbon's.
VBA_TEXTS["MSG_MERGE_SERVER"] = UI["ribbon.merge_on_server"]
VBA_TEXTS["MSG_REMIND_SERVER"] = UI["ribbon.remind_on_server"]


def say(key: str, **fields: Any) -> str:
    """The UI text ``key`` with its placeholders filled."""
    return UI[key].format(**fields)


# =========================================================================== building and installing

# What the secretariat reads while building the add-in (xlplan.addin: AddinError and the
# build's note) and the offline install folder (xlplan.bundle: BundleError, progress
# lines and notes), each the Japanese sentence, then the English in brackets for a log
# or a search; plus the pieces xlplan.bundle fills into BUNDLE_TEXTS ("bundle.staff_*").
# Read one with build_text().
BUILD_TEXTS: dict[str, str] = {
    # --- the add-in (xlplan.addin) ---------------------------------------------------------
    "addin.xlwings_missing": "xlwings の中に {name} が見つかりません。 (missing {path})",
    "addin.unknown_namespace": "リボンの XML の名前空間が不明です（{shown}）。"
                               " (unknown customUI namespace: {ns!r})",
    "addin.unexpected_part": "openpyxl の出力の形が想定と違います。"
                             " (unexpected package part: no {closing!r})",
    "addin.unexpected_types": "openpyxl の出力の形が想定と違います。 (unexpected content types)",
    "addin.no_ribbon": "{ribbon} がありません。xlplan のフォルダー（macros フォルダーのある所）で実行してください。"
                       " (missing {ribbon}: run this in the xlplan source folder)",
    "addin.incomplete": "アドインが不完全になるため作成しませんでした：{where}。"
                        " (incomplete add-in, nothing written: {first}{more})",
    "addin.built": "リボン（ICT進捗タブ）、設定シート xlplan.conf と VBA モジュールを書き込みました。"
                   "Windows での取り込み作業は要りません。",
    "addin.import_needs_windows": "VBAの取り込みは Windows の Excel でだけできます。"
                                  "xlplan addin build が VBA も書き込むので、普通は不要です。"
                                  " (VBA import needs Excel on Windows; addin build already writes the VBA)",
    "addin.not_built": "{path} がありません。先に「xlplan addin build」を実行してください。"
                       " (no such file: {path})",
    "addin.no_xlstart": "この OS には Excel の XLSTART フォルダーがありません。Windows で実行するか、"
                        "--dest でコピー先を指定してください。"
                        " (not Windows: Excel for Windows loads add-ins from"
                        " %APPDATA%\\Microsoft\\Excel\\XLSTART; nothing was installed)",
    "addin.cannot_write": "{path} に書き込めません。Excel をすべて閉じてから、もう一度実行してください。"
                          " (cannot write {path}: is Excel running?)",
    # --- the install folder (xlplan.bundle): refusals and failures -------------------------
    "bundle.no_source": "xlplan のソース（pyproject.toml・workbook・macros のあるフォルダー）が見つかりません。"
                        "そのフォルダーで実行するか --source で指定してください。"
                        " (no xlplan source tree at {where}: run in the xlplan folder or pass --source)",
    "bundle.python_unsupported": "Python の版 {version!r} には対応していません（3.11 以上、例: 3.12）。"
                                 " (unsupported Python version {version!r}: use 3.11 or newer, e.g. 3.12)",
    "bundle.no_python_version": "Python の版を1つ以上指定してください。 (no Python version given)",
    "bundle.installer_name": "{name} は python.org の Windows installer (64-bit) の名前ではありません"
                             "（例: python-3.12.10-amd64.exe）。"
                             " (not a python.org 64-bit installer name: {name})",
    "bundle.installer_version": "{name} は Python {version} 用ですが、このフォルダーは Python "
                                "{pythons} 用です。"
                                " (installer for Python {version}; bundle is for {pythons_en})",
    "bundle.unreadable": "{path} を読めません。 (cannot read {path}: {error})",
    "bundle.not_executable": "{name} は Windows の実行ファイルではありません。"
                             " (not a Windows executable: {path})",
    "bundle.not_a_folder": "{path} はフォルダーではありません。 (not a folder: {path})",
    "bundle.out_not_empty": "{path} は空ではなく、前回の導入フォルダーでもありません。空のフォルダーか"
                            "新しい名前を指定してください。"
                            " (output folder is not empty and not a previous bundle: {path})",
    "bundle.no_such_file": "{path} がありません。 (no such file: {path})",
    "bundle.not_an_addin": "{path} は Excel アドイン（.xlam）として読めません。"
                           " (not an add-in: {path}: {error})",
    "bundle.addin_built_here": "このパソコンで作るアドインは、この Python を起動するよう設定されるため、"
                               "職員のパソコンでは動きません。%LOCALAPPDATA%\\xlplan\\venv の xlplan で"
                               "実行するか、--addin でアドインを指定してください。"
                               " (an add-in built here would start {python};"
                               " run from %LOCALAPPDATA%\\xlplan\\venv or pass --addin)",
    "bundle.pip_not_started": "pip を起動できませんでした。 (cannot run pip: {error})",
    "bundle.wheel_failed": "xlplan の wheel を作成できませんでした。インターネット（プロキシの設定を含む）に"
                           "つながるか確認してください。 (pip failed: {detail})",
    "bundle.download_failed": "Python {python} 用のパッケージをダウンロードできませんでした。"
                              "インターネット（プロキシの設定を含む）につながるか、"
                              "Python {python} の Windows 64ビット用 wheel が公開されているか"
                              "確認してください。 (pip failed: {detail})",
    "bundle.no_xlplan_wheel": "xlplan の wheel が見つかりません。 (expected one xlplan wheel, got {built})",
    "bundle.wheel_incomplete": "xlplan の wheel にファイルが足りません: {files}。"
                               "pyproject.toml の package-data を確認してください。"
                               " (files missing from the wheel: {files})",
    "bundle.not_a_wheel": "{name} の中身が wheel の形ではありません。"
                          " (not a wheel: {name} has {count} METADATA files)",
    "bundle.wheelhouse_incomplete": "Python {python} 用の部品がそろいませんでした: {names}。"
                                    " (cannot complete the wheelhouse for Python {python}: {missing})",
    "bundle.not_windows_wheel": "{name} は Windows 64ビット用ではありません。"
                                " (not a win_amd64 or pure wheel: {name})",
    "bundle.empty_file": "{path} が空です。 (empty file in the bundle: {path})",
    # --- the install folder: progress lines and notes after a build -----------------------
    "bundle.progress_wheel": "xlplan の wheel を作成 / building the xlplan wheel",
    "bundle.progress_download": "Python {python} 用をダウンロード / downloading for CPython {python}"
                                " {platform} (Windows-only: {named})",
    "bundle.progress_files": "アドイン・原本・説明書 / add-in, template, README.txt, install.bat",
    "bundle.note_no_vba": "アドインに VBA モジュール {modules} が入っていないため、リボンのボタンは"
                          "動きません。Windows の Excel で「xlplan addin build --import-vba」で作ったアドインを "
                          "--addin で指定して、作り直してください（docs/excel.md）。 (the add-in lacks the VBA "
                          "module(s) {modules}: pass a finished add-in with --addin)",
    "bundle.note_no_installer": "python フォルダーに Python のインストーラーがありません。"
                                "Python の入っていないパソコンには入れられません（python.org の "
                                "Windows installer (64-bit)、python-{python}.x-amd64.exe を "
                                "--python-installer で指定できます）。 (no Python installer in the bundle: "
                                "PCs without Python 3.11+ cannot install)",
    # --- pieces filled into BUNDLE_TEXTS (README.txt and msg/) ---------------------------
    "bundle.staff_or": " または ",
    "bundle.staff_no_installer": "なし（Python が入っていないパソコンには入れられません）",
    "bundle.staff_python_line": "  python            Python のインストーラー（Python がないときだけ使います）\n",
    "bundle.staff_exit_code": "（終了コード {code}）",
}


def build_text(key: str, **fields: Any) -> str:
    """The build text ``key`` (:data:`BUILD_TEXTS`) with its placeholders filled."""
    return BUILD_TEXTS[key].format(**fields)
