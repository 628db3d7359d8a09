"""The graph model: node and edge kinds, stable ids, and how one article's facts merge with others'.

Pure data: nothing here talks to a store. `graph.build` turns one extraction record into an `ArticleFacts`
(the nodes and edges that article contributes, each with its evidence); a store keeps each article's
contribution and shows the merge of all contributions. Re-ingesting an article swaps its contribution;
removing it drops the contribution, and a node or edge with no contribution left disappears.

Properties per kind (the contract `graph.build` writes and queries/RDF read; all values JSON scalars or
lists of them, so Neo4j can store them as properties):

    Article       record_id (the record's own id, e.g. "xwlb-20220926-04"), title, date (ISO day|None),
                  source (str|None), content_hash, text (repaired article text, for provenance sentences),
                  locale, ingested_at (ISO timestamp, UTC; left out of dumps)
    Event         type, label, date, end_date, precision, part_of_day, location, trigger,
                  start (first ISO day the event may cover, "2024" -> "2024-01-01"),
                  end (last ISO day, "2024" -> "2024-12-31"; for ranges the end_date's last day), article
    Person        name, aliases
    Organization  name, aliases
    Post          name (full post, e.g. "永康市委书记"), title (rank, e.g. "书记"), organization (name|None)
    Place         name, aliases
    Target        name, aliases
    Goal          text, deadline, metric, value, target (name|None)
    Every node and edge also has: articles (list of article ids), evidence (list of [article, start, end]
    with offsets into that Article's text), extractor (version), confidence (0..1). An "article id" here is
    the Article node's id, stable_id("Article", record.id), as is `ArticleFacts.article_id`.

    PARTICIPATED_IN  role (EVAL.md roles), title (as written at the event, or None)
    HELD             first_seen, last_seen (ISO dates on which articles attest the post), title
    others           no own properties beyond provenance

Merged properties (`merge_props`): for every property the value from the contribution of the smallest
article id wins, except the keys in `MERGE_RULES` (min/max/union). That makes the merged graph independent
of ingest order, so both stores and the RDF export agree.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

NODE_KINDS = ("Article", "Event", "Person", "Organization", "Post", "Place", "Target", "Goal")

# kind: (source kinds, target kinds)
EDGE_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PARTICIPATED_IN": (("Person", "Organization"), ("Event",)),  # role, title
    "ORGANIZED": (("Organization",), ("Event",)),
    "HELD": (("Person",), ("Post",)),  # first_seen, last_seen
    "POST_IN": (("Post",), ("Organization",)),
    "PART_OF": (("Organization",), ("Organization",)),
    "TARGETS": (("Event",), ("Target",)),
    "SETS_GOAL": (("Event", "Article"), ("Goal",)),
    "ABOUT": (("Goal",), ("Target",)),
    "OCCURRED_IN": (("Event",), ("Place",)),
    "REPORTED_IN": (("Event", "Goal"), ("Article",)),
    "MENTIONED_IN": (("Person", "Organization", "Place", "Target"), ("Article",)),
    "WROTE": (("Person",), ("Article",)),  # reporters and photographers of the byline
}

# property -> how contributions from several articles combine (others: smallest article id wins)
MERGE_RULES: dict[str, str] = {
    "first_seen": "min",
    "last_seen": "max",
    "aliases": "union",
    "articles": "union",
}

PREFIX = {
    "Article": "art",
    "Event": "evt",
    "Person": "per",
    "Organization": "org",
    "Post": "post",
    "Place": "plc",
    "Target": "tgt",
    "Goal": "goal",
}


def normalize_key(text: str) -> str:
    """NFKC, no white space, lower-case: the form resolution keys are built from."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def stable_id(kind: str, *key_parts: str) -> str:
    """Deterministic id from a kind and its resolution key, e.g. `per:3f2a…` for ("Person", "章旭升").

    >>> stable_id("Person", "章旭升") == stable_id("Person", " 章旭升 ")
    True
    """
    key = "\x1f".join(normalize_key(p) for p in key_parts)
    digest = hashlib.sha1(f"{kind}\x1e{key}".encode()).hexdigest()[:16]
    return f"{PREFIX[kind]}:{digest}"


def edge_id(kind: str, src: str, dst: str, *extra: str) -> str:
    digest = hashlib.sha1("\x1f".join((kind, src, dst, *extra)).encode()).hexdigest()[:16]
    return f"rel:{digest}"


@dataclass
class Evidence:
    """Where a fact comes from: article, character span in the record's text, extractor, confidence."""

    article: str
    start: int | None = None
    end: int | None = None
    extractor: str = ""
    confidence: float = 1.0


@dataclass
class NodeFact:
    id: str
    kind: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EdgeFact:
    id: str
    kind: str
    src: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ArticleFacts:
    """Everything one article contributes to the graph (its Article node included)."""

    article_id: str
    content_hash: str
    nodes: list[NodeFact] = field(default_factory=list)
    edges: list[EdgeFact] = field(default_factory=list)


def merge_props(contributions: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Merge (article_id, props) pairs into one property map, independent of their order."""
    merged: dict[str, Any] = {}
    for _article, props in sorted(contributions, key=lambda c: c[0], reverse=True):
        for key, value in props.items():
            rule = MERGE_RULES.get(key)
            if value is None:
                merged.setdefault(key, None)
            elif rule == "min":
                merged[key] = value if merged.get(key) is None else min(merged[key], value)
            elif rule == "max":
                merged[key] = value if merged.get(key) is None else max(merged[key], value)
            elif rule == "union":
                merged[key] = sorted(set(merged.get(key) or []) | set(value))
            else:
                merged[key] = value  # reverse order: the smallest article id writes last and wins
    return merged
