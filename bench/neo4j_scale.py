"""Neo4j at scale: batched ingest against a per-row baseline, and every canned query on a large synthetic graph.

THE DATABASE AT NEO4J_URI IS WIPED. Needs NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (tests/neo4j/server.sh).

1. Ingest rate: bench/neo4j_ingest.py (the store's batched `put_articles` against one auto-commit statement
   per row, on the real corpus' records), run as it is; its table is copied into RESULTS.md.
2. Query graph: synthetic articles (bench/synth.py) written with `Neo4jStore.put_articles` in batches until
   the requested size or the time budget is reached (the size reached is reported).
3. Queries: every canned query through `queries.registry.run_query` (as the CLI runs it) on sampled
   parameters; each run gives a p95 over its samples. EXPLAIN of each query shows where its plan starts:
   the leaf operators of the plan tree, which should be index seeks, not label or relationship scans.
"""

from __future__ import annotations

import os
import random
import re
import time
from typing import Any

from common import PYTHON, Figure, percentile, wall

SCANS = ("AllNodesScan", "NodeByLabelScan", "RelationshipTypeScan", "NodeIndexScan", "RelationshipIndexScan")


def _store() -> Any:
    from graph.store import open_store

    return open_store(os.environ["NEO4J_URI"])


def clear_database() -> None:
    """Delete every relationship, then every node, in small transactions (a big graph's DETACH DELETE in
    one go can pass the test server's transaction memory limit)."""
    import neo4j

    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver, driver.session() as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 2000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 2000 ROWS").consume()


# --- 1. ingest rate ------------------------------------------------------------------------------------
def ingest_rate(runs: int, baseline_articles: int) -> tuple[list[Figure], str]:
    """Run bench/neo4j_ingest.py (on an emptied database); its figures and its printed table."""
    clear_database()
    _s, done = wall([PYTHON, "bench/neo4j_ingest.py", "--runs", str(runs),
                     "--baseline-articles", str(baseline_articles)], timeout=3600)
    out = done.stdout.decode()
    table = out[out.index("| write path"):] if "| write path" in out else out[-3000:]
    runs_found = [(float(b.replace(",", "")), float(s.replace(",", "")))
                  for b, s in re.findall(r"= ([\d,]+) el/s; baseline [\d,]+ el in [\d.]+ s = ([\d,]+) el/s", out)]
    sec = "Neo4j ingest (bench/neo4j_ingest.py, real corpus records)"
    figures = [
        Figure(sec, "batched `put_articles`", "elements/s", [b for b, _ in runs_found], ">= 20000"),
        Figure(sec, "one auto-commit statement per row", "elements/s", [s for _, s in runs_found]),
        Figure(sec, "batched / per-row", "×", [b / s for b, s in runs_found], ">= 20", "per run"),
    ]
    # the floor: the same rows by plain UNWIND … CREATE, no reads, not idempotent (what the machine gives)
    floors = [float(f.replace(",", "")) for f in re.findall(r"floor [\d,]+ el in [\d.]+ s = ([\d,]+) el/s", out)]
    if len(floors) == len(runs_found):
        figures += [
            Figure(sec, "floor: same rows, UNWIND … CREATE, no reads", "elements/s", floors,
                   note="not idempotent: the least this server and machine spend on these rows"),
            Figure(sec, "batched / floor", "×", [b / f for (b, _), f in zip(runs_found, floors, strict=True)],
                   note="per run: what idempotence, replacement and the ledger cost"),
        ]
    # CPU of each batched run: the server's (its JMX) and the client's, per element written
    cpu = [
        (int(n.replace(",", "")), float(server), float(client))
        for n, server, client in re.findall(r"batched ([\d,]+) el .*cpu: server ([\d.]+) s, client ([\d.]+) s", out)
    ]
    if cpu:
        cores = os.cpu_count() or 1
        server_us = [1e6 * s / n for n, s, _ in cpu]
        client_us = [1e6 * c / n for n, _, c in cpu]
        figures += [
            Figure(sec, "server CPU per element", "µs", server_us, note="Neo4j's JMX ProcessCpuTime"),
            Figure(sec, "client CPU per element", "µs", client_us, note="the ingesting Python process"),
            Figure(
                sec,
                "CPU ceiling of the batched rate on this machine",
                "elements/s",
                [cores * 1e6 / (s + c) for s, c in zip(server_us, client_us, strict=True)],
                note=f"{cores} cores / (server + client CPU per element): no schedule of the same work beats it",
            ),
        ]
    return figures, table


