"""Entity resolution: written names → resolution keys, so that every article names the same body the same way.

Deterministic and independent of ingest order: a key depends only on the written name and the article's
`locale`, never on what other articles said. Node ids are `stable_id(kind, *key)`.

Organizations
    - national bodies resolve to one canonical name everywhere (党中央 == 中共中央, 十四届全国人大常委会 ==
      全国人大常委会; see `NATIONAL_BODIES`);
    - the 中共 / 中国共产党 prefix is dropped (中共永康市委 == 永康市委; 中共永康市委员会 == 永康市委);
    - context abbreviations take the locale: 市委 → 永康市委, 市委理论学习中心组 → 永康市委理论学习中心组,
      市场监管局 → 永康市市场监管局; 省委 → 浙江省委 only when the locale names the province. An
      abbreviation the locale cannot resolve stays as written (one shared, ambiguous node per written form).
Places
    我市 / 本市 / 全市 → the locale's city (dropped when there is no locale); a trailing 市 or 省 is not
    part of the key (永康 == 永康市, 浙江 == 浙江省).
Posts
    key = (resolved organization, rank): 市委书记 on a 永康 page and 永康市委书记 elsewhere are one post.
People (the rule for namesakes)
    key = the name, qualified by a place only when the article gives the person a post in a local body
    (市委, 县政府, 浙江省委…): then the key is (name, place of that post), where the place is the one of the
    last such post in the person's first title chain that has one (chains run from higher to lower posts:
    浙江省委常委、杭州市委书记 → 杭州市). So two 王伟 who are mayors of different cities are two nodes, a
    national leader is one node everywhere, and a person named without any local post is the bare-name
    node. Known cost: an official named once with his local post and once bare gives two nodes with the
    same `name` (queries look people up by name, so they see both).

Example:
    >>> loc = Locale.parse("永康")
    >>> resolve_org("市委", loc).name, resolve_org("中共永康市委", loc).key
    ('永康市委', '永康市委')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import normalize_key
from ingest.records import PostRef

# --- constants ---------------------------------------------------------------------------------------

# canonical name: other written forms (中共 / term prefixes are stripped before the lookup as well)
NATIONAL_BODIES: dict[str, tuple[str, ...]] = {
    "中共中央": ("党中央", "中国共产党中央委员会", "中共中央委员会"),
    "中共中央政治局": ("中央政治局",),
    "中共中央政治局常委会": ("中央政治局常委会", "中共中央政治局常务委员会", "中央政治局常务委员会"),
    "中共中央书记处": ("中央书记处",),
    "中央军委": ("中央军事委员会", "中共中央军事委员会", "中共中央军委", "中华人民共和国中央军事委员会"),
    "中央纪委": ("中共中央纪律检查委员会", "中央纪律检查委员会", "中纪委"),
    "国家监委": ("国家监察委员会", "中华人民共和国国家监察委员会"),
    "中央组织部": ("中共中央组织部", "中组部"),
    "中央宣传部": ("中共中央宣传部", "中宣部"),
    "中央统战部": ("中共中央统一战线工作部", "中央统一战线工作部"),
    "中央政法委": ("中共中央政法委员会", "中央政法委员会"),
    "中央办公厅": ("中共中央办公厅", "中办"),
    "中央网信办": ("中央网络安全和信息化委员会办公室", "中共中央网络安全和信息化委员会办公室"),
    "国务院": ("中华人民共和国国务院", "中央人民政府"),
    "国务院办公厅": ("国办",),
    "全国人大": ("全国人民代表大会", "中华人民共和国全国人民代表大会"),
    "全国人大常委会": ("全国人民代表大会常务委员会",),
    "全国政协": ("中国人民政治协商会议全国委员会",),
    "全国政协常委会": ("全国政协常务委员会",),
    "最高人民法院": ("最高法",),
    "最高人民检察院": ("最高检",),
    "外交部": ("中华人民共和国外交部",),
    "国家发展改革委": ("国家发展和改革委员会", "国家发改委"),
    "财政部": ("中华人民共和国财政部",),
    "住建部": ("住房和城乡建设部", "住房城乡建设部"),
    "工业和信息化部": ("工信部",),
    "人力资源社会保障部": ("人力资源和社会保障部", "人社部"),
    "国家卫生健康委": ("国家卫生健康委员会", "国家卫健委"),
    "中国人民银行": ("人民银行", "央行"),
    "共青团中央": ("团中央", "中国共产主义青年团中央委员会"),
    "全国总工会": ("中华全国总工会",),
    "全国妇联": ("中华全国妇女联合会",),
    "中国科学院": ("中科院",),
    "中国社会科学院": ("中国社科院",),
}
_NATIONAL: dict[str, str] = {
    normalize_key(form): canonical
    for canonical, forms in NATIONAL_BODIES.items()
    for form in (canonical, *forms)
}

PARTY_PREFIXES = ("中国共产党", "中共")
TERM_PREFIX = re.compile(r"^第?[一二三四五六七八九十]+届")
LOCAL_LEVELS = "市县区"  # levels a city/county locale can stand for (a bare locale is a city)
# words that start with a level character without being an abbreviation of "<place><level>…"
LEVEL_WORDS = ("市场", "市民", "市区", "区域", "县域", "县城")
DEICTIC = "我本全"  # 我市, 本市, 全市, 我省 … name the locale's place
# a place prefix of a body's name: 2-4 characters and a level (自治… may be longer)
PLACE_PREFIX = re.compile(r"^(?:[^\W\d_]{2,8}?自治(?:区|州|县)|[^\W\d_]{2,4}?[省市县区州盟旗])")
MAYOR_POST = re.compile(r"^(?P<place>.*?)(?P<rank>(?:常务)?[副代]?(?P<level>[省市县区州])长)$")


# --- small pure helpers ------------------------------------------------------------------------------
def clean(text: str | None) -> str:
    """No white space: OCR pages space out characters (`陈 晓 苏` → `陈晓苏`).

    The written form is kept otherwise (full-width `（园林）` stays), so names match the text they quote;
    resolution keys are normalized separately (`graph.model.normalize_key`, NFKC).
    """
    if not text:
        return ""
    return "".join(text.split())


@dataclass(frozen=True)
class Locale:
    """The place an article is about: `永康` / `永康市` / `浙江省永康市`.

    `base` is the bare name (永康), `level` the level character when written (市), `province` the province
    when the locale names one (浙江省).
    """

    base: str | None = None
    level: str | None = None
    province: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Locale:
        rest = clean(text)
        province = None
        m = re.match(r"^(.{2,8}?(?:省|自治区))", rest)
        if m:
            province, rest = m.group(1), rest[m.end() :]
        if len(rest) >= 3 and rest[-1] in LOCAL_LEVELS:
            return cls(rest[:-1], rest[-1], province)
        return cls(rest or None, None, province)

    @property
    def place(self) -> str | None:
        """The locale's full place name: 永康 → 永康市 (a city unless the locale says otherwise)."""
        if self.base:
            return self.base + (self.level or "市")
        return self.province

    def expand(self, level: str) -> str | None:
        """`<place><level>` for a context abbreviation starting with `level`, or None when unknown."""
        if level == "省":
            return self.province
        if self.base and (self.level == level or (self.level is None and level == "市")):
            return self.base + level
        return None  # 区委 on a city page, or no locale: ambiguous


