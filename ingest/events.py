"""Events: which activities an article reports as having happened, typed, dated, with who took part.

The article is cut into sentences; in each sentence only the part before a speech verb (指出, 强调, 表示…)
can report an event — what follows is what somebody said. A sentence whose part holds an event cue
(EVAL.md's cues, `lexicon.EVENT_CUES`) and a sign that something took place (a date, or a verb such as
召开/举行/会见/出席) opens an event, or joins the event of the same type already open. Sentences that only
say who presided or attended (`李书磊、陈文清出席会议。`) join the event they name or the last one. Cues
dated after publication, or marked 将/拟/计划, become scheduled items, not events.

Example:
    >>> import datetime
    >>> from ingest.entities import find_entities
    >>> text = "26日上午，南溪市委召开常委会会议。林建国主持会议。"
    >>> evs, _ = find_events(text, datetime.date(2024, 3, 26), find_entities(text), [])
    >>> [(e.type, [p.name for p in e.participants]) for e in evs]  # doctest: +SKIP
    [('meeting', ['林建国'])]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ingest import lexicon
from ingest.entities import Entities, PersonMention
from ingest.records import Event, OrgRole, Participant

# --- constants -------------------------------------------------------------------------------------
# Type order decides ties inside one sentence: the more specific activity wins.
_TYPE_ORDER = (
    "directive",
    "appointment",
    "diplomatic",
    "signing",
    "training",
    "study_session",
    "ceremony",
    "competition",
    "forum",
    "release",
    "meeting",
    "inspection",
    "incident",
)
_CUES = dict(lexicon.EVENT_CUES)
_CUES["training"] = r"开班仪式|结业仪式|开学典礼|" + _CUES["training"]
_CUES["release"] = r"新闻发布会|发布会|" + _CUES["release"]
_CUE_RE = {t: re.compile(_CUES[t]) for t in _TYPE_ORDER}
_ROLE_RE = [(role, re.compile(rx)) for role, rx in lexicon.ROLE_CUES]

_SPEECH_RE = re.compile(r"(?<![作出])(?:指出|强调|表示|要求|认为|希望|提出|说|介绍|透露|称|谈到|坦言)[，：:]")
_SKIP_START_RE = re.compile(
    r"^(?:要|必须|各级|坚持|只有|我们|希望|如果|这是|这次|此次|目前|当前|明年|下一步|计划)"
)
# clauses that say how the reporter learned the news: their dates are not the event's. A clause is a run
# between ，。；; it is found first and then searched for the words (one regex `[^，。；]*(?:获悉|…)[^，。；]*`
# gives the same spans but rescans the rest of the clause from every character: quadratic in a long clause)
_CLAUSE_RE = re.compile(r"[^，。；]+")
_SOURCE_WORD_RE = re.compile(r"获悉|获知|了解到|记者从|发稿")
_HAPPENED_RE = re.compile(
    r"召开|举行|举办|开班|开幕|闭幕|会见|会谈|通电话|主持|出席|视察|考察|调研|来到|前往|赶赴|赶到|发生|签署|签订|作出|"
    r"印发|发布|通报|宣讲|参加|进行|开展|到.{0,12}(?:视察|考察|调研)|检查指导|看望|慰问|揭牌|颁发|宣誓|监誓|致信|回信|"
    r"致电|批示|相撞|起火|坍塌|爆炸|中毒|遇难|死亡|受伤|开课|开工|投产|启动|授课|辅导|比武|举办了"
)
_FUTURE_RE = re.compile(
    r"将于|将在|拟于|拟在|计划于|即将|将要|定于|决定.{0,20}于.{0,16}召开|将召开|将举行|将举办|下一步|迎接|"
    r"提请|筹备|前夕"
)
_MEETING_FOLLOWUP_RE = re.compile(r"^(?:会议|会上|会议还|会议经表决|大会|全会|会议期间|会前|会后)")
_DATELINE_RE = re.compile(
    r"\s*[^\n。]{0,40}?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯|信息|消息)"
)
_DATE_WORD_RE = re.compile(r"[日月年天]|今|昨|前|近|当|同|次|本|上|去")
_JOIN_RE = re.compile(
    r"主持|出席|参加|列席|陪同|到会|讲话|致辞|监誓|作报告|发言|参观|会见|宣讲|提出询问|询问"
)
_LOCATION_RE = re.compile(
    r"在(京|北京|[\u3400-\u9fff]{2,16}?)(?:召开|举行|举办|会见|会谈|调研|考察|视察|作|出席|闭幕|开幕|开班|宣讲)"
)
_SENT_RE = re.compile(r"[^。！？\n]+[。！？]?")
_PLACE_ALIASES = {"京": "北京"}
# When one person gets several roles in one event, the most specific one stays.
_ROLE_RANK = {
    r: k
    for k, r in enumerate(
        ("host", "lecturer", "speaker", "inspector", "guest", "organizer", "attendee", "participant")
    )
}


def _generic(title: str) -> bool:
    """Titles that say nothing of the post (`市领导`)."""
    return title.endswith("领导") or title in ("负责人", "代表")


# --- data ------------------------------------------------------------------------------------------
@dataclass
class _Open:
    """An event being assembled from the sentences that report it."""

    type: str
    start: int
    end: int
    cue: str
    date: Any = None  # a TimeExpr or None
    people: dict[str, Participant] = field(default_factory=dict)
    orgs: dict[str, OrgRole] = field(default_factory=dict)
    location: str | None = None
    label: str = ""
    principal: str | None = None  # lecturer of a lecture tour: one event per lecturer and city


# --- helpers ---------------------------------------------------------------------------------------
def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of `text`."""
    return [(m.start(), m.end()) for m in _SENT_RE.finditer(text) if m.group(0).strip()]


