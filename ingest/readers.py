"""Reading inputs: files and folders in, `RawArticle`s out, one at a time.

`read_inputs(paths)` streams: a JSON Lines corpus is read line by line, so a file of any length costs the
memory of one line; pages (.txt, .html) and .json files are read whole. Folders are walked depth-first in
name order (hidden entries skipped), taking .txt, .jsonl, .json, .html and .htm files. Anything that cannot
be used (a missing or unreadable file, a binary or empty file, a broken JSON line, a line without text)
comes out as an `InputError` in the stream, and reading goes on with the next item. So does a page file
over `MAX_PAGE_BYTES` (it is refused before it is read) and a text with no word in it (only punctuation).

Encodings: UTF-8 (with or without BOM), UTF-16/UTF-32 with BOM, and legacy Chinese encodings (GB18030,
which covers GBK and GB2312; Big5 when charset-normalizer is sure of it). Control characters other than
newline and tab are dropped; U+FFFD (a character already lost upstream) is kept.

Example:
    >>> for item in read_inputs(["examples/nanxi-news.jsonl"]):  # doctest: +SKIP
    ...     print(item.id, item.date, item.title)
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, PageElement, ProcessingInstruction

from ingest.errors import InputError

# --- constants ---------------------------------------------------------------------------------------

SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")
SNIFF_BYTES = 1 << 16  # how much of a file is looked at for a BOM, NUL bytes or control characters
DETECT_BYTES = 1 << 18  # how much of a legacy-encoded file the encoding is guessed from
LINE_ENCODINGS = ("utf-8", "gb18030")
BOMS = (  # longest first: the UTF-32 LE mark starts like the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}
MIN_CJK_SHARE = 0.6  # share of CJK among the non-ASCII characters for a GB18030 reading to be believed
MAX_CONTROL_SHARE = 0.1  # more control bytes than this and it is not text
MAX_PAGE_BYTES = 2 << 20  # a newspaper page is some 10 KB: a .txt/.html file past 2 MiB is no page

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")  # \n and \t stay; \r is normalized first
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d"
CJK_GAP = re.compile(f"(?<=[{CJK}]) +(?=[{CJK}])")

HTML_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "head")
HTML_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td th thead tr ul".split()
)
HTML_DATE_META = {"date", "article:published_time", "pubdate", "publishdate", "og:published_time"}
ISO_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class RawArticle:
    """One input item as read: an article, or a whole page still to be repaired and split."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: dict[str, Any] | None = None
    origin: str = ""  # "path" or "path:LINE", for error messages
    # True for pages (.txt, HTML without <article>) that need layout repair and splitting
    is_page: bool = False


class _NotText(ValueError):
    """Raised by the decoding helpers; its message is the reason given in the InputError."""


# --- decoding ----------------------------------------------------------------------------------------


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _control_share(data: bytes) -> float:
    controls = sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\f")
    return controls / max(len(data), 1)


def _cjk_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    return sum(1 for c in wide if re.match(f"[{CJK}]", c)) / max(len(wide), 1)


def _sample(data: bytes) -> bytes:
    """The head of `data`, cut after a newline (never inside a multi-byte character) when it is long."""
    if len(data) <= DETECT_BYTES:
        return data
    cut = data.rfind(b"\n", 0, DETECT_BYTES)
    return data[: cut + 1] if cut > 0 else data[:DETECT_BYTES]


def _legacy_encoding(data: bytes) -> str:
    """The encoding of non-UTF-8 bytes: GB18030 for Chinese legacy text, else the detector's guess."""
    data = _sample(data)
    guess = charset_normalizer.from_bytes(data).best()
    name = codecs.lookup(guess.encoding).name if guess is not None else None
    if name in GB_FAMILY:
        return "gb18030"
    if name in BIG5_FAMILY:
        return name
    try:
        if _cjk_share(data.decode("gb18030")) >= MIN_CJK_SHARE:
            return "gb18030"
    except UnicodeDecodeError:
        pass
    if name is None:
        raise _NotText("binary file, not text")
    return name


