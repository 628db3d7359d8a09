"""The Neo4j store: the production backend of the `Store` interface, on any Neo4j 5 server over Bolt.

How the graph sits in Neo4j:

- A node is labelled with its kind (`Person`, `Event`, ...) and also `Node`, so one uniqueness constraint on
  `Node.id` finds any node by id. Its properties are the merged properties (see `graph.model.merge_props`;
  `None` values are simply absent), plus `id`, `kind`, `articles`, `extractor`, `confidence`, and two
  bookkeeping properties: `_contrib` (a list of JSON strings, one per contributing article: its props and
  evidence) and `_names` (name and aliases joined by U+001F, behind a text index for `find_nodes`).
- An edge is a relationship whose type is its kind (checked against `EDGE_KINDS` before it is spliced into
  Cypher), with `id`, the merged properties, `articles`, `extractor`, `confidence` and `_contrib`.
- One `ArticleLedger {article, content_hash, nodes, edges}` node per stored article lists what the article
  contributed, so re-putting or removing it touches exactly those ids.

Writing recomputes the merged properties in Python for the affected ids only, inside one managed write
transaction per chunk of articles (the driver retries transient errors). Reading rebuilds every view from
`_contrib`, so both stores return the same dicts for the same facts. Values are always parameters.

Example (needs a running server, see tests/neo4j/server.sh):
    >>> store = Neo4jStore("bolt://127.0.0.1:7687", "neo4j", "secret")   # doctest: +SKIP
    >>> store.put_articles([facts]); store.find_nodes("Person", "林建国")   # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.model import EDGE_KINDS, NODE_KINDS, ArticleFacts, EdgeFact, NodeFact, merge_props, normalize_key
from graph.store.base import Store
from ingest.errors import ConnectionFailed, QueryError, StoreError

NAMED_KINDS = ("Person", "Organization", "Post", "Place", "Target")
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
NAME_SEP = "\x1f"
CHUNK_ARTICLES = 200  # articles per write transaction
PAGE = 5000  # rows per read transaction when iterating nodes or edges

# The driver logs retries and dropped connections as warnings; with no handler anywhere Python would print
# them on stderr, around our one-line errors. An application that configures logging still gets them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _schema() -> dict[str, str]:
    """Name -> statement of every constraint and index the store relies on (all idempotent)."""
    stmts = {"node_id": "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE"}
    for kind in NODE_KINDS:
        stmts[f"{kind.lower()}_id"] = (
            f"CREATE CONSTRAINT {kind.lower()}_id IF NOT EXISTS FOR (n:{kind}) REQUIRE n.id IS UNIQUE"
        )
    for kind in EDGE_KINDS:
        name = f"rel_{kind.lower()}_id"
        stmts[name] = f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR ()-[r:{kind}]-() REQUIRE r.id IS UNIQUE"
    stmts["ledger_article"] = (
        "CREATE CONSTRAINT ledger_article IF NOT EXISTS FOR (l:ArticleLedger) REQUIRE l.article IS UNIQUE"
    )
    for kind in NAMED_KINDS:
        stmts[f"{kind.lower()}_name"] = (
            f"CREATE INDEX {kind.lower()}_name IF NOT EXISTS FOR (n:{kind}) ON (n.name)"
        )
        stmts[f"{kind.lower()}_names"] = (
            f"CREATE TEXT INDEX {kind.lower()}_names IF NOT EXISTS FOR (n:{kind}) ON (n._names)"
        )
    for prop in ("start", "end", "type"):
        stmts[f"event_{prop}"] = f"CREATE INDEX event_{prop} IF NOT EXISTS FOR (n:Event) ON (n.{prop})"
    stmts["article_content_hash"] = (
        "CREATE INDEX article_content_hash IF NOT EXISTS FOR (n:Article) ON (n.content_hash)"
    )
    return stmts


# --- contributions and views (pure) ---------------------------------------------------------------
@dataclass
class Contribution:
    """What one article says about one node or edge: its props and evidence rows [start, end, extractor,
    confidence] (the article is the contributor, as in the embedded store)."""

    article: str
    props: dict[str, Any] = field(default_factory=dict)
    rows: list[list[Any]] = field(default_factory=list)
    raw: str | None = None  # the JSON it was read from, written back as it was

    def to_json(self) -> str:
        if self.raw is None:
            d = {"a": self.article, "p": self.props, "e": self.rows}
            self.raw = json.dumps(d, ensure_ascii=False, sort_keys=True)
        return self.raw

    @classmethod
    def from_json(cls, text: str) -> Contribution:
        d = json.loads(text)
        return cls(d["a"], d["p"], d["e"], text)

    @classmethod
    def of(cls, article: str, fact: NodeFact | EdgeFact) -> Contribution:
        return cls(
            article, dict(fact.props), [[e.start, e.end, e.extractor, e.confidence] for e in fact.evidence]
        )


def _sort_key(row: tuple[str, list[Any]]) -> tuple[str, int, int]:
    start, end = row[1][0], row[1][1]
    return (row[0], -1 if start is None else start, -1 if end is None else end)


def view(
    kind: str, item_id: str, contribs: Iterable[Contribution], ends: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The dict a read method returns, by the embedded store's rules: `merge_props`, then id, kind,
    (src, dst), articles (sorted contributors), evidence (sorted, unique [article, start, end]),
    extractor (the first in that order), confidence (the highest)."""
    cs = sorted(contribs, key=lambda c: c.article)
    rows = sorted(((c.article, row) for c in cs for row in c.rows), key=_sort_key)
    evidence: list[list[Any]] = []
    for article, row in rows:
        if not evidence or evidence[-1] != [article, row[0], row[1]]:
            evidence.append([article, row[0], row[1]])
    out: dict[str, Any] = merge_props([(c.article, c.props) for c in cs])
    out["id"] = item_id
    out["kind"] = kind
    if ends is not None:
        out["src"], out["dst"] = ends
    out["articles"] = [c.article for c in cs]
    out["evidence"] = evidence
    out["extractor"] = next((row[2] for _a, row in rows if row[2]), "")
    out["confidence"] = max((row[3] for _a, row in rows), default=1.0)
    return out


