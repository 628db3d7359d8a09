"""Networkx twin of `provenance`: where a node or edge comes from, down to the sentence.

The evidence sentence is cut from the Article's text around the evidence span: from just after the
last sentence stop before the span to the first stop at or after the span's last character (or the
text's edges), with surrounding white space removed. `provenance.cypher` cuts it the same way.
"""

from __future__ import annotations

from typing import Any

from queries.twins_common import Edge, Node, Row, lookup, out_edges, sort_rows

SENTENCE_STOPS = frozenset("。！？!?\n")
# White space removed around a sentence: exactly what Neo4j's trim() removes (Java's isWhitespace).
TRIM = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680"
    + "".join(map(chr, range(0x2000, 0x2007)))
    + ("\u2008\u2009\u200a\u2028\u2029\u205f\u3000")
)


def evidence_sentence(text: str | None, start: int | None, end: int | None) -> str | None:
    """The sentence(s) of `text` around [start, end).

    >>> evidence_sentence("一。二三四！五", 2, 3)
    '二三四！'
    """
    if text is None or start is None or end is None:
        return None
    before = [i for i in range(0, start) if text[i] in SENTENCE_STOPS]
    after = [i for i in range(max(end - 1, start), len(text)) if text[i] in SENTENCE_STOPS]
    first = before[-1] + 1 if before else 0
    last = after[0] if after else len(text) - 1
    return text[first : last + 1].strip(TRIM)


def find_edge(store: Any, edge_id: str) -> Edge | None:
    """One edge dict by id (edge ids start with `rel:`), from the store's edge table."""
    if not edge_id.startswith("rel:"):
        return None
    found: Edge | None = store.edge(edge_id)
    return found


def _facts(store: Any, id: str | None, person: str | None, event_id: str | None) -> list[Node | Edge]:
    """The nodes and edges asked about: one by id, or the participations of a person in an event."""
    facts: list[Node | Edge] = []
    if id is not None:
        found = store.node(id) or find_edge(store, id)
        facts.extend([found] if found is not None else [])
    if person is not None and event_id is not None:
        for who in lookup(store, "Person", person):
            for edge, event in out_edges(store, who["id"], ["PARTICIPATED_IN"], ["Event"]):
                if event["id"] == event_id:
                    facts.append(store.edge(edge["id"]))  # the walk's edge has no evidence
    return facts


def provenance(
    store: Any,
    id: str | None = None,  # noqa: A002 - the query's parameter name
    person: str | None = None,
    event_id: str | None = None,
) -> list[Row]:
    """One row per evidence span of the fact: article, title, date, span and the sentence."""
    rows: dict[tuple[Any, ...], Row] = {}
    for fact in _facts(store, id, person, event_id):
        for article_id, start, end in fact.get("evidence") or []:
            article = store.node(article_id) or {}
            row = {
                "fact_id": fact["id"],
                "fact_kind": fact["kind"],
                "article_id": article_id,
                "title": article.get("title"),
                "date": article.get("date"),
                "start": start,
                "end": end,
                "sentence": evidence_sentence(article.get("text"), start, end),
            }
            rows[tuple(row.values())] = row
    order = [("article_id", False), ("start", False), ("end", False), ("fact_id", False)]
    return sort_rows(list(rows.values()), order)
