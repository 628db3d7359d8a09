"""The Neo4j store: the production backend of the `Store` interface, on any Neo4j 5 server over Bolt.

How the graph sits in Neo4j:

- A node is labelled with its kind (`Person`, `Event`, ...) and also `Node`, so one uniqueness constraint on
  `Node.id` finds any node by id. Its properties are the merged properties (see `graph.model.merge_props`;
  `None` values are simply absent), plus `id`, `kind` and the bookkeeping properties below. What else a
  read returns (`articles`, `evidence`, `extractor`, `confidence`) is in `_view` or `_contrib`: as
  properties of their own they cost a third of the server's time per element written.
  `_contrib`  one string of JSON lines, a line per contributing article (its props and evidence rows), as
              of the item's creation or last rebuild. (A list of JSON strings, as an earlier version
              wrote it, is still read; as a list it cost the server a third more per element written.)
  `_view`     the view (the dict the read methods return) as JSON, and `_win` (`winners`: which article
              gave each "smallest article wins" value), both only when the item has several contributions
              (one contribution is its own view);
  `_names`    normalized name and aliases joined by U+001F, behind a text index (`find_nodes`, and the
              canned queries' name lookups).
  `_span`     on an Event, the bit length of its span in days (`event_span`), for the date-range seeks of
              the canned queries.
- An edge is a relationship whose type is its kind (checked against `EDGE_KINDS` before it is spliced into
  Cypher), with `id`, `kind`, the merged properties, `_contrib`, `_view` and `_win`.
- One `ArticleLedger {article, content_hash, nodes, edges, extra}` node per stored article lists what the
  article contributed, a line each in one string (node ids; edges as "KIND U+001F id"), so re-putting or
  removing it touches exactly those; `extra` holds its contributions to items that existed before it
  ("id U+001F JSON" lines), which are not appended to their `_contrib`: a busy node's would be rewritten at
  every chunk. (Lists, as an earlier version wrote them, are still read.)

Writing works in one managed write transaction per chunk of articles (the driver retries transient
errors): new articles grow the stored views (`fold`), replaced or removed ones rebuild the views they touch
from all their contributions (`view`), so both stores return the same dicts for the same facts. The reads
lock what they read, so a second writer of the same items waits. The write statements go to the server from
a thread of their own (`_Sender`), so it writes one slice of rows while the next is made. Values are always
parameters. A database written by an earlier version (no `_view`) must be wiped and ingested again.

Measured and not kept (2,005-article bench corpus, bench server of bench/run.py, 2 shared cores; each
variant run 5 times, interleaved with this code in one process). Chunks pipelined: chunk n + 1 reads
without locks, takes the views chunk n wrote from memory, makes all its rows while chunk n writes and
commits, then locks and checks a per-transaction token `_v` on everything it read or took (a mismatch runs
it again the plain way). It kept the parity and overlapping-writer tests green with 7-article chunks, but
medians were 8,110-10,420 elements/s against 8,455-9,879 for this code, inside a 30% run-to-run spread. The
timeline shows why: the client's work for chunk n + 1 (0.37 s) overlapped, but the server's writes and
commit of one chunk (0.75 + 0.3 s, one server thread per transaction) are the critical path: the next
chunk must wait for that commit before it writes the people and bodies the chunks share. Also no
gain: sending the next statement before reading the last one's result, and dropping the text indexes.
One transaction for the whole corpus: +15% (11,604 against 10,071), but unbounded transaction memory.

Example (needs a running server, see tests/neo4j/server.sh):
    >>> store = Neo4jStore("bolt://127.0.0.1:7687", "neo4j", "secret")   # doctest: +SKIP
    >>> store.put_articles([facts]); store.find_nodes("Person", "林建国")   # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import neo4j
import orjson
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.model import (
    EDGE_KINDS,
    MERGE_RULES,
    NODE_KINDS,
    ArticleFacts,
    EdgeFact,
    NodeFact,
    merge_props,
    normalize_key,
)
from graph.store.base import Store, no_gc
from ingest.errors import ConnectionFailed, QueryError, StoreError

NAMED_KINDS = ("Person", "Organization", "Post", "Place", "Target")
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
NAME_SEP = "\x1f"
CHUNK_ARTICLES = 500  # articles per write transaction
PAGE = 5000  # rows per read transaction when iterating nodes or edges
DERIVED = ("id", "kind", "src", "dst", "articles", "evidence", "extractor", "confidence")  # set by `view`
EXTRACTOR = "\x00extractor"  # the key of the extractor's article in `winners`
WRITE_ATTEMPTS = 5  # a chunk whose new node another writer created meanwhile is run again

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
    stmts["event_label"] = "CREATE TEXT INDEX event_label IF NOT EXISTS FOR (n:Event) ON (n.label)"
    for prop in ("start", "end", "type"):
        stmts[f"event_{prop}"] = f"CREATE INDEX event_{prop} IF NOT EXISTS FOR (n:Event) ON (n.{prop})"
    # the date-range seeks of queries/events_by_type.cypher and most_active.cypher (`_span`: event_span)
    stmts["event_span_start"] = (
        "CREATE INDEX event_span_start IF NOT EXISTS FOR (n:Event) ON (n._span, n.start)"
    )
    stmts["event_span"] = "CREATE INDEX event_span IF NOT EXISTS FOR (n:Event) ON (n._span)"
    stmts["post_name_text"] = "CREATE TEXT INDEX post_name_text IF NOT EXISTS FOR (n:Post) ON (n.name)"
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
            self.raw = dumps({"a": self.article, "p": self.props, "e": self.rows})
        return self.raw

    @classmethod
    def from_json(cls, text: str) -> Contribution:
        d = orjson.loads(text)
        return cls(d["a"], d["p"], d["e"], text)

    @classmethod
    def of(cls, article: str, fact: NodeFact | EdgeFact) -> Contribution:
        """The contribution of one fact, without the props `view` derives (the article's own `articles`,
        `extractor`, `confidence`): they would be a third of every stored contribution. An article's own
        Article node keeps its text out of the stored JSON (`ARTICLE_TEXT`)."""
        props = {k: v for k, v in fact.props.items() if k not in DERIVED}
        made = cls(article, props, [[e.start, e.end, e.extractor, e.confidence] for e in fact.evidence])
        if fact.id == article and ARTICLE_TEXT in props:
            kept = {k: v for k, v in props.items() if k != ARTICLE_TEXT}
            made.raw = dumps({"a": article, "p": kept, "e": made.rows})
        return made


# An Article node has one contributor, its own article (`graph.build` puts it in no other article's facts),
# so its text, which the node holds as a property, is left out of the JSON of that contribution and put back
# from the property when the contribution is read (`_stored_view`). Stored twice, the texts were two fifths
# of the bytes an ingest wrote; once, the server spends about a tenth less CPU per element.
ARTICLE_TEXT = "text"


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys; orjson (several times faster than `json` on the write path), and
    `json` for what orjson refuses (integers past 64 bits)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _span_key(row: list[Any]) -> tuple[int, int]:
    """The order of evidence rows [start, end, ...] within one article (no offset sorts first)."""
    return (-1 if row[0] is None else row[0], -1 if row[1] is None else row[1])


def _sort_key(row: tuple[str, list[Any]]) -> tuple[str, int, int]:
    return (row[0], *_span_key(row[1]))


def view(
    kind: str, item_id: str, contribs: Iterable[Contribution], ends: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The dict a read method returns, by the embedded store's rules: `merge_props`, then id, kind,
    (src, dst), articles (sorted contributors), evidence (sorted, unique [article, start, end]),
    extractor (the first in that order), confidence (the highest)."""
    cs = sorted(contribs, key=lambda c: c.article)
    if len(cs) == 1:
        return _view_of_one(kind, item_id, cs[0], ends)
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


