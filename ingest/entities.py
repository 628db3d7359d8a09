"""People, organizations, places and title chains in one article's text.

Rules anchored on what Chinese news reliably writes around a name (a title chain before it, a role verb or a
rank after it, a list joined by 、 ending in 等/出席), a lexicon of bodies and organization heads, and — when
the project's CRF model is installed — its PER/ORG/LOC spans as candidates that the same context rules
confirm. Output: `Entities` with every mention's span, and for people the title chain and its posts.

Example:
    >>> ents = find_entities("市委副书记、代市长胡勇春主持会议。")
    >>> [(p.name, p.title) for p in ents.people]
    [('胡勇春', '市委副书记、代市长')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import lexicon
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
_LEFT_STOP = set("，。；：！？“”《》（）()、 \n\t对由向与同的是将把让给请邀了即被从据在于至及到就以其这该此各称为等")
_LEFT_STOP_WORDS = ("同志", "先后", "来看", "邀请", "听取", "会见", "会同", "联合", "以及", "委托", "举行", "召开", "主持", "出席", "率领",
                    "记者", "专访", "担任", "当选", "任命", "免去", "表示", "指出", "强调", "作为")

# Given-name characters that make a surname-led string unlikely to be a name.
_BAD_GIVEN = set("的了在是和与或及等年月日时个们这那其之于为以所将被把让给向从对也都就而但并且如若则因此说讲要")
_NOT_NAMES = {
    "高质量", "新时代", "全面", "时代", "江山", "万家", "黄河", "长江", "常委", "周边", "安全", "金融", "金名片", "高水平",
    "韩国", "朝鲜", "宁夏", "江西", "江苏", "湖南", "湖北", "广东", "广西", "福建", "海南", "云南", "贵州", "四川",
    "吉林", "辽宁", "山东", "山西", "河北", "河南", "安徽", "浙江", "甘肃", "青海", "西藏", "新疆", "陕西", "北京",
    "天津", "上海", "重庆", "香港", "澳门", "台湾", "马方", "中方", "蒙方", "伊合", "习近", "欧盟", "华侨", "石油",
    "干部", "群众", "职工", "代表", "委员", "同志", "党员", "钱包", "任务", "任何", "严格", "严重", "连续", "高度", "高位", "高峰", "常态", "温暖", "安排", "安心", "方面",
    "方式", "方向", "向前", "明显", "明确", "文明", "文化", "于是", "于此", "和平", "和谐", "程度", "成员", "成为",
    "成功", "成果", "成绩", "谢谢", "许多", "许可", "宁静", "平安", "平台", "平等", "尚未", "关于", "关键", "关系",
    "应急", "应对", "应用", "管理", "管控", "强化", "强调", "强国", "严肃", "伍元", "万人", "万名", "万元", "时间",
    "时期", "时候", "项目", "党中央", "国务院", "曾经", "曾任", "余名", "余人", "包括", "包头", "原党组", "原司长",
    "沙特", "巴西", "巴黎", "柯桥", "武汉", "武装", "邵阳", "鲁迅", "戴帽", "季度", "车辆", "车站", "车上",
}

_TITLE_TAIL_RE = re.compile(f"(?:{_RANK_RE})$")
_ORG_HEADS = sorted(set(lexicon.ORG_HEADS), key=len, reverse=True)
_ORG_HEAD_RE = "|".join(map(re.escape, _ORG_HEADS))
_KNOWN_ORG_RE = re.compile("|".join(map(re.escape, sorted(set(lexicon.KNOWN_ORGS), key=len, reverse=True))))
_ORG_IN_CLAUSE_RE = re.compile(f"[{CJK}（）]{{1,24}}?(?:{_ORG_HEAD_RE})")
_NOT_ORGS = set(lexicon.NOT_ORGS)
_KNOWN_SHORT = set(lexicon.KNOWN_ORGS) | {"县委", "市委", "省委", "区委"}
_NOT_ORG_TAILS = ("部署", "干部", "全部", "内部", "外部", "局部", "大局", "格局", "布局", "开局", "结局", "为中心",
                  "核心", "重心", "信心", "决心", "关心", "中心工作", "总部", "俱乐部", "东部", "西部", "南部", "北部",
                  "中部", "头部", "腹部", "胸部", "部部", "委员", "党委党组", "基层党组织", "党组织", "全局", "主办", "协办",
                  "承办", "举办", "创办", "开办", "督办", "交办", "查办", "合办", "联办", "展厅", "大厅", "宴会厅",
                  "餐厅", "客厅", "指挥大厅", "新局", "政府职能", "地方政府", "中央政府")
_VERBISH_RE = re.compile(r"作出|一系列|决策|选举|组成|设置|围绕|服务|构建|适应|汇入|赞赏|感谢|精心|自觉|坚持|推动|"
                         r"加强|深化|实现|提高|落实|贯彻|我们|他们|通过|决定|进行|开展|重视|支持|最后|首次|正在|抓好|突出|"
                         r"关于|名单|负责人|分管|相关|有关|审议|找准|听取|参加|出席|依法|发挥|履行|召开|举行|会见|提请|委托|授权|"
                         r"陆续|出院|赶赴|一所|一家|一个|召集|已经|迅速|立即|获悉|测定")
_ORDINAL_ORG_RE = re.compile(
    f"(?:政协)?第?[〇一二三四五六七八九十]{{1,3}}届(?:全国人大常委会|全国人大|全国政协|全国委员会常务委员会|全国委员会|"
    f"[{CJK}]{{2,8}}?(?:人大常委会|委员会|人大|政协))(?:(?!关于|设置|的)[{CJK}]{{2,12}}?委员会)?"
)
_ENDS_WITH_HEAD_RE = re.compile(f"(?:{_ORG_HEAD_RE}|司|处|科|党委|党组|中央)$")
_COMMITTEE_LIST_RE = re.compile(f"(?:[{CJK}]{{2,16}}?委员会、){{2,}}[{CJK}]{{2,16}}?委员会")
_TRIM_VERBS_RE = re.compile(
    r"走进|回顾|欢迎|兼任|组建|撤销|筹建|处理好|希望|指导|前往|调任|任命|倡议成立|肯定|同志|参观|来到|考察|"
    r"调研|访问|会见|会晤|出席|参加|主持|召开|举行|组织引导|引导|支持|推动|加强|深化|感谢|祝贺|致电|致信|邀请|"
    r"委派|乘坐|辞去|[0-9]+年[0-9]+月[0-9]+日|部分|主要"
)
_PLACE_TAIL_RE = re.compile(r"(?:[省市县区州旗乡镇村]|自治区|自治州|自治县)$")
_ORDINAL_PREFIX_RE = re.compile(r"(?:政协)?第?[〇一二三四五六七八九十]{1,3}届")
_LIST_ORG_ITEM_RE = re.compile(f"[{CJK}]{{2,15}}?(?:委员会|委|部|局|厅|署|办|院|公司|集团|银行|协会|大学)")
_SOURCES = tuple(lexicon.NEWS_SOURCES)
_PLACE_RE = re.compile(f"[{CJK}]{{1,8}}?(?:省|自治区|市|县|区|州|盟|旗|镇|乡|村|街道)")
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_PROVINCE_RE = re.compile("|".join(_PROVINCES))
_FORMER = ("原", "前")
_BAD_LOOSE = set("的了在是和与或及等时会部局委院市省县区国中我他她们这那先生今天上午下午晚上女士阁下对向同通互每分出陆外党堂话要求为引领")
_NOT_LOOSE = {"先生", "女士", "阁下", "今天", "一行", "夫人", "宣布", "提出", "表示", "高度重视", "重视", "认为"}
_LOOSE_FOLLOW_RE = re.compile(r"[，。、；：！？”）)\s]|$|在|于|表示|说|指出|一行|会见|会谈|出席|以及|和|等|先生|女士|阁下")
_VERB_TAIL = set("作在说和与同对向等还也将就到为以已来赴")
_STRONG_AFTER_RE = re.compile(
    r"主持|出席|参加|列席|陪同|表示|指出|强调|说|会见|会谈|来到|前往|同志|总书记|委员长|副委员长|总理|副总理|"
    r"等(?:参加|出席|陪同|列席)|"
    r"宣布|致辞|讲话|作了讲话|通电话|在.{1,12}(?:调研|考察|会见|出席|主持)"
)
_CLAUSE_NAME_RE = re.compile(f"(?:^|[，。；：！？\n“”]|(?:\\d{{1,2}}日|上午|下午|晚上|当天|同日|随后|其间|期间|会上))((?:{_SUR_RE})[{CJK}])")
_POST_TITLE_RE = re.compile(
    f"((?:{_SUR_RE})[{CJK}]{{1,2}}?)(?=(?:总书记|主席|总理|委员长|副主席|副总理|同志)(?![国团府会])|新时代中国特色社会主义思想)"
)
_BYLINE_RE = re.compile(r"[（(](?:[^（()）]{0,12}?)(?:首席)?记者\s*([^（()）]{2,30})[)）]")
_APPOINT_RE = re.compile(f"(?:免去|任命|接受|撤销|决定任命|提名)((?:[{CJK}·]{{2,4}}、)*[{CJK}·]{{2,4}}?)(?=的|为|辞去|同志)")
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
class OrgMention:
    name: str
    start: int
    end: int
    from_title: bool = False


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


def _left_extent(text: str, end: int, limit: int = 40) -> int:
    """Start of the run of title/organization text that ends at `end` (stops at punctuation and verbs)."""
    start = end
    while start > 0 and end - start < limit and text[start - 1] not in _LEFT_STOP:
        start -= 1
    chunk = text[start:end]
    for word in _LEFT_STOP_WORDS:
        i = chunk.rfind(word)
        if i >= 0:
            start = start + i + len(word)
            chunk = text[start:end]
    return start


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
        org = _strip_group(org.strip()) or None
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
        s = _left_extent(text, start)
        seg = text[s:start]
        if not seg or not _TITLE_TAIL_RE.search(seg):
            return start
        start = s
        if start > 0 and text[start - 1] == "、" and start - 1 > 0:
            prev_end = start - 1
            ps = _left_extent(text, prev_end)
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
    for cand, surname_led in dict.fromkeys(candidates):
        if len(cand) < 2 or not re.fullmatch(f"[{CJK}]+", cand) or cand in _NOT_NAMES:
            continue
        if surname_led and any(c in _BAD_GIVEN for c in cand[1:]):
            continue
        if cand in _NOT_LOOSE or not surname_led and any(c in _BAD_LOOSE for c in cand):
            continue
        if not surname_led and not _LOOSE_FOLLOW_RE.match(text, i + len(cand)):
            continue
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
    ents.orgs = _find_orgs(text, people, ner_spans or [])
    ents.places = _find_places(text, ner_spans or [])
    return ents


def _find_people(text: str, ner_spans: list[tuple[str, str, int, int]]) -> list[PersonMention]:
    accepted: dict[str, PersonMention] = {}
    hits: list[PersonMention] = []
    taken = [False] * (len(text) + 1)

    def add(name: str, start: int, title: str | None = None, title_start: int | None = None) -> None:
        end = start + len(name)
        if any(taken[start:end]):
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
        foreign = m.group(0) in ("总统", "首相", "元首", "最高元首", "国王", "女王", "秘书长", "总干事", "议长",
                                 "主席", "行政长官", "外长", "副总统", "王储", "亲王", "总督", "终身名誉主席")
        name = _name_at(text, i, loose=foreign, anchored=True)
        if name:
            title, ts = _title_before(text, i)
            add(name, i, title, ts)
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
                add(it, pos + sum(len(x) + 1 for x in items[:k]))
    # 2b. A name right before a leader's title or 同志 (`贯彻习近平总书记…`), or naming a body of thought.
    for m in _POST_TITLE_RE.finditer(text):
        if not taken[m.start()]:
            add(m.group(1), m.start())
    # 2c. People named in personnel decisions: `免去陈文清的…职务`, `任命孙新阳、刘学新为…`.
    for m in _APPOINT_RE.finditer(text):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            if _NAME_RE.match(item) or _WORDY_NAME_RE.match(item):
                add(item, pos)
            pos += len(item) + 1
    # 3. CRF person spans confirmed by a following cue.
    for span_text, label, s, e in ner_spans:
        if label == "PER" and 2 <= len(span_text) <= 8 and span_text not in _NOT_NAMES:
            if _FOLLOW_RE.match(text, e) and not any(taken[s:e]):
                add(span_text, s)
    # 4. Every other occurrence of an accepted name.
    for name in list(accepted):
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start() : m.end()]):
                add(name, m.start())
    hits.sort(key=lambda p: p.start)
    return hits


def _clean_org(name: str) -> str | None:
    name = name.strip("（）() ")
    name = _TRIM_VERBS_RE.split(name)[-1]  # `欢迎越共中央` → `越共中央`
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


def _find_orgs(text: str, people: list[PersonMention],
               ner_spans: list[tuple[str, str, int, int]]) -> list[OrgMention]:
    found: list[OrgMention] = []

    def add(name: str | None, start: int, from_title: bool = False) -> None:
        if not name:
            return
        found.append(OrgMention(name, start, start + len(name), from_title))

    # bodies inside title chains
    for p in people:
        if p.title and p.title_start is not None:
            pos = p.title_start
            for post in p.posts:
                if post.organization and _ENDS_WITH_HEAD_RE.search(_strip_group(post.organization).split("原")[0]):
                    at = text.find(post.organization, pos)
                    org = _strip_group(post.organization)
                    add(_clean_org(org), at if at >= 0 else pos, True)
    # bodies before a rank, with or without a name after it (`县委书记已赶到`, `国家安全部部长职务`)
    for m in re.finditer(f"(?:{_RANK_RE})", text):
        left = _left_extent(text, m.start())
        cand = _strip_group(text[left : m.start()])
        if len(cand) >= 2 and _ENDS_WITH_HEAD_RE.search(cand):
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
        if label == "ORG" and _ENDS_WITH_HEAD_RE.search(span_text) and not _PLACE_TAIL_RE.search(span_text):
            add(_clean_org(span_text), s)
    # clause-initial names ending in an organization head (`1月1日，市一医医共体东城分院举办…`)
    for m in re.finditer(f"(?:^|[，。；：\n])([{CJK}（）]{{2,24}}?(?:{_ORG_HEAD_RE}))"
                         r"(?=举办|举行|召开|主办|承办|组织|开展|发布|印发|通报|联合|在|于|对|与|和|、|，|。)", text):
        s = m.start(1)
        name = m.group(1)
        left = _left_extent(text, m.end(1))
        name = text[max(s, left) : m.end(1)]
        name = re.sub(r"^.*?(?:日|月|年)(?:上午|下午|晚上|晚)?", "", name) if re.search(r"\d|日", name) else name
        add(_clean_org(name), m.end(1) - len(name))
    found = _longest_spans(found)
    found = _longest_spans(found + _list_siblings(text, found))
    return _drop_shadowed(text, found)


def _drop_shadowed(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """`全国人大常委会` is written once as `十四届全国人大常委会`; `十三届全国人大五次会议` is a session, not a body."""
    names = {o.name for o in found}
    out = []
    for o in found:
        if any(n != o.name and n.endswith(o.name) and _ORDINAL_PREFIX_RE.fullmatch(n[: -len(o.name)])
               for n in names):
            continue
        if re.match(r"[〇一二三四五六七八九十]+次(?:会议|全体会议)", text[o.end : o.end + 8]) and o.name.endswith(("人大", "政协")):
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
                extra.append(OrgMention(name, start, start + len(item)))
            pos = start + len(item)
    for o in found:
        pos = o.end
        while pos < len(text) and text[pos] == "、":
            m = _LIST_ORG_ITEM_RE.match(text, pos + 1)
            if not m:
                break
            name = _clean_org(m.group(0))
            if name is None:
                break
            extra.append(OrgMention(name, m.start(), m.end()))
            pos = m.end()
    return extra


def _strip_group(org: str) -> str:
    """`招商银行杭州分行专项债券专家组` → `招商银行杭州分行`: ad-hoc groups inside an institution are not bodies."""
    m = re.search(r"(?:组|小组)$", org)
    if m and not org.endswith("中心组"):
        inner = list(re.finditer(f"(?:{_ORG_HEAD_RE})", org[: m.start()]))
        strong = [x for x in inner if x.group(0) not in ("组", "专家组", "工作组")]
        if strong:
            return org[: strong[-1].end()]
    return org


def _longest_spans(found: list[OrgMention]) -> list[OrgMention]:
    """Drop mentions nested inside a longer mention at the same place; keep order of appearance."""
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    out: list[OrgMention] = []
    for o in found:
        if any(k.start <= o.start and o.end <= k.end and (k.start, k.end) != (o.start, o.end) for k in out):
            continue
        if any((k.start, k.end) == (o.start, o.end) for k in out):
            continue
        out.append(o)
    return out


def _find_places(text: str, ner_spans: list[tuple[str, str, int, int]]) -> list[tuple[str, int, int]]:
    places = [(t, s, e) for t, label, s, e in ner_spans if label == "LOC"]
    for m in _PROVINCE_RE.finditer(text):
        places.append((m.group(0), m.start(), m.end()))
    return sorted(set(places), key=lambda p: p[1])
