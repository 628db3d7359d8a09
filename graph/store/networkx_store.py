"""The embedded store: every article's contribution and the merged views, packed, in one msgpack file.

Its kind is "networkx" (the name of its first version, which held a networkx graph); the networkx query
twins (`queries/twins*.py`) read it through `find_nodes`, `node`, `edge`, `out_edges` and `in_edges`.

On disk: one file (`PATH`), rewritten atomically on `flush()` (temp file in the same folder, fsync,
`os.replace`, fsync of the folder), so a reader or a crash sees the old file or the new one, never half.
A writer holds an exclusive `fcntl.flock` on `PATH.lock` from open to `close()`; a second writer gets
`StoreLockedError` (or waits up to `wait` seconds). Readers (`read_only=True`) take no lock.

File layout (format version 2): a sequence of msgpack objects, written and read one at a time, so that
neither side ever holds the whole file as one buffer or one tree of Python objects:

    {"format": "dashiji-networkx", "version": 2, "nodes": N, "edges": M, "articles": K}
    {article id: content hash}
    N x [node id, kind, packed props, packed provenance]
    M x [edge id, kind, src, dst, packed props, packed provenance]   (src, dst: positions among the nodes)
    K x [article id, packed contribution]       (sorted by article id; a read-only open stops before them)

A view (the node or edge dict of `graph.store.base`) is packed in two msgpack parts: its props (every
field but the entry's own id, kind, src, dst and the two below) and its provenance, [articles, evidence],
which grows with every article that names it; the adjacency walks the twins make decode only the props
(a hub's provenance would cost milliseconds, and the twins have no use for it). A packed contribution is
the zlib-compressed msgpack of [node rows [[id, kind, props, ev], ...], edge rows [[id, kind, src, dst,
props, ev], ...]] with ev = [[start, end, extractor, confidence], ...]. A file of version 1 (one map
holding everything) is refused with a line saying to re-ingest.

Why packed: at 100,000 articles (1.5 million relationships) views and contributions as Python dicts and
lists took 7 GiB to ingest and 4.3 GiB to open; as bytes they take a fraction of that. In memory:

    _nodes      node id -> (kind, packed props, packed provenance)
    _edges      edge id -> (kind, src, dst, packed props, packed provenance)
    _out, _in   node id -> ids of the edges leaving / entering it (the twins' adjacency walks)
    _index      (kind, normalize_key(name or alias)) -> node ids (`find_nodes`)
    _kinds      node or edge kind -> ids (`nodes(kind)`, `edges(kind)`, `counts`)
    _contrib    article id -> packed contribution (writers only)

Node ids and kinds are interned, so an edge's src and dst are the node's own id string. A read method
decodes the views it returns: each call gives fresh dicts, which the caller may keep or change.
`out_edges` and `in_edges` give the views without articles and evidence (`node`, `edge` give them whole).

A merged view is `merge_props` over the contributions, then `articles` (the contributing Article ids,
sorted), `evidence` (sorted, unique [article, start, end] over every contribution), `extractor` (of the
smallest article's evidence) and `confidence` (the highest of any evidence) — the same rules as the Neo4j
store. A view's `articles` is also how a write finds the other contributions of a node it touches; a write
that only adds an article to a view folds it in (`_grow`) instead of re-merging every contribution, so hub
nodes (中共中央, 国务院) stay cheap and only the articles a write re-merges are unpacked.

Example:
    >>> import tempfile, os
    >>> with NetworkxStore(os.path.join(tempfile.mkdtemp(), "g.dashiji")) as store:
    ...     store.counts()
    {}
"""

from __future__ import annotations

import bisect
import fcntl
import os
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import msgpack

from graph.model import MERGE_RULES, ArticleFacts, Evidence, merge_props, normalize_key
from graph.store.base import Store, no_gc
from ingest.errors import StoreError, StoreLockedError

