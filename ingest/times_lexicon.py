"""Word lists, numerals and the compiled token pattern behind `ingest.times`.

The scanner reads Chinese time expressions as a run of *tokens* (a year, a month, a day, a part of the day,
a clock time...) written next to each other. This module only knows what single tokens look like; how they
join into one expression and what date they mean is `ingest.times`'s job.

All patterns expect the text to be folded first with `FOLD` (full-width digits → ASCII, `○` → `〇`), a
one-character-for-one-character mapping, so match offsets stay valid on the original text.

Example:
    >>> cn_number("三十一"), cn_number("二〇二二"), cn_number("12")
    (31, 2022, 12)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- folding ----------------------------------------------------------------------------------------------

FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
        "○": "〇",
        "◯": "〇",
        "Ｏ": "〇",
        "．": ".",
        "／": "/",
        "\u3000": " ",
    }
)

# --- numerals ---------------------------------------------------------------------------------------------

CN_DIGITS = dict(zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))

# --- relative words: offsets from the publication date (or from the previous expression: "anaphoric") ------

REL_YEAR = {
    "今年": 0, "本年": 0, "这一年": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2, "大前年": -3,
    "明年": 1, "来年": 1, "下一年": 1, "后年": 2, "大后年": 3,
}  # fmt: skip
ANA_YEAR = {"当年": 0, "同年": 0, "次年": 1, "翌年": 1}

REL_MONTH = {
    "本月": 0, "这个月": 0, "上月": -1, "上个月": -1, "上一个月": -1, "上一月": -1,
    "下月": 1, "下个月": 1, "下一个月": 1,
}  # fmt: skip
ANA_MONTH = {"当月": 0, "同月": 0, "次月": 1, "翌月": 1}

# word → (day offset, part of day)
REL_DAY: dict[str, tuple[int, str | None]] = {
    "大前天": (-3, None), "前天": (-2, None), "前日": (-2, None), "昨天": (-1, None), "昨日": (-1, None),
    "今天": (0, None), "今日": (0, None), "本日": (0, None), "明天": (1, None), "明日": (1, None),
    "后天": (2, None), "大后天": (3, None), "大大后天": (4, None),
    "今晨": (0, "morning"), "今早": (0, "morning"), "昨晨": (-1, "morning"), "昨早": (-1, "morning"),
    "今晚": (0, "evening"), "昨晚": (-1, "evening"), "前晚": (-2, "evening"), "明晚": (1, "evening"),
    "今夜": (0, "night"), "昨夜": (-1, "night"),
}  # fmt: skip
ANA_DAY: dict[str, tuple[int, str | None]] = {
    "当天": (0, None), "当日": (0, None), "同日": (0, None), "次日": (1, None), "翌日": (1, None),
    "隔日": (1, None), "当晚": (0, "evening"), "同晚": (0, "evening"), "当夜": (0, "night"),
    "次晨": (1, "morning"),
}  # fmt: skip
# word → (unit, first offset, last offset)
REL_SPAN = {"今明两年": ("year", 0, 1), "今明两天": ("day", 0, 1)}

REL_WEEK = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

VAGUE_WORDS = ("连日来", "前不久", "不久前", "近日", "日前", "连日", "近期")

PART_OF_DAY = {
    "上午": "morning", "早上": "morning", "早晨": "morning", "清晨": "morning", "早间": "morning",
    "晨": "morning", "早": "morning",
    "中午": "noon", "正午": "noon", "午间": "noon",
    "下午": "afternoon", "午后": "afternoon",
    "傍晚": "evening", "晚上": "evening", "晚间": "evening", "夜晚": "evening", "晚": "evening",
    "凌晨": "night", "深夜": "night", "半夜": "night", "午夜": "night", "夜间": "night", "夜里": "night",
    "后半夜": "night", "前半夜": "night", "上半夜": "night", "下半夜": "night", "夜": "night",
}  # fmt: skip
PM_PARTS = ("afternoon", "evening")  # a clock hour below 12 is moved to the afternoon in these
# 深夜11点 is 23:00, while 凌晨6时 stays 06:00
LATE_NIGHT = frozenset("深夜 半夜 夜里 夜间 夜 上半夜 前半夜".split())

# --- pattern pieces ---------------------------------------------------------------------------------------

_SP = r"\s{0,3}"  # OCR pages space out digits and units: "2021 年 12 月 31 日"
_CN = r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[〇零一二三四五六七八九两])"
_N2 = r"(?:[0-9](?: ?[0-9])?)"  # one or two digits, a single OCR space allowed between them
_NUM = rf"(?:{_N2}|{_CN})"
_MIN = r"(?:[0-5]?[0-9]|零[一二三四五六七八九]|[二三四五]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_Y4 = r"(?:1 ?[5-9] ?[0-9] ?[0-9]|2 ?0 ?[0-9] ?[0-9])"
_Y4CN = r"(?:[一二][〇零一二三四五六七八九]{3})"
_Y2 = r"(?:[0-9]{2}|[〇零一二三四五六七八九]{2})"
_SEP = r"(?:至|到|—{1,2}|–|―|-|－|~|～|〜)"
_NB = r"(?<![0-9.〇零一二三四五六七八九十两百千万第每近前后数几多半个续])"  # not inside a number/duration
_DAY_UNIT = r"[日号]"
# where "1月3" (a day without 日) may stop: not before a unit or a digit, even across OCR spaces
_END = r"(?!\s{0,3}[日号0-9〇零一二三四五六七八九十])(?=$|[\s，。、,;；：:）)」”\"至到~～〜—\-])"


def _words(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first (so 大前天 wins over 前天)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMDATE = (
    rf"(?P<nd>(?<![0-9.])(?P<nd_y>{_Y4})\s?[-/.]\s?(?P<nd_m>[01]?[0-9])\s?[-/.]\s?(?P<nd_d>[0-3]?[0-9])"
    rf"(?:[\sT-]{{0,2}}(?P<nd_h>[0-2]?[0-9])[:：](?P<nd_mi>[0-5][0-9])(?:[:：](?P<nd_s>[0-5][0-9]))?)?"
    r"(?![0-9]))"
)
_YMD8 = r"(?P<y8>(?<![0-9])(?:1[5-9]|20)[0-9]{2}[01][0-9][0-3][0-9](?![0-9]))"
_YMDSP = (
    r"(?P<ysp>(?<![0-9])(?P<ysp_y>(?:1[5-9]|20)[0-9]{2}) (?P<ysp_m>[01]?[0-9]) (?P<ysp_d>[0-3]?[0-9])"
    r"(?![0-9]))"
)
_YMNUM = (
    r"(?P<ym>(?<![0-9.])(?P<ym_y>(?:1[5-9]|20)[0-9]{2})[./-](?P<ym_m>[01][0-9])"
    rf"(?:\s?{_SEP}\s?(?P<ym_y2>(?:1[5-9]|20)[0-9]{{2}})(?:[./-](?P<ym_m2>[01][0-9]))?)?"
    r"(?![0-9.%％亿万千百元]))"
)
_MDNUM = (
    r"(?P<md>(?<![0-9\-./])(?P<md_m>[01][0-9])-(?P<md_d>[0-3][0-9])"
    r"(?:\s{1,2}(?P<md_h>[0-2]?[0-9])[:：](?P<md_mi>[0-5][0-9]))?(?![0-9\-./月日年号时点%％个万亿元]))"
)
_MDDOT = r"(?P<mdot>(?<![0-9.])(?P<mdot_m>1[0-2]|[1-9])\s?[·•]\s?(?P<mdot_d>[1-3]?[0-9])(?![0-9]))"
_YRANGE = (
    rf"(?P<yr>(?<![0-9])(?P<yr1>{_Y4}){_SP}年?{_SP}{_SEP}{_SP}(?P<yr2>{_Y4}){_SP}年(?!代)"
    rf"(?!{_SP}{_NUM}{_SP}月))"
)
_YEAR_SUFFIX = r"(?P<ysuf>上半年|下半年|底|末|初|内|度)?"
_YEAR = (
    rf"(?P<year>(?:(?:{_NB}(?P<y4>{_Y4}|{_Y4CN})|{_NB}(?P<y2>{_Y2})(?={_SP}年{_SP}{_NUM}{_SP}月)){_SP}年"
    rf"|(?P<yrel>{_words(REL_YEAR)})|(?<![本这此每上下该首])(?P<yana>{_words(ANA_YEAR)})"
    r"|(?<![每一二三四五六七八九十0-9年个])(?P<ybare>年(?=底|初|末)))"
    rf"(?!代|级|龄|轻|纪|均|间|薪|利率|化){_YEAR_SUFFIX})"
)
_MRANGE = (
    rf"(?P<mr>{_NB}(?P<mr1>{_NUM}){_SP}(?:月份?)?{_SP}{_SEP}{_SP}(?P<mr2>{_NUM}){_SP}月份?"
    rf"(?!{_SP}{_NUM}{_SP}[日号]))"
)
_MONTH_SUFFIX = r"(?P<msuf>上旬|中旬|下旬|初|底|末)"
_MONTH = (
    rf"(?P<month>(?:{_NB}(?P<mo>{_NUM}){_SP}月份?|(?P<mrel>{_words(REL_MONTH)})|(?P<mana>{_words(ANA_MONTH)})"
    r"|(?<![每一二三四五六七八九十0-9个])(?P<mbare>月(?=底|初)))"
    rf"(?:{_MONTH_SUFFIX}|{_SP}(?P<mdn>{_NUM}){_END})?"
    r"(?!饼|球|光|亮|台|票|嫂|薪|供|息|均|度|子|报|刊|季|卡|租|费|活))"
)
_DRANGE = rf"(?P<dr>{_NB}(?P<dr1>{_NUM}){_SP}{_DAY_UNIT}?{_SP}{_SEP}{_SP}(?P<dr2>{_NUM}){_SP}{_DAY_UNIT})"
_DAY = (
    rf"(?P<day>{_NB}(?P<dd>{_NUM}){_SP}(?P<dunit>{_DAY_UNIT})(?!本|元|语|文|军|币|线|楼|院|令|码|位|车|机|台|馆|桥"
    r"|门|口|文件|窗口|公告|选手|病房|地|常|益|渐|趋|夜兼程)"
    rf"|(?<![光目日])(?P<drel>{_words(REL_DAY)})|(?P<dana>{_words(ANA_DAY)})"
    rf"|(?P<dspan>{_words(REL_SPAN)}))"
)
_WEEKDAY = (
    r"(?P<weekday>(?<![每0-9一二三四五六七八九十两几数个])(?:(?P<wdrel>上上|下下|上|下|本|这)(?:个|一)?)?"
    r"(?:周|星期|礼拜)(?:周|星期|礼拜)?(?P<wd>[一二三四五六日天])(?![一二三四五六七八九十年]))"
)
_WEEK = (
    r"(?P<week>(?P<wkrel>上上|下下|上|下|本|这)(?:个|一)?(?:周|星期|礼拜)"
    r"(?![一二三四五六日天末期年边围刊报内]))"
)
_VAGUE = (
    r"(?P<vague>(?<![节生假作期休念平昨今明前后每当同次翌0-9〇零一二三四五六七八九十两])"
    rf"{_words(VAGUE_WORDS)})"
)
_POD_LONG = [w for w in PART_OF_DAY if len(w) > 1]
_POD_SHORT = [w for w in PART_OF_DAY if len(w) == 1]
_POD = rf"(?P<pod>{_words(_POD_LONG)}|(?<!每)(?:{_words(_POD_SHORT)})(?={_SP}(?:[0-9]|{_CN}{_SP}[时点])))"
_CLOCK = (
    rf"(?P<clock>(?<![0-9.第同统适及临当准按一二三四五六七八九十两几个])(?P<ch>{_NUM}){_SP}(?P<cu>[时点])(?P<czhong>钟)?"
    rf"(?:{_SP}(?:(?P<cmin>{_MIN}){_SP}分(?:{_SP}(?P<csec>{_MIN}){_SP}秒)?|(?P<chalf>半)|(?P<cq>[一1三3]){_SP}刻"
    rf"|(?P<cmin2>[0-5][0-9]|零[一二三四五六七八九]|[二三四五]?十[一二三四五六七八九]?)(?![0-9分秒钟])))?"
    r"(?P<csuf>整|许|左右|多钟|多)?(?!间|期|代|候|势|速|装|尚|事|局|髦|光|节|空|段|差|薪|长|效|钟头)"
    r"|(?<![0-9:：.])(?P<kh>[01]?[0-9]|2[0-4])\s?[:：]\s?(?P<km>[0-5][0-9])(?:\s?[:：]\s?(?P<ks>[0-5][0-9]))?"
    r"(?![0-9:：]))"
)

_ALTERNATIVES = [
    _NUMDATE, _YMD8, _YMDSP, _YMNUM, _MDNUM, _MDDOT, _YRANGE, _YEAR, _MRANGE, _MONTH, _DRANGE,
    _WEEKDAY, _WEEK, _CLOCK, _DAY, _VAGUE, _POD,
]  # fmt: skip
_WORDS = [
    *REL_YEAR, *ANA_YEAR, *REL_MONTH, *ANA_MONTH, *REL_DAY, *ANA_DAY, *REL_SPAN, *VAGUE_WORDS, *PART_OF_DAY,
    *REL_WEEK, "周", "星期", "礼拜", "年底", "月底",
]  # fmt: skip
# Every token starts with one of these; testing it first makes the scan ~10x faster on running text.
_FIRST = "".join(sorted({w[0] for w in _WORDS} | set("0123456789十") | set(CN_DIGITS)))
# Order matters: at one position the first alternative that matches wins.
TOKEN_RE = re.compile(rf"(?=[{re.escape(_FIRST)}])(?:{'|'.join(_ALTERNATIVES)})")

# What may stand between two tokens of one expression, and between the two ends of a range.
GAP_RE = re.compile(r"\s{0,4}")
RANGE_GAP_RE = re.compile(rf"\s{{0,3}}(?:起)?\s{{0,3}}{_SEP}\s{{0,3}}")
# After a bare day ("3日"), these mean a duration or a deadline, not a date: 3日内, 3日前, 3日以来.
DURATION_AFTER_RE = re.compile(r"\s{0,2}(?:内|前|后|以|之|来)")

# Loose extras for `parse_time`, where the whole string is known to be a time expression.
LOOSE_YEAR_RE = re.compile(rf"^\s*(?:(?P<y4>{_Y4})|(?P<y2>{_Y2}){_SP}年)\s*$")


# --- small pure helpers -----------------------------------------------------------------------------------


def cn_number(s: str) -> int:
    """Read a small number written in ASCII digits, Chinese digits (`二〇二二`) or with 十 (`三十一`)."""
    s = s.replace(" ", "")
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in s:
        value = value * 10 + CN_DIGITS[ch]
    return value
