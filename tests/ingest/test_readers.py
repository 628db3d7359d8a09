"""Reading inputs: encodings, binary and empty files, JSON Lines (streamed), JSON, HTML, folders.

Every input is written to tmp_path by the test itself (the sample sentences are the project's own).
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from ingest.errors import InputError
from ingest.readers import RawArticle, read_inputs

SAMPLE = "3月5日上午，南溪市委理论学习中心组举行集体学习。\n市委书记林建国主持会议。"

# (file name, bytes written, text read back)
DECODING_CASES = [
    ("utf8.txt", SAMPLE.encode("utf-8"), SAMPLE),
    ("utf8-bom.txt", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), SAMPLE),
    ("utf16-le.txt", SAMPLE.encode("utf-16"), SAMPLE),  # Python writes a BOM
    ("utf16-be.txt", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), SAMPLE),
    ("gb18030.txt", SAMPLE.encode("gb18030"), SAMPLE),
    ("gbk.txt", SAMPLE.encode("gbk"), SAMPLE),
    ("short-gb.txt", "南溪市委".encode("gb18030"), "南溪市委"),
    ("crlf.txt", "南溪市委\r\n召开会议。\r旧行尾".encode(), "南溪市委\n召开会议。\n旧行尾"),
    ("controls.txt", "南溪\x07市委\x1b召开\x7f会议\u0085。\t完".encode(), "南溪市委召开会议。\t完"),
    ("lost-char.txt", "南溪\ufffd市委".encode(), "南溪\ufffd市委"),
]

# (file name, bytes written, reason of the InputError)
UNREADABLE_CASES = [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary file, not text"),
    ("controls.txt", bytes(range(1, 9)) * 20, "binary file, not text"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\r\n", "empty"),
    ("bom-only.txt", codecs.BOM_UTF8 + b"\n", "empty"),
    ("blank.jsonl", b"\n\n  \n", "empty"),
    ("binary.jsonl", b'{"id": 1}\x00\x00\x01\x02', "binary file, not text"),
    ("blank.html", b"<html><body><script>var a = 1;</script></body></html>", "empty"),
    ("notes.md", "南溪".encode(), "unsupported file type .md; expected .txt, .jsonl, .json, .html, .htm"),
    ("broken.json", b'{"id": "a", "text": ', "not valid JSON: Expecting value (line 1, column 21)"),
]

# JSON Lines: (line, expected) where expected is ("article", id, title, date) or ("error", reason)
JSONL_CASES = [
    (
        '{"id": "nx-1", "date": "2024-03-06", "title": "会议", "text": "南溪市委召开会议。"}',
        ("article", "nx-1", "会议", "2024-03-06"),
    ),
    (
        '{"id": "nx-2", "text": "南溪市委召开',
        ("error", "not valid JSON: Unterminated string starting at (column 24)"),
    ),
    ('{"id": "nx-3", "title": "只有标题"}', ("error", "no 'text'")),
    ('{"id": "nx-4", "text": "   "}', ("error", "no 'text'")),
    ('{"date": null, "text": "没有编号的文章。"}', ("article", "news-5", None, None)),
    ("", None),  # blank lines are skipped without a word
    ("[1, 2]", ("error", "not a JSON object")),
    (
        '{"id": 8, "title": "", "text": "编号是数字。", "source": {"repo": "examples"}}',
        ("article", "8", None, None),
    ),
]

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>南溪新闻 &amp; 评论</title>
<meta name="date" content="2024-03-06T08:00:00+08:00">
<style>p { color: red }</style><script>var ad = "不要这段";</script></head>
<body><nav>首页</nav>
<article><h1>南溪召开全会</h1>
<p>3月5日，南溪市委<b>召开</b>
   全会。&nbsp;会议由林建国主持。</p>
<p>会议指出&#xff0c;要抓好落实&hellip;<br>第二行</p>
<script>document.write("广告")</script><!-- 注释 -->
</article></body></html>
"""

