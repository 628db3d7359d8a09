"""Extraction is deterministic: the same input gives byte-identical records whatever the hash seed."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus" / "official_news.jsonl"


def _extract(inputs: list[Path], seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    cmd = [sys.executable, "-m", "dashiji", "extract", *map(str, inputs)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout


def test_records_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    with CORPUS.open(encoding="utf-8") as f:
        sample.write_text("".join(itertools.islice(f, 300)), encoding="utf-8")
    inputs = [sample, ROOT / "examples"]
    first = _extract(inputs, "1")
    assert first.count("\n") >= 300
    assert _extract(inputs, "2") == first
