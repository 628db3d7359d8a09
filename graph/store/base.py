"""The one `Store` interface. Both backends (embedded networkx, Neo4j) implement exactly these methods.

A store holds articles' contributions (`ArticleFacts`) and shows their merge (see `graph.model`).
Node and edge views returned by the read methods are plain dicts:

    node: {"id", "kind", **merged props, "articles": [...], "evidence": [[article, start, end], ...]}
    edge: {"id", "kind", "src", "dst", **merged props, "articles": [...], "evidence": [...]}
"""

from __future__ import annotations

import abc
import contextlib
import gc
from collections.abc import Iterable, Iterator
from typing import Any

from graph.model import ArticleFacts


class Store(abc.ABC):
    kind: str = "abstract"  # "networkx" | "neo4j"

    # --- writing -------------------------------------------------------------------------------
    @abc.abstractmethod
    def article_hash(self, article_id: str) -> str | None:
        """Content hash of the stored article, or None when it is not stored."""

    @abc.abstractmethod
    def put_articles(self, batch: Iterable[ArticleFacts]) -> int:
        """Store each article's facts, replacing exactly what that article contributed before.

        Articles whose content hash is unchanged are skipped. Returns how many were written.
        """

    @abc.abstractmethod
    def remove_article(self, article_id: str) -> bool:
        """Remove an article and every fact only it contributed. False when it was not stored."""

    # --- reading -------------------------------------------------------------------------------
    @abc.abstractmethod
    def node(self, node_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]: ...

    @abc.abstractmethod
    def edges(self, kind: str | None = None) -> Iterator[dict[str, Any]]: ...

    @abc.abstractmethod
    def find_nodes(self, kind: str, name: str) -> list[dict[str, Any]]:
        """Nodes of a kind whose name or an alias equals `name` (index lookup, not a scan)."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per kind and edges per kind, e.g. {"Person": 12, "HELD": 9}."""

    def dump(self) -> dict[str, Any]:
        """A canonical, order-independent dump: sorted nodes and edges (for parity and crash tests)."""
        return {
            "nodes": sorted((dict(sorted(n.items())) for n in self.nodes()), key=lambda n: n["id"]),
            "edges": sorted((dict(sorted(e.items())) for e in self.edges()), key=lambda e: e["id"]),
        }

    # --- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:  # noqa: B027 - a store with nothing to release need not override it
        """Flush and release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """No cyclic garbage collection meanwhile, for a store's bulk work. Building views and rows makes
    hundreds of thousands of short-lived dicts and lists without cycles; each collection they trigger would
    rescan them and every object the caller holds (a batch of facts). Reference counting still frees them;
    the collector is restored afterwards as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
