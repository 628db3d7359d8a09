"""OCR page layout: repair a newspaper page's text, then split it into articles with titles and bylines.

A scanned city-daily page comes out of OCR as narrow column lines, often with a blank line between every
line, letter-spaced characters (`企 业 负 责 人`), several articles run together, headlines standing before
or after their article, and bylines or photo credits glued to the text. Two steps undo that:

- `repair(text)` closes up the spacing and joins lines broken mid-sentence, keeping one line per paragraph
  and one line per headline;
- `split_page(page)` cuts the repaired page into `PageArticle`s (text, title, reporters, offsets).

The rules are about typesetting, not about any one page:
- a body line that does not end a sentence was wrapped, so it is as wide as its column; a line clearly
  narrower than the column that ends without sentence punctuation is a headline (or a byline), never a
  wrapped body line;
- headlines carry no sentence punctuation (，。；！？), do not open with a bracket or end with a colon, and
  are not datelines (a dateline such as `2022年1月3日 星期一` is page furniture and belongs to no article);
- an article starts at a headline, a lead byline (`本报讯（记者 X）`, `新华社北京1月1日电（记者 X）`) or a
  continuation marker (`（紧接1版）`); a photo credit (`记者 X 通讯员 Y 摄`), `（下转2版）` or `（完）`
  ends one;
- a headline block normally belongs to the article after it; it belongs to the untitled article before it
  when nothing but a continuation or the end of the page follows (a continued article's headline is on
  the other page), and a photo caption's title is the first headline line after its credit.

Example:
    >>> repair("企 业 负 责 人 以 及 中 高 层 管 理 人 员")
    '企业负责人以及中高层管理人员'
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

# --- constants ---------------------------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han characters plus CJK punctuation, full-width forms and the curly quotes/dashes Chinese text uses.
CJK = HAN + "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
SPACES = re.compile(r"[ \t\u3000\u00a0]+")

SENTENCE_END = "。！？!?…；;"  # a line ending with one of these (before closing quotes) ends a paragraph
CLOSERS = "”’」』）)》】\"'"
SENTENCE_PUNCT = set("，。；！？,;!?")  # headlines carry none of these

SHORT_RATIO = 0.75  # a line narrower than this share of the column width is not a wrapped body line
HEADLINE_MAX_WIDTH = 32  # wider than this is body text, however it is punctuated
HEADLINE_MIN_HAN = 4  # fewer Han characters (besides a date) and it is a dateline or a stray fragment
OPENERS = "（(“「『《【"  # a line opening with a bracket is a note, not a headline
DATELINE = re.compile(r"^[\d\s年月日时分秒:：/.-]+")
# what may follow a date on a line of page furniture: a source, a weekday, a page number, a short site name
DATELINE_REST = re.compile(
    r"(?:(?:来源|稿源)[:：]?\s*\S{1,16}|星期[一二三四五六日天]|第[0-9一二三四五六七八九十]{1,3}版|[^\s，。]{0,4})"
)
MIN_WRAPPED_SHARE = 1 / 3  # below this share of unfinished lines the text is not hard-wrapped
MAX_BYLINE_CHARS = 60  # a byline (roles and a few names) is never longer

_PAREN = r"[（(][^（）()]{1,40}[）)]"
LEAD_SOURCE = re.compile(
    r"(?:本报[^\s，。；（）()]{0,10}?讯"  # 本报讯, 本报北京1月1日讯
    r"|[^\s，。；（）()]{1,10}?(?:日报|晚报|时报|融媒)讯"  # 南溪日报讯
    r"|(?:新华社|中新社|新华网|人民网|央视网)[^\s，。；（）()]{0,12}?电"  # 新华社北京1月1日电
    r")"
    rf"\s*(?P<paren>{_PAREN})?"
)
LEAD_PAREN = re.compile(r"[（(](?P<inner>[^（）()]{1,40})[）)]")
CONTINUED_FROM = re.compile(r"[（(](?:紧接|上接|接)第?[0-9一二三四五六七八九十]{1,3}版[）)]")
# `（下转2版）` or `（完）` closes the article's text on this page
CLOSING_MARK = re.compile(r"[（(](?:(?:下转|转至|转)第?[0-9一二三四五六七八九十]{1,3}版|完|全文完)[）)]\s*$")

ROLE = re.compile(
    r"(?:(?:本报|新华社|融媒|首席|特约|见习|实习|摄影|文字)*(?:记者|通讯员)"
    r"|实习生|摄影|摄像|报道|摄|(?:文图|文|图)\s*[/／])"
)
ROLE_HINTS = ("记者", "通讯员", "实习生", "摄", "报道", "/", "／")  # cheap test before the ROLE regex
SUFFIX_ROLES = {"摄", "摄影", "报道"}  # roles that may stand after the names: `张三 摄`
NAME = re.compile(rf"[{HAN}]{{2,4}}(?:·[{HAN}]{{1,6}})?")
NAME_SEPARATORS = re.compile(r"[\s、，,;；]+")


@dataclass
class PageArticle:
    """One article cut from a page; `page[start:end] == text` (bylines and headlines are outside)."""

    text: str
    title: str | None
    reporters: list[str]
    start: int
    end: int
    subtitles: list[str] = field(default_factory=list)  # the other lines of its headline block


# --- small text helpers ------------------------------------------------------------------------------


def _width(text: str) -> float:
    """Printed width in em: wide (CJK) characters count 1, others (Latin, digits, spaces) 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _is_han(char: str) -> bool:
    return bool(re.match(f"[{HAN}]", char))


