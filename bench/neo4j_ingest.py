"""Ingest rate into Neo4j: the store's batched writes against one auto-commit statement per row.

    set -a; eval "$(bash tests/neo4j/server.sh start)"; set +a      # or any Neo4j 5 (NEO4J_URI/USER/PASSWORD)
    .venv/bin/python bench/neo4j_ingest.py [--runs 3] [--batch 500] [--baseline-articles 500] [--workers 2]

THE DATABASE AT NEO4J_URI IS WIPED (before every run and at the end).

1. Records: ../shared/corpus/official_news.jsonl (2,005 articles) is extracted once by the real pipeline and
   the records are cached as JSON Lines in ~/.cache/dashiji/bench/ (`$DASHIJI_HOME/bench`), keyed by the
   corpus' sha256 and the extractor version; `--refresh` extracts again. Facts: `graph.build.build_facts`.
2. Batched (what `dashiji ingest` does): wipe, then time `Neo4jStore.put_articles` over the facts in
   batches of `--batch` articles (managed write transactions, UNWIND … MERGE, parameters only).
   elements = nodes + relationships in the database afterwards (`counts()`; the ArticleLedger bookkeeping
   nodes are written but not counted).
3. Baseline: the very rows the batched run left in the database (read back with `properties()`), written
   again into the wiped database one auto-commit statement per row:
   `MERGE (n:Kind {id: $id}) SET n = $props, n:Node` per node, then per relationship
   `MATCH (s:Node {id: $src}) MATCH (d:Node {id: $dst}) MERGE (s)-[e:KIND {id: $id}]->(d) SET e = $props`. Labels and types come from the graph model's fixed kinds; values are
   parameters. Each element is written once, with its final properties and no reads or ledger (a baseline
   kinder than a naive ingest would be). It runs on the rows of the first `--baseline-articles` articles
   (every node and relationship one of them contributes to; 0 = all), and is compared per element.
4. Floor: all of those rows written into the wiped database by `UNWIND … CREATE` per kind in four write
   transactions, with no reads, no MERGE and no ledger (`floor_run`). Not idempotent, so not a way to
   ingest; it is what this server and machine spend on these rows and their indexes at the least, measured
   in the same run, and says how far the batched rate is from what the hardware gives at all.

An unmeasured warm-up of the three comes first: `--warmup` whole batched loads, then two floor loads and two
baseline passes over the subset. A server just started compiles its hot paths as it goes, and the figures
are meant for a server that has been running. On this machine, with a 4 GiB heap, the server's CPU per
batched load fell from 26 s to 10 s over the first four loads and to ~4.2 s by the eighth, where it stayed; hence six warm-up loads.
With a 1 GiB heap it stays near 6 s (garbage collection of 500-article transactions).
The server's heap and page cache are printed with the results, and so is the CPU each batched run took:
the server's (its JMX `ProcessCpuTime`, via `dbms.queryJmx`) and this process's, per element written. When
the server runs on this machine, the two share its cores, and cores / (CPU per element) is a ceiling no
schedule of the same work can pass: the measured answer to how far a rate target is from this machine. Prints a markdown table with
min / median / max over `--runs` runs, the ratio of the medians (and the worst case: slowest batched run
against the fastest baseline run), and whether the targets (ratio >= 20x, batched >= 20,000 elements/s)
are met.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.build import build_facts  # noqa: E402
from graph.model import EDGE_KINDS, NODE_KINDS, ArticleFacts  # noqa: E402
from graph.store.neo4j_store import Neo4jStore, contrib_lines  # noqa: E402
from ingest.paths import home  # noqa: E402
from ingest.records import EXTRACTOR_VERSION, Record  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "official_news.jsonl"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
TARGET_RATIO = 20.0
TARGET_RATE = 20_000.0
SETTINGS = ("server.memory.heap.max_size", "server.memory.pagecache.size")


@dataclass(frozen=True)
class Row:
    """One element as stored: a node (src/dst None) or a relationship, with its property map."""

    kind: str
    id: str
    props: dict[str, Any]
    articles: frozenset[str]
    src: str | None = None
    dst: str | None = None


# --- records, cached ---------------------------------------------------------------------------------
def cached_records(corpus: Path, workers: int, refresh: bool) -> list[Record]:
    """The corpus' records, extracted once and then read from the cache."""
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()[:16]
    cache = home() / "bench" / f"{corpus.stem}-{digest}-{EXTRACTOR_VERSION}.records.jsonl"
    if cache.exists() and not refresh:
        with open(cache, encoding="utf-8") as fh:
            return [Record.from_json(line) for line in fh]
    from ingest.parallel import extract_all

    started = time.perf_counter()
    records = [r for r in extract_all([corpus], workers=workers) if isinstance(r, Record)]
    print(f"extracted {len(records)} records in {time.perf_counter() - started:.0f} s -> {cache}")
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    tmp.replace(cache)
    return records


