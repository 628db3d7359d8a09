"""RDF export of the graph with standard vocabularies, and SHACL validation against `graph/shapes.ttl`.

Reads only `Store.nodes()` and `Store.edges()` (the property contract of `graph.model`), so either store gives
the same triples for the same graph. No blank nodes: every resource has an IRI derived from node and edge ids
(or, for times, from the date value), so two exports of one graph agree triple for triple.

    >>> with NetworkxStore("graph.dsj") as store:          # doctest: +SKIP
    ...     export_rdf(store, "turtle", "graph.ttl")

Mapping (node/edge kind -> terms):

    Article        schema:NewsArticle, prov:Entity; schema:headline, schema:datePublished, schema:identifier
    Event          sem:Event; sem:eventType (a SKOS concept per dashiji type), sem:hasTimeStamp or
                   sem:hasBeginTimeStamp/sem:hasEndTimeStamp (typed by precision), time:hasTime (OWL-Time)
    Person         schema:Person; schema:name, schema:alternateName
    Organization   org:Organization, schema:Organization; schema:name, skos:prefLabel, schema:alternateName
    Post           org:Post; skos:prefLabel, org:role (a rank concept), org:postIn, org:heldBy
    Place          schema:Place; schema:name
    Target         skos:Concept in the dashiji target scheme; skos:prefLabel, skos:altLabel
    Goal           dashiji:Goal; schema:description, dashiji:deadline, dashiji:metric, dashiji:value,
                   schema:about (the target)
    PARTICIPATED_IN, ORGANIZED   event sem:hasActor actor, and event sem:hasActor a sem:Role resource
                   (rdf:value the actor, sem:roleType the role concept, dashiji:titleAsWritten): SEM's
                   own pattern
    HELD           org:Membership (org:member, org:organization of the post, org:role, dashiji:post) with
                   org:memberDuring a time:Interval from first_seen to last_seen (dates that attest the post)
    other edges    one plain triple (org:postIn, org:subOrganizationOf, dashiji:targets, dashiji:setsGoal,
                   schema:about, sem:hasPlace, schema:subjectOf, schema:mentions, schema:author) plus an
                   rdf:Statement that carries the edge's provenance
    provenance     every fact resource: prov:wasDerivedFrom its articles, prov:wasAttributedTo the extractor
                   (prov:SoftwareAgent with schema:softwareVersion), dashiji:confidence; every evidence
                   span is an oa:Annotation (oa:hasBody the fact, oa:hasTarget an oa:SpecificResource on
                   the article with a TextPositionSelector and, when the article text is stored, a
                   TextQuoteSelector)

The dashiji vocabulary (`https://dashiji.example/ns#`) holds only what the standards lack: Goal,
deadline, metric, value, targets, setsGoal, post, titleAsWritten, partOfDay, trigger, confidence,
contentHash, locale, startDay, endDay. Event types and participant roles are SKOS concepts under
`https://dashiji.example/ns/event-type/` and `…/ns/role/`; instance IRIs live under `base` (configurable).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from datetime import date as _date
from importlib import resources
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, TIME

from graph.model import stable_id
from graph.store.base import Store
from ingest.errors import InputError

DEFAULT_BASE = "https://dashiji.example/id/"
DASHIJI = Namespace("https://dashiji.example/ns#")
EVENT_TYPE = Namespace("https://dashiji.example/ns/event-type/")
ROLE = Namespace("https://dashiji.example/ns/role/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "dashiji": DASHIJI, "djtype": EVENT_TYPE, "djrole": ROLE, "sem": SEM, "schema": SCHEMA, "oa": OA,
    "org": ORG, "time": TIME, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "xsd": XSD, "rdf": RDF,
    "rdfs": RDFS,
}  # fmt: skip

FORMATS = {"turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld", "nt": "nt",
           "ntriples": "nt", "n-triples": "nt"}  # fmt: skip

# plain edges: kind -> (predicate, True when the triple runs dst -> src)
EDGE_PREDICATES: dict[str, tuple[URIRef, bool]] = {
    "POST_IN": (ORG.postIn, False),
    "PART_OF": (ORG.subOrganizationOf, False),
    "TARGETS": (DASHIJI.targets, False),
    "SETS_GOAL": (DASHIJI.setsGoal, False),
    "ABOUT": (SCHEMA.about, False),
    "OCCURRED_IN": (SEM.hasPlace, False),
    "REPORTED_IN": (SCHEMA.subjectOf, False),
    "MENTIONED_IN": (SCHEMA.mentions, True),
    "WROTE": (SCHEMA.author, True),
}

NODE_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Article": (SCHEMA.NewsArticle, PROV.Entity),
    "Event": (SEM.Event,),
    "Person": (SCHEMA.Person, SEM.Actor),
    "Organization": (ORG.Organization, SCHEMA.Organization, SEM.Actor),
    "Post": (ORG.Post,),
    "Place": (SCHEMA.Place, SEM.Place),
    "Target": (SKOS.Concept,),
    "Goal": (DASHIJI.Goal,),
}

UNIT = {"day": TIME.unitDay, "month": TIME.unitMonth, "year": TIME.unitYear}
DATE_TYPE = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
IN_XSD = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# --- small pure helpers ---------------------------------------------------------------------------
def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def date_precision(value: str) -> str | None:
    """The precision ("day", "month", "year") of a valid ISO date, year-month or year, else None.

    >>> date_precision("2024-03"), date_precision("2024-02-30")
    ('month', None)
    """
    m = _DATE_RE.match(value)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        _date(year or 1, month or 1, day or 1)
    except ValueError:
        return None
    return "day" if day else "month" if month else "year"


def date_literal(value: str) -> Literal:
    """A typed literal by precision (xsd:date / xsd:gYearMonth / xsd:gYear); plain xsd:string when invalid."""
    precision = date_precision(value)
    return Literal(value, datatype=DATE_TYPE[precision] if precision else XSD.string)


def _articles_of(item: dict[str, Any]) -> list[str]:
    refs = set(item.get("articles") or [])
    refs |= {ev[0] for ev in item.get("evidence") or [] if ev}
    return sorted(refs)


# --- the exporter ---------------------------------------------------------------------------------
class _Exporter:
    """Builds one rdflib Graph from a store's nodes and edges (in id order, so the output is stable)."""

    def __init__(self, base: str, lang: str | None, include_text: bool) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.lang = lang
        self.include_text = include_text
        self.g = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.nodes: dict[str, dict[str, Any]] = {}
        self.article_ref: dict[str, str] = {}  # any article reference (record id or node id) -> node id
        self.post_org: dict[str, str] = {}
        self.post_rank: dict[str, URIRef] = {}

    # identity -------------------------------------------------------------------------------------
    def iri(self, node_id: str) -> URIRef:
        """`per:3f2a…` -> <base>per/3f2a…; ids without a prefix are percent-encoded whole."""
        prefix, sep, rest = node_id.partition(":")
        if sep and prefix.isalnum() and rest:
            return URIRef(f"{self.base}{prefix}/{quote(rest, safe='')}")
        return URIRef(f"{self.base}id/{quote(node_id, safe='')}")

    def article_iri(self, ref: str) -> URIRef:
        return self.iri(self.article_ref.get(ref) or stable_id("Article", ref))

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.lang) if self.lang else Literal(value)

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        if o is None or o == "":
            return
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    # time (OWL-Time) ------------------------------------------------------------------------------
    def instant(self, value: str) -> URIRef | None:
        """A time:Instant for an ISO date/year-month/year, with its DateTimeDescription (shared by value)."""
        precision = date_precision(value)
        if precision is None:
            return None
        inst = URIRef(f"{self.base}time/instant/{value}")
        desc = URIRef(f"{self.base}time/description/{value}")
        self.add(inst, RDF.type, TIME.Instant)
        self.add(inst, TIME.inDateTime, desc)
        self.add(inst, IN_XSD[precision], date_literal(value))
        self.add(desc, RDF.type, TIME.DateTimeDescription)
        self.add(desc, TIME.unitType, UNIT[precision])
        parts = value.split("-")
        self.add(desc, TIME.year, Literal(parts[0], datatype=XSD.gYear))
        if len(parts) > 1:
            self.add(desc, TIME.month, Literal(f"--{parts[1]}", datatype=XSD.gMonth))
        if len(parts) > 2:
            self.add(desc, TIME.day, Literal(f"---{parts[2]}", datatype=XSD.gDay))
        return inst

    def interval(self, begin: str | None, end: str | None) -> URIRef | None:
        """A time:Interval (shared by value) from `begin` to `end`; either side may be unknown."""
        b = self.instant(begin) if begin else None
        e = self.instant(end) if end else None
        if b is None and e is None:
            return None
        iri = URIRef(f"{self.base}time/interval/{begin if b else 'open'}_{end if e else 'open'}")
        self.add(iri, RDF.type, TIME.Interval)
        self.add(iri, TIME.hasBeginning, b)
        self.add(iri, TIME.hasEnd, e)
        return iri

    # provenance (PROV-O, Web Annotation) ----------------------------------------------------------
    def provenance(self, fact_id: str, subject: URIRef, item: dict[str, Any]) -> None:
        """wasDerivedFrom every article, the extractor agent, confidence, and one annotation per span."""
        for ref in _articles_of(item):
            self.add(subject, PROV.wasDerivedFrom, self.article_iri(ref))
        version = item.get("extractor")
        if version:
            agent = URIRef(f"{self.base}agent/extractor/{quote(str(version), safe='')}")
            self.add(agent, RDF.type, PROV.SoftwareAgent)
            self.add(agent, RDFS.label, Literal(f"dashiji extractor {version}"))
            self.add(agent, SCHEMA.softwareVersion, Literal(str(version)))
            self.add(subject, PROV.wasAttributedTo, agent)
        if item.get("confidence") is not None:
            self.add(
                subject, DASHIJI.confidence, Literal(f"{float(item['confidence']):.3f}", datatype=XSD.decimal)
            )
        for ev in item.get("evidence") or []:
            if len(ev) >= 3 and ev[1] is not None and ev[2] is not None:
                self.annotation(fact_id, subject, str(ev[0]), int(ev[1]), int(ev[2]))

    def annotation(self, fact_id: str, body: URIRef, article: str, start: int, end: int) -> None:
        ann = URIRef(f"{self.base}annotation/{_hash(fact_id, article, start, end)}")
        target = URIRef(f"{self.base}span/{_hash(article, start, end)}")  # shared by facts on the same span
        pos, quote_sel = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
        source = self.article_iri(article)
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.motivatedBy, OA.identifying)
        self.add(ann, OA.hasBody, body)
        self.add(ann, OA.hasTarget, target)
        self.add(ann, PROV.wasDerivedFrom, source)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, source)
        self.add(target, OA.hasSelector, pos)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        text = (self.nodes.get(self.article_ref.get(article, "")) or {}).get("text")
        if isinstance(text, str) and 0 <= start <= end <= len(text):
            self.add(target, OA.hasSelector, quote_sel)
            self.add(quote_sel, RDF.type, OA.TextQuoteSelector)
            self.add(quote_sel, OA.exact, Literal(text[start:end]))

    # nodes ----------------------------------------------------------------------------------------
    def node(self, n: dict[str, Any]) -> None:
        kind, s = n["kind"], self.iri(n["id"])
        for cls in NODE_CLASSES.get(kind, (DASHIJI[kind],)):
            self.add(s, RDF.type, cls)
        getattr(self, f"_{kind.lower()}", self._named)(s, n)
        if kind != "Article":
            self.provenance(n["id"], s, n)

    def _named(self, s: URIRef, n: dict[str, Any]) -> None:
        name = n.get("name")
        if name:
            self.add(s, RDFS.label, self.text(name))
            self.add(s, SCHEMA.name, self.text(name))
        for alias in sorted(set(n.get("aliases") or []) - {name}):
            self.add(s, SCHEMA.alternateName, self.text(alias))

    _person = _place = _named

    def _organization(self, s: URIRef, n: dict[str, Any]) -> None:
        self._named(s, n)
        if n.get("name"):
            self.add(s, SKOS.prefLabel, self.text(n["name"]))

    def _article(self, s: URIRef, n: dict[str, Any]) -> None:
        refs = sorted(r for r, nid in self.article_ref.items() if nid == n["id"] and r != n["id"])
        self.add(s, SCHEMA.identifier, Literal(n.get("record_id") or (refs[0] if refs else n["id"])))
        if n.get("title"):
            self.add(s, SCHEMA.headline, self.text(n["title"]))
            self.add(s, RDFS.label, self.text(n["title"]))
        if n.get("date"):
            self.add(s, SCHEMA.datePublished, date_literal(n["date"]))
        self.add(s, DCTERMS.source, n.get("source"))
        self.add(s, DASHIJI.contentHash, n.get("content_hash"))
        self.add(s, DASHIJI.locale, self.text(n["locale"]) if n.get("locale") else None)
        if self.include_text and n.get("text"):
            self.add(s, SCHEMA.text, self.text(n["text"]))

    def _event(self, s: URIRef, n: dict[str, Any]) -> None:
        etype = n.get("type")
        if etype:
            concept = EVENT_TYPE[quote(etype, safe="")]
            self.add(s, SEM.eventType, concept)
            self.concept(concept, etype, SEM.EventType, EVENT_TYPE)
        if n.get("label"):
            self.add(s, RDFS.label, self.text(n["label"]))
        begin, end = n.get("date"), n.get("end_date")
        if begin and end and end != begin:
            self.add(s, SEM.hasBeginTimeStamp, date_literal(begin))
            self.add(s, SEM.hasEndTimeStamp, date_literal(end))
            self.add(s, TIME.hasTime, self.interval(begin, end))
        elif begin:
            self.add(s, SEM.hasTimeStamp, date_literal(begin))
            self.add(s, TIME.hasTime, self.instant(begin))
        for key, pred in (("start", DASHIJI.startDay), ("end", DASHIJI.endDay)):
            if n.get(key):
                self.add(s, pred, date_literal(n[key]))
        self.add(s, DASHIJI.partOfDay, n.get("part_of_day"))
        self.add(s, DASHIJI.trigger, self.text(n["trigger"]) if n.get("trigger") else None)

    def _post(self, s: URIRef, n: dict[str, Any]) -> None:
        if n.get("name"):
            self.add(s, SKOS.prefLabel, self.text(n["name"]))
            self.add(s, RDFS.label, self.text(n["name"]))
        rank = n.get("title")
        if rank:
            concept = URIRef(f"{self.base}rank/{_hash(rank)}")
            self.add(concept, RDF.type, ORG.Role)
            self.add(concept, RDF.type, SKOS.Concept)
            self.add(concept, SKOS.prefLabel, self.text(rank))
            self.add(concept, SKOS.inScheme, self.scheme("ranks", "dashiji post ranks"))
            self.add(s, ORG.role, concept)
            self.post_rank[n["id"]] = concept

    def _target(self, s: URIRef, n: dict[str, Any]) -> None:
        self.add(s, SKOS.inScheme, self.scheme("targets", "dashiji targets"))
        if n.get("name"):
            self.add(s, SKOS.prefLabel, self.text(n["name"]))
            self.add(s, RDFS.label, self.text(n["name"]))
        for alias in sorted(set(n.get("aliases") or []) - {n.get("name")}):
            self.add(s, SKOS.altLabel, self.text(alias))

    def _goal(self, s: URIRef, n: dict[str, Any]) -> None:
        if n.get("text"):
            self.add(s, SCHEMA.description, self.text(n["text"]))
            self.add(s, RDFS.label, self.text(n["text"]))
        if n.get("deadline"):
            self.add(s, DASHIJI.deadline, date_literal(str(n["deadline"])))
        self.add(s, DASHIJI.metric, self.text(n["metric"]) if n.get("metric") else None)
        self.add(s, DASHIJI.value, Literal(str(n["value"])) if n.get("value") is not None else None)

    def scheme(self, name: str, label: str) -> URIRef:
        scheme = URIRef(f"{self.base}scheme/{name}")
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, Literal(label, lang="en"))
        return scheme

    def concept(self, concept: URIRef, label: str, cls: URIRef, scheme_ns: Namespace) -> None:
        scheme = URIRef(str(scheme_ns).rstrip("/"))
        self.add(concept, RDF.type, SKOS.Concept)
        self.add(concept, RDF.type, cls)
        self.add(concept, SKOS.prefLabel, Literal(label, lang="en"))
        self.add(concept, SKOS.inScheme, scheme)
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, Literal(f"dashiji {scheme.rsplit('/', 1)[-1]}", lang="en"))

    # edges ----------------------------------------------------------------------------------------
    def edge(self, e: dict[str, Any]) -> None:
        kind = e["kind"]
        src, dst = self.iri(e["src"]), self.iri(e["dst"])
        if kind in ("PARTICIPATED_IN", "ORGANIZED"):
            self.role(e, src, dst)
        elif kind == "HELD":
            self.membership(e, src, dst)
        else:
            pred, inverse = EDGE_PREDICATES.get(kind, (DASHIJI[kind.lower()], False))
            s, o = (dst, src) if inverse else (src, dst)
            self.add(s, pred, o)
            stmt = self.iri(e["id"])
            self.add(stmt, RDF.type, RDF.Statement)
            self.add(stmt, RDF.subject, s)
            self.add(stmt, RDF.predicate, pred)
            self.add(stmt, RDF.object, o)
            self.provenance(e["id"], stmt, e)

    def role(self, e: dict[str, Any], actor: URIRef, event: URIRef) -> None:
        """SEM's role pattern: event sem:hasActor [sem:Role; rdf:value actor; sem:roleType role]."""
        role_name = e.get("role") or ("organizer" if e["kind"] == "ORGANIZED" else "participant")
        role_type = ROLE[quote(role_name, safe="")]
        self.concept(role_type, role_name, SEM.RoleType, ROLE)
        r = URIRef(f"{self.base}role/{self.iri(e['id']).rsplit('/', 1)[-1]}")
        self.add(event, SEM.hasActor, actor)
        self.add(event, SEM.hasActor, r)
        self.add(r, RDF.type, SEM.Role)
        self.add(r, RDF.value, actor)
        self.add(r, SEM.roleType, role_type)
        self.add(r, DASHIJI.titleAsWritten, self.text(e["title"]) if e.get("title") else None)
        self.provenance(e["id"], r, e)

    def membership(self, e: dict[str, Any], person: URIRef, post: URIRef) -> None:
        """HELD -> org:Membership of the person in the post's organization, during the attested dates."""
        m = URIRef(f"{self.base}membership/{self.iri(e['id']).rsplit('/', 1)[-1]}")
        self.add(m, RDF.type, ORG.Membership)
        self.add(m, ORG.member, person)
        self.add(m, DASHIJI.post, post)
        self.add(post, ORG.heldBy, person)
        org_id = self.post_org.get(e["dst"])
        self.add(m, ORG.organization, self.iri(org_id) if org_id else None)
        self.add(m, ORG.role, self.post_rank.get(e["dst"]))
        self.add(m, DASHIJI.titleAsWritten, self.text(e["title"]) if e.get("title") else None)
        self.add(m, ORG.memberDuring, self.interval(e.get("first_seen"), e.get("last_seen")))
        self.provenance(e["id"], m, e)

    # whole graph ----------------------------------------------------------------------------------
    def run(self, nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> Graph:
        node_list = sorted(nodes, key=lambda n: n["id"])
        edge_list = sorted(edges, key=lambda e: e["id"])
        self.nodes = {n["id"]: n for n in node_list}
        articles = {n["id"] for n in node_list if n["kind"] == "Article"}
        for item in (*node_list, *edge_list):
            for ref in _articles_of(item):
                if ref in articles:
                    self.article_ref[ref] = ref
                elif stable_id("Article", ref) in articles:
                    self.article_ref[ref] = stable_id("Article", ref)
        for a in articles:
            self.article_ref.setdefault(a, a)
        self.post_org = {e["src"]: e["dst"] for e in edge_list if e["kind"] == "POST_IN"}
        for n in node_list:
            self.node(n)
        for e in edge_list:
            self.edge(e)
        return self.g


# --- public API -----------------------------------------------------------------------------------
def to_rdflib(
    store: Store, base: str = DEFAULT_BASE, lang: str | None = "zh", include_text: bool = False
) -> Graph:
    """The store's graph as an rdflib Graph (no blank nodes; IRIs under `base`; names tagged `lang`)."""
    return _Exporter(base, lang, include_text).run(store.nodes(), store.edges())


def serialize(graph: Graph, fmt: str) -> str:
    """Turtle, JSON-LD (compacted with our prefixes) or N-Triples (lines sorted, so byte-stable)."""
    name = FORMATS.get(fmt.lower())
    if name is None:
        raise InputError(fmt, f"unknown RDF format; use one of {', '.join(sorted(set(FORMATS.values())))}")
    if name == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    if name == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True)
    return graph.serialize(format="turtle")


