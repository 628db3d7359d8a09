"""One extraction record → the nodes and edges that article contributes (`ArticleFacts`).

Follows the property contract at the top of `graph.model`. Entity names go through `graph.resolve`, so ids
are stable across articles and runs. Every node and edge carries, besides its own properties:

    articles   [Article node id]                  (merged by union in the store)
    extractor  the record's extractor version
    confidence the event's confidence for facts read off an event, 1.0 for plain mentions

and its `Evidence` list: spans into the record's text (always concrete: a fact without its own span gets the
first place its name stands in the event sentence or the article, else the event sentence, else the whole
article). Evidence and `articles` refer to the Article by its node id, `stable_id("Article", record.id)`;
`ArticleFacts.article_id` is that id too, and `ArticleFacts.content_hash` is the record's content hash (the
sha256 of its text when the record has none).

Example:
    >>> from ingest.records import Event, Participant, Record
    >>> r = Record(id="a1", text="1月1日，市委书记章旭升出席。", date="2022-01-01", locale="永康",
    ...            events=[Event(type="meeting", date="2022-01-01",
    ...                          participants=[Participant(name="章旭升", role="attendee")])])
    >>> sorted({n.kind for n in build_facts(r).nodes})
    ['Article', 'Event', 'Person']
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.model import (
    MERGE_RULES,
    ArticleFacts,
    EdgeFact,
    Evidence,
    NodeFact,
    edge_id,
    normalize_key,
    stable_id,
)
from graph.resolve import (
    Locale,
    Resolved,
    ResolvedPost,
    clean,
    person_key,
    resolve_org,
    resolve_place,
    resolve_post,
)
from ingest.records import Event, Goal, Participant, Record, Span

PART_OF_CONFIDENCE = 0.9  # PART_OF is read off name prefixes, not stated by the text


# --- small pure helpers ------------------------------------------------------------------------------
def day_range(date: str | None, end_date: str | None = None) -> tuple[str | None, str | None]:
    """First and last ISO day a date covers: ("2024-02", None) → ("2024-02-01", "2024-02-29").

    With an end date, the last day is the end date's last day. Unreadable dates give (None, None).
    """
    first = _bounds(date)
    if first is None:
        return None, None
    last = _bounds(end_date) if end_date else first
    return first[0], (last or first)[1]


def _bounds(date: str | None) -> tuple[str, str] | None:
    parts = (date or "").strip().split("-")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return None
    if not nums or len(nums) > 3 or not 1 <= nums[0] <= 9999:
        return None
    year, month, day = (nums + [0, 0])[:3]
    if len(nums) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if len(nums) == 2:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return iso, iso


def _source(source: Any) -> str | None:
    """The record's source as one string: `repo/path@commit` when it has those keys."""
    if source is None or isinstance(source, str):
        return source
    if isinstance(source, dict) and source.get("repo") and source.get("path"):
        commit = f"@{source['commit']}" if source.get("commit") else ""
        return f"{source['repo']}/{source['path']}{commit}"
    return json.dumps(source, ensure_ascii=False, sort_keys=True)


def content_hash(record: Record) -> str:
    """The record's content hash, or the sha256 of its text."""
    return record.content_hash or hashlib.sha256(record.text.encode("utf-8")).hexdigest()


def _valid(span: Span | None, size: int) -> bool:
    return span is not None and 0 <= span[0] < span[1] <= size


