"""Character features for the CRF entity recognizer, shared by training (`ner_train`) and tagging (`ner`).

Each character of a sentence becomes a list of string features: the characters around it (uni-, bi- and
trigrams in a ±2 window), the pkuseg word it sits in (its position B/M/E/S; the word itself when it is a
common word, else only its length; the words on either side and their last characters) and gazetteer flags:
surname, a name cue (书记) just before, a name follower (同志) 1–3 characters after, a known one-word body.
The gazetteers are derived from the training corpus and stored beside the model as JSON.

Text is normalized one character for one character before features are taken (full-width ASCII to ASCII,
digits to `0`, Latin letters to `A`/`a`), so offsets never move.

Example:
    >>> sentence_spans("他来了。你呢？好")
    [(0, 4), (4, 7), (7, 8)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

FEATURE_VERSION = 7  # bump whenever the features below change: the training-config hash follows it
GAZETTEER_FILE = "gazetteer.json"  # beside the crfsuite model

MAX_SENTENCE = 160  # longer sentences are cut at a comma (or hard) so tagging cost stays linear
MAX_WORD_FEATURE = 4  # a pkuseg word longer than this is not used as a feature itself
HEAD_REACH = 8  # how far ahead (characters) the end of an organization head is seen
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+[”’」』）)]*")
_SOFT_BREAK = re.compile(r"[，,、：:]")
_PAD = ("^", "^")
_PAD_END = ("$", "$")
_WORD_PAD = "<s>"
_WORD_PAD_END = "</s>"
_DISTANCES = [str(d) for d in range(HEAD_REACH)]


def _build_normalizer() -> dict[int, str]:
    """One-to-one character map: full-width ASCII → ASCII, every digit → 0, Latin letters → A / a."""
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for ch in "0123456789０１２３４５６７８９":
        table[ord(ch)] = "0"
    for lo, up in zip("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=True):
        table[ord(lo)] = table[ord(chr(ord(lo) + 0xFEE0))] = "a"
        table[ord(up)] = table[ord(chr(ord(up) + 0xFEE0))] = "A"
    return table


_NORMALIZER = _build_normalizer()


@dataclass(frozen=True)
class Gazetteer:
    """Word lists learned from the training corpus (saved as JSON beside the model)."""

    surnames: frozenset[str] = field(default_factory=frozenset)  # 王, 欧阳, …
    name_cues: frozenset[str] = field(default_factory=frozenset)  # words often before a name: 书记
    name_followers: frozenset[str] = field(default_factory=frozenset)  # words often after a name: 同志
    # words common enough to be features themselves; any other word (most names) shows only its length,
    # so that the model learns what names look like instead of remembering the training corpus's names
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    org_words: frozenset[str] = field(default_factory=frozenset)  # one-word bodies: 国务院, 民进, 外交部
    # endings that mostly close an organization name in the training data: 委员会, 政府, 大学, 公司 …
    org_heads: frozenset[str] = field(default_factory=frozenset)

    def to_json(self) -> dict[str, list[str]]:
        return {key: sorted(getattr(self, key)) for key in _GAZETTEER_KEYS}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> Gazetteer:
        return cls(*(frozenset(data.get(key, ())) for key in _GAZETTEER_KEYS))


_GAZETTEER_KEYS = ("surnames", "name_cues", "name_followers", "vocabulary", "org_words", "org_heads")


def normalize(text: str) -> str:
    """`text` with the one-to-one character normalization applied (same length)."""
    return text.translate(_NORMALIZER)


def sentence_spans(text: str, limit: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """`[start, end)` spans covering `text`, cut after sentence punctuation and kept under `limit` chars."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.extend(_cut_long(text, start, m.end(), limit))
        start = m.end()
    if start < len(text):
        spans.extend(_cut_long(text, start, len(text), limit))
    return spans