FORMAT = "dashiji-networkx"
VERSION = 2
LOCK_POLL = 0.05  # seconds between tries while waiting for the lock
WRITE_BUFFER = 1 << 20  # bytes buffered per write to the file
ZLIB_LEVEL = 1  # contributions: fast, and still 3.8x smaller on the synthetic corpus (bench/synth.py)

Row = list[Any]  # one contribution: [id, kind, props, ev] or [id, kind, src, dst, props, ev]
DERIVED = ("id", "kind", "src", "dst", "articles", "evidence", "extractor", "confidence")  # set by the store
NODE_FIELDS = ("id", "kind", "articles", "evidence")  # not in a node's packed props
EDGE_FIELDS = ("id", "kind", "src", "dst", "articles", "evidence")  # not in an edge's packed props
NodeEntry = tuple[str, bytes, bytes]  # kind, packed props, packed provenance
EdgeEntry = tuple[str, str, str, bytes, bytes]  # kind, src, dst, packed props, packed provenance


@dataclass
class _Write:
    """One write: per node/edge id its contributors after the write, and the ids that lost one."""

    nodes: dict[str, set[str]] = field(default_factory=dict)
    edges: dict[str, set[str]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)


# --- small pure helpers ------------------------------------------------------------------------------
def _ev_rows(evidence: Iterable[Evidence]) -> list[list[Any]]:
    """Evidence as rows sorted by span (so that views can concatenate them without sorting)."""
    rows = [[e.start, e.end, e.extractor, e.confidence] for e in evidence]
    return sorted(rows, key=lambda r: (-1 if r[0] is None else r[0], -1 if r[1] is None else r[1]))


def _merged(contribs: dict[str, Row], props_at: int) -> dict[str, Any]:
    """`merge_props` over the contributions, without `articles` (`_provenance` sets it; a hub node's union
    of article lists would cost O(n²) inside `merge_props`)."""
    return merge_props(
        [(a, {k: v for k, v in row[props_at].items() if k != "articles"}) for a, row in contribs.items()]
    )


def _provenance(contribs: dict[str, Row]) -> dict[str, Any]:
    """articles, evidence (sorted [article, start, end]), extractor (smallest article), max confidence."""
    articles = sorted(contribs)
    evidence: list[list[Any]] = []
    extractor, confidence = "", None
    for article in articles:
        last: tuple[Any, Any] | None = None
        for start, end, ex, conf in contribs[article][-1]:
            if (start, end) != last:
                evidence.append([article, start, end])
                last = (start, end)
            if ex and not extractor:
                extractor = ex
            if confidence is None or conf > confidence:
                confidence = conf
    return {
        "articles": articles,
        "evidence": evidence,
        "extractor": extractor,
        "confidence": 1.0 if confidence is None else confidence,
    }


def _grow(view: dict[str, Any], article: str, row: Row, props_at: int) -> bool:
    """Fold one more article's contribution into a merged view in place, as `merge_props` and `_provenance`
    would. False when the result depends on contributions the view cannot show (then recompute)."""
    rows = row[-1]
    if not rows or not view["evidence"]:
        return False
    smallest = article < view["articles"][0]
    for key, value in row[props_at].items():
        old, rule = view.get(key), MERGE_RULES.get(key)
        if key in DERIVED:
            continue
        if value is None:
            view.setdefault(key, None)
        elif rule == "union":
            view[key] = sorted(set(old or []) | set(value))
        elif rule in ("min", "max"):
            view[key] = value if old is None else (min if rule == "min" else max)(old, value)
        elif old is None or smallest:
            view[key] = value
        elif old != value:
            return False  # which article gave `old`, one smaller or larger than this one?
    extractor = next((r[2] for r in rows if r[2]), "")
    if extractor and extractor != view["extractor"]:
        if view["extractor"] and not smallest:
            return False
        view["extractor"] = extractor
    view["confidence"] = max(view["confidence"], *(r[3] for r in rows))
    view["articles"].insert(bisect.bisect_left(view["articles"], article), article)
    at = bisect.bisect_left(view["evidence"], article, key=lambda e: e[0])
    view["evidence"][at:at] = [
        [article, r[0], r[1]] for i, r in enumerate(rows) if i == 0 or r[:2] != rows[i - 1][:2]
    ]
    return True


