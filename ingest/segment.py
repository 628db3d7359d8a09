"""Word segmentation with spacy-pkuseg on the pkuseg `default` model, loaded lazily so that a cold start is fast.

spacy-pkuseg's own loader reads the whole model before the first word: 2.6 million feature strings into one
Python dict (about 2.5 s) and 105 MB of weights. This module builds the same segmenter in well under a
second, and its output is the same, word for word (tests/scale/test_segment_identity.py checks it against
spacy-pkuseg's loader on the seed page and 200 corpus articles):

- the weights are a raw `.npy` file, memory-mapped (pages are read when a feature's row is used);
- the feature → index map is filled *on demand*. spacy-pkuseg's feature extractor (Cython, unchanged) asks,
  for each character, whether strings such as `cc1.市.委` or `ww.l.市委*书记` are features. Every such string
  is built from characters that stand next to each other in the text, so the setup filed each feature under
  one such adjacent pair (`ingest.model_setup`). Before a text is cut, the features filed under the text's
  own pairs (and a small set of single-character features, read at load) are added to the dict. The dict
  then holds every feature the extractor can ask about for that text, with the original index, so the
  scores, the Viterbi path and the words are exactly spacy-pkuseg's. The dict only grows.

No pickle is read at run time, and spacy-pkuseg's pickled user dictionary stays off (`user_dict=None`).

spacy-pkuseg's Viterbi decoder is used as it is; the feature indices it sums come from
`ingest.segment_features`, which gives the same lists as spacy-pkuseg's per-character extractor without
building and looking up the same strings again and again (the extractor was 90% of the cutting time).

Files of the converted model (`segmenter_model_dir()`, written by `python -m ingest.model_setup`):

    meta.json            format, version, n_tag, n_feature, tag_to_idx, rows of the always-loaded part
    unigram.txt          the model's word list, one per line (read at load: 116k words, a few ms)
    features.txt         every feature string followed by a newline, grouped by pair
    feature_offsets.npy  byte offset of each feature in features.txt (+ the end), uint32
    feature_ids.npy      spacy-pkuseg's index of each feature, int32
    pair_keys.npy        the sorted pair codes (`pair_code`), uint64
    pair_starts.npy      first feature row of each pair (+ the end), int64
    weights.npy          the CRF weights, float64 (spacy-pkuseg's `w`)

Example:
    >>> words("市委书记章旭升作开班动员")[:3]  # doctest: +SKIP
    ['市委', '书记', '章旭升']
"""

from __future__ import annotations

import functools
import json
import mmap
import threading
from pathlib import Path
from typing import Any

from ingest.errors import ModelMissingError
from ingest.paths import segmenter_model_dir
from ingest.segment_features import NodeFeatures

Token = tuple[str, int, int]  # word, start, end

FORMAT = "dashiji-pkuseg-lazy"
VERSION = 2  # bump with the file layout; ingest.paths names the model folder after it
NUM_KEY, LETTER_KEY = "\ue000", "\ue001"  # what "**Num" / "**Letter" nodes are written as in pair codes
MODEL_FILES = (
    "meta.json", "unigram.txt", "features.txt", "feature_offsets.npy", "feature_ids.npy",
    "pair_keys.npy", "pair_starts.npy", "weights.npy",
)


# --- small pure helpers ----------------------------------------------------------------------------
def pair_code(left: str, right: str) -> int:
    """The code of two adjacent key characters (code points are < 2**21)."""
    return (ord(left) << 21) | ord(right)


@functools.cache
def key_table() -> dict[int, str]:
    """`str.translate` table giving each character the key spacy-pkuseg's normalization gives it.

    spacy-pkuseg renames `-._,|/*:` to `&`, then turns digits into the node `**Num` and full-width letters
    into `**Letter`; here those two become one private-use character each, so one text character is one key.
    """
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    table = {ord(ch): "&" for ch in FeatureExtractor.keywords}
    for ch in FeatureExtractor.num:
        table.setdefault(ord(ch), NUM_KEY)
    for ch in FeatureExtractor.letter:
        table.setdefault(ord(ch), LETTER_KEY)
    return table


