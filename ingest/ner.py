"""Named entities (PER, LOC, ORG) with the project's own character CRF (trained by `ingest.ner_train`).

The model loads once per process, lazily, on the first call. Long texts are cut into sentences (offsets kept),
so the cost grows linearly with the text. A caller that already segmented the text passes its pkuseg tokens
and the segmenter is not run a second time.

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
    return out
