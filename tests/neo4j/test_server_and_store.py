"""The Neo4j store against a real Neo4j 5 server: `set -a; eval "$(bash tests/neo4j/server.sh start)"`.

Needs NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD). Without it every test here skips, loudly; with
DASHIJI_REQUIRE_NEO4J=1 (CI) they fail instead. The tests wipe the database they use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.model import ArticleFacts, EdgeFact, Evidence, NodeFact, edge_id, merge_props, stable_id
from graph.store.neo4j_store import Neo4jStore
from graph.store.networkx_store import NetworkxStore
from ingest.errors import ConnectionFailed, DashijiError, QueryError, StoreError
from queries.registry import run_query

pytestmark = pytest.mark.neo4j

URI = os.environ.get("NEO4J_URI")
USER = os.environ.get("NEO4J_USER", "neo4j")
PASSWORD = os.environ.get("NEO4J_PASSWORD")

LIN = stable_id("Person", "林建国")
ZHOU = stable_id("Person", "周晓梅")
SHIWEI = stable_id("Organization", "南溪市委")
SECRETARY = stable_id("Post", "南溪市委书记")


def _need_server() -> None:
    if URI:
        return
    reason = (
        "NEO4J_URI is not set: Neo4j tests NOT RUN "
        '(start one: set -a; eval "$(bash tests/neo4j/server.sh start)"; set +a)'
    )
    if os.environ.get("DASHIJI_REQUIRE_NEO4J") == "1":
        pytest.fail(reason + " but DASHIJI_REQUIRE_NEO4J=1")
    pytest.skip(reason)


@pytest.fixture
def store() -> Iterator[Neo4jStore]:
    _need_server()
    assert URI is not None
    try:
        s = Neo4jStore(URI, USER, PASSWORD)
    except ConnectionFailed as err:
        if os.environ.get("DASHIJI_REQUIRE_NEO4J") == "1":
            raise
        pytest.skip(f"Neo4j tests NOT RUN: {err}")
    s.wipe()
    yield s
    s.wipe()
    s.close()


def ev(article: str, start: int, end: int, confidence: float = 0.9) -> list[Evidence]:
    return [Evidence(article, start, end, "test-0.1", confidence)]


def article(
    aid: str, date: str, text_hash: str, people: dict[str, str], held_title: str | None
) -> ArticleFacts:
    """A small article: its Article node, an Event, the people at it, and Lin's post if held_title."""
    art = stable_id("Article", aid)
    evt = stable_id("Event", aid, "meeting")
    nodes = [
        NodeFact(
            art, "Article", {"title": f"标题{aid}", "date": date, "content_hash": text_hash}, ev(aid, 0, 9)
        ),
        NodeFact(
            evt,
            "Event",
            {
                "type": "meeting",
                "label": f"会议{aid}",
                "date": date,
                "start": date,
                "end": date,
                "location": None,
            },
            ev(aid, 0, 20),
        ),
        NodeFact(SHIWEI, "Organization", {"name": "南溪市委", "aliases": ["市委"]}, ev(aid, 2, 6)),
    ]
    edges = [EdgeFact(edge_id("ORGANIZED", SHIWEI, evt), "ORGANIZED", SHIWEI, evt, {}, ev(aid, 2, 6))]
    for pid, name in people.items():
        nodes.append(NodeFact(pid, "Person", {"name": name, "aliases": [f"{name}同志"]}, ev(aid, 10, 13)))
        edges.append(
            EdgeFact(
                edge_id("PARTICIPATED_IN", pid, evt),
                "PARTICIPATED_IN",
                pid,
                evt,
                {"role": "host", "title": None},
                ev(aid, 10, 13),
            )
        )
        edges.append(
            EdgeFact(edge_id("MENTIONED_IN", pid, art), "MENTIONED_IN", pid, art, {}, ev(aid, 10, 13))
        )
    if held_title:
        nodes.append(
            NodeFact(
                SECRETARY,
                "Post",
                {"name": "南溪市委书记", "title": "书记", "organization": "南溪市委"},
                ev(aid, 4, 10),
            )
        )
        edges.append(
            EdgeFact(
                edge_id("HELD", LIN, SECRETARY),
                "HELD",
                LIN,
                SECRETARY,
                {"first_seen": date, "last_seen": date, "title": held_title},
                ev(aid, 4, 13),
            )
        )
        edges.append(
            EdgeFact(edge_id("POST_IN", SECRETARY, SHIWEI), "POST_IN", SECRETARY, SHIWEI, {}, ev(aid, 4, 10))
        )
    return ArticleFacts(aid, text_hash, nodes, edges)


