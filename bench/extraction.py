"""Benchmark sections on extraction: throughput against spacy-pkuseg alone, workers, start-up.

Each section returns `Figure`s (bench/common.py). Inputs are the real corpus and the seed page in ../shared.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import CORPUS, DASHIJI, PYTHON, SEED, Figure, run_json, timed, wall

HEAVY_MODULES = ("spacy_pkuseg", "numpy", "pycrfsuite", "ingest.segment", "ingest.ner", "ingest.pipeline")


def corpus_sample(n: int) -> list[dict[str, Any]]:
    """n articles spread evenly over the corpus (every k-th line), as dicts."""
    lines = CORPUS.read_text("utf-8").splitlines()
    step = max(1, len(lines) // n)
    return [json.loads(line) for line in lines[::step][:n]]


# --- throughput --------------------------------------------------------------------------------------
def throughput(n_articles: int, runs: int) -> list[Figure]:
    """Single-process extraction chars/s against spacy-pkuseg's own `cut` on the same texts, same process.

    Runs in a child process (`python bench/extraction.py throughput N RUNS`), so that spacy-pkuseg's fully
    loaded model (about 1 GB) leaves with it.
    """
    data = run_json([__file__, "throughput", str(n_articles), str(runs)])
    return [Figure(**f) for f in data]


def _throughput(n_articles: int, runs: int) -> list[Figure]:
    """`throughput`, in this process."""
    from ingest.model_setup import original_segmenter
    from ingest.pipeline import extract
    from ingest.readers import RawArticle
    from ingest.segment import segmenter

    # Each run (and the warm-up) gets articles of its own: the segmenter keeps the answers of feature
    # look-ups it has made (ingest/segment_features.py), so texts measured twice would flatter it.
    articles = corpus_sample(n_articles * (runs + 1))
    slices = [articles[i * n_articles : (i + 1) * n_articles] for i in range(runs + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        reference = original_segmenter(Path(tmp))  # spacy-pkuseg's loader on the wheel's files
    ours = segmenter()

    def timings(part: list[dict[str, Any]]) -> tuple[int, float, float, float]:
        """chars, and the seconds of spacy-pkuseg's cut, our cut and extraction, on the same texts."""
        texts = [a["text"] for a in part]
        raws = [RawArticle(id=a["id"], text=a["text"], title=a.get("title"), date=a.get("date")) for a in part]
        ref = timed(lambda: [reference.cut(t) for t in texts])[0]
        our = timed(lambda: [ours.cut(t) for t in texts])[0]
        ext = timed(lambda: [extract(raw) for raw in raws])[0]
        return sum(map(len, texts)), ref, our, ext

    timings(slices[0])  # warm-up: models and lazily loaded features in
    ref_cps, our_cps, ext_cps, chars = [], [], [], 0
    for part in slices[1:]:
        n, ref, our, ext = timings(part)
        chars += n
        ref_cps.append(n / ref)
        our_cps.append(n / our)
        ext_cps.append(n / ext)
    sec = "Extraction throughput"
    note = f"{runs} × {n_articles} corpus articles, each run on new ones ({chars:,} chars in all)"
    return [
        Figure(sec, "spacy-pkuseg `cut` alone (its own loader)", "chars/s", ref_cps, note=note),
        Figure(sec, "dashiji segmenter `cut` alone (lazy model)", "chars/s", our_cps, note=note),
        Figure(sec, "dashiji extraction, single process", "chars/s", ext_cps, note=note),
        Figure(sec, "extraction / spacy-pkuseg cut", "×", [e / r for e, r in zip(ext_cps, ref_cps, strict=True)],
               ">= 0.7", "ratio of the same run"),
        Figure(sec, "extraction / dashiji segmenter cut", "×", [e / o for e, o in zip(ext_cps, our_cps, strict=True)],
               "", "the pipeline's own floor"),
    ]


