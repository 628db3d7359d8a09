"""The command line end to end on the seed page and the demo articles: exact output, exit codes, help.

Each test runs `python -m dashiji` in a subprocess, as a user would, against a store in tmp_path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "seed" / "000_ac27911529864ab2.txt"
COMMANDS = ("extract", "ingest", "query", "timeline", "export", "cypher", "remove")


def run(*args: str, store: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "dashiji", *(["--store", str(store)] if store else []), *args]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=_env())
    if check and res.returncode != 0:
        raise AssertionError(f"{cmd} exited {res.returncode}: {res.stderr}")
    return res


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("NEO4J_URI", None)  # these tests are about the embedded store
    env.pop("DASHIJI_STORE", None)
    return env


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "seed.dashiji"
    run("ingest", str(SEED), "--locale", "永康", store=store)  # the page never writes 永康市
    return store


def rows(store: Path, *args: str) -> list[dict]:
    return json.loads(run("query", *args, "--format", "json", store=store).stdout)


# --- help -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    out = run(command, "--help").stdout
    first = out.split("\n\n")[1].strip()
    assert len(first) > 20, f"{command} lacks a help text"


def test_read_only_commands_do_not_load_the_language_stack(seed_store: Path) -> None:
    code = (
        "import sys; from dashiji.cli import cli; "
        f"cli(['--store', {str(seed_store)!r}, 'query', 'person_timeline', '-p', 'name=章旭升'], "
        "standalone_mode=False); "
        "bad = [m for m in ('spacy_pkuseg', 'pycrfsuite', 'ingest.pipeline', 'numpy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, env=_env())


# --- extract ----------------------------------------------------------------------------------------
def test_extract_prints_one_record_per_article_of_the_page() -> None:
    lines = run("extract", str(SEED)).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [f"{SEED.stem}#{k}" for k in range(1, 5)]
    assert all({"people", "organizations", "events"} <= set(r) for r in records)


def test_bad_items_are_named_and_the_rest_goes_through(tmp_path: Path) -> None:
    good = {
        "id": "ok-1",
        "date": "2024-03-05",
        "title": "t",
        "text": "3月5日上午，南溪市委召开常委会会议。林建国主持会议。",
    }
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    res = run("extract", str(corpus), str(tmp_path / "blob.txt"), check=False)
    assert res.returncode == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert f"{corpus}:2" in errors[0] and "blob.txt" in errors[1]
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["ok-1"]


def test_extract_with_two_workers_gives_the_same_bytes() -> None:
    examples = str(ROOT / "examples")
    assert run("extract", examples, "--workers", "2").stdout == run("extract", examples).stdout


# --- ingest -----------------------------------------------------------------------------------------
def test_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    store = tmp_path / "g.dashiji"
    first = run("ingest", str(SEED), str(ROOT / "examples"), store=store).stdout
    second = run("ingest", str(SEED), str(ROOT / "examples"), store=store).stdout
    assert " 0 unchanged" in first and " 0 written" in second
    assert first.splitlines()[1] == second.splitlines()[1]  # the same graph counts


def test_remove_takes_an_article_and_only_its_facts(tmp_path: Path) -> None:
    store = tmp_path / "g.dashiji"
    run("ingest", str(SEED), store=store)
    assert rows(store, "person_timeline", "-p", "name=况晨")
    assert "removed" in run("remove", f"{SEED.stem}#3", store=store).stdout
    assert rows(store, "person_timeline", "-p", "name=况晨") == []
    assert len(rows(store, "person_timeline", "-p", "name=章旭升")) == 1  # the training opening stays


# --- the canned queries on the seed page -----------------------------------------------------------
def test_query_list_has_at_least_ten() -> None:
    names = [
        line.split("(")[0] for line in run("query", "--list").stdout.splitlines() if not line.startswith(" ")
    ]
    assert len(names) >= 10


def test_timeline_of_zhang_shows_both_events(seed_store: Path) -> None:
    out = run("timeline", "章旭升", store=seed_store).stdout
    assert out.count("2021-12-31") == 2
    assert "training" in out and "study_session" in out


def test_person_timeline(seed_store: Path) -> None:
    got = [
        (r["date"], r["type"], r["role"]) for r in rows(seed_store, "person_timeline", "-p", "name=胡勇春")
    ]
    assert got == [("2021-12-31", "study_session", "host")]


def test_event_attendees(seed_store: Path) -> None:
    got = rows(seed_store, "event_attendees", "-p", "label=专题学习会", "-p", "date=2021-12-31")
    people = {r["name"]: r["role"] for r in got if r["kind"] == "Person"}
    assert people["况晨"] == "lecturer" and people["胡勇春"] == "host"
    assert {"章旭升", "陈美蓉", "朱世道", "胡积合"} <= set(people)


def test_co_participants(seed_store: Path) -> None:
    got = {r["name"]: r["events"] for r in rows(seed_store, "co_participants", "-p", "name=章旭升")}
    assert got["李浩锋"] == 1 and got["胡勇春"] == 1
    assert "章旭升" not in got


def test_org_events(seed_store: Path) -> None:
    got = rows(seed_store, "org_events", "-p", "name=市一医医共体东城分院")
    assert [(r["date"], r["type"], r["relation"]) for r in got] == [
        ("2022-01-01", "competition", "ORGANIZED")
    ]


def test_events_by_type(seed_store: Path) -> None:
    got = rows(seed_store, "events_by_type", "-p", "type=training", "-p", "from=2021-12", "-p", "to=2021-12")
    assert [(r["date"], r["type"]) for r in got] == [("2021-12-31", "training")]


def test_target_timeline_has_the_goals(seed_store: Path) -> None:
    got = rows(seed_store, "target_timeline", "-p", "name=电动（园林）工具行业")
    assert sorted(r["deadline"] for r in got if r["kind"] == "goal") == ["2022", "2023"]
    assert any(r["kind"] == "event" and r["type"] == "training" for r in got)


def test_post_holders(seed_store: Path) -> None:
    got = rows(seed_store, "post_holders", "-p", "post=书记")
    assert ("章旭升", "书记") in {(r["name"], r["rank"]) for r in got}


def test_person_posts(seed_store: Path) -> None:
    got = {r["rank"] for r in rows(seed_store, "person_posts", "-p", "name=胡勇春")}
    assert got == {"副书记", "代市长"}


def test_most_active(seed_store: Path) -> None:
    got = rows(seed_store, "most_active", "-p", "from=2021-12", "-p", "to=2022-01", "-p", "limit=1")
    assert [(r["name"], r["events"]) for r in got] == [("章旭升", 2)]


def test_org_people(seed_store: Path) -> None:
    got = rows(seed_store, "org_people", "-p", "name=招商银行杭州分行")
    assert [r["name"] for r in got] == ["况晨"]


def test_place_events(seed_store: Path) -> None:
    got = rows(seed_store, "place_events", "-p", "name=永康")
    assert {r["type"] for r in got} >= {"training", "study_session"}


def test_locale_resolves_context_abbreviations(seed_store: Path) -> None:
    got = rows(seed_store, "org_events", "-p", "name=永康市委理论学习中心组")
    assert [r["type"] for r in got] == ["study_session"]


def test_provenance_gives_the_sentence(seed_store: Path) -> None:
    event = rows(seed_store, "person_timeline", "-p", "name=况晨")[0]["event_id"]
    got = rows(seed_store, "provenance", "-p", "person=况晨", "-p", f"event_id={event}")
    assert got and all("况晨" in r["sentence"] for r in got)


def test_unknown_query_is_one_line_and_exit_code(seed_store: Path) -> None:
    res = run("query", "no_such_query", store=seed_store, check=False)
    assert res.returncode == 6
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: query no_such_query")


def test_output_formats(seed_store: Path) -> None:
    csv_out = run("query", "person_posts", "-p", "name=胡勇春", "--format", "csv", store=seed_store).stdout
    assert csv_out.splitlines()[0].startswith("post,organization,rank")
    table = run("query", "person_posts", "-p", "name=胡勇春", store=seed_store).stdout
    assert table.rstrip().endswith("(2 rows)")


# --- export -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "parse_as"), [("turtle", "turtle"), ("json-ld", "json-ld"), ("nt", "nt")])
def test_export_round_trips_and_conforms(seed_store: Path, tmp_path: Path, fmt: str, parse_as: str) -> None:
    out = tmp_path / f"seed.{fmt}"
    res = run("export", "--format", fmt, "-o", str(out), "--validate", store=seed_store)
    written = int(res.stdout.split()[0])
    assert "SHACL: conforms" in res.stdout
    assert len(rdflib.Graph().parse(out, format=parse_as)) == written


def test_explicit_store_wins_over_neo4j_uri_in_the_environment(seed_store: Path) -> None:
    import os

    env = dict(os.environ, NEO4J_URI="bolt://127.0.0.1:1")  # nothing listens there
    cmd = [
        sys.executable,
        "-m",
        "dashiji",
        "--store",
        str(seed_store),
        "query",
        "person_posts",
        "-p",
        "name=胡勇春",
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 0 and "(2 rows)" in res.stdout
    res = subprocess.run(cmd[:3] + cmd[5:], capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 7 and res.stderr.startswith("Error: store bolt://127.0.0.1:1")
