"""RDF export: standard vocabularies, SHACL shapes that bite, round trips via rdflib and pyoxigraph.

Every test that takes `store` runs on the embedded networkx store and on Neo4j (see conftest.py), filled from
hand-made records through `graph.build`.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from graph.model import ArticleFacts
from graph.rdf import OA, SCHEMA, SEM, export_rdf, serialize, to_rdflib, validate
from graph.store.base import Store
from graph.store.networkx_store import NetworkxStore
from ingest.errors import InputError
from ingest.records import Event, Goal, Mention, Participant, PostRef, Record

Build = Callable[[Record], ArticleFacts]

# the standard namespaces, spelled out here so the tests do not trust the exporter's constants
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
DASHIJI = Namespace("https://dashiji.example/ns#")
ID = "https://dashiji.example/id/"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

TOUR_TEXT = "1月2日至3日，市委书记章旭升赴龙山镇调研。近日，市政府印发行动方案。2021年，全市举办技能大赛。"


def tour_record() -> Record:
    """A multi-day inspection (days), a release known to the month, a competition known to the year."""
    tour = Event(
        type="inspection",
        date="2022-01-02",
        end_date="2022-01-03",
        label="章旭升赴龙山镇调研",
        location="龙山镇",
        span=(0, 22),
        participants=[
            Participant("章旭升", "inspector", "市委书记", [PostRef("市委书记", "市委", "书记")], (12, 15))
        ],
    )
    release = Event(
        type="release", date="2022-01", precision="month", label="市政府印发行动方案", span=(22, 35)
    )
    contest = Event(type="competition", date="2021", precision="year", label="全市技能大赛", span=(35, 49))
    return Record(
        id="tour-1",
        text=TOUR_TEXT,
        title="章旭升赴龙山镇调研",
        date="2022-01-04",
        locale="永康",
        events=[tour, release, contest],
        mentions=[Mention("章旭升", "person", [(12, 15)])],
    )


@pytest.fixture
def records(seed_record: Record, make_meeting: Callable[..., Record]) -> list[Record]:
    """Three articles (conftest's seed-like page, a meeting, the tour): 章旭升 holds 永康市委书记 in all."""
    posts = [PostRef("市委书记", "市委", "书记")]
    meeting = make_meeting("m-1", "2022-01-05", [("章旭升", "host", posts), ("胡勇春", "attendee", [])])
    return [seed_record, meeting, tour_record()]


@pytest.fixture
def filled(store: Store, build: Build, records: list[Record]) -> Store:
    store.put_articles(build(r) for r in records)
    return store


@pytest.fixture
def graph(filled: Store) -> Graph:
    return to_rdflib(filled)


def _networkx(path: Path, facts: list[ArticleFacts]) -> NetworkxStore:
    store = NetworkxStore(path)
    store.put_articles(facts)
    return store


def _id(store: Store, kind: str, name: str) -> str:
    found = store.find_nodes(kind, name)
    assert len(found) == 1, (kind, name, found)
    return str(found[0]["id"])


def _iri(node_id: str) -> URIRef:
    prefix, _, rest = node_id.partition(":")
    return URIRef(f"{ID}{prefix}/{rest}")


def _event(store: Store, event_type: str) -> dict[str, Any]:
    return next(n for n in store.nodes("Event") if n["type"] == event_type)


class Patched:
    """The read side of a store with one node's properties changed: our own data, made wrong on purpose."""

    def __init__(self, store: Store, node_id: str, **changes: Any) -> None:
        self.store, self.node_id, self.changes = store, node_id, changes

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        for n in self.store.nodes(kind):
            yield {**n, **self.changes} if n["id"] == self.node_id else n

    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        return self.store.edges(kind)


# --- the shapes accept the export and reject broken graphs ------------------------------------------


def test_export_conforms_to_shapes(graph: Graph) -> None:
    conforms, report = validate(graph)
    assert conforms, report


def _set_event(field: str, value: Any) -> Callable[[list[Record]], None]:
    return lambda records: setattr(records[0].events[0], field, value)


def _set_goal_deadline(records: list[Record]) -> None:
    records[0].goals[0].deadline = "2023年"


def _set_article_date(records: list[Record]) -> None:
    records[1].date = "2022-1-5"


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_set_event("date", None), "an event needs a timestamp"),
        (_set_event("date", "2021-02-30"), "djsh:DateValue"),  # no such day
        (_set_event("end_date", "2022-1-3"), "djsh:DateValue"),
        (_set_event("type", ""), "exactly one event type"),
        (_set_goal_deadline, "djsh:DateValue"),
        (_set_article_date, "djsh:DateValue"),
    ],
    ids=["event-without-date", "impossible-date", "malformed-end", "no-type", "goal-deadline", "published"],
)
def test_broken_records_do_not_conform(
    breaks: Callable[[list[Record]], None], message: str, records: list[Record], build: Build, tmp_path: Path
) -> None:
    breaks(records)
    with _networkx(tmp_path / "g.dashiji", [build(r) for r in records]) as store:
        conforms, report = validate(to_rdflib(store))
    assert not conforms
    assert message in report


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": None}, "a person needs exactly one non-empty schema:name"),
        ({"name": ""}, "a person needs exactly one non-empty schema:name"),
        ({"articles": [], "evidence": []}, "derived from at least one article"),
        ({"evidence": [["art:0", 5, 2]]}, "oa:start <= oa:end"),
    ],
    ids=["no-name", "empty-name", "no-article", "start-after-end"],
)
def test_broken_person_does_not_conform(filled: Store, changes: dict[str, Any], message: str) -> None:
    broken = Patched(filled, _id(filled, "Person", "卢耀辉"), **changes)
    conforms, report = validate(to_rdflib(broken))  # type: ignore[arg-type]
    assert not conforms
    assert message in report


