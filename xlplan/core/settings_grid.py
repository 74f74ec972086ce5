"""The 設定 sheet's items, and reading them from a 2-D grid of cell values.

Each setting is one row of the 設定 sheet: 項目 (label, column A), 値 (value, column B),
説明 (column C). Rows are found by their label, so the secretariat may reorder them or
add notes. The grid is what one block read returns (openpyxl ``iter_rows`` or an xlwings
``used_range``), so the file workflow and the ribbon read settings with the same code.

The mark scheme (issue 11) is optional on the sheet; without it the FY2020 progress
scheme applies, edited through the ◎/○ and 記号 rows above. With it:

====================================  ======================================================
A (項目)                               B … F
====================================  ======================================================
判定方式                               preset name (a drop-down of :func:`preset_names`)
判定方式：種類                         進捗率 / 達成率 / 期待値 / 段階 (or the English kind)
判定方式：名称                         the title printed with the legend
判定方式：幅                           the band of 段階 (a number)
判定方式：幅の単位                     ポイント / %
判定方式：幅の境界                     以内 (a change of exactly the band is 横ばい) / 未満
判定方式：目標が数値でない場合         評価なし / 改善・悪化で判定
判定方式：期間の書かれていない目標     最終年度まで / 毎年
判定方式：評価なし                     the label printed when not graded
判定方式：区分                         header: B 記号, C 基準, D 以上/超, E 役割, F 説明
判定方式：区分1 … 区分N                B label, C threshold (110% or 1.1; empty for the
                                       positional grades), D 以上/超, E role, F legend words
====================================  ======================================================

Every detail row is optional: what is missing comes from the preset. For
``progress`` the detail rows are not used (the ◎/○ and 記号 rows edit it); the reader
says so when they are there. :func:`scheme_rows` gives the rows a writer puts on the
sheet, so that reader and writer agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from xlplan.core.findings import Finding
from xlplan.core.layout import SETTINGS_SHEET
from xlplan.core.schemes import (
    BAND_UNIT_WORDS,
    KIND_WORDS,
    ROLE_WORDS,
    BandUnit,
    Role,
    Scheme,
    SchemeError,
    SchemeKind,
    TargetDefault,
    Untargeted,
    preset,
    preset_names,
    scheme_from_mapping,
)
from xlplan.core.settings import Settings
from xlplan.core.texts import UI, finding, say

Grid = Sequence[Sequence[object]]


@dataclass(frozen=True, slots=True)
class SettingItem:
    field: str  # Settings field or "labels.<MarkLabels field>"
    label: str
    help: str
    kind: str  # "year", "date", "rate", "text"


SETTING_ITEMS: tuple[SettingItem, ...] = (
    SettingItem("fiscal_year", "報告年度（西暦）", "2020 = 令和2年度（2020年4月～2021年3月）", "year"),
    SettingItem("report_date", "報告日", "実績値の時点がこの日より後なら、チェックで指摘します。", "date"),
    SettingItem("baseline_year", "基準値の年度（西暦）", "見出し「基準値（令和元年度）」の年度", "year"),
    SettingItem("mid_year", "中間目標の年度（西暦）", "見出し「中間目標（令和2年度達成見込）」の年度", "year"),
    SettingItem("final_year", "最終目標の年度（西暦）", "見出し「最終目標（令和3年度）」の年度", "year"),
    SettingItem("threshold_full", "◎の基準（進捗率がこの値以上）", "進捗率 =（評価値－基準値）÷（最終目標－基準値）", "rate"),
    SettingItem("threshold_half", "○の基準（進捗率がこの値以上）", "この値未満で0%を超えると△", "rate"),
    SettingItem("labels.full", "記号：目標達成", "進捗率が◎の基準以上", "text"),
    SettingItem("labels.half", "記号：50%以上進捗", "進捗率が○の基準以上", "text"),
    SettingItem("labels.some", "記号：50%未満進捗", "進捗率が0%を超え○の基準未満", "text"),
    SettingItem("labels.none", "記号：増減なし", "評価値が基準値と同じ", "text"),
    SettingItem("labels.worse", "記号：減少", "評価値が基準値より悪化", "text"),
    SettingItem("labels.reached", "記号：中間目標到達", "資料4-1", "text"),
    SettingItem("labels.missed", "記号：中間目標未到達", "資料4-1", "text"),
    SettingItem("labels.unknown", "記号：不明", "見込値も実績値もない", "text"),
    SettingItem("labels.suspended", "記号：進捗管理の停止", "進捗管理を停止している指標", "text"),
)

# The label of the rows that list the headings the settings produce (written by the tool).
HEADINGS_LABEL = "この設定で使われる見出し（自動）"

LABEL_COL = 1  # 1-based: 項目
VALUE_COL = 2  # 1-based: 値


def setting_value(settings: Settings, field: str) -> Any:
    """The current value of one item (``"labels.full"`` reaches into MarkLabels)."""
    if field.startswith("labels."):
        return getattr(settings.labels, field.split(".", 1)[1])
    return getattr(settings, field)


def _cell(line: Sequence[object], col: int) -> object:
    return line[col - 1] if col - 1 < len(line) else None


def settings_from_grid(grid: Grid | None, formulas: Mapping[tuple[int, int], str] | None = None
                       ) -> tuple[Settings, list[Finding]]:
    """Settings from the 設定 sheet's values; defaults (with a finding) where missing or bad.

    ``grid`` is the sheet's values anchored at A1, or ``None`` when the sheet is missing;
    ``formulas`` the formula text of cells holding one (their value is never used).
    """
    findings: list[Finding] = []
    defaults = Settings()
    if grid is None:
        findings.append(finding("settings_missing", sheet=SETTINGS_SHEET))
        return defaults, findings
    by_label: dict[str, int] = {}
    for r, line in enumerate(grid, start=1):
        label = _cell(line, LABEL_COL)
        if isinstance(label, str):
            by_label[label.strip()] = r
    top: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for item in SETTING_ITEMS:
        found = by_label.get(item.label)
        default = setting_value(defaults, item.field)
        if found is None:
            findings.append(finding("settings_item_missing", sheet=SETTINGS_SHEET,
                                    label=item.label, default=default))
            continue
        r = found
        rows[item.field] = r
        raw = _cell(grid[r - 1], VALUE_COL)
        value, ok = coerce_setting(raw, item.kind)
        if not ok:
            formula = (formulas or {}).get((r, VALUE_COL))
            shown = say("word.formula", formula=formula) if formula \
                else say("word.blank") if raw is None or raw == "" else raw
            findings.append(finding("settings_value_invalid", sheet=SETTINGS_SHEET,
                                    cell=f"B{r}", label=item.label, value=shown, default=default,
                                    hint=fix_hint(item.kind)))
            continue
        if item.field.startswith("labels."):
            labels[item.field.split(".", 1)[1]] = value
        else:
            top[item.field] = value
    settings = replace(defaults, **top, labels=replace(defaults.labels, **labels))
    scheme = scheme_from_grid(grid, by_label, findings)
    if scheme is not None:
        settings = replace(settings, scheme=scheme)
    if not settings.threshold_half < settings.threshold_full:
        r_half = rows.get("threshold_half")
        findings.append(finding("settings_threshold_order", sheet=SETTINGS_SHEET,
                                cell=f"B{r_half}" if r_half else ""))
    return settings, findings


def coerce_setting(raw: object, kind: str) -> tuple[Any, bool]:
    """One 値 cell → (value, ok). Accepts what Excel and openpyxl hand back for it."""
    if kind == "year":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) \
                and float(raw).is_integer() and 1989 <= raw <= 2200:
            return int(raw), True
        if isinstance(raw, str) and raw.strip().isdigit():
            return coerce_setting(int(raw.strip()), kind)
        return None, False
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date(), True
        if isinstance(raw, date):
            return raw, True
        if isinstance(raw, str):
            try:
                return datetime.strptime(raw.strip().replace("-", "/"), "%Y/%m/%d").date(), True
            except ValueError:
                return None, False
        return None, False
    if kind == "number":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw), True
        if isinstance(raw, str):
            try:
                return float(raw.strip()), True
            except ValueError:
                return None, False
        return None, False
    if kind == "rate":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw), True
        if isinstance(raw, str) and raw.strip().endswith("%"):
            try:
                return float(raw.strip()[:-1]) / 100, True
            except ValueError:
                return None, False
        return None, False
    if isinstance(raw, str) and raw.strip():
        return raw.strip(), True
    return None, False


def fix_hint(kind: str) -> str:
    return say("settings.hint." + kind)


# --------------------------------------------------------------------------- schemes

SCHEME_LABEL = "判定方式"
SCHEME_HELP = "資料4-2・4-3の判定の方式：" + " / ".join(
    ("progress（進捗率 ◎○△－×）", "achievement-abcd（達成度 A～D）",
     "pace（期待値に対する進捗）", "four-stage（達成・前進・横ばい・後退）"))
SCHEME_PREFIX = SCHEME_LABEL + "："
GRADE_LABEL = SCHEME_PREFIX + "区分"
_GRADE_ROW = re.compile(re.escape(GRADE_LABEL) + r"(\d+)$")

# Detail rows: (label, mapping key, help).
SCHEME_DETAIL_ROWS: tuple[tuple[str, str, str], ...] = (
    (SCHEME_PREFIX + "種類", "kind", "進捗率 / 達成率 / 期待値 / 段階"),
    (SCHEME_PREFIX + "名称", "title", "凡例とともに表示する方式の名前"),
    (SCHEME_PREFIX + "幅", "band", "段階：基準値からこの幅以内の変化は「横ばい」"),
    (SCHEME_PREFIX + "幅の単位", "band_unit", "ポイント（値の単位のまま）/ %（基準値に対する割合）"),
    (SCHEME_PREFIX + "幅の境界", "band_inclusive", "以内（幅ちょうどは横ばい）/ 未満"),
    (SCHEME_PREFIX + "目標が数値でない場合", "untargeted", "評価なし / 改善・悪化で判定"),
    (SCHEME_PREFIX + "期間の書かれていない目標", "target_default",
     "最終年度まで（途中の年度は期待値と比べる）/ 毎年"),
    (SCHEME_PREFIX + "評価なし", "ungraded", "目標が数値でなく評価しない指標の表示"),
)
GRADE_HEADER = ("記号", "基準", "以上/超", "役割", "説明")

_INCLUSIVE_WORDS = {"以上": True, "超": False, "以内": True, "未満": False}
_UNTARGETED_WORDS = {"評価なし": Untargeted.UNGRADED, "改善・悪化で判定": Untargeted.DIRECTION}
_TARGET_DEFAULT_WORDS = {"最終年度まで": TargetDefault.BY_FINAL, "毎年": TargetDefault.EVERY_YEAR}
_ROLE_JA = {role: word for word, role in ROLE_WORDS.items()}
_KIND_JA = {SchemeKind.PROGRESS: "進捗率", SchemeKind.ACHIEVEMENT: "達成率",
            SchemeKind.PACE: "期待値", SchemeKind.STAGES: "段階"}
_BAND_UNIT_JA = {BandUnit.POINTS: "ポイント", BandUnit.PERCENT: "%"}


def _finding(code: str, cell: str, **fields: Any) -> Finding:
    return finding(code, sheet=SETTINGS_SHEET, cell=cell, **fields)


def _text(raw: object) -> str:
    return raw.strip() if isinstance(raw, str) else "" if raw is None else str(raw)


def scheme_from_grid(grid: Grid, by_label: dict[str, int],
                     findings: list[Finding]) -> Scheme | None:
    """The scheme the 設定 sheet picks, or None for the FY2020 progress scheme.

    Findings (appended) name the cell: an unknown preset, an unreadable detail row, a
    grade table of the wrong shape. What cannot be read comes from the preset.
    """
    r = by_label.get(SCHEME_LABEL)
    if r is None:
        return None
    name = _text(_cell(grid[r - 1], VALUE_COL))
    grade_rows = sorted(
        (int(m.group(1)), row) for label, row in by_label.items()
        if (m := _GRADE_ROW.match(label)) is not None
    )
    detail_rows = [(label, key, by_label[label]) for label, key, _ in SCHEME_DETAIL_ROWS
                   if label in by_label]
    if not name or name == "progress":
        edited = [row for _, row in grade_rows] + [row for _, _, row in detail_rows
                                                   if _text(_cell(grid[row - 1], VALUE_COL))]
        if edited:
            findings.append(_finding("settings_scheme_rows_unused", f"A{min(edited)}"))
        return None
    try:
        base = preset(name)
    except SchemeError:
        findings.append(_finding("settings_scheme_unknown", f"B{r}", name=name,
                                 choices="・".join(preset_names())))
        return None
    data = _scheme_mapping(base)
    for label, key, row in detail_rows:
        raw = _cell(grid[row - 1], VALUE_COL)
        if raw is None or _text(raw) == "":
            continue
        try:
            data[key] = _detail_value(key, raw)
        except SchemeError as e:
            findings.append(_finding(
                "settings_scheme_value_invalid", f"B{row}",
                problem=say("scheme.value_unreadable", label=label, value=raw, error=e,
                            base=base.name),
                hint=_detail_fix(key)))
    if grade_rows:
        grades: list[dict[str, object]] = []
        ok = True
        for _n, row in grade_rows:
            g, bad = _grade_row(grid[row - 1], row)
            if bad is not None:
                findings.append(bad)
                ok = False
            elif g is not None:
                grades.append(g)
        if ok and grades:
            data["grades"] = grades
    try:
        return scheme_from_mapping(data)
    except SchemeError as e:
        first = grade_rows[0][1] if grade_rows else r
        findings.append(_finding("settings_scheme_invalid", f"A{first}", error=e,
                                 base=base.name))
        return base


def _scheme_mapping(s: Scheme) -> dict[str, object]:
    return {
        "name": s.name, "kind": s.kind.value, "title": s.title, "band": s.band,
        "band_unit": s.band_unit.value, "band_inclusive": s.band_inclusive,
        "untargeted": s.untargeted.value, "target_default": s.target_default.value,
        "ungraded": s.ungraded, "source": s.source, "rule": s.rule,
        "notes": list(s.notes),
        "grades": [{"label": g.label, "role": g.role.value, "threshold": g.threshold,
                    "inclusive": g.inclusive, "meaning": g.meaning} for g in s.grades],
    }


def _detail_value(key: str, raw: object) -> object:
    t = _text(raw)
    if key == "kind":
        if t in KIND_WORDS:
            return KIND_WORDS[t].value
        return SchemeKind(t).value if t in {k.value for k in SchemeKind} else _bad(t)
    if key == "band":
        value, ok = coerce_setting(raw, "number")
        return value if ok else _bad(t)
    if key == "band_unit":
        return BAND_UNIT_WORDS[t].value if t in BAND_UNIT_WORDS else _bad(t)
    if key == "band_inclusive":
        return _INCLUSIVE_WORDS[t] if t in ("以内", "未満") else _bad(t)
    if key == "untargeted":
        return _UNTARGETED_WORDS[t].value if t in _UNTARGETED_WORDS else _bad(t)
    if key == "target_default":
        return _TARGET_DEFAULT_WORDS[t].value if t in _TARGET_DEFAULT_WORDS else _bad(t)
    return t  # title, ungraded


def _bad(t: str) -> object:
    raise SchemeError(f"「{t}」は使えません")


def _detail_fix(key: str) -> str:
    return say("scheme.hint." + key) if "scheme.hint." + key in UI else say("scheme.hint.text")


def _grade_row(line: Sequence[object], row: int) -> tuple[dict[str, object] | None,
                                                          Finding | None]:
    """One 区分 row → grade data, or the finding for its first unreadable cell."""
    label = _text(_cell(line, 2))
    if not label:
        return None, _finding("settings_scheme_value_invalid", f"B{row}",
                              problem=say("scheme.label_empty"), hint=say("scheme.hint.label"))
    raw_t = _cell(line, 3)
    threshold: float | None = None
    if raw_t is not None and _text(raw_t) != "":
        value, ok = coerce_setting(raw_t, "rate")
        if not ok:
            value, ok = coerce_setting(raw_t, "number")
        if not ok:
            return None, _finding(
                "settings_scheme_value_invalid", f"C{row}",
                problem=say("scheme.threshold_unreadable", label=label, value=raw_t),
                hint=say("scheme.hint.threshold"))
        threshold = value
    inc_raw = _text(_cell(line, 4))
    if inc_raw and inc_raw not in _INCLUSIVE_WORDS:
        return None, _finding(
            "settings_scheme_value_invalid", f"D{row}",
            problem=say("scheme.bound_unreadable", label=label, value=inc_raw),
            hint=say("scheme.hint.bound"))
    role_raw = _text(_cell(line, 5))
    role = ROLE_WORDS.get(role_raw)
    if role is None:
        try:
            role = Role(role_raw)
        except ValueError:
            return None, _finding(
                "settings_scheme_value_invalid", f"E{row}",
                problem=say("scheme.role_unreadable", label=label, value=role_raw),
                hint=say("scheme.hint.role", roles="・".join(ROLE_WORDS)))
    return {"label": label, "role": role.value, "threshold": threshold,
            "inclusive": _INCLUSIVE_WORDS.get(inc_raw, True),
            "meaning": _text(_cell(line, 6))}, None


def scheme_rows(settings: Settings) -> list[list[object]]:
    """The 設定 rows of the scheme, for the sheet writer: the 判定方式 row, then (for a
    scheme other than progress) the detail rows and the 区分 table. Columns A–F."""
    s = settings.scheme
    if s is None:
        return [[SCHEME_LABEL, "progress", SCHEME_HELP]]
    rows: list[list[object]] = [[SCHEME_LABEL, s.name, SCHEME_HELP]]
    values = {
        "kind": _KIND_JA[s.kind], "title": s.title, "band": s.band,
        "band_unit": _BAND_UNIT_JA[s.band_unit],
        "band_inclusive": "以内" if s.band_inclusive else "未満",
        "untargeted": "評価なし" if s.untargeted is Untargeted.UNGRADED else "改善・悪化で判定",
        "target_default": "最終年度まで" if s.target_default is TargetDefault.BY_FINAL
        else "毎年",
        "ungraded": s.ungraded,
    }
    for label, key, help_ in SCHEME_DETAIL_ROWS:
        rows.append([label, values[key], help_])
    rows.append([GRADE_LABEL, *GRADE_HEADER])
    for i, g in enumerate(s.grades, start=1):
        rows.append([f"{GRADE_LABEL}{i}", g.label, g.threshold,
                     ("以上" if g.inclusive else "超") if g.threshold is not None else None,
                     _ROLE_JA[g.role], g.meaning])
    return rows


# --------------------------------------------------------------------------- the secretariat's loop
# (issue 12) Optional rows below the items above: the default deadline of ``xlplan split``,
# the mail drafts' sender and templates, and the address table (配布先 → addresses). A
# master without them works as before: defaults, no finding.

LOOP_SECTION = "配布と回収（xlplan split・remind）"
DUE_LABEL = "提出期限"
SENDER_LABEL = "メールの差出人"
ADDRESS_LABEL = "メールの宛先（配布先）"
ADDRESS_HEADER = ("メールアドレス（複数は「;」で区切る）", "説明")
# Placeholders the templates may use ({年度} …); xlplan.core.mail fills them in.
PLACEHOLDERS: tuple[str, ...] = ("年度", "配布先", "期限", "行数", "ファイル名", "配布日", "指標一覧")


@dataclass(frozen=True, slots=True)
class MailTemplate:
    key: str  # LoopSettings field
    label: str  # 設定 column A
    default_key: str  # xlplan.core.texts.UI key of the default wording


MAIL_TEMPLATES: tuple[MailTemplate, ...] = (
    MailTemplate("subject", "メール件名（配布）", "mail.subject"),
    MailTemplate("body", "メール本文（配布）", "mail.body"),
    MailTemplate("remind_subject", "メール件名（督促）", "mail.remind_subject"),
    MailTemplate("remind_body", "メール本文（督促）", "mail.remind_body"),
)
_ADDRESS_SPLIT = re.compile(r"[;；,，、\s]+")


@dataclass(frozen=True, slots=True)
class LoopSettings:
    """What the 設定 sheet says about sending copies out and reminding."""

    due: date | None = None  # 提出期限: the default deadline of a split
    due_text: str = ""  # what the cell holds when it is not a date (the split refuses)
    sender: str = ""  # メールの差出人 (From); empty: the mail program's own account
    templates: tuple[tuple[str, str], ...] = ()  # field → template as typed (blank: default)
    addresses: tuple[tuple[str, tuple[str, ...], int], ...] = ()  # 配布先, addresses, row

    def template(self, key: str) -> str:
        """The template of ``key`` (``subject``, ``body``, …): as typed, or the default."""
        typed = dict(self.templates).get(key, "")
        if typed.strip():
            return typed.replace("\r\n", "\n").replace("\r", "\n")
        return UI[next(t.default_key for t in MAIL_TEMPLATES if t.key == key)]

    def label_of(self, key: str) -> str:
        return next(t.label for t in MAIL_TEMPLATES if t.key == key)

    def address_book(self) -> dict[str, tuple[tuple[str, ...], int]]:
        """配布先 (as typed, stripped) → (addresses, row on 設定); a name twice: the rows join."""
        out: dict[str, tuple[tuple[str, ...], int]] = {}
        for name, addrs, row in self.addresses:
            have, first = out.get(name, ((), row))
            out[name] = (tuple(dict.fromkeys([*have, *addrs])), first)
        return out


def parse_day(raw: object) -> date | None:
    """A deadline as typed or as a cell holds it: 2021/1/29, 2021-01-29, 令和3年1月29日,
    R3.1.29, 20210129, or a date cell. None when it does not name one day.

    The project's own date reader (:mod:`xlplan.core.dates`) reads the Japanese forms;
    python-dateutil the compact Western ones, only with a four-digit year (never the
    current year guessed for ``1/29``).
    """
    from xlplan.core.dates import parse_period

    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    first, last, warnings = parse_period(text)
    if last is not None and first is None and not warnings:
        return last
    import unicodedata

    compact = unicodedata.normalize("NFKC", text)
    if re.fullmatch(r"\d{4}(\d{4}|[./]\d{1,2}[./]\d{1,2})", compact):
        from dateutil import parser

        try:
            day: date = parser.parse(compact, yearfirst=True, dayfirst=False).date()
            return day
        except (ValueError, OverflowError):
            return None
    return None


def loop_settings_from_grid(grid: Grid | None) -> LoopSettings:
    """The optional 配布と回収 rows of the 設定 sheet (see :data:`MAIL_TEMPLATES`)."""
    if not grid:
        return LoopSettings()
    by_label: dict[str, int] = {}
    for r, line in enumerate(grid, start=1):
        label = _cell(line, LABEL_COL)
        if isinstance(label, str) and label.strip() not in by_label:
            by_label[label.strip()] = r
    def value(label: str) -> object:
        r = by_label.get(label)
        return _cell(grid[r - 1], VALUE_COL) if r is not None else None

    raw_due = value(DUE_LABEL)
    due = parse_day(raw_due)
    due_text = _text(raw_due) if due is None and raw_due is not None else ""
    sender = _text(value(SENDER_LABEL))
    templates = []
    for t in MAIL_TEMPLATES:
        raw = value(t.label)
        if isinstance(raw, str) and raw.strip():
            templates.append((t.key, raw))
    addresses: list[tuple[str, tuple[str, ...], int]] = []
    head = by_label.get(ADDRESS_LABEL)
    if head is not None:
        for row in range(head + 1, len(grid) + 1):
            name = _text(_cell(grid[row - 1], LABEL_COL)).replace("\n", "")
            if not name:
                continue
            raw = _text(_cell(grid[row - 1], VALUE_COL))
            addresses.append((name, tuple(a for a in _ADDRESS_SPLIT.split(raw) if a), row))
    return LoopSettings(due, due_text, sender, tuple(templates), tuple(addresses))


def loop_rows() -> list[tuple[str, object, str]]:
    """The 配布と回収 rows a writer puts on the 設定 sheet, defaults filled in:
    (label, value, help). The section title and the address table's header come first
    and last (:data:`LOOP_SECTION`, :data:`ADDRESS_LABEL`)."""
    names = "、".join("{" + k + "}" for k in PLACEHOLDERS)
    rows: list[tuple[str, object, str]] = [
        (DUE_LABEL, None, UI["settings.due_help"]),
        (SENDER_LABEL, None, UI["settings.sender_help"]),
    ]
    for t in MAIL_TEMPLATES:
        text = UI[t.default_key]
        rows.append((t.label, text, UI["settings.template_help"].format(names=names)
                     + (UI["settings.template_long"] if "\n" in text else "")))
    return rows
