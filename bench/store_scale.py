"""The embedded store at scale: ingest synthetic corpora (bench/synth.py), then time per-entity canned queries.

Each measurement runs in its own process, so that its peak RSS is its own:

    python bench/store_scale.py ingest N STORE      # generate N records, build facts, put, flush → JSON
    python bench/store_scale.py query STORE RUNS    # open read-only, time queries on sampled entities → JSON

`scale(sizes, runs)` drives both and returns the figures. The queries are the canned ones, run the way the
CLI runs them (`queries.registry.run_query`: parameters bound, twin, rows normalized), on entities sampled
uniformly (a fixed seed): people for person_timeline and co_participants, organizations that have posts
for post_holders(organization=…). Each run times every sampled entity once and gives that run's p95.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, Figure, peak_rss_mib, percentile, run_json  # noqa: E402

BATCH = 1000  # articles per put_articles
QUERIES = ("person_timeline", "co_participants", "post_holders")
SAMPLE_PEOPLE = 200
SAMPLE_ORGS = 100


# --- the two subprocess modes ------------------------------------------------------------------------
def ingest(size: int, path: str) -> dict[str, Any]:
    """Generate, build and store `size` synthetic articles in batches; the times and the peak RSS."""
    from synth import corpus

    from graph.build import build_facts
    from graph.store.networkx_store import NetworkxStore

    build_s = put_s = 0.0
    records = corpus(size)
    started = time.perf_counter()
    with NetworkxStore(path) as store:
        while True:
            t0 = time.perf_counter()
            batch = [build_facts(r) for _, r in zip(range(BATCH), records, strict=False)]
            t1 = time.perf_counter()
            if not batch:
                break
            store.put_articles(batch)
            build_s += t1 - t0
            put_s += time.perf_counter() - t1
        t2 = time.perf_counter()
        store.flush()
        flush_s = time.perf_counter() - t2
        counts = store.counts()
    total_s = time.perf_counter() - started
    node_kinds = ("Article", "Event", "Person", "Organization", "Post", "Place", "Target", "Goal")
    return {
        "articles": size, "build_s": build_s, "put_s": put_s, "flush_s": flush_s, "total_s": total_s,
        "nodes": sum(v for k, v in counts.items() if k in node_kinds),
        "relationships": sum(v for k, v in counts.items() if k not in node_kinds),
        "file_mib": Path(path).stat().st_size / 2**20, "peak_rss_mib": peak_rss_mib(),
    }


def _subjects(store: Any) -> dict[str, list[dict[str, str]]]:
    """Parameters for each query: uniformly sampled people, and organizations that have posts."""
    rng = random.Random(11)
    people = sorted({n["name"] for n in store.nodes("Person")})
    orgs = sorted({store.node(e["dst"])["name"] for e in store.edges("POST_IN")})
    sample_people = rng.sample(people, min(SAMPLE_PEOPLE, len(people)))
    sample_orgs = rng.sample(orgs, min(SAMPLE_ORGS, len(orgs)))
    return {
        "person_timeline": [{"name": n} for n in sample_people],
        "co_participants": [{"name": n} for n in sample_people],
        "post_holders": [{"organization": o} for o in sample_orgs],
    }


def query(path: str, runs: int) -> dict[str, Any]:
    """Open the store read-only (timed), then time each query on its sampled entities, `runs` times."""
    from graph.store.networkx_store import NetworkxStore
    from queries.registry import run_query

    t0 = time.perf_counter()
    store = NetworkxStore(path, read_only=True)
    open_s = time.perf_counter() - t0
    open_rss = peak_rss_mib()
    subjects = _subjects(store)
    out: dict[str, Any] = {"open_s": open_s, "open_rss_mib": open_rss, "queries": {}}
    for name in QUERIES:
        p95s, p50s, rows = [], [], 0
        for _ in range(runs):
            times = []
            for params in subjects[name]:
                t = time.perf_counter()
                rows += len(run_query(store, name, params))
                times.append(time.perf_counter() - t)
            p95s.append(percentile(times, 95) * 1000)
            p50s.append(percentile(times, 50) * 1000)
        out["queries"][name] = {"p95_ms": p95s, "p50_ms": p50s, "subjects": len(subjects[name]),
                                "rows_per_call": rows / max(1, runs * len(subjects[name]))}
    out["peak_rss_mib"] = peak_rss_mib()
    return out


# --- the driver ----------------------------------------------------------------------------------------
def scale(sizes: list[int], runs: int, ingest_runs: dict[int, int]) -> list[Figure]:
    """Ingest each size (`ingest_runs[size]` times, fresh store each), query the last store `runs` times."""
    figures: list[Figure] = []
    p95_median: dict[tuple[str, int], float] = {}
    sec = "Embedded store at scale"
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = str(Path(tmp) / f"synth-{size}.dashiji")
            results = []
            for _ in range(ingest_runs.get(size, runs)):
                Path(path).unlink(missing_ok=True)
                results.append(run_json([__file__, "ingest", str(size), path]))
            last = results[-1]
            label = f"{size:,} articles"
            shape = f"{last['nodes']:,} nodes, {last['relationships']:,} relationships, file {last['file_mib']:.0f} MiB"
            figures += [
                Figure(sec, f"{label}: ingest (generate+build+put+flush)", "s", [r["total_s"] for r in results],
                       note=shape),
                Figure(sec, f"{label}: of which store put_articles + flush", "s",
                       [r["put_s"] + r["flush_s"] for r in results]),
                Figure(sec, f"{label}: ingest peak RSS", "MiB", [r["peak_rss_mib"] for r in results], "< 2048"),
            ]
            res = [run_json([__file__, "query", path, "1"]) for _ in range(runs)]
            figures += [
                Figure(sec, f"{label}: cold open of the store (read-only)", "s", [r["open_s"] for r in res]),
                Figure(sec, f"{label}: query process peak RSS", "MiB", [r["peak_rss_mib"] for r in res], "< 2048"),
            ]
            for name in QUERIES:
                p95 = [r["queries"][name]["p95_ms"][0] for r in res]
                q = res[-1]["queries"][name]
                figures.append(Figure(sec, f"{label}: {name} p95", "ms", p95, "< 50",
                                      f"{q['subjects']} sampled entities, {q['rows_per_call']:.1f} rows/call"))
                p95_median[(name, size)] = Figure(sec, "", "", p95).median
    if len(sizes) >= 2:
        small, big = sizes[0], sizes[-1]
        for name in QUERIES:
            ratio = p95_median[(name, big)] / p95_median[(name, small)]
            figures.append(Figure(sec, f"{name} p95 t({big:,})/t({small:,})", "×", [ratio], "< 2",
                                  "medians of the runs above"))
    return figures


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "ingest":
        print(json.dumps(ingest(int(sys.argv[2]), sys.argv[3])))
    elif mode == "query":
        print(json.dumps(query(sys.argv[2], int(sys.argv[3]))))
    else:
        raise SystemExit(f"usage: {PYTHON} bench/store_scale.py ingest N STORE | query STORE RUNS")
