"""People, organizations, places and title chains in one article's text.

Rules anchored on what Chinese news reliably writes around a name (a title chain before it, a role verb or a
rank after it, a list joined by 、 ending in 等/出席), a lexicon of bodies and organization heads, and — when
the project's CRF model is installed — its PER/ORG/LOC spans as candidates that the same context rules
confirm. Output: `Entities` with every mention's span, and for people the title chain and its posts.

Example:
    >>> ents = find_entities("市委副书记、代市长胡立新主持会议。")
    >>> [(p.name, p.title) for p in ents.people]
    [('胡立新', '市委副书记、代市长')]
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from ingest import lexicon
from ingest.orgs import OrgMention, find_orgs, left_extent, strip_group
from ingest.records import PostRef

# --- constants -------------------------------------------------------------------------------------
CJK = r"\u3400-\u9fff"
_RANKS = sorted(set(lexicon.RANKS), key=len, reverse=True)
_RANK_RE = "|".join(map(re.escape, _RANKS))
_SUR_RE = "|".join(map(re.escape, lexicon.SURNAMES_2)) + "|[" + lexicon.SURNAMES_1 + "]"

# What may follow a person's name directly.
_FOLLOW = (
    r"[，。、；：！？“”（）()《》\s\d]|$|同志|先生|女士|夫人|委员长|副委员长|总书记|总理|副总理|主席|副主席|部长|书记|"
    r"主持|出席|参加|列席|陪同|表示|指出|强调|说|介绍|会见|会谈|通电话|来到|前往|赶赴|赶到|在|于|作|致辞|讲话|宣布|"
    r"代表|等|和|与|同|及|一行|率|担任|任|为|的|对|向|到|就|分别|也|还|亲切|共同|听取|考察|调研|检查|视察|"
    r"出访|致|发表|签署|参观|走访|看望|慰问|乘|抵达|结束|进行|举行|召开|提出|回答|监誓|领誓|从|针对|围绕|首先|"
    r"请|转达|感谢|回顾|希望|认为|称|透露|告诉|坦言|宣读|通报|解读|授课|辅导|宣讲|深入|随后|又|先后|最后|"
    r"被|已|因|受|将|要|则|所在|率领|带领|主办|承办|举办|作为|负责|获|荣获|当选|以及|共同|新时代|指示|批示|要求"
)
_FOLLOW_RE = re.compile(f"(?:{_FOLLOW})")
_NAME_RE = re.compile(f"(?:{_SUR_RE})[{CJK}]{{1,2}}")
_WORDY_NAME_RE = re.compile(f"[{lexicon.SURNAMES_WORDY}][{CJK}]{{1,2}}")
_DOT_NAME_RE = re.compile(f"[{CJK}]{{1,6}}·[{CJK}]{{1,8}}")

# Chars at which a title chain or an organization name cannot extend further to the left.
_BAD_GIVEN = set(
    "的了在是和与或及等年月日时个们这那其之于为以所将被把让给向从对也都就而但并且如若则因此说讲要"
)
_NOT_NAMES = set(lexicon.NOT_NAMES)

_TITLE_TAIL_RE = re.compile(f"(?:{_RANK_RE})$")
_PLACE_RE = re.compile(f"[{CJK}]{{1,8}}?(?:省|自治区|市|县|区|州|盟|旗|镇|乡|村|街道)")
_PROVINCES = lexicon.PROVINCES
_PROVINCE_RE = re.compile("|".join(_PROVINCES))
_FORMER = ("原", "前")
_BAD_LOOSE = set(
    "的了在是和与或及等时会部局委院市省县区国中我他她们这那先生今天上午下午晚上女士阁下对向同通互每分出陆外党堂话要求为引领"
)
_NOT_LOOSE = set(lexicon.NOT_LOOSE)
_LOOSE_FOLLOW_RE = re.compile(
    r"[，。、；：！？”）)\s]|$|在|于|表示|说|指出|一行|会见|会谈|出席|以及|和|等|先生|女士|阁下"
)
WEAK_RANKS = frozenset(("领导", "成员"))  # 领导班子, 成员单位: ranks that are also plain nouns
_VERB_TAIL = set("作在说和与同对向等还也将就到为以已来赴陪")
_STRONG_AFTER_RE = re.compile(
    r"主持|出席|参加|列席|陪同|表示|指出|强调|说|会见|会谈|来到|前往|同志|总书记|委员长|副委员长|总理|副总理|"
    r"等(?:参加|出席|陪同|列席)|"
    r"宣布|致辞|讲话|作了讲话|通电话|在.{1,12}(?:调研|考察|会见|出席|主持)"
)
_CLAUSE_NAME_RE = re.compile(
    f"(?:^|[，。；：！？\n“”]|(?:\\d{{1,2}}日|上午|下午|晚上|当天|同日|随后|其间|期间|会上))((?:{_SUR_RE})[{CJK}])"
)
# a name has none of these; `常委会委员长`, `越南副总理` are titles, not `常委会`/`南副` + a rank
_RANK_INSIDE_RE = re.compile("|".join(re.escape(r) for r in _RANKS if len(r) >= 2))
_INSIDE_TITLE_RE = re.compile(r"[委会部局院厅署办处]|[副代总常]$")
_POST_TITLE_RE = re.compile(
    f"((?:{_SUR_RE})[{CJK}]{{1,2}}?)(?=(?:总书记|主席|总理|委员长|副主席|副总理|同志)(?![国团府会])|新时代中国特色社会主义思想)"
)
_BYLINE_RE = re.compile(r"[（(](?:[^（()）]{0,12}?)(?:首席)?记者\s*([^（()）]{2,30})[)）]")
_APPOINT_RE = re.compile(
    f"(?:免去|任命|接受|撤销|决定任命|提名)((?:[{CJK}·]{{2,4}}、)*[{CJK}·]{{2,4}}?)(?=的|为|辞去|同志)"
)
_LIST_RE = re.compile(
    f"(?:[{CJK}]{{2,3}}、)+[{CJK}]{{2,3}}(?P<end>等|出席|参加|陪同|列席|分别|同志|一行|和|为|共同|先后|一起)"
)


# --- data ------------------------------------------------------------------------------------------
@dataclass
class PersonMention:
    name: str
    start: int
    end: int
    title: str | None = None  # the title chain as written before the name
    title_start: int | None = None
    posts: list[PostRef] = field(default_factory=list)


@dataclass
class Entities:
    people: list[PersonMention] = field(default_factory=list)
    orgs: list[OrgMention] = field(default_factory=list)
    places: list[tuple[str, int, int]] = field(default_factory=list)

    def person_names(self) -> list[str]:
        return _unique(p.name for p in self.people)

    def org_names(self) -> list[str]:
        return _unique(o.name for o in self.orgs)


# --- helpers ---------------------------------------------------------------------------------------
def _unique(items: object) -> list[str]:
    seen: dict[str, None] = {}
    for x in items:  # type: ignore[attr-defined]
        seen.setdefault(x, None)
    return list(seen)


def split_title(title: str) -> list[PostRef]:
    """`中共南溪市委副书记、市长` → [PostRef(市委副书记…, org 中共南溪市委, role 副书记), PostRef(市长, None, 市长)]."""
    posts: list[PostRef] = []
    for seg in re.split(r"[、，,]|兼", title):
        seg = seg.strip()
        if not seg:
            continue
        m = _TITLE_TAIL_RE.search(seg)
        if not m:
            continue
        org = seg[: m.start()]
        for f in _FORMER:
            if org.endswith(f):
                org = org[: -len(f)]
        org = strip_group(org.strip()) or None
        posts.append(PostRef(title=seg, organization=org, role=m.group(0)))
    return posts


def _title_before(text: str, start: int) -> tuple[str | None, int | None]:
    """The title chain that ends right before position `start`, if any."""
    left = _left_extent_title(text, start)
    chunk = text[left:start]
    if not chunk or not _TITLE_TAIL_RE.search(chunk):
        return None, None
    # drop leading pieces that do not end in a rank (e.g. a date or a verb before the chain)
    return chunk, left


def _left_extent_title(text: str, end: int) -> int:
    """Like `_left_extent`, but a title chain may run over 、 and 兼 between posts."""
    start = end
    while True:
        s = left_extent(text, start)
        seg = text[s:start]
        if not seg or not _TITLE_TAIL_RE.search(seg):
            return start
        start = s
        if start > 0 and text[start - 1] == "、" and start - 1 > 0:
            prev_end = start - 1
            ps = left_extent(text, prev_end)
            if ps < prev_end and _TITLE_TAIL_RE.search(text[ps:prev_end]):
                start = prev_end
                continue
        return start


def _name_at(text: str, i: int, loose: bool = False, anchored: bool = False) -> str | None:
    """A person's name starting at `i`, checked by what follows it.

    `anchored`: a title chain stands right before, so a name need not start with a listed surname;
    `loose`: the title is a foreign office (总统, 秘书长…), so longer transliterated names are allowed.
    """
    m = _DOT_NAME_RE.match(text, i)
    if m:
        dot = m.group(0).index("·")
        for end in range(i + dot + 2, m.end() + 1):
            if _FOLLOW_RE.match(text, end) and not _TITLE_TAIL_RE.search(text[i:end]):
                return text[i:end]
    candidates: list[tuple[str, bool]] = []  # (text, led by a surname)
    if text[i : i + 2] in lexicon.SURNAMES_2:
        candidates += [(text[i : i + 4], True), (text[i : i + 3], True)]
    if _NAME_RE.match(text, i) or (anchored and _WORDY_NAME_RE.match(text, i)):
        candidates += [(text[i : i + 3], True), (text[i : i + 2], True)]
    if loose:
        candidates += [(text[i : i + n], False) for n in (5, 4, 3, 2)]
    common = _common_words()
    for cand, surname_led in dict.fromkeys(candidates):
        if len(cand) < 2 or not re.fullmatch(f"[{CJK}]+", cand) or cand in _NOT_NAMES:
            continue
        if not surname_led and any(cand[:k] in common for k in range(2, len(cand) + 1)):
            continue  # `主席夫人彭丽媛`, `秘书长名单草案`, `元首共识`: a word, not a foreign name
        if surname_led and any(c in _BAD_GIVEN for c in cand[1:]):
            continue
        if cand in _NOT_LOOSE or not surname_led and any(c in _BAD_LOOSE for c in cand):
            continue
        if not surname_led and not _LOOSE_FOLLOW_RE.match(text, i + len(cand)):
            continue
        if _RANK_INSIDE_RE.search(cand[1:]):
            continue  # `任组长`: a rank, not a given name
        if len(cand) > 2 and cand[-1] in _VERB_TAIL and _FOLLOW_RE.match(text, i + len(cand) - 1):
            continue  # `王晨作的报告`: the name is 王晨, 作 starts the verb
        if _FOLLOW_RE.match(text, i + len(cand)):
            return cand
    return None


def reporters_in(text: str) -> list[str]:
    """Reporters named in a parenthesised byline: `(记者陈瑜艳通讯员叶卫兵王文婷)`, `（记者甘娜刘子倩）`."""
    out: list[str] = []
    for m in _BYLINE_RE.finditer(text[:300]):
        for chunk in re.split(r"通讯员|实习生|摄影|记者|[\s、,，]+", m.group(1)):
            out += _split_run_of_names(chunk)
    return out


def _split_run_of_names(chunk: str) -> list[str]:
    """`甘娜刘子倩` → [甘娜, 刘子倩]: cut a run of names where a surname starts a 2–3 char name."""
    if len(chunk) <= 3:
        return [chunk] if len(chunk) >= 2 else []
    for first in (3, 2):
        rest = chunk[first:]
        if rest and (_NAME_RE.match(rest) or _WORDY_NAME_RE.match(rest)):
            tail = _split_run_of_names(rest)
            if tail:
                return [chunk[:first], *tail]
    return []


# --- entry point -----------------------------------------------------------------------------------
def find_entities(text: str, ner_spans: list[tuple[str, str, int, int]] | None = None) -> Entities:
    """People, organizations and places of `text`. `ner_spans` are (text, label, start, end) from the CRF."""
    ents = Entities()
    people = _find_people(text, ner_spans or [])
    ents.people = people
    ents.orgs = find_orgs(text, people, ner_spans or [])
    names = {p.name for p in people}  # 石泰峰 tagged a place somewhere, a person where the rules saw him
    ents.places = [p for p in _find_places(text, ner_spans or []) if p[0] not in names]
    return ents


@functools.cache
def _common_words() -> frozenset[str]:
    """Words that are never a name (`ingest.ner.common_words`); none without the NER model."""
    if os.environ.get("DASHIJI_NO_NER"):
        return frozenset()
    from ingest.ner import common_words

    return common_words()


def _inside_a_word(text: str, i: int) -> bool:
    """Whether the segmenter puts `i` inside a common word (有关领导: 关领导 starts inside 有关; 古巴国家主席,
    学习贯彻). Only common words count: the segmenter also glues a name's first character to what precedes
    it (悟透习近平), and that must not lose the name."""
    from ingest.segment import tokens

    first = max(0, i - 4)
    common = _common_words()
    return any(first + s < i < first + e and w in common for w, s, e in tokens(text[first : i + 4]))


def _find_people(text: str, ner_spans: list[tuple[str, str, int, int]]) -> list[PersonMention]:
    accepted: dict[str, PersonMention] = {}
    hits: list[PersonMention] = []
    taken = [False] * (len(text) + 1)

    common = _common_words()

    def add(
        name: str, start: int, title: str | None = None, title_start: int | None = None, strong: bool = False
    ) -> None:
        """Take a name. A common word (文章, 班子, 常务…) only on strong evidence: right after a post title
        (主席汪洋), in a list of names, or tagged a person by the recognizer."""
        end = start + len(name)
        if any(taken[start:end]) or (name in common and not strong):
            return
        for k in range(start, end):
            taken[k] = True
        pm = PersonMention(name, start, end, title, title_start, split_title(title) if title else [])
        hits.append(pm)
        accepted.setdefault(name, pm)

    # 1. Names right after a title chain (the strongest cue; foreign names allowed).
    for m in re.finditer(f"(?:{_RANK_RE})", text):
        i = m.end()
        if i < len(text) and text[i] in "、兼团会国府台处室厅部局":  # 主席团, 主席国: not a title here
            continue
        foreign = m.group(0) in (
            "总统",
            "首相",
            "元首",
            "最高元首",
            "国王",
            "女王",
            "秘书长",
            "总干事",
            "议长",
            "主席",
            "行政长官",
            "外长",
            "副总统",
            "王储",
            "亲王",
            "总督",
            "终身名誉主席",
        )
        name = _name_at(text, i, loose=foreign, anchored=True)
        if name:
            title, ts = _title_before(text, i)
            add(name, i, title, ts, strong=m.group(0) not in WEAK_RANKS)
    # 2. Clause-initial names before a strong verb, and lists of names joined by 、 that end in 等/出席….
    for m in _CLAUSE_NAME_RE.finditer(text):
        i = m.start(1)
        name = _name_at(text, i)
        if name and _STRONG_AFTER_RE.match(text, i + len(name)):
            add(name, i)
    for m in _LIST_RE.finditer(text):
        items = m.group(0)[: -len(m.group("end"))].split("、")
        pos = m.start()
        names = [_name_at(text, pos + sum(len(x) + 1 for x in items[:k])) for k in range(len(items))]
        if sum(n == it for n, it in zip(names, items, strict=True)) * 3 >= len(items) * 2:
            for k, it in enumerate(items):
                at = pos + sum(len(x) + 1 for x in items[:k])
                if len(it) == 3 and it[0] in "有和与及或" and _NAME_RE.fullmatch(it[1:]):
                    it, at = it[1:], at + 1  # `还有邵鸿、何报翔`: the list began a character early
                elif len(it) == 3 and it.endswith("等"):
                    it = it[:-1]  # `李希、韩正等出席`
                add(it, at, strong=True)
    # 2b. A name right before a leader's title or 同志 (`贯彻习近平总书记…`), or naming a body of thought.
    for m in _POST_TITLE_RE.finditer(text):
        name = m.group(1)
        if not taken[m.start()] and not _INSIDE_TITLE_RE.search(name) and not set(name[1:]) & _BAD_GIVEN:
            if name not in _NOT_NAMES and not _inside_a_word(text, m.start()):
                add(name, m.start())
    # 2c. People named in personnel decisions: `免去陈文清的…职务`, `任命孙新阳、刘学新为…`.
    for m in _APPOINT_RE.finditer(text):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            if _NAME_RE.match(item) or _WORDY_NAME_RE.match(item):
                add(item, pos)
            pos += len(item) + 1
    # 3. CRF person spans confirmed by a verb that people do (表示, 主持, 出席…) right after them.
    for span_text, label, s, e in ner_spans:
        if label == "PER" and 2 <= len(span_text) <= 8 and span_text not in _NOT_NAMES:
            if _STRONG_AFTER_RE.match(text, e) and not any(taken[s:e]) and not _INSIDE_TITLE_RE.search(span_text):
                add(span_text, s, strong=True)
    # 4. Every other occurrence of an accepted name.
    for name in list(accepted):
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start() : m.end()]):
                add(name, m.start(), strong=True)
    hits.sort(key=lambda p: p.start)
    return hits


def _find_places(text: str, ner_spans: list[tuple[str, str, int, int]]) -> list[tuple[str, int, int]]:
    """The places the recognizer found and the provinces written out. A one-character place is an
    abbreviation (中 of 中外, 京 of 进京, 华 of 访华) that names nothing on its own: as a place node it
    gathered hundreds of unrelated articles (中: 717 of the 2,005 corpus articles), so it is left out."""
    places = [(t, s, e) for t, label, s, e in ner_spans if label == "LOC" and e - s > 1]
    for m in _PROVINCE_RE.finditer(text):
        places.append((m.group(0), m.start(), m.end()))
    return sorted(set(places), key=lambda p: (p[1], p[2], p[0]))