def _names_key(v: dict[str, Any]) -> str | None:
    """Normalized name and aliases joined by U+001F (with one at each end), for a CONTAINS lookup."""
    names = {normalize_key(n) for n in (v.get("name"), *(v.get("aliases") or [])) if isinstance(n, str) and n}
    return NAME_SEP + NAME_SEP.join(sorted(names)) + NAME_SEP if names else None


def _storable(value: Any) -> Any:
    """A value Neo4j can hold as a property: scalars and homogeneous lists as they are, the rest as JSON."""
    if isinstance(value, (str, bool, int, float)):
        return value if not isinstance(value, int) or -(2**63) <= value < 2**63 else json.dumps(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value):
        if len({type(v) for v in value}) <= 1:
            return value
    return json.dumps(value, ensure_ascii=False)


def _db_props(v: dict[str, Any], contribs: list[Contribution]) -> dict[str, Any]:
    """The property map written to Neo4j for one view."""
    props = {
        k: _storable(val) for k, val in v.items() if val is not None and k not in ("evidence", "src", "dst")
    }
    props["_contrib"] = [c.to_json() for c in sorted(contribs, key=lambda c: c.article)]
    names = _names_key(v)
    if names:
        props["_names"] = names
    return props


def _check_kind(kind: str, allowed: Iterable[str]) -> str:
    if kind not in allowed:
        raise StoreError("neo4j", f"unknown kind {kind!r}")
    return kind


