"""Faults and hostile input against a real Neo4j 5 server, through the `dashiji` command line.

- a server that is not there, a wrong password: one `Error:` line naming the URI, no traceback, no password;
- `dashiji cypher` writes only with --write;
- the server killed (SIGKILL) in the middle of an ingest: after a restart, rerunning the same ingest gives
  exactly the graph of a clean ingest (this test starts a server of its own with tests/neo4j/server.sh);
- two ingests of overlapping inputs at once: no duplicate ids, and the graph of one clean ingest;
- injection attempts as names and query parameters: the exact match or nothing, and the graph untouched.

The clean reference is the first `INGEST_ARTICLES` articles of ../shared/corpus/official_news.jsonl,
ingested once per module by `dashiji ingest` into the wiped database at NEO4J_URI.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.model import ArticleFacts
from graph.store.base import Store
from graph.store.neo4j_store import LOCK, Neo4jStore, _Item, _read_edges, _read_ledger, _read_nodes, _schema
from graph.store.networkx_store import NetworkxStore
from ingest.records import PostRef, Record
from queries.registry import load_queries, run_query

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
SERVER_SH = ROOT / "tests" / "neo4j" / "server.sh"
CORPUS = ROOT.parent / "shared" / "corpus" / "official_news.jsonl"
INGEST_ARTICLES = 300
BATCH = "10"  # articles per write transaction in the CLI runs: 30 batches
KILL_AFTER = 40  # stored Article nodes before the server is killed (4 batches, well before the end)
CLI_TIMEOUT = 600


# --- helpers -----------------------------------------------------------------------------------------
def dashiji(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line (`python -m dashiji ARGS`) and wait for it."""
    return subprocess.run(
        [sys.executable, "-m", "dashiji", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(env or os.environ),
        timeout=CLI_TIMEOUT,
    )


def spawn(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the command line without waiting."""
    return subprocess.Popen(
        [sys.executable, "-m", "dashiji", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=dict(env or os.environ),
    )


def assert_one_error_line(stderr: str, naming: str, *secrets: str) -> None:
    """stderr is exactly one line `Error: …` holding `naming` (the URI), no traceback and no secret."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error:") and naming in lines[0], lines[0]
    assert "Traceback" not in stderr
    for secret in secrets:
        assert secret not in stderr


def assert_same_dump(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Equal canonical dumps; else which ids are extra or missing (with their articles), or the first
    item that differs and in which keys."""
    for part in ("nodes", "edges"):
        have = {x["id"]: x for x in got[part]}
        need = {x["id"]: x for x in want[part]}
        extra = [(i, have[i]["articles"]) for i in sorted(have.keys() - need.keys())]
        missing = [(i, need[i]["articles"]) for i in sorted(need.keys() - have.keys())]
        assert not extra and not missing, f"{part}: extra {extra[:5]}, missing {missing[:5]}"
        for i, item in need.items():
            keys = sorted(k for k in item.keys() | have[i].keys() if item.get(k) != have[i].get(k))
            assert not keys, f"{i}: " + "; ".join(f"{k}: {have[i].get(k)!r} != {item.get(k)!r}" for k in keys)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def corpus_file(path: Path, rows: Iterator[int] | range | list[int]) -> Path:
    """A .jsonl of the corpus articles at these (0-based) line numbers, in that order."""
    wanted = list(rows)
    with open(CORPUS, encoding="utf-8") as src:
        lines = list(itertools.islice(src, max(wanted) + 1))
    path.write_text("".join(lines[i] for i in wanted), encoding="utf-8")
    return path


def main_env() -> dict[str, str]:
    """The environment of the main test server (NEO4J_* as the tests got them)."""
    return dict(os.environ, NEO4J_USER=os.environ.get("NEO4J_USER", "neo4j"))


def open_neo4j(env: dict[str, str]) -> Neo4jStore:
    return Neo4jStore(env["NEO4J_URI"], env.get("NEO4J_USER", "neo4j"), env.get("NEO4J_PASSWORD"))


def ingest_ok(uri: str, path: Path, env: dict[str, str]) -> str:
    """`dashiji --neo4j URI ingest PATH --batch BATCH`, which must succeed; its stdout."""
    res = dashiji("--neo4j", uri, "ingest", str(path), "--batch", BATCH, "--no-progress", env=env)
    assert res.returncode == 0, res.stderr
    return res.stdout


class OwnServer:
    """A Neo4j server of this test's own (ports and home of its own), run by tests/neo4j/server.sh."""

    def __init__(self, home: Path) -> None:
        self.env = dict(
            os.environ,
            NEO4J_RUN_DIR=str(home),
            NEO4J_BOLT_PORT=str(free_port()),
            NEO4J_HTTP_PORT=str(free_port()),
        )
        self.home = home

    def start(self) -> dict[str, str]:
        """Start (or restart) it; the environment a client of it needs (NEO4J_URI/USER/PASSWORD)."""
        out = subprocess.run(
            ["bash", str(SERVER_SH), "start"], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stderr
        found = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        return dict(self.env, **found)

    def kill(self) -> None:
        """SIGKILL the server's JVM: no shutdown, no checkpoint."""
        pid = int((self.home / "run" / "neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["bash", str(SERVER_SH), "stop"], env=self.env, capture_output=True, timeout=120)


def article_count(store: Store) -> int:
    return store.counts().get("Article", 0)


# --- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first INGEST_ARTICLES corpus articles as one .jsonl."""
    folder = tmp_path_factory.mktemp("faults")
    return corpus_file(folder / "corpus.jsonl", range(INGEST_ARTICLES))


@pytest.fixture(scope="module")
def clean_dump(neo4j_store: Store, inputs: Path) -> dict[str, Any]:
    """The canonical dump of one clean `dashiji ingest` of `inputs` into the wiped main database."""
    ingest_ok(os.environ["NEO4J_URI"], inputs, main_env())
    dump = neo4j_store.dump()
    assert len([n for n in dump["nodes"] if n["kind"] == "Article"]) == INGEST_ARTICLES
    neo4j_store.wipe()  # type: ignore[attr-defined]
    return dump


# --- unreachable server, wrong password ----------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("query", "most_active"),
        ("cypher", "RETURN 1 AS one"),
        ("timeline", "林建国"),
        ("export", "-o", "x.ttl"),
    ],
)
def test_no_server_at_the_port_is_one_error_line(args: tuple[str, ...], neo4j_uri: str) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    secret = "s3cret-never-printed"
    res = dashiji("--neo4j", uri, *args, env=dict(os.environ, NEO4J_PASSWORD=secret))
    assert res.returncode != 0
    assert_one_error_line(res.stderr, uri, secret)
    assert secret not in res.stdout and res.stdout == ""


def test_no_server_stops_an_ingest_before_extracting(neo4j_uri: str, tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    path = corpus_file(tmp_path / "one.jsonl", [0])
    res = dashiji("--neo4j", uri, "ingest", str(path), env=dict(os.environ, NEO4J_PASSWORD="s3cret-x"))
    assert res.returncode != 0
    assert_one_error_line(res.stderr, uri, "s3cret-x")


def test_wrong_password_is_one_error_line(neo4j_uri: str) -> None:
    wrong = "wrong-password-4711"
    res = dashiji("--neo4j", neo4j_uri, "query", "most_active", env=dict(os.environ, NEO4J_PASSWORD=wrong))
    assert res.returncode != 0
    assert_one_error_line(res.stderr, neo4j_uri, wrong, os.environ.get("NEO4J_PASSWORD") or wrong)
    assert "authentication" in res.stderr


# --- cypher: read-only unless --write ------------------------------------------------------------------
def test_cypher_refuses_a_write_without_the_flag(neo4j_store: Neo4jStore, neo4j_uri: str) -> None:
    neo4j_store.wipe()
    refused = dashiji("--neo4j", neo4j_uri, "cypher", "CREATE (n:X) RETURN n", env=main_env())
    assert refused.returncode != 0
    assert_one_error_line(refused.stderr, "writes", os.environ.get("NEO4J_PASSWORD") or "-")
    assert neo4j_store.cypher("MATCH (n:X) RETURN count(n) AS n") == [{"n": 0}]

    done = dashiji(
        "--neo4j",
        neo4j_uri,
        "cypher",
        "--write",
        "CREATE (n:X {k: $k}) RETURN n.k AS k",
        "-p",
        "k=v",
        "--format",
        "json",
        env=main_env(),
    )
    assert done.returncode == 0, done.stderr
    assert '"k": "v"' in done.stdout
    assert neo4j_store.cypher("MATCH (n:X) RETURN n.k AS k") == [{"k": "v"}]
    neo4j_store.wipe()


# --- first connects at once ----------------------------------------------------------------------------
def test_stores_opened_at_once_on_a_database_without_schema_all_connect(neo4j_store: Neo4jStore) -> None:
    """Each store creates the missing constraints and indexes on connect; several doing it at once
    deadlock or find a rule "already existing" in the server, which must not fail any of them."""
    names = list(_schema())  # a fixed set of names, spliced below
    for name in names:
        kind = "CONSTRAINT" if name in _constraint_names(neo4j_store) else "INDEX"
        neo4j_store.cypher(f"DROP {kind} {name} IF EXISTS", write=True)
    assert not set(names) & _schema_names(neo4j_store)
    env = main_env()
    opened: list[Neo4jStore] = []
    failed: list[BaseException] = []

    def connect() -> None:
        try:
            opened.append(open_neo4j(env))
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            failed.append(err)

    threads = [threading.Thread(target=connect) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in opened:
        store.close()
    assert failed == [] and len(opened) == 4
    assert set(names) <= _schema_names(neo4j_store)


def _constraint_names(store: Neo4jStore) -> set[str]:
    return {r["name"] for r in store.cypher("SHOW CONSTRAINTS YIELD name")}


def _schema_names(store: Neo4jStore) -> set[str]:
    return _constraint_names(store) | {r["name"] for r in store.cypher("SHOW INDEXES YIELD name")}


# --- two writers of the same items -----------------------------------------------------------------------
LOCK_HOLD_S = 1.0


def _second_writer_waits(store: Neo4jStore, read: Callable[[Any], object]) -> list[float]:
    """Run `read` in one transaction, then in a second one while the first holds for `LOCK_HOLD_S` seconds;
    how long the second `read` took (one entry, or none if it never returned)."""
    waited: list[float] = []

    def second_writer() -> None:
        with store._driver.session() as session:
            tx = session.begin_transaction()
            started = time.perf_counter()
            read(tx)
            waited.append(time.perf_counter() - started)
            tx.rollback()

    with store._driver.session() as session:
        tx = session.begin_transaction()
        read(tx)
        other = threading.Thread(target=second_writer)
        other.start()
        time.sleep(LOCK_HOLD_S)
        tx.rollback()
    other.join(timeout=30)
    return waited


@pytest.mark.parametrize("what", ["ledger", "node", "edge"])
def test_the_read_before_a_write_makes_a_second_writer_wait(
    neo4j_store: Neo4jStore,
    make_meeting: Callable[..., Record],
    build: Callable[[Record], ArticleFacts],
    what: str,
) -> None:
    """A writer reads the stored ledgers, views and edges it is about to change, and that read must lock
    them: else a second writer reads the same view, both grow it, and the later commit loses the other's
    article. (The read used to lock with `REMOVE x._lk` of an absent property, then with `SET x._lk = null`;
    neither always takes the lock: two overlapping ingests then lost articles from 30-50 views of 300
    articles, and a server that had run the benchmark took no lock for either.)"""
    facts = build(make_meeting("lock-1", "2024-05-01", [("林建国", "host", [])], org="南溪市委"))
    neo4j_store.wipe()
    neo4j_store.put_articles([facts])
    edge = facts.edges[0]
    reads: dict[str, Callable[[Any], object]] = {
        "ledger": lambda tx: _read_ledger(tx, [facts.article_id]),
        "node": lambda tx: _read_nodes(tx, {facts.nodes[0].id: _Item("")}, set(), {}),
        "edge": lambda tx: _read_edges(tx, {edge.id: _Item(edge.kind, (edge.src, edge.dst))}, set()),
    }
    waited = _second_writer_waits(neo4j_store, reads[what])
    assert waited and waited[0] >= LOCK_HOLD_S * 0.8, f"the second writer waited {waited} s"
    neo4j_store.wipe()


def test_the_lock_holds_with_a_property_key_never_written_before(neo4j_store: Neo4jStore) -> None:
    """The lock clause must lock on a database where its property key does not exist yet (a new database):
    `SET x._lk = null`, used before, took no lock there. A key no write has ever used stands in for `_lk`."""
    key = f"_lk{time.time_ns()}"
    lock = LOCK.format("l").replace("_lk", key)
    neo4j_store.wipe()
    neo4j_store.cypher("CREATE (:ArticleLedger {article: 'lock-key'})", write=True)
    query = f"MATCH (l:ArticleLedger {{article: 'lock-key'}}) {lock}RETURN l.article AS a"
    waited = _second_writer_waits(neo4j_store, lambda tx: tx.run(query).consume())
    assert waited and waited[0] >= LOCK_HOLD_S * 0.8, f"the second writer waited {waited} s"
    neo4j_store.wipe()


# --- the server killed mid-ingest ----------------------------------------------------------------------
@pytest.mark.slow
def test_rerun_after_the_server_was_killed_mid_ingest_gives_the_clean_graph(
    clean_dump: dict[str, Any], inputs: Path, tmp_path: Path
) -> None:
    server = OwnServer(tmp_path / "neo4j")
    try:
        env = server.start()
        uri = env["NEO4J_URI"]
        ingest = spawn("--neo4j", uri, "ingest", str(inputs), "--batch", BATCH, "--no-progress", env=env)
        with open_neo4j(env) as watcher:
            stored = 0
            while stored < KILL_AFTER and ingest.poll() is None:
                time.sleep(0.05)
                stored = article_count(watcher)
        if ingest.poll() is not None:
            pytest.fail(f"the ingest ended before the kill ({stored} stored): {ingest.communicate()[1]}")
        server.kill()
        _out, err = ingest.communicate(timeout=CLI_TIMEOUT)
        assert ingest.returncode != 0
        assert_one_error_line(err, uri, env["NEO4J_PASSWORD"])

        env = server.start()
        with open_neo4j(env) as store:
            survived = article_count(store)
            assert KILL_AFTER <= survived < INGEST_ARTICLES  # whole batches went in, the rest did not
            summary = ingest_ok(uri, inputs, env).splitlines()[0]
            assert summary == (
                f"{INGEST_ARTICLES} articles read, {INGEST_ARTICLES - survived} written, "
                f"{survived} unchanged, 0 failed"
            )
            assert_same_dump(store.dump(), clean_dump)
    finally:
        server.stop()


# --- two ingests at once -------------------------------------------------------------------------------
def duplicates(store: Neo4jStore) -> list[dict[str, Any]]:
    """Labels and relationship types whose count differs from their count of distinct ids."""
    nodes = store.cypher(
        "MATCH (n) UNWIND labels(n) AS label "
        "WITH label, coalesce(n.id, n.article) AS key "
        "RETURN label, count(*) AS n, count(DISTINCT key) AS ids"
    )
    rels = store.cypher("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n, count(DISTINCT r.id) AS ids")
    return [row for row in nodes + rels if row["n"] != row["ids"]]


def test_two_overlapping_ingests_at_once_give_the_clean_graph(
    neo4j_store: Neo4jStore, clean_dump: dict[str, Any], tmp_path: Path
) -> None:
    # both start on the same 100 articles, then go on with different ones sharing people and bodies
    first = corpus_file(tmp_path / "first.jsonl", range(0, 200))
    second = corpus_file(tmp_path / "second.jsonl", [*range(0, 100), *range(200, INGEST_ARTICLES)])
    neo4j_store.wipe()
    uri = os.environ["NEO4J_URI"]
    runs = [
        spawn("--neo4j", uri, "ingest", str(path), "--batch", "5", "--no-progress", env=main_env())
        for path in (first, second)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=CLI_TIMEOUT)
        assert run.returncode == 0, err
    assert duplicates(neo4j_store) == []
    assert_same_dump(neo4j_store.dump(), clean_dump)


# --- injection ---------------------------------------------------------------------------------------
HOSTILE = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m //',
    "`Person`) DETACH DELETE n //",
    "林建国’”) MATCH (n) DETACH DELETE n //",
    "王明‘}) RETURN 1 AS x UNION MATCH (n) DETACH DELETE n //",
    "\\'; MATCH (n) DETACH DELETE n; //",
    "$name",
]


@pytest.fixture
def hostile_graph(
    neo4j_store: Neo4jStore,
    make_meeting: Callable[..., Record],
    build: Callable[[Record], ArticleFacts],
    tmp_path: Path,
) -> Iterator[tuple[NetworkxStore, Neo4jStore]]:
    """Both stores holding one meeting per hostile string: a person, an organizer and a post so named."""
    facts = [
        build(
            make_meeting(
                f"hostile-{i}",
                f"2024-03-{i + 1:02d}",
                [(text, "attendee", [PostRef(f"{text}书记", text, "书记")]), ("林建国", "host", [])],
                org=text,
                label=f"会议{text}",
            )
        )
        for i, text in enumerate(HOSTILE)
    ]
    embedded = NetworkxStore(tmp_path / "hostile.dashiji")
    embedded.put_articles(facts)
    neo4j_store.wipe()
    neo4j_store.put_articles(facts)
    try:
        yield embedded, neo4j_store
    finally:
        embedded.close()
        neo4j_store.wipe()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_find_the_exact_node_and_delete_nothing(
    text: str, hostile_graph: tuple[NetworkxStore, Neo4jStore]
) -> None:
    embedded, neo4j = hostile_graph
    before = neo4j.dump()
    stored = "".join(text.split())  # names are kept without white space; labels as written
    for kind in ("Person", "Organization", "Post"):
        for name in (text, stored, text + "x"):
            assert neo4j.find_nodes(kind, name) == embedded.find_nodes(kind, name)
    assert [n["name"] for n in neo4j.find_nodes("Person", text)] == [stored]
    assert neo4j.find_nodes("Person", text + "x") == []

    timeline = run_query(neo4j, "person_timeline", {"name": stored})
    assert [row["label"] for row in timeline] == [f"会议{text}"]
    assert run_query(neo4j, "person_timeline", {"name": stored + "x"}) == []
    holders = run_query(neo4j, "post_holders", {"post": f"{stored}书记"})
    assert [row["name"] for row in holders] == [stored]
    attendees = run_query(neo4j, "event_attendees", {"label": text})
    assert {row["label"] for row in attendees} == {f"会议{text}"}
    assert {row["name"] for row in attendees if row["kind"] == "Person"} == {stored, "林建国"}
    assert neo4j.dump() == before


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_hostile_parameters_of_every_canned_query_change_nothing(
    name: str, hostile_graph: tuple[NetworkxStore, Neo4jStore]
) -> None:
    """Every string parameter of the query set to each hostile text: the rows of the embedded twin (which
    runs no Cypher) and an untouched graph."""
    embedded, neo4j = hostile_graph
    before = neo4j.dump()
    query = load_queries()[name]
    for text in HOSTILE:
        for value in (text, "".join(text.split())):
            params = {p.name: value for p in query.params if p.type == "str"}
            assert params, f"{name} takes no string parameter"
            assert run_query(neo4j, name, params) == run_query(embedded, name, params), f"{name} {params}"
    assert neo4j.dump() == before
