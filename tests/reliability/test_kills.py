"""The embedded store survives kill -9, Ctrl-C and a second writer: it always loads, every article in it is
whole (in its old or its new state, never torn), and a rerun ends exactly where a clean ingest ends.

The world: a store holding 240 short articles (first editions); then `ingest` of 360 articles, a third of
the old ones in a corrected edition and 120 new ones, in batches of 20. "Whole" is checked exactly: the
store's content hash of each article says which edition it holds, a fresh store is built from exactly those
editions' facts (extracted in this process, as the CLI does), and the two canonical dumps must be equal —
so any node, edge, property or piece of evidence torn, lost or left over shows up.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.build import build_facts
from graph.model import ArticleFacts
from graph.store import open_store
from graph.store.networkx_store import NetworkxStore
from ingest.parallel import extract_all
from ingest.records import Record

from .synthetic import ROOT, cli, cli_env, corpus, run, write_jsonl

KILLS = 20  # kills that hit a running ingest
MAX_TRIES = 40
OLD, NEW = range(240), range(360)
CHANGED = set(range(0, 240, 3))


@dataclass
class World:
    folder: Path
    new_corpus: Path
    base: Path  # the store before: first editions of OLD
    clean: Path  # base + an uninterrupted ingest of new_corpus
    seconds: float  # how long that uninterrupted ingest took
    old: dict[str, ArticleFacts]  # article id -> facts, first editions
    new: dict[str, ArticleFacts]  # article id -> facts, as in new_corpus
    expected: dict[frozenset[tuple[str, str]], dict] = field(default_factory=dict)  # dumps by state


def _facts(path: Path) -> dict[str, ArticleFacts]:
    facts = (build_facts(r) for r in extract_all([path]) if isinstance(r, Record))
    return {f.article_id: f for f in facts}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("kills")
    old_corpus = write_jsonl(folder / "old.jsonl", corpus(OLD))
    new_corpus = write_jsonl(folder / "new.jsonl", corpus(NEW, changed=CHANGED))
    base, clean = folder / "base.dashiji", folder / "clean.dashiji"
    assert run("ingest", str(old_corpus), store=base).returncode == 0
    shutil.copy(base, clean)
    started = time.monotonic()
    res = run("ingest", str(new_corpus), "--batch", "20", store=clean)
    seconds = time.monotonic() - started
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"{len(NEW)} articles read, {len(NEW) - len(OLD) + len(CHANGED)} written")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASHIJI_NO_NER", "1")  # as the CLI runs in these tests
        world = World(folder, new_corpus, base, clean, seconds, _facts(old_corpus), _facts(new_corpus))
    with open_store(clean, read_only=True) as got:  # the reference facts are the CLI's facts
        assert same_graph(got.dump(), _expected_dump(world, list(world.new.values())))
    return world


def _expected_dump(world: World, facts: list[ArticleFacts]) -> dict:
    """The dump of a fresh store given exactly `facts` (remembered: many kills leave the same state)."""
    key = frozenset((f.article_id, f.content_hash) for f in facts)
    if key not in world.expected:
        path = world.folder / "expected.dashiji"
        path.unlink(missing_ok=True)
        with NetworkxStore(path) as store:
            store.put_articles(facts)
            world.expected[key] = store.dump()
    return world.expected[key]


def _differing(a: dict, b: dict) -> dict:
    return {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def same_graph(got: dict, want: dict) -> bool:
    """`got == want` for two dumps; when not, the assertion message names what differs."""
    for part in ("nodes", "edges"):
        a, b = ({x["id"]: x for x in dump[part]} for dump in (got, want))
        only = sorted(a.keys() ^ b.keys())[:5]
        changed = [(k, _differing(a[k], b[k])) for k in sorted(a.keys() & b.keys()) if a[k] != b[k]][:3]
        assert not only and not changed, f"{part}: only in one {only}; differing {changed}"
    return got == want


def check_whole(store: Path, world: World, kept: Collection[str] = ()) -> tuple[int, int]:
    """Assert that the store loads, still holds the articles `kept`, and holds each article whole; return
    (articles, how many of them are new or in a new edition)."""
    with open_store(store, read_only=True) as got:
        assert {node["id"] for node in got.nodes("Article")} >= set(kept), "an article was lost"
        chosen, renewed = [], 0
        for node in got.nodes("Article"):
            stored_hash = got.article_hash(node["id"])
            old, new = world.old.get(node["id"]), world.new[node["id"]]
            if stored_hash == new.content_hash:
                chosen.append(new)
                renewed += old is None or old.content_hash != new.content_hash
            else:
                assert old is not None and stored_hash == old.content_hash, f"{node['id']}: unknown hash"
                chosen.append(old)
        assert same_graph(got.dump(), _expected_dump(world, chosen))
    return len(chosen), renewed


def _leftovers(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}."))


def _ingest(world: World, store: Path) -> subprocess.Popen[bytes]:
    args = cli("ingest", str(world.new_corpus), "--batch", "20", store=store)
    return subprocess.Popen(args, cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# --- kill -9 ----------------------------------------------------------------------------------------
def test_kill_9_at_random_points_never_tears_an_article(world: World, tmp_path: Path) -> None:
    rng = random.Random(6)
    kills, in_save, renewed_counts = 0, 0, []
    store = tmp_path / "killed.dashiji"
    for _ in range(MAX_TRIES):
        if kills >= KILLS:
            break
        shutil.copy(world.base, store)
        before = set(_leftovers(store))
        proc = _ingest(world, store)
        time.sleep(rng.uniform(0.02, 0.85) * world.seconds)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate()
        in_save += bool(set(_leftovers(store)) - before)  # killed while writing its temp file
        renewed_counts.append(check_whole(store, world, kept=world.old)[1])
    assert kills >= KILLS, f"only {kills} kills hit a running ingest"
    total = len(NEW) - len(OLD) + len(CHANGED)
    midway = [n for n in renewed_counts if 0 < n < total]
    assert len(midway) >= 3, f"too few kills landed between commits: {renewed_counts}"
    # the last killed store, rerun to the end, equals the clean ingest
    res = run("ingest", str(world.new_corpus), "--batch", "20", store=store)
    assert res.returncode == 0, res.stderr
    with open_store(store, read_only=True) as got, open_store(world.clean, read_only=True) as clean:
        assert same_graph(got.dump(), clean.dump())
    assert _leftovers(store) == []  # no temp file of a killed save is left behind
    print(f"kill -9: {kills} kills survived ({in_save} during a save); articles renewed: {renewed_counts}")


# --- two writers ------------------------------------------------------------------------------------
def _holds_lock(store: Path) -> bool:
    """True when some process holds a lock on the store's lock file (read from /proc/locks, no probing)."""
    inode = store.with_name(store.name + ".lock").stat().st_ino
    locks = Path("/proc/locks").read_text().split()  # "1: FLOCK ADVISORY WRITE <pid> <dev>:<inode> 0 EOF"
    return any(token.endswith(f":{inode}") for token in locks)


