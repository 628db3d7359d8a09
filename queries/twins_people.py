"""Networkx twins of the person- and post-centred queries (same params, columns and sort as the .cypher).

Every twin but `most_active` starts from the name/alias index and walks adjacency from there.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.twins_common import (
    Row,
    in_edges,
    in_range,
    lookup,
    max_present,
    min_present,
    out_edges,
    sort_rows,
)
from queries.twins_events import events_in_range


def person_timeline(store: Any, name: str, from_: str | None = None, to: str | None = None) -> list[Row]:
    """An official's events in date order, with the role and title at each."""
    rows = []
    for person in lookup(store, "Person", name):
        for edge, event in out_edges(store, person["id"], ["PARTICIPATED_IN"], ["Event"]):
            if in_range(event, from_, to):
                rows.append(
                    {
                        "date": event.get("date"),
                        "end_date": event.get("end_date"),
                        "type": event.get("type"),
                        "label": event.get("label"),
                        "role": edge.get("role"),
                        "title": edge.get("title"),
                        "location": event.get("location"),
                        "event_id": event["id"],
                    }
                )
    return sort_rows(rows, [("date", False), ("event_id", False), ("role", False), ("title", False)])


def _count_rows(events_by_person: dict[str, dict[str, Any]], names: dict[str, Any]) -> list[Row]:
    """Rows of (name, events, first_date, last_date, person_id) from person id -> {event id: date}."""
    rows = [
        {
            "name": names[pid],
            "events": len(events),
            "first_date": min_present(events.values()),
            "last_date": max_present(events.values()),
            "person_id": pid,
        }
        for pid, events in events_by_person.items()
    ]
    return sort_rows(rows, [("events", True), ("name", False), ("person_id", False)])


def co_participants(store: Any, name: str, from_: str | None = None, to: str | None = None) -> list[Row]:
    """People who shared events with a person, with counts, most shared first."""
    shared: dict[str, dict[str, Any]] = defaultdict(dict)
    names: dict[str, Any] = {}
    for person in lookup(store, "Person", name):
        for _edge, event in out_edges(store, person["id"], ["PARTICIPATED_IN"], ["Event"]):
            if not in_range(event, from_, to):
                continue
            for _edge2, other in in_edges(store, event["id"], ["PARTICIPATED_IN"], ["Person"]):
                if other["id"] != person["id"]:
                    shared[other["id"]][event["id"]] = event.get("date")
                    names[other["id"]] = other.get("name")
    return _count_rows(shared, names)


def most_active(
    store: Any,
    from_: str | None = None,
    to: str | None = None,
    type: str | None = None,  # noqa: A002 - the query's parameter name
    limit: int = 10,
) -> list[Row]:
    """The officials with the most events in a period (the events are found by date, then walked)."""
    active: dict[str, dict[str, Any]] = defaultdict(dict)
    names: dict[str, Any] = {}
    for event in events_in_range(store, from_, to):
        if type is not None and event.get("type") != type:
            continue
        for _edge, person in in_edges(store, event["id"], ["PARTICIPATED_IN"], ["Person"]):
            active[person["id"]][event["id"]] = event.get("date")
            names[person["id"]] = person.get("name")
    return _count_rows(active, names)[:limit]


def person_posts(store: Any, name: str) -> list[Row]:
    """A person's posts over time, with the first and last attested dates."""
    rows = []
    for person in lookup(store, "Person", name):
        for edge, post in out_edges(store, person["id"], ["HELD"], ["Post"]):
            rows.append(
                {
                    "post": post.get("name"),
                    "organization": post.get("organization"),
                    "rank": post.get("title"),
                    "first_seen": edge.get("first_seen"),
                    "last_seen": edge.get("last_seen"),
                    "post_id": post["id"],
                }
            )
    return sort_rows(rows, [("first_seen", False), ("last_seen", False), ("post", False), ("post_id", False)])


def _posts_of(store: Any, organization: str) -> dict[str, dict[str, Any]]:
    """Posts linked by POST_IN to the organizations of that name or alias, by id."""
    posts = {}
    for org in lookup(store, "Organization", organization):
        for _edge, post in in_edges(store, org["id"], ["POST_IN"], ["Post"]):
            posts[post["id"]] = post
    return posts


def post_holders(
    store: Any, post: str | None = None, organization: str | None = None, rank: str | None = None
) -> list[Row]:
    """Holders of posts over time, by post-name substring or by organization (and rank).

    With an organization the walk starts from the index; a bare substring has no index to use, so the
    Post nodes (only those) are scanned.
    """
    if organization is not None:
        candidates = list(_posts_of(store, organization).values())
    else:
        candidates = list(store.nodes("Post"))
    rows = []
    for node in candidates:
        if post is not None and post not in (node.get("name") or ""):
            continue
        if rank is not None and node.get("title") != rank:
            continue
        for edge, person in in_edges(store, node["id"], ["HELD"], ["Person"]):
            rows.append(
                {
                    "post": node.get("name"),
                    "organization": node.get("organization"),
                    "rank": node.get("title"),
                    "name": person.get("name"),
                    "first_seen": edge.get("first_seen"),
                    "last_seen": edge.get("last_seen"),
                    "person_id": person["id"],
                    "post_id": node["id"],
                }
            )
    order = [
        ("post", False),
        ("first_seen", False),
        ("name", False),
        ("person_id", False),
        ("post_id", False),
    ]
    return sort_rows(rows, order)


def org_people(store: Any, name: str) -> list[Row]:
    """People who held posts in an organization, with those posts and the dates attested."""
    held: dict[str, dict[str, Any]] = {}
    for org in lookup(store, "Organization", name):
        for _edge, post in in_edges(store, org["id"], ["POST_IN"], ["Post"]):
            for edge, person in in_edges(store, post["id"], ["HELD"], ["Person"]):
                entry = held.setdefault(
                    person["id"], {"name": person.get("name"), "posts": set(), "edges": []}
                )
                entry["posts"].add(post.get("name"))
                entry["edges"].append(edge)
    rows = [
        {
            "name": entry["name"],
            "posts": sorted(p for p in entry["posts"] if p is not None),
            "first_seen": min_present(e.get("first_seen") for e in entry["edges"]),
            "last_seen": max_present(e.get("last_seen") for e in entry["edges"]),
            "person_id": pid,
        }
        for pid, entry in held.items()
    ]
    return sort_rows(rows, [("first_seen", False), ("name", False), ("person_id", False)])
