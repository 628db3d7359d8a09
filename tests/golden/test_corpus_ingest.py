"""The whole 2,005-article corpus goes into the embedded store without a failure, and a rerun adds nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus" / "official_news.jsonl"


def _ingest(store: Path) -> list[str]:
    res = subprocess.run(
        [sys.executable, "-m", "dashiji", "--store", str(store), "ingest", str(CORPUS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return res.stdout.splitlines()


@pytest.mark.slow
def test_whole_corpus_ingests_and_a_rerun_adds_nothing(tmp_path: Path) -> None:
    store = tmp_path / "corpus.dashiji"
    first = _ingest(store)
    assert first[0] == "2005 articles read, 2005 written, 0 unchanged, 0 failed"
    second = _ingest(store)
    assert second[0] == "2005 articles read, 0 written, 2005 unchanged, 0 failed"
    assert second[1] == first[1]  # identical node and edge counts
    counts = dict(part.rsplit(" ", 1) for part in first[1].removeprefix("graph: ").split(", "))
    assert int(counts["Article"]) == 2005
    assert int(counts["Event"]) > 2000 and int(counts["Person"]) > 1000
