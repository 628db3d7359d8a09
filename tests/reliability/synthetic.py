"""Short invented news articles for the reliability tests, and small helpers to run the CLI on them.

The articles are about invented officials of invented cities (南溪 and its neighbours, as in examples/);
they are generated from a seed, so a test gets the same corpus every time.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

SURNAMES = "林周胡赵陈王李张刘杨黄吴徐孙马朱"
GIVEN = "建国晓梅立新玉兰志强海燕文华春生明德秀英"
CITIES = ("南溪", "北川", "东岭", "西坪", "青禾", "白石")
ACTIVITIES = (
    "召开常委会会议",
    "举行理论学习中心组集体学习",
    "举办干部培训班开班仪式",
    "开展安全生产督查",
    "召开民营企业座谈会",
)


def article(number: int, rng: random.Random, edition: int = 1) -> dict[str, Any]:
    """One short article `syn-<number>`; another `edition` changes its text (a corrected report)."""

    def name() -> str:
        return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))

    city, host, guest = rng.choice(CITIES), name(), name()
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    text = (
        f"{month}月{day}日上午，{city}市委{rng.choice(ACTIVITIES)}。市委书记{host}主持会议并讲话，"
        f"副市长{guest}出席。会议要求，到2025年完成第{number}项重点任务。"
    )
    if edition > 1:
        text += f"（第{edition}版更正：会议地点为{city}市行政中心。）"
    return {
        "id": f"syn-{number:05d}",
        "date": f"2024-{month:02d}-{day:02d}",
        "title": f"{city}要闻",
        "text": text,
    }


def corpus(numbers: range, seed: int = 6, changed: Collection[int] = ()) -> list[dict[str, Any]]:
    """Articles for `numbers`; those in `changed` in their second edition (same id, other text)."""
    out = []
    for n in numbers:
        rng = random.Random(seed * 1_000_003 + n)  # one generator per article: editions differ only by text
        out.append(article(n, rng, edition=2 if n in changed else 1))
    return out


def write_jsonl(path: Path, articles: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def cli_env(ner: bool = False) -> dict[str, str]:
    """The environment for `python -m dashiji`: the embedded store only; the CRF off unless `ner`."""
    env = dict(os.environ)
    env.pop("NEO4J_URI", None)
    env.pop("DASHIJI_STORE", None)
    env.pop("DASHIJI_NO_NER", None)
    if not ner:
        env["DASHIJI_NO_NER"] = "1"
    return env


def cli(*args: str, store: Path | None = None) -> list[str]:
    """The argv of `python -m dashiji [--store S] ARGS`."""
    return [sys.executable, "-m", "dashiji", *(["--store", str(store)] if store else []), *args]


def run(*args: str, store: Path | None = None, ner: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args, store=store), capture_output=True, text=True, cwd=ROOT, env=cli_env(ner), timeout=300
    )
