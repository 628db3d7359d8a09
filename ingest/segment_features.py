"""spacy-pkuseg's node features for a whole text at once: the same feature indices, in the same order, faster.

spacy-pkuseg's segmenter spends about 90% of its time in its feature extractor (Cython,
`feature_extractor.__get_node_features_idx`): for every character it builds some 80 strings (`c.市`,
`cc1.市.委`, `w1.市委`, `ww.l.南溪*市委`, …) and looks each one up in the model's feature dict. Most of those
strings repeat — within one character (`ww.l.**noWord*市委` is asked up to five times), between neighbours
and between texts — so this module asks each distinct one once and keeps the answer:

- per character: its five one-character features (`c.X`, `c-1.X`, `c1.X`, `c-2.X`, `c2.X`);
- per pair of adjacent characters: the three two-character features (`c-1c.X.Y`, `cc1.X.Y`, `c-2c-1.X.Y`);
- per boundary between two characters: the model's words of 2–6 characters that end just before it and
  those that start just after it decide the word features of both neighbours (`w-1.`, `w1.`, and the 25
  `ww.r.` of the left one and 25 `ww.l.` of the right one), so the boundary's answer is kept under that
  pair of word lists.

`NodeFeatures.of(text)` returns, per character, exactly the list the Cython extractor returns — same
indices, same order, same repeats (the Viterbi scores add the weights up in that order):
tests/ingest/test_segment_features.py compares the two on corpus text.

Why a kept answer stays right for later texts: `ingest.segment.LazyFeatures` fills the feature dict so that,
once a text is required, every feature string built from that text's characters is answered as the full
model answers it; an answer asked for one text is therefore the full model's answer, for any text.

The text is read in the segmenter's keys (`ingest.segment.key_table`: keyword characters renamed, each digit
a NUM_KEY, each full-width letter a LETTER_KEY), one key per character; a text that holds those two
private-use characters itself is the caller's to refuse (`has_private_keys`), since in keys it would read
as digits or letters.
"""

from __future__ import annotations

from typing import Any

NO_WORD = "**noWord"  # spacy-pkuseg's name for "no word of this length here"
WORD_LENGTHS = (6, 5, 4, 3, 2)  # spacy-pkuseg's wordMax..wordMin, longest first, as its extractor loops
# answers kept per table; a full table is emptied (answers never go stale: this only bounds memory, about
# 330 bytes an answer, so ~100 MiB at most; the 2,337 corpus articles ask for ~150,000 distinct ones a table)
MAX_KEPT = 100_000

# one-character and two-character feature prefixes, in the order their answers are stored
_CHAR_PREFIXES = ("c.", "c-1.", "c1.", "c-2.", "c2.")
_PAIR_PREFIXES = ("c-1c.", "cc1.", "c-2c-1.")


