"""Fixtures of the graph tests: hand-made records, and one `store` fixture over both store kinds.

The `store` fixture runs each test on the embedded networkx store and on a live Neo4j server. The Neo4j case
reads NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (start one with `eval "$(bash tests/neo4j/server.sh start)"`),
wipes the database first, and skips when the URI is unset or the Neo4j store cannot be imported — unless
DASHIJI_REQUIRE_NEO4J=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.build import build_facts
from graph.model import ArticleFacts
from graph.store.base import Store
from graph.store.networkx_store import NetworkxStore
from ingest.records import Event, Goal, Mention, OrgRole, Participant, PostRef, Record

NOW = datetime(2024, 3, 6, 8, 0, tzinfo=UTC)
_NEO4J_SKIPS: list[str] = []


# --- records -----------------------------------------------------------------------------------------
def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The span of the nth occurrence of `needle` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return (start, start + len(needle))


def seed_like_record(record_id: str = "seed#2", locale: str | None = "永康") -> Record:
    """An invented page in the seed's style: a training opening and a study session in 永康."""
    text = (
        "2021年12月31日上午，我市电动（园林）工具行业数字化转型培训班开班。"
        "市委书记章旭升作开班动员。省智能制造专家委员会副主任卢耀辉指导。"
        "到2023年，实现行业规上企业数字化改造覆盖率超90%。"
        "当天，市委副书记、代市长胡勇春主持市委理论学习中心组专题学习会，章旭升参加。"
        "融媒首席记者 陈晓苏"
    )
    training = Event(
        type="training",
        date="2021-12-31",
        precision="day",
        part_of_day="morning",
        location="永康",
        label="电动（园林）工具行业数字化转型培训班开班",
        trigger="开班",
        span=(0, text.index("。") + 1),
        targets=["电动（园林）工具行业"],
        participants=[
            Participant(
                "章旭升", "speaker", "市委书记", [PostRef("市委书记", "市委", "书记")], _at(text, "章旭升")
            ),
            Participant(
                "卢耀辉",
                "lecturer",
                "省智能制造专家委员会副主任",
                [PostRef("省智能制造专家委员会副主任", "省智能制造专家委员会", "副主任")],
                _at(text, "卢耀辉"),
            ),
        ],
        organizations=[OrgRole("省智能制造专家委员会", "participant", _at(text, "省智能制造专家委员会"))],
        confidence=0.8,
    )
    study = Event(
        type="study_session",
        date="2021-12-31",
        label="市委理论学习中心组专题学习会",
        span=_at(text, "当天，市委副书记、代市长胡勇春主持市委理论学习中心组专题学习会，章旭升参加。"),
        participants=[
            Participant(
                "胡勇春",
                "host",
                "市委副书记、代市长",
                [PostRef("市委副书记", "市委", "副书记"), PostRef("代市长", None, "代市长")],
                _at(text, "胡勇春"),
            ),
            Participant("章旭升", "attendee", None, [], _at(text, "章旭升", 1)),
        ],
        organizations=[OrgRole("市委理论学习中心组", "organizer", _at(text, "市委理论学习中心组"))],
    )
    goal = Goal(
        "实现行业规上企业数字化改造覆盖率超90%",
        deadline="2023",
        target="电动（园林）工具行业",
        metric="数字化改造覆盖率",
        value=">90%",
        span=_at(text, "实现行业规上企业数字化改造覆盖率超90%"),
    )
    return Record(
        id=record_id,
        text=text,
        title="永康举办电动工具行业数字化转型培训班",
        locale=locale,
        people=["章旭升", "卢耀辉", "胡勇春", "陈晓苏"],
        organizations=["市委", "市委理论学习中心组", "省智能制造专家委员会"],
        events=[training, study],
        goals=[goal],
        reporters=["陈晓苏"],
        mentions=[
            Mention("我市", "place", [_at(text, "我市")]),
            Mention("市委", "organization", [_at(text, "市委"), _at(text, "市委", 1)], canonical="永康市委"),
            Mention("陈晓苏", "person", [_at(text, "陈晓苏")]),
        ],
    )


def meeting_record(
    record_id: str,
    date: str,
    people: list[tuple[str, str, list[PostRef]]],
    *,
    locale: str | None = "永康",
    org: str = "市委",
    label: str = "市委常委会会议",
) -> Record:
    """One short article: `<date> <org> held <label>; people (name, role, posts) took part`."""
    names = "、".join(name for name, _role, _posts in people)
    text = f"{date}，{org}召开{label}。{names}出席。"
    participants = [
        Participant(name, role, "、".join(p.title for p in posts) or None, posts, _at(text, name))
        for name, role, posts in people
    ]
    event = Event(
        type="meeting",
        date=date,
        label=label,
        span=(0, len(text)),
        participants=participants,
        organizations=[OrgRole(org, "organizer", _at(text, org))],
    )
    return Record(id=record_id, text=text, date=date, locale=locale, events=[event])


def facts_of(record: Record) -> ArticleFacts:
    """`build_facts` with a fixed ingest time, so that two builds of a record are equal."""
    return build_facts(record, now=NOW)


@pytest.fixture
def seed_record() -> Record:
    return seed_like_record()


@pytest.fixture
def make_meeting() -> Callable[..., Record]:
    """`meeting_record(record_id, date, [(name, role, posts)], locale=, org=, label=)`."""
    return meeting_record


@pytest.fixture
def build() -> Callable[[Record], ArticleFacts]:
    """`build_facts` with a fixed ingest time."""
    return facts_of


# --- stores ------------------------------------------------------------------------------------------
def _neo4j_unavailable(reason: str) -> None:
    if os.environ.get("DASHIJI_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required (DASHIJI_REQUIRE_NEO4J=1) but {reason}", pytrace=False)
    _NEO4J_SKIPS.append(reason)
    pytest.skip(f"NEO4J NOT TESTED: {reason}")


def _neo4j_store() -> Store:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        _neo4j_unavailable('NEO4J_URI is unset (eval "$(bash tests/neo4j/server.sh start)")')
    try:
        from graph.store.neo4j_store import Neo4jStore
    except ImportError as exc:
        _neo4j_unavailable(f"graph.store.neo4j_store cannot be imported: {exc}")
    store = Neo4jStore(
        uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    store.wipe()  # type: ignore[attr-defined]
    return store


@pytest.fixture
def neo4j_uri() -> str:
    """NEO4J_URI of a live server (skips, or fails under DASHIJI_REQUIRE_NEO4J=1, when unset)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        _neo4j_unavailable('NEO4J_URI is unset (eval "$(bash tests/neo4j/server.sh start)")')
    return str(uri)


@pytest.fixture(params=["networkx", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each kind."""
    opened: Store = (
        NetworkxStore(tmp_path / "graph.dashiji") if request.param == "networkx" else _neo4j_store()
    )
    try:
        yield opened
    finally:
        opened.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly, once, that the Neo4j half of the store tests did not run."""
    if _NEO4J_SKIPS:
        reasons = sorted(set(_NEO4J_SKIPS))
        terminalreporter.write_line(
            f"NEO4J NOT TESTED: {len(_NEO4J_SKIPS)} store test(s) skipped: {'; '.join(reasons)}", yellow=True
        )
