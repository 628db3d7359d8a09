"""The extraction record: what `ingest` produces and `graph` consumes (the seam of ARCHITECTURE.md).

Plain dataclasses, JSON-serializable both ways (`Record.to_json()` / `Record.from_json()`). Field names and the
first-level shape follow ../shared/design/EVAL.md; everything beyond the scored fields (spans, titles, goals,
targets, posts, reporters, confidence) is extra and ignored by the scorer.

All character spans are `[start, end)` offsets into `Record.text`, the article text after layout repair, so
`record.text[start:end]` is the evidence.

Example:
    >>> r = Record(id="demo-1", text="1月1日，南溪市委召开会议。")
    >>> Record.from_json(r.to_json()) == r
    True
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

EXTRACTOR_VERSION = "0.1.0"

EVENT_TYPES = (
    "meeting",
    "study_session",
    "training",
    "inspection",
    "competition",
    "ceremony",
    "forum",
    "signing",
    "diplomatic",
    "appointment",
    "directive",
    "release",
    "incident",
    "other",
)

ROLES = ("host", "speaker", "attendee", "lecturer", "inspector", "guest", "organizer", "participant")

PRECISIONS = ("day", "month", "year")

Span = tuple[int, int]


@dataclass
class PostRef:
    """One post in a title chain: `市委副书记` → title 副书记 of organization 市委."""

    title: str  # the whole post as written, e.g. "市委副书记"
    organization: str | None = None  # the body the post belongs to, e.g. "市委"
    role: str | None = None  # the bare rank, e.g. "副书记"


@dataclass
class Participant:
    name: str
    role: str = "participant"
    title: str | None = None  # the title chain as written before the name, e.g. "市委副书记、代市长"
    posts: list[PostRef] = field(default_factory=list)
    span: Span | None = None  # where the name stands in this event's evidence


@dataclass
class OrgRole:
    name: str
    role: str = "participant"
    span: Span | None = None


@dataclass
class Goal:
    """A measurable objective: `到2023年，实现…覆盖率超90%`."""

    text: str
    deadline: str | None = None  # "2023", "2023-06", ...
    target: str | None = None  # the sector/programme it is about
    metric: str | None = None
    value: str | None = None  # ">90%", "全覆盖"
    span: Span | None = None


@dataclass
class Event:
    type: str
    date: str | None = None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"
    end_date: str | None = None
    precision: str | None = None  # day | month | year
    part_of_day: str | None = None  # morning | afternoon | evening | night
    participants: list[Participant] = field(default_factory=list)
    organizations: list[OrgRole] = field(default_factory=list)
    location: str | None = None
    label: str = ""
    targets: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    trigger: str | None = None  # the cue word that typed it (召开, 开班, 调研...)
    span: Span | None = None  # the evidence (usually the sentence stating the event)
    confidence: float = 1.0


@dataclass
class Mention:
    """A named entity and every place it stands in the text."""

    name: str
    kind: str  # person | organization | place
    spans: list[Span] = field(default_factory=list)
    canonical: str | None = None  # context-resolved name: 市委 → 永康市委 on a page about 永康
    titles: list[str] = field(default_factory=list)  # title chains seen before a person's name


@dataclass
class Record:
    """One article's extraction: EVAL.md's record plus provenance and the extras."""

    id: str
    text: str = ""
    title: str | None = None
    date: str | None = None  # publication date (ISO day) if known
    source: dict[str, Any] | None = None
    content_hash: str | None = None
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    scheduled: list[Event] = field(default_factory=list)  # announced future activities: not events
    locale: str | None = None  # the city/county the article is about (for 市委, 我市)
    # posts that other articles of the same page give a person named here without a title: context for
    # resolving the person (the same 章旭升 in both reports of one page), not facts of this article
    context_posts: dict[str, list[PostRef]] = field(default_factory=dict)
    extractor_version: str = EXTRACTOR_VERSION

    # --- serialization -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _clean(dataclasses.asdict(self))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        d = dict(data)
        d["events"] = [_event(e) for e in d.get("events", [])]
        d["scheduled"] = [_event(e) for e in d.get("scheduled", [])]
        d["goals"] = [_goal(g) for g in d.get("goals", [])]
        d["context_posts"] = {k: [PostRef(**x) for x in v] for k, v in d.get("context_posts", {}).items()}
        d["mentions"] = [
            Mention(**{**m, "spans": [tuple(s) for s in m.get("spans", [])]}) for m in d.get("mentions", [])
        ]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    @classmethod
    def from_json(cls, line: str) -> Record:
        return cls.from_dict(json.loads(line))


def _span(v: Any) -> Span | None:
    return None if v is None else (int(v[0]), int(v[1]))


def _goal(g: dict[str, Any]) -> Goal:
    return Goal(**{**g, "span": _span(g.get("span"))})


def _event(e: dict[str, Any]) -> Event:
    e = dict(e)
    e["participants"] = [
        Participant(
            **{
                **p,
                "posts": [PostRef(**x) for x in p.get("posts", [])],
                "span": _span(p.get("span")),
            }
        )
        for p in e.get("participants", [])
    ]
    e["organizations"] = [OrgRole(**{**o, "span": _span(o.get("span"))}) for o in e.get("organizations", [])]
    e["goals"] = [_goal(g) for g in e.get("goals", [])]
    e["span"] = _span(e.get("span"))
    return Event(**e)


def _clean(obj: Any) -> Any:
    """Tuples become lists so that JSON and `asdict` agree (a round trip compares equal)."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj
