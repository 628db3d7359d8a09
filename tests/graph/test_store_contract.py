"""The `Store` contract, run on every store kind through the `store` fixture (networkx and Neo4j)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.model import ArticleFacts, stable_id
from graph.store.base import Store
from ingest.records import PostRef, Record

Build = Callable[[Record], ArticleFacts]
MakeMeeting = Callable[..., Record]

SECRETARY = [PostRef("市委书记", "市委", "书记")]
DEPUTY = [PostRef("市委副书记", "市委", "副书记")]


@pytest.fixture
def two(make_meeting: MakeMeeting, build: Build) -> tuple[ArticleFacts, ArticleFacts]:
    """Two articles that share 章旭升, his post and 永康市委; each also names someone of its own."""
    a = make_meeting("art-a", "2024-01-02", [("章旭升", "host", SECRETARY), ("陈美蓉", "attendee", [])])
    b = make_meeting(
        "art-b",
        "2024-03-05",
        [("章旭升", "speaker", SECRETARY), ("胡勇春", "attendee", DEPUTY)],
        org="中共永康市委",
        label="市委全会",
    )
    return build(a), build(b)


def _person(store: Store, name: str) -> dict:
    hits = store.find_nodes("Person", name)
    assert len(hits) == 1, hits
    return hits[0]


def test_empty_store(store: Store) -> None:
    assert store.counts() == {}
    assert list(store.nodes()) == [] and list(store.edges()) == []
    assert store.article_hash("art:none") is None
    assert store.node("per:none") is None
    assert store.find_nodes("Person", "章旭升") == []


def test_put_then_read(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    a, _b = two
    assert store.put_articles([a]) == 1
    assert store.article_hash(a.article_id) == a.content_hash
    counts = store.counts()
    assert counts["Article"] == 1 and counts["Event"] == 1 and counts["Person"] == 2
    assert counts["HELD"] == 1 and counts["PARTICIPATED_IN"] == 2 and counts["ORGANIZED"] == 1
    assert sum(v for k, v in counts.items() if k[0].isupper() and not k.isupper()) == len(a.nodes)
    assert sum(v for k, v in counts.items() if k.isupper()) == len(a.edges)
    person = _person(store, "章旭升")
    assert person["kind"] == "Person" and person["articles"] == [a.article_id]
    assert store.node(person["id"]) == person
    assert all(ev[0] == a.article_id for ev in person["evidence"])


def test_unchanged_hash_is_skipped(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    a, b = two
    assert store.put_articles([a, b]) == 2
    before = store.dump()
    assert store.put_articles([a, b]) == 0
    assert store.dump() == before


def test_reput_replaces_exactly_that_article(
    store: Store, two: tuple[ArticleFacts, ArticleFacts], make_meeting: MakeMeeting, build: Build
) -> None:
    a, b = two
    store.put_articles([a, b])
    revised = build(
        make_meeting("art-a", "2024-01-02", [("章旭升", "host", SECRETARY), ("朱世道", "attendee", [])])
    )
    assert revised.article_id == a.article_id and revised.content_hash != a.content_hash
    assert store.put_articles([revised]) == 1
    assert store.find_nodes("Person", "陈美蓉") == []  # only article A named her
    assert _person(store, "朱世道")["articles"] == [a.article_id]
    assert _person(store, "章旭升")["articles"] == sorted([a.article_id, b.article_id])
    assert _person(store, "胡勇春")["articles"] == [b.article_id]
    assert store.article_hash(a.article_id) == revised.content_hash


def test_remove_article(store: Store, two: tuple[ArticleFacts, ArticleFacts], build: Build) -> None:
    a, b = two
    store.put_articles([b])
    only_b = store.dump()
    store.put_articles([a])
    assert store.remove_article(a.article_id) is True
    assert store.remove_article(a.article_id) is False
    assert store.article_hash(a.article_id) is None
    assert store.dump() == only_b
    assert store.remove_article(b.article_id) is True
    assert store.counts() == {}


def test_merged_props_across_articles(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    a, b = two
    store.put_articles([a, b])
    person = _person(store, "章旭升")
    held = [e for e in store.edges("HELD") if e["src"] == person["id"]]
    assert len(held) == 1
    assert (held[0]["first_seen"], held[0]["last_seen"]) == ("2024-01-02", "2024-03-05")
    assert held[0]["articles"] == sorted([a.article_id, b.article_id])
    assert {ev[0] for ev in held[0]["evidence"]} == {a.article_id, b.article_id}
    org = store.find_nodes("Organization", "永康市委")
    assert len(org) == 1 and set(org[0]["aliases"]) >= {"市委", "中共永康市委"}


def test_find_nodes_by_name_and_alias(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    store.put_articles(list(two))
    by_name = store.find_nodes("Organization", "永康市委")
    assert [n["name"] for n in by_name] == ["永康市委"]
    assert store.find_nodes("Organization", "中共永康市委") == by_name
    assert store.find_nodes("Organization", "市委") == by_name
    assert store.find_nodes("Person", "永康市委") == []
    assert [n["name"] for n in store.find_nodes("Post", "永康市委书记")] == ["永康市委书记"]


def test_aliases_leave_with_their_article(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    a, b = two
    store.put_articles([a, b])
    store.remove_article(b.article_id)
    assert store.find_nodes("Organization", "中共永康市委") == []
    assert [n["name"] for n in store.find_nodes("Organization", "市委")] == ["永康市委"]


def test_ingest_order_does_not_matter(store: Store, two: tuple[ArticleFacts, ArticleFacts]) -> None:
    a, b = two
    store.put_articles([a, b])
    forward = store.dump()
    store.remove_article(a.article_id)
    store.remove_article(b.article_id)
    assert store.counts() == {}
    store.put_articles([b])
    store.put_articles([a])
    assert store.dump() == forward


def test_views_have_the_documented_shape(store: Store, seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    store.put_articles([facts])
    for node in store.nodes():
        assert {"id", "kind", "articles", "evidence", "extractor", "confidence"} <= set(node)
        assert all(len(ev) == 3 for ev in node["evidence"])
    for edge in store.edges():
        assert {"id", "kind", "src", "dst", "articles", "evidence"} <= set(edge)
        assert store.node(edge["src"]) is not None and store.node(edge["dst"]) is not None
    article = store.node(stable_id("Article", seed_record.id))
    assert article is not None and article["text"] == seed_record.text
    assert {e["kind"] for e in store.edges("PART_OF")} == {"PART_OF"}
    assert {n["kind"] for n in store.nodes("Post")} == {"Post"}
    assert len(list(store.nodes("Post"))) == store.counts()["Post"] == 4