def _view_of_one(kind: str, item_id: str, c: Contribution, ends: tuple[str, str] | None) -> dict[str, Any]:
    """`view` of a single contribution (most nodes and edges have one): the same dict, without sorting
    contributions or merging property maps."""
    out: dict[str, Any] = {
        k: sorted(set(v)) if v is not None and MERGE_RULES.get(k) == "union" else v
        for k, v in c.props.items()
    }
    out["id"] = item_id
    out["kind"] = kind
    if ends is not None:
        out["src"], out["dst"] = ends
    out["articles"] = [c.article]
    rows = c.rows
    if len(rows) > 1:
        rows = sorted(rows, key=_span_key)
    evidence: list[list[Any]] = []
    for row in rows:
        if not evidence or evidence[-1][1] != row[0] or evidence[-1][2] != row[1]:
            evidence.append([c.article, row[0], row[1]])
    out["evidence"] = evidence
    out["extractor"] = next((row[2] for row in rows if row[2]), "")
    out["confidence"] = max((row[3] for row in rows), default=1.0)
    return out


def name_needle(name: str | None) -> str | None:
    """What `_names` CONTAINS when a node has this name or alias (None for None)."""
    return None if name is None else NAME_SEP + normalize_key(name) + NAME_SEP


def _names_key(v: dict[str, Any]) -> str | None:
    """Normalized name and aliases joined by U+001F (with one at each end), for a CONTAINS lookup."""
    names = {normalize_key(n) for n in (v.get("name"), *(v.get("aliases") or [])) if isinstance(n, str) and n}
    return NAME_SEP + NAME_SEP.join(sorted(names)) + NAME_SEP if names else None


SCALARS = (str, bool, int, float)


def _storable(value: Any) -> Any:
    """A value Neo4j can hold as a property: scalars and homogeneous lists as they are, the rest as JSON."""
    if type(value) is str:  # most values: no further checks
        return value
    if isinstance(value, SCALARS):
        return value if not isinstance(value, int) or -(2**63) <= value < 2**63 else json.dumps(value)
    if isinstance(value, list) and all(isinstance(v, SCALARS) for v in value):
        if len({type(v) for v in value}) <= 1:
            return value
    return json.dumps(value, ensure_ascii=False)


def event_span(start: Any, end: Any) -> int:
    """`_span` of an Event: the bit length of its span in days (end - start), which bounds the date-range
    seek on (Event: _span, start) from below (queries/events_by_type.cypher); -1 without a start, 22 (no
    bound) when start or end is not a plain ISO day."""
    span = -1 if start is None else 0 if end is None else 22
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if (first.isoformat(), last.isoformat()) == (start, end):
            span = min(max((last - first).days, 0).bit_length(), 22)
    except (TypeError, ValueError):
        pass
    return span


# View keys that are not properties: the ends are the relationship's own, and the bookkeeping (articles,
# evidence, extractor, confidence) is in `_view`, or in `_contrib` when there is one contribution. As
# properties they took a third of the server's time per element (an array record for `articles` alone).
NOT_PROPS = frozenset(("evidence", "src", "dst", "articles", "extractor", "confidence"))


