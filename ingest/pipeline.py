"""The extraction pipeline: one input article (or newspaper page) in, extraction records out.

Stages, in order: layout repair and page splitting (pages only) → entities (rules + the CRF when installed)
→ times → events → goals and targets → the record. Each stage is its own module; this one only calls them.

Example:
    >>> recs = extract_text("demo", "2024年3月5日上午，南溪市委召开常委会会议。林建国主持会议。")  # doctest: +SKIP
    >>> recs[0].events[0].type  # doctest: +SKIP
    'meeting'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass

from ingest import layout, times
from ingest.entities import Entities, find_entities, reporters_in
from ingest.errors import InputError
from ingest.events import find_events
from ingest.goals import find_goals, find_targets
from ingest.readers import RawArticle
from ingest.records import EXTRACTOR_VERSION, Record

# --- constants -------------------------------------------------------------------------------------
# The corpus's longest article has 13k characters; past this some stages slow down more than linearly
# (a page whose split failed can give one "article" of a million characters: minutes of work, no facts).
MAX_ARTICLE_CHARS = 100_000
_ANONYMISED = re.compile(r"某")
_CITY_RE = re.compile(r"([\u3400-\u9fff]{2,3})(?:市委|市政府|市人民政府|市)(?![场民长级区县])")
LOCAL_UNITS = "市县区省"  # a place written with one of these is a local unit, a locale candidate
_LOCAL_RE = re.compile(r"我市|本市|我县|本县|我区|全市|市委|市政府")
_SOURCE_LINE = re.compile(r"^[^\n：:]{0,20}(?:消息|电)（[^）]{0,12}）[：:]")


# --- helpers ---------------------------------------------------------------------------------------
def content_hash(text: str, title: str | None = None, date: str | None = None) -> str:
    """What decides whether an article must be extracted again: its text, title, date and our version."""
    h = hashlib.sha256()
    for part in (EXTRACTOR_VERSION, title or "", date or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:32]


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _ner_spans(text: str) -> list[tuple[str, str, int, int]]:
    """CRF entity spans when the project's model is installed; otherwise none (rules only)."""
    from ingest.paths import ner_model_path

    if os.environ.get("DASHIJI_NO_NER") or not ner_model_path().is_file():
        return []
    from ingest import ner

    return [(e.text, e.label, e.start, e.end) for e in ner.tag(text)]


def _city_name(m: re.Match[str]) -> str | None:
    """The city of a `_CITY_RE` match, as the segmenter cuts the few characters around its 市: the pattern
    alone takes two or three characters before 市, and so read 共南溪 in 中共南溪市委, 开南溪 in 召开南溪市人民政府
    and 玉兰等 in 赵玉兰等市政府. None when no word of two or more characters ends at the 市 or holds it."""
    from ingest.segment import tokens

    at = m.end(1)  # where 市 is
    first = max(0, at - 6)
    words = [(w, first + s, first + e) for w, s, e in tokens(m.string[first : at + 3])]
    for w, s, e in words:
        whole = s > first or first == 0  # the window may cut its first word
        if e == at and whole and len(w) >= 2:  # 南溪 | 市委
            return w
        if whole and s < at < e and w.endswith("市") and e == at + 1 and len(w) >= 3:  # 南溪市 | 人民政府
            return w[:-1]
    return None


def guess_locale(text: str, ner_spans: list[tuple[str, str, int, int]]) -> str | None:
    """The city a local page is about, for `市委`/`我市`: the most frequent city name it writes. A place the
    recognizer finds counts only when it is written as a local unit (`南溪县`) or the page also writes it
    as a city (`永康` beside `永康市委`): the most frequent place of a national report (`中国`, `越南`) is no
    city, and would give `中国市` for its `中国` and `中国市委` for a `市委`. A name written once is enough
    when it is the page's only city and the page speaks of its own city (`市委`, `全市`...)."""
    names: Counter[str] = Counter(
        name
        for name in map(_city_name, _CITY_RE.finditer(text))
        if name and not name.startswith(("我", "全", "本", "各", "该", "省", "城"))
    )
    cities = set(names)
    for t, label, _s, _e in ner_spans:
        if label == "LOC" and 2 <= len(t) <= 3 and (t in cities or t[-1] in LOCAL_UNITS):
            names[t] += 1
    sure = Counter({k: v for k, v in names.items() if v >= 2})
    if sure:
        return sure.most_common(1)[0][0]
    # one city written once (南溪市人民政府) on a page that speaks of its own 市委 / 市政府 / 全市
    if len(cities) == 1 and _LOCAL_RE.search(text):
        return next(iter(cities))
    return None


@dataclass
class _Piece:
    id: str
    text: str
    title: str | None
    reporters: list[str]


