"""`ingest.segment_features` gives, per character, exactly the feature index list of spacy-pkuseg's own
(Cython) extractor — same indices, order and repeats — on real corpus text, before and after its answers
are kept, and on the edge cases of short pieces, digits, letters and renamed keyword characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.segment import LETTER_KEY, NUM_KEY, key_table, segmenter
from ingest.segment_features import MAX_KEPT, NodeFeatures

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus" / "official_news.jsonl"
SEED = ROOT / ".." / "shared" / "seed" / "000_ac27911529864ab2.txt"

EDGE_PIECES = [
    "一", "市委", "南溪市", "市委书记", "中共南溪市委", "南溪市委书记林", "2024年3月5日", "１２３年ＡＢＣ",
    "12.5%", "3-4月", "a/b*c:d|e,f_g", "ＧＤＰ增长５.２％", "“十四五”规划", "习近平新时代中国特色社会主义思想",
]


def _reference(piece: str) -> list[list[int]]:
    """What spacy-pkuseg's `_cut` gives the Viterbi decoder for `piece`."""
    extractor = segmenter().features.extractor
    nodes = list(extractor.normalize_text(piece))
    return [extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]


def _pieces(n_articles: int) -> list[str]:
    with CORPUS.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(n_articles), fh, strict=False)]
    return [piece for text in [SEED.read_text("utf-8"), *texts, *EDGE_PIECES] for piece in text.split()]


def _fresh() -> NodeFeatures:
    """A NodeFeatures with nothing kept yet, over the process's segmenter model."""
    seg = segmenter()
    return NodeFeatures(seg.features.feature_to_idx, seg.features.extractor.unigram, NUM_KEY, LETTER_KEY)


def test_same_features_as_spacy_pkuseg_extractor_cold_and_warm() -> None:
    pieces = _pieces(60)
    seg = segmenter()
    for piece in pieces:
        seg.features.require(piece)  # what `Segmenter.cut` does first
    nodes = _fresh()
    for _ in range(2):  # the first pass computes every answer, the second reads them back
        for piece in pieces:
            assert nodes.of(piece.translate(key_table())) == _reference(piece), piece


def test_a_full_table_is_emptied_and_answers_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.segment_features as sf

    pieces = _pieces(5)
    for piece in pieces:
        segmenter().features.require(piece)
    monkeypatch.setattr(sf, "MAX_KEPT", 50)  # small tables: emptied many times over these pieces
    nodes = _fresh()
    for piece in pieces:
        assert nodes.of(piece.translate(key_table())) == _reference(piece), piece
    assert max(len(nodes._chars), len(nodes._pairs), len(nodes._boundaries)) <= 50 < MAX_KEPT


def test_text_with_the_private_keys_is_cut_by_spacy_pkusegs_own_extractor() -> None:
    seg = segmenter()
    text = f"南溪市委{NUM_KEY}书记{LETTER_KEY}林建国 主持会议"
    assert seg._nodes.has_private_keys(text) and not seg._nodes.has_private_keys("南溪市委书记")
    seg.features.require(text)
    assert seg.cut(text) == list(seg._pkuseg.cut(text))