def _props_of_one(kind: str, item_id: str, c: Contribution) -> dict[str, Any]:
    """`_db_props` of the view of a single contribution, without making the view (which is not stored: most
    new items have one contribution, and their evidence rows need no sorting or merging)."""
    props = {
        k: _storable(sorted(set(val)) if MERGE_RULES.get(k) == "union" else val)
        for k, val in c.props.items()
        if val is not None and k not in NOT_PROPS
    }
    props["id"], props["kind"] = item_id, kind
    names = _names_key(props)
    if names:
        props["_names"] = names
    if kind == "Event":
        props["_span"] = event_span(props.get("start"), props.get("end"))
    return props


def _drop_old(var: str) -> str:
    """REMOVE of what an earlier layout kept as properties: a grown item of such a database keeps no stale
    copies of them."""
    return f"REMOVE {var}.articles, {var}.extractor, {var}.confidence"


def _db_props(v: dict[str, Any], win: Callable[[], dict[str, str]]) -> dict[str, Any]:
    """The property map written to Neo4j for one view, and its `winners` (called only when the view has
    several contributions), without `_contrib`, which the writer adds."""
    props = {k: _storable(val) for k, val in v.items() if val is not None and k not in NOT_PROPS}
    if len(v["articles"]) > 1:  # one contribution is its own view: `_stored_view` makes it on reading
        props["_view"] = dumps(v)
        props["_win"] = dumps(win())
    names = _names_key(v)
    if names:
        props["_names"] = names
    if v.get("kind") == "Event":
        props["_span"] = event_span(v.get("start"), v.get("end"))
    return props


# What a read returns besides the view of several contributions: the one contribution of the others.
VIEW_OR_ONE = "{0}._view AS v, CASE WHEN {0}._view IS NULL THEN {0}._contrib END AS c"
# The same for nodes, with the text an Article's contribution leaves to the node (`ARTICLE_TEXT`).
NODE_VIEW = VIEW_OR_ONE + ", CASE WHEN {0}.kind = 'Article' AND {0}._view IS NULL THEN {0}.text END AS t"


def contrib_lines(stored: str | list[str] | None) -> list[str]:
    """The lines of a stored `_contrib` (the JSON text of each contribution), or of a ledger's `nodes`,
    `edges` or `extra`: one string of lines, or a list as an earlier version wrote them."""
    if not stored:
        return []
    return stored.split("\n") if isinstance(stored, str) else list(stored)


def _joined(lines: Iterable[str]) -> str | None:
    """Lines stored as one string (None, which removes the property, when there are none): as a list of
    strings they cost the server a third more."""
    return "\n".join(lines) or None


def _one(c: str | list[str] | None) -> Contribution:
    """The one contribution of a stored `_contrib` of an item without `_view`."""
    (text,) = contrib_lines(c)
    return Contribution.from_json(text)