@dataclass(frozen=True)
class Resolved:
    """A resolved name: the node's display name and its resolution key."""

    kind: str  # Organization | Place
    name: str
    key: str
    written: str


@dataclass(frozen=True)
class ResolvedPost:
    name: str  # full post with the organization resolved: 永康市委书记
    rank: str  # 书记
    organization: Resolved | None
    key: tuple[str, str]  # (organization key or "", rank key)


def _deictic(name: str) -> bool:
    """我市, 本县, 全省 …: words that point at the locale instead of naming a place."""
    return len(name) == 2 and name[0] in DEICTIC and name[1] in LOCAL_LEVELS + "省"


def _place_key(name: str) -> str:
    if len(name) >= 3 and name[-1] in "市省":
        name = name[:-1]
    return normalize_key(name)


def resolve_place(name: str | None, locale: Locale) -> Resolved | None:
    """A place name → its node; 我市 and the like take the locale (None when there is none).

    >>> resolve_place("我市", Locale.parse("永康")).name
    '永康市'
    """
    written = clean(name)
    if not written:
        return None
    if _deictic(written):
        full = locale.expand(written[1])
        if full is None:
            return None
        return Resolved("Place", full, _place_key(full), written)
    key = _place_key(written)
    if locale.base and key == normalize_key(locale.base) and locale.place:
        return Resolved("Place", locale.place, key, written)
    if locale.province and key == _place_key(locale.province):
        return Resolved("Place", locale.province, key, written)
    return Resolved("Place", written, key, written)


