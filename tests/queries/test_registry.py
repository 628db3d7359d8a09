"""The query registry: headers, twins for every .cypher, parameter checking and row normalization."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest

from graph.model import EDGE_KINDS
from ingest.errors import QueryError
from queries import get_query, load_queries, missing_twins, orphan_twins, run_query
from queries.registry import bind_params, normalize_rows, parse_query

REQUIRED = {
    "person_timeline",
    "event_attendees",
    "co_participants",
    "org_events",
    "events_by_type",
    "target_timeline",
    "post_holders",
    "person_posts",
    "most_active",
    "provenance",
}


class FakeKindStore:
    """Only a `kind`: enough to show that run_query refuses a store it cannot run on."""

    kind = "sqlite"


def test_registry_loads_at_least_ten_queries_with_full_headers() -> None:
    queries = load_queries()
    assert len(queries) >= 10
    assert REQUIRED <= set(queries)
    for q in queries.values():
        assert q.description and q.columns and q.order, q.name
        assert q.cypher.startswith(f"// name: {q.name}\n")
        assert len(set(q.columns)) == len(q.columns), q.name


def test_every_cypher_file_has_a_twin_and_every_twin_a_cypher_file() -> None:
    files = {
        e.name[: -len(".cypher")] for e in resources.files("queries").iterdir() if e.name.endswith(".cypher")
    }
    assert files == set(load_queries())
    assert missing_twins() == []
    assert orphan_twins() == []


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_cypher_uses_every_declared_param_and_returns_the_declared_columns(name: str) -> None:
    q = get_query(name)
    body = "\n".join(line for line in q.cypher.splitlines() if not line.startswith("//"))
    declared = {p.name for p in q.params}
    keys = {f"{p.name}_key" for p in q.params if p.type == "str"}  # the name-index needles run_query adds
    assert declared <= set(re.findall(r"\$(\w+)", body)) <= declared | keys
    final_return = body[[m.start() for m in re.finditer(r"^RETURN", body, re.M)][-1] :]
    for col in q.columns:
        assert re.search(rf"\b{col}\b", final_return), (name, col)


def test_twin_signatures_match_the_declared_params() -> None:
    import inspect
    import keyword

    for q in load_queries().values():
        assert q.twin is not None
        sig = inspect.signature(q.twin)
        names = [n for n in sig.parameters if n != "store"]
        assert names == [p.name + "_" if keyword.iskeyword(p.name) else p.name for p in q.params], q.name
        for p in q.params:
            if not p.required:
                py = p.name + "_" if keyword.iskeyword(p.name) else p.name
                assert sig.parameters[py].default is not inspect.Parameter.empty, (q.name, p.name)


def test_unknown_query_is_a_query_error_naming_the_known_ones() -> None:
    with pytest.raises(QueryError) as err:
        run_query(FakeKindStore(), "no_such_query", {})
    assert "unknown query" in err.value.reason and "person_timeline" in err.value.reason
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "params", "reason"),
    [
        ("person_timeline", {}, "missing required parameter 'name'"),
        ("person_timeline", {"name": "章旭升", "since": "2022"}, "unknown parameter 'since'"),
        ("person_timeline", {"name": "章旭升", "from": "2022-13"}, "must be an ISO date"),
        ("person_timeline", {"name": "章旭升", "to": "2023-02-30"}, "must be an ISO date"),
        ("person_timeline", {"name": "章旭升", "from": "yesterday"}, "must be an ISO date"),
        ("person_timeline", {"name": "  "}, "name is empty"),
        ("most_active", {"limit": "ten"}, "limit must be a whole number"),
        ("most_active", {"limit": "-1"}, "limit must not be negative"),
        ("event_attendees", {"date": "2022-01"}, "give event_id or label"),
        ("post_holders", {"rank": "书记"}, "give post or organization"),
        ("provenance", {"person": "章旭升"}, "give id or person and event_id"),
    ],
)
def test_bad_params_are_one_line_query_errors(name: str, params: dict[str, str], reason: str) -> None:
    with pytest.raises(QueryError) as err:
        run_query(FakeKindStore(), name, params)
    assert reason in err.value.reason
    assert err.value.name == name
    assert "\n" not in str(err.value)


def test_params_are_coerced_the_same_for_both_backends() -> None:
    q = get_query("most_active")
    bound = bind_params(q, {"from": "2024-02", "to": "2024-02"})
    assert bound == {"from": "2024-02-01", "to": "2024-02-29", "type": None, "limit": 10}
    assert bind_params(q, {"from": "2023", "to": "2023", "limit": "3"}) == {
        "from": "2023-01-01",
        "to": "2023-12-31",
        "type": None,
        "limit": 3,
    }
    assert bind_params(get_query("event_attendees"), {"label": " 培训班 ", "date": "2021-12"}) == {
        "event_id": None,
        "label": "培训班",
        "date": "2021-12",
    }


def test_store_of_unknown_kind_is_refused() -> None:
    with pytest.raises(QueryError, match="cannot run on a store of kind 'sqlite'"):
        run_query(FakeKindStore(), "person_timeline", {"name": "章旭升"})


def test_normalize_rows_keeps_declared_columns_sorts_lists_and_rows() -> None:
    q = get_query("org_people")
    rows: list[dict[str, Any]] = [
        {"person_id": "per:b", "name": "乙", "posts": ["市长", "副书记"], "first_seen": None, "extra": 1},
        {
            "name": "甲",
            "posts": ["书记"],
            "first_seen": "2022-01-01",
            "last_seen": "2022-02-01",
            "person_id": "per:a",
        },
    ]
    out = normalize_rows(q, rows)
    assert [list(r) for r in out] == [list(q.columns)] * 2
    assert out[0]["name"] == "甲"  # nulls sort last, as in Cypher
    assert out[1] == {
        "name": "乙",
        "posts": ["副书记", "市长"],
        "first_seen": None,
        "last_seen": None,
        "person_id": "per:b",
    }


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (
            "// name: x\n// description: d\n// params: a (float, required)\n// columns: a\n// order: a\n",
            "bad param",
        ),
        ("// name: x\n// description: d\n// params: a (str, required)\n// columns: a\n", "lacks '// order:'"),
        (
            "// name: x\n// description: d\n// params: a (str, required)\n// columns: a\n// order: b\n",
            "order names",
        ),
        ("// name: x\n// colour: red\n", "header line not understood"),
    ],
)
def test_malformed_headers_are_refused(header: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        parse_query(header + "RETURN 1 AS a\n", "x.cypher")


def test_no_cypher_splices_anything_but_parameters() -> None:
    """Values reach Cypher only as $parameters: no format placeholders or string concatenation."""
    for q in load_queries().values():
        body = "\n".join(line for line in q.cypher.splitlines() if not line.startswith("//"))
        assert "{0" not in body and "%s" not in body and "${" not in body, q.name
        assert not re.search(r"'\s*\+\s*\$|\$\w+\s*\+\s*'", body), q.name


def test_provenance_finds_edges_of_every_kind_through_their_indexes() -> None:
    """`()-[r:A|B|…]->()` with every kind lets Neo4j seek each kind's id index instead of a full scan."""
    pattern = re.search(r"\[r:([A-Z_|]+)\]", get_query("provenance").cypher)
    assert pattern is not None
    assert set(pattern.group(1).split("|")) == set(EDGE_KINDS)