# --- the store --------------------------------------------------------------------------------------
class Neo4jStore(Store):
    """A `Store` on a Neo4j 5 server. Raises `ConnectionFailed` when the server, user or database is wrong."""

    kind = "neo4j"

    def __init__(
        self, uri: str, user: str | None = None, password: str | None = None, database: str | None = None
    ) -> None:
        self.uri = uri
        self.database = database
        self._secret = password or ""
        auth = (user, password or "") if user else None
        if uri.partition("://")[0] not in SCHEMES or "://" not in uri:
            raise ConnectionFailed(uri, "not a Neo4j URI: use bolt://HOST:PORT or neo4j://HOST:PORT")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=10.0, notifications_min_severity="OFF"
            )
            self._driver.verify_connectivity()  # no retries: a dead server fails at once
            with self._session() as session:
                session.run("RETURN 1").consume()  # the database exists and answers
            self._ensure_schema()
        except (Neo4jError, DriverError, ValueError, OSError) as err:
            if hasattr(self, "_driver"):
                self._driver.close()
            raise ConnectionFailed(uri, self._reason(err)) from None

    # --- plumbing ------------------------------------------------------------------------------------
    def _reason(self, err: BaseException) -> str:
        """One line saying why the server refused us, never holding the password."""
        if isinstance(err, AuthError):
            reason = "authentication failed (wrong user or password)"
        elif isinstance(err, Neo4jError) and err.code == "Neo.ClientError.Database.DatabaseNotFound":
            reason = f"database {self.database!r} does not exist"
        elif isinstance(err, ServiceUnavailable):
            reason = "cannot reach the server (is it running, and is the URI right?)"
        else:
            message = getattr(err, "message", None) or str(err) or type(err).__name__
            reason = f"{type(err).__name__}: {message}"
        reason = " ".join(reason.split())
        return reason.replace(self._secret, "***") if len(self._secret) >= 4 else reason

    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query, params)]

        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as err:
            raise ConnectionFailed(self.uri, self._reason(err)) from None
        except Neo4jError as err:
            raise StoreError(self.uri, self._reason(err)) from None

    def _ensure_schema(self) -> None:
        """Create the constraints and indexes that are missing (one round trip when all exist)."""
        have = {
            r["name"]
            for q in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name")
            for r in self._driver.execute_query(q, database_=self.database).records
        }
        missing = [stmt for name, stmt in _schema().items() if name not in have]
        with self._session() as session:
            for stmt in missing:  # managed: two first connects at once deadlock here, and are retried
                try:
                    session.execute_write(_run_one, stmt)
                except Neo4jError as err:  # "already exists": another client just made the same rule
                    if err.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                        raise
            if missing:
                session.run("CALL db.awaitIndexes(60)").consume()

    # --- writing -------------------------------------------------------------------------------------
    def article_hash(self, article_id: str) -> str | None:
        rows = self._read("MATCH (l:ArticleLedger {article: $a}) RETURN l.content_hash AS h", a=article_id)
        return rows[0]["h"] if rows else None

    def put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        latest: dict[str, ArticleFacts] = {}
        for facts in batch:
            latest[facts.article_id] = facts
        items = list(latest.values())
        written = 0
        for i in range(0, len(items), CHUNK_ARTICLES):
            chunk = items[i : i + CHUNK_ARTICLES]
            written += self._write(
                lambda tx, c=chunk: _apply(tx, {f.article_id: f for f in c}, skip_same=True)
            )
        return written

    def remove_article(self, article_id: str) -> bool:
        return self._write(lambda tx: _apply(tx, {article_id: None}, skip_same=False)) > 0

    def _write(self, work: Any) -> int:
        try:
            with self._session() as session:
                return int(session.execute_write(work))
        except (ServiceUnavailable, SessionExpired, AuthError) as err:
            raise ConnectionFailed(self.uri, self._reason(err)) from None
        except Neo4jError as err:
            raise StoreError(self.uri, self._reason(err)) from None

    # --- reading -------------------------------------------------------------------------------------
    def node(self, node_id: str) -> dict[str, Any] | None:
        rows = self._read("MATCH (n:Node {id: $id}) RETURN n.kind AS kind, n._contrib AS c", id=node_id)
        if not rows:
            return None
        return view(rows[0]["kind"], node_id, map(Contribution.from_json, rows[0]["c"] or []))

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        kinds = NODE_KINDS if kind is None else ((kind,) if kind in NODE_KINDS else ())
        for k in kinds:
            query = (
                f"MATCH (n:{k}) WHERE n.id > $after "
                f"RETURN n.id AS id, n._contrib AS c ORDER BY n.id LIMIT {PAGE}"
            )
            for row in self._pages(query):
                yield view(k, row["id"], map(Contribution.from_json, row["c"] or []))

    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        kinds = tuple(EDGE_KINDS) if kind is None else ((kind,) if kind in EDGE_KINDS else ())
        for k in kinds:
            query = (
                f"MATCH (s)-[e:{k}]->(d) WHERE e.id > $after "
                f"RETURN e.id AS id, s.id AS src, d.id AS dst, e._contrib AS c ORDER BY e.id LIMIT {PAGE}"
            )
            for row in self._pages(query):
                yield view(
                    k, row["id"], map(Contribution.from_json, row["c"] or []), (row["src"], row["dst"])
                )

    def _pages(self, query: str) -> Iterator[dict[str, Any]]:
        """Keyset pagination on id: each page is its own short read transaction."""
        after = ""
        while True:
            rows = self._read(query, after=after)
            yield from rows
            if len(rows) < PAGE:
                return
            after = rows[-1]["id"]

    def find_nodes(self, kind: str, name: str) -> list[dict[str, Any]]:
        if kind not in NODE_KINDS:
            return []
        rows = self._read(
            f"MATCH (n:{kind}) WHERE n._names CONTAINS $needle "
            "RETURN n.id AS id, n._contrib AS c ORDER BY n.id",
            needle=NAME_SEP + normalize_key(name) + NAME_SEP,
        )
        return [view(kind, r["id"], map(Contribution.from_json, r["c"] or [])) for r in rows]

    def counts(self) -> dict[str, int]:
        parts = [f"MATCH (n:{k}) RETURN '{k}' AS k, count(n) AS c" for k in NODE_KINDS]
        parts += [f"MATCH ()-[e:{k}]->() RETURN '{k}' AS k, count(e) AS c" for k in EDGE_KINDS]
        rows = self._read(" UNION ALL ".join(parts))
        return {r["k"]: r["c"] for r in rows if r["c"]}

    def dump(self) -> dict[str, Any]:
        """`Store.dump`, without the Article's `ingested_at` (as the embedded store does)."""
        out = super().dump()
        for n in out["nodes"]:
            n.pop("ingested_at", None)
        return out

    # --- extras: raw Cypher, wiping, closing ---------------------------------------------------------
    def cypher(self, query: str, params: dict[str, Any] | None = None, write: bool = False) -> list[dict]:
        """Run one Cypher query and return its rows as dicts. Read-only unless `write=True`: a write in a
        read transaction raises `QueryError`."""

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query, params or {})]

        try:
            with self._session(read=not write) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as err:
            raise ConnectionFailed(self.uri, self._reason(err)) from None
        except Neo4jError as err:
            if err.code == "Neo.ClientError.Statement.AccessMode":
                raise QueryError(
                    "cypher", "the query writes, but it ran read-only (pass write=True)"
                ) from None
            raise QueryError("cypher", self._reason(err)) from None

    def wipe(self) -> None:
        """Delete every node and relationship (the schema stays). For tests."""
        try:
            with self._session() as session:
                session.run(
                    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
                ).consume()
        except Neo4jError as err:
            raise StoreError(self.uri, self._reason(err)) from None

    def close(self) -> None:
        self._driver.close()