def test_a_second_ingest_is_refused_while_the_first_runs(world: World, tmp_path: Path) -> None:
    store = tmp_path / "shared.dashiji"
    refused = ""
    for _attempt in range(3):  # again if the first ingest ended before the second one got going
        shutil.copy(world.base, store)
        store.with_name(store.name + ".lock").touch()
        first = _ingest(world, store)
        deadline = time.monotonic() + 30
        while not _holds_lock(store):
            assert first.poll() is None and time.monotonic() < deadline, (
                "the first ingest never took the lock"
            )
            time.sleep(0.01)
        second = run("ingest", str(world.new_corpus), store=store)
        _out, err = first.communicate()
        assert first.returncode == 0, err.decode()
        if second.returncode != 0:
            assert second.returncode == 5 and second.stdout == ""
            refused = second.stderr
        with open_store(store, read_only=True) as got, open_store(world.clean, read_only=True) as clean:
            assert same_graph(got.dump(), clean.dump())  # either way, nothing is corrupted
        if refused:
            break
    assert refused == f"Error: store {store}: is locked by another dashiji process; wait for it to finish\n"


# --- Ctrl-C -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("attempt", range(2))
def test_ctrl_c_keeps_committed_batches_and_the_rerun_resumes(
    world: World, tmp_path: Path, attempt: int
) -> None:
    store = tmp_path / "interrupted.dashiji"  # a fresh store: the first commit creates its file
    proc = _ingest(world, store)
    deadline = time.monotonic() + 30
    while not store.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "no batch was committed"
        time.sleep(0.005)
    time.sleep(random.Random(attempt).uniform(0, 0.3))
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the ingest ended before Ctrl-C reached it")
    message = err.decode().strip().splitlines()
    assert proc.returncode == 130
    assert message[-1].startswith("Interrupted after ") and "rerun the same command to resume" in message[-1]
    kept, _renewed = check_whole(store, world)
    assert kept >= 20  # at least the first batch
    res = run("ingest", str(world.new_corpus), "--batch", "20", store=store)
    assert res.returncode == 0, res.stderr
    read, written, unchanged = (int(res.stdout.split()[k]) for k in (0, 3, 5))
    assert read == len(NEW) and unchanged == kept and written == len(NEW) - kept
    with open_store(store, read_only=True) as got, open_store(world.clean, read_only=True) as clean:
        assert same_graph(got.dump(), clean.dump())