# --- the two ways of writing -------------------------------------------------------------------------
@dataclass
class Cpu:
    """CPU seconds a batched run took: the server's (None when its JMX cannot be read) and this process's."""

    server: float | None
    client: float

    def per_element_us(self, elements: int) -> float | None:
        return None if self.server is None else 1e6 * (self.server + self.client) / elements


def server_cpu(store: Neo4jStore) -> tuple[float | None, int | None]:
    """The server JVM's CPU seconds so far and its processor count, from its JMX (None where it refuses)."""
    try:
        rows = store.cypher(
            "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes "
            "RETURN attributes.ProcessCpuTime.value AS ns, attributes.AvailableProcessors.value AS cores"
        )
        return rows[0]["ns"] / 1e9, rows[0]["cores"]
    except Exception:  # a server without the procedure, or a user not allowed to call it
        return None, None


def batched_run(store: Neo4jStore, facts: Sequence[ArticleFacts], batch: int) -> tuple[int, float, Cpu]:
    """Wipe, put the facts in batches; (elements in the database, seconds spent writing, CPU spent)."""
    store.wipe()
    server_before, _cores = server_cpu(store)
    client_before = time.process_time()
    started = time.perf_counter()
    for i in range(0, len(facts), batch):
        store.put_articles(facts[i : i + batch])
    seconds = time.perf_counter() - started
    client = time.process_time() - client_before
    server_after, _cores = server_cpu(store)
    server = None if server_before is None or server_after is None else server_after - server_before
    return sum(store.counts().values()), seconds, Cpu(server, client)


def stored_rows(store: Neo4jStore) -> list[Row]:
    """Every node, then every relationship, as the batched run left them."""
    nodes = store.cypher("MATCH (n:Node) RETURN n.kind AS kind, n.id AS id, properties(n) AS props")
    rels = store.cypher(
        "MATCH (s:Node)-[e]->(d:Node) RETURN type(e) AS kind, e.id AS id, s.id AS src, d.id AS dst, "
        "properties(e) AS props"
    )
    return [
        Row(r["kind"], r["id"], r["props"], _articles(r["props"]), r.get("src"), r.get("dst"))
        for r in itertools.chain(nodes, rels)
    ]


def _articles(props: dict[str, Any]) -> frozenset[str]:
    """The articles an element's stored view holds (in `_view`, or in its one contribution)."""
    if props.get("_view"):
        return frozenset(orjson.loads(props["_view"])["articles"])
    return frozenset(orjson.loads(c)["a"] for c in contrib_lines(props.get("_contrib")))


def subset(rows: list[Row], articles: set[str] | None) -> list[Row]:
    """The rows some of these articles contribute to (all rows for None); nodes first."""
    chosen = [r for r in rows if articles is None or r.articles & articles]
    return sorted(chosen, key=lambda r: r.src is not None)


def _node_statement(kind: str) -> str:
    if kind not in NODE_KINDS:
        raise ValueError(f"unknown node kind {kind!r}")
    return f"MERGE (n:{kind} {{id: $id}}) SET n = $props, n:Node"


def _edge_statement(kind: str) -> str:
    if kind not in EDGE_KINDS:
        raise ValueError(f"unknown relationship kind {kind!r}")
    return (
        f"MATCH (s:Node {{id: $src}}) MATCH (d:Node {{id: $dst}}) "
        f"MERGE (s)-[e:{kind} {{id: $id}}]->(d) SET e = $props"
    )


