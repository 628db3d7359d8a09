"""Small helpers the networkx twins share: index lookups, adjacency walks, date filters, sorting.

The twins read a `NetworkxStore`: `store.find_nodes(kind, name)` (the name/alias index), `store.node(id)`,
`store.edge(id)`, and its adjacency, `store.out_edges` / `store.in_edges`, which give (edge dict, node dict)
for the edges of some kinds leaving or entering a node — without `articles` and `evidence`, which only
`node(id)` and `edge(id)` decode. They mirror Cypher's semantics where it matters:
a comparison with a missing value is false, and ascending sorts put missing values last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

Row = dict[str, Any]
Node = dict[str, Any]
Edge = dict[str, Any]


def lookup(store: Any, kind: str, name: str) -> list[Node]:
    """Nodes of `kind` whose name or an alias is exactly `name`, from the store's index.

    The index may normalize (white space, width, case); the Cypher compares exactly, so this does too.
    """
    return [
        n for n in store.find_nodes(kind, name) if n.get("name") == name or name in (n.get("aliases") or [])
    ]


def out_edges(
    store: Any, node_id: str, kinds: Iterable[str], dst_kinds: Iterable[str] = ()
) -> Iterator[tuple[Edge, Node]]:
    """(edge, target node) for the edges of the given kinds leaving a node."""
    return store.out_edges(node_id, frozenset(kinds), frozenset(dst_kinds))


def in_edges(
    store: Any, node_id: str, kinds: Iterable[str], src_kinds: Iterable[str] = ()
) -> Iterator[tuple[Edge, Node]]:
    """(edge, source node) for the edges of the given kinds entering a node."""
    return store.in_edges(node_id, frozenset(kinds), frozenset(src_kinds))


def in_range(event: Node, from_: str | None, to: str | None) -> bool:
    """Cypher's `($from IS NULL OR e.end >= $from) AND ($to IS NULL OR e.start <= $to)`."""
    if from_ is not None and (event.get("end") is None or event["end"] < from_):
        return False
    if to is not None and (event.get("start") is None or event["start"] > to):
        return False
    return True


def overlaps_period(event: Node, period: str | None) -> bool:
    """Cypher's `left(e.start, size($p)) <= $p AND left(e.end, size($p)) >= $p` (None: no filter)."""
    if period is None:
        return True
    start, end = event.get("start"), event.get("end")
    if start is None or end is None:
        return False
    return start[: len(period)] <= period <= end[: len(period)]


def min_present(values: Iterable[Any]) -> Any:
    """Cypher's min(): the smallest non-null value, None when there is none."""
    present = [v for v in values if v is not None]
    return min(present) if present else None


def max_present(values: Iterable[Any]) -> Any:
    """Cypher's max(): the largest non-null value, None when there is none."""
    present = [v for v in values if v is not None]
    return max(present) if present else None


def sort_rows(rows: list[Row], order: Iterable[tuple[str, bool]]) -> list[Row]:
    """Sort rows like Cypher's ORDER BY: keys in turn, (column, descending); nulls last ascending,
    first descending. List values compare as tuples."""
    result = list(rows)
    for column, descending in reversed(list(order)):
        result.sort(key=partial(_column_key, column), reverse=descending)
    return result


def _column_key(column: str, row: Row) -> tuple[bool, Any]:
    return _key(row.get(column))


def _key(value: Any) -> tuple[bool, Any]:
    if isinstance(value, list):
        value = tuple(value)
    return (value is None, value if value is not None else 0)