class NodeFeatures:
    """The feature index lists of a text's characters over a (lazily filled) feature dict and word list."""

    def __init__(self, feature_to_idx: dict[str, int], unigram: set[str], num_key: str, letter_key: str) -> None:
        # a word slice of the keys is looked up as it is: right as long as no word holds a digit/letter node
        all_words = "\n".join(unigram)
        if any(k in all_words for k in (num_key, letter_key, "**Num", "**Letter")):
            raise ValueError("a word of the segmenter model holds a digit or letter node")
        self._index = feature_to_idx
        self._words = unigram
        self._node_names = {num_key: "**Num", letter_key: "**Letter"}  # what spacy-pkuseg calls those keys
        self._private = (num_key, letter_key)
        # past either end of the text spacy-pkuseg slices "", and "" happens to be in the model's word list
        self._blank = "" if "" in unigram else NO_WORD
        self._chars: dict[str, tuple[Any, ...]] = {}
        self._pairs: dict[str, tuple[Any, ...]] = {}
        self._boundaries: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[list[int], ...]] = {}
        self._two_words: dict[str, tuple[Any, Any]] = {}  # `A*B` → (ww.r.A*B, ww.l.A*B)

    def has_private_keys(self, text: str) -> bool:
        """Whether `text` itself holds NUM_KEY or LETTER_KEY (its keys would be ambiguous)."""
        return any(k in text for k in self._private)

    def of(self, keys: str) -> list[list[int]]:
        """Per character of a text given as its keys: spacy-pkuseg's feature indices for it."""
        n = len(keys)
        # kept answers are looked up inline (a call per character costs as much as the lookup itself);
        # every kept answer is a non-empty tuple, so `or` only computes the missing ones
        kept_char, kept_pair, kept_boundary = self._chars.get, self._pairs.get, self._boundaries.get
        chars = [kept_char(k) or self._char(k) for k in keys]
        pairs = [kept_pair(keys[i : i + 2]) or self._pair(keys[i : i + 2]) for i in range(n - 1)]
        starts, ends = self._word_rows(keys)
        bounds = [kept_boundary(b) or self._boundary(*b) for b in zip(ends, starts, strict=True)]
        out = []
        for i in range(n):
            # the order of __get_node_features_idx: $$ (index 0), c, c-1, c-1c, c1, cc1, c-2, c-2c-1, c2
            f = [0, chars[i][0]]
            if i > 0:
                f += (chars[i - 1][1], pairs[i - 1][0])
            if i + 1 < n:
                f += (chars[i + 1][2], pairs[i][1])
            if i > 1:
                f += (chars[i - 2][3], pairs[i - 2][2])
            if i + 2 < n:
                f.append(chars[i + 2][4])
            f = [x for x in f if x is not None]
            # then w-1 (words ending here), w1 (words starting here), ww.l, ww.r
            after = bounds[i + 1]
            f += after[0]
            f += bounds[i][1]
            f += after[2]
            out.append(f)
        return out

    # --- the kept answers --------------------------------------------------------------------------
    def _char(self, key: str) -> tuple[Any, ...]:
        """The one-character features of a key (None where the model has none), kept."""
        node = self._node_names.get(key, key)
        return _kept(self._chars, key, tuple(self._index.get(p + node) for p in _CHAR_PREFIXES))

    def _pair(self, keys: str) -> tuple[Any, ...]:
        """The two-character features of two adjacent keys (None where the model has none), kept."""
        joined = self._node_names.get(keys[0], keys[0]) + "." + self._node_names.get(keys[1], keys[1])
        return _kept(self._pairs, keys, tuple(self._index.get(p + joined) for p in _PAIR_PREFIXES))

    def _boundary(self, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[list[int], ...]:
        """(w-1 of the left character, w1 + ww.l of the right one, ww.r of the left one), kept."""
        get = self._index.get
        ending = [get("w-1." + w) for w in before if w != NO_WORD]
        right = [get("w1." + w) for w in after if w != NO_WORD]
        left = []
        kept_two = self._two_words.get
        for pre in before:  # pre-major, post-minor, as the extractor's two nested loops
            for post in after:
                two = pre + "*" + post  # mostly `**noWord*…`: the same few strings at many boundaries
                ww_r, ww_l = kept_two(two) or _kept(self._two_words, two, (get("ww.r." + two), get("ww.l." + two)))
                left.append(ww_r)
                right.append(ww_l)
        return _kept(self._boundaries, (before, after), (_present(ending), _present(right), _present(left)))

    def _word_rows(self, keys: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """(starts, ends): starts[s] the words (or NO_WORD) of each length in WORD_LENGTHS beginning at s, for
        s in 0..n; ends[j] those ending at j - 1, for j in 0..n. Past the text's ends spacy-pkuseg sees ""."""
        n = len(keys)
        words = self._words
        starts, ends = [], []
        for length in WORD_LENGTHS:
            inside = max(0, n - length + 1)  # starts whose word of this length fits in the text
            column = [w if w in words else NO_WORD for w in [keys[s : s + length] for s in range(inside)]]
            starts.append(column + [self._blank] * (n + 1 - inside))
            ends.append(([self._blank] * length + column)[: n + 1])
        return list(zip(*starts, strict=True)), list(zip(*ends, strict=True))


def _present(indices: list[Any]) -> list[int]:
    return [x for x in indices if x is not None]


def _kept(table: dict, key: Any, value: Any) -> Any:
    if len(table) >= MAX_KEPT:
        table.clear()
    table[key] = value
    return value