def _decode(data: bytes) -> str:
    """Bytes of a whole file → text (raises _NotText with the reason)."""
    encoding = _bom_encoding(data[:4])
    if encoding is None:
        if b"\x00" in data or _control_share(data[:SNIFF_BYTES]) > MAX_CONTROL_SHARE:
            raise _NotText("binary file, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = _legacy_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise _NotText(f"not valid {encoding} text at byte {err.start}") from None
    return _clean(text)


def _no_words(text: str) -> bool:
    """True when `text` has no letter or digit: empty, blank, or only punctuation and symbols."""
    return not any(c.isalnum() for c in text)


def _clean(text: str) -> str:
    """Normalize line ends and drop control characters (newline and tab stay)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text) if CONTROL.search(text) else text


# --- one file of each kind ---------------------------------------------------------------------------


def _reason(err: OSError) -> str:
    return f"cannot read: {(err.strerror or str(err)).lower()}"


def _read_text_file(path: Path) -> str:
    """A whole file as text (raises OSError or _NotText); empty files are refused."""
    data = path.read_bytes()
    if not data or data.isspace():
        raise _NotText("empty")
    text = _decode(data)
    if not text or text.isspace():
        raise _NotText("empty")
    if _no_words(text):
        raise _NotText("no words, only punctuation or symbols")
    return text


def _article(obj: Any, origin: str, fallback_id: str) -> RawArticle | InputError:
    """A corpus object `{"id", "date", "title", "text", "source", …}` → RawArticle."""
    if not isinstance(obj, dict):
        return InputError(origin, "not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(origin, "no 'text'")
    if _no_words(text):
        return InputError(origin, "no words in 'text', only punctuation or symbols")
    raw_id = obj.get("id")
    ident = "" if raw_id is None else str(raw_id).strip()
    title, date, source = obj.get("title"), obj.get("date"), obj.get("source")
    return RawArticle(
        id=ident or fallback_id,
        text=_clean(text),
        title=(_clean(title).strip() or None) if isinstance(title, str) else None,
        date=(date.strip() or None) if isinstance(date, str) else None,
        source=source if isinstance(source, dict) else None,
        origin=origin,
    )


def _decode_line(data: bytes) -> str:
    """One line of a JSON Lines file: UTF-8, else GB18030 (a legacy line in a UTF-8 file is still read)."""
    for encoding in LINE_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _NotText("not valid UTF-8 or GB18030 text")


def _numbered_lines(path: Path, head: bytes) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) for each line, streamed; a line that does not decode gives an InputError."""
    encoding = _bom_encoding(head[:4])
    if encoding in ("utf-16", "utf-32"):  # newlines are not single bytes here: decode as a text stream
        with path.open(encoding=encoding, newline=None) as stream:
            number = 0
            try:
                for number, line in enumerate(stream, 1):  # noqa: B007 (number is used below)
                    yield number, line
            except UnicodeDecodeError as err:
                yield (
                    number + 1,
                    InputError(f"{path}:{number + 1}", f"not valid {encoding} text: {err.reason}"),
                )
        return
    with path.open("rb") as raw:
        for number, data in enumerate(raw, 1):
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            try:
                yield number, _decode_line(data)
            except _NotText as err:
                yield number, InputError(f"{path}:{number}", str(err))


def _read_jsonl(path: Path) -> Iterator[RawArticle | InputError]:
    """One article per line, streamed; blank lines are skipped."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if _bom_encoding(head[:4]) is None and b"\x00" in head:
        yield InputError(str(path), "binary file, not text")
        return
    seen_any = False
    for number, line in _numbered_lines(path, head):
        if isinstance(line, InputError):
            seen_any = True
            yield line
            continue
        if not line.strip():
            continue
        seen_any = True
        origin = f"{path}:{number}"
        try:
            obj = json.loads(line.rstrip("\r\n"), strict=False)  # raw control characters are cleaned below
        except json.JSONDecodeError as err:
            yield InputError(origin, f"not valid JSON: {err.msg} (column {err.colno})")
            continue
        yield _article(obj, origin, f"{path.stem}-{number}")
    if not seen_any:
        yield InputError(str(path), "empty")


def _read_json(path: Path) -> Iterator[RawArticle | InputError]:
    """A .json file: one article object, a list of them, or `{"articles": [...]}`."""
    try:
        data = json.loads(_read_text_file(path))
    except json.JSONDecodeError as err:
        yield InputError(str(path), f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield _article(data, str(path), path.stem)
    elif isinstance(data, list):
        for number, obj in enumerate(data, 1):
            yield _article(obj, f"{path}:{number}", f"{path.stem}-{number}")
    else:
        yield InputError(str(path), "not an article object or a list of them")


def _iso_day(value: str | None) -> str | None:
    m = ISO_DAY.search(value or "")
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


def _html_date(soup: BeautifulSoup) -> str | None:
    for meta in soup.find_all("meta"):
        key = str(meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in HTML_DATE_META and (day := _iso_day(str(meta.get("content") or ""))):
            return day
    for time in soup.find_all("time"):
        if day := _iso_day(str(time.get("datetime") or "")):
            return day
    return None


def _html_text(root: Tag) -> str:
    """Visible text of `root`, one line per block element or <br>; source line breaks are not breaks."""
    parts: list[str] = []
    stack: list[PageElement | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a break marker pushed below
        elif isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        elif isinstance(node, NavigableString):
            parts.append(re.sub(r"\s+", " ", str(node)))
        elif not isinstance(node, Tag):
            continue
        elif node.name == "br":
            parts.append("\n")
        else:
            block = node.name in HTML_BLOCKS
            if block:
                parts.append("\n")
                stack.append("\n")
            stack.extend(reversed(list(node.children)))
    lines = (CJK_GAP.sub("", line.strip()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _read_html(path: Path) -> RawArticle | InputError:
    """An HTML file, parsed locally (nothing is fetched): title, date and the text of <article> or <body>."""
    soup = BeautifulSoup(_read_text_file(path), "html.parser")
    title_tag = soup.find("title")
    title = re.sub(r"\s+", " ", title_tag.get_text()).strip() if title_tag else ""
    date = _html_date(soup)
    for tag in soup.find_all(list(HTML_DROP)):
        tag.decompose()
    article = soup.find("article")
    root = article if isinstance(article, Tag) else (soup.find("body") or soup)
    assert isinstance(root, Tag)
    text = _clean(_html_text(root))
    if not text.strip():
        return InputError(str(path), "empty")
    if _no_words(text):
        return InputError(str(path), "no words, only punctuation or symbols")
    return RawArticle(
        id=path.stem,
        text=text,
        title=title or None,
        date=date,
        source={"path": str(path)},
        origin=str(path),
        is_page=article is None,
    )


def _read_file(path: Path) -> Iterator[RawArticle | InputError]:
    """Every item of one file; problems with the file come out as InputErrors."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputError(
            str(path), f"unsupported file type {suffix or '(none)'}; expected {', '.join(SUFFIXES)}"
        )
        return
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield InputError(str(path), "not a regular file")
        elif suffix in (".txt", ".html", ".htm") and info.st_size > MAX_PAGE_BYTES:
            size, limit = info.st_size / 2**20, MAX_PAGE_BYTES / 2**20
            yield InputError(
                str(path),
                f"too large for one page ({size:.1f} MiB, the limit is {limit:.0f} "
                "MiB): split it into articles, e.g. one JSON line each",
            )
        elif suffix == ".jsonl":
            yield from _read_jsonl(path)
        elif suffix == ".json":
            yield from _read_json(path)
        elif suffix in (".html", ".htm"):
            yield _read_html(path)
        else:
            text = _read_text_file(path)
            yield RawArticle(
                id=path.stem, text=text, source={"path": str(path)}, origin=str(path), is_page=True
            )
    except OSError as err:
        yield InputError(str(path), _reason(err))
    except _NotText as err:
        yield InputError(str(path), str(err))


# --- walking folders ---------------------------------------------------------------------------------


def _walk(folder: Path, seen: set[Path]) -> Iterator[Path | InputError]:
    """Input files under `folder`, depth-first in name order; symlinked folders are visited once."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        yield InputError(str(folder), _reason(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                yield from _walk(path, seen)
        elif path.suffix.lower() in SUFFIXES:
            yield path


def read_inputs(paths: Iterable[str | Path]) -> Iterator[RawArticle | InputError]:
    """Every article in `paths` (files or folders), in order, with an InputError for each unusable item.

    >>> items = list(read_inputs(["missing.txt"]))
    >>> str(items[0])
    'missing.txt: cannot read: no such file or directory'
    """
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield from _read_file(path)
            continue
        found = False
        for item in _walk(path, {path.resolve()}):
            found = True
            yield from (_read_file(item) if isinstance(item, Path) else [item])
        if not found:
            yield InputError(str(path), f"no input files in folder (looked for {', '.join(SUFFIXES)})")
