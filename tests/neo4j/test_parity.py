"""Backend parity on real extractions: the embedded store and Neo4j hold the same graph and answer every
canned query with the same rows.

Inputs: the seed page (../shared/seed/), examples/ and the first 200 articles of
../shared/corpus/official_news.jsonl, extracted once per module by the real pipeline
(`ingest.parallel.extract_all`), built with `graph.build.build_facts` and put into a fresh NetworkxStore and
the (wiped) Neo4j store at NEO4J_URI.

Every canned query needs parameter sets in `PARAM_SETS`: a query without any fails
`test_query_rows_are_identical`, so a new query cannot go untested. Values are picked from the data
(`Picks`): the person in most events, the busiest organization, a multi-day event, and so on.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph.build import build_facts
from graph.model import ArticleFacts
from graph.store.base import Store
from graph.store.networkx_store import NetworkxStore
from ingest.parallel import extract_all
from ingest.records import Record
from queries.registry import load_queries, run_query

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "official_news.jsonl"
CORPUS_ARTICLES = 200
NOW = datetime(2024, 1, 1, tzinfo=UTC)  # ingest time of every article (dumps leave it out anyway)


# --- values picked from the data --------------------------------------------------------------------
@dataclass(frozen=True)
class Picks:
    """Real parameter values, chosen from the embedded store after ingest."""

    person: str  # the person in most events
    person2: str  # the second
    holder: str  # the person with most HELD posts
    org: str  # the organization in most events (organized or taken part)
    org_alias: str  # one of its aliases
    post_org: str  # the organization with most posts
    post: str  # the name of the post held by most people
    rank: str  # that post's title (书记, 总理, ...)
    rank_org: str  # that post's organization (by POST_IN)
    place: str  # the place of most events
    place_alias: str  # an alias of some place with events
    target: str  # the target of most events
    goal_target: str  # a target some goal is about
    event_id: str  # the event with most participants
    event_label: str  # the first 6 characters of its label
    event_month: str  # its month, YYYY-MM
    event_person: str  # a person who took part in it
    span_event: str  # a multi-day event's id
    span_from: str  # the day after that event's start (it still overlaps)
    month_from: str  # the month of the median event start
    month_to: str  # the month after it
    year: str  # the year of most events
    common_type: str  # the most frequent event type
    rare_type: str  # the least frequent event type
    edge_id: str  # a PARTICIPATED_IN edge of `person`
    person_id: str  # `person`'s node id
    article_id: str  # an Article node id


def _name(store: Store, node_id: str) -> str:
    node = store.node(node_id)
    assert node is not None
    return str(node["name"])


def _aliases(store: Store, node_id: str) -> list[str]:
    """The node's aliases other than its name."""
    node = store.node(node_id) or {}
    return [a for a in node.get("aliases") or [] if a != node.get("name")]