def _head_end(text: str, s: int, e: int) -> int:
    """End of the part of a sentence that can report an event (before a speech verb).

    `据工作人员介绍，…` attributes a report to its source: what follows is still reported fact.
    """
    pos = s
    while m := _SPEECH_RE.search(text, pos, e):
        if not re.search(r"据[^，。]{0,14}$", text[max(s, m.start() - 16) : m.start()]):
            return m.start()
        pos = m.end()
    return e


def _sentence_type(head: str) -> tuple[str, re.Match[str]] | None:
    """The event type a sentence part reports, by the most specific cue in it."""
    quoted = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》|“[^”]*”", head)]
    for t in _TYPE_ORDER:
        for m in _CUE_RE[t].finditer(head):
            if any(a <= m.start() < b for a, b in quoted) or head[m.end() : m.end() + 1] == "的":
                continue
            if t in ("competition", "forum") and re.search(r"开幕|闭幕|开营", head):
                cm = re.search(r"开幕式|闭幕式|开幕|闭幕", head)
                if cm:
                    return "ceremony", cm
            return t, m
    return None


def _role_for(
    text: str, p: PersonMention, limit: int, people: list[PersonMention] | None = None
) -> str | None:
    """The role cue that governs a name: after it, over 、-joined names and a title, before the clause ends."""
    end = p.end
    for q in people or []:  # `张国清、吴政隆陪同`: the cue after the last name governs the whole list
        if q.start == end + 1 and text[end] == "、":
            end = q.end
    tail = text[end : min(limit, end + 60)]
    clause = re.split(r"[，。；！？]", re.sub(r"“[^”]*”|《[^》]*》", "", tail), maxsplit=1)[0]
    clause = re.sub(r"^等", "", clause)
    if re.match(r"(?:同志|先生)?(?:出席|参加)[^，。]{0,20}并(?:讲话|致辞|发言)", clause):
        return "speaker"
    first: tuple[int, int, str] | None = None  # (position, rank, role): the first verb after the name governs
    for rank, (role, rx) in enumerate(_ROLE_RE):
        m = rx.search(clause)
        if m and m.start() <= 24 and (first is None or (m.start(), rank) < first[:2]):
            first = (m.start(), rank, role)
    if first is not None:
        return first[2]
    return None


def _is_guest(text: str, p: PersonMention) -> bool:
    before = text[max(0, (p.title_start or p.start) - 70) : (p.title_start or p.start)]
    return bool(re.search(r"(?:会见|会谈|接见|同)[^，。]{0,68}$", before))


def _date_fields(t: Any) -> tuple[str | None, str | None, str | None, str | None]:
    if t is None:
        return None, None, None, None
    return t.date, t.end_date, t.precision, t.part_of_day


def _vague_to_coarse(t: Any, base: dt.date | None) -> Any:
    """近日 / 日前 early in a month may lie in the month before: keep only the year then."""
    if t is not None and getattr(t, "vague", False) and base is not None and base.day <= 10 and t.date:
        t.date, t.precision = t.date[:4], "year"
    return t