def _stored_view(
    kind: str,
    item_id: str,
    v: str | None,
    c: str | list[str] | None,
    ends: tuple[str, str] | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """The view of a stored node or edge from the columns of VIEW_OR_ONE (or NODE_VIEW, whose `t` is the
    `text` an Article's contribution left to the node)."""
    if v is not None:
        return orjson.loads(v)
    assert c is not None, item_id
    one = _one(c)
    if text is not None and kind == "Article":
        one.props.setdefault(ARTICLE_TEXT, text)
    return _view_of_one(kind, item_id, one, ends)


def winners(contribs: Iterable[Contribution]) -> dict[str, str]:
    """Which article gave each value of a view that "the smallest article id wins" decides: per property
    the smallest article with a value (not None) for it, and under `EXTRACTOR` the smallest article with an
    extractor. What `fold` needs to grow a view exactly; stored as `_win` beside `_view`."""
    out: dict[str, str] = {}
    for c in sorted(contribs, key=_article, reverse=True):  # the smallest article writes last
        for key, value in c.props.items():
            if value is not None and key not in MERGE_RULES and key not in DERIVED:
                out[key] = c.article
        if any(row[2] for row in c.rows):
            out[EXTRACTOR] = c.article
    return out


def _stored_winners(w: str | None, c: str | list[str] | None) -> dict[str, str]:
    """The `winners` of a stored view: its `_win`, or those of its one contribution."""
    return orjson.loads(w) if w is not None else winners([_one(c)])


def fold(v: dict[str, Any], win: dict[str, str], c: Contribution) -> bool:
    """Grow view `v` (and its `winners`) in place by the contribution of an article it does not hold yet,
    to what `view` over all contributions would give. False (nothing changed) when the article is already
    in the view: then the caller rebuilds it from every contribution."""
    articles = v["articles"]  # sorted: a busy node's holds thousands, so no linear `in`
    at_article = bisect.bisect_left(articles, c.article)
    if at_article < len(articles) and articles[at_article] == c.article:
        return False
    for key, value in c.props.items():
        rule = MERGE_RULES.get(key)
        if key in DERIVED:
            continue
        if value is None:
            v.setdefault(key, None)
        elif rule == "union":
            v[key] = sorted(set(v.get(key) or []) | set(value))
        elif rule in ("min", "max"):
            old = v.get(key)
            v[key] = value if old is None else (min if rule == "min" else max)(old, value)
        elif key not in win or c.article < win[key]:
            v[key], win[key] = value, c.article
    if c.rows:
        rows = sorted(c.rows, key=_span_key)
        extractor = next((r[2] for r in rows if r[2]), "")
        if extractor and (EXTRACTOR not in win or c.article < win[EXTRACTOR]):
            v["extractor"], win[EXTRACTOR] = extractor, c.article
        highest = max(r[3] for r in rows)
        v["confidence"] = max(v["confidence"], highest) if v["evidence"] else highest
        at = bisect.bisect_left(v["evidence"], c.article, key=lambda e: e[0])
        v["evidence"][at:at] = [
            [c.article, r[0], r[1]] for i, r in enumerate(rows) if i == 0 or r[:2] != rows[i - 1][:2]
        ]
    articles.insert(at_article, c.article)
    return True


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
        if "event_span_start" not in have:
            self._backfill_spans()

    def _backfill_spans(self) -> None:
        """Give `_span` to the events of a database written before it existed (once: when its index is
        made), or the date-range queries would not find them."""
        while True:
            rows = self._read(
                "MATCH (e:Event) WHERE e._span IS NULL RETURN e.id AS id, e.start AS s, e.end AS e LIMIT 5000"
            )
            if not rows:
                return
            spans = [{"id": r["id"], "span": event_span(r["s"], r["e"])} for r in rows]
            with self._session() as session:
                session.execute_write(
                    _run_one, "UNWIND $rows AS r MATCH (e:Event {id: r.id}) SET e._span = r.span", rows=spans
                )

    # --- writing -------------------------------------------------------------------------------------
    def article_hash(self, article_id: str) -> str | None:
        rows = self._read("MATCH (l:ArticleLedger {article: $a}) RETURN l.content_hash AS h", a=article_id)
        return rows[0]["h"] if rows else None

    def put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        with no_gc():
            return self._put_articles(batch)

    def _put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        latest: dict[str, ArticleFacts] = {}
        for facts in batch:
            latest[facts.article_id] = facts
        items = list(latest.values())
        written = 0
        with ThreadPoolExecutor(1, thread_name_prefix="contributions") as pool:
            for i in range(0, len(items), CHUNK_ARTICLES):
                chunk = {f.article_id: f for f in items[i : i + CHUNK_ARTICLES]}
                # the contributions are made while the transaction waits for its reads
                made = pool.submit(_contributions_of, chunk)
                written += self._write(
                    lambda tx, c=chunk, m=made: _apply(tx, c, skip_same=True, contributions=m)
                )
        return written

    def remove_article(self, article_id: str) -> bool:
        return self._write(lambda tx: _apply(tx, {article_id: None}, skip_same=False)) > 0

    def _write(self, work: Any) -> int:
        """Run `work` in a managed write transaction (the driver retries transient errors). A node or edge
        that another writer created after this one read is a constraint error: the work runs again, and
        then reads and grows what the other writer stored."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._session() as session:
                    return int(session.execute_write(work))
            except (ServiceUnavailable, SessionExpired, AuthError) as err:
                raise ConnectionFailed(self.uri, self._reason(err)) from None
            except Neo4jError as err:
                if (
                    err.code != "Neo.ClientError.Schema.ConstraintValidationFailed"
                    or attempt == WRITE_ATTEMPTS
                ):
                    raise StoreError(self.uri, self._reason(err)) from None
        raise AssertionError("unreachable")

    # --- reading -------------------------------------------------------------------------------------
    def node(self, node_id: str) -> dict[str, Any] | None:
        rows = self._read(
            f"MATCH (n:Node {{id: $id}}) RETURN n.kind AS kind, {NODE_VIEW.format('n')}", id=node_id
        )
        if not rows:
            return None
        return _stored_view(rows[0]["kind"], node_id, rows[0]["v"], rows[0]["c"], text=rows[0]["t"])

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        kinds = NODE_KINDS if kind is None else ((kind,) if kind in NODE_KINDS else ())
        for k in kinds:
            query = (
                f"MATCH (n:{k}) WHERE n.id > $after "
                f"RETURN n.id AS id, {NODE_VIEW.format('n')} ORDER BY n.id LIMIT {PAGE}"
            )
            for row in self._pages(query):
                yield _stored_view(k, row["id"], row["v"], row["c"], text=row["t"])

    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        kinds = tuple(EDGE_KINDS) if kind is None else ((kind,) if kind in EDGE_KINDS else ())
        for k in kinds:
            query = (
                f"MATCH (s)-[e:{k}]->(d) WHERE e.id > $after "
                f"RETURN e.id AS id, s.id AS src, d.id AS dst, {VIEW_OR_ONE.format('e')} "
                f"ORDER BY e.id LIMIT {PAGE}"
            )
            for row in self._pages(query):
                yield _stored_view(k, row["id"], row["v"], row["c"], (row["src"], row["dst"]))

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
            f"RETURN n.id AS id, {VIEW_OR_ONE.format('n')} ORDER BY n.id",
            needle=name_needle(name),
        )
        return [_stored_view(kind, r["id"], r["v"], r["c"]) for r in rows]

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
                # relationships first, in small transactions: a hub's DETACH DELETE in one go can pass
                # the server's transaction memory limit
                session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS").consume()
                session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 2000 ROWS").consume()
        except Neo4jError as err:
            raise StoreError(self.uri, self._reason(err)) from None

    def close(self) -> None:
        self._driver.close()


def _run_one(tx: neo4j.ManagedTransaction, statement: str, **params: Any) -> None:
    """One statement in a managed transaction (for `execute_write`, which retries transient errors)."""
    tx.run(statement, params).consume()


# --- the write transaction ----------------------------------------------------------------------------
# Every write-path statement is a seek by a unique id whatever the statistics say, but a bulk load from an
# empty database changes the statistics so fast that the planner would plan each statement again and again
# (that was a third of the ingest time): keep the first plan.
REPLAN = "CYPHER replan=skip "


def _run(
    tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any] | None = None, **kw: Any
) -> neo4j.Result:
    return tx.run(REPLAN + query, params, **kw)


@dataclass
class _Item:
    """One node or edge a write touches: its stored view (None when not stored), and its contributions
    by article when they had to be read (`contribs` None means: not read, the view is grown instead)."""

    kind: str
    ends: tuple[str, str] | None = None  # (src, dst) of an edge
    stored: dict[str, Any] | None = None
    contribs: dict[str, Contribution] | None = None
    added: dict[str, Contribution] = field(default_factory=dict)  # new articles' contributions, to fold in
    win: dict[str, str] = field(default_factory=dict)  # the stored view's `winners`, grown with it


def _contributions(facts: ArticleFacts) -> list[Contribution]:
    """The contribution of each node, then each edge, of one article, with its JSON made."""
    every: list[NodeFact | EdgeFact] = [*facts.nodes, *facts.edges]
    made = [Contribution.of(facts.article_id, fact) for fact in every]
    for c in made:
        c.to_json()
    return made


def _contributions_of(chunk: dict[str, ArticleFacts]) -> dict[str, list[Contribution]]:
    return {article: _contributions(facts) for article, facts in chunk.items()}


def _apply(
    tx: neo4j.ManagedTransaction,
    updates: dict[str, ArticleFacts | None],
    skip_same: bool,
    contributions: Future[dict[str, list[Contribution]]] | None = None,
) -> int:
    """Replace (or, for None, remove) each article's contribution. Returns how many articles changed.

    `contributions`, when given, is being made (`_contributions` of each article) while this reads.

    Articles the database has never seen only add contributions: the views they touch are read, grown by
    `fold` and written back, and the new contributions go to the new article's ledger (`extra`), so a busy
    node's contribution list is neither read, resent nor rewritten. Articles already stored (replaced or
    removed) need every contribution of what they touch (`_contrib` and the `extra` of the other articles
    in the view): those views are rebuilt from them by `view`, and their `_contrib` holds them all again.
    """
    ledger = _read_ledger(tx, list(updates))
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

    nodes, edges = _touched(updates, ledger)
    full = {i for a in updates if a in ledger for i in _ledger_ids(ledger[a])}
    handles: dict[str, str] = {}  # node id -> element id, for the new edges' end lookups
    _read_nodes(tx, nodes, full, handles)
    # an edge can be stored only if both its ends are: new events spare most edge reads
    _read_edges(tx, {i: it for i, it in edges.items() if _stored_ends(it, nodes)}, full)
    _complete(tx, {**nodes, **edges})

    for items in (nodes, edges):
        for item in items.values():
            if item.contribs is not None:
                for article in updates:
                    item.contribs.pop(article, None)
    made = contributions.result() if contributions is not None else {}
    for article, facts in updates.items():
        if facts is None:
            continue
        facts_of: list[tuple[dict[str, _Item], NodeFact | EdgeFact]] = [(nodes, n) for n in facts.nodes]
        facts_of += [(edges, e) for e in facts.edges]
        for (items, fact), c in zip(facts_of, made.get(article) or _contributions(facts), strict=True):
            item = items[fact.id]
            # a repeated id in one article: the last one wins
            (item.contribs if item.contribs is not None else item.added)[article] = c

    sender = _Sender(tx, handles)
    try:
        node_views = _settle(tx, nodes, updates, sender, _write_nodes)
        # new nodes before the new edges that join them (a gone node's DETACH DELETE takes its edges along)
        edge_views = _settle(tx, edges, updates, sender, _write_edges)
        _write_ledger(sender, updates, _extras(nodes, node_views) + _extras(edges, edge_views))
    finally:
        sender.stop()  # the transaction is ours again (also when this failed: the driver rolls it back)
    sender.check()
    return len(updates)


WRITE_SLICE = 2000  # items whose rows are made and sent at a time


Job = Callable[[], tuple[str, dict[str, Any]]]  # makes a statement when its turn comes


class _Sender:
    """Runs the write statements of one transaction, in order, in a thread of its own. The server executes a
    write statement before `run` returns, so without this the client idles while the server writes and the
    server while the client makes the next rows; with it, the two overlap.

    `handles` maps node ids to element ids: those of the nodes read, and those of the nodes created, which
    the thread adds from each CREATE's result. A statement sent as a `Job` is made when its turn comes, after
    the statements before it have run, so new edges can find their ends by element id.

    Only the thread uses the transaction while it runs: `wait` (or `stop`) before the caller uses it again.
    After an error the statements still queued are skipped; `send`, `wait` and `check` raise it."""

    def __init__(self, tx: neo4j.ManagedTransaction, handles: dict[str, str]) -> None:
        self._tx = tx
        self.handles = handles
        self._jobs: queue.SimpleQueue[tuple[str, dict[str, Any]] | Job | threading.Event | None] = (
            queue.SimpleQueue()
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="neo4j-writer", daemon=True)
        self._thread.start()

    def send(self, query: str, **params: Any) -> None:
        self.check()
        self._jobs.put((query, params))

    def send_job(self, job: Job) -> None:
        self.check()
        self._jobs.put(job)

    def wait(self) -> None:
        """Block until every statement sent so far has run."""
        done = threading.Event()
        self._jobs.put(done)
        done.wait()
        self.check()

    def stop(self) -> None:
        """Let the statements sent run, and end the thread."""
        self._jobs.put(None)
        self._thread.join()

    def check(self) -> None:
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            if isinstance(job, threading.Event):
                job.set()
            elif self._error is None:
                try:
                    query, params = job() if callable(job) else job
                    self._await_write(_run(self._tx, query, params))
                except BaseException as err:  # handed to the caller's thread
                    self._error = err

    def _await_write(self, result: neo4j.Result) -> None:
        """Wait for one write: note the element ids of new nodes, and check that every new edge found both
        its ends (it cannot fail after `_check_edges`, unless the database was edited by hand)."""
        keys = result.keys()
        if "eid" in keys:
            self.handles.update((r["id"], r["eid"]) for r in result)
        elif "want" in keys:
            row = result.single(strict=True)
            if row["n"] != row["want"]:
                raise StoreError("neo4j", f"{row['want'] - row['n']} new edges lost an end node")
        else:
            result.consume()


Rows = dict[tuple[str, str], list[dict[str, Any]]]


def _settle(
    tx: neo4j.ManagedTransaction,
    items: dict[str, _Item],
    updates: dict[str, ArticleFacts | None],
    sender: _Sender,
    write: Callable[[_Sender, Rows], None],
) -> dict[str, dict[str, Any] | None]:
    """Make the new views of these items and `write` their rows, a slice at a time, so that the server
    writes one slice while the next is made. Returns every new view."""
    views: dict[str, dict[str, Any] | None] = {}
    order = sorted(items, key=lambda i: (items[i].kind, i))
    for at in range(0, len(order), WRITE_SLICE):
        part = {i: items[i] for i in order[at : at + WRITE_SLICE]}
        grown = _grow_all(part)
        spoiled = {i: it for i, it in part.items() if it.added and it.stored and i not in grown}
        if spoiled:  # a grown view depended on a contribution it cannot show: rebuild it from all of them
            sender.wait()
            _read_contribs(tx, spoiled, updates)
            grown.update(_grow_all(spoiled))
        write(sender, _rows(part, grown))
        views.update(grown)
    return views


# Every read of what a write will change takes the item's write lock with `SET x._lk = true` (the way the
# Neo4j manual's "Lost updates" section takes one); a concurrent writer of the same item waits for our commit
# and then reads what we wrote. The property stays; setting it again changes nothing. Two cheaper ways used
# before took no lock at all on a new database: `REMOVE x._lk` of an absent property, and `SET x._lk = null`,
# which locks only once some write has made the property key `_lk` (measured on a fresh 5.26 server: no wait;
# after one `SET x._lk = true` anywhere, a full wait). Without the lock two overlapping ingests grow the same
# stored views, and each later commit loses the other's article.
LOCK = "SET {0}._lk = true "


def _read_ledger(tx: neo4j.ManagedTransaction, articles: list[str]) -> dict[str, dict[str, Any]]:
    """The stored ledgers of these articles, locked (two writers of one article wait for each other)."""
    return {
        r["article"]: {**r.data(), "nodes": contrib_lines(r["nodes"]), "edges": contrib_lines(r["edges"])}
        for r in _run(
            tx,
            "UNWIND $ids AS a MATCH (l:ArticleLedger {article: a}) "
            + LOCK.format("l")
            + "RETURN l.article AS article, l.content_hash AS hash, l.nodes AS nodes, l.edges AS edges",
            ids=articles,
        )
    }


def _ledger_ids(entry: dict[str, Any]) -> Iterator[str]:
    yield from entry["nodes"] or []
    for ref in entry["edges"] or []:
        yield _edge_ref(ref)[1]


def _edge_ref(ref: str) -> tuple[str, str]:
    """(kind, id) of an edge in a ledger: "KIND U+001F id" (or, as an earlier version wrote it, a JSON list
    [kind, id, src, dst]). Its ends are read with the edge."""
    if ref.startswith("["):
        kind, edge_id, _src, _dst = orjson.loads(ref)
        return kind, edge_id
    kind, _sep, edge_id = ref.partition(NAME_SEP)
    return kind, edge_id


UNREAD_ENDS = ("", "")  # the ends of an edge known only from a ledger, until it is read


def _touched(
    updates: dict[str, ArticleFacts | None], ledger: dict[str, dict[str, Any]]
) -> tuple[dict[str, _Item], dict[str, _Item]]:
    """Every node and edge these articles touched before or touch now."""
    nodes: dict[str, _Item] = {}
    edges: dict[str, _Item] = {}
    for article, facts in updates.items():
        if article in ledger:
            for node_id in ledger[article]["nodes"] or []:
                nodes.setdefault(node_id, _Item(""))
            for ref in ledger[article]["edges"] or []:
                kind, eid = _edge_ref(ref)
                edges.setdefault(eid, _Item(_check_kind(kind, EDGE_KINDS), UNREAD_ENDS))
        for n in facts.nodes if facts else ():
            nodes.setdefault(n.id, _Item("")).kind = _check_kind(n.kind, NODE_KINDS)
        for e in facts.edges if facts else ():
            edges.setdefault(e.id, _Item(_check_kind(e.kind, EDGE_KINDS))).ends = (e.src, e.dst)
    return nodes, edges


def _stored_ends(item: _Item, nodes: dict[str, _Item]) -> bool:
    assert item.ends is not None
    return item.ends == UNREAD_ENDS or all(nodes[end].stored is not None for end in item.ends)


def _read_nodes(
    tx: neo4j.ManagedTransaction, nodes: dict[str, _Item], full: set[str], handles: dict[str, str]
) -> None:
    """Lock and read the stored views of these nodes, and the contributions of those in `full`; note their
    element ids in `handles`."""
    for r in _run(
        tx,
        "UNWIND $ids AS id MATCH (n:Node {id: id}) "
        + LOCK.format("n")
        + f"RETURN n.id AS id, elementId(n) AS eid, n.kind AS kind, {NODE_VIEW.format('n')}, n._win AS w, "
        "CASE WHEN $full[n.id] THEN n._contrib END AS all",
        ids=sorted(nodes),
        full=dict.fromkeys(sorted(full & nodes.keys()), True),
    ):
        item = nodes[r["id"]]
        handles[r["id"]] = r["eid"]
        item.kind, item.stored = r["kind"], _stored_view(r["kind"], r["id"], r["v"], r["c"], text=r["t"])
        item.win = _stored_winners(r["w"], r["c"])
        if r["all"] is not None:
            item.contribs = _by_article(r["all"])


def _read_edges(tx: neo4j.ManagedTransaction, edges: dict[str, _Item], full: set[str]) -> None:
    """Lock and read the stored edges among these: one UNION ALL query over their kinds."""
    groups = _by_kind(edges)
    if not groups:
        return
    parts = [
        f"UNWIND $ids_{k} AS id MATCH (s)-[e:{k} {{id: id}}]->(d) {LOCK.format('e')}"
        f"RETURN e.id AS id, s.id AS src, d.id AS dst, {VIEW_OR_ONE.format('e')}, e._win AS w, "
        f"CASE WHEN $full[e.id] THEN e._contrib END AS all"
        for k in groups
    ]
    params: dict[str, Any] = {f"ids_{k}": ids for k, ids in groups.items()}
    params["full"] = dict.fromkeys(sorted(full & edges.keys()), True)
    for r in _run(tx, " UNION ALL ".join(parts), params):
        item = edges[r["id"]]
        item.ends = (r["src"], r["dst"])
        item.stored = _stored_view(item.kind, r["id"], r["v"], r["c"], item.ends)
        item.win = _stored_winners(r["w"], r["c"])
        if r["all"] is not None:
            item.contribs = _by_article(r["all"])


def _read_contribs(
    tx: neo4j.ManagedTransaction, items: dict[str, _Item], updates: dict[str, ArticleFacts | None]
) -> None:
    """Read the stored contributions of these (already locked) items and add the new ones to them."""
    node_ids = sorted(i for i, it in items.items() if it.ends is None)
    found = {
        r["id"]: r["c"]
        for r in _run(
            tx, "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n._contrib AS c", ids=node_ids
        )
    }
    groups = _by_kind({i: it for i, it in items.items() if it.ends is not None})
    if groups:
        parts = [
            f"UNWIND $ids_{k} AS id MATCH ()-[e:{k} {{id: id}}]->() RETURN e.id AS id, e._contrib AS c"
            for k in groups
        ]
        found.update(
            (r["id"], r["c"])
            for r in _run(tx, " UNION ALL ".join(parts), {f"ids_{k}": ids for k, ids in groups.items()})
        )
    for item_id, item in items.items():
        item.contribs = _by_article(found.get(item_id))
    _complete(tx, items)
    for item in items.values():
        assert item.contribs is not None
        for article in updates:
            item.contribs.pop(article, None)
        item.contribs.update(item.added)
        item.added = {}


def _complete(tx: neo4j.ManagedTransaction, items: dict[str, _Item]) -> None:
    """Add to the items whose `_contrib` was just read the contributions that growing left in the `extra`
    of their articles' ledgers (every article of a stored view that `_contrib` lacks)."""
    wanted: dict[str, set[str]] = {}  # article -> ids of the items that need its contribution
    for item_id, item in items.items():
        if item.contribs is not None and item.stored is not None:
            for article in item.stored["articles"]:
                if article not in item.contribs:
                    wanted.setdefault(article, set()).add(item_id)
    if not wanted:
        return
    for r in _run(
        tx,
        "UNWIND $ids AS a MATCH (l:ArticleLedger {article: a}) RETURN l.article AS a, l.extra AS extra",
        ids=sorted(wanted),
    ):
        for entry in contrib_lines(r["extra"]):
            item_id, _sep, text = entry.partition(NAME_SEP)
            target = items.get(item_id)
            if item_id in wanted[r["a"]] and target is not None and target.contribs is not None:
                target.contribs[r["a"]] = Contribution.from_json(text)


