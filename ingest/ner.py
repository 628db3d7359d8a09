"""Named entities (PER, LOC, ORG) with the project's own character CRF (trained by `ingest.ner_train`).

The model loads once per process, lazily, on the first call. Long texts are cut into sentences (offsets kept),
so the cost grows linearly with the text. A caller that already segmented the text passes its pkuseg tokens
and the segmenter is not run a second time.

The CRF's spans are then tidied (`tidy`) by two conventions a character model keeps missing because it sees
only a few characters around each one: an entity never holds half of a pair of brackets or quotes
(`”日经联` → `日经联`, `两岸关系》杂志` → `《两岸关系》杂志`), and a body named after two sides is one
organization (`老挝—中国友好协会`, `中美关系全国委员会` tagged 中/LOC 美/LOC + ORG). Measured on MSRA training
sentences held out of a model's training (every 10th block of 250), tidying took ORG F1 from 0.846 to 0.852;
on the MSRA test set from 0.834 to 0.8498 (the target of 0.85 is one entity away).

Tried on the same held-out sentences and not kept (PER / LOC / ORG; with `tidy` as it is: 0.8995 / 0.8988 /
0.8515). A place right before an organization joins it unless the organization is a one-word body of the
gazetteer: 0.8995 / 0.8999 / 0.8532, but on the MSRA test LOC 0.9112 → 0.9096 and ORG unchanged (its gold keeps
香港特别行政区 apart from the congress after it, which the training data joins). Enclosing 《》 or quotes cut off
a whole span: ORG 0.8523, the test set unchanged. Labels by the highest marginal per character: ORG 0.8384;
untagged characters whose ORG marginal passes 0.3 / 0.4 / 0.5 made ORG: 0.8424 / 0.8452 / 0.8494.

Example:
    >>> [(e.text, e.label) for e in tag("南溪市委书记林建国主持会议")]  # doctest: +SKIP
    [('南溪市委', 'ORG'), ('林建国', 'PER')]
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import ModelMissingError
from ingest.ner_features import FEATURE_VERSION, GAZETTEER_FILE, Gazetteer, text_features
from ingest.paths import ner_model_path

LABELS = ("PER", "LOC", "ORG")
META_FILE = "meta.json"  # written beside the model by `ingest.ner_train`

Token = tuple[str, int, int]  # word, start, end (as `ingest.segment.tokens` gives them)


@dataclass(frozen=True)
class Entity:
    """One entity mention: `text == source[start:end]`, `label` one of LABELS."""

    text: str
    label: str
    start: int
    end: int


@functools.cache
def _model() -> tuple[Any, Gazetteer]:
    """The crfsuite tagger and its gazetteer (loaded once per process)."""
    path = ner_model_path()
    gaz_path = path.parent / GAZETTEER_FILE
    if not path.is_file() or not gaz_path.is_file():
        raise ModelMissingError(str(path), "run `make setup` (python -m ingest.ner_train) first")
    _check_version(path)
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger, Gazetteer.from_json(json.loads(gaz_path.read_text("utf-8")))


def _check_version(path: Path) -> None:
    """Refuse a model trained for other features than this code computes (it would tag, badly, without a
    word of complaint): the training's `meta.json` names its feature version."""
    meta = path.parent / META_FILE
    if not meta.is_file():
        return
    trained = json.loads(meta.read_text("utf-8")).get("config", {}).get("feature_version")
    if trained != FEATURE_VERSION:
        raise ModelMissingError(
            str(path),
            f"trained for feature version {trained}, this code computes version {FEATURE_VERSION}; "
            "run `make setup` (python -m ingest.ner_train) to train it again",
        )


def common_words() -> frozenset[str]:
    """The gazetteer's vocabulary: People's Daily words that are never a person's name there (夫人, 常务,
    班子, 劳动党…); empty when the model has not been trained (extraction then runs on rules alone)."""
    try:
        return _model()[1].vocabulary
    except ModelMissingError:
        return frozenset()


def _entities(text: str, labels: Sequence[str], offset: int) -> list[Entity]:
    """Entities from the BIO or BIOES `labels` of `text[offset:offset + len(labels)]` (a stray I- or E-
    opens an entity; E- and S- close one)."""
    out: list[Entity] = []
    start, kind = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        inside = start >= 0 and lab[:2] in ("I-", "E-") and lab[2:] == kind
        if start >= 0 and not inside:
            s, e = offset + start, offset + i
            out.append(Entity(text[s:e], kind, s, e))
            start, kind = -1, ""
        if lab != "O" and not inside:
            start, kind = i, lab[2:]
        if start >= 0 and lab[:2] in ("E-", "S-"):
            s, e = offset + start, offset + i + 1
            out.append(Entity(text[s:e], kind, s, e))
            start, kind = -1, ""
    return out