def test_article_needs_a_headline_or_an_identifier(filled: Store) -> None:
    article = next(n for n in filled.nodes("Article") if n["record_id"] == "m-1")
    g = to_rdflib(filled)
    assert g.value(_iri(article["id"]), SCHEMA.headline) is None  # untitled: the identifier is enough
    assert validate(g)[0]
    g.remove((_iri(article["id"]), SCHEMA.identifier, None))
    conforms, report = validate(g)
    assert not conforms
    assert "an article needs a headline or an identifier" in report


def test_membership_needs_an_organization_or_a_post(graph: Graph) -> None:
    membership = next(iter(graph.subjects(RDF.type, ORG.Membership)))
    graph.remove((membership, ORG.organization, None))
    assert validate(graph)[0]  # the post alone is enough
    graph.remove((membership, DASHIJI.post, None))
    assert not validate(graph)[0]


def test_ill_typed_or_doubled_event_facts_do_not_conform(graph: Graph) -> None:
    event = next(iter(graph.subjects(SEM.hasTimeStamp, None)))
    graph.remove((event, SEM.hasTimeStamp, None))
    graph.add((event, SEM.hasTimeStamp, Literal("2024-02-30", datatype=XSD.date)))
    assert not validate(graph)[0]
    graph.set((event, SEM.hasTimeStamp, Literal("2024-02-29", datatype=XSD.date)))
    assert validate(graph)[0]
    graph.add((event, SEM.eventType, URIRef("https://dashiji.example/ns/event-type/meeting")))
    graph.add((event, SEM.eventType, URIRef("https://dashiji.example/ns/event-type/forum")))
    assert not validate(graph)[0]


# --- vocabularies used the standard way -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "stamp", "datatype", "unit"),
    [
        ("meeting", "2022-01-05", XSD.date, TIME.unitDay),
        ("release", "2022-01", XSD.gYearMonth, TIME.unitMonth),
        ("competition", "2021", XSD.gYear, TIME.unitYear),
    ],
)
def test_event_time_is_typed_by_precision(
    filled: Store, graph: Graph, event_type: str, stamp: str, datatype: URIRef, unit: URIRef
) -> None:
    event = _iri(_event(filled, event_type)["id"])
    assert graph.value(event, SEM.hasTimeStamp) == Literal(stamp, datatype=datatype)
    assert graph.value(event, SEM.eventType) == URIRef(f"https://dashiji.example/ns/event-type/{event_type}")
    instant = graph.value(event, TIME.hasTime)
    assert (instant, RDF.type, TIME.Instant) in graph
    description = graph.value(instant, TIME.inDateTime)
    assert graph.value(description, TIME.unitType) == unit
    assert graph.value(description, TIME.year) == Literal(stamp[:4], datatype=XSD.gYear)


def test_multi_day_event_has_begin_end_and_an_interval(filled: Store, graph: Graph) -> None:
    event = _iri(_event(filled, "inspection")["id"])
    assert graph.value(event, SEM.hasTimeStamp) is None
    assert graph.value(event, SEM.hasBeginTimeStamp) == Literal("2022-01-02", datatype=XSD.date)
    assert graph.value(event, SEM.hasEndTimeStamp) == Literal("2022-01-03", datatype=XSD.date)
    interval = graph.value(event, TIME.hasTime)
    assert (interval, RDF.type, TIME.Interval) in graph
    end = graph.value(graph.value(interval, TIME.hasEnd), TIME.inDateTime)
    assert graph.value(end, TIME.day) == Literal("---03", datatype=XSD.gDay)
    assert (event, SEM.hasPlace, _iri(_id(filled, "Place", "龙山镇"))) in graph