# --- workers -----------------------------------------------------------------------------------------
def workers(n_articles: int, runs: int) -> list[Figure]:
    """`dashiji extract --workers 2` against 1 worker on the same file; the outputs must be byte-identical.

    Both run with the same PYTHONHASHSEED: the workers are forked and inherit it, so this compares the
    worker machinery alone. Whether the output is also the same under another hash seed (another process,
    a Dask worker) is checked once and reported beside it.
    """
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in corpus_sample(n_articles)),
                        encoding="utf-8")
        one, two, speedup = [], [], []
        for _ in range(runs):
            t1, out1 = wall([DASHIJI, "extract", "--workers", "1", str(path)], env=env)
            t2, out2 = wall([DASHIJI, "extract", "--workers", "2", str(path)], env=env)
            if out1.stdout != out2.stdout:
                raise AssertionError("extract --workers 2 printed other records than --workers 1")
            one.append(t1)
            two.append(t2)
            speedup.append(t1 / t2)
        _s, other_seed = wall([DASHIJI, "extract", "--workers", "2", str(path)],
                              env={**os.environ, "PYTHONHASHSEED": "6640"})
        stable = other_seed.stdout == out1.stdout
    sec = "Workers"
    note = (f"{n_articles} corpus articles, whole command incl. start-up; outputs byte-identical; "
            f"1-min load average before: {load:.1f} on {os.cpu_count()} cores")
    return [
        Figure(sec, "`extract --workers 1`", "s", one, note=note),
        Figure(sec, "`extract --workers 2`", "s", two, note=note),
        Figure(sec, "speed-up 2 workers / 1", "×", speedup, ">= 1.7", "ratio of the same run"),
        Figure(sec, "same records under another PYTHONHASHSEED", "yes=1", [float(stable)], ">= 1",
               "" if stable else "ingest/entities.py orders places with equal start by set order"),
    ]


# --- start-up ----------------------------------------------------------------------------------------
_PROBE = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["dashiji", *json.loads(sys.argv[1])]
from dashiji.cli import main
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules if m in heavy or m.split(".")[0] in heavy)))
"""


def _embedded_env() -> dict[str, str]:
    """The environment without NEO4J_* (NEO4J_URI would send `dashiji query` to Neo4j instead of --store)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


def loaded_language_modules(args: list[str]) -> list[str]:
    """The language-stack modules a `dashiji ARGS` process has imported by the time it ends."""
    _s, done = wall([PYTHON, "-c", _PROBE, json.dumps(args), json.dumps(HEAVY_MODULES)], env=_embedded_env())
    return list(json.loads(done.stdout.decode().strip().splitlines()[-1]))


def startup(runs: int) -> list[Figure]:
    """Cold `--help`, `query` on the seed page's store, `extract` of the seed page; imports of read-only commands."""
    env = _embedded_env()
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "seed.dashiji")
        wall([DASHIJI, "--store", store, "ingest", "--no-progress", str(SEED)], env=env)
        query = ["--store", store, "query", "person_timeline", "-p", "name=章旭升"]
        help_heavy = loaded_language_modules(["--help"])
        query_heavy = loaded_language_modules(query)
        help_s = [wall([DASHIJI, "--help"], env=env)[0] for _ in range(runs)]
        query_s = [wall([DASHIJI, *query], env=env)[0] for _ in range(runs)]
        extract_s = [wall([DASHIJI, "extract", str(SEED)], env=env)[0] for _ in range(runs)]
    sec = "Start-up"
    return [
        Figure(sec, "language modules imported by `dashiji --help`", "modules", [float(len(help_heavy))] * runs,
               "<= 0", ", ".join(help_heavy) or "none of " + ", ".join(HEAVY_MODULES)),
        Figure(sec, "language modules imported by `dashiji query …`", "modules",
               [float(len(query_heavy))] * runs, "<= 0", ", ".join(query_heavy) or "none"),
        Figure(sec, "cold `dashiji --help`", "s", help_s, note="wall, new process"),
        Figure(sec, "cold `dashiji query person_timeline` (seed page store)", "s", query_s, "< 0.4",
               "wall, new process"),
        Figure(sec, "cold `dashiji extract` of the seed page", "s", extract_s, "< 2",
               "wall, new process, model load included"),
    ]


if __name__ == "__main__":  # python bench/extraction.py throughput N RUNS → the figures as JSON
    if sys.argv[1:2] != ["throughput"]:
        raise SystemExit(f"usage: {PYTHON} bench/extraction.py throughput N RUNS")
    figures = _throughput(int(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps([dataclasses.asdict(f) for f in figures], ensure_ascii=False))
