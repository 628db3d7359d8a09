"""Where dashiji keeps what the setup builds (models) and what a user's store defaults to.

`DASHIJI_HOME` (default `~/.cache/dashiji`) holds downloads and converted models, outside the repo.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("DASHIJI_HOME") or Path.home() / ".cache" / "dashiji")


def segmenter_model_dir() -> Path:
    """The pkuseg `default` model in the lazily loaded form of `ingest.segment` (built by
    `python -m ingest.model_setup`); the folder name follows `ingest.segment.VERSION`."""
    return home() / "models" / "pkuseg-default-v2"


def ner_model_path() -> Path:
    """The project's own CRF entity recognizer (trained by `python -m ingest.ner_train`)."""
    return home() / "models" / "ner-crf" / "model.crfsuite"


def sha256_file(path: Path) -> str:
    """The sha256 of a downloaded file, read in 1 MiB chunks (the setup checks wheels and sdists with it)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