def test_participation_is_a_sem_role(filled: Store, graph: Graph) -> None:
    event = _iri(_event(filled, "meeting")["id"])
    zhang = _iri(_id(filled, "Person", "章旭升"))
    assert (event, SEM.hasActor, zhang) in graph
    roles = [r for r in graph.objects(event, SEM.hasActor) if (r, RDF.type, SEM.Role) in graph]
    by_actor = {graph.value(r, RDF.value): graph.value(r, SEM.roleType) for r in roles}
    assert by_actor[zhang] == URIRef("https://dashiji.example/ns/role/host")
    assert by_actor[_iri(_id(filled, "Organization", "永康市委"))] == URIRef(
        "https://dashiji.example/ns/role/organizer"
    )


def test_held_post_is_an_org_membership_over_the_attested_dates(filled: Store, graph: Graph) -> None:
    zhang, shiwei = _iri(_id(filled, "Person", "章旭升")), _iri(_id(filled, "Organization", "永康市委"))
    post = _iri(_id(filled, "Post", "永康市委书记"))
    membership = next(m for m in graph.subjects(ORG.member, zhang) if (m, DASHIJI.post, post) in graph)
    assert (membership, RDF.type, ORG.Membership) in graph
    assert graph.value(membership, ORG.organization) == shiwei
    assert (post, ORG.postIn, shiwei) in graph
    assert (post, ORG.heldBy, zhang) in graph
    during = graph.value(membership, ORG.memberDuring)
    begin, end = graph.value(during, TIME.hasBeginning), graph.value(during, TIME.hasEnd)
    assert graph.value(begin, TIME.inXSDDate) == Literal("2021-12-31", datatype=XSD.date)
    assert graph.value(end, TIME.inXSDDate) == Literal("2022-01-05", datatype=XSD.date)


def test_evidence_annotations_quote_the_article_text(filled: Store, graph: Graph) -> None:
    texts: dict[Any, str] = {_iri(n["id"]): n["text"] for n in filled.nodes("Article")}
    quotes = 0
    for ann in graph.subjects(RDF.type, OA.Annotation):
        assert graph.value(ann, OA.hasBody) is not None
        target = graph.value(ann, OA.hasTarget)
        text = texts[graph.value(target, OA.hasSource)]
        selectors = {graph.value(s, RDF.type): s for s in graph.objects(target, OA.hasSelector)}
        position = selectors[OA.TextPositionSelector]
        start, end = (int(str(graph.value(position, p))) for p in (OA.start, OA.end))
        assert str(graph.value(selectors[OA.TextQuoteSelector], OA.exact)) == text[start:end]
        quotes += 1
    assert quotes > 20
    zhang = _iri(_id(filled, "Person", "章旭升"))
    exact = {str(o) for o in graph.objects(None, OA.exact)}
    assert any(graph.value(a, OA.hasBody) == zhang for a in graph.subjects(RDF.type, OA.Annotation))
    assert "章旭升" in exact


def test_every_fact_is_derived_from_an_article_by_the_extractor(filled: Store, graph: Graph) -> None:
    facts = set(graph.subjects(PROV.wasAttributedTo, None))
    n_nodes = sum(1 for n in filled.nodes() if n["kind"] != "Article")
    assert len(facts) == n_nodes + sum(1 for _ in filled.edges())
    articles = set(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == 3
    assert all(set(graph.objects(f, PROV.wasDerivedFrom)) <= articles for f in facts)
    assert all(graph.value(f, PROV.wasDerivedFrom) is not None for f in facts)
    agent = next(iter(graph.objects(None, PROV.wasAttributedTo)))
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph
    assert graph.value(agent, SCHEMA.softwareVersion) == Literal("0.1.0")
    identifiers = {str(graph.value(a, SCHEMA.identifier)) for a in articles}
    assert identifiers == {"seed#2", "m-1", "tour-1"}


# --- identity and round trips -----------------------------------------------------------------------


def test_no_blank_nodes_and_iris_follow_node_ids(filled: Store, graph: Graph) -> None:
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    for node in filled.nodes():
        assert (_iri(node["id"]), RDF.type, None) in graph


def test_base_iri_is_configurable(filled: Store, graph: Graph) -> None:
    other = to_rdflib(filled, base="https://example.org/kg")
    own = {str(s) for s in other.subjects() if not str(s).startswith("https://dashiji.example/ns")}
    assert own and all(s.startswith("https://example.org/kg/") for s in own)
    assert len(other) == len(graph)


def test_same_triples_from_any_store_and_ingest_order(
    filled: Store, records: list[Record], build: Build, tmp_path: Path
) -> None:
    """This store exports the same bytes as a networkx store filled in the opposite order."""
    facts = [build(r) for r in records]
    with _networkx(tmp_path / "reversed.dashiji", facts[::-1]) as other:
        for fmt in ("nt", "turtle", "json-ld"):
            first = serialize(to_rdflib(filled), fmt)
            assert serialize(to_rdflib(filled), fmt) == first
            assert serialize(to_rdflib(other), fmt) == first, fmt


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt"])
def test_round_trip_through_rdflib(graph: Graph, fmt: str) -> None:
    back = Graph().parse(data=serialize(graph, fmt), format=fmt)
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


OX_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD}


