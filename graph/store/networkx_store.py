"""The embedded store: every article's contribution kept in one msgpack file, merged into a networkx graph.

On disk: one file (`PATH`), rewritten atomically on `flush()` (temp file in the same folder, fsync,
`os.replace`, fsync of the folder), so a reader or a crash sees the old file or the new one, never half.
A writer holds an exclusive `fcntl.flock` on `PATH.lock` from open to `close()`; a second writer gets
`StoreLockedError` (or waits up to `wait` seconds). Readers (`read_only=True`) take no lock.

File layout (one msgpack map):

    format, version   "dashiji-networkx", 1
    hashes            {article id: content hash}
    nodes, edges      the merged views (the dicts below), so that opening the store merges nothing
    contributions     msgpack bytes, unpacked only on the first write: a list of
                      [article id, node rows [[id, kind, props, ev], ...],
                       edge rows [[id, kind, src, dst, props, ev], ...]]
                      with ev = [[start, end, extractor, confidence], ...]

In memory, `.graph` is a `networkx.MultiDiGraph` of the merged view, for the networkx query twins:

    node key   = node id; node attributes = the node dict of `graph.store.base` (id, kind, merged props,
                 articles, evidence, extractor, confidence)
    edge       = (src, dst, key=edge id); edge attributes = the edge dict (id, kind, src, dst, merged props,
                 articles, evidence, extractor, confidence)

Treat `.graph` and the dicts the read methods return as read-only. A merged view is `merge_props` over the
contributions, then `articles` (the contributing Article ids, sorted), `evidence` (sorted, unique
[article, start, end] over every contribution), `extractor` (of the smallest article's evidence) and
`confidence` (the highest of any evidence) — the same rules as the Neo4j store. A view's `articles` is also
how a write finds the other contributions of a node it touches; a write that only adds an article to a
view folds it in (`_grow`) instead of re-merging every contribution, so hub nodes (中共中央, 国务院) stay
cheap. `find_nodes` reads an index of `normalize_key(name)` and `normalize_key(alias)` per kind.

Example:
    >>> import tempfile, os
    >>> with NetworkxStore(os.path.join(tempfile.mkdtemp(), "g.dashiji")) as store:
    ...     store.counts()
    {}
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import gc
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack
import networkx as nx

from graph.model import MERGE_RULES, ArticleFacts, Evidence, merge_props, normalize_key
from graph.store.base import Store
from ingest.errors import StoreError, StoreLockedError

FORMAT = "dashiji-networkx"
VERSION = 1
LOCK_POLL = 0.05  # seconds between tries while waiting for the lock

Row = list[Any]  # one contribution: [id, kind, props, ev] or [id, kind, src, dst, props, ev]
DERIVED = ("id", "kind", "src", "dst", "articles", "evidence", "extractor", "confidence")  # set by the store


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


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many small containers (it would rescan them over and over)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- the store ---------------------------------------------------------------------------------------
class NetworkxStore(Store):
    """The embedded store at `path` (see the module docstring). Writes stay in memory until `flush()`."""

    kind = "networkx"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, wait: float = 0.0) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._hashes: dict[str, str] = {}  # article id -> content hash
        self._articles: dict[str, list[list[Row]]] | None = {}  # article id -> [node rows, edge rows]
        self._packed: bytes | None = None  # the contributions as read, until the first write unpacks them
        self._rows: dict[str, tuple[dict[str, Row], dict[str, Row]]] = {}  # per article: id -> row
        self._index: dict[tuple[str, str], set[str]] = defaultdict(set)  # (kind, name key) -> node ids
        self._kinds: dict[str, set[str]] = defaultdict(set)  # node or edge kind -> ids
        self._edge_ends: dict[str, tuple[str, str]] = {}  # edge id -> (src, dst)
        self._dirty = False
        self._closed = False
        self._lock_fd: int | None = None
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = self._acquire(wait)
        try:
            if not read_only:
                self._remove_stale_temps()
            with _no_gc():
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
            data = msgpack.unpackb(self.path.read_bytes(), raw=False, strict_map_key=False)
        except (OSError, ValueError, msgpack.UnpackException) as exc:
            raise StoreError(str(self.path), f"cannot be read: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(str(self.path), "is not a dashiji networkx store")
        if data.get("version") != VERSION:
            raise StoreError(str(self.path), f"has format version {data.get('version')}, expected {VERSION}")
        self._hashes = data["hashes"]
        self._packed, self._articles = data["contributions"], None
        self.graph.add_nodes_from((view["id"], view) for view in data["nodes"])
        self.graph.add_edges_from((view["src"], view["dst"], view["id"], view) for view in data["edges"])
        for nid, view in self.graph.nodes(data=True):
            self._kinds[view["kind"]].add(nid)
            for name in _names(view):
                self._index[(view["kind"], name)].add(nid)
        for src, dst, eid, kind in self.graph.edges(keys=True, data="kind"):
            self._kinds[kind].add(eid)
            self._edge_ends[eid] = (src, dst)

    def _contributions(self) -> dict[str, list[list[Row]]]:
        """Every article's rows (unpacked from the file on first use)."""
        if self._articles is None:
            with _no_gc():
                rows = msgpack.unpackb(self._packed or msgpack.packb([]), raw=False)
            self._articles = {article: [nodes, edges] for article, nodes, edges in rows}
            self._packed = None
        return self._articles

    def flush(self) -> None:
        """Write the store to its file atomically, if anything changed since the last flush."""
        if not self._dirty or self.read_only:
            return
        with _no_gc():
            articles = self._contributions()
            packed = msgpack.packb([[a, *articles[a]] for a in sorted(articles)], use_bin_type=True)
            blob = msgpack.packb(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "hashes": dict(sorted(self._hashes.items())),
                    "nodes": [view for _nid, view in self.graph.nodes(data=True)],
                    "edges": [view for _src, _dst, view in self.graph.edges(data=True)],
                    "contributions": packed,
                },
                use_bin_type=True,
            )
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)
        self._dirty = False

    def close(self) -> None:
        """Flush and release the lock (idempotent)."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            self._release()

    # --- writing -------------------------------------------------------------------------------
    def _writable(self) -> dict[str, list[list[Row]]]:
        if self._closed:
            raise StoreError(str(self.path), "is closed")
        if self.read_only:
            raise StoreError(str(self.path), "was opened read-only")
        return self._contributions()

    def article_hash(self, article_id: str) -> str | None:
        return self._hashes.get(article_id)

    def put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        articles = self._writable()
        write = _Write()
        written = 0
        with _no_gc():
            try:
                for facts in batch:
                    if self._hashes.get(facts.article_id) == facts.content_hash:
                        continue
                    self._check(facts)
                    self._detach(facts.article_id, write)
                    node_rows: list[Row] = [
                        [n.id, n.kind, n.props, _ev_rows(n.evidence)] for n in facts.nodes
                    ]
                    edge_rows: list[Row] = [
                        [e.id, e.kind, e.src, e.dst, e.props, _ev_rows(e.evidence)] for e in facts.edges
                    ]
                    articles[facts.article_id] = [node_rows, edge_rows]
                    self._hashes[facts.article_id] = facts.content_hash
                    for n in facts.nodes:
                        self._pending(write.nodes, n.id, True).add(facts.article_id)
                    for e in facts.edges:
                        self._pending(write.edges, e.id, False).add(facts.article_id)
                    written += 1
            finally:
                self._refresh(write)
        return written

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
        self._articles, self._hashes, self._rows = {}, {}, {}
        self._clear_views()
        self._dirty = True

    def rebuild_views(self) -> None:
        """Recompute every merged view from the contributions (a repair; writes keep views current)."""
        articles = self._contributions()
        self._clear_views()
        write = _Write()
        for article, (node_rows, edge_rows) in articles.items():
            for row in node_rows:
                write.nodes.setdefault(row[0], set()).add(article)
            for row in edge_rows:
                write.edges.setdefault(row[0], set()).add(article)
        with _no_gc():
            self._refresh(write)

    def _clear_views(self) -> None:
        self.graph.clear()
        self._index.clear()
        self._kinds.clear()
        self._edge_ends.clear()

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
        stored = self._contributions().pop(article_id, None)
        self._hashes.pop(article_id, None)
        self._rows.pop(article_id, None)
        if stored is None:
            return
        for row in stored[0]:
            self._pending(write.nodes, row[0], True).discard(article_id)
            write.dropped.add(row[0])
        for row in stored[1]:
            self._pending(write.edges, row[0], False).discard(article_id)
            write.dropped.add(row[0])

    def _row(self, article_id: str, item_id: str, is_node: bool) -> Row:
        rows = self._rows.get(article_id)
        if rows is None:
            node_rows, edge_rows = self._contributions()[article_id]
            rows = self._rows[article_id] = ({r[0]: r for r in node_rows}, {r[0]: r for r in edge_rows})
        return rows[0 if is_node else 1][item_id]

    # --- the merged view -----------------------------------------------------------------------
    def _view(self, item_id: str, is_node: bool) -> dict[str, Any] | None:
        if is_node:
            return self.graph.nodes[item_id] if item_id in self.graph else None
        ends = self._edge_ends.get(item_id)
        return self.graph.edges[(*ends, item_id)] if ends else None

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
        """Bring the views of every node and edge a write touched up to date (node removals last)."""
        gone: list[str] = []
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
                        self.graph.remove_edge(*self._edge_ends.pop(item_id), item_id)
                    continue
                view = self._merge(item_id, is_node, articles, old, grow)
                if old is not None:
                    old.clear()
                    old.update(view)
                elif is_node:
                    self.graph.add_node(item_id, **view)
                else:
                    self.graph.add_edge(view["src"], view["dst"], key=item_id, **view)
                    self._edge_ends[item_id] = (view["src"], view["dst"])
                self._kinds[view["kind"]].add(item_id)
                for name in _names(view) if is_node else ():
                    self._index[(view["kind"], name)].add(item_id)
        self.graph.remove_nodes_from(gone)
        self._dirty = self._dirty or bool(write.nodes or write.edges)

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
        return dict(self.graph.nodes[node_id]) if node_id in self.graph else None

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        graph = self.graph
        if kind is None:
            return (dict(view) for _nid, view in graph.nodes(data=True))
        return (dict(graph.nodes[nid]) for nid in sorted(self._kinds.get(kind, ())))

    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        graph = self.graph
        if kind is None:
            return (dict(view) for _src, _dst, view in graph.edges(data=True))
        ids = sorted(self._kinds.get(kind, ()))
        return (dict(graph.edges[(*self._edge_ends[eid], eid)]) for eid in ids)

    def find_nodes(self, kind: str, name: str) -> list[dict[str, Any]]:
        ids = self._index.get((kind, normalize_key(name)), ())
        return [dict(self.graph.nodes[nid]) for nid in sorted(ids)]

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