# --- 2. the query graph --------------------------------------------------------------------------------
def load_graph(size: int, budget_s: float, batch: int = 500) -> dict[str, Any]:
    """Wipe, then put synthetic articles until `size` or `budget_s` seconds; what was loaded, how fast."""
    from synth import corpus

    from graph.build import build_facts

    clear_database()
    store = _store()
    try:
        records = corpus(size)
        loaded, elements, put_s = 0, 0, 0.0
        started = time.perf_counter()
        while loaded < size and time.perf_counter() - started < budget_s:
            facts = [build_facts(r) for _, r in zip(range(batch), records, strict=False)]
            t = time.perf_counter()
            store.put_articles(facts)
            put_s += time.perf_counter() - t
            loaded += len(facts)
            elements += sum(len(f.nodes) + len(f.edges) for f in facts)
        counts = store.counts()
    finally:
        store.close()
    node_kinds = ("Article", "Event", "Person", "Organization", "Post", "Place", "Target", "Goal")
    return {"requested": size, "articles": loaded, "put_s": put_s, "elements_written": elements,
            "nodes": sum(v for k, v in counts.items() if k in node_kinds),
            "relationships": sum(v for k, v in counts.items() if k not in node_kinds)}


# --- 3. queries ----------------------------------------------------------------------------------------
def _column(store: Any, cypher: str) -> list[Any]:
    return sorted({r["v"] for r in store.cypher(cypher) if r["v"] is not None})


def sample_params(store: Any, n: int = 40) -> dict[str, list[dict[str, str]]]:
    """Parameters for every canned query, sampled uniformly from the loaded graph (fixed seed)."""
    rng = random.Random(5)

    def pick(values: list[Any], k: int = n) -> list[Any]:
        return rng.sample(values, min(k, len(values)))

    people = pick(_column(store, "MATCH (p:Person) RETURN p.name AS v"))
    orgs = pick(_column(store, "MATCH (:Post)-[:POST_IN]->(o:Organization) RETURN o.name AS v"))
    places = pick(_column(store, "MATCH (:Event)-[:OCCURRED_IN]->(p:Place) RETURN p.name AS v"))
    targets = pick(_column(store, "MATCH (t:Target) RETURN t.name AS v"))
    events = pick(_column(store, "MATCH (e:Event) RETURN e.id AS v"))
    months = pick(_column(store, "MATCH (e:Event) RETURN left(e.start, 7) AS v"), n // 4)
    types = ["meeting", "inspection", "study_session", "signing"]
    return {
        "person_timeline": [{"name": p} for p in people],
        "co_participants": [{"name": p} for p in people],
        "person_posts": [{"name": p} for p in people],
        "org_events": [{"name": o} for o in orgs],
        "org_people": [{"name": o} for o in orgs],
        "post_holders": [{"organization": o} for o in orgs],
        "place_events": [{"name": p} for p in places],
        "target_timeline": [{"name": t} for t in targets],  # its default limit: the first 100 entries
        "event_attendees": [{"event_id": e} for e in events],
        "provenance": [{"id": e} for e in events],
        "events_by_type": [{"type": rng.choice(types), "from": m, "to": m} for m in months],
        "most_active": [{"from": m, "to": m} for m in months],
    }


def plan_leaves(driver: Any, cypher: str, params: dict[str, Any]) -> list[str]:
    """The operators at the leaves of the EXPLAIN plan (where the query starts reading)."""
    with driver.session() as session:
        plan = session.run("EXPLAIN " + cypher, params).consume().plan
    leaves: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        children = node.get("children") or []
        if not children:
            leaves.append(str(node.get("operatorType", "?")).split("@")[0])
        for child in children:
            walk(child)

    walk(plan)
    return leaves


def query_figures(runs: int, graph: dict[str, Any]) -> list[Figure]:
    """p95 per canned query (one p95 per run over the samples) and where each plan starts."""
    import neo4j

    from queries.registry import bind_params, cypher_params, get_query, load_queries, run_query

    store = _store()
    driver = neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=(os.environ.get("NEO4J_USER", "neo4j"),
                                                                        os.environ.get("NEO4J_PASSWORD", "")))
    sec = (f"Neo4j canned queries ({graph['articles']:,} synthetic articles: {graph['nodes']:,} nodes, "
           f"{graph['relationships']:,} relationships)")
    figures: list[Figure] = []
    try:
        params = sample_params(store)
        for name in load_queries():
            samples = params[name]
            for p in samples[:3]:  # warm-up: plans cached
                run_query(store, name, p)
            p95s = []
            for _ in range(runs):
                times = []
                for p in samples:
                    t = time.perf_counter()
                    run_query(store, name, p)
                    times.append(time.perf_counter() - t)
                p95s.append(percentile(times, 95) * 1000)
            q = get_query(name)
            leaves = plan_leaves(driver, q.cypher, cypher_params(q, bind_params(q, samples[0])))
            scans = [leaf for leaf in leaves if any(s in leaf for s in SCANS)]
            start = "starts from index seeks" if not scans else "**scans: " + ", ".join(sorted(set(scans))) + "**"
            figures.append(Figure(sec, f"{name} p95", "ms", p95s, "< 50",
                                  f"{len(samples)} samples; plan leaves: {', '.join(sorted(set(leaves)))} → {start}"))
    finally:
        driver.close()
        store.close()
    return figures