# --- the pipeline ----------------------------------------------------------------------------------
def extract(raw: RawArticle, date: dt.date | None = None, locale: str | None = None) -> list[Record]:
    """Records for one input item. Pages split into `<id>#1`, `<id>#2`…; `date` fills a missing date.

    Raises `InputError` when an article (or a piece of the page) is longer than MAX_ARTICLE_CHARS.

    `locale` is the city a local paper covers (`永康`), for `市委`/`我市`; without it the page's own
    `X市` mentions (or the CRF's place names) decide, when they are clear.
    """
    base = _parse_date(raw.date) or date
    if raw.is_page:
        page = layout.repair(raw.text)
        if base is None:
            base = times.infer_page_date(page)
        pieces = [
            _Piece(f"{raw.id}#{k}", a.text, a.title, list(a.reporters))
            for k, a in enumerate(layout.split_page(page), 1)
        ]
        locale = locale or guess_locale(page, _ner_spans(page))
    else:
        _, reporters = layout.pull_bylines(raw.text)
        reporters = reporters or reporters_in(raw.text)
        pieces = [_Piece(raw.id, raw.text, raw.title, reporters)]
    for piece in pieces:
        if len(piece.text) > MAX_ARTICLE_CHARS:
            raise InputError(
                raw.origin or raw.id,
                f"article {piece.id} is too long to extract ({len(piece.text):,} characters, "
                f"the limit is {MAX_ARTICLE_CHARS:,})",
            )
    records = []
    for piece in pieces:
        rec = extract_piece(
            piece.id,
            piece.text,
            base,
            title=piece.title,
            reporters=piece.reporters,
            locale=locale,
            source=raw.source,
        )
        rec.date = raw.date or (base.isoformat() if base else None)
        records.append(rec)
    if len(records) > 1:
        _share_page_posts(records)
    return records


def _share_page_posts(records: list[Record]) -> None:
    """Give each record the posts the other articles of its page attest for people it names untitled."""
    posts: dict[str, list] = {}
    for rec in records:
        for ev in rec.events:
            for p in ev.participants:
                if p.posts and p.name not in posts:
                    posts[p.name] = p.posts
    for rec in records:
        titled = {p.name for ev in rec.events for p in ev.participants if p.posts}
        rec.context_posts = {n: posts[n] for n in rec.people if n in posts and n not in titled}


def raw_hash(raw: RawArticle, date: dt.date | None = None) -> str | None:
    """The content hash a single (non-page) article's record will carry, known before extracting it."""
    if raw.is_page:
        return None
    base = _parse_date(raw.date) or date
    return content_hash(raw.text, raw.title, base.isoformat() if base else None)


def extract_text(
    article_id: str,
    text: str,
    date: str | dt.date | None = None,
    title: str | None = None,
    is_page: bool = False,
    locale: str | None = None,
) -> list[Record]:
    """Convenience entry: extract from a string."""
    d = date.isoformat() if isinstance(date, dt.date) else date
    return extract(RawArticle(id=article_id, text=text, title=title, date=d, is_page=is_page), locale=locale)


def extract_piece(
    article_id: str,
    text: str,
    base: dt.date | None,
    *,
    title: str | None = None,
    reporters: list[str] | None = None,
    locale: str | None = None,
    source: dict | None = None,
) -> Record:
    """One article's record from its (already repaired) text."""
    spans = _ner_spans(text)
    ents = find_entities(text, spans)
    if locale is None:
        locale = guess_locale(text, spans)
    time_exprs = times.find_times(text, base, past=True)
    events, scheduled = find_events(text, base, ents, time_exprs)
    targets = find_targets(text)
    goals = find_goals(text, targets[0] if targets else None)
    _attach_targets(text, events, targets)
    local = bool(_LOCAL_RE.search(text))
    for ev in events:
        if ev.location is None and locale and local:
            ev.location = locale
    reporters = [r for r in (reporters or []) if r]
    people = [n for n in ents.person_names() if not _ANONYMISED.search(n)]
    people += [r for r in reporters if r not in people]
    return Record(
        id=article_id,
        text=text,
        title=title,
        date=base.isoformat() if base else None,
        source=source,
        content_hash=content_hash(text, title, base.isoformat() if base else None),
        people=people,
        organizations=_record_orgs(ents),
        places=_unique([p[0] for p in ents.places]),
        events=events,
        goals=goals,
        reporters=reporters,
        mentions=_mentions(ents),
        scheduled=scheduled,
        locale=locale,
    )


def _attach_targets(text: str, events: list, targets: list[str]) -> None:
    """Each target goes to the event whose evidence names it, else to the article's first event."""
    for t in targets:
        holders = [ev for ev in events if ev.span and t in text[ev.span[0] : ev.span[1]]]
        for ev in holders or events[:1]:
            if t not in ev.targets:
                ev.targets.append(t)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _record_orgs(ents: Entities) -> list[str]:
    return _unique([o.name for o in ents.orgs])


def _mentions(ents: Entities) -> list:
    from ingest.records import Mention

    out: dict[tuple[str, str], Mention] = {}
    for p in ents.people:
        m = out.setdefault(("person", p.name), Mention(p.name, "person"))
        m.spans.append((p.start, p.end))
        if p.title and p.title not in m.titles:
            m.titles.append(p.title)
    for o in ents.orgs:
        out.setdefault(("organization", o.name), Mention(o.name, "organization")).spans.append(
            (o.start, o.end)
        )
    for name, s, e in ents.places:
        out.setdefault(("place", name), Mention(name, "place")).spans.append((s, e))
    return list(out.values())
