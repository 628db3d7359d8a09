"""The lazily loaded segmenter cuts exactly as spacy-pkuseg's own loader does, and the converter files every
feature under a pair of characters that stand side by side in any text that can ask for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.model_setup import feature_runs, model_ready, original_segmenter
from ingest.paths import segmenter_model_dir
from ingest.segment import NUM_KEY, VERSION, key_table, pair_code, segmenter, text_pair_codes

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "seed" / "000_ac27911529864ab2.txt"
CORPUS = SHARED / "corpus" / "official_news.jsonl"

# (feature as spacy-pkuseg writes it, the runs of adjacent text characters it is built from)
RUNS = [
    ("$$", []),
    ("c.市", []),
    ("c-1.委", []),
    ("cc1.市.委", [["市", "委"]]),
    ("c-2c-1.**Num.年", [[NUM_KEY, "年"]]),
    ("w1.书记", [["书", "记"]]),
    ("w-1.**Num**Num年", [[NUM_KEY, NUM_KEY, "年"]]),
    ("ww.l.市委*书记", [["市", "委", "书", "记"]]),  # two words side by side: one run across the joint
    ("ww.r.**noWord*书记", [[], ["书", "记"]]),
    ("ww.l.市委***noWord", [["市", "委"], []]),
    ("ww.r.**Num年***Num", [[NUM_KEY, "年", NUM_KEY]]),
]


@pytest.mark.parametrize(("feature", "runs"), RUNS)
def test_feature_runs(feature: str, runs: list[list[str]]) -> None:
    assert feature_runs(feature) == runs


def test_text_pairs_use_the_normalized_characters() -> None:
    codes = set(text_pair_codes("2022年市委").tolist())
    table = key_table()
    assert pair_code(NUM_KEY, "年") in codes and pair_code("市", "委") in codes
    assert table[ord("2")] == NUM_KEY and table[ord(".")] == "&"  # renamed before digits are normalized


def test_model_folder_follows_the_format_version() -> None:
    assert segmenter_model_dir().name.endswith(f"-v{VERSION}")


def _texts(n_articles: int) -> list[str]:
    with open(CORPUS, encoding="utf-8") as fh:
        articles = [json.loads(line)["text"] for _, line in zip(range(n_articles), fh, strict=False)]
    return [SEED.read_text("utf-8"), *articles]


@pytest.mark.slow
def test_same_words_as_spacy_pkuseg_on_the_seed_page_and_200_articles(tmp_path: Path) -> None:
    if not model_ready(segmenter_model_dir()):
        pytest.skip("converted model missing: run python -m ingest.model_setup")
    reference = original_segmenter(tmp_path)  # spacy-pkuseg's loader on the wheel's own files
    ours = segmenter()
    texts = _texts(200)
    assert len(texts) == 201
    for text in texts:
        assert ours.cut(text) == reference.cut(text)
    # the features loaded on demand are a small part of the model
    assert len(ours.features.feature_to_idx) < len(reference.feature_extractor.feature_to_idx) / 2
