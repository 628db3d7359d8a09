"""`guess_locale`: the city a page is about, and never a country taken for a city."""

from __future__ import annotations

from ingest.pipeline import guess_locale
from ingest.records import Record


def _loc(text: str, *names: str) -> list[tuple[str, str, int, int]]:
    """LOC spans at every occurrence of these names (what the recognizer gives for them)."""
    spans = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            spans.append((name, "LOC", at, at + len(name)))
            at = text.find(name, at + len(name))
    return spans


def test_a_city_written_with_its_party_committee_is_the_locale() -> None:
    text = "南溪市委理论学习中心组举行集体学习。南溪正在推进产业升级，南溪的干部群众积极参与。"
    assert guess_locale(text, _loc(text, "南溪")) == "南溪"


def test_the_most_frequent_country_of_a_national_report_is_not_a_city() -> None:
    text = "中国同越南友好合作。中国愿同越南一道，推动中越关系发展，中国和越南人民受益。"
    assert guess_locale(text, _loc(text, "中国", "越南")) is None


def test_a_county_written_as_one_counts_without_a_city_suffix() -> None:
    text = "南溪县召开大会。南溪县县长出席。"
    assert guess_locale(text, _loc(text, "南溪县")) == "南溪县"


def test_a_national_report_s_places_resolve_as_written() -> None:
    """End to end: a report about China and Vietnam gets no locale, so `中国` stays `中国` in the graph
    (not `中国市`, as a locale `中国` made of it)."""
    from graph.build import build_facts
    from ingest.pipeline import extract_text

    text = (
        "新华社北京3月5日电 3月4日，中国同越南在北京举行会谈。中国愿同越南一道推动合作，"
        "中国和越南两国人民都将受益。中国外交部发言人介绍了会谈情况。"
    )
    (record,) = extract_text("t-locale", text, date="2024-03-05")
    assert isinstance(record, Record) and record.locale != "中国"
    places = {n.props["name"] for n in build_facts(record).nodes if n.kind == "Place"}
    assert "中国市" not in places


def test_the_party_prefix_is_not_part_of_the_city() -> None:
    """中共南溪市委: the city is 南溪, not 共南溪 (which made events of such a page happen in 共南溪市)."""
    text = "经中共南溪市委研究决定，林建国同志不再担任中共南溪市委书记职务。"
    assert guess_locale(text, []) == "南溪"


def test_the_only_city_of_a_page_about_its_own_city_counts_when_written_once() -> None:
    text = "6月17日下午，市委副书记、市长胡立新主持召开南溪市人民政府第十二次常务会议。副市长赵玉兰等市政府领导出席。"
    assert guess_locale(text, []) == "南溪"
    # without a word of its own city (市委, 市政府, 全市...) one mention is not enough
    assert guess_locale("代表团参观了南溪市人民政府和一家企业。", []) is None
    # nor when two cities are written once each
    assert guess_locale("南溪市委书记和北川市委书记出席。全市干部参加。", []) is None