def _run_one(tx: neo4j.ManagedTransaction, statement: str) -> None:
    """One statement in a managed transaction (for `execute_write`, which retries transient errors)."""
    tx.run(statement).consume()


# --- the write transaction ----------------------------------------------------------------------------
def _apply(tx: neo4j.ManagedTransaction, updates: dict[str, ArticleFacts | None], skip_same: bool) -> int:
    """Replace (or, for None, remove) each article's contribution. Returns how many articles changed."""
    ledger: dict[str, dict[str, Any]] = {
        r["article"]: r.data()
        for r in tx.run(
            "UNWIND $ids AS a MATCH (l:ArticleLedger {article: a}) SET l._lk = true REMOVE l._lk "
            "RETURN l.article AS article, l.content_hash AS hash, l.nodes AS nodes, l.edges AS edges",
            ids=list(updates),
        )
    }
    if skip_same:
        updates = {
            a: f for a, f in updates.items() if f is None or ledger.get(a, {}).get("hash") != f.content_hash
        }
    else:
        updates = {a: f for a, f in updates.items() if a in ledger}
    if not updates:
        return 0
    for facts in updates.values():
        if facts is not None:
            _check_edges(facts)

    # every id any of these articles touched before or touches now
    node_ids: set[str] = set()
    edge_refs: dict[str, tuple[str, str, str]] = {}  # id -> (kind, src, dst)
    for article, facts in updates.items():
        if article in ledger:
            node_ids.update(ledger[article]["nodes"] or [])
            for ref in ledger[article]["edges"] or []:
                kind, eid, src, dst = json.loads(ref)
                edge_refs[eid] = (kind, src, dst)
        if facts is not None:
            node_ids.update(n.id for n in facts.nodes)
            edge_refs.update({e.id: (_check_kind(e.kind, EDGE_KINDS), e.src, e.dst) for e in facts.edges})

    node_kind: dict[str, str] = {}
    node_contribs: dict[str, dict[str, Contribution]] = {}
    for r in tx.run(
        "UNWIND $ids AS id MATCH (n:Node {id: id}) SET n._lk = true REMOVE n._lk "
        "RETURN n.id AS id, n.kind AS kind, n._contrib AS c",
        ids=sorted(node_ids),
    ):
        node_kind[r["id"]] = r["kind"]
        node_contribs[r["id"]] = {c.article: c for c in map(Contribution.from_json, r["c"] or [])}
    # an edge can exist only if both its ends already do: new events spare most edge reads
    stored = {i: ref for i, ref in edge_refs.items() if ref[1] in node_contribs and ref[2] in node_contribs}
    edge_contribs = _read_edges(tx, stored)

    # swap the contributions in memory
    for contribs in (*node_contribs.values(), *edge_contribs.values()):
        for article in updates:
            contribs.pop(article, None)
    for article, facts in updates.items():
        for n in facts.nodes if facts else []:
            node_kind[n.id] = _check_kind(n.kind, NODE_KINDS)
            node_contribs.setdefault(n.id, {})[article] = Contribution.of(
                article, n
            )  # a repeat id: last wins
        for e in facts.edges if facts else []:
            edge_contribs.setdefault(e.id, {})[article] = Contribution.of(article, e)

    _write_edges_gone(tx, {i: edge_refs[i] for i, c in edge_contribs.items() if not c})
    gone_nodes = [i for i, c in node_contribs.items() if not c]
    tx.run("UNWIND $ids AS id MATCH (n:Node {id: id}) DETACH DELETE n", ids=gone_nodes).consume()
    _write_nodes(tx, {i: c for i, c in node_contribs.items() if c}, node_kind)
    _write_edges(tx, {i: c for i, c in edge_contribs.items() if c}, edge_refs)
    _write_ledger(tx, updates)
    return len(updates)