# (file name, HTML, expected (title, date, text, is_page))
HTML_CASES = [
    (
        "article.html",
        HTML_PAGE,
        (
            "南溪新闻 & 评论",
            "2024-03-06",
            "南溪召开全会\n3月5日，南溪市委召开全会。会议由林建国主持。\n会议指出，要抓好落实…\n第二行",
            False,
        ),
    ),
    (
        "page.htm",
        '<html><body><time datetime="2024/3/6">三月六日</time>'
        "<div>第一块</div><div>第二块</div></body></html>",
        (None, "2024-03-06", "三月六日\n第一块\n第二块", True),
    ),
    (
        "meta.html",
        '<html><head><meta property="article:published_time" content="2024-03-06"></head>'
        "<body><p>正文。</p></body></html>",
        (None, "2024-03-06", "正文。", True),
    ),
]


def _one(path: Path) -> RawArticle | InputError:
    items = list(read_inputs([path]))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize(("name", "data", "expected"), DECODING_CASES)
def test_txt_pages_decode_to_clean_text(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    item = _one(path)
    assert isinstance(item, RawArticle)
    assert item.text == expected
    assert (item.id, item.date, item.title, item.is_page, item.origin) == (
        path.stem,
        None,
        None,
        True,
        str(path),
    )


@pytest.mark.parametrize(("name", "data", "reason"), UNREADABLE_CASES)
def test_unusable_files_become_input_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    item = _one(path)
    assert isinstance(item, InputError)
    assert (item.item, item.reason) == (str(path), reason)
    assert "\n" not in str(item)


def test_jsonl_lines_become_articles_or_errors_in_order(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(line for line, _ in JSONL_CASES) + "\n", encoding="utf-8")
    items = list(read_inputs([path]))
    expected = [(n, e) for n, (_, e) in enumerate(JSONL_CASES, 1) if e is not None]
    assert len(items) == len(expected)
    for item, (number, want) in zip(items, expected, strict=True):
        if want[0] == "article":
            assert isinstance(item, RawArticle)
            assert (item.id, item.title, item.date) == want[1:]
            assert item.origin == f"{path}:{number}" and not item.is_page
        else:
            assert isinstance(item, InputError)
            assert (item.item, item.reason) == (f"{path}:{number}", want[1])
    assert isinstance(items[-1], RawArticle) and items[-1].source == {"repo": "examples"}


def test_jsonl_lines_decode_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    utf8 = json.dumps({"id": "a", "text": "南溪。"}, ensure_ascii=False).encode("utf-8")
    legacy = json.dumps({"id": "b", "text": "南溪。"}, ensure_ascii=False).encode("gb18030")
    broken = b'{"id": "c", "text": "\x80\xff"}'
    path.write_bytes(b"\n".join([utf8, legacy, broken, utf8]) + b"\n")
    items = list(read_inputs([path]))
    assert [i.text if isinstance(i, RawArticle) else str(i) for i in items] == [
        "南溪。",
        "南溪。",
        f"{path}:3: not valid UTF-8 or GB18030 text",
        "南溪。",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_jsonl_in_other_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": f"n{i}", "text": f"南溪第{i}条新闻。"}, ensure_ascii=False) for i in range(3)]
    path.write_bytes("\n".join(lines).encode(encoding))
    items = list(read_inputs([path]))
    assert [(i.id, i.text) for i in items if isinstance(i, RawArticle)] == [
        (f"n{i}", f"南溪第{i}条新闻。") for i in range(3)
    ]


def test_jsonl_of_100k_lines_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"id": "x", "text": "南溪市委召开全会。" * 4}, ensure_ascii=False) + "\n"
    path.write_text(line * 100_000, encoding="utf-8")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        stream = read_inputs([path])
        first = list(itertools.islice(stream, 1000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(first) == 1000 and peak < size / 10  # a whole-file read would peak above the file size
    with path.open("a", encoding="utf-8") as fh:  # lines added now are still read: nothing was read ahead
        fh.write(json.dumps({"id": "late", "text": "后来追加。"}, ensure_ascii=False) + "\n")
    rest = list(stream)
    assert len(rest) == 100_000 - 1000 + 1 and rest[-1].id == "late"  # type: ignore[union-attr]


def test_json_file_with_one_article_or_a_list(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "标题", "text": "正文。"}, ensure_ascii=False), encoding="utf-8")
    listed = tmp_path / "many.json"
    listed.write_text(json.dumps({"articles": [{"id": "a", "text": "甲。"}, {"id": "b"}]}), encoding="utf-8")
    items = list(read_inputs([single, listed]))
    assert [(type(i).__name__, getattr(i, "id", None) or getattr(i, "item", None)) for i in items] == [
        ("RawArticle", "one"),
        ("RawArticle", "a"),
        ("InputError", f"{listed}:2"),
    ]


