"""Re-ingest and removal on real records: after any mix of new, changed, removed and re-added articles,
Neo4j holds exactly the graph the embedded store holds for the same steps.

This drives every write path of the Neo4j store: views grown by new articles (their contributions kept in
the new article's ledger), views rebuilt from all contributions when a stored article changes or goes
(`_contrib` plus the other articles' ledger entries), and items left without any contribution.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.build import build_facts
from graph.model import ArticleFacts
from graph.store.base import Store
from graph.store.networkx_store import NetworkxStore
from ingest.parallel import extract_all
from ingest.records import Record

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "official_news.jsonl"
ARTICLES = 90
NOW = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> list[ArticleFacts]:
    corpus = tmp_path_factory.mktemp("churn") / "corpus.jsonl"
    with open(CORPUS, encoding="utf-8") as src:
        corpus.write_text("".join(itertools.islice(src, ARTICLES)), encoding="utf-8")
    records = [r for r in extract_all([corpus]) if isinstance(r, Record)]
    assert len(records) == ARTICLES
    return [build_facts(r, now=NOW) for r in records]


def changed(f: ArticleFacts) -> ArticleFacts:
    """The article with its last nodes (and every edge touching them) gone, under a new content hash."""
    keep = f.nodes[: max(1, len(f.nodes) * 2 // 3)]
    ids = {n.id for n in keep}
    edges = [e for e in f.edges if e.src in ids and e.dst in ids]
    return dataclasses.replace(f, content_hash=f.content_hash + "-changed", nodes=keep, edges=edges)


@pytest.fixture
def pair(neo4j_store: Store, tmp_path: Path) -> Iterator[tuple[NetworkxStore, Store]]:
    neo4j_store.wipe()  # type: ignore[attr-defined]
    embedded = NetworkxStore(tmp_path / "churn.dashiji")
    try:
        yield embedded, neo4j_store
    finally:
        embedded.close()
        neo4j_store.wipe()  # type: ignore[attr-defined]


def same(embedded: NetworkxStore, neo4j: Store) -> None:
    left, right = embedded.dump(), neo4j.dump()
    for part in ("nodes", "edges"):
        assert len(left[part]) == len(right[part]), part
        for a, b in zip(left[part], right[part], strict=True):
            assert a == b, f"{part}: {a.get('id')} differs"


def test_changed_removed_and_readded_articles_give_the_embedded_graph(
    pair: tuple[NetworkxStore, Store], facts: list[ArticleFacts]
) -> None:
    embedded, neo4j = pair
    steps: list[list[ArticleFacts] | str] = [
        facts[:30],
        facts[30:60],
        [changed(f) for f in facts[5:45:3]] + facts[60:],  # changed beside new in one chunk
        "remove:" + ",".join(f.article_id for f in facts[40:70:2]),
        facts[40:70:2] + [changed(f) for f in facts[1:30:4]],  # re-added: new again to the store
        facts[5:45:3],  # back to the original content
    ]
    for step in steps:
        for store in (embedded, neo4j):
            if isinstance(step, str):
                for article in step.removeprefix("remove:").split(","):
                    assert store.remove_article(article)
            else:
                store.put_articles(step)
        same(embedded, neo4j)
    assert neo4j.counts() == embedded.counts()