# --- entry point -----------------------------------------------------------------------------------
def find_events(
    text: str, base: dt.date | None, ents: Entities, times: list[Any]
) -> tuple[list[Event], list[Event]]:
    """Events and scheduled items of one article. `times` come from `ingest.times.find_times(text, base)`."""
    people_by_pos = sorted(ents.people, key=lambda p: p.start)
    skip_until = _dateline_end(text)
    source_spans = [(m.start(), m.end()) for m in _CLAUSE_RE.finditer(text) if _SOURCE_WORD_RE.search(m.group())]
    times = [
        t
        for t in times
        if t.start >= skip_until
        and _DATE_WORD_RE.search(t.text)
        and not any(a <= t.start < b for a, b in source_spans)
    ]
    opened: list[_Open] = []
    scheduled: list[_Open] = []
    last: _Open | None = None
    last_date: Any = None
    in_speech = False
    for s, e in sentences(text):
        if s > 0 and "\n" in text[max(0, s - 2) : s + 1]:
            in_speech = False  # a new paragraph ends the reported speech
        h = _head_end(text, s, e)
        head = text[s:h].strip()
        speech_here = h < e
        if not head or in_speech and not _reopens(head):
            in_speech = in_speech or speech_here
            continue
        in_speech = speech_here
        sent_times = [t for t in times if s <= t.start < h]
        date = sent_times[0] if sent_times else None
        if last is not None and last.type == "meeting" and _MEETING_FOLLOWUP_RE.match(head):
            _collect(last, text, s, h, people_by_pos, ents, join=True)  # agenda items belong to the meeting
            last.end = max(last.end, e)
            continue
        found = None if _SKIP_START_RE.match(head) else _sentence_type(head)
        if found:
            etype, cue = found
            future = bool(_FUTURE_RE.search(head)) or (
                date is not None and base is not None and (date.date or "") > base.isoformat()
            )
            happened = bool(date) or bool(_HAPPENED_RE.search(head))
            if future:
                scheduled.append(_Open(etype, s, e, cue.group(0), date, label=head[:60]))
                continue
            if happened:
                ev = _find_open(opened, etype, date, text, s, h, people_by_pos)
                if ev is None:
                    ev = _Open(etype, s, e, cue.group(0), date or last_date, label=_label(head, cue))
                    opened.append(ev)
                elif ev.date is None and date is not None:
                    ev.date = date
                ev.end = max(ev.end, e)
                _collect(ev, text, s, h, people_by_pos, ents)
                last = ev
                if date is not None:
                    last_date = date
                continue
        if last is not None and _JOIN_RE.search(head):
            target = _named_target(opened, head) or last
            _collect(target, text, s, h, people_by_pos, ents, join=True)
            target.end = max(target.end, e)
        if date is not None:
            last_date = date
    return [_finish(ev, text, base) for ev in opened], [_finish(ev, text, base) for ev in scheduled]


def _dateline_end(text: str) -> int:
    """Where the dateline (`新华网北京9月6日电`) or a leading date-only line ends: its date is not an event's."""
    end = 0
    first = text.split("\n", 1)[0]
    if len(first) <= 24 and re.fullmatch(r"[\d\s年月日:：\-/.]+", first.strip() or "x"):
        end = len(first)
    m = _DATELINE_RE.match(text, end)
    if m:
        end = m.end()
    return end


def _reopens(head: str) -> bool:
    """Inside reported speech, a sentence reports again when it opens with a date or a meeting follow-up."""
    return bool(
        re.match(
            r"(?:\d{1,2}日|[一二三四五六七八九十]+日|上午|下午|晚上|当天|随后|会上|会议|会后|闭幕会后)", head
        )
    )


def _find_open(
    opened: list[_Open], etype: str, date: Any, text: str, s: int, h: int, people: list[PersonMention]
) -> _Open | None:
    for ev in reversed(opened):
        if ev.type != etype:
            continue
        if date is not None and ev.date is not None and date.date and ev.date.date:
            a, b = date.date, ev.date.date
            if not (a.startswith(b) or b.startswith(a) or _inside(a, ev.date)):
                continue
        if etype == "study_session" and ev.principal:
            lect = [p.name for p in people if s <= p.start < h and _role_for(text, p, h) == "lecturer"]
            if lect and lect[0] != ev.principal:
                continue
        return ev
    return None


def _inside(day: str, t: Any) -> bool:
    return bool(t.end_date) and t.date <= day <= t.end_date


def _named_target(opened: list[_Open], head: str) -> _Open | None:
    """`王毅参加会见` joins the diplomatic event; `出席开幕式` the ceremony."""
    found = _sentence_type(head)
    if found:
        for ev in reversed(opened):
            if ev.type == found[0]:
                return ev
    return None