def _strip_party(name: str) -> tuple[str, bool]:
    for prefix in PARTY_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix) :], True
    return name, False


def _national(name: str) -> str | None:
    for candidate in (name, TERM_PREFIX.sub("", name)):
        hit = _NATIONAL.get(normalize_key(candidate))
        if hit:
            return hit
    return None


def resolve_org(name: str | None, locale: Locale) -> Resolved | None:
    """An organization name → its node (a deictic like 我市 becomes a Place). None for an empty name.

    >>> [resolve_org(n, Locale.parse("永康")).name for n in ("市政府", "党中央", "中共永康市委员会")]
    ['永康市政府', '中共中央', '永康市委']
    """
    written = clean(name)
    if not written:
        return None
    if _deictic(written):
        return resolve_place(written, locale)
    national = _national(written)
    if national:
        return Resolved("Organization", national, normalize_key(national), written)
    resolved, had_party = _strip_party(written)
    national = _national(resolved)
    if national:
        return Resolved("Organization", national, normalize_key(national), written)
    if (
        had_party
        and resolved.endswith("委员会")
        and len(resolved) > 4
        and resolved[-4] in LOCAL_LEVELS + "省"
    ):
        resolved = resolved[:-2]  # 永康市委员会 → 永康市委
    level = resolved[0]
    if level in LOCAL_LEVELS + "省" and len(resolved) >= 2:
        full = locale.expand(level)
        if full is not None:
            resolved = full + resolved if resolved.startswith(LEVEL_WORDS) else full + resolved[1:]
    return Resolved("Organization", resolved, normalize_key(resolved), written)


def place_of_org(name: str) -> str | None:
    """The most local jurisdiction a body's name starts with: 杭州市西湖区委 → 杭州市西湖区; None if none.

    >>> place_of_org("浙江省委"), place_of_org("招商银行杭州分行"), place_of_org("国务院")
    ('浙江省', None, None)
    """
    place, rest = "", name
    while True:
        m = PLACE_PREFIX.match(rest)
        if not m or len(m.group(0)) == len(rest):
            break
        place, rest = place + m.group(0), rest[m.end() :]
    return place or None


def resolve_post(post: PostRef, locale: Locale) -> ResolvedPost | None:
    """A post of a title chain → its node: PostRef(市委副书记, 市委, 副书记) on a 永康 page → 永康市委副书记.

    A mayor-like rank without an organization (代市长) belongs to the government of its level (市政府).
    """
    title = clean(post.title)
    org_written = clean(post.organization)
    if not title:
        return None
    rank = clean(post.role)
    inferred = False
    if not org_written:
        m = MAYOR_POST.match(title)
        if m:
            org_written, rank, inferred = m["place"] + m["level"] + "政府", rank or m["rank"], True
    if not rank:
        rank = title[len(org_written) :] if org_written and title.startswith(org_written) else title
    org = resolve_org(org_written, locale) if org_written else None
    if org is not None and org.kind != "Organization":
        org = None
    if org is None:
        return ResolvedPost(title, rank, None, ("", normalize_key(rank)))
    if title.startswith(org_written) and not inferred:
        name = org.name + title[len(org_written) :]
    elif org.name.endswith("政府") and MAYOR_POST.match(rank):
        place = org.name[: -len("政府")]  # 永康市政府 + 代市长 → 永康市代市长; 市政府 + 市长 → 市长
        name = rank if len(place) <= 1 else place + rank
    else:
        name = org.name + rank
    return ResolvedPost(name, rank, org, (org.key, normalize_key(rank)))


def person_key(name: str, chains: list[list[ResolvedPost]]) -> tuple[str, ...]:
    """A person's resolution key from the title chains one article gives them, in text order.

    The place is the one of the last placed post of the first chain that has one (module docstring).

    >>> org = Resolved("Organization", "永康市委", "永康市委", "市委")
    >>> person_key("章旭升", [[], [ResolvedPost("永康市委书记", "书记", org, ("永康市委", "书记"))]])
    ('章旭升', '永康市')
    >>> person_key("习近平", [])
    ('习近平',)
    """
    for chain in chains:
        places = [place_of_org(post.organization.name) for post in chain if post.organization]
        placed = [p for p in places if p]
        if placed:
            return (clean(name), placed[-1])
    return (clean(name),)