def export_rdf(store: Store, fmt: str, out: IO[Any] | str | Path, **options: Any) -> int:
    """Write the graph as `fmt` (turtle | json-ld | nt) to a path or an open file; return the triple count.

    `options` go to `to_rdflib` (base, lang, include_text).
    """
    graph = to_rdflib(store, **options)
    data = serialize(graph, fmt)
    if isinstance(out, (str, Path)):
        Path(out).write_text(data, encoding="utf-8")
    elif isinstance(out, io.TextIOBase) or "b" not in getattr(out, "mode", "w"):
        try:
            out.write(data)
        except TypeError:  # a binary stream without a mode attribute (e.g. BytesIO)
            out.write(data.encode("utf-8"))
    else:
        out.write(data.encode("utf-8"))
    return len(graph)


def load_shapes() -> Graph:
    """The SHACL shapes shipped as `graph/shapes.ttl`."""
    text = resources.files("graph").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def validate(graph: Graph, shapes: Graph | None = None) -> tuple[bool, str]:
    """Validate an exported graph against the shapes with pySHACL (no inference); (conforms, report text)."""
    import pyshacl  # imported here: only validation needs it, and it is slow to import

    conforms, _report, text = pyshacl.validate(
        graph, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False,
    )  # fmt: skip
    return bool(conforms), str(text)