A1 = article("a1", "2024-03-05", "h1", {LIN: "林建国", ZHOU: "周晓梅"}, "市委书记")
A2 = article("a2", "2024-01-10", "h2", {LIN: "林建国"}, "南溪市委书记")


def test_two_articles_share_a_person(store: Neo4jStore) -> None:
    assert store.put_articles([A1, A2]) == 2
    lin = store.node(LIN)
    assert lin is not None
    assert lin["kind"] == "Person" and lin["name"] == "林建国"
    assert lin["articles"] == ["a1", "a2"]
    assert lin["evidence"] == [["a1", 10, 13], ["a2", 10, 13]]
    assert lin["extractor"] == "test-0.1" and lin["confidence"] == 0.9
    assert store.counts() == {
        "Article": 2,
        "Event": 2,
        "Person": 2,
        "Organization": 1,
        "Post": 1,
        "ORGANIZED": 2,
        "PARTICIPATED_IN": 3,
        "MENTIONED_IN": 3,
        "HELD": 1,
        "POST_IN": 1,
    }
    assert [n["id"] for n in store.find_nodes("Person", "林建国同志")] == [LIN]
    assert [n["id"] for n in store.find_nodes("Organization", "市委")] == [SHIWEI]
    assert store.find_nodes("Person", "林建") == []
    assert store.article_hash("a1") == "h1" and store.article_hash("nope") is None
    part = [e for e in store.edges("PARTICIPATED_IN") if e["src"] == ZHOU]
    assert len(part) == 1 and part[0]["role"] == "host" and part[0]["title"] is None
    assert part[0]["dst"] == stable_id("Event", "a1", "meeting")


def test_held_merges_first_and_last_seen(store: Neo4jStore) -> None:
    store.put_articles([A1])
    store.put_articles([A2])
    (held,) = list(store.edges("HELD"))
    assert held["first_seen"] == "2024-01-10" and held["last_seen"] == "2024-03-05"
    assert held["title"] == "市委书记"  # smallest article id wins for plain properties
    expected = merge_props([("a1", A1.edges[-2].props), ("a2", A2.edges[-2].props)])
    assert {k: held[k] for k in expected} == expected
    # the merged values are real properties too, for Cypher queries
    rows = store.cypher(
        "MATCH (:Person)-[h:HELD]->(p:Post) RETURN h.first_seen AS f, h.last_seen AS l, p.name AS p"
    )
    assert rows == [{"f": "2024-01-10", "l": "2024-03-05", "p": "南溪市委书记"}]


def test_same_hash_is_skipped_and_order_does_not_matter(store: Neo4jStore) -> None:
    store.put_articles([A2, A1])
    first = store.dump()
    assert store.put_articles([A1, A2]) == 0
    store.wipe()
    store.put_articles([A1])
    store.put_articles([A2])
    assert store.dump() == first


def test_changed_article_replaces_exactly_its_facts(store: Neo4jStore) -> None:
    store.put_articles([A1, A2])
    before = {n["id"]: n for n in store.nodes()}
    # a1 again, changed: 周晓梅 is gone, no post, the meeting moved a day
    new_a1 = article("a1", "2024-03-06", "h1b", {LIN: "林建国"}, None)
    assert store.put_articles([new_a1]) == 1
    assert store.node(ZHOU) is None
    held = list(store.edges("HELD"))
    assert [(h["first_seen"], h["last_seen"], h["articles"]) for h in held] == [
        ("2024-01-10", "2024-01-10", ["a2"])
    ]
    event = store.node(stable_id("Event", "a1", "meeting"))
    assert event is not None and event["date"] == "2024-03-06"
    # a2's own nodes have not moved
    a2_event = stable_id("Event", "a2", "meeting")
    assert store.node(a2_event) == before[a2_event]
    assert store.article_hash("a1") == "h1b"


def test_remove_article(store: Neo4jStore) -> None:
    store.put_articles([A1, A2])
    assert store.remove_article("a2") is True
    assert store.remove_article("a2") is False
    assert store.article_hash("a2") is None
    assert store.node(stable_id("Event", "a2", "meeting")) is None
    lin = store.node(LIN)
    assert lin is not None and lin["articles"] == ["a1"]
    assert [h["first_seen"] for h in store.edges("HELD")] == ["2024-03-05"]
    store.wipe()
    store.put_articles([A1])
    assert store.remove_article("a1") is True
    assert store.counts() == {}