def _extras(items: dict[str, _Item], views: dict[str, dict[str, Any] | None]) -> list[tuple[str, str]]:
    """(article, ledger entry) for each contribution that growing folds into a stored view: the entry is
    the item's id and the contribution's JSON, joined by U+001F."""
    return [
        (article, item_id + NAME_SEP + c.to_json())
        for item_id, item in items.items()
        if item_id in views
        and views[item_id] is not None
        and item.stored is not None
        and item.contribs is None
        for article, c in item.added.items()
    ]


def _by_article(stored: str | list[str] | None) -> dict[str, Contribution]:
    """The contributions of a stored `_contrib`, by article."""
    return {c.article: c for c in map(Contribution.from_json, contrib_lines(stored))}


ONE: dict[str, Any] = {}  # the "view" `_grow_all` gives a new item of one contribution (compared by identity)


def _grow_all(items: dict[str, _Item]) -> dict[str, dict[str, Any] | None]:
    """The new view of every item that needs no further reads: rebuilt (contributions read), new (made from
    its own contributions) or grown (`fold`); None for a stored item left without contributions. Items
    missing from the result need nothing written, or (grown, `fold` refused) their contributions read."""
    out: dict[str, dict[str, Any] | None] = {}
    for item_id, item in items.items():
        if item.contribs is not None:
            out[item_id] = (
                view(item.kind, item_id, item.contribs.values(), item.ends) if item.contribs else None
            )
        elif not item.added:
            continue  # nothing stored and nothing new (a removed article's id already gone)
        elif item.stored is None:
            one = len(item.added) == 1  # `_rows` writes it from its contribution (`_props_of_one`)
            out[item_id] = ONE if one else view(item.kind, item_id, item.added.values(), item.ends)
        elif all(fold(item.stored, item.win, c) for c in item.added.values()):
            out[item_id] = item.stored
    return out