def _top(counter: Counter[str]) -> str:
    """The most common key, ties broken by the smallest key (deterministic)."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _next_month(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def pick(store: Store) -> Picks:
    """Choose the parameter values from what the store holds."""
    takes = Counter(e["src"] for e in store.edges("PARTICIPATED_IN") if e["src"].startswith("per:"))
    orgs = Counter(
        e["src"]
        for k in ("PARTICIPATED_IN", "ORGANIZED")
        for e in store.edges(k)
        if e["src"].startswith("org:")
    )
    org = _top(orgs)
    people_at = [(e["src"], e["dst"]) for e in store.edges("PARTICIPATED_IN") if e["src"] in takes]
    event_id = _top(Counter(event for _person, event in people_at))
    event = store.node(event_id) or {}
    holders = Counter(e["dst"] for e in store.edges("HELD"))
    post = store.node(_top(holders)) or {}
    post_in = {e["src"]: e["dst"] for e in store.edges("POST_IN")}
    places = Counter(e["dst"] for e in store.edges("OCCURRED_IN"))
    events = list(store.nodes("Event"))
    starts = sorted(e["start"] for e in events if e.get("start"))
    spans = sorted((e["id"], e["start"]) for e in events if e.get("end_date") and e["start"] != e["end"])
    span_id, span_start = spans[0]  # its start + 1 day still lies inside it
    types = Counter(e["type"] for e in events)
    edge = min(e["id"] for e in store.edges("PARTICIPATED_IN") if e["src"] == _top(takes))
    return Picks(
        person=_name(store, _top(takes)),
        person2=_name(store, _top(Counter({k: v for k, v in takes.items() if k != _top(takes)}))),
        holder=_name(store, _top(Counter(e["src"] for e in store.edges("HELD")))),
        org=_name(store, org),
        org_alias=min(_aliases(store, org)),
        post_org=_name(store, _top(Counter(post_in.values()))),
        post=str(post["name"]),
        rank=str(post["title"]),
        rank_org=_name(store, post_in[post["id"]]),
        place=_name(store, _top(places)),
        place_alias=min(alias for pid in places for alias in _aliases(store, pid)),
        target=_name(store, _top(Counter(e["dst"] for e in store.edges("TARGETS")))),
        goal_target=_name(store, min(e["dst"] for e in store.edges("ABOUT"))),
        event_id=event_id,
        event_label=str(event["label"])[:6],
        event_month=str(event["start"])[:7],
        event_person=_name(store, min(p for p, e in people_at if e == event_id)),
        span_event=span_id,
        span_from=_next_day(span_start),
        month_from=starts[len(starts) // 2][:7],
        month_to=_next_month(starts[len(starts) // 2][:7]),
        year=_top(Counter(s[:4] for s in starts)),
        common_type=_top(types),
        rare_type=min(types.items(), key=lambda kv: (kv[1], kv[0]))[0],
        edge_id=edge,
        person_id=_top(takes),
        article_id=min(n["id"] for n in store.nodes("Article")),
    )


# --- the parameter table: every canned query, several sets -------------------------------------------
ParamSet = Callable[[Picks], dict[str, str]]
NOBODY = "不存在的名字"

PARAM_SETS: dict[str, list[ParamSet]] = {
    "co_participants": [
        lambda p: {"name": p.person},
        lambda p: {"name": p.person2},
        lambda p: {"name": p.person, "from": p.month_from, "to": p.month_to},
        lambda p: {"name": NOBODY},
    ],
    "event_attendees": [
        lambda p: {"event_id": p.event_id},
        lambda p: {"label": p.event_label},
        lambda p: {"label": p.event_label, "date": p.event_month},
        lambda p: {"event_id": p.span_event, "date": p.span_from},
        lambda p: {"label": "会议", "date": p.year},
    ],
    "events_by_type": [
        lambda p: {},
        lambda p: {"type": p.common_type},
        lambda p: {"type": p.rare_type, "from": p.year},
        lambda p: {"from": p.span_from, "to": p.span_from},
        lambda p: {"from": p.month_from, "to": p.month_to},
    ],
    "most_active": [
        lambda p: {},
        lambda p: {"limit": "3"},
        lambda p: {"type": p.common_type, "limit": "50"},
        lambda p: {"from": p.month_from, "to": p.month_to, "limit": "1000"},
    ],
    "org_events": [
        lambda p: {"name": p.org},
        lambda p: {"name": p.org_alias},
        lambda p: {"name": p.org, "from": p.month_from, "to": p.month_to},
        lambda p: {"name": p.post_org},
    ],
    "org_people": [
        lambda p: {"name": p.post_org},
        lambda p: {"name": p.rank_org},
        lambda p: {"name": p.org_alias},
        lambda p: {"name": NOBODY},
    ],
    "person_posts": [
        lambda p: {"name": p.holder},
        lambda p: {"name": p.person},
        lambda p: {"name": p.event_person},
    ],
    "person_timeline": [
        lambda p: {"name": p.person},
        lambda p: {"name": p.person2, "from": p.month_from},
        lambda p: {"name": p.person, "from": p.month_from, "to": p.month_to},
        lambda p: {"name": p.event_person, "to": p.year},
    ],
    "place_events": [
        lambda p: {"name": p.place},
        lambda p: {"name": p.place_alias},
        lambda p: {"name": p.place, "from": p.month_from, "to": p.month_to},
    ],
    "post_holders": [
        lambda p: {"post": p.post},
        lambda p: {"post": p.rank},
        lambda p: {"organization": p.rank_org},
        lambda p: {"organization": p.rank_org, "rank": p.rank},
        lambda p: {"post": "书记", "organization": p.post_org},
    ],
    "provenance": [
        lambda p: {"id": p.person_id},
        lambda p: {"id": p.edge_id},
        lambda p: {"id": p.event_id},
        lambda p: {"id": p.article_id},
        lambda p: {"person": p.event_person, "event_id": p.event_id},
    ],
    "target_timeline": [
        lambda p: {"name": p.target},
        lambda p: {"name": p.goal_target},
        lambda p: {"name": NOBODY},
    ],
}


# --- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> list[ArticleFacts]:
    """The inputs extracted once by the real pipeline, built into facts."""
    corpus = tmp_path_factory.mktemp("parity") / f"official_news_{CORPUS_ARTICLES}.jsonl"
    with open(CORPUS, encoding="utf-8") as src:
        corpus.write_text("".join(itertools.islice(src, CORPUS_ARTICLES)), encoding="utf-8")
    items = list(extract_all([SHARED / "seed", ROOT / "examples", corpus]))
    failed = [str(i) for i in items if not isinstance(i, Record)]
    assert not failed, f"inputs failed to extract: {failed}"
    assert len(items) >= CORPUS_ARTICLES + 4
    return [build_facts(r, now=NOW) for r in items if isinstance(r, Record)]


@dataclass
class Pair:
    embedded: NetworkxStore
    neo4j: Store


@pytest.fixture(scope="module")
def stores(
    neo4j_store: Store, facts: list[ArticleFacts], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """Both stores holding the same facts (Neo4j first, so a missing server skips before extracting)."""
    embedded = NetworkxStore(tmp_path_factory.mktemp("parity-nx") / "graph.dashiji")
    assert embedded.put_articles(facts) == len(facts)
    assert neo4j_store.put_articles(facts) == len(facts)
    try:
        yield Pair(embedded, neo4j_store)
    finally:
        embedded.close()


@pytest.fixture(scope="module")
def picks(stores: Pair) -> Picks:
    return pick(stores.embedded)


# --- tests -------------------------------------------------------------------------------------------
def test_node_and_edge_counts_per_kind_are_equal(stores: Pair) -> None:
    counts = stores.embedded.counts()
    assert counts["Article"] >= CORPUS_ARTICLES + 4 and counts["PARTICIPATED_IN"] > 0
    assert stores.neo4j.counts() == counts


def _first_difference(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> str:
    for a, b in zip(left, right, strict=False):
        if a != b:
            keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            return f"{a.get('id')} / {b.get('id')} differ in {keys}"
    return f"lengths {len(left)} != {len(right)}"


def test_canonical_dumps_are_equal(stores: Pair) -> None:
    left, right = stores.embedded.dump(), stores.neo4j.dump()
    assert not any("ingested_at" in n for n in left["nodes"] + right["nodes"])
    for part in ("nodes", "edges"):
        assert left[part] == right[part], f"{part}: {_first_difference(left[part], right[part])}"


def test_every_canned_query_has_parameter_sets() -> None:
    assert sorted(PARAM_SETS) == sorted(load_queries()), "add parameter sets for new queries to PARAM_SETS"


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_query_rows_are_identical(name: str, stores: Pair, picks: Picks) -> None:
    sets = PARAM_SETS.get(name, [])
    assert len(sets) >= 2, f"query {name} needs parameter sets in PARAM_SETS (has {len(sets)})"
    found = 0
    for make in sets:
        params = make(picks)
        embedded = run_query(stores.embedded, name, params)
        assert run_query(stores.neo4j, name, params) == embedded, f"{name} {params}"
        found += bool(embedded)
    assert found, f"every parameter set of {name} gives no rows: the parity is vacuous"
