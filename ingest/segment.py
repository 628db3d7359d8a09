"""Word segmentation with spacy-pkuseg, on the pkuseg `default` model converted by the setup.

The model loads once per process, lazily, on the first call (read-only commands never reach this module).
No pickle is read at run time: the setup converted `features.pkl` to msgpack, and pkuseg's own pickled
user dictionary is switched off (`user_dict=None`).

Example:
    >>> words("市委书记章旭升作开班动员")[:3]  # doctest: +SKIP
    ['市委', '书记', '章旭升']
"""

from __future__ import annotations

import contextlib
import functools
import io
from typing import Any

from ingest.errors import ModelMissingError
from ingest.paths import segmenter_model_dir

Token = tuple[str, int, int]  # word, start, end


@functools.cache
def segmenter() -> Any:
    """The loaded spacy-pkuseg segmenter (cached for the life of the process)."""
    model_dir = segmenter_model_dir()
    if not (model_dir / "features.msgpack").is_file() or not (model_dir / "weights.npz").is_file():
        raise ModelMissingError(str(model_dir), "run `make setup` (python -m ingest.model_setup) first")
    import spacy_pkuseg

    # spacy-pkuseg prints loader warnings on stdout/stderr; keep our output clean.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return spacy_pkuseg.pkuseg(model_name=str(model_dir), user_dict=None)


def words(text: str) -> list[str]:
    """Segment `text` into words (white space is dropped by the segmenter)."""
    if not text.strip():
        return []
    return list(segmenter().cut(text))


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
