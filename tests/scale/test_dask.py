"""Extraction on a real Dask cluster (scheduler and two worker processes on loopback) gives the records of one
process, in the same order, and each worker loads the segmenter once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parallel import extract_all

distributed = pytest.importorskip("distributed", reason="needs the dask extra: pip install -c constraints.txt '.[dask]'")

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus" / "official_news.jsonl"


def _inputs(tmp_path: Path, n_articles: int = 40) -> list[str]:
    """examples/ (a page and a JSON Lines file) and the first `n_articles` of the corpus."""
    lines = CORPUS.read_text("utf-8").splitlines(keepends=True)[:n_articles]
    part = tmp_path / "corpus-part.jsonl"
    part.write_text("".join(lines), encoding="utf-8")
    return [str(ROOT / "examples"), str(part)]


def _segmenter_loads() -> int:
    """How often this worker process has loaded the segmenter (run on each worker)."""
    from ingest.segment import segmenter

    return segmenter.cache_info().misses


def _as_json(items: list) -> list[str]:
    return [x.to_json() if hasattr(x, "to_json") else repr(x) for x in items]


@pytest.mark.slow
def test_dask_cluster_gives_the_records_of_one_process(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    local = _as_json(list(extract_all(paths)))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        on_dask = _as_json(list(extract_all(paths, dask_address=cluster.scheduler_address)))
        with distributed.Client(cluster.scheduler_address) as client:
            loads = client.run(_segmenter_loads)
    assert len(local) > 40
    assert on_dask == local
    assert len(loads) == 2
    assert all(n <= 1 for n in loads.values()) and sum(loads.values()) >= 1
