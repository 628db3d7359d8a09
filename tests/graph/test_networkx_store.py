"""The embedded store: its file, its lock, its graph layout, and its load time on a large store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import ArticleFacts
from graph.store import open_store
from graph.store.networkx_store import FORMAT, VERSION, NetworkxStore
from ingest.errors import StoreError, StoreLockedError
from ingest.records import PostRef, Record

Build = Callable[[Record], ArticleFacts]
NOW = datetime(2024, 3, 6, 8, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "graph.dashiji"


def test_round_trip_through_the_file(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
        dump = store.dump()
    with NetworkxStore(path, read_only=True) as again:
        assert again.dump() == dump
        assert again.counts() == NetworkxStore(path, read_only=True).counts()


def test_flush_writes_only_the_store_file(path: Path, seed_record: Record, build: Build) -> None:
    store = NetworkxStore(path)
    assert not path.exists()  # nothing is written before a flush
    store.put_articles([build(seed_record)])
    store.flush()
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.dashiji", "graph.dashiji.lock"]
    assert NetworkxStore(path, read_only=True).counts() == store.counts()
    store.close()


def test_a_failed_write_leaves_the_old_file(
    path: Path, seed_record: Record, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
    before = path.read_bytes()
    store = NetworkxStore(path)
    store.remove_article(build(seed_record).article_id)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.flush()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.dashiji", "graph.dashiji.lock"]
    store.close()  # the retry succeeds
    assert NetworkxStore(path, read_only=True).counts() == {}


def test_second_writer_is_refused(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as writer:
        with pytest.raises(StoreLockedError) as err:
            NetworkxStore(path)
        assert err.value.where == str(path)
        writer.put_articles([build(seed_record)])
        writer.flush()
        with NetworkxStore(path, read_only=True) as reader:  # readers take no lock
            assert reader.counts() == writer.counts()
    with NetworkxStore(path):  # released on close
        pass


def test_second_writer_waits_then_gives_up(path: Path) -> None:
    with NetworkxStore(path):
        started = time.monotonic()
        with pytest.raises(StoreLockedError):
            NetworkxStore(path, wait=0.3)
        assert time.monotonic() - started >= 0.3


def test_lock_holds_across_processes(path: Path) -> None:
    code = (
        "import sys; from graph.store.networkx_store import NetworkxStore\n"
        "from ingest.errors import StoreLockedError\n"
        "try:\n    NetworkxStore(sys.argv[1])\nexcept StoreLockedError as e:\n    print(e); sys.exit(5)\n"
    )
    with NetworkxStore(path):
        run = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
        )
    assert run.returncode == 5, run.stderr
    assert "locked by another dashiji process" in run.stdout
    free = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert free.returncode == 0, free.stderr


def test_read_only_refuses_writes(path: Path, seed_record: Record, build: Build) -> None:
    NetworkxStore(path).close()
    with NetworkxStore(path, read_only=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.put_articles([build(seed_record)])
        with pytest.raises(StoreError, match="read-only"):
            reader.remove_article("art:x")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"\x00garbage", "cannot be read|not a dashiji"),
        (b"\x81\xa1a\x01", "not a dashiji"),
    ],
)
def test_unreadable_files(path: Path, content: bytes | None, message: str) -> None:
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        NetworkxStore(path, read_only=True)


def test_a_truncated_file_cannot_be_read(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
    whole = path.read_bytes()
    path.write_bytes(whole[:-10])  # in the contributions, which only a writer reads
    with pytest.raises(StoreError, match="cannot be read"):
        NetworkxStore(path)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(StoreError, match="cannot be read"):
        NetworkxStore(path, read_only=True)


def test_a_version_1_file_is_refused_in_one_line(path: Path) -> None:
    """Version 1 was one msgpack map holding views and contributions; its reader asks for a re-ingest."""
    old = {"format": FORMAT, "version": 1, "hashes": {}, "nodes": [], "edges": [], "contributions": b""}
    path.write_bytes(msgpack.packb(old))
    for read_only in (True, False):
        with pytest.raises(StoreError) as err:
            NetworkxStore(path, read_only=read_only)
        assert "format version 1" in str(err.value) and "ingest the articles again" in str(err.value)
        assert "\n" not in str(err.value)


def test_the_file_is_a_header_then_one_object_per_entry(
    path: Path, seed_record: Record, build: Build
) -> None:
    """The layout of the module docstring: header, hashes, nodes, edges, contributions, nothing after."""
    facts = build(seed_record)
    with NetworkxStore(path) as store:
        store.put_articles([facts])
        counts = store.counts()
    with open(path, "rb") as fh:
        objects = list(msgpack.Unpacker(fh, raw=False))
    header, hashes, entries = objects[0], objects[1], objects[2:]
    assert header == {
        "format": FORMAT,
        "version": VERSION,
        "nodes": len(facts.nodes),
        "edges": len(facts.edges),
        "articles": 1,
    }
    assert hashes == {facts.article_id: facts.content_hash}
    nodes, edges = entries[: len(facts.nodes)], entries[len(facts.nodes) : -1]
    assert sorted(n[0] for n in nodes) == sorted(n.id for n in facts.nodes)
    ends = [(e[0], e[1], nodes[e[2]][0], nodes[e[3]][0]) for e in edges]  # src, dst by node position
    assert sorted(ends) == sorted((e.id, e.kind, e.src, e.dst) for e in facts.edges)
    assert entries[-1][0] == facts.article_id and len(entries) == len(nodes) + len(edges) + 1
    assert sum(counts.values()) == len(nodes) + len(edges)


def test_read_methods_give_fresh_dicts(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
        person = next(store.nodes("Person"))
        person["name"], person["articles"][0] = "改过", "art:none"
        assert store.node(person["id"]) != person
        edge = next(store.edges())
        edge["evidence"].clear()
        assert store.edge(edge["id"])["evidence"]


def test_adjacency_for_the_query_twins(path: Path, seed_record: Record, build: Build) -> None:
    """Every edge is walked once from its source and once from its target, with both ends' views (less
    their provenance, which only `node` and `edge` decode)."""
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
    store = NetworkxStore(path, read_only=True)
    edges = {e["id"]: e for e in store.edges()}

    def light(whole: dict | None) -> dict:
        assert whole is not None and whole["articles"] and whole["evidence"]
        return {k: v for k, v in whole.items() if k not in ("articles", "evidence")}

    kinds = {e["kind"] for e in edges.values()}
    node_kinds = {n["kind"] for n in store.nodes()}
    walked_out, walked_in = [], []
    for node in store.nodes():
        for edge, target in store.out_edges(node["id"], kinds):
            assert edge == light(edges[edge["id"]]) and edge["src"] == node["id"]
            assert target == light(store.node(edge["dst"]))
            walked_out.append(edge["id"])
        for edge, source in store.in_edges(node["id"], kinds):
            assert edge == light(edges[edge["id"]]) and edge["dst"] == node["id"]
            assert source == light(store.node(edge["src"]))
            walked_in.append(edge["id"])
    assert sorted(walked_out) == sorted(walked_in) == sorted(edges)
    held = next(e for e in edges.values() if e["kind"] == "HELD")
    assert sorted(e["id"] for e, _ in store.in_edges(held["dst"], {"HELD"}, {"Person"})) == sorted(
        e["id"] for e in edges.values() if e["kind"] == "HELD" and e["dst"] == held["dst"]
    )
    assert list(store.in_edges(held["dst"], {"HELD"}, node_kinds - {"Person"})) == []
    assert (
        list(store.out_edges(held["dst"], {"HELD"})) == [] and list(store.out_edges("per:none", kinds)) == []
    )
    assert store.edge(held["id"]) == held and store.edge("rel:none") is None


def test_write_after_reopen_merges_with_stored_articles(path: Path, build: Build) -> None:
    """Opening merges nothing (views are cached); a later write still sees every stored contribution."""
    records = [synthetic_record(i) for i in range(0, 40, 8)]  # five meetings in 永康
    with NetworkxStore(path) as store:
        store.put_articles(build(r) for r in records[:3])
    with NetworkxStore(path) as store:
        store.put_articles(build(r) for r in records[3:])
        store.remove_article(build(records[0]).article_id)
        incremental = store.dump()
        store.rebuild_views()
        assert store.dump() == incremental
    fresh = NetworkxStore(path.with_name("fresh.dashiji"))
    fresh.put_articles(build(r) for r in records[1:])
    assert fresh.dump() == incremental
    party = fresh.find_nodes("Organization", "永康市委")[0]
    assert party["articles"] == sorted(build(r).article_id for r in records[1:])
    fresh.close()


def _variant(i: int, version: int) -> Record:
    """Article i, revision `version`: overlapping people, places written two ways, varying extractor."""
    from ingest.records import Event, Participant

    names = ["章旭升", "胡勇春", "陈美蓉", "朱世道"]
    people = [names[(i + k) % 4] for k in range(1 + (i + version) % 3)]
    place = ["北京", "北京市"][(i + version) % 2]
    text = f"2024年1月{i + 1}日，{'、'.join(people)}在{place}出席会议。"
    event = Event(
        type="meeting",
        date=f"2024-01-{i + 1:02d}",
        location=place,
        label=f"会议{version % 2}",
        confidence=[1.0, 0.7, 0.9][(i + version) % 3],
        participants=[
            Participant(
                n,
                "host" if k == 0 else "attendee",
                "市委书记" if k == version % 2 else None,
                [PostRef("市委书记", "市委", "书记")] if k == version % 2 else [],
            )
            for k, n in enumerate(people)
        ],
    )
    return Record(
        id=f"v{i}", text=text, locale="永康", events=[event], extractor_version=f"0.{(i * version) % 2}"
    )


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_incremental_views_equal_a_rebuild(tmp_path: Path, steps: list[tuple[int, int]]) -> None:
    """Any sequence of puts, re-puts and removals leaves the views a full recomputation would give."""
    from graph.build import build_facts

    store = NetworkxStore(tmp_path / f"h{time.monotonic_ns()}.dashiji")
    for i, version in steps:
        facts = build_facts(_variant(i, version), now=NOW)
        if version == 3:
            store.remove_article(facts.article_id)
        else:
            store.put_articles([facts])
    incremental = store.dump()
    store.rebuild_views()
    assert store.dump() == incremental
    store.close()


def test_wipe_empties_the_store(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
        store.wipe()
        assert store.counts() == {} and store.find_nodes("Organization", "市委") == []
        assert store.article_hash(build(seed_record).article_id) is None
    assert NetworkxStore(path, read_only=True).counts() == {}


def test_closed_store_refuses_writes(path: Path, seed_record: Record, build: Build) -> None:
    store = NetworkxStore(path)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.put_articles([build(seed_record)])


def test_dump_leaves_out_ingest_time(path: Path, seed_record: Record, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles([build(seed_record)])
        article = next(store.nodes("Article"))
        assert "ingested_at" in article
        assert all("ingested_at" not in n for n in store.dump()["nodes"])


@pytest.mark.parametrize(
    ("target", "kind"),
    [("graph.dashiji", "networkx"), ("sub/dir/graph.dashiji", "networkx")],
)
def test_open_store_paths(tmp_path: Path, target: str, kind: str) -> None:
    with open_store(str(tmp_path / target)) as store:
        assert store.kind == kind


def test_open_store_default_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHIJI_STORE", str(tmp_path / "env.dashiji"))
    with open_store(None) as store:
        assert isinstance(store, NetworkxStore) and store.path == tmp_path / "env.dashiji"


@pytest.mark.neo4j
def test_open_store_server_uri(neo4j_uri: str) -> None:
    """A bolt:// target opens the Neo4j store, with the credentials taken from NEO4J_USER / NEO4J_PASSWORD."""
    with open_store(neo4j_uri) as store:
        assert store.kind == "neo4j"
        assert isinstance(store.counts(), dict)


