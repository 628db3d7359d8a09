"""Canned analyst queries: one `.cypher` file per query for Neo4j, a networkx twin for the embedded store.

>>> from queries import load_queries, run_query
>>> sorted(load_queries())[:3]
['co_participants', 'event_attendees', 'events_by_type']
"""

from queries.registry import Param, Query, get_query, load_queries, missing_twins, orphan_twins, run_query

__all__ = ["Param", "Query", "get_query", "load_queries", "missing_twins", "orphan_twins", "run_query"]
