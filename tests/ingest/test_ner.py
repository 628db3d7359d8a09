"""The CRF entity recognizer: corpus conversion rules, features, and the trained model on invented sentences
and on an MSRA subset (an F1 floor so regressions fail)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import ner, ner_corpus, ner_train
from ingest.errors import ModelMissingError
from ingest.ner_features import Gazetteer, head_column, normalize, sentence_spans, word_columns
from ingest.paths import ner_model_path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
MSRA = SHARED / "eval" / "ner" / "msra_test.bio"

# (invented sentence, entities that must be found, as (text, label))
TAGGED = [
    ("南溪市委书记林建国主持会议。", [("南溪市委", "ORG"), ("林建国", "PER")]),
    ("省社科院研究员周晓梅在南溪作专题辅导。", [("周晓梅", "PER"), ("南溪", "LOC")]),
    ("国务院总理李强在北京会见外国客人。", [("国务院", "ORG"), ("李强", "PER"), ("北京", "LOC")]),
    ("中国共产党第十五次全国代表大会在北京召开。", [("北京", "LOC")]),
    # pkuseg cuts 胡立|新: the model must not stop at the cut
    ("胡立新副市长到南溪市第一人民医院调研。", [("胡立新", "PER"), ("南溪市第一人民医院", "ORG")]),
    # MSRA, the training annotation, marks X市政府 as the place X市 and leaves 政府 out (ingest.orgs builds the body)
    ("新华社记者王晓东报道，上海市政府昨天召开常务会议。", [("新华社", "ORG"), ("王晓东", "PER")]),
]

# (corpus line, expected spans as (text, label)) for the conversion rules
SILVER = [
    ("中共中央/nt  总书记/n  、/w  国家/n  主席/n  江/nr  泽民/nr", [("中共中央", "ORG"), ("江泽民", "PER")]),
    ("北京/ns  市委/n  宣传部/n  部长/n  龙/nr  新民/nr", [("北京市委宣传部", "ORG"), ("龙新民", "PER")]),
    ("[中央/n  人民/n  广播/vn  电台/n]nt  记者/n", [("中央人民广播电台", "ORG")]),
    ("王/nr  永治/nr  牛/nr  爱民/nr", [("王永治", "PER"), ("牛爱民", "PER")]),
    ("香港/ns  特别/a  行政区/n  政府/n", [("香港特别行政区政府", "ORG")]),
    ("香港/ns  特别/a  行政区/n  成立/v", [("香港特别行政区", "LOC")]),
    ("党/n  的/u  十五大/j  和/c  中/j  美/j  关系/n", [("十五大", "ORG"), ("中", "LOC"), ("美", "LOC")]),
    ("该/r  公司/n  干部/n  在/p  北京/ns  干部/n", [("北京", "LOC")]),
    ("祝/v  中国/ns  致公党/nt  大会/n", [("中国致公党", "ORG")]),
    ("外交部长/n  钱/nr  其琛/nr", [("外交部", "ORG"), ("钱其琛", "PER")]),
    ("海峡/n  两岸/n  和/c  中华民族/n  ，/w  访华/v", [("海峡两岸", "LOC"), ("中华", "LOC"), ("华", "LOC")]),
    ("中共/j  十五大/j  和/c  南斯拉夫/ns  联盟/n  共和国/n",
     [("中共十五大", "ORG"), ("南斯拉夫联盟共和国", "LOC")]),
]


def _need_model() -> None:
    """Skip loudly when the model is absent locally; fail in CI, where the setup must have trained it."""
    if ner_model_path().is_file():
        return
    reason = f"NER model missing at {ner_model_path()}: run `python -m ingest.ner_train` (make setup)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip("!!! " + reason)


@pytest.mark.parametrize(("line", "expected"), SILVER)
def test_corpus_rules_turn_pos_tags_into_entities(line: str, expected: list[tuple[str, str]]) -> None:
    toks = ner_corpus.parse_line(line)
    text = "".join(t.word for t in toks)
    assert [(text[s:e], label) for s, e, label in ner_corpus.silver_spans(toks)] == sorted(
        expected, key=lambda x: text.index(x[0])
    )


def test_known_names_find_the_person_inside_a_term() -> None:
    lines = ["邓/nr  小平/nr  同志/n", "学习/v  邓小平理论/n  和/c  社会主义/n"]
    names = ner_corpus.known_names(lines)
    assert names == {"邓小平"}
    assert ner_corpus.silver_spans(ner_corpus.parse_line(lines[1]), names) == [(2, 5, "PER")]


def test_synthetic_name_lists_are_deterministic_and_labelled() -> None:
    gaz = Gazetteer(surnames=frozenset({"林", "周", "胡", "王"}))
    names = frozenset({"林建国", "周晓梅", "胡立新", "王芳", "不是名"})
    first = list(ner_train.name_lists(names, gaz, 5, seed=7))
    assert first == list(ner_train.name_lists(names, gaz, 5, seed=7))
    for text, spans in first:
        assert 3 <= len(spans) <= 4
        assert all(text[s:e] in names - {"不是名"} and label == "PER" for s, e, label in spans)


def test_names_can_be_cut_into_characters_for_training() -> None:
    words = [("市委", 0, 2), ("书记", 2, 4), ("林建国", 4, 7), ("讲话", 7, 9)]
    assert ner_train._split_names(words, [(4, 7, "PER")]) == [
        ("市委", 0, 2), ("书记", 2, 4), ("林", 4, 5), ("建", 5, 6), ("国", 6, 7), ("讲话", 7, 9),
    ]


def test_bio_labels_mark_begin_and_inside() -> None:
    assert ner_corpus.bio_labels(5, [(1, 3, "PER")]) == ["O", "B-PER", "I-PER", "O", "O"]


def test_bioes_labels_mark_where_entities_end() -> None:
    labels = ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG"]
    assert ner_train.bioes(labels) == ["B-PER", "I-PER", "E-PER", "O", "S-LOC", "B-ORG", "E-ORG"]


@pytest.mark.parametrize("labels", [
    ["B-PER", "I-PER", "E-PER", "O", "S-LOC", "O"],  # BIOES, as the model is trained
    ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "O"],  # BIO
])
def test_entities_are_read_from_bio_and_bioes_labels(labels: list[str]) -> None:
    assert [(e.text, e.label, e.start) for e in ner._entities("林建国来京了", labels, 0)] == [
        ("林建国", "PER", 0), ("京", "LOC", 4),
    ]


def test_entities_from_bioes_labels_close_at_every_end() -> None:
    labels = ["B-PER", "E-PER", "E-PER", "S-LOC", "I-LOC", "O"]
    assert [(e.text, e.label) for e in ner._entities("林建国来京了", labels, 0)] == [
        ("林建", "PER"), ("国", "PER"), ("来", "LOC"), ("京", "LOC"),
    ]


def _spans(text: str, *parts: tuple[str, str]) -> list[ner.Entity]:
    """Entities for `parts` (text, label), found left to right in `text`."""
    out, at = [], 0
    for part, label in parts:
        at = text.index(part, at)
        out.append(ner.Entity(part, label, at, at + len(part)))
        at += len(part)
    return out


@pytest.mark.parametrize(("text", "crf", "tidied"), [
    # half a quote or bracket is cut off, with what stands before it
    ("他说：”南溪日报社组织了采访", [("”南溪日报社", "ORG")], [("南溪日报社", "ORG")]),
    ("第三章）第二节“南溪水务集团的职责", [("章）第二节“南溪水务集团", "ORG")], [("南溪水务集团", "ORG")]),
    ("《南溪人民", [("《南溪人民", "ORG")], [("南溪人民", "ORG")]),
    ("来自湖心“南溪", [("南溪", "LOC")], [("南溪", "LOC")]),
    # a closer whose opener stands just before the span brings it in; a closer at the end is dropped
    ("订阅《南溪文艺》杂志社的刊物", [("南溪文艺》杂志社", "ORG")], [("《南溪文艺》杂志社", "ORG")]),
    ("订阅《南溪文艺》的刊物", [("南溪文艺》", "ORG")], [("南溪文艺", "ORG")]),
    ("南溪市委党校（南溪行政学院）举行开学典礼", [("南溪市委党校（南溪行政学院", "ORG")],
     [("南溪市委党校（南溪行政学院）", "ORG")]),
    # paired brackets stay; punctuation never ends a name
    ("南溪（中国）有限公司成立", [("南溪（中国）有限公司", "ORG")], [("南溪（中国）有限公司", "ORG")]),
    ("林建国、周晓梅", [("林建国、", "PER"), ("周晓梅", "PER")], [("林建国", "PER"), ("周晓梅", "PER")]),
    # two sides and the body they name are one organization
    ("老挝—中国友好协会会长", [("老挝", "LOC"), ("中国友好协会", "ORG")], [("老挝—中国友好协会", "ORG")]),
    ("中美关系研究会", [("中", "LOC"), ("美", "LOC"), ("关系研究会", "ORG")], [("中美关系研究会", "ORG")]),
    # but not one place, nor places that do not touch the body
    ("美国关系研究会", [("美国", "LOC"), ("关系研究会", "ORG")], [("美国", "LOC"), ("关系研究会", "ORG")]),
    ("中、美和关系研究会", [("中", "LOC"), ("美", "LOC"), ("关系研究会", "ORG")],
     [("中", "LOC"), ("美", "LOC"), ("关系研究会", "ORG")]),
    ("南溪—北湖公路管理局", [("南溪", "LOC"), ("北湖", "LOC"), ("公路管理局", "ORG")],
     [("南溪", "LOC"), ("北湖", "LOC"), ("公路管理局", "ORG")]),
])
def test_tidy_pairs_quotes_and_joins_sides_to_their_body(
    text: str, crf: list[tuple[str, str]], tidied: list[tuple[str, str]]
) -> None:
    got = ner.tidy(text, _spans(text, *crf))
    assert [(e.text, e.label) for e in got] == tidied
    assert all(text[e.start : e.end] == e.text for e in got)


def test_sentence_spans_cover_the_text_and_cut_long_runs() -> None:
    text = "第一句。第二句！" + "很长，" * 100 + "完"
    spans = sentence_spans(text, limit=40)
    assert spans[0] == (0, 4) and spans[1] == (4, 8)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(e - s <= 40 for s, e in spans)


def test_normalize_keeps_length_and_folds_digits_and_width() -> None:
    assert normalize("２０２４年ＡＢc9") == "0000年AAa0"


def test_word_columns_align_with_characters() -> None:
    words = [("南溪", 0, 2), ("市委", 2, 4), ("书记", 4, 6)]
    wordpos, features = word_columns("南溪市委书记", words)
    assert wordpos == ["B", "E", "B", "E", "B", "E"]
    assert features[2] == features[3] == ("w=市委", "wl=南溪", "wr=书记", "wle=溪", "wre=记")


def test_head_column_gives_the_distance_to_the_end_of_an_organization_head() -> None:
    heads = frozenset({"外交部", "委员会"})
    assert head_column("中国外交部发言人", heads, reach=4) == ["-", "3", "2", "1", "0", "-", "-", "-"]
    assert head_column("他们", heads) == ["-", "-"]


def test_org_heads_keep_endings_that_mostly_close_a_body() -> None:
    # 部 closes 外交部 twice but stands in 全部 four times: only the longer endings are heads
    sentences = [("外交部全部同意", [(0, 3, "ORG")]), ("外交部全部、全部、全部", [(0, 3, "ORG")])]
    assert ner_train.org_heads(sentences, min_count=2, min_share=0.5) == {"外交部", "交部"}


def test_gazetteer_round_trips_through_json() -> None:
    gaz = Gazetteer(frozenset({"王", "欧阳"}), frozenset({"书记"}), org_heads=frozenset({"委员会"}))
    assert Gazetteer.from_json(gaz.to_json()) == gaz


def test_config_hash_follows_the_configuration() -> None:
    changed = {**ner_train.TRAIN_CONFIG, "c1": 0.5}
    assert ner_train.config_hash() == ner_train.config_hash(dict(ner_train.TRAIN_CONFIG))
    assert ner_train.config_hash(changed) != ner_train.config_hash()


def test_training_writes_where_the_tagger_reads() -> None:
    assert ner_train.MODEL_FILE == ner_model_path().name


def test_missing_model_raises_model_missing_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHIJI_HOME", str(tmp_path))
    ner._model.cache_clear()
    try:
        with pytest.raises(ModelMissingError):
            ner.tag("林建国主持会议。")
    finally:
        ner._model.cache_clear()


def test_the_trained_model_is_current() -> None:
    _need_model()
    assert ner_train.is_current(ner_model_path().parent)


@pytest.mark.parametrize(("text", "expected"), TAGGED)
def test_tag_finds_invented_people_and_bodies(text: str, expected: list[tuple[str, str]]) -> None:
    _need_model()
    found = {(e.text, e.label) for e in ner.tag(text)}
    assert set(expected) <= found


def test_offsets_point_into_a_long_text_and_tokens_are_reused() -> None:
    _need_model()
    from ingest.segment import tokens

    text = "".join(f"第{i}段：南溪市委书记林建国主持会议，周晓梅在北京出席。\n" for i in range(300))
    ents = ner.tag(text)
    assert all(text[e.start : e.end] == e.text for e in ents)
    assert sum(e.text == "林建国" for e in ents) == 300
    assert ner.tag(text, tokens(text)) == ents


def _msra_sentences(limit: int | None) -> list[tuple[str, set[tuple[int, int, str]]]]:
    bench = Path(__file__).resolve().parents[2] / "bench" / "ner_eval.py"
    spec = importlib.util.spec_from_file_location("ner_eval", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_bio(MSRA)[:limit]


def _msra_f1(examples: list[tuple[str, set[tuple[int, int, str]]]]) -> dict[str, float]:
    """Entity-level exact-span F1 per label of `ner.tag` on (text, gold spans) examples."""
    counts = {lab: [0, 0, 0] for lab in ner.LABELS}  # true positives, predicted, gold
    for text, gold in examples:
        pred = {(e.start, e.end, e.label) for e in ner.tag(text)}
        for s in gold:
            counts[s[2]][2] += 1
        for s in pred:
            counts[s[2]][1] += 1
            counts[s[2]][0] += s in gold
    return {lab: 2 * tp / (p + g) for lab, (tp, p, g) in counts.items()}


@pytest.mark.slow
def test_msra_subset_f1_floor() -> None:
    _need_model()
    f1 = _msra_f1(_msra_sentences(500))
    # measured with the model of TRAIN_CONFIG (MSRA training split, feature version 7, BIOES labels, 60 L-BFGS
    # iterations) and `ner.tidy`: PER 0.992, LOC 0.971, ORG 0.876. Without tidy: 0.992, 0.966, 0.865 (120
    # iterations: 0.990, 0.970, 0.873; BIO labels: 0.982, 0.960, 0.864; People's Daily only: 0.980, 0.884, 0.796)
    assert f1["PER"] >= 0.97, f1
    assert f1["LOC"] >= 0.95, f1
    assert f1["ORG"] >= 0.85, f1


@pytest.mark.slow
def test_msra_test_set_floors() -> None:
    """The whole MSRA test set (4,365 sentences, ~8 s), against floors at what is reached, so that no figure
    falls: measured PER 0.9290 (issue target 0.92, met), LOC 0.9112, ORG 0.8498 (issue target 0.85, NOT met:
    one entity short). `bench/ner_eval.py` prints these figures and the verdicts."""
    _need_model()
    f1 = _msra_f1(_msra_sentences(None))
    assert f1["PER"] >= 0.928, f1
    assert f1["ORG"] >= 0.849, f1
    assert f1["LOC"] >= 0.910, f1


def test_a_model_trained_for_other_features_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model whose features this code no longer computes would tag badly and silently: it is refused, with
    a one-line error from the command line (exit code 3), and the real model is not touched."""
    _need_model()
    real = ner_model_path().parent
    models = tmp_path / "models"
    stale = models / real.name
    stale.mkdir(parents=True)
    for f in real.iterdir():
        if f.name != ner_train.META_FILE:
            (stale / f.name).symlink_to(f)
    meta = json.loads((real / ner_train.META_FILE).read_text("utf-8"))
    meta["config"]["feature_version"] = -1
    (stale / ner_train.META_FILE).write_text(json.dumps(meta), "utf-8")
    for other in real.parent.iterdir():  # the segmenter model, as it is
        if other.name != real.name:
            (models / other.name).symlink_to(other)
    monkeypatch.setenv("DASHIJI_HOME", str(tmp_path))
    ner._model.cache_clear()
    try:
        with pytest.raises(ModelMissingError, match="feature version -1"):
            ner.tag("林建国主持会议。")
    finally:
        ner._model.cache_clear()
    article = tmp_path / "a.txt"
    article.write_text("3月5日，南溪市委书记林建国主持召开会议。", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dashiji", "extract", str(article)],
        capture_output=True,
        text=True,
        env={**os.environ, "DASHIJI_HOME": str(tmp_path)},
    )
    assert done.returncode == 3, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "feature version -1" in done.stderr