def baseline_run(store: Neo4jStore, driver: Any, rows: Iterable[Row]) -> tuple[int, float]:
    """Wipe, write each row in its own auto-commit transaction; (elements written, seconds)."""
    store.wipe()
    written = 0
    started = time.perf_counter()
    with driver.session(database=store.database) as session:
        for row in rows:
            if row.src is None:
                session.run(_node_statement(row.kind), id=row.id, props=row.props).consume()
            else:
                query = _edge_statement(row.kind)
                session.run(query, id=row.id, src=row.src, dst=row.dst, props=row.props).consume()
            written += 1
    return written, time.perf_counter() - started


def floor_run(store: Neo4jStore, driver: Any, rows: Sequence[Row]) -> tuple[int, float]:
    """Wipe, then write the same rows the cheapest way Neo4j offers: `UNWIND $rows … CREATE` per kind, nodes
    and then relationships, each half in two write transactions; (elements written, seconds).

    Nothing is read first, nothing is merged, no ledger is kept, so a rerun would duplicate everything: not a
    way to ingest, but the floor of what this server and machine spend on these rows and their indexes. The
    batched path does all of that and more (idempotent MERGE, replacing an article's old facts, the ledger),
    so its rate over this one says how much of the machine the rest costs."""
    store.wipe()
    nodes = [r for r in rows if r.src is None]
    rels = [r for r in rows if r.src is not None]
    parts = [(nodes[0::2], False), (nodes[1::2], False), (rels[0::2], True), (rels[1::2], True)]
    started = time.perf_counter()
    for part, is_rel in parts:
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for r in part:
            item = {"props": r.props, "src": r.src, "dst": r.dst} if is_rel else {"props": r.props}
            by_kind.setdefault(r.kind, []).append(item)

        def write(tx: Any, by_kind: dict[str, list[dict[str, Any]]] = by_kind, is_rel: bool = is_rel) -> None:
            for kind, items in sorted(by_kind.items()):
                tx.run(_floor_statement(kind, is_rel), rows=items).consume()

        with driver.session(database=store.database) as session:
            session.execute_write(write)
    return len(rows), time.perf_counter() - started


def _floor_statement(kind: str, is_rel: bool) -> str:
    if kind not in (EDGE_KINDS if is_rel else NODE_KINDS):
        raise ValueError(f"unknown kind {kind!r}")
    if not is_rel:
        return f"UNWIND $rows AS r CREATE (n:{kind}:Node) SET n = r.props"
    return (
        f"UNWIND $rows AS r MATCH (s:Node {{id: r.src}}) MATCH (d:Node {{id: r.dst}}) "
        f"CREATE (s)-[e:{kind}]->(d) SET e = r.props"
    )


# --- report ------------------------------------------------------------------------------------------
def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def report(
    batched: list[float],
    baseline: list[float],
    floor: list[float],
    elements: int,
    base_elements: int,
    args: Any,
    server: str,
) -> str:
    b_min, b_med, b_max = spread(batched)
    s_min, s_med, s_max = spread(baseline)
    f_min, f_med, f_max = spread(floor)
    ratio, worst = b_med / s_med, b_min / s_max
    subset_note = "all articles" if not args.baseline_articles else f"first {args.baseline_articles} articles"
    lines = [
        "| write path | elements per run | runs | min el/s | median el/s | max el/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| batched `put_articles` (batch {args.batch}) | {elements:,} | {len(batched)} "
        f"| {b_min:,.0f} | {b_med:,.0f} | {b_max:,.0f} |",
        f"| one auto-commit MERGE per row ({subset_note}) | {base_elements:,} | {len(baseline)} "
        f"| {s_min:,.0f} | {s_med:,.0f} | {s_max:,.0f} |",
        f"| floor: the same rows, UNWIND … CREATE, 4 transactions, no reads (not idempotent) | {elements:,} "
        f"| {len(floor)} | {f_min:,.0f} | {f_med:,.0f} | {f_max:,.0f} |",
        "",
        f"ratio of medians: {ratio:.1f}x (worst case {worst:.1f}x); target >= {TARGET_RATIO:.0f}x: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}",
        f"batched median {b_med:,.0f} elements/s; target >= {TARGET_RATE:,.0f}: "
        f"{'met' if b_med >= TARGET_RATE else 'NOT met'}; the floor's median is {f_med:,.0f} "
        f"(batched / floor {b_med / f_med:.2f})",
        f"server: {server}; {args.warmup} unmeasured whole loads first",
    ]
    return "\n".join(lines)


