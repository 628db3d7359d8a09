"""Layout repair and page splitting: letter-spacing, wrapped lines, headlines, bylines, article cuts.

The seed page is read from ../shared (never copied here); expectations about it name raw line numbers of
that file and the hand-made gold, not its text. The demo page is the project's own invented text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.layout import PageArticle, pull_bylines, repair, split_page

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_ac27911529864ab2.txt"
SEED_GOLD = REPO.parent / "shared" / "gold" / "seed.gold.jsonl"
DEMO_PAGE = REPO / "examples" / "nanxi-daily-2024-03-06.txt"

# (OCR text, repaired text)
REPAIR_CASES = [
    ("企 业 负 责 人 以 及 中 高 层", "企业负责人以及中高层"),
    ("2024 年 3 月 5 日上午", "2024年3月5日上午"),
    ("共 计 1 6 0 余 人 。", "共计160余人。"),
    ("讲 清 “ 为 什 么 学 、学 什 么 ”", "讲清“为什么学、学什么”"),
    ("New York 的 Times Square 广 场", "New York的Times Square广场"),
    ("\u3000\u3000南溪市委召开全会。\u3000", "南溪市委召开全会。"),
    # wrapped column lines with blank lines between them: joined; the paragraph break after 。 stays
    (
        "南溪市委理论学习中心组\n\n举行集体学习，市委书记\n\n林建国主持会议。\n\n"
        "会议邀请专家作专题辅\n\n导，与会人员认真学习。",
        "南溪市委理论学习中心组举行集体学习，市委书记林建国主持会议。\n会议邀请专家作专题辅导，与会人员认真学习。",
    ),
    # a headline (too narrow to be a wrapped body line) and a byline stay on their own lines
    (
        "南溪召开全会\n\n本报讯（记者 王小明）\n\n"
        "3月5日上午，南溪市委召\n\n开全体会议，审议通过了\n\n有关文件。",
        "南溪召开全会\n本报讯（记者 王小明）\n3月5日上午，南溪市委召开全体会议，审议通过了有关文件。",
    ),
    # text that is not hard-wrapped keeps every line as a paragraph
    ("南溪新闻\n\n第一段讲会议。\r\n\r\n第二段讲调研。", "南溪新闻\n第一段讲会议。\n第二段讲调研。"),
    ("", ""),
]

# (article text, text without bylines, reporters)
BYLINE_CASES = [
    ("本报讯（记者 王小明）南溪市委召开全会。", "南溪市委召开全会。", ["王小明"]),
    ("新华社北京3月5日电（记者 李华 张伟）国务院召开常务会议。", "国务院召开常务会议。", ["李华", "张伟"]),
    ("（记者 王小明 通讯员 赵小红）南溪举行运动会。", "南溪举行运动会。", ["王小明", "赵小红"]),
    ("南溪举行运动会。融媒记者 王小明 通讯员 赵小红 摄", "南溪举行运动会。", ["王小明", "赵小红"]),
    ("本报记者 王小明 报道\n南溪举行运动会。", "南溪举行运动会。", ["王小明"]),
    ("南溪举行运动会。\n比赛持续两天。（记者 王小明）", "南溪举行运动会。\n比赛持续两天。", ["王小明"]),
    ("市委书记林建国主持会议。", "市委书记林建国主持会议。", []),
    ("记者从市统计局获悉，一季度南溪经济运行平稳。", "记者从市统计局获悉，一季度南溪经济运行平稳。", []),
]

# (repaired page, [(title, text, reporters), ...])
SPLIT_CASES = [
    # a headline at the end of the page belongs to the untitled article before it
    (
        "本报讯（记者 王小明）南溪市委召开全体会议。\n南溪召开全会",
        [("南溪召开全会", "南溪市委召开全体会议。", ["王小明"])],
    ),
    # a headline before its article; a continuation is an article of its own, untitled
    (
        "南溪召开全会\n本报讯（记者 王小明）南溪市委召开全体会议。\n（紧接1版）各地要抓好落实。",
        [("南溪召开全会", "南溪市委召开全体会议。", ["王小明"]), (None, "各地要抓好落实。", [])],
    ),
    # two bylined articles back to back, no headlines
    (
        "本报讯（记者 王小明）南溪市委召开全体会议。\n本报讯（记者 赵小红）南溪市政府召开常务会议。",
        [(None, "南溪市委召开全体会议。", ["王小明"]), (None, "南溪市政府召开常务会议。", ["赵小红"])],
    ),
    # a photo caption takes the first headline line after its credit; the rest heads the next article
    (
        "南溪举行运动会。融媒记者 王小明 摄\n激情运动会\n"
        "南溪召开全会\n本报讯（记者 赵小红）南溪市委召开全体会议。",
        [
            ("激情运动会", "南溪举行运动会。", ["王小明"]),
            ("南溪召开全会", "南溪市委召开全体会议。", ["赵小红"]),
        ],
    ),
    # a dateline is page furniture: it belongs to no article and heads none
    (
        "2024年3月6日 星期三\n南溪召开全会\n本报讯（记者 王小明）南溪市委召开全体会议。",
        [("南溪召开全会", "南溪市委召开全体会议。", ["王小明"])],
    ),
    # a line ending with a colon leads into what follows: body, not a headline
    (
        "南溪市委召开全体会议。\n会议提出两点要求：\n一是抓落实。",
        [(None, "南溪市委召开全体会议。\n会议提出两点要求：\n一是抓落实。", [])],
    ),
    # `（完）` ends an article; a byline standing alone after a body is that body's
    (
        "本报讯（记者 王小明）南溪市委召开全体会议。（完）\n"
        "南溪召开常务会议\n市政府召开会议。\n（记者 赵小红）",
        [
            (None, "南溪市委召开全体会议。", ["王小明"]),
            ("南溪召开常务会议", "市政府召开会议。", ["赵小红"]),
        ],
    ),
    # one plain article is one article
    (
        "南溪市委召开全会。\n会议指出，要抓好落实。",
        [(None, "南溪市委召开全会。\n会议指出，要抓好落实。", [])],
    ),
]

# The seed page: (raw line number of the title, raw line numbers of subtitles, raw line number of the byline
# or photo credit naming the reporters, raw line number whose closed-up text begins the article body)
SEED_ARTICLES = [
    (7, [], 6, 2),
    (9, [10], 12, 13),
    (234, [236, 237], 138, 140),
    (None, [], None, 239),
]

# The demo page (invented text): title, subtitles, reporters, first characters of the body
DEMO_ARTICLES = [
    ("反诈宣传进社区", [], ["孙浩然", "李静怡"], "3月5日，南溪农商银行城东支行"),
    ("南溪市制造业数字化转型专题培训班开班", ["胡立新作开班动员"], ["何雨桐"], "2024年3月5日下午，"),
    ("以创新驱动赋能实体经济高质量发展", ["林建国在企业调研时强调"], ["郑文博", "钱晓东"], "3月4日至5日，"),
    (
        "南溪市委理论学习中心组举行集体学习",
        ["周晓梅作专题辅导", "林建国主持并讲话"],
        ["何雨桐"],
        "3月5日上午，南溪市委理论学习中心组",
    ),
    (None, [], [], "实干才能出实绩。"),
]


def _raw_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _closed_up(raw: str) -> str:
    """A raw seed line with its spaces removed, as repair leaves body text."""
    return re.sub(r"\s+", "", raw)


@pytest.fixture(scope="module")
def seed_page() -> str:
    return repair(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_articles(seed_page: str) -> list[PageArticle]:
    return split_page(seed_page)


@pytest.fixture(scope="module")
def gold_people() -> set[str]:
    return set(json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])["people"])


@pytest.mark.parametrize(("text", "expected"), REPAIR_CASES)
def test_repair_closes_spacing_and_joins_wrapped_lines(text: str, expected: str) -> None:
    assert repair(text) == expected


@pytest.mark.parametrize(("text", "expected_text", "expected_reporters"), BYLINE_CASES)
def test_pull_bylines_separates_reporters_from_text(
    text: str, expected_text: str, expected_reporters: list[str]
) -> None:
    assert pull_bylines(text) == (expected_text, expected_reporters)


@pytest.mark.parametrize(("page", "expected"), SPLIT_CASES)
def test_split_page_assigns_headlines_and_bylines(page: str, expected: list[tuple]) -> None:
    articles = split_page(page)
    assert [(a.title, a.text, a.reporters) for a in articles] == expected
    assert all(page[a.start : a.end] == a.text for a in articles)


def test_seed_repair_leaves_no_letter_spacing_or_blank_lines(seed_page: str) -> None:
    assert "\n\n" not in seed_page
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]", seed_page)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", seed_page)


def test_seed_page_splits_into_four_articles(seed_articles: list[PageArticle]) -> None:
    assert len(seed_articles) == 4


@pytest.mark.parametrize(
    ("index", "title_line", "subtitle_lines", "byline_line", "body_line"),
    [(i, *row) for i, row in enumerate(SEED_ARTICLES)],
)
def test_seed_article_titles_reporters_and_bodies(
    seed_articles: list[PageArticle],
    gold_people: set[str],
    index: int,
    title_line: int | None,
    subtitle_lines: list[int],
    byline_line: int | None,
    body_line: int,
) -> None:
    raw = _raw_lines()
    article = seed_articles[index]
    assert article.title == (None if title_line is None else _closed_up(raw[title_line - 1]))
    assert article.subtitles == [_closed_up(raw[n - 1]) for n in subtitle_lines]
    expected_reporters = (
        set() if byline_line is None else {p for p in gold_people if p in raw[byline_line - 1]}
    )
    assert set(article.reporters) == expected_reporters
    first = _closed_up(raw[body_line - 1])
    first = re.sub(r"^（紧接\d+版）", "", first)  # the continuation marker is not article text
    assert article.text.startswith(first[:10])


def test_seed_article_three_is_headed_by_the_headline_printed_after_it(
    seed_page: str, seed_articles: list[PageArticle]
) -> None:
    third = seed_articles[2]
    assert seed_page.index(third.title or "?") > third.end  # the headline stands after the body
    assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日", third.text)  # it opens with its dated first line


def test_seed_articles_hold_no_bylines_headlines_or_markers(
    seed_page: str, seed_articles: list[PageArticle]
) -> None:
    for article in seed_articles:
        assert seed_page[article.start : article.end] == article.text
        assert not re.search(r"本报讯|融媒|紧接|摄$", article.text)
        assert article.text.rstrip("”")[-1] in "。！？"
    assert [a.start for a in seed_articles] == sorted(a.start for a in seed_articles)
    headline_lines = {t for a in seed_articles for t in [a.title, *a.subtitles] if t}
    offset = 0
    for line in seed_page.split("\n"):  # every headline line stands outside every article's span
        if line in headline_lines:
            assert not any(a.start <= offset < a.end for a in seed_articles)
        offset += len(line) + 1


def test_seed_reporters_are_not_event_participants(seed_articles: list[PageArticle]) -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    participants = {p["name"] for e in gold["events"] for p in e["participants"]}
    reporters = {r for a in seed_articles for r in a.reporters}
    assert reporters and reporters <= set(gold["people"]) and not reporters & participants


@pytest.mark.parametrize(("index", "expected"), list(enumerate(DEMO_ARTICLES)))
def test_demo_page_splits_like_the_seed(index: int, expected: tuple) -> None:
    page = repair(DEMO_PAGE.read_text(encoding="utf-8"))
    articles = split_page(page)
    assert len(articles) == len(DEMO_ARTICLES)
    title, subtitles, reporters, opening = expected
    article = articles[index]
    assert (article.title, article.subtitles, article.reporters) == (title, subtitles, reporters)
    assert article.text.startswith(opening)
    assert page[article.start : article.end] == article.text


def test_demo_page_keeps_the_goal_and_the_two_day_tour_in_their_articles() -> None:
    articles = split_page(repair(DEMO_PAGE.read_text(encoding="utf-8")))
    assert "到2025年，全市规上工业企业数字化改造覆盖率超过85%" in articles[1].text
    assert "共计160余人" in articles[1].text
    assert articles[2].text.startswith("3月4日至5日，市委书记林建国")