def _is_cjk(char: str) -> bool:
    return bool(re.match(f"[{CJK}]", char))


def _han_count(token: str) -> int:
    return len(re.findall(f"[{HAN}]", token))


def _close_up(line: str, keep_word_gaps: bool) -> str:
    """Remove spaces inside Chinese text (and between letter-spaced digits); keep spaces between Latin words.

    With `keep_word_gaps` (a byline line), a space between two words of two or more Han characters stays:
    it separates names (`记者 杨成栋 通讯员 胡佳佳`).
    """
    tokens = SPACES.split(line.strip())
    out = [tokens[0]]
    for left, right in itertools.pairwise(tokens):
        a, b = left[-1], right[0]
        if keep_word_gaps and _is_han(a) and _is_han(b) and _han_count(left) >= 2 and _han_count(right) >= 2:
            out.append(" ")
        elif (
            not _is_cjk(a)
            and not _is_cjk(b)
            and not (len(left) == len(right) == 1 and a.isdigit() and b.isdigit())
        ):
            out.append(" ")
        out.append(right)
    return "".join(out)


def _ends_sentence(line: str) -> bool:
    core = line.rstrip().rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def _headline_like(line: str) -> bool:
    """Could be a headline line: short, free of sentence punctuation (、：“”《》—— are fine), not a note,
    not a dateline, not a lead-in ending with a colon."""
    line = line.strip()
    return (
        bool(line)
        and _width(line) <= HEADLINE_MAX_WIDTH
        and not any(c in SENTENCE_PUNCT for c in line)
        and not _ends_sentence(line)
        and line[0] not in OPENERS
        and line[-1] not in "：:"
        and _han_count(DATELINE.sub("", line)) >= HEADLINE_MIN_HAN
    )


def _furniture(line: str) -> bool:
    """A dateline such as `2014-04-18 10:24`, `2022年1月3日 星期一` or `2014年03月19日 来源：某报`."""
    date = DATELINE.match(line.strip())
    if date is None or sum(c.isdigit() for c in date.group(0)) < 4:
        return False
    return DATELINE_REST.fullmatch(line.strip()[date.end() :].strip()) is not None


# --- bylines -----------------------------------------------------------------------------------------


def _split_names(chunk: str) -> list[str] | None:
    """`杨成栋 胡佳佳` → two names; None when something in `chunk` is not a name."""
    names: list[str] = []
    for word in NAME_SEPARATORS.split(chunk.strip()):
        if not word:
            continue
        if NAME.fullmatch(word):
            names.append(word)
        elif len(word) == 6 and NAME.fullmatch(word[:3]) and NAME.fullmatch(word[3:]):
            names += [word[:3], word[3:]]  # two three-character names run together
        else:
            return None
    return names


def _byline_names(text: str) -> list[str] | None:
    """Names in a byline body made only of roles and names (`融媒记者 杨成栋 通讯员 胡佳佳 摄`), else None."""
    if len(text) > MAX_BYLINE_CHARS or not any(hint in text for hint in ROLE_HINTS):
        return None
    roles = [m.group(0).strip() for m in ROLE.finditer(text)]
    if not roles:
        return None
    chunks = ROLE.split(text)
    if chunks[0].strip() and roles[0] not in SUFFIX_ROLES:
        return None
    names: list[str] = []
    for chunk in chunks:
        found = _split_names(chunk)
        if found is None:
            return None
        names += found
    return names or None


def _lead(line: str) -> tuple[int, list[str]] | None:
    """A byline opening `line`: (offset where the article text begins, reporter names)."""
    source = LEAD_SOURCE.match(line)
    if source:
        paren = source.group("paren")
        return source.end(), (_byline_names(paren[1:-1]) or []) if paren else []
    paren = LEAD_PAREN.match(line)
    inner = _byline_names(paren.group("inner")) if paren else None
    if paren and inner:
        return paren.end(), inner
    whole = _byline_names(line)
    if whole and ROLE.match(line.strip()):
        return len(line), whole  # a whole line such as `本报记者 张三 报道`
    return None