# --- the collector: one article's nodes and edges, merged as they are found -----------------------
@dataclass
class _Collector:
    article: str  # Article node id
    text: str
    extractor: str
    nodes: dict[str, NodeFact] = field(default_factory=dict)
    edges: dict[str, EdgeFact] = field(default_factory=dict)

    def evidence(
        self, span: Span | None, needle: str | None, within: Span | None, confidence: float
    ) -> Evidence:
        """Evidence at `locate(span, needle, within)`."""
        return self.at(self.locate(span, needle, within), confidence)

    def at(self, span: Span, confidence: float) -> Evidence:
        return Evidence(self.article, span[0], span[1], self.extractor, confidence)

    def locate(self, span: Span | None, needle: str | None, within: Span | None) -> Span:
        """`span`, else where `needle` stands (inside `within` first), else `within`, else the whole text."""
        size = len(self.text)
        if span is not None and _valid(span, size):
            return span
        area: Span = within if within is not None and _valid(within, size) else (0, size)
        if needle:
            for lo, hi in (area, (0, size)):
                at = self.text.find(needle, lo, hi)
                if at >= 0:
                    return (at, at + len(needle))
        return area

    def node(self, kind: str, node_id: str, props: dict[str, Any], ev: Evidence) -> str:
        fact = self.nodes.get(node_id)
        if fact is None:
            fact = self.nodes[node_id] = NodeFact(node_id, kind)
        self._merge(fact.props, fact.evidence, props, ev)
        return node_id

    def edge(self, kind: str, src: str, dst: str, props: dict[str, Any], ev: Evidence) -> str:
        eid = edge_id(kind, src, dst)
        fact = self.edges.get(eid)
        if fact is None:
            fact = self.edges[eid] = EdgeFact(eid, kind, src, dst)
        self._merge(fact.props, fact.evidence, props, ev)
        return eid

    def _merge(
        self, have: dict[str, Any], evidence: list[Evidence], props: dict[str, Any], ev: Evidence
    ) -> None:
        """Fold one finding into a fact: first non-None value wins, MERGE_RULES apply, max confidence."""
        props = {
            **props,
            "articles": [self.article],
            "extractor": self.extractor,
            "confidence": ev.confidence,
        }
        for key, value in props.items():
            rule, old = MERGE_RULES.get(key), have.get(key)
            if rule == "union":
                have[key] = sorted(set(old or []) | set(value or []))
            elif old is None or value is None:
                have[key] = value if old is None else old
            elif rule == "min":
                have[key] = min(old, value)
            elif rule == "max" or key == "confidence":
                have[key] = max(old, value)
        if all((e.start, e.end) != (ev.start, ev.end) for e in evidence):
            evidence.append(ev)

    def facts(self, content: str) -> ArticleFacts:
        return ArticleFacts(
            self.article,
            content,
            [self.nodes[k] for k in sorted(self.nodes)],
            [self.edges[k] for k in sorted(self.edges)],
        )


