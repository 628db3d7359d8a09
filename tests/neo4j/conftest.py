"""Fixtures of the Neo4j tests, borrowed from `tests/graph/conftest.py` so NEO4J_* is read in one place.

`neo4j_uri`, `make_meeting`, `build` and the loud "NEO4J NOT TESTED" summary come from there unchanged.
`neo4j_store` is a module-scoped version of its Neo4j store (wiped when opened): it skips without NEO4J_URI, or fails when
DASHIJI_REQUIRE_NEO4J=1, exactly like every other Neo4j store test.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from graph.store.base import Store

_GRAPH_CONFTEST = Path(__file__).resolve().parents[1] / "graph" / "conftest.py"


def _graph_fixtures() -> ModuleType:
    """tests/graph/conftest.py as a module of its own name (loaded once; tests/ is no package)."""
    name = "dashiji_tests_graph_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _GRAPH_CONFTEST)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_graph = _graph_fixtures()
neo4j_uri = _graph.neo4j_uri
pytest_terminal_summary = _graph.pytest_terminal_summary
make_meeting = _graph.make_meeting
build = _graph.build


@pytest.fixture(scope="module")
def neo4j_store() -> Iterator[Store]:
    """The Neo4j store at NEO4J_URI, wiped, shared by the tests of one module."""
    store: Store = _graph._neo4j_store()
    try:
        yield store
    finally:
        store.close()
