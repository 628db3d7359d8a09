"""Golden tests on ../shared: the seed page and the dev gold, scored by the shared scorer.

The floors below are the figures reached so far; a change that lowers any of them fails here.
They run the real pipeline (segmenter model and, when installed, the CRF) through `dashiji extract`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "seed" / "000_ac27911529864ab2.txt"
SCORER = SHARED / "tools" / "score_extraction.py"

# floors: (metric, minimum) — raise them when extraction improves, never lower them
SEED_FLOORS = {"score": 0.98, "people": 1.0, "organizations": 0.95, "events": 1.0, "participation": 0.94}
DEV_FLOORS = {
    "score": 0.925,
    "people": 0.99,
    "organizations": 0.89,
    "events": 0.92,
    "participation": 0.88,
    "type_accuracy": 0.97,
}


def _extract(paths: list[Path], out: Path) -> None:
    with open(out, "w", encoding="utf-8") as f:
        subprocess.run(
            [sys.executable, "-m", "dashiji", "extract", *map(str, paths)], stdout=f, check=True, cwd=ROOT
        )


def _score(pred: Path, gold: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(SCORER), str(pred), str(gold), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout)
    flat = {k: v["f1"] for k, v in res.items() if isinstance(v, dict) and "f1" in v}
    flat["score"] = res["score"]
    flat["type_accuracy"] = res.get("type_accuracy", 0.0)
    return flat


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    recs = extract_text(SEED.stem, SEED.read_text(encoding="utf-8"), is_page=True)
    return [r.to_dict() for r in recs]


def _event(records: list[dict], etype: str) -> dict:
    found = [e for r in records for e in r["events"] if e["type"] == etype]
    assert len(found) == 1, f"expected one {etype} event, got {found}"
    return found[0]


def test_seed_page_splits_into_four_articles(seed_records: list[dict]) -> None:
    assert [r["id"] for r in seed_records] == [f"{SEED.stem}#{k}" for k in range(1, 5)]


def test_seed_training_opening(seed_records: list[dict]) -> None:
    ev = _event(seed_records, "training")
    assert (ev["date"], ev["part_of_day"]) == ("2021-12-31", "morning")
    roles = {p["name"]: (p["role"], p["title"]) for p in ev["participants"]}
    assert roles["章旭升"] == ("speaker", "市委书记")
    assert "李浩锋" in roles


def test_seed_study_session(seed_records: list[dict]) -> None:
    ev = _event(seed_records, "study_session")
    assert ev["date"] == "2021-12-31"
    roles = {p["name"]: (p["role"], p["title"]) for p in ev["participants"]}
    assert roles["胡勇春"] == ("host", "市委副书记、代市长")
    assert roles["况晨"][0] == "lecturer" and "招商银行杭州分行" in roles["况晨"][1]
    assert {"name": "市委理论学习中心组", "role": "organizer"} in [
        {"name": o["name"], "role": o["role"]} for o in ev["organizations"]
    ]
    assert "招商银行杭州分行" in [o["name"] for o in ev["organizations"]]


def test_seed_competition(seed_records: list[dict]) -> None:
    ev = _event(seed_records, "competition")
    assert ev["date"] == "2022-01-01"
    assert [(o["name"], o["role"]) for o in ev["organizations"]] == [("市一医医共体东城分院", "organizer")]


def test_seed_goals(seed_records: list[dict]) -> None:
    goals = [g for r in seed_records for g in r["goals"]]
    assert [g["deadline"] for g in goals] == ["2022", "2023"]
    assert (goals[1]["metric"], goals[1]["value"]) == ("数字化改造覆盖率", ">90%")


def test_seed_reporters_are_people_not_participants(seed_records: list[dict]) -> None:
    reporters = {name for r in seed_records for name in r["reporters"]}
    assert reporters == {"陈晓苏", "杨成栋", "胡佳佳"}
    people = {name for r in seed_records for name in r["people"]}
    participants = {p["name"] for r in seed_records for e in r["events"] for p in e["participants"]}
    assert reporters <= people
    assert not reporters & participants


def test_evidence_spans_quote_the_text(seed_records: list[dict]) -> None:
    for r in seed_records:
        for e in r["events"]:
            s, t = e["span"]
            assert 0 <= s < t <= len(r["text"])
        for m in r["mentions"]:
            for s, t in m["spans"]:
                assert r["text"][s:t] == m["name"]


def test_seed_score_does_not_regress(tmp_path: Path) -> None:
    pred = tmp_path / "seed.jsonl"
    _extract([SEED], pred)
    got = _score(pred, SHARED / "gold" / "seed.gold.jsonl")
    for metric, floor in SEED_FLOORS.items():
        assert got[metric] >= floor, f"seed {metric} {got[metric]} < {floor}"


def test_dev_score_does_not_regress(tmp_path: Path) -> None:
    gold = SHARED / "gold" / "dev.gold.jsonl"
    ids = {json.loads(line)["id"] for line in gold.open(encoding="utf-8")}
    inputs = tmp_path / "dev.jsonl"
    with open(inputs, "w", encoding="utf-8") as f:
        for name in ("official_news.jsonl", "cec_raw_news.jsonl"):
            for line in (SHARED / "corpus" / name).open(encoding="utf-8"):
                if json.loads(line)["id"] in ids:
                    f.write(line)
    pred = tmp_path / "dev.pred.jsonl"
    _extract([inputs], pred)
    got = _score(pred, gold)
    for metric, floor in DEV_FLOORS.items():
        assert got[metric] >= floor, f"dev {metric} {got[metric]} < {floor}"