def _names(view: dict[str, Any]) -> set[str]:
    names = {view.get("name"), *(view.get("aliases") or [])}
    return {normalize_key(n) for n in names if isinstance(n, str) and n}


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pack_view(view: dict[str, Any], given: tuple[str, ...]) -> tuple[bytes, bytes]:
    """A view as its packed props (without the fields `given` elsewhere) and its packed provenance."""
    props = msgpack.packb({k: v for k, v in view.items() if k not in given}, use_bin_type=True)
    return props, msgpack.packb([view["articles"], view["evidence"]], use_bin_type=True)


def _unpack(packed: bytes) -> Any:
    return msgpack.unpackb(packed, raw=False, strict_map_key=False)


def _pack_rows(node_rows: list[Row], edge_rows: list[Row]) -> bytes:
    return zlib.compress(msgpack.packb([node_rows, edge_rows], use_bin_type=True), ZLIB_LEVEL)


def _by_id(packed: bytes) -> tuple[dict[str, Row], dict[str, Row]]:
    """A packed contribution as (node id -> row, edge id -> row)."""
    node_rows, edge_rows = _unpack(zlib.decompress(packed))
    return {r[0]: r for r in node_rows}, {r[0]: r for r in edge_rows}


# --- the store ---------------------------------------------------------------------------------------
class NetworkxStore(Store):
    """The embedded store at `path` (see the module docstring). Writes stay in memory until `flush()`."""

    kind = "networkx"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, wait: float = 0.0) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self._hashes: dict[str, str] = {}  # article id -> content hash
        self._contrib: dict[str, bytes] = {}  # article id -> packed contribution
        self._nodes: dict[str, NodeEntry] = {}  # node id -> (kind, packed props, packed provenance)
        self._edges: dict[str, EdgeEntry] = {}  # edge id -> (kind, src, dst, packed props, provenance)
        self._out: dict[str, list[str]] = defaultdict(list)  # node id -> ids of the edges leaving it
        self._in: dict[str, list[str]] = defaultdict(list)  # node id -> ids of the edges entering it
        self._index: dict[tuple[str, str], set[str]] = defaultdict(set)  # (kind, name key) -> node ids
        self._kinds: dict[str, set[str]] = defaultdict(set)  # node or edge kind -> ids
        self._rows: dict[str, tuple[dict[str, Row], dict[str, Row]]] = {}  # during a write: unpacked rows
        self._views: dict[tuple[bool, str], dict[str, Any] | None] = {}  # during a write: decoded views
        self._dirty = False
        self._closed = False
        self._lock_fd: int | None = None
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = self._acquire(wait)
        try:
            if not read_only:
                self._remove_stale_temps()
            with no_gc():
                self._load()
        except BaseException:
            self._release()
            raise

    # --- lock ----------------------------------------------------------------------------------
    def _acquire(self, wait: float) -> int:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(str(self.path), f"cannot create lock file {lock_path}: {exc.strerror}") from exc
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreLockedError(str(self.path)) from None
                time.sleep(LOCK_POLL)

    def _release(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # --- file ----------------------------------------------------------------------------------
    def _remove_stale_temps(self) -> None:
        """Delete temp files left by a writer killed while saving (only the lock holder writes them).

        `flush` names them `.NAME.` + mkstemp's 8 random characters + `.tmp`."""
        pattern = re.compile(re.escape(f".{self.path.name}.") + r"[a-z0-9_]{8}\.tmp")
        for entry in os.scandir(self.path.parent):
            if pattern.fullmatch(entry.name):
                Path(entry.path).unlink(missing_ok=True)

    def _load(self) -> None:
        if not self.path.exists():
            if self.read_only:
                raise StoreError(str(self.path), "does not exist (ingest something first)")
            self._dirty = True  # a new store: the first flush creates its file, even empty
            return
        try:
            with open(self.path, "rb") as fh:
                self._read(fh)
        except (OSError, ValueError, TypeError, LookupError, msgpack.UnpackException) as exc:
            raise StoreError(str(self.path), f"cannot be read: {exc}") from exc

    def _read(self, fh: BinaryIO) -> None:
        """The file's objects in order (see the module docstring); a reader skips the contributions."""
        unpacker = msgpack.Unpacker(fh, raw=False, strict_map_key=False, max_buffer_size=2**31 - 1)
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise StoreError(str(self.path), "is not a dashiji networkx store")
        if header.get("version") != VERSION:
            raise StoreError(
                str(self.path),
                f"has format version {header.get('version')}, this dashiji reads version {VERSION}: "
                "ingest the articles again into a new store",
            )
        self._hashes = unpacker.unpack()
        intern = sys.intern
        ids = []
        for node_id, kind, props, provenance in islice(unpacker, header["nodes"]):
            ids.append(intern(node_id))
            self._add_node(ids[-1], (intern(kind), props, provenance), _unpack(props))
        self._read_edges(islice(unpacker, header["edges"]), ids)
        if not self.read_only:
            self._contrib = dict(islice(unpacker, header["articles"]))
        found = (len(self._nodes), len(self._edges), len(self._contrib) if not self.read_only else 0)
        if found != (header["nodes"], header["edges"], header["articles"] if not self.read_only else 0):
            raise StoreError(str(self.path), "cannot be read: it ends early")

    def _read_edges(self, entries: Iterable[list[Any]], ids: list[str]) -> None:
        """`_add_edge` for every edge entry of the file, unrolled: a big store has millions."""
        edges, out, into, kinds, intern = self._edges, self._out, self._in, self._kinds, sys.intern
        for edge_id, kind, src_at, dst_at, props, provenance in entries:
            kind, src, dst = intern(kind), ids[src_at], ids[dst_at]
            edges[edge_id] = (kind, src, dst, props, provenance)
            out[src].append(edge_id)
            into[dst].append(edge_id)
            kinds[kind].add(edge_id)

    def flush(self) -> None:
        """Write the store to its file atomically, if anything changed since the last flush."""
        if not self._dirty or self.read_only:
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb", buffering=WRITE_BUFFER) as fh:
                self._write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)
        self._dirty = False

    def _write(self, fh: BinaryIO) -> None:
        pack = msgpack.Packer(use_bin_type=True).pack
        counts = {"nodes": len(self._nodes), "edges": len(self._edges), "articles": len(self._contrib)}
        fh.write(pack({"format": FORMAT, "version": VERSION, **counts}))
        fh.write(pack(dict(sorted(self._hashes.items()))))
        at = {node_id: i for i, node_id in enumerate(self._nodes)}
        for node_id, node in self._nodes.items():
            fh.write(pack([node_id, *node]))
        for edge_id, (kind, src, dst, props, provenance) in self._edges.items():
            fh.write(pack([edge_id, kind, at[src], at[dst], props, provenance]))
        for article in sorted(self._contrib):
            fh.write(pack([article, self._contrib[article]]))

    def close(self) -> None:
        """Flush and release the lock (idempotent)."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            self._release()

    # --- the in-memory tables ------------------------------------------------------------------
    def _add_node(self, node_id: str, node: NodeEntry, view: dict[str, Any]) -> None:
        """Store a node's packed view (new or replacing its old one, which `_unindex` took out)."""
        self._nodes[node_id] = node
        self._kinds[node[0]].add(node_id)
        for name in _names(view):
            self._index[(node[0], name)].add(node_id)

    def _add_edge(self, edge_id: str, edge: EdgeEntry) -> None:
        """Store an edge's packed view; a new edge joins the adjacency lists of its ends."""
        if edge_id not in self._edges:
            self._out[edge[1]].append(edge_id)
            self._in[edge[2]].append(edge_id)
        self._edges[edge_id] = edge
        self._kinds[edge[0]].add(edge_id)

    def _drop_edge(self, edge_id: str) -> None:
        _kind, src, dst, _props, _provenance = self._edges.pop(edge_id)
        self._out[src].remove(edge_id)
        self._in[dst].remove(edge_id)

    def _drop_node(self, node_id: str) -> None:
        """Remove a node (its edges are gone already: an edge's articles are among its ends' articles)."""
        del self._nodes[node_id]
        self._out.pop(node_id, None)
        self._in.pop(node_id, None)

    @staticmethod
    def _decode_node(node_id: str, node: NodeEntry, whole: bool = True) -> dict[str, Any]:
        """A node's view; without articles and evidence unless `whole`."""
        view: dict[str, Any] = _unpack(node[1])
        view["id"], view["kind"] = node_id, node[0]
        if whole:
            view["articles"], view["evidence"] = _unpack(node[2])
        return view

    @staticmethod
    def _decode_edge(edge_id: str, edge: EdgeEntry, whole: bool = True) -> dict[str, Any]:
        """An edge's view; without articles and evidence unless `whole`."""
        view: dict[str, Any] = _unpack(edge[3])
        view["id"], view["kind"], view["src"], view["dst"] = edge_id, *edge[:3]
        if whole:
            view["articles"], view["evidence"] = _unpack(edge[4])
        return view

    # --- writing -------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self._closed:
            raise StoreError(str(self.path), "is closed")
        if self.read_only:
            raise StoreError(str(self.path), "was opened read-only")

    def article_hash(self, article_id: str) -> str | None:
        return self._hashes.get(article_id)

    def put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        self._writable()
        write = _Write()
        written = 0
        with no_gc():
            try:
                for facts in batch:
                    if self._hashes.get(facts.article_id) == facts.content_hash:
                        continue
                    self._check(facts)
                    self._detach(facts.article_id, write)
                    self._attach(facts, write)
                    written += 1
            finally:
                self._refresh(write)
        return written

    def _attach(self, facts: ArticleFacts, write: _Write) -> None:
        """Add an article's contribution (packed for the file, kept unpacked until the write ends)."""
        node_rows: list[Row] = [[n.id, n.kind, n.props, _ev_rows(n.evidence)] for n in facts.nodes]
        edge_rows: list[Row] = [
            [e.id, e.kind, e.src, e.dst, e.props, _ev_rows(e.evidence)] for e in facts.edges
        ]
        self._contrib[facts.article_id] = _pack_rows(node_rows, edge_rows)
        self._rows[facts.article_id] = ({r[0]: r for r in node_rows}, {r[0]: r for r in edge_rows})
        self._hashes[facts.article_id] = facts.content_hash
        for n in facts.nodes:
            self._pending(write.nodes, n.id, True).add(facts.article_id)
        for e in facts.edges:
            self._pending(write.edges, e.id, False).add(facts.article_id)

    def remove_article(self, article_id: str) -> bool:
        self._writable()
        if article_id not in self._hashes:
            return False
        write = _Write()
        self._detach(article_id, write)
        self._refresh(write)
        return True

    def wipe(self) -> None:
        """Remove every article (the file is rewritten empty on the next flush)."""
        self._writable()
        self._contrib, self._hashes = {}, {}
        self._clear_views()
        self._dirty = True

    def rebuild_views(self) -> None:
        """Recompute every merged view from the contributions (a repair; writes keep views current)."""
        self._clear_views()
        write = _Write()
        for article, packed in self._contrib.items():
            node_rows, edge_rows = self._rows[article] = _by_id(packed)
            for node_id in node_rows:
                write.nodes.setdefault(node_id, set()).add(article)
            for edge_id in edge_rows:
                write.edges.setdefault(edge_id, set()).add(article)
        with no_gc():
            self._refresh(write)

    def _clear_views(self) -> None:
        for table in (self._nodes, self._edges, self._out, self._in, self._index, self._kinds):
            table.clear()

    def _check(self, facts: ArticleFacts) -> None:
        own = {n.id for n in facts.nodes}
        for e in facts.edges:
            if e.src not in own or e.dst not in own:
                reason = f"article {facts.article_id}: edge {e.id} ({e.kind}) joins a node the article lacks"
                raise StoreError(str(self.path), reason)

    def _pending(self, pending: dict[str, set[str]], item_id: str, is_node: bool) -> set[str]:
        """The contributors of a node or edge during a write, starting from its current view."""
        found = pending.get(item_id)
        if found is None:
            view = self._view(item_id, is_node)
            found = pending[item_id] = set(view["articles"]) if view is not None else set()
        return found

    def _detach(self, article_id: str, write: _Write) -> None:
        """Take an article's contribution out (its views are recomputed by `_refresh`)."""
        packed = self._contrib.pop(article_id, None)
        self._hashes.pop(article_id, None)
        rows = self._rows.pop(article_id, None)
        if packed is None:
            return
        node_rows, edge_rows = rows or _by_id(packed)
        for node_id in node_rows:
            self._pending(write.nodes, node_id, True).discard(article_id)
            write.dropped.add(node_id)
        for edge_id in edge_rows:
            self._pending(write.edges, edge_id, False).discard(article_id)
            write.dropped.add(edge_id)

    def _row(self, article_id: str, item_id: str, is_node: bool) -> Row:
        rows = self._rows.get(article_id)
        if rows is None:
            rows = self._rows[article_id] = _by_id(self._contrib[article_id])
        return rows[0 if is_node else 1][item_id]

    # --- the merged view -----------------------------------------------------------------------
    def _view(self, item_id: str, is_node: bool) -> dict[str, Any] | None:
        """The current view of a node or edge, decoded once per write."""
        key = (is_node, item_id)
        if key not in self._views:
            if is_node:
                node = self._nodes.get(item_id)
                self._views[key] = None if node is None else self._decode_node(item_id, node)
            else:
                edge = self._edges.get(item_id)
                self._views[key] = None if edge is None else self._decode_edge(item_id, edge)
        return self._views[key]

    def _merge(
        self, item_id: str, is_node: bool, articles: set[str], old: dict[str, Any] | None, grow: bool
    ) -> dict[str, Any]:
        """The new view of a node or edge: `old` grown by the added articles if possible, else recomputed."""
        props_at = 2 if is_node else 4
        if old is not None and grow:
            view = {**old, "articles": list(old["articles"]), "evidence": list(old["evidence"])}
            added = sorted(articles.difference(old["articles"]))
            if all(_grow(view, a, self._row(a, item_id, is_node), props_at) for a in added):
                return view
        contribs = {a: self._row(a, item_id, is_node) for a in articles}
        first = next(iter(contribs.values()))
        view = {**_merged(contribs, props_at), "id": item_id, "kind": first[1]}
        if not is_node:
            view.update(src=first[2], dst=first[3])
        view.update(_provenance(contribs))
        return view

    def _refresh(self, write: _Write) -> None:
        """Bring the views of every node and edge a write touched up to date (node removals last), then
        drop what the write unpacked."""
        gone: list[str] = []
        try:
            for is_node, pending in ((True, write.nodes), (False, write.edges)):
                for item_id, articles in pending.items():
                    old = self._view(item_id, is_node)
                    grow = item_id not in write.dropped
                    if old is not None and grow and articles.issubset(old["articles"]):
                        continue  # nothing changed
                    if old is not None:
                        self._unindex(old)
                    if not articles:
                        if is_node:
                            gone.append(item_id)
                        elif old is not None:
                            self._drop_edge(item_id)
                        continue
                    self._store_view(self._merge(item_id, is_node, articles, old, grow), is_node)
            for node_id in gone:
                self._drop_node(node_id)
        finally:
            self._rows.clear()
            self._views.clear()
        self._dirty = self._dirty or bool(write.nodes or write.edges)

    def _store_view(self, view: dict[str, Any], is_node: bool) -> None:
        intern = sys.intern
        if is_node:
            node = (intern(view["kind"]), *_pack_view(view, NODE_FIELDS))
            self._add_node(intern(view["id"]), node, view)
        else:
            ends = intern(view["src"]), intern(view["dst"])
            self._add_edge(view["id"], (intern(view["kind"]), *ends, *_pack_view(view, EDGE_FIELDS)))

    def _unindex(self, view: dict[str, Any]) -> None:
        for name in _names(view):
            ids = self._index.get((view["kind"], name))
            if ids is not None:
                ids.discard(view["id"])
                if not ids:
                    del self._index[(view["kind"], name)]
        self._kinds[view["kind"]].discard(view["id"])

    # --- reading -------------------------------------------------------------------------------
    def node(self, node_id: str) -> dict[str, Any] | None:
        entry = self._nodes.get(node_id)
        return None if entry is None else self._decode_node(node_id, entry)

    def edge(self, edge_id: str) -> dict[str, Any] | None:
        """One edge by id (the twins' `provenance` of a relationship)."""
        entry = self._edges.get(edge_id)
        return None if entry is None else self._decode_edge(edge_id, entry)

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        ids = self._nodes if kind is None else sorted(self._kinds.get(kind, ()))
        return (self._decode_node(node_id, self._nodes[node_id]) for node_id in ids)

    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        ids = self._edges if kind is None else sorted(self._kinds.get(kind, ()))
        return (self._decode_edge(edge_id, self._edges[edge_id]) for edge_id in ids)

    def out_edges(
        self, node_id: str, kinds: Collection[str], other_kinds: Collection[str] = ()
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(edge, target node) for the edges of the given kinds leaving a node, the target of one of
        `other_kinds` (any when empty), in the order the edges were added; both views come without their
        articles and evidence (a hub's would cost more than the walk)."""
        return self._walk(self._out.get(node_id, ()), True, kinds, other_kinds)

    def in_edges(
        self, node_id: str, kinds: Collection[str], other_kinds: Collection[str] = ()
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(edge, source node) for the edges of the given kinds entering a node (as `out_edges`)."""
        return self._walk(self._in.get(node_id, ()), False, kinds, other_kinds)

    def _walk(
        self, edge_ids: Iterable[str], outgoing: bool, kinds: Collection[str], other_kinds: Collection[str]
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        for edge_id in edge_ids:
            entry = self._edges[edge_id]
            if entry[0] not in kinds:
                continue
            other_id = entry[2] if outgoing else entry[1]
            other = self._nodes[other_id]
            if not other_kinds or other[0] in other_kinds:
                yield self._decode_edge(edge_id, entry, False), self._decode_node(other_id, other, False)

    def find_nodes(self, kind: str, name: str) -> list[dict[str, Any]]:
        ids = self._index.get((kind, normalize_key(name)), ())
        return [self._decode_node(node_id, self._nodes[node_id]) for node_id in sorted(ids)]

    def counts(self) -> dict[str, int]:
        return {kind: len(ids) for kind, ids in sorted(self._kinds.items()) if ids}

    def dump(self) -> dict[str, Any]:
        """`Store.dump`, without the Article's `ingested_at` (when we learned it, not what it says)."""
        out = super().dump()
        for n in out["nodes"]:
            n.pop("ingested_at", None)
        return out

    def __enter__(self) -> NetworkxStore:
        return self
