"""Bad input through the real command line: each bad item gets one stderr line naming it and the reason,
every good item is extracted and stored, the exit code is 2 when an item failed (0 otherwise), and the
summary line counts both.

Every case is written by the test into tmp_path (no file is copied from anywhere) and given to `extract`
and to `ingest`, always together with a good two-article corpus, so that "the rest still goes in" is checked
every time. The text is invented (南溪 is the fictional city of examples/).
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.store import open_store

from .synthetic import run

ARTICLE = "3月5日上午，南溪市委召开常委会会议。市委书记林建国主持会议并讲话，副市长周晓梅出席。"
OTHER = "3月6日，南溪市人民政府召开全市安全生产工作会议。市长胡立新主持会议。"
COMPANION = [  # given with every case: these two must always come through
    {"id": "companion-1", "date": "2024-03-05", "title": "常委会", "text": ARTICLE},
    {"id": "companion-2", "date": "2024-03-06", "title": "安全生产", "text": OTHER},
]


def _line(ident: str, text: str = ARTICLE, date: str = "2024-03-05") -> str:
    return json.dumps({"id": ident, "date": date, "title": "要闻", "text": text}, ensure_ascii=False)


@dataclass
class Case:
    """One bad (or awkward) input: how to write it, and what must come of it."""

    name: str
    write: Callable[[Path], Path]  # writes the input into a folder, returns the path given to the CLI
    records: int  # records `extract` prints for it (the companion's two not counted)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (item named, reason) of each error line
    stored: int | None = None  # articles stored, when fewer than records (a repeated article)
    check: Callable[[list[dict]], None] | None = None  # more checks on its extracted records


# --- the inputs ------------------------------------------------------------------------------------
def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return write


def _lines(name: str, *lines: str | bytes) -> Callable[[Path], Path]:
    data = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n" for x in lines)
    return _bytes(name, data)


def _big_page(folder: Path) -> Path:
    """A 20 MB '.txt page' (a dump of 60,000 short reports): refused before it is read."""
    one = f"南溪要闻\n{ARTICLE}\n".encode()
    path = folder / "huge-page.txt"
    with path.open("wb") as out:
        for _ in range(20 * 2**20 // len(one) + 1):
            out.write(one)
    return path


def _unreadable_folder(folder: Path) -> Path:
    """A folder with one good page, a dangling symlink, a FIFO and a folder named like a page."""
    root = folder / "inbox"
    root.mkdir()
    (root / "a-good.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(root / "gone.txt", root / "b-dangling.txt")
    os.mkfifo(root / "c-fifo.txt")
    (root / "d-folder.txt").mkdir()  # walked as a folder: holds nothing, says nothing
    return root


def _empty_folder_named_txt(folder: Path) -> Path:
    (folder / "x.txt").mkdir()
    return folder / "x.txt"


def _texts(records: list[dict]) -> str:
    return "\n".join(r["text"] for r in records)


def _check_decoded(records: list[dict]) -> None:
    assert ARTICLE in _texts(records).replace("\n", "") and "林建国" in records[0]["people"]
    assert "\ufeff" not in _texts(records)


def _check_cleaned(records: list[dict]) -> None:
    text = _texts(records)
    assert "\ufffd" in text  # a character lost upstream stays visible
    assert not any(c in text for c in "\x07\x1b\x0b\x7f\x85")  # control characters are dropped
    assert "林建国" in {p for r in records for p in r["people"]}


def _check_html(records: list[dict]) -> None:
    text = _texts(records)
    assert "alert" not in text and "document.write" not in text and "不要这段" not in text
    assert "“全会”" in text and "&ldquo;" not in text and "&nbsp;" not in text and "林建国" in text


def _check_impossible_date(records: list[dict]) -> None:
    import datetime as dt

    for ev in (e for r in records for e in r["events"]):
        for value in (ev["date"], ev["end_date"]):
            if value and len(value) == 10:
                dt.date.fromisoformat(value)  # every day given is a real day
    assert not any("02-30" in (e["date"] or "") for r in records for e in r["events"])


CASES = [
    Case("empty file", _bytes("empty.txt", b""), 0, [("empty.txt", "empty")]),
    Case(
        "binary file",
        _bytes("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        0,
        [("photo.txt", "binary file, not text")],
    ),
    Case("GB18030 file", _bytes("gb.txt", ARTICLE.encode("gb18030")), 1, check=_check_decoded),
    Case("UTF-8 with BOM", _bytes("bom.txt", codecs.BOM_UTF8 + ARTICLE.encode()), 1, check=_check_decoded),
    Case("UTF-16 file", _bytes("utf16.txt", ARTICLE.encode("utf-16")), 1, check=_check_decoded),
    Case(
        "truncated JSON line among good ones",
        _lines("cut.jsonl", _line("cut-1"), _line("cut-2", OTHER)[:40], _line("cut-3", OTHER)),
        2,
        [("cut.jsonl:2", "not valid JSON: Unterminated string")],
    ),
    Case(
        "JSON line missing text",
        _lines("notext.jsonl", _line("nt-1"), '{"id": "nt-2", "title": "只有标题"}'),
        1,
        [("notext.jsonl:2", "no 'text'")],
    ),
    Case(
        "line in no known encoding",
        _lines("latin.jsonl", _line("enc-1"), b'{"id": "enc-2", "text": "\xff\xfe\xfa caf\xe9"}'),
        1,
        [("latin.jsonl:2", "not valid UTF-8 or GB18030 text")],
    ),
    Case("20 MB page", _big_page, 0, [("huge-page.txt", "too large for one page (20.0 MiB")]),
    Case(
        "article too long to extract",
        _lines("long.jsonl", _line("long-1", ARTICLE * 3000), _line("long-2", OTHER)),
        1,
        [("long.jsonl:1", f"article long-1 is too long to extract ({len(ARTICLE) * 3000:,} characters")],
    ),
    Case(
        "page of only punctuation",
        _bytes("punct.txt", "。，、！？……——《》“”（）【】\n".encode() * 40),
        0,
        [("punct.txt", "no words, only punctuation or symbols")],
    ),
    Case(
        "JSON line of only punctuation",
        _lines("punct.jsonl", _line("pj-1"), _line("pj-2", "……！！？？")),
        1,
        [("punct.jsonl:2", "no words in 'text'")],
    ),
    Case(
        "U+FFFD and control characters",
        _lines(
            "noise.jsonl",
            _line(
                "noise-1", "3月5日上午，南溪\ufffd市委召开\x07常委会\x1b会议。市委书记林建国\x0b主持会议。"
            ),
            '{"id": "noise-2", "text": "3月6日，南溪市委\x7f召开\x07全会。\x1b林建国主持。"}',  # raw, not escaped
        ),
        2,
        check=_check_cleaned,
    ),
    Case(
        "page with control characters",
        _bytes(
            "noisy-page.txt",
            "3月5日上午，南溪\ufffd市委召开\x07常委会\x1b会议。市委书记林建国主持会议。".encode(),
        ),
        1,
        check=_check_cleaned,
    ),
    Case(
        "HTML with scripts and entities",
        _bytes(
            "page.html",
            "<html><head><title>南溪 &amp; 要闻</title><script>alert('不要这段')</script></head><body>"
            "<p>3月7日，南溪市委召开&ldquo;全会&rdquo;&#12290;市委书记林建国主持会议&nbsp;。</p>"
            "<script>document.write('不要这段')</script><style>p{color:red}</style></body></html>".encode(),
        ),
        1,
        check=_check_html,
    ),
    Case(
        "impossible date 2月30日",
        _lines(
            "feb30.jsonl",
            _line("feb30", "2月30日上午，南溪市委召开常委会会议。林建国主持会议。", "2024-03-05"),
        ),
        1,
        check=_check_impossible_date,
    ),
    Case("article repeated twice", _lines("twice.jsonl", _line("twice"), _line("twice")), 2, stored=1),
    Case(
        "folder with unreadable files",
        _unreadable_folder,
        1,
        [("b-dangling.txt", "cannot read: no such file or directory"), ("c-fifo.txt", "not a regular file")],
    ),
    Case("folder named like a page", _empty_folder_named_txt, 0, [("x.txt", "no input files in folder")]),
]


# --- running them ----------------------------------------------------------------------------------
def _companion(folder: Path) -> str:
    path = folder / "companion.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in COMPANION), encoding="utf-8")
    return str(path)


def _inputs(tmp_path: Path, case: Case) -> list[str]:
    folder = tmp_path / "in"
    folder.mkdir()
    return [str(case.write(folder)), _companion(folder)]


def _check_error_lines(stderr: str, case: Case) -> None:
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == len(case.bad), stderr
    for (item, reason), line in zip(case.bad, errors, strict=True):
        assert item in line and reason in line, f"expected {item!r}: {reason!r}, got {line!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_item_is_named_and_the_rest_is_extracted(tmp_path: Path, case: Case) -> None:
    res = run("extract", *_inputs(tmp_path, case))
    assert res.returncode == (2 if case.bad else 0), res.stderr
    _check_error_lines(res.stderr, case)
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(records) == case.records + len(COMPANION)
    assert [r["id"] for r in records][-2:] == ["companion-1", "companion-2"]
    if case.bad:
        assert res.stderr.splitlines()[-1] == (
            f"{len(records)} records extracted, {len(case.bad)} input item(s) failed"
        )
    if case.check:
        case.check(records[: case.records])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_item_is_named_and_the_rest_is_stored(tmp_path: Path, case: Case) -> None:
    store = tmp_path / "g.dashiji"
    res = run("ingest", *_inputs(tmp_path, case), store=store)
    assert res.returncode == (2 if case.bad else 0), res.stderr
    _check_error_lines(res.stderr, case)
    read = case.records + len(COMPANION)
    stored = (case.records if case.stored is None else case.stored) + len(COMPANION)
    summary = res.stdout.splitlines()[0]
    assert (
        summary
        == f"{read} articles read, {stored} written, {read - stored} unchanged, {len(case.bad)} failed"
    )
    with open_store(store, read_only=True) as graph:
        articles = list(graph.nodes("Article"))
        assert len(articles) == stored  # nothing lost, nothing twice
        assert len({a["id"] for a in articles}) == stored


def test_repeated_article_is_stored_once_exactly_as_a_single_one(tmp_path: Path) -> None:
    once, twice = tmp_path / "once.jsonl", tmp_path / "twice.jsonl"
    once.write_text(_line("twice") + "\n", encoding="utf-8")
    twice.write_text((_line("twice") + "\n") * 2, encoding="utf-8")
    assert run("ingest", str(once), store=tmp_path / "once.dashiji").returncode == 0
    assert run("ingest", str(twice), store=tmp_path / "twice.dashiji").returncode == 0
    with (
        open_store(tmp_path / "once.dashiji", read_only=True) as a,
        open_store(tmp_path / "twice.dashiji", read_only=True) as b,
    ):
        assert a.dump() == b.dump()  # no doubled evidence, no second Article


def test_every_case_at_once_with_the_crf(tmp_path: Path) -> None:
    """All the cases in one `ingest` run, as a user would give them, with the CRF entity recognizer on."""
    paths: list[str] = []
    for k, case in enumerate(CASES):
        folder = tmp_path / f"case-{k:02d}"
        folder.mkdir()
        paths.append(str(case.write(folder)))
    paths.append(_companion(tmp_path))
    res = run("ingest", *paths, store=tmp_path / "all.dashiji", ner=True)
    read = sum(c.records for c in CASES) + len(COMPANION)
    stored = sum(c.records if c.stored is None else c.stored for c in CASES) + len(COMPANION)
    failed = sum(len(c.bad) for c in CASES)
    assert res.returncode == 2
    assert len([line for line in res.stderr.splitlines() if line.startswith("Error: ")]) == failed
    assert res.stdout.splitlines()[0] == (
        f"{read} articles read, {stored} written, {read - stored} unchanged, {failed} failed"
    )
