"""Memory stays bounded on huge inputs: the peak RSS of the `dashiji` process is measured (os.wait4 gives
the resource usage of that one child).

- A 20 MB page (.txt, .html) is refused before it is read; as one JSON line it is read (one line) and then
  refused as too long to extract. Each run stays far below 1.5 GiB.
- A JSON Lines corpus is streamed: `extract` on 100,000 lines peaks no higher than on 10,000 lines. One line
  in twenty is a short good article and the others are bad (no text, or cut short), so that the 100,000-line
  run takes seconds: 100,000 good articles take some 30 s of extraction on one core, too long for this
  suite, and what is measured is the reading, which is the same for good and bad lines.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .synthetic import ROOT, cli, cli_env

GiB = 2**30
MiB = 2**20
GOOD_EVERY = 20  # one line in GOOD_EVERY of the big corpus is a good article
ARTICLE = "3月5日上午，南溪市委召开常委会会议。市委书记林建国主持会议并讲话，副市长周晓梅出席。"


def run_measured(args: list[str], tmp_path: Path) -> tuple[int, int, Path, Path]:
    """(exit code, peak RSS in bytes, stdout file, stderr file) of `python -m dashiji ARGS`."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(cli(*args), stdout=stdout, stderr=stderr, cwd=ROOT, env=cli_env())
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
    return proc.returncode, usage.ru_maxrss * 1024, out, err  # ru_maxrss is in KiB on Linux


def _write_big(path: Path, size: int) -> None:
    one = f"南溪要闻\n{ARTICLE}\n"
    with path.open("w", encoding="utf-8") as out:
        if path.suffix == ".html":
            out.write("<html><body>")
        count = size // len(one.encode()) + 1
        if path.suffix == ".jsonl":
            text = one * count
            out.write(
                json.dumps({"id": "huge", "date": "2024-03-05", "text": text}, ensure_ascii=False) + "\n"
            )
        else:
            for _ in range(count):
                out.write(f"<p>{one}</p>" if path.suffix == ".html" else one)


@pytest.mark.parametrize("name", ["huge.txt", "huge.html", "huge.jsonl"])
def test_a_20_mb_page_stays_bounded(tmp_path: Path, name: str) -> None:
    page = tmp_path / name
    _write_big(page, 20 * MiB)
    assert page.stat().st_size >= 20 * MiB
    for command in (["extract", str(page)], ["--store", str(tmp_path / "g.dashiji"), "ingest", str(page)]):
        code, peak, _out, err = run_measured(command, tmp_path)
        assert code == 2
        errors = [line for line in err.read_text().splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and name in errors[0]
        assert ("too large for one page" if name != "huge.jsonl" else "too long to extract") in errors[0]
        assert peak < 1.5 * GiB, f"{command[0]} peaked at {peak / MiB:.0f} MiB"


def _write_corpus(path: Path, lines: int) -> None:
    """One short good article in twenty lines; the other lines lack a text or are cut short."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if i % GOOD_EVERY == 0:
                text = f"3月5日，南溪市委召开第{i}次常委会会议。市委书记林建国主持。"
                out.write(
                    json.dumps({"id": f"n-{i}", "date": "2024-03-05", "text": text}, ensure_ascii=False)
                )
            elif i % 2:
                out.write(json.dumps({"id": f"n-{i}", "title": "只有标题"}, ensure_ascii=False))
            else:
                out.write(f'{{"id": "n-{i}", "text": "3月5日，南溪')
            out.write("\n")


def test_a_100k_line_corpus_is_streamed(tmp_path: Path) -> None:
    peaks = {}
    for lines in (10_000, 100_000):
        corpus = tmp_path / f"corpus-{lines}.jsonl"
        _write_corpus(corpus, lines)
        code, peaks[lines], out, err = run_measured(["extract", str(corpus)], tmp_path)
        assert code == 2
        with out.open(encoding="utf-8") as records:
            assert sum(1 for _ in records) == lines // GOOD_EVERY  # every good article came out
        assert err.read_text().splitlines()[-1] == (
            f"{lines // GOOD_EVERY} records extracted, {lines - lines // GOOD_EVERY} input item(s) failed"
        )
    grown = peaks[100_000] - peaks[10_000]
    assert grown < 8 * MiB, f"peak RSS grew by {grown / MiB:.1f} MiB from 10k to 100k lines ({peaks})"
    assert peaks[100_000] < 1.5 * GiB
