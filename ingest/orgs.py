"""Organizations in one article's text: lexicon bodies, bodies inside title chains, clause-initial names
ending in an organization head, ordinal bodies (十四届全国人大常委会), committee lists, and the CRF's ORG spans
confirmed by an organization head. Every candidate is cleaned (leading verbs trimmed, party organs cut to the
institution, places and collectives refused) and nested mentions give way to the longest span.

Example:
    >>> [o.name for o in find_orgs("1月1日，南溪市第一医院东城分院举办了技能比武。", [], [])]
    ['南溪市第一医院东城分院']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest import lexicon

# --- constants -------------------------------------------------------------------------------------
CJK = r"\u3400-\u9fff"
_RANK_RE = "|".join(map(re.escape, sorted(set(lexicon.RANKS), key=len, reverse=True)))
_TITLE_TAIL_RE = re.compile(f"(?:{_RANK_RE})$")
_FORMER = ("原", "前")
_LEFT_STOP = set(
    "，。；：！？“”《》（）()、 \n\t对由向与同的是将把让给请邀了即被从据在于至及到就以其这该此各称为等"
)
_LEFT_STOP_WORDS = (
    "同志任",  # 郑文博同志任中共南溪市委委员 (任 alone can start a name: 任丘市委)
    "同志",
    "先后",
    "来看",
    "邀请",
    "听取",
    "会见",
    "会同",
    "联合",
    "以及",
    "委托",
    "举行",
    "召开",
    "主持",
    "出席",
    "率领",
    "记者",
    "专访",
    "担任",
    "当选",
    "任命",
    "免去",
    "表示",
    "指出",
    "强调",
    "作为",
)

# Given-name characters that make a surname-led string unlikely to be a name.
_ORG_HEADS = sorted(set(lexicon.ORG_HEADS), key=len, reverse=True)
_ORG_HEAD_RE = "|".join(map(re.escape, _ORG_HEADS))
_KNOWN_ORG_RE = re.compile("|".join(map(re.escape, sorted(set(lexicon.KNOWN_ORGS), key=len, reverse=True))))
_ORG_IN_CLAUSE_RE = re.compile(f"[{CJK}（）]{{1,24}}?(?:{_ORG_HEAD_RE})")
_NOT_ORGS = set(lexicon.NOT_ORGS)
_KNOWN_SHORT = set(lexicon.KNOWN_ORGS) | {"县委", "市委", "省委", "区委"}
_NOT_ORG_TAILS = lexicon.NOT_ORG_TAILS
_VERBISH_RE = re.compile(
    r"作出|一系列|决策|选举|组成|设置|围绕|服务|构建|适应|汇入|赞赏|感谢|精心|自觉|坚持|推动|"
    r"加强|深化|实现|提高|落实|贯彻|我们|他们|通过|决定|进行|开展|重视|支持|最后|首次|正在|抓好|突出|"
    r"关于|名单|负责人|分管|相关|有关|审议|找准|听取|参加|出席|依法|发挥|履行|召开|举行|会见|提请|委托|授权|"
    r"陆续|出院|赶赴|一所|一家|一个|召集|已经|迅速|立即|获悉|测定"
)
_ORDINAL_ORG_RE = re.compile(
    f"(?:政协)?第?[〇一二三四五六七八九十]{{1,3}}届(?:全国人大常委会|全国人大|全国政协|全国委员会常务委员会|全国委员会|"
    f"[{CJK}]{{2,8}}?(?:人大常委会|委员会|人大|政协))(?:(?!关于|设置|的)[{CJK}]{{2,12}}?委员会)?"
)
ENDS_WITH_HEAD_RE = re.compile(f"(?:{_ORG_HEAD_RE}|司|处|科|党委|党组|中央)$")
_COMMITTEE_LIST_RE = re.compile(f"(?:[{CJK}]{{2,16}}?委员会、){{2,}}[{CJK}]{{2,16}}?委员会")
_TRIM_VERBS_RE = re.compile(
    r"走进|回顾|欢迎|兼任|升任|改任|拟任|转任|出任|组建|撤销|筹建|处理好|希望|指导|前往|调任|任命|倡议成立|肯定|同志|参观|来到|考察|"
    r"调研|访问|会见|会晤|出席|参加|主持|召开|举行|组织引导|引导|支持|推动|加强|深化|感谢|祝贺|致电|致信|邀请|"
    r"委派|乘坐|辞去|察看|视察|派遣|[0-9]+年[0-9]+月[0-9]+日|部分|主要"
)
_PLACE_TAIL_RE = re.compile(r"(?:[省市县区州旗乡镇村]|自治区|自治州|自治县)$")
_ORDINAL_PREFIX_RE = re.compile(r"(?:政协)?第?[〇一二三四五六七八九十]{1,3}届")
_LIST_ORG_ITEM_RE = re.compile(f"[{CJK}]{{2,15}}?(?:委员会|委|部|局|厅|署|办|院|公司|集团|银行|协会|大学)")
_SOURCES = tuple(lexicon.NEWS_SOURCES)


# --- data ------------------------------------------------------------------------------------------
@dataclass
class OrgMention:
    name: str
    start: int
    end: int
    from_title: bool = False


# --- helpers ---------------------------------------------------------------------------------------
def _bracket_group_start(text: str, close: int, floor: int) -> int | None:
    """Where the bracket group that `text[close]` closes opens (`（苏州）`), if it is a short run of name
    characters (no punctuation, no stop word) that opens at or after `floor`; else None."""
    if text[close] not in "）)":
        return None
    opener = "（" if text[close] == "）" else "("
    i = text.rfind(opener, max(0, floor, close - 8), close)
    if i < 0 or i + 1 == close or any(ch in _LEFT_STOP for ch in text[i + 1 : close]):
        return None
    return i


def left_extent(text: str, end: int, limit: int = 40) -> int:
    """Start of the run of title/organization text that ends at `end` (stops at punctuation and verbs). A
    bracketed place inside a name is part of it: `博世汽车部件（苏州）有限公司`."""
    start = end
    while start > 0 and end - start < limit:
        if text[start - 1] not in _LEFT_STOP:
            start -= 1
            continue
        opener = _bracket_group_start(text, start - 1, end - limit)
        if opener is None or opener == 0 or text[opener - 1] in _LEFT_STOP:
            break
        start = opener
    # a stop word may begin on the stop character the walk ended at: 同 is one, 同志 another
    first = max(0, start - 1)
    for word in _LEFT_STOP_WORDS:
        i = text.rfind(word, first, end)
        if i >= 0:
            start = max(start, i + len(word))
    return start


# Words that open a candidate but never a body (`有外交部`, `时任浙江省委`, `受全国人大`, `组织政协`), and
# verbs after which, inside a candidate, the body begins (`习近平主席连任中共中央`, `杂志发表中共中央`).
_LEAD_WORDS = frozenset(
    "时任 曾任 现任 连任 列席 批准 研究 设立 结合 强化 发表 加入 受 经 有 率 广大 组织 根据 按照 围绕 通过".split()
)
_INNER_VERBS = frozenset(("连任", "发表", "率"))


_LEAD_START = tuple(_LEAD_WORDS)


@functools.lru_cache(maxsize=65536)
def _drop_lead_words(name: str) -> str:
    """`name` without the words before its body, as the segmenter cuts it: leading `_LEAD_WORDS`, and all
    up to an inner verb (`_INNER_VERBS`; not 代表, which a body can hold: 常委会代表资格审查委员会).
    The body left must keep three characters or more, or be a known short body (组织部 stays, 组织政协 → 政协)."""
    if not name.startswith(_LEAD_START) and not any(v in name for v in _INNER_VERBS):
        return name  # most candidates: no segmenting needed
    from ingest.segment import tokens

    words = [w for w, _s, _e in tokens(name)]
    cut = 0
    while cut < len(words) - 1 and words[cut] in _LEAD_WORDS:
        cut += 1
    for k in range(cut, len(words) - 1):
        if words[k] in _INNER_VERBS:
            cut = k + 1
    rest = "".join(words[cut:])
    return rest if cut and (len(rest) >= 3 or rest in _KNOWN_SHORT) else name


def _strip_brackets(name: str) -> str:
    """`name` without the brackets at its ends that pair with nothing inside it (`（南溪市委` → `南溪市委`) or
    that enclose all of it (`（南溪市委）`); `中央党校（国家行政学院）` keeps its brackets."""
    pair = {"（": "）", "(": ")", "）": "（", ")": "("}
    name = name.strip(" ")
    while name:
        first, last = name[0], name[-1]
        if first in "）)" or (first in "（(" and name.count(first) > name.count(pair[first])):
            name = name[1:]
        elif last in "（(" or (last in "）)" and name.count(last) > name.count(pair[last])):
            name = name[:-1]
        else:
            break
    if len(name) > 2 and (name[0], name[-1]) in (("（", "）"), ("(", ")")) and not set(name[1:-1]) & set("（）()"):
        name = name[1:-1]  # `（南溪市委）`
    return name


def _bracketed_head(name: str) -> bool:
    """True when `name` ends in an organization head, or in one closed by a bracket (`…（国家行政学院）`)."""
    return bool(ENDS_WITH_HEAD_RE.search(name) or (name[-1:] in "）)" and ENDS_WITH_HEAD_RE.search(name[:-1])))


def _clean_org(name: str) -> str | None:
    name = _strip_brackets(name)
    if name[:1] in "（(":  # `（北京）建筑装饰有限公司`: the name began before the bracket, out of sight
        return None
    name = _TRIM_VERBS_RE.split(name)[-1]  # `欢迎越共中央` → `越共中央`
    name = _drop_lead_words(name)
    for f in _FORMER:
        if name.endswith(f):
            return None
    while name and name[0] in "原前各本该我其和及与":
        if name.startswith("我市") or name.startswith("我省"):
            break
        name = name[1:]
    if name.endswith("特别行政区") or name.endswith(("人民大会堂", "大会堂")):
        return None
    former = re.search(r"原(?=党委|党组|党工委|$)", name)
    if former and former.start() >= 2:  # `…供电公司原党委` → the institution
        name = name[: former.start()]
    party = re.search(r"(?:党委|党组|党工委)$", name)
    if party and re.search(f"(?:{_ORG_HEAD_RE})$", name[: party.start()]) and party.start() >= 3:
        name = name[: party.start()]
    if len(name) <= 2 and name not in _KNOWN_SHORT:
        return None
    if len(name) < 2 or name in _NOT_ORGS or name.startswith(_SOURCES) or name.endswith(_NOT_ORG_TAILS):
        return None
    tail = _TITLE_TAIL_RE.search(name)
    if tail and tail.start() >= 2:  # `中共中央政治局常委` is a post, not a body
        return None
    if _VERBISH_RE.search(name):
        return None
    if re.search(r"\d", name) and not re.search(r"[十百]", name):
        return None
    return name


def find_orgs(
    text: str, people: Sequence[Any], ner_spans: list[tuple[str, str, int, int]]
) -> list[OrgMention]:
    found: list[OrgMention] = []

    def add(name: str | None, start: int, from_title: bool = False) -> None:
        if name:
            found.append(_placed(text, name, start, from_title))

    # bodies inside title chains
    for p in people:
        if p.title and p.title_start is not None:
            pos = p.title_start
            for post in p.posts:
                if post.organization and ENDS_WITH_HEAD_RE.search(
                    strip_group(post.organization).split("原")[0]
                ):
                    at = text.find(post.organization, pos)
                    org = strip_group(post.organization)
                    add(_clean_org(org), at if at >= 0 else pos, True)
    # bodies before a rank, with or without a name after it (`县委书记已赶到`, `国家安全部部长职务`)
    for m in re.finditer(f"(?:{_RANK_RE})", text):
        left = left_extent(text, m.start())
        cand = strip_group(text[left : m.start()])
        if len(cand) >= 2 and ENDS_WITH_HEAD_RE.search(cand):
            add(_clean_org(cand), left)
    # known bodies
    for m in _KNOWN_ORG_RE.finditer(text):
        add(_clean_org(m.group(0)), m.start())
    # ordinal bodies: 十三届全国人大常委会, 政协第十四届全国委员会常务委员会
    for m in _ORDINAL_ORG_RE.finditer(text):
        add(m.group(0), m.start())
    for m in re.finditer(r"\d+集团军", text):
        add(m.group(0), m.start())
    # CRF organization spans
    for span_text, label, s, _e in ner_spans:
        if label == "ORG" and _bracketed_head(span_text) and not _PLACE_TAIL_RE.search(span_text):
            add(_clean_org(span_text), s)
    # clause-initial names ending in an organization head (`1月1日，市一医医共体东城分院举办…`)
    for m in re.finditer(
        f"(?:^|[，。；：\n])([{CJK}（）]{{2,24}}?(?:{_ORG_HEAD_RE}))"
        r"(?=举办|举行|召开|主办|承办|组织|开展|发布|印发|通报|联合|在|于|对|与|和|、|，|。)",
        text,
    ):
        s = m.start(1)
        name = m.group(1)
        left = left_extent(text, m.end(1))
        name = text[max(s, left) : m.end(1)]
        name = (
            re.sub(r"^.*?(?:日|月|年)(?:上午|下午|晚上|晚)?", "", name) if re.search(r"\d|日", name) else name
        )
        add(_clean_org(name), m.end(1) - len(name))
    found = _longest_spans(found)
    found = _longest_spans(found + _list_siblings(text, found))
    return _drop_shadowed(text, found)


def _drop_shadowed(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """`全国人大常委会` is written once as `十四届全国人大常委会`; `十三届全国人大五次会议` is a session, not a body."""
    names = {o.name for o in found}
    out = []
    for o in found:
        if any(
            n != o.name and n.endswith(o.name) and _ORDINAL_PREFIX_RE.fullmatch(n[: -len(o.name)])
            for n in names
        ):
            continue
        if re.match(
            r"[〇一二三四五六七八九十]+次(?:会议|全体会议)", text[o.end : o.end + 8]
        ) and o.name.endswith(("人大", "政协")):
            continue
        out.append(o)
    return out


def _list_siblings(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """Items of a 、-list in which one item is a known organization: `全国人大民委、监察司法委、财经委`."""
    extra: list[OrgMention] = []
    for m in _COMMITTEE_LIST_RE.finditer(text):
        pos = m.start()
        for k, item in enumerate(m.group(0).split("、")):
            if k == 0:
                item = re.sub(r"^.*?(?:设置|设立|成立|包括|组建|撤销)", "", item)
            start = text.find(item, pos)
            name = _clean_org(item)
            if name:
                extra.append(_placed(text, name, start))
            pos = start + len(item)
    for o in found:
        pos = o.end
        while pos < len(text) and text[pos] == "、":
            nxt = _LIST_ORG_ITEM_RE.match(text, pos + 1)
            if not nxt:
                break
            name = _clean_org(nxt.group(0))
            if name is None:
                break
            extra.append(_placed(text, name, nxt.start()))
            pos = nxt.end()
    return extra


def strip_group(org: str) -> str:
    """`招商银行杭州分行专项债券专家组` → `招商银行杭州分行`: ad-hoc groups inside an institution are not bodies."""
    m = re.search(r"(?:组|小组)$", org)
    if m and not org.endswith("中心组"):
        inner = list(re.finditer(f"(?:{_ORG_HEAD_RE})", org[: m.start()]))
        strong = [x for x in inner if x.group(0) not in ("组", "专家组", "工作组")]
        if strong:
            return org[: strong[-1].end()]
    return org


def _placed(text: str, name: str, start: int, from_title: bool = False) -> OrgMention:
    """The mention of `name` at or just after `start` (cleaning may have cut the front of a candidate)."""
    at = text.find(name, max(0, start), start + len(name) + 64)
    at = start if at < 0 else at
    return OrgMention(name, at, at + len(name), from_title)


def _longest_spans(found: list[OrgMention]) -> list[OrgMention]:
    """Drop mentions nested inside a longer mention at the same place; keep order of appearance."""
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    out: list[OrgMention] = []
    reach = -1  # the furthest end of a kept mention: anything ending by then, starting later, is inside it
    for o in found:
        if o.end > reach:
            out.append(o)
            reach = o.end
    return out
