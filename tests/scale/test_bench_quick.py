"""The benchmark suite runs end to end at its smoke sizes and writes every section's table.

Only the shape of the report is checked: quick sizes say nothing about the targets (bench/RESULTS.md does).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("## Extraction throughput", "## Workers", "## Start-up", "## Embedded store at scale",
            "## Targets not met")


@pytest.mark.slow
def test_quick_suite_writes_every_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    subprocess.run([sys.executable, "bench/run.py", "--quick", "--no-neo4j", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    report = out.read_text("utf-8")
    for heading in SECTIONS:
        assert heading in report
    assert "| extraction / spacy-pkuseg cut |" in report
    assert "| speed-up 2 workers / 1 |" in report
    assert "| language modules imported by `dashiji query …` | 0 | 0 | 0 |" in report
    assert "person_timeline p95 t(1,000)/t(300)" in report
    assert "Neo4j" not in report
