"""The networkx twins of the canned queries, by query name.

A twin takes the store and the query's parameters as keyword arguments (a parameter named like a Python
keyword gets a trailing underscore: `from` -> `from_`) and returns the same rows as the Cypher: a list of
dicts with exactly the declared columns, in the declared order, sorted the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from queries.twins_events import event_attendees, events_by_type, org_events, place_events, target_timeline
from queries.twins_people import (
    co_participants,
    most_active,
    org_people,
    person_posts,
    person_timeline,
    post_holders,
)
from queries.twins_provenance import provenance

Twin = Callable[..., list[dict[str, Any]]]

TWINS: dict[str, Twin] = {
    twin.__name__: twin
    for twin in (
        co_participants,
        event_attendees,
        events_by_type,
        most_active,
        org_events,
        org_people,
        person_posts,
        person_timeline,
        place_events,
        post_holders,
        provenance,
        target_timeline,
    )
}