def _check_edges(facts: ArticleFacts) -> None:
    """Every edge must join two nodes of the same article (the embedded store's rule too)."""
    own = {n.id for n in facts.nodes}
    for e in facts.edges:
        if e.src not in own or e.dst not in own:
            reason = f"article {facts.article_id}: edge {e.id} ({e.kind}) joins a node the article lacks"
            raise StoreError("neo4j", reason)


def _by_kind(items: dict[str, _Item]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in sorted(items):
        out.setdefault(_check_kind(items[i].kind, EDGE_KINDS), []).append(i)
    return out


def _rows(items: dict[str, _Item], views: dict[str, dict[str, Any] | None]) -> Rows:
    """Write rows grouped by (kind, how): "new" items are created, "grown" ones get their changed view and
    their new contributions appended, "rebuilt" ones their whole property map, "gone" ones are deleted."""
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item_id in sorted(views):
        item, v = items[item_id], views[item_id]
        row: dict[str, Any] = {"id": item_id}
        if v is None:
            how = "gone" if item.stored is not None else ""
        elif item.stored is None or item.contribs is not None:
            how = "new" if item.stored is None else "rebuilt"
            contribs = list((item.contribs if item.contribs is not None else item.added).values())
            if v is ONE:
                row["props"] = _props_of_one(item.kind, item_id, contribs[0])
            else:
                row["props"] = _db_props(v, functools.partial(winners, contribs))
            row["props"]["_contrib"] = _joined(c.to_json() for c in sorted(contribs, key=_article))
        else:  # grown: its new contributions go to their articles' ledgers (`_extras`)
            how = "grown"
            row["props"] = _db_props(v, item.win.copy)
        if item.ends is not None:
            row["src"], row["dst"] = item.ends
        if how:
            rows.setdefault((item.kind, how), []).append(row)
    return rows


def _article(c: Contribution) -> str:
    return c.article


def _write_nodes(sender: _Sender, rows: Rows) -> None:
    for (kind, how), batch in rows.items():
        label = _check_kind(kind, NODE_KINDS)
        if how == "gone":
            query = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) DETACH DELETE n"
        elif how == "new":  # CREATE, not MERGE: a node another writer has just made fails the constraint
            query = f"UNWIND $rows AS r CREATE (n:{label}:Node) SET n = r.props RETURN r.id AS id, elementId(n) AS eid"
        elif how == "grown":
            query = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n += r.props " + _drop_old("n")
        else:
            query = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n = r.props"
        sender.send(query, rows=batch)