def text_pair_codes(text: str) -> Any:
    """The distinct codes of the adjacent key pairs of `text` (a sorted numpy uint64 array)."""
    import numpy as np

    keys = np.frombuffer(text.translate(key_table()).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    return np.unique((keys[:-1] << np.uint64(21)) | keys[1:])


# --- the lazily filled feature map -----------------------------------------------------------------
class LazyFeatures:
    """The model's feature → index map, filled per text with the features its character pairs can ask for.

    `extractor` is a spacy-pkuseg `FeatureExtractor` whose `feature_to_idx` is this growing dict.
    """

    def __init__(self, model_dir: Path) -> None:
        import numpy as np
        from spacy_pkuseg.feature_extractor import FeatureExtractor

        meta = json.loads((model_dir / "meta.json").read_text("utf-8"))
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ModelMissingError(str(model_dir), "has an old format: run `python -m ingest.model_setup`")
        self.meta = meta
        with open(model_dir / "features.txt", "rb") as fh:
            self._blob = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        # plain ndarray views of the mapped files (np.memmap's own indexing is slow in a loop)
        self._offsets, self._ids, self._keys, self._starts = (
            np.load(model_dir / name, mmap_mode="r").view(np.ndarray)
            for name in ("feature_offsets.npy", "feature_ids.npy", "pair_keys.npy", "pair_starts.npy")
        )
        self._loaded = np.zeros(len(self._keys), dtype=bool)
        self._lock = threading.Lock()
        self.feature_to_idx: dict[str, int] = {}
        self._add_rows(0, int(meta["always_rows"]), 0, int(self._offsets[meta["always_rows"]]))

        extractor = FeatureExtractor.__new__(FeatureExtractor)
        extractor.unigram = set((model_dir / "unigram.txt").read_text("utf-8").split("\n")[:-1])
        extractor.bigram = set()  # only training reads it
        extractor.feature_to_idx = self.feature_to_idx
        extractor.tag_to_idx = dict(meta["tag_to_idx"])
        self.extractor = extractor

    def _add_rows(self, first: int, end: int, first_byte: int, end_byte: int) -> None:
        """Add feature rows [first, end), stored at bytes [first_byte, end_byte) of features.txt."""
        names = self._blob[first_byte:end_byte].decode("utf-8").split("\n")[:-1]
        self.feature_to_idx.update(zip(names, self._ids[first:end].tolist(), strict=True))

    def require(self, text: str) -> None:
        """Make sure every feature the extractor can ask about while cutting `text` is in the dict."""
        found = self._found(text_pair_codes(text))
        with self._lock:
            new = found[~self._loaded[found]]
            firsts, ends = self._starts[new], self._starts[new + 1]
            spans = zip(firsts.tolist(), ends.tolist(), self._offsets[firsts].tolist(),
                        self._offsets[ends].tolist(), strict=True)
            for first, end, first_byte, end_byte in spans:
                self._add_rows(first, end, first_byte, end_byte)
            self._loaded[new] = True  # only after the rows are in: another thread may be waiting on them

    def _found(self, codes: Any) -> Any:
        """Indices into `pair_keys` of the codes that are keys."""
        import numpy as np

        at = np.searchsorted(self._keys, codes)
        inside = at < len(self._keys)
        at, codes = at[inside], codes[inside]
        return at[self._keys[at] == codes]


# --- the segmenter ---------------------------------------------------------------------------------
class Segmenter:
    """spacy-pkuseg's `pkuseg` (its model and Viterbi decoder) over the lazily loaded model, fed the node
    features of `ingest.segment_features`."""

    def __init__(self, model_dir: Path) -> None:
        import numpy as np
        import spacy_pkuseg
        from spacy_pkuseg.inference import decodeViterbi_fast
        from spacy_pkuseg.model import Model

        self.features = LazyFeatures(model_dir)
        meta = self.features.meta
        model = Model.__new__(Model)
        model.n_tag, model.n_feature = int(meta["n_tag"]), int(meta["n_feature"])
        model.n_transition_feature = model.n_tag * (model.n_feature + model.n_tag)
        model.w = np.load(model_dir / "weights.npy", mmap_mode="c")  # Cython asks for a writable buffer
        if model.w.shape != (model.n_transition_feature,):
            raise ModelMissingError(str(model_dir), "weights do not fit the features: rerun the setup")

        # What spacy_pkuseg.pkuseg.__init__ sets up for `user_dict=None, postag=False`, without its loader.
        seg = spacy_pkuseg.pkuseg.__new__(spacy_pkuseg.pkuseg)
        seg.postag = False
        seg.preprocesser = spacy_pkuseg.Preprocesser(None)
        seg.postprocesser = spacy_pkuseg.Postprocesser(None, None)
        seg.feature_extractor = self.features.extractor
        seg.model = model
        seg.idx_to_tag = {idx: tag for tag, idx in self.features.extractor.tag_to_idx.items()}
        seg.n_feature, seg.n_tag = model.n_feature, model.n_tag
        self._pkuseg = seg
        self._nodes = NodeFeatures(self.features.feature_to_idx, self.features.extractor.unigram,
                                   NUM_KEY, LETTER_KEY)
        self._begins = {idx for idx, tag in seg.idx_to_tag.items() if "B" in tag}  # tags that open a word
        self._viterbi = decodeViterbi_fast

    def cut(self, text: str) -> list[str]:
        """spacy-pkuseg's `cut(text)`: the words, white space dropped.

        The same steps as spacy-pkuseg's `cut` with no user dictionary, less two per-character passes that
        change nothing then (the empty dictionary's walk, the post-processor that is off) and with the node
        features of `ingest.segment_features` instead of its per-character extractor (the same features, two to
        three times faster): each white-space-separated piece is cut on its own.
        """
        self.features.require(text)
        words: list[str] = []
        for piece in text.split():
            words += self._cut_piece(piece)
        return words

    def _cut_piece(self, piece: str) -> list[str]:
        """spacy-pkuseg's `_cut` of one piece without white space: a tag with a `B` in its name opens a word."""
        if self._nodes.has_private_keys(piece):  # its keys would be ambiguous: spacy-pkuseg's own extractor
            return list(self._pkuseg._cut(piece))
        _score, tags = self._viterbi(self._nodes.of(piece.translate(key_table())), self._pkuseg.model)
        words, start = [], 0
        for i, tag in enumerate(tags):
            if i and tag in self._begins:
                words.append(piece[start:i])
                start = i
        words.append(piece[start:])
        return words


@functools.cache
def segmenter() -> Segmenter:
    """The loaded segmenter (once per process, on first use)."""
    model_dir = segmenter_model_dir()
    if not all((model_dir / name).is_file() for name in MODEL_FILES):
        raise ModelMissingError(str(model_dir), "run `make setup` (python -m ingest.model_setup) first")
    return Segmenter(model_dir)


# --- entry points ----------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """Segment `text` into words (white space is dropped by the segmenter)."""
    if not text.strip():
        return []
    return segmenter().cut(text)


def tokens(text: str) -> list[Token]:
    """Segment `text` and give each word its character offsets in `text`."""
    out: list[Token] = []
    pos = 0
    for w in words(text):
        start = text.find(w, pos)
        if start < 0:  # the segmenter normalized something; fall back to the running position
            start = pos
        end = start + len(w)
        out.append((w, start, end))
        pos = end
    return out