@pytest.mark.parametrize("fmt", list(OX_FORMATS))
def test_pyoxigraph_reads_the_same_triples(graph: Graph, fmt: str) -> None:
    parsed = {f"{q.triple} ." for q in ox.parse(serialize(graph, fmt).encode(), format=OX_FORMATS[fmt])}
    assert len(parsed) == len(graph)
    assert parsed == set(serialize(graph, "nt").splitlines())


# --- export_rdf -------------------------------------------------------------------------------------------


def test_export_rdf_to_a_path_and_to_text_and_binary_streams(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    n = export_rdf(filled, "turtle", path)
    assert n == len(Graph().parse(path, format="turtle")) > 500
    text, binary = io.StringIO(), io.BytesIO()
    assert export_rdf(filled, "nt", text) == n
    assert export_rdf(filled, "json-ld", binary) == n
    assert len(text.getvalue().splitlines()) == n
    assert isinstance(json.loads(binary.getvalue()), dict | list)


def test_article_text_is_left_out_unless_asked(filled: Store) -> None:
    assert not list(to_rdflib(filled).objects(None, SCHEMA.text))
    assert len(list(to_rdflib(filled, include_text=True).objects(None, SCHEMA.text))) == 3


def test_unknown_format_is_an_input_error(filled: Store) -> None:
    with pytest.raises(InputError, match="unknown RDF format"):
        export_rdf(filled, "rdfxml", io.StringIO())


# --- a corpus-sized graph -----------------------------------------------------------------------------------

LEADERS = ("习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希", "韩正", "汪洋", "李克强", "栗战书")
BODIES = ("国务院", "全国人大常委会", "全国政协", "中共中央政治局", "中央军委", "外交部", "国家发展改革委")
CUES = (("集体学习", "study_session"), ("调研", "inspection"), ("会见", "diplomatic"), ("座谈会", "meeting"),
        ("论坛", "forum"), ("签署", "signing"), ("开幕", "ceremony"), ("会议", "meeting"))  # fmt: skip


def corpus_records(limit: int) -> list[Record]:
    """Hand-made records over real corpus texts: one event per article, leaders and bodies found by name."""
    records = []
    with open(SHARED / "corpus" / "official_news.jsonl", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            text, day = article["text"], article.get("date")
            spans = {n: _spans(text, n) for n in (*LEADERS, *BODIES) if n in text}
            if not day or not spans:
                continue
            kind = next((t for cue, t in CUES if cue in text), "other")
            people = [n for n in LEADERS if n in spans]
            bodies = [n for n in BODIES if n in spans]
            event = Event(
                type=kind,
                date=day,
                label=article["title"][:40],
                span=(0, min(len(text), 60)),
                participants=[
                    Participant(
                        n, "participant", span=spans[n][0], posts=[PostRef(f"{bodies[0]}领导", bodies[0])]
                    )
                    if bodies
                    else Participant(n, "participant", span=spans[n][0])
                    for n in people
                ],
                goals=[Goal("到2035年基本实现社会主义现代化", deadline="2035")] if "2035" in text else [],
            )
            mentions = [Mention(n, "person" if n in people else "organization", spans[n]) for n in spans]
            records.append(
                Record(
                    id=article["id"],
                    text=text,
                    title=article["title"],
                    date=day,
                    events=[event],
                    people=people,
                    organizations=bodies,
                    mentions=mentions,
                )  # fmt: skip
            )
            if len(records) == limit:
                break
    return records


def _spans(text: str, name: str) -> list[tuple[int, int]]:
    out, at = [], text.find(name)
    while at >= 0:
        out.append((at, at + len(name)))
        at = text.find(name, at + 1)
    return out


@pytest.mark.slow
def test_corpus_sized_export_conforms_and_round_trips(
    build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = corpus_records(200)
    assert len(records) == 200
    with _networkx(tmp_path / "corpus.dashiji", [build(r) for r in records]) as store:
        started = time.perf_counter()
        graph = to_rdflib(store)
        built = time.perf_counter() - started
        turtle = serialize(graph, "turtle")
        exported = time.perf_counter() - started
    conforms, report = validate(graph)
    assert conforms, report[:2000]
    parsed = sum(1 for _ in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert parsed == len(graph)
    with capsys.disabled():
        print(f"\n200 articles: {len(graph)} triples, graph {built:.2f}s, graph+turtle {exported:.2f}s")