def test_open_store_unreachable_server() -> None:
    pytest.importorskip("graph.store.neo4j_store")
    with pytest.raises(StoreError):
        open_store("bolt://127.0.0.1:1", user="neo4j", password="x")


# --- a large store -----------------------------------------------------------------------------------
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
CITIES = ["永康", "金华", "义乌", "东阳", "兰溪", "武义", "浦江", "磐安"]


def synthetic_record(i: int) -> Record:
    """Article i of a synthetic corpus: a meeting in one of 8 cities with 6 of 400 officials."""
    from ingest.records import Event, OrgRole, Participant

    city = CITIES[i % len(CITIES)]
    people = [SURNAMES[(i + k) % 20] + GIVEN[(i * 7 + k * 3) % 20] + GIVEN[k % 20] for k in range(6)]
    text = (
        f"2024年{i % 12 + 1}月{i % 28 + 1}日，{city}市委召开常委会会议。" + "、".join(people) + "出席。" * 20
    )
    participants = [
        Participant(
            name,
            "host" if k == 0 else "attendee",
            "市委书记" if k == 0 else None,
            [PostRef("市委书记", "市委", "书记")] if k == 0 else [],
        )
        for k, name in enumerate(people)
    ]
    event = Event(
        type="meeting",
        date=f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        label=f"{city}市委常委会会议",
        participants=participants,
        organizations=[OrgRole("市委", "organizer")],
        targets=[f"项目{i % 50}"],
    )
    return Record(id=f"syn-{i:05d}", text=text, locale=city, events=[event], reporters=["记者" + people[1]])


@pytest.mark.slow
def test_load_time_of_a_2000_article_store(path: Path, build: Build) -> None:
    with NetworkxStore(path) as store:
        store.put_articles(build(synthetic_record(i)) for i in range(2000))
        counts = store.counts()
    started = time.perf_counter()
    reader = NetworkxStore(path, read_only=True)
    seconds = time.perf_counter() - started
    print(f"\nload of 2,000 articles ({path.stat().st_size / 1e6:.1f} MB, {counts}): {seconds:.2f} s")
    assert reader.counts() == counts
    assert seconds < 3
