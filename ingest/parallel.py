"""Running extraction over many inputs: in this process, in N local processes, or on a Dask cluster.

Records are the seam: whatever runs the extraction, `extract_all` yields the same records in the same
order as one process would (inputs are read here, in order; results are put back in order). The segmenter
loads once per worker process (it is cached per process in `ingest.segment`), never per article.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import InputError
from ingest.readers import RawArticle, read_inputs
from ingest.records import Record

BATCH = 16  # articles per task sent to a worker


@dataclass
class Unchanged:
    """An input article whose stored content hash matches: not extracted again."""

    id: str


Item = RawArticle | InputError | Unchanged  # what flows from the readers to the extractors
Result = list[Record] | InputError | Unchanged  # what flows back


# --- helpers ---------------------------------------------------------------------------------------
def _extract_one(raw: RawArticle, date: dt.date | None, locale: str | None) -> list[Record] | InputError:
    from ingest.pipeline import extract

    try:
        return extract(raw, date, locale)
    except InputError as err:  # an article too long to extract
        return err
    except RecursionError:
        return InputError(raw.origin or raw.id, "text too deeply nested to extract")


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _run_chunk(chunk: list[Item], date: dt.date | None, locale: str | None = None) -> list[Result]:
    return [x if isinstance(x, (InputError, Unchanged)) else _extract_one(x, date, locale) for x in chunk]


# --- entry point -----------------------------------------------------------------------------------
def extract_all(
    paths: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    locale: str | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    unchanged: Callable[[RawArticle], bool] | None = None,
) -> Iterator[Record | InputError | Unchanged]:
    """Records (and InputErrors for bad items) for every article under `paths`, in input order.

    `unchanged(raw)` True means the store already holds this article as it is: it is reported as
    `Unchanged` and not extracted (ingest reruns cost only reading and hashing).
    """
    items: Iterable[Item] = read_inputs(paths)
    if unchanged is not None:
        items = (Unchanged(x.id) if isinstance(x, RawArticle) and unchanged(x) else x for x in items)
    if dask_address:
        results = _on_dask(items, date, locale, dask_address)
    elif workers > 1:
        results = _on_processes(items, date, locale, workers)
    else:
        results = (_run_chunk(chunk, date, locale) for chunk in _batches(items, BATCH))
    for chunk in results:
        for res in chunk:
            if isinstance(res, (InputError, Unchanged)):
                yield res
            else:
                yield from res


def _on_processes(
    items: Iterable[Item], date: dt.date | None, locale: str | None, workers: int
) -> Iterator[list[Result]]:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        jobs = ((chunk, date, locale) for chunk in _batches(items, BATCH))
        yield from pool.imap(_star_chunk, jobs, chunksize=1)


def _star_chunk(
    args: tuple[list[Item], dt.date | None, str | None],
) -> list[Result]:
    return _run_chunk(*args)


def _on_dask(
    items: Iterable[Item], date: dt.date | None, locale: str | None, address: str
) -> Iterator[list[Result]]:
    try:
        from distributed import Client
    except ImportError as e:  # pragma: no cover - depends on the optional extra
        raise InputError("--dask", "needs the dask extra: pip install 'dashiji[dask]'") from e
    with Client(address) as client:
        window: list = []
        for chunk in _batches(items, BATCH * 4):
            window.append(client.submit(_run_chunk, chunk, date, locale, pure=False))
            if len(window) >= 8:
                yield window.pop(0).result()
        for fut in window:
            yield fut.result()
