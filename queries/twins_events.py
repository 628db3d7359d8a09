"""Networkx twins of the event-centred queries (same params, columns and sort as the .cypher)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from queries.twins_common import (
    Node,
    Row,
    in_edges,
    in_range,
    lookup,
    min_present,
    out_edges,
    overlaps_period,
    sort_rows,
)


def events_in_range(store: Any, from_: str | None, to: str | None) -> Iterator[Node]:
    """Events overlapping [from_, to]: the Event nodes of the store, filtered by start and end."""
    for event in store.nodes("Event"):
        if in_range(event, from_, to):
            yield event


def _event_row(event: Node) -> Row:
    return {
        "date": event.get("date"),
        "end_date": event.get("end_date"),
        "type": event.get("type"),
        "label": event.get("label"),
        "location": event.get("location"),
        "event_id": event["id"],
    }


def event_attendees(
    store: Any, event_id: str | None = None, label: str | None = None, date: str | None = None
) -> list[Row]:
    """People and organizations that took part in an event, by id or by label substring and date.

    By id it is one lookup; a label substring has no index, so the Event nodes are scanned.
    """
    if event_id is not None:
        found = store.node(event_id)
        events = [found] if found is not None and found.get("kind") == "Event" else []
    else:
        events = list(store.nodes("Event"))
    rows = []
    for event in events:
        event_label = event.get("label")
        if label is not None and (event_label is None or label not in event_label):
            continue
        if not overlaps_period(event, date):
            continue
        for edge, who in in_edges(
            store, event["id"], ["PARTICIPATED_IN", "ORGANIZED"], ["Person", "Organization"]
        ):
            rows.append(
                {
                    "event_id": event["id"],
                    "date": event.get("date"),
                    "label": event.get("label"),
                    "kind": who["kind"],
                    "name": who.get("name"),
                    "role": "organizer" if edge["kind"] == "ORGANIZED" else edge.get("role"),
                    "title": edge.get("title"),
                    "participant_id": who["id"],
                }
            )
    order = [("date", False), ("event_id", False), ("kind", True), ("name", False), ("role", False)]
    return sort_rows(rows, order + [("participant_id", False)])


def org_events(store: Any, name: str, from_: str | None = None, to: str | None = None) -> list[Row]:
    """An organization's events, organized or taken part in."""
    rows = []
    for org in lookup(store, "Organization", name):
        for edge, event in out_edges(store, org["id"], ["ORGANIZED", "PARTICIPATED_IN"], ["Event"]):
            if in_range(event, from_, to):
                row = _event_row(event)
                rows.append(
                    {
                        "date": row["date"],
                        "end_date": row["end_date"],
                        "type": row["type"],
                        "label": row["label"],
                        "relation": edge["kind"],
                        "role": edge.get("role"),
                        "location": row["location"],
                        "organization": org.get("name"),
                        "event_id": row["event_id"],
                    }
                )
    order = [
        ("date", False),
        ("event_id", False),
        ("relation", False),
        ("role", False),
        ("organization", False),
    ]
    return sort_rows(rows, order)


def events_by_type(
    store: Any,
    type: str | None = None,  # noqa: A002 - the query's parameter name
    from_: str | None = None,
    to: str | None = None,
) -> list[Row]:
    """Events in a date range, of one type or all, with the number of people who took part."""
    rows = []
    for event in events_in_range(store, from_, to):
        if type is not None and event.get("type") != type:
            continue
        people = {p["id"] for _e, p in in_edges(store, event["id"], ["PARTICIPATED_IN"], ["Person"])}
        row = _event_row(event)
        row["people"] = len(people)
        row["event_id"] = row.pop("event_id")  # last, as declared
        rows.append(row)
    return sort_rows(rows, [("date", False), ("event_id", False)])


def place_events(store: Any, name: str, from_: str | None = None, to: str | None = None) -> list[Row]:
    """Events that took place at a place."""
    rows = []
    for place in lookup(store, "Place", name):
        for _edge, event in in_edges(store, place["id"], ["OCCURRED_IN"], ["Event"]):
            if in_range(event, from_, to):
                row = _event_row(event)
                rows.append(
                    {
                        "date": row["date"],
                        "end_date": row["end_date"],
                        "type": row["type"],
                        "label": row["label"],
                        "place": place.get("name"),
                        "event_id": row["event_id"],
                    }
                )
    return sort_rows(rows, [("date", False), ("event_id", False), ("place", False)])


def target_timeline(store: Any, name: str, limit: int = 100) -> list[Row]:
    """Events aimed at a target and goals set about it, the first `limit` in date order; a goal is dated by
    its earliest setter."""
    rows: dict[tuple[Any, ...], Row] = {}
    for target in lookup(store, "Target", name):
        for _edge, event in in_edges(store, target["id"], ["TARGETS"], ["Event"]):
            row = {
                "date": event.get("date"),
                "kind": "event",
                "type": event.get("type"),
                "text": event.get("label"),
                "deadline": None,
                "metric": None,
                "value": None,
                "id": event["id"],
            }
            rows[tuple(row.values())] = row
        for _edge, goal in in_edges(store, target["id"], ["ABOUT"], ["Goal"]):
            setters = [src.get("date") for _e, src in in_edges(store, goal["id"], ["SETS_GOAL"])]
            row = {
                "date": min_present(setters),
                "kind": "goal",
                "type": None,
                "text": goal.get("text"),
                "deadline": goal.get("deadline"),
                "metric": goal.get("metric"),
                "value": goal.get("value"),
                "id": goal["id"],
            }
            rows[tuple(row.values())] = row
    return sort_rows(list(rows.values()), [("date", False), ("kind", False), ("id", False)])[:limit]