def test_injection_in_a_name_is_stored_verbatim_and_deletes_nothing(store: Neo4jStore) -> None:
    store.put_articles([A1])
    evil = "x'}) MATCH (n) DETACH DELETE n //\"` ;"
    pid = stable_id("Person", evil)
    facts = ArticleFacts(
        "a3", "h3", [NodeFact(pid, "Person", {"name": evil, "aliases": [evil]}, ev("a3", 0, 5))]
    )
    store.put_articles([facts])
    assert [n["name"] for n in store.find_nodes("Person", evil)] == [evil]
    assert store.counts()["Person"] == 3 and store.counts()["Article"] == 1
    assert list(store.nodes("Person`) DETACH DELETE n //")) == []
    assert store.find_nodes("Person) DETACH DELETE (n", "x") == []
    assert store.counts()["Person"] == 3


def test_cypher_reads_and_refuses_writes_in_read_mode(store: Neo4jStore) -> None:
    store.put_articles([A1])
    assert store.cypher("MATCH (p:Person {name: $n}) RETURN p.id AS id", {"n": "周晓梅"}) == [{"id": ZHOU}]
    with pytest.raises(QueryError) as err:
        store.cypher("CREATE (:Person {id: 'x'})")
    assert isinstance(err.value, DashijiError) and "\n" not in str(err.value)
    assert store.cypher("MATCH (p:Person {id: 'x'}) RETURN p") == []
    assert store.cypher("CREATE (t:Scratch) RETURN 1 AS one", write=True) == [{"one": 1}]
    with pytest.raises(QueryError):
        store.cypher("THIS IS NOT CYPHER")


def test_wrong_password_unknown_database_and_no_server(store: Neo4jStore) -> None:
    assert URI is not None  # and the server answers: the store fixture connected
    wrong = "wrong-pass-7f3a9c"
    with pytest.raises(ConnectionFailed) as err:
        Neo4jStore(URI, USER, wrong)
    assert wrong not in str(err.value) and "authentication" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ConnectionFailed) as err:
        Neo4jStore(URI, USER, PASSWORD, database="nosuchdb")
    assert "nosuchdb" in str(err.value)
    if PASSWORD:
        assert PASSWORD not in str(err.value)
    with pytest.raises(ConnectionFailed) as err:
        Neo4jStore("bolt://127.0.0.1:1", USER, wrong)
    assert "cannot reach" in str(err.value) and wrong not in str(err.value)
    with pytest.raises(ConnectionFailed, match="not a Neo4j URI"):
        Neo4jStore("http://127.0.0.1:7474", USER, wrong)


def test_same_views_as_the_embedded_store(store: Neo4jStore, tmp_path: Path) -> None:
    twin = NetworkxStore(tmp_path / "twin.dashiji")
    changed = article("a1", "2024-03-06", "h1b", {LIN: "林建国"}, None)
    for s in (store, twin):
        s.put_articles([A2, A1])
        s.put_articles([changed])
    assert store.dump() == twin.dump()
    assert store.counts() == twin.counts()
    assert store.find_nodes("Person", " 林建国同志 ") == twin.find_nodes("Person", " 林建国同志 ")
    for s in (store, twin):
        s.remove_article("a2")
    assert store.dump() == twin.dump()
    twin.close()


def test_an_edge_to_a_node_the_article_lacks_is_refused(store: Neo4jStore) -> None:
    bad = ArticleFacts(
        "a9",
        "h9",
        [NodeFact(LIN, "Person", {"name": "林建国"}, ev("a9", 0, 3))],
        [EdgeFact(edge_id("HELD", LIN, SECRETARY), "HELD", LIN, SECRETARY, {}, ev("a9", 0, 3))],
    )
    with pytest.raises(StoreError, match="joins a node the article lacks"):
        store.put_articles([A1, bad])
    assert store.counts() == {}  # the whole chunk was rolled back


def test_events_of_an_older_database_get_their_span_on_connect(store: Neo4jStore) -> None:
    """A database written before `_span` existed (no property, no index) is given both on the next
    connect, so the date-range queries find its events."""

    assert URI is not None
    store.put_articles([A1, A2])
    store.cypher("MATCH (e:Event) REMOVE e._span", write=True)
    store.cypher("DROP INDEX event_span_start", write=True)
    assert run_query(store, "events_by_type", {"from": "2024-01-01", "to": "2024-12-31"}) == []

    again = Neo4jStore(URI, USER, PASSWORD)
    try:
        rows = run_query(again, "events_by_type", {"from": "2024-01-01", "to": "2024-12-31"})
        assert [r["date"] for r in rows] == ["2024-01-10", "2024-03-05"]
    finally:
        again.close()