def _secs(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def ceiling(cpus: list[Cpu], elements: int, uri: str, server_cores: int | None) -> str:
    """What the CPU allows: the median server + client CPU per element, and, when the server runs on this
    machine, the rate at which this machine's cores would be busy all the time."""
    per = [c.per_element_us(elements) for c in cpus]
    if any(p is None for p in per) or not per:
        return "CPU per element: the server's CPU time is not readable (dbms.queryJmx)"
    us = statistics.median(p for p in per if p is not None)
    server = statistics.median(c.server or 0.0 for c in cpus) * 1e6 / elements
    line = f"CPU per element written: {us:.0f} us median (server {server:.0f} us + client {us - server:.0f} us)"
    host = uri.partition("://")[2].rsplit(":", 1)[0]
    cores = os.cpu_count() or 1
    if host in ("127.0.0.1", "localhost", "[::1]"):
        line += (
            f"; server and client share this machine's {cores} cores (server sees {server_cores}), "
            f"so no schedule of this work exceeds {cores * 1e6 / us:,.0f} elements/s here"
        )
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500, help="articles per put_articles call (as `dashiji ingest`)")
    parser.add_argument("--baseline-articles", type=int, default=500, help="0 = the whole corpus")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes (first run only)")
    parser.add_argument("--refresh", action="store_true", help="extract again instead of using the cache")
    parser.add_argument("--warmup", type=int, default=6, help="unmeasured whole loads first")
    args = parser.parse_args(argv)
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        parser.error('NEO4J_URI is unset (set -a; eval "$(bash tests/neo4j/server.sh start)"; set +a)')

    records = cached_records(args.corpus, args.workers, args.refresh)
    facts = [build_facts(r, now=NOW) for r in records]
    chosen = {f.article_id for f in facts[: args.baseline_articles]} if args.baseline_articles else None
    user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD") or ""
    store = Neo4jStore(uri, user, password, os.environ.get("NEO4J_DATABASE") or None)
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))  # the baseline's plain statements
    try:
        for _ in range(args.warmup):  # not measured
            batched_run(store, facts, args.batch)
        rows = stored_rows(store)
        for _ in range(2):
            floor_run(store, driver, rows)
            baseline_run(store, driver, subset(rows, chosen))

        batched: list[float] = []
        baseline: list[float] = []
        floor: list[float] = []
        cpus: list[Cpu] = []
        elements = base_elements = 0
        for run in range(1, args.runs + 1):
            elements, seconds, cpu = batched_run(store, facts, args.batch)
            batched.append(elements / seconds)
            cpus.append(cpu)
            rows = stored_rows(store)
            floor_elements, floor_seconds = floor_run(store, driver, rows)
            floor.append(floor_elements / floor_seconds)
            base_elements, base_seconds = baseline_run(store, driver, subset(rows, chosen))
            baseline.append(base_elements / base_seconds)
            print(
                f"run {run}: batched {elements:,} el in {seconds:.2f} s = {batched[-1]:,.0f} el/s; "
                f"baseline {base_elements:,} el in {base_seconds:.2f} s = {baseline[-1]:,.0f} el/s; "
                f"cpu: server {_secs(cpu.server)} s, client {cpu.client:.2f} s; "
                f"floor {floor_elements:,} el in {floor_seconds:.2f} s = {floor[-1]:,.0f} el/s",
                flush=True,
            )
        settings = store.cypher("SHOW SETTINGS YIELD name, value WHERE name IN $names", {"names": list(SETTINGS)})
        memory = ", ".join(f"{r['name']}={r['value']}" for r in settings)
        print(f"\n{len(facts)} articles of {args.corpus.name}, Neo4j at {uri} ({memory})\n")
        print(report(batched, baseline, floor, elements, base_elements, args, memory))
        print(ceiling(cpus, elements, uri, server_cpu(store)[1]))
    finally:
        store.wipe()
        store.close()
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
