"""Fetch the pkuseg `default` model from the pkuseg==0.0.25 wheel on PyPI and convert it once.

Run by the setup (`make setup`); idempotent: a converted model already in place is left alone.

    python -m ingest.model_setup

Steps: `pip download` the wheel (cached under DASHIJI_HOME/dl), unzip `pkuseg/models/default/`, load its
`features.pkl` once (trusted: it comes from the pinned PyPI wheel, checked against its sha256) and write
`features.msgpack` beside `weights.npz`, the form spacy-pkuseg loads without pickle.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ingest.paths import home, segmenter_model_dir

WHEEL = "pkuseg-0.0.25-cp37-cp37m-manylinux1_x86_64.whl"


def _download_wheel(dl: Path) -> Path:
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def convert(wheel: Path, out: Path) -> None:
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    with tempfile.TemporaryDirectory(dir=home()) as tmp:
        with zipfile.ZipFile(wheel) as z:
            for name in ("features.pkl", "weights.npz"):
                z.extract(f"pkuseg/models/default/{name}", tmp)
        src = Path(tmp) / "pkuseg" / "models" / "default"
        staging = Path(tmp) / "converted"
        staging.mkdir()
        FeatureExtractor.load(str(src)).save(str(staging))  # pkl -> features.msgpack
        shutil.move(str(src / "weights.npz"), staging / "weights.npz")
        (staging / "SOURCE").write_text(f"{WHEEL} sha256={_sha256(wheel)}\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out)


def main() -> None:
    out = segmenter_model_dir()
    if (out / "features.msgpack").is_file() and (out / "weights.npz").is_file():
        print(f"segmenter model ready: {out}")
        return
    home().mkdir(parents=True, exist_ok=True)
    wheel = _download_wheel(home() / "dl")
    print(f"converting {wheel.name} -> {out}")
    convert(wheel, out)
    print(f"segmenter model ready: {out}")


if __name__ == "__main__":
    main()
