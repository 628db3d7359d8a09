"""Stores of the graph: pick one with `open_store`.

    open_store("out/demo.dashiji")            → NetworkxStore (embedded, one file)
    open_store("bolt://127.0.0.1:7687")       → Neo4jStore (user/password/database from NEO4J_USER,
                                                 NEO4J_PASSWORD, NEO4J_DATABASE unless given)
    open_store(None)                          → $DASHIJI_STORE, else ~/.local/share/dashiji/graph.dashiji

The Neo4j module (and its driver) is imported only when a server URI is given.
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.store.base import Store
from graph.store.networkx_store import NetworkxStore
from ingest.errors import StoreError

DEFAULT_STORE = Path("~/.local/share/dashiji/graph.dashiji")
SERVER_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

__all__ = ["DEFAULT_STORE", "NetworkxStore", "Store", "default_target", "is_server_uri", "open_store"]


def default_target() -> str:
    """The store used when none is named: $DASHIJI_STORE, else ~/.local/share/dashiji/graph.dashiji."""
    return os.environ.get("DASHIJI_STORE") or str(DEFAULT_STORE.expanduser())


def is_server_uri(target: str) -> bool:
    """True for a Neo4j URI (bolt://, neo4j://, and their +s / +ssc forms)."""
    scheme, sep, _rest = target.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    wait: float = 0.0,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Store:
    """Open the store at a path or a Neo4j URI (see the module docstring).

    `read_only` opens the embedded store without its writer lock; `wait` is how many seconds to wait for
    that lock before `StoreLockedError`. Both are ignored by Neo4j, which has its own transactions.
    """
    where = os.fspath(target) if target is not None else default_target()
    if not is_server_uri(where):
        return NetworkxStore(where, read_only=read_only, wait=wait)
    try:
        from graph.store.neo4j_store import Neo4jStore
    except ImportError as exc:
        raise StoreError(where, f"the Neo4j store cannot be loaded ({exc}); pip install neo4j") from exc
    return Neo4jStore(
        where,
        user=user if user is not None else os.environ.get("NEO4J_USER", "neo4j"),
        password=password if password is not None else os.environ.get("NEO4J_PASSWORD"),
        database=database if database is not None else os.environ.get("NEO4J_DATABASE") or None,
    )