def test_contributions_stored_as_a_list_by_an_earlier_version_are_still_read(store: Neo4jStore) -> None:
    """`_contrib` and the ledger's `nodes`, `edges` and `extra` are strings of lines; an earlier version
    stored lists of strings. A database written that way reads the same views, and re-putting or removing
    its articles still works."""
    store.put_articles([A1, A2])
    views = {n["id"]: n for n in store.nodes()}
    edges = {e["id"]: e for e in store.edges()}
    to_list = "SET x._contrib = split(x._contrib, '\\n')"
    store.cypher(f"MATCH (x:Node) {to_list}", write=True)
    store.cypher(f"MATCH ()-[x]->() {to_list}", write=True)
    store.cypher(
        "MATCH (l:ArticleLedger) SET l.nodes = split(l.nodes, '\\n'), l.edges = split(l.edges, '\\n'), "
        "l.extra = split(l.extra, '\\n')",
        write=True,
    )
    assert isinstance(store.cypher("MATCH (l:ArticleLedger {article: 'a1'}) RETURN l.nodes AS n")[0]["n"], list)
    listed = store.cypher("MATCH (n:Node {id: $id}) RETURN n._contrib AS c", {"id": ZHOU})
    assert isinstance(listed[0]["c"], list)

    assert {n["id"]: n for n in store.nodes()} == views
    assert {e["id"]: e for e in store.edges()} == edges
    # a1 changed: the views it touches are rebuilt from the listed contributions, and written as lines
    assert store.put_articles([article("a1", "2024-03-06", "h1b", {LIN: "林建国"}, None)]) == 1
    lin = store.node(LIN)
    assert lin is not None and lin["articles"] == ["a1", "a2"]
    assert store.node(ZHOU) is None
    stored = store.cypher("MATCH (n:Node {id: $id}) RETURN n._contrib AS c", {"id": LIN})[0]["c"]
    assert isinstance(stored, str) and len(stored.split("\n")) == 2
    assert store.remove_article("a2") is True
    lin = store.node(LIN)
    assert lin is not None and lin["articles"] == ["a1"]


def _own_article(aid: str, text: str, text_hash: str) -> ArticleFacts:
    """An article whose Article node is its own (article id == node id, as `graph.build` makes them)."""
    art = stable_id("Article", aid)
    node = NodeFact(art, "Article", {"title": "标题", "text": text, "content_hash": text_hash}, ev(art, 0, 4))
    person = NodeFact(LIN, "Person", {"name": "林建国", "aliases": []}, ev(art, 6, 9))
    mention = EdgeFact(edge_id("MENTIONED_IN", LIN, art), "MENTIONED_IN", LIN, art, {}, ev(art, 6, 9))
    return ArticleFacts(art, text_hash, [node, person], [mention])


def test_an_article_text_is_stored_once_and_read_whole(store: Neo4jStore, tmp_path: Path) -> None:
    """The Article node holds its text as a property; its contribution's JSON leaves the text out, and
    every read puts it back: the views equal the embedded store's, before and after the text changes."""
    first, second = _own_article("t1", "南溪市委书记林建国主持会议。", "h1"), _own_article("t2", "林建国讲话。", "h2")
    art = first.article_id
    embedded = NetworkxStore(tmp_path / "g.dashiji")
    for s in (store, embedded):
        s.put_articles([first, second])
    stored = store.cypher("MATCH (a:Article {id: $id}) RETURN a.text AS t, a._contrib AS c", {"id": art})[0]
    assert stored["t"] == "南溪市委书记林建国主持会议。" and "主持会议" not in stored["c"]
    assert store.node(art) == embedded.node(art)
    assert {n["id"]: n for n in store.nodes("Article")} == {n["id"]: n for n in embedded.nodes("Article")}
    assert run_query(store, "provenance", {"id": art}) == run_query(embedded, "provenance", {"id": art})

    changed = _own_article("t1", "南溪市委书记林建国出席会议。", "h1b")
    for s in (store, embedded):
        assert s.put_articles([changed]) == 1
    assert store.node(art) == embedded.node(art)
    node = store.node(art)
    assert node is not None and node["text"] == "南溪市委书记林建国出席会议。"

    # a database written before: the text also inside the contribution, which reads the same
    props = {"content_hash": "h1b", "text": "南溪市委书记林建国出席会议。", "title": "标题"}
    older = json.dumps({"a": art, "e": [[0, 4, "test-0.1", 0.9]], "p": props}, ensure_ascii=False)
    store.cypher("MATCH (a:Article {id: $id}) SET a._contrib = $c", {"id": art, "c": older}, write=True)
    assert store.node(art) == embedded.node(art)