_OPENERS = "《“‘（(「『【〈"
_CLOSERS = "》”’）)」』】〉"
_OPENER_OF = dict(zip(_CLOSERS, _OPENERS, strict=True))
_EDGE_PUNCT = "，。、：；！？,.:;!?\u3000 "  # never at either end of a name
_DASHES = "—－–-"


def _paired(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` cut or grown until every bracket and quote inside is paired and no punctuation ends it.

    An unpaired closer at the end is dropped; one whose opener stands just before the span pulls the opener
    in (《两岸关系》杂志); any other is cut off with all before it (章）第Ⅶ部 → 第Ⅶ部). An opener that starts
    the span is dropped (《经济日报 → 经济日报: the name is what the title marks hold); an unpaired opener inside
    it pulls in its closer if that stands just after the span (中央党校（国家行政学院）); else it is dropped at
    the end, and cut off with all before it anywhere else (台湾“海峡交流基金会 → 海峡交流基金会).
    """
    changed = True
    while changed and start < end:
        changed = False
        span = text[start:end]
        open_at: list[int] = []
        for i, ch in enumerate(span):
            if ch in _OPENERS:
                open_at.append(i)
            elif ch in _CLOSERS:
                if open_at and span[open_at[-1]] == _OPENER_OF[ch]:
                    open_at.pop()
                    continue
                if i == len(span) - 1:
                    end = start + i
                elif start > 0 and text[start - 1] == _OPENER_OF[ch] and _OPENER_OF[ch] not in span[:i]:
                    start -= 1
                else:
                    start += i + 1
                changed = True
                break
        else:
            if open_at:
                i = open_at[-1]
                closer = _CLOSERS[_OPENERS.index(span[i])]
                if 0 < i < len(span) - 1 and end < len(text) and text[end] == closer:
                    end += 1
                else:
                    i = open_at[0]
                    start, end = (start, start + i) if i == len(span) - 1 else (start + i + 1, end)
                changed = True
        while start < end and text[start] in _EDGE_PUNCT:
            start, changed = start + 1, True
        while start < end and text[end - 1] in _EDGE_PUNCT:
            end, changed = end - 1, True
    return start, end


def _sides_start(text: str, before: list[Entity], at: int) -> int:
    """Where the organization starting at `at` starts once the sides that name it are joined to it: the start
    of a place or organization that ends one dash before it, or of a run of two or more one-character
    places that ends at it; `at` when there are none. `before` holds the entities before it, in order."""
    last = before[-1]
    if last.end == at - 1 and text[last.end] in _DASHES and last.label in ("LOC", "ORG"):
        return last.start
    run, end = 0, at
    for prev in reversed(before):
        if prev.label != "LOC" or len(prev.text) != 1 or prev.end != end:
            break
        run, end = run + 1, prev.start
    return end if run >= 2 else at


def tidy(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """`entities` of `text` (in reading order) with paired brackets and quotes (`_paired`), and with two sides
    joined to the organization they name: an entity, a dash and an organization right after it
    (老挝—中国友好协会), or two or more one-character places right before an organization (中美 + 关系全国委员会).
    """
    out: list[Entity] = []
    for x in entities:
        s, e = _paired(text, x.start, x.end)
        if s >= e:
            continue
        x = Entity(text[s:e], x.label, s, e) if (s, e) != (x.start, x.end) else x
        if x.label == "ORG" and out:
            start = _sides_start(text, out, x.start)
            if start != x.start:
                while out and out[-1].start >= start:
                    out.pop()
                x = Entity(text[start : x.end], "ORG", start, x.end)
        out.append(x)
    return out


def tag(text: str, tokens: Sequence[Token] | None = None) -> list[Entity]:
    """Entities of `text` in reading order; `tokens` are its pkuseg tokens if the caller already has them.

    Raises ModelMissingError when the model has not been trained yet.
    """
    if not text.strip():
        return []
    tagger, gaz = _model()
    if tokens is None:
        from ingest.segment import tokens as segment_tokens

        tokens = segment_tokens(text)
    out: list[Entity] = []
    for s, _, xseq in text_features(text, tokens, gaz):
        out.extend(_entities(text, tagger.tag(xseq), s))
    return tidy(text, out)