# --- the builder -------------------------------------------------------------------------------------
class _Builder:
    """Walks one record in a fixed order: article, events, goals, mentions, name lists, nesting."""

    def __init__(self, record: Record, now: datetime | None) -> None:
        self.record = record
        self.locale = Locale.parse(record.locale)
        self.article = stable_id("Article", record.id)
        self.out = _Collector(self.article, record.text, record.extractor_version)
        self.now = now or datetime.now(UTC)
        self.person_keys = self._person_keys()

    def __call__(self) -> ArticleFacts:
        self.add_article()
        for index, event in enumerate(self.record.events):
            self.add_event(index, event)
        for goal in self.record.goals:
            self.add_goal(goal, self.article, None, 1.0)
        self.add_mentions()
        self.add_name_lists()
        self.add_part_of()
        return self.out.facts(content_hash(self.record))

    # --- steps ---------------------------------------------------------------------------------
    def _person_keys(self) -> dict[str, tuple[str, ...]]:
        chains: dict[str, list[list[ResolvedPost]]] = {}
        for event in self.record.events:
            for p in event.participants:
                posts = [resolve_post(post, self.locale) for post in p.posts]
                chains.setdefault(clean(p.name), []).append([x for x in posts if x is not None])
        for name, refs in self.record.context_posts.items():  # the same page's other articles
            posts = [resolve_post(post, self.locale) for post in refs]
            chains.setdefault(clean(name), []).append([x for x in posts if x is not None])
        return {name: person_key(name, c) for name, c in chains.items()}

    def add_article(self) -> None:
        r = self.record
        ev = Evidence(self.article, 0, len(r.text), r.extractor_version, 1.0)
        props = {
            "record_id": r.id,
            "title": r.title,
            "date": r.date,
            "source": _source(r.source),
            "content_hash": content_hash(r),
            "text": r.text,
            "locale": r.locale,
            "ingested_at": self.now.astimezone(UTC).isoformat(timespec="seconds"),
        }
        self.out.node("Article", self.article, props, ev)

    def add_event(self, index: int, event: Event) -> None:
        conf = event.confidence
        eid = stable_id("Event", self.record.id, str(index), event.type, event.date or "")
        where = self.out.locate(event.span, event.label or event.trigger, None)
        ev = self.out.at(where, conf)
        span = where if where != (0, len(self.record.text)) else None
        place = resolve_place(event.location, self.locale)
        start, end = day_range(event.date, event.end_date)
        props = {
            "type": event.type,
            "label": event.label,
            "date": event.date,
            "end_date": event.end_date,
            "precision": event.precision,
            "part_of_day": event.part_of_day,
            "location": place.name if place else clean(event.location) or None,
            "trigger": event.trigger,
            "start": start,
            "end": end,
            "article": self.article,
        }
        self.out.node("Event", eid, props, ev)
        self.out.edge("REPORTED_IN", eid, self.article, {}, ev)
        if place is not None:
            pid = self.entity(place, self.out.evidence(None, place.written, span, conf))
            self.out.edge("OCCURRED_IN", eid, pid, {}, ev)
        seen_day = start or self.record.date
        for p in event.participants:
            self.add_participant(eid, p, span, conf, seen_day)
        for o in event.organizations:
            org = resolve_org(o.name, self.locale)
            if org is None:
                continue
            oev = self.out.evidence(o.span, org.written, span, conf)
            oid = self.entity(org, oev)
            if org.kind != "Organization":
                continue
            if o.role == "organizer":
                self.out.edge("ORGANIZED", oid, eid, {}, oev)
            else:
                self.out.edge("PARTICIPATED_IN", oid, eid, {"role": o.role, "title": None}, oev)
        for target in event.targets:
            tid = self.target(target, self.out.evidence(None, clean(target), span, conf))
            if tid:
                self.out.edge("TARGETS", eid, tid, {}, self.out.evidence(None, clean(target), span, conf))
        for goal in event.goals:
            self.add_goal(goal, eid, span, conf)

    def add_participant(
        self, eid: str, p: Participant, span: Span | None, conf: float, day: str | None
    ) -> None:
        name = clean(p.name)
        if not name:
            return
        pev = self.out.evidence(p.span, name, span, conf)
        pid = self.person(name, p.name, pev)
        self.out.edge("PARTICIPATED_IN", pid, eid, {"role": p.role, "title": clean(p.title) or None}, pev)
        for ref in p.posts:
            post = resolve_post(ref, self.locale)
            if post is None:
                continue
            title_at = self.out.locate(None, clean(ref.title), span)
            hev = self.out.at(title_at, conf)
            post_id = stable_id("Post", *post.key)
            org = post.organization
            props = {"name": post.name, "title": post.rank, "organization": org.name if org else None}
            self.out.node("Post", post_id, props, hev)
            held = {"first_seen": day, "last_seen": day, "title": clean(ref.title)}
            self.out.edge("HELD", pid, post_id, held, hev)
            if org is not None:
                written = org.written in clean(ref.title)  # else inferred: 代市长 → 市政府
                oev = self.out.evidence(None, org.written, title_at, conf) if written else hev
                oid = self.entity(org, oev, mentioned=written)
                self.out.edge("POST_IN", post_id, oid, {}, hev)

    def add_goal(self, goal: Goal, owner: str, span: Span | None, conf: float) -> None:
        text = clean(goal.text)
        if not text:
            return
        target = clean(goal.target) or None
        gid = stable_id("Goal", self.locale.place or "", target or "", goal.deadline or "", text)
        gev = self.out.evidence(goal.span, text, span, conf)
        props = {"text": goal.text, "deadline": goal.deadline, "metric": goal.metric, "value": goal.value}
        self.out.node("Goal", gid, {**props, "target": target}, gev)
        self.out.edge("SETS_GOAL", owner, gid, {}, gev)
        self.out.edge("REPORTED_IN", gid, self.article, {}, gev)
        if target:
            tid = self.target(target, self.out.evidence(None, target, span, conf))
            if tid:
                self.out.edge("ABOUT", gid, tid, {}, gev)

    def add_mentions(self) -> None:
        for m in self.record.mentions:
            written = clean(m.name)
            spans: list[Span | None] = [*m.spans] or [None]
            for sp in spans:
                ev = self.out.evidence(sp, written, None, 1.0)
                if m.kind == "person":
                    self.person(clean(m.canonical) or written, m.name, ev)
                elif m.kind in ("organization", "place"):
                    resolve = resolve_org if m.kind == "organization" else resolve_place
                    found = resolve(m.canonical or m.name, self.locale)
                    if found is not None:
                        self.entity(found, ev, alias=written)

    def add_name_lists(self) -> None:
        r = self.record
        for name in r.people:
            self.person(clean(name), name, self.out.evidence(None, clean(name), None, 1.0))
        for name in r.organizations:
            org = resolve_org(name, self.locale)
            if org is not None:
                self.entity(org, self.out.evidence(None, org.written, None, 1.0))
        for name in r.places:
            place = resolve_place(name, self.locale)
            if place is not None:
                self.entity(place, self.out.evidence(None, place.written, None, 1.0))
        for name in r.reporters:
            ev = self.out.evidence(None, clean(name), None, 1.0)
            if clean(name):
                self.out.edge("WROTE", self.person(clean(name), name, ev), self.article, {}, ev)

    def add_part_of(self) -> None:
        """`X理论学习中心组` PART_OF `X`: the longest other organization of this article that is a prefix."""
        orgs = {n.props["name"]: n for n in self.out.nodes.values() if n.kind == "Organization"}
        for name, child in sorted(orgs.items()):
            parents = [p for p in orgs if len(p) < len(name) and name.startswith(p)]
            if parents:
                parent = orgs[max(parents, key=lambda p: (len(p), p))]
                ev = child.evidence[0]
                ev = Evidence(ev.article, ev.start, ev.end, ev.extractor, PART_OF_CONFIDENCE)
                self.out.edge("PART_OF", child.id, parent.id, {}, ev)

    # --- entities ------------------------------------------------------------------------------
    def person(self, name: str, written: str | None, ev: Evidence) -> str:
        """A Person node (key per `graph.resolve.person_key`) and its MENTIONED_IN edge."""
        key = self.person_keys.get(name, (name,))
        pid = stable_id("Person", *key)
        aliases = [a for a in (clean(written),) if a and a != name]
        self.out.node("Person", pid, {"name": name, "aliases": aliases}, ev)
        self.out.edge("MENTIONED_IN", pid, self.article, {}, ev)
        return pid

    def entity(self, found: Resolved, ev: Evidence, alias: str | None = None, mentioned: bool = True) -> str:
        """An Organization or Place node and its MENTIONED_IN edge; written forms become aliases.

        `mentioned=False` for a body the text implies without naming it (代市长 → 市政府): no alias, no edge.
        """
        node_id = stable_id(found.kind, found.key)
        written = {found.written, alias or found.written} if mentioned else set()
        aliases = sorted(a for a in written if a and a != found.name)
        self.out.node(found.kind, node_id, {"name": found.name, "aliases": aliases}, ev)
        if mentioned:
            self.out.edge("MENTIONED_IN", node_id, self.article, {}, ev)
        return node_id

    def target(self, name: str, ev: Evidence) -> str | None:
        name = clean(name)
        if not name:
            return None
        tid = stable_id("Target", normalize_key(name))
        self.out.node("Target", tid, {"name": name, "aliases": []}, ev)
        self.out.edge("MENTIONED_IN", tid, self.article, {}, ev)
        return tid


def build_facts(record: Record, *, now: datetime | None = None) -> ArticleFacts:
    """The nodes and edges one article contributes to the graph (its Article node included).

    `now` is the ingest time stamped on the Article (`ingested_at`, UTC; default: the current time).
    """
    return _Builder(record, now)()
