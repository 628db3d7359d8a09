"""Records → graph facts: entity resolution tables, then `build_facts` on hand-made records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from graph.build import build_facts, day_range
from graph.model import EDGE_KINDS, ArticleFacts, stable_id
from graph.resolve import Locale, person_key, place_of_org, resolve_org, resolve_place, resolve_post
from ingest.records import Event, Participant, PostRef, Record

Build = Callable[[Record], ArticleFacts]

# --- tables ------------------------------------------------------------------------------------------
DAY_RANGES = [
    (("2024-03-05", None), ("2024-03-05", "2024-03-05")),
    (("2024", None), ("2024-01-01", "2024-12-31")),
    (("2024-02", None), ("2024-02-01", "2024-02-29")),
    (("2023-02", None), ("2023-02-01", "2023-02-28")),
    (("2024-01-02", "2024-01-03"), ("2024-01-02", "2024-01-03")),
    (("2024-11-05", "2024-12"), ("2024-11-05", "2024-12-31")),
    ((None, None), (None, None)),
    (("2024-13", None), (None, None)),
    (("2023-02-30", None), (None, None)),
    (("近日", None), (None, None)),
]

LOCALES = [
    ("永康", Locale("永康", None, None)),
    ("永康市", Locale("永康", "市", None)),
    ("浙江省永康市", Locale("永康", "市", "浙江省")),
    ("磐安县", Locale("磐安", "县", None)),
    (None, Locale()),
]

# (written, locale, expected kind, expected name)
ORGS = [
    ("市委", "永康", "Organization", "永康市委"),
    ("市委", "永康市", "Organization", "永康市委"),
    ("市政府", "永康", "Organization", "永康市政府"),
    ("市委理论学习中心组", "永康", "Organization", "永康市委理论学习中心组"),
    ("市场监管局", "永康", "Organization", "永康市市场监管局"),
    ("我市", "永康", "Place", "永康市"),
    ("中共永康市委", None, "Organization", "永康市委"),
    ("中共永康市委员会", None, "Organization", "永康市委"),
    ("中共永康市委宣传部", "永康", "Organization", "永康市委宣传部"),
    ("市委", None, "Organization", "市委"),  # no locale: kept as written
    ("省委", "永康", "Organization", "省委"),  # the locale does not know the province
    ("省委", "浙江省永康市", "Organization", "浙江省委"),
    ("省政府", "浙江省永康市", "Organization", "浙江省政府"),
    ("县委", "永康市", "Organization", "县委"),  # a county body on a city page stays ambiguous
    ("县委", "磐安县", "Organization", "磐安县委"),
    ("区委", "永康", "Organization", "区委"),
    ("党中央", None, "Organization", "中共中央"),
    ("中共中央", "永康", "Organization", "中共中央"),
    ("中国共产党中央委员会", None, "Organization", "中共中央"),
    ("中央政治局", None, "Organization", "中共中央政治局"),
    ("中华人民共和国国务院", None, "Organization", "国务院"),
    ("国务院", "永康", "Organization", "国务院"),
    ("全国人民代表大会常务委员会", None, "Organization", "全国人大常委会"),
    ("十四届全国人大常委会", None, "Organization", "全国人大常委会"),
    ("第十四届全国人大", None, "Organization", "全国人大"),
    ("住房和城乡建设部", None, "Organization", "住建部"),
    ("招商银行杭州分行", "永康", "Organization", "招商银行杭州分行"),
    ("南溪市委理论学习中心组", "永康", "Organization", "南溪市委理论学习中心组"),
    (" 市 委 ", "永康", "Organization", "永康市委"),  # OCR spacing
]

PLACES = [
    ("我市", "永康", "永康市"),
    ("本市", "永康市", "永康市"),
    ("永康", "永康", "永康市"),
    ("永康市", "永康", "永康市"),
    ("我省", "浙江省永康市", "浙江省"),
    ("北京人民大会堂", "永康", "北京人民大会堂"),
    ("北京", None, "北京"),
]

SAME_PLACE = [("永康", "永康市"), ("北京", "北京市"), ("浙江", "浙江省")]

PLACE_OF_ORG = [
    ("永康市委", "永康市"),
    ("浙江省委", "浙江省"),
    ("杭州市西湖区委", "杭州市西湖区"),
    ("内蒙古自治区党委", "内蒙古自治区"),
    ("永康市一医医共体东城分院", "永康市"),
    ("招商银行杭州分行", None),
    ("国务院", None),
    ("全国人大常委会", None),
    ("中共中央", None),
    ("市委", None),
    ("省智能制造专家委员会", None),
]

# (PostRef, locale, expected post name, rank, organization name)
POSTS = [
    (PostRef("市委书记", "市委", "书记"), "永康", "永康市委书记", "书记", "永康市委"),
    (PostRef("市委副书记", "市委", "副书记"), "永康", "永康市委副书记", "副书记", "永康市委"),
    (PostRef("代市长", None, "代市长"), "永康", "永康市代市长", "代市长", "永康市政府"),
    (PostRef("永康市长"), None, "永康市市长", "市长", "永康市政府"),
    (PostRef("永康市委书记", "永康市委", "书记"), None, "永康市委书记", "书记", "永康市委"),
    (PostRef("中共永康市委书记", "中共永康市委", "书记"), None, "永康市委书记", "书记", "永康市委"),
    (PostRef("中共中央总书记", "中共中央", "总书记"), None, "中共中央总书记", "总书记", "中共中央"),
    (PostRef("国家主席"), None, "国家主席", "国家主席", None),
    (PostRef("市委书记", "市委", "书记"), None, "市委书记", "书记", "市委"),
]

SAME_POST = [
    ((PostRef("市委书记", "市委", "书记"), "永康"), (PostRef("永康市委书记", "永康市委", "书记"), None)),
    ((PostRef("市长", None, "市长"), "永康"), (PostRef("永康市长"), None)),
    ((PostRef("书记", "中共永康市委", "书记"), None), (PostRef("市委书记", "市委", "书记"), "永康市")),
]


def _post(title: str, org: str | None, rank: str, locale: str | None = None) -> list:
    post = resolve_post(PostRef(title, org, rank), Locale.parse(locale))
    return [post] if post else []


# (name, title chains as written (title, org, rank, locale), expected key)
PEOPLE = [
    ("习近平", [], ("习近平",)),
    ("习近平", [_post("中共中央总书记", "中共中央", "总书记")], ("习近平",)),
    ("章旭升", [_post("市委书记", "市委", "书记", "永康")], ("章旭升", "永康市")),
    ("章旭升", [_post("永康市委书记", "永康市委", "书记")], ("章旭升", "永康市")),
    ("章旭升", [[], _post("市委书记", "市委", "书记", "永康")], ("章旭升", "永康市")),
    ("章旭升", [_post("市委书记", "市委", "书记")], ("章旭升",)),  # no locale: the post names no place
    ("王伟", [_post("金华市委书记", "金华市委", "书记")], ("王伟", "金华市")),
    (
        "王伟",
        [_post("浙江省委常委", "浙江省委", "常委") + _post("杭州市委书记", "杭州市委", "书记")],
        ("王伟", "杭州市"),
    ),
    (
        "况晨",
        [_post("招商银行杭州分行专项债券专家组组长", "招商银行杭州分行", "专项债券专家组组长")],
        ("况晨",),
    ),
    ("陈 晓 苏", [], ("陈晓苏",)),
]


# --- resolution ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("dates", "expected"), DAY_RANGES)
def test_day_range_covers_first_to_last_day(dates: tuple[str | None, str | None], expected: tuple) -> None:
    assert day_range(*dates) == expected


@pytest.mark.parametrize(("text", "expected"), LOCALES)
def test_locale_parse(text: str | None, expected: Locale) -> None:
    assert Locale.parse(text) == expected


@pytest.mark.parametrize(("written", "locale", "kind", "name"), ORGS)
def test_resolve_org(written: str, locale: str | None, kind: str, name: str) -> None:
    found = resolve_org(written, Locale.parse(locale))
    assert found is not None
    assert (found.kind, found.name) == (kind, name)
    assert found.written == written.replace(" ", "")


@pytest.mark.parametrize("written", ["中共永康市委", "永康市委", "中国共产党永康市委员会"])
def test_party_prefix_is_dropped_for_the_key(written: str) -> None:
    found = resolve_org(written, Locale())
    assert found is not None and found.key == resolve_org("市委", Locale.parse("永康")).key  # type: ignore[union-attr]


@pytest.mark.parametrize(("written", "locale", "name"), PLACES)
def test_resolve_place(written: str, locale: str | None, name: str) -> None:
    found = resolve_place(written, Locale.parse(locale))
    assert found is not None and found.name == name


@pytest.mark.parametrize(("a", "b"), SAME_PLACE)
def test_place_key_ignores_level_suffix(a: str, b: str) -> None:
    assert resolve_place(a, Locale()).key == resolve_place(b, Locale()).key  # type: ignore[union-attr]


@pytest.mark.parametrize("written", ["我市", "本市", "全市", "我省"])
def test_deictic_place_without_locale_is_dropped(written: str) -> None:
    assert resolve_place(written, Locale()) is None


@pytest.mark.parametrize(("org", "place"), PLACE_OF_ORG)
def test_place_of_org(org: str, place: str | None) -> None:
    assert place_of_org(org) == place


@pytest.mark.parametrize(("ref", "locale", "name", "rank", "org"), POSTS)
def test_resolve_post(ref: PostRef, locale: str | None, name: str, rank: str, org: str | None) -> None:
    post = resolve_post(ref, Locale.parse(locale))
    assert post is not None
    assert (post.name, post.rank, post.organization.name if post.organization else None) == (name, rank, org)


@pytest.mark.parametrize(("a", "b"), SAME_POST)
def test_same_post_same_key(a: tuple[PostRef, str | None], b: tuple[PostRef, str | None]) -> None:
    pa, pb = resolve_post(a[0], Locale.parse(a[1])), resolve_post(b[0], Locale.parse(b[1]))
    assert pa is not None and pb is not None and pa.key == pb.key


@pytest.mark.parametrize(("name", "chains", "key"), PEOPLE)
def test_person_key(name: str, chains: list, key: tuple[str, ...]) -> None:
    assert person_key(name, chains) == key


# --- build_facts -----------------------------------------------------------------------------------
def _by_kind(facts: ArticleFacts) -> Counter[str]:
    return Counter([n.kind for n in facts.nodes] + [e.kind for e in facts.edges])


def _node(facts: ArticleFacts, kind: str, name: str) -> dict:
    hits = [n for n in facts.nodes if n.kind == kind and n.props.get("name") == name]
    assert len(hits) == 1, f"{kind} {name}: {[n.props.get('name') for n in facts.nodes if n.kind == kind]}"
    return {"id": hits[0].id, **hits[0].props, "evidence": hits[0].evidence}


def _edges(facts: ArticleFacts, kind: str) -> list:
    return [e for e in facts.edges if e.kind == kind]


def test_seed_record_nodes(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    names = {(n.kind, n.props.get("name")) for n in facts.nodes if "name" in n.props}
    assert names == {
        ("Person", "章旭升"),
        ("Person", "卢耀辉"),
        ("Person", "胡勇春"),
        ("Person", "陈晓苏"),
        ("Organization", "永康市委"),
        ("Organization", "永康市政府"),
        ("Organization", "永康市委理论学习中心组"),
        ("Organization", "省智能制造专家委员会"),
        ("Place", "永康市"),
        ("Target", "电动（园林）工具行业"),
        ("Post", "永康市委书记"),
        ("Post", "永康市委副书记"),
        ("Post", "永康市代市长"),
        ("Post", "省智能制造专家委员会副主任"),
    }
    counts = _by_kind(facts)
    assert (counts["Article"], counts["Event"], counts["Goal"]) == (1, 2, 1)


def test_article_node_and_ids(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    article = stable_id("Article", "seed#2")
    assert facts.article_id == article
    node = next(n for n in facts.nodes if n.kind == "Article")
    assert node.id == article
    assert node.props["record_id"] == "seed#2"
    assert node.props["text"] == seed_record.text
    assert node.props["ingested_at"] == "2024-03-06T08:00:00+00:00"
    assert len(facts.content_hash) == 64


def test_events_carry_day_range_and_location(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    training = next(n for n in facts.nodes if n.kind == "Event" and n.props["type"] == "training")
    assert training.id == stable_id("Event", "seed#2", "0", "training", "2021-12-31")
    assert (training.props["start"], training.props["end"]) == ("2021-12-31", "2021-12-31")
    assert training.props["location"] == "永康市"
    assert training.props["confidence"] == 0.8
    place = _node(facts, "Place", "永康市")
    assert [(e.src, e.dst) for e in _edges(facts, "OCCURRED_IN")] == [(training.id, place["id"])]
    assert set(place["aliases"]) == {"永康", "我市"}


def test_roles_and_organizer(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    names = {n.id: n.props.get("name") or n.props.get("type") for n in facts.nodes}
    participations = {(names[e.src], names[e.dst], e.props["role"]) for e in _edges(facts, "PARTICIPATED_IN")}
    assert participations == {
        ("章旭升", "training", "speaker"),
        ("卢耀辉", "training", "lecturer"),
        ("省智能制造专家委员会", "training", "participant"),
        ("胡勇春", "study_session", "host"),
        ("章旭升", "study_session", "attendee"),
    }
    assert {(names[e.src], names[e.dst]) for e in _edges(facts, "ORGANIZED")} == {
        ("永康市委理论学习中心组", "study_session")
    }


def test_posts_held_and_post_in(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    names = {n.id: n.props.get("name") for n in facts.nodes}
    held = {
        (names[e.src], names[e.dst], e.props["first_seen"], e.props["last_seen"])
        for e in _edges(facts, "HELD")
    }
    assert ("胡勇春", "永康市代市长", "2021-12-31", "2021-12-31") in held
    assert ("章旭升", "永康市委书记", "2021-12-31", "2021-12-31") in held
    assert len(held) == 4
    post_in = {(names[e.src], names[e.dst]) for e in _edges(facts, "POST_IN")}
    assert ("永康市代市长", "永康市政府") in post_in
    assert ("永康市委书记", "永康市委") in post_in
    post = _node(facts, "Post", "永康市委副书记")
    assert (post["title"], post["organization"]) == ("副书记", "永康市委")


def test_inferred_org_is_not_a_mention(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    government = _node(facts, "Organization", "永康市政府")
    mentioned = {e.src for e in _edges(facts, "MENTIONED_IN")}
    assert government["id"] not in mentioned
    assert government["aliases"] == []


def test_part_of_longest_prefix(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    names = {n.id: n.props.get("name") for n in facts.nodes}
    assert {(names[e.src], names[e.dst]) for e in _edges(facts, "PART_OF")} == {
        ("永康市委理论学习中心组", "永康市委")
    }


def test_goals_targets_and_reporters(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    goal = next(n for n in facts.nodes if n.kind == "Goal")
    assert goal.props | {"articles": None} == {
        "text": "实现行业规上企业数字化改造覆盖率超90%",
        "deadline": "2023",
        "metric": "数字化改造覆盖率",
        "value": ">90%",
        "target": "电动（园林）工具行业",
        "articles": None,
        "extractor": seed_record.extractor_version,
        "confidence": 1.0,
    }
    assert [e.src for e in _edges(facts, "SETS_GOAL")] == [
        facts.article_id
    ]  # a record goal: from the Article
    target = _node(facts, "Target", "电动（园林）工具行业")
    assert [(e.src, e.dst) for e in _edges(facts, "ABOUT")] == [(goal.id, target["id"])]
    assert len(_edges(facts, "TARGETS")) == 1
    reporter = _node(facts, "Person", "陈晓苏")
    assert [(e.src, e.dst) for e in _edges(facts, "WROTE")] == [(reporter["id"], facts.article_id)]


def test_event_goal_is_set_by_the_event(build: Build) -> None:
    from ingest.records import Goal

    text = "1月5日，市政府召开会议，提出到2025年实现全覆盖。"
    event = Event(
        type="meeting", date="2024-01-05", label="会议", goals=[Goal("实现全覆盖", deadline="2025")]
    )
    facts = build(Record(id="g1", text=text, locale="永康", events=[event]))
    event_id = next(n.id for n in facts.nodes if n.kind == "Event")
    assert [e.src for e in _edges(facts, "SETS_GOAL")] == [event_id]
    assert sorted(e.src for e in _edges(facts, "REPORTED_IN")) == sorted(
        [event_id, next(n.id for n in facts.nodes if n.kind == "Goal")]
    )


def test_every_fact_has_provenance(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    ids = {n.id for n in facts.nodes}
    size = len(seed_record.text)
    for fact in [*facts.nodes, *facts.edges]:
        assert fact.evidence, fact
        assert fact.props["articles"] == [facts.article_id]
        assert fact.props["extractor"] == seed_record.extractor_version
        assert 0 < fact.props["confidence"] <= 1
        for ev in fact.evidence:
            assert ev.article == facts.article_id
            assert ev.start is not None and ev.end is not None and 0 <= ev.start < ev.end <= size
    for edge in facts.edges:
        assert edge.src in ids and edge.dst in ids, edge
        sources, targets = EDGE_KINDS[edge.kind]
        kinds = {n.id: n.kind for n in facts.nodes}
        assert kinds[edge.src] in sources and kinds[edge.dst] in targets, edge


def test_participant_evidence_points_at_the_name(seed_record: Record, build: Build) -> None:
    facts = build(seed_record)
    person = _node(facts, "Person", "胡勇春")
    assert {seed_record.text[e.start : e.end] for e in person["evidence"]} == {"胡勇春"}


def test_build_is_deterministic_and_survives_json(seed_record: Record, build: Build) -> None:
    again = build(Record.from_json(seed_record.to_json()))
    assert build(seed_record) == again


def test_same_official_two_articles_one_node(make_meeting: Callable[..., Record], build: Build) -> None:
    a = make_meeting("a", "2024-01-02", [("章旭升", "host", [PostRef("市委书记", "市委", "书记")])])
    b = make_meeting(
        "b", "2024-02-03", [("章旭升", "host", [PostRef("永康市委书记", "永康市委", "书记")])], locale=None
    )
    pa, pb = (_node(build(r), "Person", "章旭升") for r in (a, b))
    assert pa["id"] == pb["id"]
    posts = [_node(build(r), "Post", "永康市委书记")["id"] for r in (a, b)]
    assert posts[0] == posts[1]


def test_namesakes_in_different_places_are_two_nodes(
    make_meeting: Callable[..., Record], build: Build
) -> None:
    a = make_meeting("a", "2024-01-02", [("王伟", "host", [PostRef("市长", None, "市长")])], locale="金华")
    b = make_meeting("b", "2024-01-02", [("王伟", "host", [PostRef("市长", None, "市长")])], locale="丽水")
    assert _node(build(a), "Person", "王伟")["id"] != _node(build(b), "Person", "王伟")["id"]


def test_national_body_one_node_everywhere(make_meeting: Callable[..., Record], build: Build) -> None:
    a = make_meeting("a", "2024-01-02", [("李强", "host", [])], org="国务院", locale="永康", label="常务会议")
    b = make_meeting("b", "2024-01-02", [("李强", "host", [])], org="中华人民共和国国务院", locale=None)
    ids = {_node(build(r), "Organization", "国务院")["id"] for r in (a, b)}
    assert len(ids) == 1


def test_participant_without_a_name_is_skipped(build: Build) -> None:
    event = Event(type="meeting", date="2024", participants=[Participant("  ", "host")])
    facts = build(Record(id="x", text="会议。", events=[event]))
    assert _by_kind(facts)["Person"] == 0


def test_default_ingest_time_is_utc(seed_record: Record) -> None:
    article = next(n for n in build_facts(seed_record).nodes if n.kind == "Article")
    assert article.props["ingested_at"].endswith("+00:00")


def test_seed_page_through_the_pipeline(build: Build) -> None:
    """The real seed page, extracted by `ingest.pipeline` (when present): its facts keep the graph's rules."""
    pipeline = pytest.importorskip("ingest.pipeline")
    if not hasattr(pipeline, "extract_text"):
        pytest.skip("ingest.pipeline.extract_text is not written yet")
    from pathlib import Path

    from ingest.errors import ModelMissingError

    seed = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_ac27911529864ab2.txt"
    try:
        records = pipeline.extract_text(seed.stem, seed.read_text(encoding="utf-8"))
    except ModelMissingError as exc:
        pytest.skip(f"extraction model missing: {exc}")
    assert records
    for record in records:
        facts = build(record)
        kinds = {n.id: n.kind for n in facts.nodes}
        for edge in facts.edges:
            sources, targets = EDGE_KINDS[edge.kind]
            assert kinds[edge.src] in sources and kinds[edge.dst] in targets, edge
        for fact in [*facts.nodes, *facts.edges]:
            assert all(0 <= e.start < e.end <= len(record.text) for e in fact.evidence), fact  # type: ignore[operator]
        people = {n.props["name"] for n in facts.nodes if n.kind == "Person"}
        assert {p.replace(" ", "") for p in record.people} <= people