def _write_edges(sender: _Sender, rows: Rows) -> None:
    for (kind, how), batch in rows.items():
        rel = _check_kind(kind, EDGE_KINDS)
        match = f"UNWIND $rows AS r MATCH ()-[e:{rel} {{id: r.id}}]->() "
        if how == "gone":
            query = match + "DELETE e"
        elif how == "grown":
            query = match + "SET e += r.props " + _drop_old("e")
        elif how == "rebuilt":
            query = match + "SET e = r.props"
        else:
            sender.send_job(functools.partial(_new_edges, sender.handles, rel, batch))
            continue
        sender.send(query, rows=batch)


def _new_edges(handles: dict[str, str], rel: str, rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The statement creating these edges, made when the nodes before them are written: the ends are found by
    element id (a direct lookup; by the id index when an end's element id is unknown, which `_check_edges`
    rules out). `want`: see `_Sender._await_write`."""
    ends = "MATCH (s:Node {id: r.src}) MATCH (d:Node {id: r.dst})"
    if all(r["src"] in handles and r["dst"] in handles for r in rows):
        ends = "MATCH (s) WHERE elementId(s) = r.src MATCH (d) WHERE elementId(d) = r.dst"
        rows = [{"props": r["props"], "src": handles[r["src"]], "dst": handles[r["dst"]]} for r in rows]
    query = f"UNWIND $rows AS r {ends} CREATE (s)-[e:{rel}]->(d) SET e = r.props RETURN count(e) AS n, size($rows) AS want"
    return query, {"rows": rows}


def _write_ledger(
    sender: _Sender, updates: dict[str, ArticleFacts | None], extras: list[tuple[str, str]]
) -> None:
    gone = [a for a, f in updates.items() if f is None]
    if gone:
        sender.send("UNWIND $ids AS a MATCH (l:ArticleLedger {article: a}) DELETE l", ids=gone)
    extra: dict[str, list[str]] = {}
    for article, entry in extras:
        extra.setdefault(article, []).append(entry)
    rows = [
        {
            "article": a,
            "hash": f.content_hash,
            "nodes": _joined(sorted({n.id for n in f.nodes})),
            "edges": _joined(sorted({e.kind + NAME_SEP + e.id for e in f.edges})),
            "extra": _joined(sorted(extra.get(a, []))),
        }
        for a, f in updates.items()
        if f is not None
    ]
    if rows:
        query = (
            "UNWIND $rows AS r MERGE (l:ArticleLedger {article: r.article}) "
            "SET l.content_hash = r.hash, l.nodes = r.nodes, l.edges = r.edges, l.extra = r.extra"
        )
        sender.send(query, rows=rows)