def _cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split `text[start:end]` at soft breaks (or hard, as a last resort) into pieces of at most `limit`."""
    out: list[tuple[int, int]] = []
    while end - start > limit:
        cut = max((m.end() for m in _SOFT_BREAK.finditer(text, start + limit // 4, start + limit)), default=0)
        if cut <= start:
            cut = start + limit
        out.append((start, cut))
        start = cut
    if end > start:
        out.append((start, end))
    return out


def word_columns(
    text: str, words: Sequence[tuple[str, int, int]], vocabulary: frozenset[str] | None = None
) -> tuple[list[str], list[tuple[str, ...]]]:
    """Per character of `text`: its position in its word (B/M/E/S) and the word features it shares with the
    other characters of that word: the word (`w=`), the previous and next words and their last characters.

    `words` are (word, start, end) tokens in `text`; characters no token covers count as one-char words.
    With a `vocabulary`, a word outside it is shown as `#<length>`. The features are built once per word.
    """
    norm = normalize(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for _, s, e in words:
        if s < pos or e <= s:  # overlapping or empty token: ignore it
            continue
        spans.extend((i, i + 1) for i in range(pos, s))
        spans.append((s, min(e, len(text))))
        pos = e
    spans.extend((i, i + 1) for i in range(pos, len(text)))
    features: list[tuple[str, ...]] = []
    wordpos: list[str] = []
    surface = [norm[s:e] for s, e in spans]
    shown = [w if len(w) <= MAX_WORD_FEATURE else "#" + w[-2:] for w in surface]
    for k, (s, e) in enumerate(spans):
        n = e - s
        prev_w = shown[k - 1] if k > 0 else _WORD_PAD
        next_w = shown[k + 1] if k + 1 < len(shown) else _WORD_PAD_END
        word = shown[k] if vocabulary is None or surface[k] in vocabulary else f"#{n}"
        shared = ("w=" + word, "wl=" + prev_w, "wr=" + next_w, "wle=" + prev_w[-1], "wre=" + next_w[-1])
        features.extend([shared] * n)
        wordpos.extend(["S"] if n == 1 else ["B"] + ["M"] * (n - 2) + ["E"])
    return wordpos, features


def cue_columns(norm: str, gaz: Gazetteer) -> tuple[list[str], list[str]]:
    """Per character of `norm`: `C` if a name cue (书记) ends right before it, and the distance 1–3 to the
    nearest name follower (同志) after it (`-` when none), whatever pkuseg made of the words."""
    n = len(norm)
    cue_end = [False] * (n + 1)  # cue_end[j]: a cue ends just before position j
    follower_at = [False] * (n + 4)  # follower_at[j]: a follower starts at position j
    cues, followers = gaz.name_cues, gaz.name_followers
    for j in range(n):
        for k in range(1, min(4, n - j) + 1):
            piece = norm[j : j + k]
            if piece in cues:
                cue_end[j + k] = True
            if piece in followers:
                follower_at[j] = True
    before = ["C" if cue_end[i] else "-" for i in range(n)]
    after = [
        "1" if follower_at[i + 1] else "2" if follower_at[i + 2] else "3" if follower_at[i + 3] else "-"
        for i in range(n)
    ]
    return before, after


def lexicon_column(norm: str, words: Sequence[tuple[str, int, int]], lexicon: frozenset[str]) -> list[str]:
    """Per character of `norm`: `O` when the pkuseg word it sits in is in `lexicon`, else `-`."""
    column = ["-"] * len(norm)
    for _, s, e in words:
        if norm[s:e] in lexicon:
            column[s:e] = ["O"] * (e - s)
    return column


def head_column(norm: str, heads: frozenset[str], reach: int = HEAD_REACH) -> list[str]:
    """Per character of `norm`: how far on (`0` … `reach - 1` characters) the nearest organization head ends
    (`-` when none is that close). A long name (中华人民共和国外交部) is thus seen whole from its first character,
    beyond the ±2 character window. Only the characters that can end a head are looked at."""
    column = ["-"] * len(norm)
    done = 0  # the characters before `done` have their distance
    for m in _final_chars(heads).finditer(norm):
        j = m.start()
        if norm[j] in heads or norm[max(j - 1, 0) : j + 1] in heads or norm[max(j - 2, 0) : j + 1] in heads:
            for i in range(max(done, j - reach + 1), j + 1):
                column[i] = _DISTANCES[j - i]
            done = j + 1
    return column


@functools.lru_cache(maxsize=8)
def _final_chars(heads: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching any last character of a head (never matches when there are no heads)."""
    finals = sorted({h[-1] for h in heads})
    return re.compile("[" + re.escape("".join(finals)) + "]" if finals else "(?!)")


def sentence_features(
    norm: str,
    wordpos: Sequence[str],
    word_features: Sequence[tuple[str, ...]],
    before: Sequence[str],
    after: Sequence[str],
    known_org: Sequence[str],
    head: Sequence[str],
    gaz: Gazetteer,
) -> list[list[str]]:
    """The CRF feature lists, one per character of the (normalized) sentence `norm`.

    The column arguments are this sentence's slices of `word_columns`, `cue_columns`, `lexicon_column` and
    `head_column`.
    """
    c = (*_PAD, *norm, *_PAD_END)
    sur = ["S" if x in gaz.surnames else "-" for x in c]
    return [
        [
            "c=" + c[i + 2],
            "l=" + c[i + 1],
            "r=" + c[i + 3],
            "lc=" + c[i + 1] + c[i + 2],
            "cr=" + c[i + 2] + c[i + 3],
            "ll2=" + c[i] + c[i + 1],
            "rr2=" + c[i + 3] + c[i + 4],
            "lcr=" + c[i + 1] + c[i + 2] + c[i + 3],
            "p=" + wordpos[i],
            "pc=" + wordpos[i] + c[i + 2],
            *word_features[i],
            "g=" + sur[i + 2] + before[i] + wordpos[i],
            "gf=" + sur[i + 2] + after[i],
            "gl=" + before[i] + sur[i + 1] + after[i],
            "o=" + known_org[i] + wordpos[i],
            "h=" + head[i],
            "hp=" + head[i] + wordpos[i],
        ]
        for i in range(len(norm))
    ]


def text_features(
    text: str, words: Sequence[tuple[str, int, int]], gaz: Gazetteer
) -> Iterator[tuple[int, int, list[list[str]]]]:
    """(start, end, CRF features) for each non-blank sentence of `text`, given its pkuseg `words`."""
    wordpos, word_features = word_columns(text, words, gaz.vocabulary)
    norm = normalize(text)
    before, after = cue_columns(norm, gaz)
    known_org = lexicon_column(norm, words, gaz.org_words)
    for s, e in sentence_spans(text):
        if norm[s:e].strip():
            head = head_column(norm[s:e], gaz.org_heads)
            yield s, e, sentence_features(
                norm[s:e], wordpos[s:e], word_features[s:e], before[s:e], after[s:e], known_org[s:e], head, gaz
            )