@pytest.mark.parametrize(("name", "html", "expected"), HTML_CASES)
def test_html_text_title_and_date(tmp_path: Path, name: str, html: str, expected: tuple) -> None:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    item = _one(path)
    assert isinstance(item, RawArticle)
    assert (item.title, item.date, item.text, item.is_page) == expected
    assert item.id == path.stem


def test_html_in_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "gb.html"
    path.write_bytes(HTML_PAGE.replace("&amp;", "与").encode("gb18030"))
    item = _one(path)
    assert isinstance(item, RawArticle) and item.title == "南溪新闻 与 评论" and "林建国" in item.text


def test_folders_recurse_in_name_order_and_report_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2.txt").write_text("乙页。", encoding="utf-8")
    (tmp_path / "a" / "1.jsonl").write_text('{"id": "j1", "text": "甲。"}\n{"id": "j2", "text": "乙。"}\n')
    (tmp_path / "b.txt").mkdir()  # a folder named like a page is walked as a folder
    (tmp_path / "b.txt" / "inner.txt").write_text("内页。", encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>网页。</p>", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "ignore.md").write_text("不读。", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("不读。", encoding="utf-8")
    (tmp_path / "z.txt").write_text("末页。", encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    assert [i.id if isinstance(i, RawArticle) else i.reason for i in items] == [
        "j1",
        "j2",
        "2",
        "inner",
        "c",
        "cannot read: no such file or directory",
        "z",
    ]
    assert items[5].item == str(tmp_path / "dangling.txt")  # type: ignore[union-attr]
    assert list(read_inputs([tmp_path])) != [] and [str(i) for i in read_inputs([tmp_path])] == [
        str(i) for i in items
    ]  # deterministic


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    locked = tmp_path / "a.txt"
    locked.write_text("锁住。", encoding="utf-8")
    locked.chmod(0)
    (tmp_path / "b.txt").write_text("可读。", encoding="utf-8")
    try:
        items = list(read_inputs([tmp_path]))
    finally:
        locked.chmod(0o644)
    assert isinstance(items[0], InputError) and items[0].reason == "cannot read: permission denied"
    assert isinstance(items[1], RawArticle) and items[1].text == "可读。"


def test_missing_paths_and_empty_folders_are_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    items = list(read_inputs([tmp_path / "missing.jsonl", tmp_path / "empty"]))
    assert [str(i) for i in items] == [
        f"{tmp_path / 'missing.jsonl'}: cannot read: no such file or directory",
        f"{tmp_path / 'empty'}: no input files in folder (looked for .txt, .jsonl, .json, .html, .htm)",
    ]


def test_examples_folder_reads_without_errors() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    items = list(read_inputs([examples]))
    assert all(isinstance(i, RawArticle) for i in items)
    pages = [i for i in items if isinstance(i, RawArticle) and i.is_page]
    assert [p.id for p in pages] == ["nanxi-daily-2024-03-06"]
    assert len(items) == 5