def _credit(line: str) -> tuple[int, list[str], bool] | None:
    """A byline or photo credit closing `line`: (offset where it starts, names, is a photo credit)."""
    cut = max(line.rfind(c) for c in "。！？!?")
    start = cut + 1
    while start < len(line) and line[start] in CLOSERS + " ":
        start += 1
    tail = line[start:].strip()
    if not tail:
        return None
    inner = tail[1:-1] if tail[0] in "（(" and tail[-1] in "）)" else tail
    names = _byline_names(inner)
    if names is None:
        return None
    return start, names, inner.rstrip().endswith(("摄", "摄影"))


def _continued_from(line: str) -> int | None:
    m = CONTINUED_FROM.match(line)
    return m.end() if m else None


def _ends_paragraph(line: str) -> bool:
    """True when nothing of this paragraph can follow on the next line."""
    if _ends_sentence(line) or CLOSING_MARK.search(line) or _credit(line):
        return True
    lead = _lead(line)
    return lead is not None and not line[lead[0] :].strip()


def _starts_paragraph(line: str) -> bool:
    return _lead(line) is not None or _continued_from(line) is not None


# --- repair ------------------------------------------------------------------------------------------


def _column_width(lines: list[str], unfinished: list[bool]) -> float:
    """The usual width of a wrapped body line (a line that stops mid-sentence and holds punctuation)."""
    body = [_width(s) for s, u in zip(lines, unfinished, strict=True) if u and any(c in "，、" for c in s)]
    widths = body or [_width(s) for s, u in zip(lines, unfinished, strict=True) if u]
    return statistics.median(widths) if widths else 0.0


def _standalone(lines: list[str], unfinished: list[bool], starts: list[bool], column: float) -> list[bool]:
    """Lines that must stay on their own: bylines alone on a line, headlines."""
    alone = [False] * len(lines)
    for i, line in enumerate(lines):
        lead = _lead(line)
        if lead is not None and not line[lead[0] :].strip():
            alone[i] = True
        elif unfinished[i] and _width(line) < SHORT_RATIO * column:
            alone[i] = True  # too narrow to be a wrapped body line
    # A headline block may hold lines as wide as the column (a long main headline): walk back from each
    # narrow headline over punctuation-free lines that follow a paragraph end.
    for i in range(len(lines)):
        if not alone[i] or not _headline_like(lines[i]):
            continue
        j = i - 1
        while j >= 0 and not alone[j] and unfinished[j] and _headline_like(lines[j]) and not starts[j]:
            j -= 1
        if j < 0 or alone[j] or not unfinished[j]:
            for k in range(j + 1, i):
                alone[k] = True
    return alone


def _glue(left: str, right: str) -> str:
    """Join a wrapped line to its continuation (a space only between two Latin words)."""
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def repair(text: str) -> str:
    """Close up letter-spacing, join lines broken mid-sentence, keep paragraph and headline breaks.

    The result holds one paragraph (or headline, or byline) per line, without blank lines.

    >>> repair("2021 年 12 月 31 日上午，南溪市委\\n\\n召开全会。\\n\\n会议指出，要抓好落实\\n\\n工作。")
    '2021年12月31日上午，南溪市委召开全会。\\n会议指出，要抓好落实工作。'
    """
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw.strip():
            lines.append(_close_up(raw, keep_word_gaps=ROLE.search(raw) is not None))
    if not lines:
        return ""
    unfinished = [not _ends_paragraph(line) for line in lines]
    wrapped = sum(unfinished) >= 2 and sum(unfinished) >= MIN_WRAPPED_SHARE * len(lines)
    if not wrapped:
        return "\n".join(lines)
    starts = [_starts_paragraph(line) for line in lines]
    alone = _standalone(lines, unfinished, starts, _column_width(lines, unfinished))
    out = [lines[0]]
    for i in range(1, len(lines)):
        joins = unfinished[i - 1] and not alone[i - 1] and not alone[i] and not starts[i]
        if joins:
            out[-1] = _glue(out[-1], lines[i])
        else:
            out.append(lines[i])
    return "\n".join(out)


# --- splitting ---------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """A run of body lines that forms one article, before headlines are assigned."""

    start: int = -1
    end: int = -1
    reporters: list[str] = field(default_factory=list)
    continued: bool = False  # began with a continuation marker (its headline is on another page)
    credited: bool = False  # ended with a photo credit (a caption)
    title: str | None = None
    subtitles: list[str] = field(default_factory=list)


@dataclass
class _LineParts:
    """Where the body text of one line stands, and what frames it."""

    begin: int
    end: int
    names: list[str]
    starts: bool = False  # a lead byline or continuation marker opens the line: a new article begins
    continued: bool = False  # that opener is a continuation marker
    closes: bool = False  # a credit or a closing mark ends the line: the article ends here
    photo: bool = False  # the closing credit is a photo credit


