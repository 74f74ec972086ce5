"""The vocabulary of value cells, as data.

Everything the parser (:mod:`xlplan.core.parse`) and the date reader
(:mod:`xlplan.core.dates`) recognise by name lives here: eras, units, scale words,
status words, qualifiers, intents, the words an as-of note may carry, and the Japanese
messages of the warnings. Like dateutil's ``parserinfo``, :class:`Lexicon` is a class of
plain data that can be subclassed to extend the vocabulary; the code does not hide any
word of its own.

All words are written in their *normalised* spelling (see
:func:`xlplan.core.normalize.normalize`): ASCII digits and brackets, ``%``, ``:``,
``～`` for every wave dash, ``-`` for every dash that is not a katakana long vowel.
"""

from __future__ import annotations

from typing import ClassVar

from xlplan.core.texts import PARSER_WARNINGS
from xlplan.core.values import PeriodKind, Status, ValueRole


class Lexicon:
    """The words of value cells. Subclass and override attributes to extend."""

    # ------------------------------------------------------------------ dates
    # (name, abbreviation, Western year of 元年). 令和元年 = 2019, R3 = 2021.
    ERAS: ClassVar[tuple[tuple[str, str, int], ...]] = (
        ("令和", "R", 2019),
        ("平成", "H", 1989),
        ("昭和", "S", 1926),
    )
    FIRST_YEAR: ClassVar[str] = "元"  # 令和元年, R元.12
    # (month, day) each era began in its 元年: 令和 on 2019-05-01 (2019-04-30 is 平成31年).
    ERA_FIRST_DAYS: ClassVar[dict[str, tuple[int, int]]] = {
        "令和": (5, 1), "平成": (1, 8), "昭和": (12, 25),
    }
    FISCAL_YEAR_START_MONTH: ClassVar[int] = 4  # 令和2年度 = April 2020 – March 2021
    # Words that may follow a date in an as-of note and carry no meaning of their own
    # for the period (令和2年12月末現在, H30実績, 令和元年4月1日時点).
    DATE_SKIP_WORDS: ClassVar[tuple[str, ...]] = (
        "年度末", "末日", "末", "現在", "時点", "実績", "頃", "まで", "迄", "付け", "付",
        "分", "現", "調査", "公表",
    )

    # ------------------------------------------------------------------ numbers
    # Scale words after an Arabic number: 405,823千枚 = 405,823,000枚, 1万2千人 = 12,000人.
    SCALES: ClassVar[dict[str, int]] = {
        "百": 100,
        "千": 1_000,
        "万": 10_000,
        "億": 100_000_000,
        "兆": 1_000_000_000_000,
    }
    # Scale characters run together multiply (2,480百万円 = 2,480 × 100 × 10,000 円) and
    # may follow the number after one space, as PDF copies leave them (412 万回). Words that
    # start with a scale character but are not scales stop the reading (25千葉県).
    NOT_SCALES: ClassVar[tuple[str, ...]] = (
        "千葉", "千代", "千歳", "千里", "万博", "万全", "万一", "万能", "万人向け", "百貨",
        "百科", "億劫",
    )
    # Units that are a scaled spelling of another unit: 7割 = 70%.
    UNIT_SCALES: ClassVar[dict[str, tuple[float, str]]] = {"割": (10.0, "%")}
    # Kanji numerals (三件, 二十五人): only read when a known unit follows.
    KANJI_DIGITS: ClassVar[dict[str, int]] = {
        "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
        "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    }
    KANJI_SMALL_SCALES: ClassVar[dict[str, int]] = {"十": 10, "百": 100, "千": 1_000}
    # Signs before a number. In a value cell △ and ▲ are the accounting minus.
    MINUS_SIGNS: ClassVar[tuple[str, ...]] = ("-", "△", "▲")

    # ------------------------------------------------------------------ units
    # Spelling variants → the canonical unit. Units not listed are kept as typed.
    UNIT_CANONICAL: ClassVar[dict[str, str]] = {
        "パーセント": "%",
        "ヶ所": "箇所", "ヵ所": "箇所", "か所": "箇所", "カ所": "箇所", "ケ所": "箇所",
        "個所": "箇所",
        "ヶ月": "か月", "ヵ月": "か月", "カ月": "か月", "ケ月": "か月", "箇月": "か月",
        "KW": "kW", "kw": "kW", "Kw": "kW",
        "KWh": "kWh", "kwh": "kWh",
        "手続き": "手続",
        "平方メートル": "m2", "平方キロメートル": "km2", "立方メートル": "m3",
        "ヘクタール": "ha", "トン": "t", "キロメートル": "km", "メートル": "m",
        "キログラム": "kg", "グラム": "g", "パーミル": "‰",
    }
    # Units that count the same thing: same_unit() treats them as one.
    UNIT_EQUIVALENT: ClassVar[dict[str, str]] = {"名": "人"}
    # Spellings the mark engine folds when it compares the units of b, v and t.
    UNIT_ALIASES: ClassVar[dict[str, str]] = {
        "名": "人", "か所": "箇所", "ヵ所": "箇所", "ケ所": "箇所", "ヶ所": "箇所",
    }
    # Per-period units that mean the same as a plain count: a target of 5件/年 is "5件 in
    # the year", which is what an annual actual of 5件 reports. Any other period is not.
    ANNUAL_PERIODS: ClassVar[tuple[str, ...]] = ("年", "年度", "年間")
    # Units that are complete by themselves: whatever follows is not part of the unit
    # (50%以上 → unit %, note 以上).
    SYMBOL_UNITS: ClassVar[tuple[str, ...]] = ("%", "‰")
    # Units the parser knows. Any other word after a number is a unit too; this list is
    # only used to cut a unit off words that run on without a break
    # (1校内容の充実に努めます, 6,576回延べ参加人数) and to accept kanji numerals (三件).
    KNOWN_UNITS: ClassVar[tuple[str, ...]] = (
        "人", "名", "件", "回", "時間", "手続", "手続き", "団体", "施設", "地図", "市町村",
        "市町", "項目", "社", "校", "日", "a", "ha", "戸", "kW", "kWh", "MW", "事業所",
        "箇所", "か所", "ヶ所", "ヵ所", "カ所", "ケ所", "事業体", "林業事業体", "点", "冊",
        "枚", "台", "本", "個", "機関", "世帯", "所属", "館", "園", "講座", "コース",
        "業務", "地区", "円", "年", "か月", "ヶ月", "カ月", "週", "%", "km", "m", "t", "kg",
        "頭", "隻", "県", "市", "町", "村", "課", "局", "店", "者", "種類", "分野", "部会",
        "件数", "人数", "回数", "アカウント", "ページ", "サイト",
        "g", "m2", "km2", "m3", "‰", "位", "歳", "倍", "割", "pt", "ポイント", "人日", "泊",
    )
    # ASCII units may carry an exponent or a chemical suffix that the digit rule would
    # cut off: m2 (㎡ after normalisation), km2, m3, t-CO2, kg-CO2.
    ASCII_UNIT_PATTERN: ClassVar[str] = r"[A-Za-z]{1,4}(?:\d(?![\d.,]))?(?:-[A-Za-z]{1,4}\d?(?![\d.,]))?"

    # ------------------------------------------------------------------ words
    # A cell that is only dashes means "nothing / not applicable". After normalisation
    # every dash is "-", except a lone katakana long vowel "ー" which stays as typed.
    DASHES: ClassVar[str] = "-ー－―‐‑‒–—−ｰ"
    # Whole-cell words that also mean "nothing".
    NONE_WORDS: ClassVar[tuple[str, ...]] = ("なし", "無し", "該当なし", "該当無し", "対象外", "N/A")
    # Words of a cell without a number → its status. Looked up in the cell with
    # spaces and line breaks removed, in this order.
    STATUS_WORDS: ClassVar[tuple[tuple[str, Status], ...]] = (
        ("進捗管理を停止", Status.SUSPENDED),
        ("進捗管理の停止", Status.SUSPENDED),
        ("進捗管理停止", Status.SUSPENDED),
        ("算出不可", Status.UNDETERMINED),
        ("算出中", Status.UNDETERMINED),
        ("未定", Status.UNDETERMINED),
        ("調査の予定", Status.UNDETERMINED),
        ("調査予定", Status.UNDETERMINED),
        ("調査中", Status.UNDETERMINED),
        ("集計中", Status.UNDETERMINED),
        ("未集計", Status.UNDETERMINED),
        ("確認中", Status.UNDETERMINED),
        ("精査中", Status.UNDETERMINED),
        ("不明", Status.UNDETERMINED),
    )
    # Intent phrases of a qualitative target (増加を目指します。).
    INTENTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("維持を目指", "maintain"),
        ("増加を目指", "increase"),
        ("拡大を目指", "increase"),
        ("向上を目指", "increase"),
        ("減少を目指", "decrease"),
        ("削減を目指", "decrease"),
        ("低減を目指", "decrease"),
    )

    # ------------------------------------------------------------------ qualifiers
    APPROX_PREFIXES: ClassVar[tuple[str, ...]] = ("約", "概ね", "およそ")
    APPROX_SUFFIXES: ClassVar[tuple[str, ...]] = ("程度", "前後")
    # 延 only counts directly before a number (延8,341人); 延べ counts anywhere
    # (延べ参加人数).
    PERSON_TIMES_PREFIXES: ClassVar[tuple[str, ...]] = ("延べ", "延")
    PERSON_TIMES_WORDS: ClassVar[tuple[str, ...]] = ("延べ",)
    CUMULATIVE_WORDS: ClassVar[tuple[str, ...]] = ("累計",)
    ESTIMATE_WORDS: ClassVar[tuple[str, ...]] = ("見込",)
    # Words that may end a unit but are not part of it (100人以上 → 人, note 以上).
    UNIT_SUFFIX_WORDS: ClassVar[tuple[str, ...]] = (
        "以上", "以下", "未満", "以内", "超", "余り", "程度", "前後", "見込み", "見込", "累計",
    )
    # A bound after a value (1,500人以上, 30%超): (word, side, inclusive). The bound is
    # recorded on Parsed.bound; the word also stays in the note, as before.
    BOUND_WORDS: ClassVar[tuple[tuple[str, str, bool], ...]] = (
        ("以上", "min", True), ("超", "min", False), ("を上回る", "min", False),
        ("を超える", "min", False), ("より多い", "min", False),
        ("以下", "max", True), ("以内", "max", True), ("未満", "max", False),
        ("を下回る", "max", False), ("より少ない", "max", False),
    )

    # ------------------------------------------------------------------ periods
    # A period phrase before a value (5年間で 2,000人, 毎年90%, 最終年度までに 12,000,
    # 年間 1,200件) or alone in brackets (（年平均）, （毎年度）). Before a value the phrase
    # counts only when the number follows it, so 年間延べ利用者数 stays a label.
    # Words after a number of years: 5年間で, 3か年で.
    PERIOD_YEAR_WORDS: ClassVar[tuple[str, ...]] = (
        "年間", "か年", "ヵ年", "カ年", "ヶ年", "ケ年", "箇年",
    )
    # What may follow "N年間" to make it a period rather than a value of N years.
    PERIOD_YEAR_TAILS: ClassVar[tuple[str, ...]] = (
        "の累計で", "の累計", "累計で", "累計", "の合計で", "の合計", "合計", "の計", "計",
        "の平均", "平均", "で", "に", "の",
    )
    PERIOD_WORDS: ClassVar[tuple[tuple[str, PeriodKind], ...]] = (
        ("計画期間中に", PeriodKind.CUMULATIVE), ("計画期間中", PeriodKind.CUMULATIVE),
        ("計画期間内に", PeriodKind.CUMULATIVE), ("計画期間内", PeriodKind.CUMULATIVE),
        ("計画期間の累計", PeriodKind.CUMULATIVE), ("計画期間累計", PeriodKind.CUMULATIVE),
        ("期間累計", PeriodKind.CUMULATIVE), ("累計で", PeriodKind.CUMULATIVE),
        ("累計", PeriodKind.CUMULATIVE),
        ("毎年度", PeriodKind.EVERY_YEAR), ("毎年", PeriodKind.EVERY_YEAR),
        ("各年度", PeriodKind.EVERY_YEAR), ("各年", PeriodKind.EVERY_YEAR),
        ("年度ごとに", PeriodKind.EVERY_YEAR), ("年度ごと", PeriodKind.EVERY_YEAR),
        ("単年度で", PeriodKind.EVERY_YEAR), ("単年度", PeriodKind.EVERY_YEAR),
        ("最終年度までに", PeriodKind.BY_FINAL), ("最終年度まで", PeriodKind.BY_FINAL),
        ("最終年度に", PeriodKind.BY_FINAL), ("最終年度", PeriodKind.BY_FINAL),
        ("目標年度までに", PeriodKind.BY_FINAL), ("計画期間末までに", PeriodKind.BY_FINAL),
        ("1年あたり", PeriodKind.PER_YEAR), ("1年当たり", PeriodKind.PER_YEAR),
        ("年あたり", PeriodKind.PER_YEAR), ("年当たり", PeriodKind.PER_YEAR),
        ("年間で", PeriodKind.PER_YEAR), ("年間", PeriodKind.PER_YEAR),
        ("年", PeriodKind.PER_YEAR),  # 年12回 (a number must follow it)
        ("年間平均", PeriodKind.AVERAGE), ("年平均", PeriodKind.AVERAGE),
        ("平均値", PeriodKind.AVERAGE), ("平均", PeriodKind.AVERAGE),
    )
    # A rate written in front of the value or in brackets: 1日あたり 1,200人 is 1,200人/日,
    # （月平均） a monthly average. (unit of time, words after it).
    RATE_UNITS: ClassVar[tuple[str, ...]] = ("日", "週", "月", "か月", "ヶ月", "カ月")
    RATE_WORDS: ClassVar[tuple[str, ...]] = ("あたり", "当たり", "平均")
    # A date followed by this is a deadline (令和7年度までに 12,000): period BY_FINAL.
    DEADLINE_WORDS: ClassVar[tuple[str, ...]] = ("までに", "迄に")

    # ------------------------------------------------------------------ roles
    # Words that say which column a value belongs to: （現状値）, 目標値：80%, （H30実績）.
    ROLE_WORDS: ClassVar[tuple[tuple[str, ValueRole], ...]] = (
        ("現状値", ValueRole.BASELINE), ("現況値", ValueRole.BASELINE),
        ("基準値", ValueRole.BASELINE), ("策定時", ValueRole.BASELINE),
        ("目標値", ValueRole.TARGET), ("実績値", ValueRole.ACTUAL),
        ("実績", ValueRole.ACTUAL), ("見込値", ValueRole.PROJECTION),
    )

    # ------------------------------------------------------------------ relative targets
    # A target typed against the baseline: 基準値より5割減, 基準値の2倍, 現状維持,
    # 平成25年度比40%削減, 5ポイント向上. See Parsed.relative.
    RELATIVE_REFERENCES: ClassVar[tuple[str, ...]] = (
        "計画策定時", "基準年度", "基準値", "基準年", "現状値", "現況値", "策定時", "当初値",
        "現状", "現況", "当初", "前年度", "前年",
    )
    # References that name the baseline itself (前年度 does not: it is not resolved).
    BASELINE_REFERENCES: ClassVar[tuple[str, ...]] = (
        "計画策定時", "基準年度", "基準値", "基準年", "現状値", "現況値", "策定時", "当初値",
        "現状", "現況", "当初",
    )
    RELATIVE_LINKS: ClassVar[tuple[str, ...]] = (
        "と比較して", "に比べて", "と比べて", "に比べ", "と比べ", "比で", "比", "より", "から",
        "の",
    )
    INCREASE_WORDS: ClassVar[tuple[str, ...]] = (
        "増加", "増", "向上", "上昇", "アップ", "拡大", "伸長",
    )
    DECREASE_WORDS: ClassVar[tuple[str, ...]] = (
        "削減", "減少", "減", "低減", "縮減", "低下", "ダウン", "縮小",
    )
    # Units of a relative change: a share of the baseline, or points added to it.
    RELATIVE_SHARE_UNITS: ClassVar[dict[str, float]] = {"%": 0.01, "割": 0.1}
    RELATIVE_POINT_UNITS: ClassVar[tuple[str, ...]] = ("ポイント", "pt")
    # Whole phrases: (phrase, factor, intent, bound side or "").
    RELATIVE_PHRASES: ClassVar[tuple[tuple[str, float, str, str], ...]] = (
        ("現状維持", 1.0, "maintain", ""), ("現状を維持", 1.0, "maintain", ""),
        ("現状値を維持", 1.0, "maintain", ""), ("基準値を維持", 1.0, "maintain", ""),
        ("現状値以上", 1.0, "maintain", "min"), ("現状以上", 1.0, "maintain", "min"),
        ("基準値以上", 1.0, "maintain", "min"), ("現状値以下", 1.0, "decrease", "max"),
        ("現状以下", 1.0, "decrease", "max"), ("基準値以下", 1.0, "decrease", "max"),
        ("半減", 0.5, "decrease", ""), ("倍増", 2.0, "increase", ""),
    )
    # Endings of a target sentence that add nothing: 基準値より5割減を目指す。
    RELATIVE_TAILS: ClassVar[tuple[str, ...]] = (
        "を目指します", "を目指す", "を目標とする", "を目標", "させる", "する", "とする", "。",
    )
    # Words an as-of note may carry besides its date: (令和2年12月末現在), (年度末見込),
    # (平成30年度～令和2年12月累計), (見込).
    NOTE_QUALIFIER_WORDS: ClassVar[tuple[str, ...]] = (
        "見込み", "見込", "累計", "年度末", "実績値", "実績", "速報値", "速報", "確定値", "確定",
        "現状値", "現況値", "基準値", "目標値", "策定時", "見込値",
    )
    # A label ending in one of these marks a total that wins over its breakdown
    # (4～12月計: 65,791人), unless it ends in one of NOT_TOTAL_SUFFIXES.
    TOTAL_SUFFIXES: ClassVar[tuple[str, ...]] = ("合計", "総計", "総数", "計")
    NOT_TOTAL_SUFFIXES: ClassVar[tuple[str, ...]] = (
        "累計", "小計", "推計", "集計", "統計", "会計", "設計", "家計", "時計", "生計",
    )

    # ------------------------------------------------------------------ warnings
    # Stable code → Japanese message for staff ({fragment} is the text that triggered
    # it); the sentences live in the catalogue with every other staff-facing text.
    WARNINGS: ClassVar[dict[str, str]] = PARSER_WARNINGS


LEXICON = Lexicon()