def _collect(
    ev: _Open, text: str, s: int, h: int, people: list[PersonMention], ents: Entities, join: bool = False
) -> None:
    here = [p for p in people if s <= p.start < h]
    list_role = _list_role(text, here, h) if join else None
    for p in here:
        if _is_reference(text, p):
            continue
        role = _role_for(text, p, h, people) or list_role
        if role is None:
            if ev.type == "diplomatic" and _is_guest(text, p):
                role = "guest"
            elif not join and _subject_of_cue(text, p, h):
                role = {"inspection": "inspector", "diplomatic": "participant"}.get(ev.type, "participant")
            elif not join and _acts_in_clause(text, p):
                role = "participant"
            else:
                continue
        if ev.type == "study_session" and role == "lecturer" and ev.principal is None:
            ev.principal = p.name
        old = ev.people.get(p.name)
        if old is None or _ROLE_RANK[role] < _ROLE_RANK[old.role]:
            title = (
                p.title
                if p.title and not (old and old.title and _generic(p.title))
                else (old.title if old else None)
            )
            posts = list(p.posts) if p.title == title else (old.posts if old else [])
            ev.people[p.name] = Participant(p.name, role, title, posts, (p.start, p.end))
        elif p.title and (not old.title or _generic(old.title)) and not _generic(p.title):
            old.title, old.posts = p.title, list(p.posts)
    for o in ents.orgs:
        if s <= o.start < h and o.name not in ev.orgs:
            after = text[o.end : o.end + 8]
            role = (
                "organizer"
                if re.match(
                    r"(?:第.{1,6}次)?(?:举办|主办|承办|召开|举行|组织|对|开展|联合|发布|印发|通报)", after
                )
                else "participant"
            )
            ev.orgs[o.name] = OrgRole(o.name, role, (o.start, o.end))
    if ev.location is None:
        m = _LOCATION_RE.search(text, s, h)
        if m:
            ev.location = _PLACE_ALIASES.get(m.group(1), m.group(1))


def _list_role(text: str, here: list[PersonMention], h: int) -> str | None:
    """`王小洪，张军，应勇…到会听取意见`: a sentence that lists people then states what they did."""
    if not here:
        return None
    tail = text[here[-1].end : h]
    for role, rx in _ROLE_RE:
        if rx.search(tail):
            return role
    if re.search(r"询问|发言|提问|回答", tail):
        return "participant"
    return None


def _is_reference(text: str, p: PersonMention) -> bool:
    """The name is referred to, not acting (`贯彻习近平总书记重要讲话`, `习近平新时代…思想`, `X的讲话`)."""
    before = text[max(0, (p.title_start or p.start) - 8) : (p.title_start or p.start)]
    after = text[p.end : p.end + 12]
    if re.search(r"(?:贯彻|学习|落实|按照|根据|传达|遵循|领会|宣传|阐释|围绕|以)[^，。]{0,4}$", before):
        return True
    return bool(re.match(r"(?:总书记|主席|总理|同志)?(?:的|重要|关于|新时代|同志为核心|亲切|致以|问候)", after))


def _acts_in_clause(text: str, p: PersonMention) -> bool:
    """The name is an actor of its clause: a verb follows it."""
    before = text[max(0, (p.title_start or p.start) - 2) : (p.title_start or p.start)]
    if before.endswith("在"):
        return False
    return bool(re.match(r"(?:等)?[\u3400-\u9fff]", text[p.end : p.end + 2]))


def _subject_of_cue(text: str, p: PersonMention, h: int) -> bool:
    """The name is the subject of the event verb in its clause (`李强来到应急管理部`, `韩正在北京会见…`)."""
    clause = re.split(r"[，。；]", text[p.end : h], maxsplit=1)[0]
    return bool(
        re.match(
            r"(?:[\u3400-\u9fff（）]{0,4}?)(?:\d{1,2}日)?(?:上午|下午|晚上|中午)?(?:在|到|来到|前往|赴|会见|会谈|视察|考察|调研|检查|主持|通电话|作|出席|同)",
            clause,
        )
    )


def _label(head: str, cue: re.Match[str]) -> str:
    """A short label: the clause that holds the cue."""
    parts = re.split(r"[，；：]", head)
    pos = 0
    for part in parts:
        if pos <= cue.start() - (len(head) - len(head)) < pos + len(part) + 1:
            return part.strip("。 ")[:80]
        pos += len(part) + 1
    return head[:80]


def _finish(ev: _Open, text: str, base: dt.date | None) -> Event:
    t = _vague_to_coarse(ev.date, base)
    date, end_date, precision, part = _date_fields(t)
    if date is None and base is not None:  # undated report: the publication day
        date, precision = base.isoformat(), "day"
    return Event(
        type=ev.type,
        date=date,
        end_date=end_date,
        precision=precision,
        part_of_day=part,
        participants=list(ev.people.values()),
        organizations=list(ev.orgs.values()),
        location=ev.location,
        label=ev.label,
        trigger=ev.cue,
        span=(ev.start, ev.end),
    )