def _line_parts(line: str) -> _LineParts:
    """Cut one line into opener, body and closer."""
    parts = _LineParts(0, len(line), [])
    lead = _lead(line)
    cont = _continued_from(line)
    if lead is not None:
        parts.begin, parts.names, parts.starts = lead[0], list(lead[1]), True
    elif cont is not None:
        parts.begin, parts.starts, parts.continued = cont, True, True
    to = CLOSING_MARK.search(line, parts.begin)
    if to:
        parts.end, parts.closes = to.start(), True
    credit = _credit(line[parts.begin : parts.end])
    if credit is not None:
        parts.end, parts.closes, parts.photo = parts.begin + credit[0], True, credit[2]
        parts.names += credit[1]
    while parts.begin < parts.end and line[parts.begin].isspace():
        parts.begin += 1
    while parts.end > parts.begin and line[parts.end - 1].isspace():
        parts.end -= 1
    return parts


def _items(page: str) -> list[_Segment | list[str]]:
    """The page as a sequence of article segments and headline blocks (lists of lines), in page order."""
    items: list[_Segment | list[str]] = []
    current: _Segment | None = None
    for m in re.finditer(r"[^\n]+", page):
        line = m.group(0)
        if _furniture(line):
            continue  # page furniture belongs to no article
        parts = _line_parts(line)
        if not (parts.starts or parts.closes) and _headline_like(line.strip()):
            current = None
            last = items[-1] if items else None
            if isinstance(last, list):
                last.append(line.strip())
            else:
                items.append([line.strip()])
            continue
        if current is None or (parts.starts and current.start >= 0):
            current = _Segment(continued=parts.continued)
            items.append(current)
        current.reporters += parts.names
        if parts.end > parts.begin:
            if current.start < 0:
                current.start = m.start() + parts.begin
            current.end = m.start() + parts.end
        if parts.closes:
            current.credited = parts.photo
            current = None
    return items


def _set_title(segment: _Segment, block: list[str]) -> None:
    """The widest line of a headline block is the title; the others are subtitles."""
    if not block:
        return
    main = max(range(len(block)), key=lambda i: (_width(block[i]), -i))
    segment.title = block[main]
    segment.subtitles = [line for i, line in enumerate(block) if i != main]


def _assign_headlines(items: list[_Segment | list[str]]) -> None:
    """Give each headline block to the article before or after it (rules in the module docstring)."""
    for i, block in enumerate(items):
        if not isinstance(block, list):
            continue
        before = items[i - 1] if i > 0 else None
        after = items[i + 1] if i + 1 < len(items) else None
        prev = before if isinstance(before, _Segment) and before.title is None else None
        nxt = after if isinstance(after, _Segment) else None
        if prev is not None and (nxt is None or nxt.continued):
            _set_title(prev, block)  # its headline printed after it
        elif prev is not None and prev.credited and len(block) > 1:
            prev.title = block[0]  # a photo caption's title follows its credit
            if nxt is not None:
                _set_title(nxt, block[1:])
        elif nxt is not None:
            _set_title(nxt, block)


def split_page(text: str) -> list[PageArticle]:
    """Cut a repaired page into its articles, in page order.

    Each article's `text` is `text[start:end]`: its paragraphs without headline, byline, photo credit or
    continuation marker; its `title` is the main line of its headline block, `reporters` the names in its
    bylines and credits (reporters and photographers, not participants of what it reports).
    """
    items = _items(text)
    _assign_headlines(items)
    articles: list[PageArticle] = []
    for item in items:
        if isinstance(item, _Segment) and item.start < 0 and articles:
            articles[-1].reporters += [r for r in item.reporters if r not in articles[-1].reporters]
        if isinstance(item, _Segment) and item.start >= 0:
            reporters = list(dict.fromkeys(item.reporters))
            articles.append(
                PageArticle(
                    text=text[item.start : item.end],
                    title=item.title,
                    reporters=reporters,
                    start=item.start,
                    end=item.end,
                    subtitles=item.subtitles,
                )
            )
    return articles


def pull_bylines(text: str) -> tuple[str, list[str]]:
    """Strip a lead byline and a closing credit from one article's text; return (text, reporter names).

    >>> pull_bylines("本报讯（记者 王小明）南溪市委召开全会。")
    ('南溪市委召开全会。', ['王小明'])
    """
    body = text.strip()
    names: list[str] = []
    lead = _lead(body.split("\n", 1)[0])
    if lead is not None:
        body, names = body[lead[0] :].lstrip(), list(lead[1])
    last = body.rfind("\n") + 1
    credit = _credit(body[last:])
    if credit is not None:
        body, names = body[: last + credit[0]].rstrip(), names + credit[1]
    return body, list(dict.fromkeys(names))
