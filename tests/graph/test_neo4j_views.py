"""The Neo4j store's views, pure (no server): growing a stored view by `fold`, one new article at a time,
gives exactly the view that `view` makes from all contributions at once, whatever the order of arrival.

The write path relies on this: a chunk of new articles reads only the stored view and its `winners`, never
the whole contribution list of a busy node.
"""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.store.neo4j_store import Contribution, _db_props, _props_of_one, fold, view, winners

ARTICLES = [f"art:{i:02d}" for i in range(12)]
SPAN = st.one_of(st.none(), st.integers(0, 40))
ROW = st.tuples(
    SPAN, SPAN, st.sampled_from(["", "dashiji-0.1", "dashiji-0.2"]), st.sampled_from([0.5, 0.9, 1.0])
)
PROPS = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.none(), st.sampled_from(["北京", "北京市", "京"])),
        "title": st.one_of(st.none(), st.sampled_from(["书记", "市长"])),
        "first_seen": st.one_of(st.none(), st.sampled_from(["2024-01-02", "2023-05-06"])),
        "last_seen": st.one_of(st.none(), st.sampled_from(["2024-01-02", "2025-05-06"])),
        "aliases": st.one_of(st.none(), st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=2)),
    },
)


@st.composite
def contributions(draw: st.DrawFn) -> list[Contribution]:
    articles = draw(st.lists(st.sampled_from(ARTICLES), min_size=1, max_size=8, unique=True))
    return [
        Contribution(a, draw(PROPS), [list(r) for r in draw(st.lists(ROW, max_size=3))]) for a in articles
    ]


@settings(max_examples=400, deadline=None)
@given(contributions())
def test_folding_in_any_order_equals_the_view_of_all(contribs: list[Contribution]) -> None:
    first, rest = contribs[0], contribs[1:]
    grown = view("Place", "plc:1", [first])
    win = winners([first])
    for c in rest:
        assert fold(grown, win, copy.deepcopy(c))
    assert grown == view("Place", "plc:1", contribs)
    assert win == winners(contribs)


def test_an_article_already_in_the_view_is_refused() -> None:
    c = Contribution("art:01", {"name": "北京"}, [[0, 2, "x", 1.0]])
    v, win = view("Place", "plc:1", [c]), winners([c])
    assert not fold(v, win, Contribution("art:01", {"name": "北京市"}, [[5, 8, "x", 1.0]]))
    assert v == view("Place", "plc:1", [c])


def test_a_smaller_article_takes_over_a_value_a_larger_one_gave() -> None:
    # the case the old grow-or-rebuild could not decide: art:05 gave the name, art:01 has none, art:03 arrives
    later, none = (
        Contribution("art:05", {"name": "北京市"}, [[1, 3, "x", 0.9]]),
        Contribution("art:01", {}, []),
    )
    v, win = view("Place", "plc:1", [later, none]), winners([later, none])
    assert v["name"] == "北京市"
    assert fold(v, win, Contribution("art:03", {"name": "北京"}, [[0, 2, "x", 0.9]]))
    assert v["name"] == "北京" and win["name"] == "art:03"


EVENT_PROPS = st.fixed_dictionaries(
    {},
    optional={
        "start": st.one_of(st.none(), st.sampled_from(["2024-01-02", "2024-02", "x"])),
        "end": st.one_of(st.none(), st.sampled_from(["2024-01-09", "2025-05-06"])),
        "label": st.one_of(st.none(), st.sampled_from(["会议", ""])),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Place", "Event"]), PROPS, EVENT_PROPS, st.lists(ROW, max_size=3))
def test_a_new_item_of_one_contribution_is_written_as_its_view_would_be(
    kind: str, props: dict, event: dict, rows: list
) -> None:
    """The write path skips the view of a new item with one contribution: the property map must be the one
    `_db_props` makes of that view."""
    c = Contribution("art:07", {**props, **event}, [list(r) for r in rows])
    assert _props_of_one(kind, "x:1", c) == _db_props(view(kind, "x:1", [c]), lambda: winners([c]))