def _check_edges(facts: ArticleFacts) -> None:
    """Every edge must join two nodes of the same article (the embedded store's rule too)."""
    own = {n.id for n in facts.nodes}
    for e in facts.edges:
        if e.src not in own or e.dst not in own:
            reason = f"article {facts.article_id}: edge {e.id} ({e.kind}) joins a node the article lacks"
            raise StoreError("neo4j", reason)


def _by_kind(refs: dict[str, tuple[str, str, str]], ids: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in sorted(ids):
        out.setdefault(_check_kind(refs[i][0], EDGE_KINDS), []).append(i)
    return out


def _read_edges(
    tx: neo4j.ManagedTransaction, refs: dict[str, tuple[str, str, str]]
) -> dict[str, dict[str, Contribution]]:
    """Lock and read the stored contributions of these edges: one UNION ALL query over their kinds."""
    groups = _by_kind(refs, refs)
    if not groups:
        return {}
    parts = [
        f"UNWIND $ids_{k} AS id MATCH ()-[e:{k} {{id: id}}]->() SET e._lk = true REMOVE e._lk "
        f"RETURN e.id AS id, e._contrib AS c"
        for k in groups
    ]
    params = {f"ids_{k}": ids for k, ids in groups.items()}
    return {
        r["id"]: {c.article: c for c in map(Contribution.from_json, r["c"] or [])}
        for r in tx.run(" UNION ALL ".join(parts), params)
    }


def _write_edges_gone(tx: neo4j.ManagedTransaction, refs: dict[str, tuple[str, str, str]]) -> None:
    for kind, ids in _by_kind(refs, refs).items():
        tx.run(f"UNWIND $ids AS id MATCH ()-[e:{kind} {{id: id}}]->() DELETE e", ids=ids).consume()


def _write_nodes(
    tx: neo4j.ManagedTransaction, contribs: dict[str, dict[str, Contribution]], kinds: dict[str, str]
) -> None:
    rows: dict[str, list[dict[str, Any]]] = {}
    for node_id in sorted(contribs):
        kind = kinds[node_id]
        cs = list(contribs[node_id].values())
        rows.setdefault(kind, []).append({"id": node_id, "props": _db_props(view(kind, node_id, cs), cs)})
    for kind, batch in rows.items():
        tx.run(
            f"UNWIND $rows AS r MERGE (n:{_check_kind(kind, NODE_KINDS)} {{id: r.id}}) "
            "SET n = r.props, n:Node",
            rows=batch,
        ).consume()


def _write_edges(
    tx: neo4j.ManagedTransaction,
    contribs: dict[str, dict[str, Contribution]],
    refs: dict[str, tuple[str, str, str]],
) -> None:
    for kind, ids in _by_kind(refs, contribs).items():
        batch = []
        for edge_id in ids:
            cs = list(contribs[edge_id].values())
            _, src, dst = refs[edge_id]
            v = view(kind, edge_id, cs, (src, dst))
            batch.append({"id": edge_id, "src": src, "dst": dst, "props": _db_props(v, cs)})
        done = tx.run(
            f"UNWIND $rows AS r MATCH (s:Node {{id: r.src}}) MATCH (d:Node {{id: r.dst}}) "
            f"MERGE (s)-[e:{kind} {{id: r.id}}]->(d) SET e = r.props RETURN count(e) AS n",
            rows=batch,
        ).single(strict=True)["n"]
        if done != len(batch):  # cannot happen after _check_edges, unless the database was edited by hand
            raise StoreError("neo4j", f"{len(batch) - done} {kind} edges lost an end node")


def _write_ledger(tx: neo4j.ManagedTransaction, updates: dict[str, ArticleFacts | None]) -> None:
    gone = [a for a, f in updates.items() if f is None]
    tx.run("UNWIND $ids AS a MATCH (l:ArticleLedger {article: a}) DELETE l", ids=gone).consume()
    rows = [
        {
            "article": a,
            "hash": f.content_hash,
            "nodes": sorted({n.id for n in f.nodes}),
            "edges": sorted({json.dumps([e.kind, e.id, e.src, e.dst], ensure_ascii=False) for e in f.edges}),
        }
        for a, f in updates.items()
        if f is not None
    ]
    tx.run(
        "UNWIND $rows AS r MERGE (l:ArticleLedger {article: r.article}) "
        "SET l.content_hash = r.hash, l.nodes = r.nodes, l.edges = r.edges",
        rows=rows,
    ).consume()
