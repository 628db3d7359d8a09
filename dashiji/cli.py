"""The `dashiji` command line: thin — pick the store, call one library function, print.

Read-only commands (`query`, `timeline`, `export`, `cypher`) never import the language stack; only
`extract` and `ingest` load the segmenter. Library errors (`DashijiError`) print as one line
`Error: …` and exit with the class's code; a run where some input items failed exits 2.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import click

from ingest.errors import DashijiError, InputError, QueryError

EXIT_SOME_FAILED = 2
ROWS_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="How rows are printed.",
)
CHECKPOINT_SHARE = 0.1  # at most this share of an ingest's time goes to saving the embedded store mid-run


# --- helpers ---------------------------------------------------------------------------------------
def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO date (YYYY-MM-DD): {value}") from None


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected k=v, got {pair!r}", param_hint="--param")
        out[key] = value
    return out


def _open_store(ctx: click.Context, read_only: bool = False) -> Any:
    from graph.store import open_store

    obj = ctx.obj
    return open_store(obj["neo4j"] or obj["store"], read_only=read_only)


def _print_rows(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(r.get(k)) for k in columns})
        click.echo(buf.getvalue(), nl=False)
    else:
        _print_table(rows, columns)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "、".join(_cell(x) for x in v)
    return str(v)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    click.echo(line(columns))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))
    click.echo(f"({len(rows)} rows)")


@dataclass
class _Failures:
    """How many input items failed, each named on stderr already (a count: a million bad lines cost nothing)."""

    count: int = 0


def _extracted(
    paths: tuple[str, ...],
    date: dt.date | None,
    locale: str | None,
    workers: int,
    dask: str | None,
    failures: _Failures,
    unchanged: Any = None,
) -> Iterator[Any]:
    """Records for every input item, in input order; bad items reported on stderr and counted."""
    from ingest.parallel import extract_all

    for item in extract_all(
        paths, date=date, locale=locale, workers=workers, dask_address=dask, unchanged=unchanged
    ):
        if isinstance(item, InputError):
            click.echo(f"Error: {item}", err=True)
            failures.count += 1
            continue
        yield item


@contextlib.contextmanager
def _ctrl_c_after() -> Iterator[None]:
    """Holds back Ctrl-C (SIGINT) until the block is done: a store write cut in the middle would leave an
    article half merged in memory, and the store saves what it holds when it closes. The handler is
    swapped for one that only notes the signal (blocking it in this thread is not enough: the kernel may
    hand it to another thread, such as one numpy's BLAS started, and Python still raises it here)."""
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)  # a Ctrl-C that came meanwhile is raised now


class _Checkpoints:
    """Saves the embedded store after a written batch, so that a crash loses only the batches since the last
    save. A save is skipped while less time has passed since the last one than 1/CHECKPOINT_SHARE times what
    that one took (a big store file is slow to rewrite). Neo4j commits each batch itself: nothing to do."""

    def __init__(self, store: Any) -> None:
        self._flush = getattr(store, "flush", None)
        self._last_end = time.monotonic()
        self._last_cost = 0.0

    def after_batch(self) -> None:
        start = time.monotonic()
        if self._flush is None or start - self._last_end < self._last_cost / CHECKPOINT_SHARE:
            return
        self._flush()
        self._last_end = time.monotonic()
        self._last_cost = self._last_end - start


# --- the command group -----------------------------------------------------------------------------
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="DASHIJI_STORE",
    default=None,
    metavar="PATH",
    help="Embedded store file (default: $DASHIJI_STORE or ~/.local/share/dashiji/graph.dashiji).",
)
@click.option(
    "--neo4j",
    envvar="NEO4J_URI",
    default=None,
    metavar="URI",
    help="Use the Neo4j store at this bolt:// URI (user/password from NEO4J_USER/NEO4J_PASSWORD).",
)
@click.version_option(package_name="dashiji")
@click.pass_context
def cli(ctx: click.Context, store: str | None, neo4j: str | None) -> None:
    """dashiji (大事记): Chinese news in, an event-timeline knowledge graph out."""
    from click.core import ParameterSource

    # An explicit --store on the command line wins over NEO4J_URI from the environment.
    if ctx.get_parameter_source("store") == ParameterSource.COMMANDLINE and (
        ctx.get_parameter_source("neo4j") != ParameterSource.COMMANDLINE
    ):
        neo4j = None
    ctx.obj = {"store": store, "neo4j": neo4j}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--date", "date_", default=None, help="Publication date for undated inputs (YYYY-MM-DD).")
@click.option("--locale", default=None, help="City a local paper covers (永康), for 市委/我市.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one record per line (EVAL.md); json: one indented array.",
)
@click.option("--workers", type=int, default=1, show_default=True, help="Extract in N local processes.")
@click.option("--dask", default=None, metavar="ADDRESS", help="Extract on a Dask distributed scheduler.")
def extract(
    paths: tuple[str, ...], date_: str | None, locale: str | None, fmt: str, workers: int, dask: str | None
) -> None:
    """Print one extraction record per article of PATHS (.txt pages, .jsonl, .html, folders)."""
    failures = _Failures()
    records = _extracted(paths, _parse_date(date_), locale, workers, dask, failures)
    if fmt == "json":
        dicts = [r.to_dict() for r in records]
        click.echo(json.dumps(dicts, ensure_ascii=False, indent=2))
        extracted = len(dicts)
    else:
        out = sys.stdout
        extracted = 0
        for r in records:
            out.write(r.to_json() + "\n")
            extracted += 1
    if failures.count:
        click.echo(f"{extracted} records extracted, {failures.count} input item(s) failed", err=True)
        sys.exit(EXIT_SOME_FAILED)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--date", "date_", default=None, help="Publication date for undated inputs (YYYY-MM-DD).")
@click.option("--locale", default=None, help="City a local paper covers (永康), for 市委/我市.")
@click.option("--workers", type=int, default=1, show_default=True, help="Extract in N local processes.")
@click.option("--dask", default=None, metavar="ADDRESS", help="Extract on a Dask distributed scheduler.")
@click.option(
    "--batch", type=int, default=500, show_default=True, help="Articles written per store batch (a commit)."
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    date_: str | None,
    locale: str | None,
    workers: int,
    dask: str | None,
    batch: int,
    progress: bool | None,
) -> None:
    """Extract PATHS and store the records in the graph (re-ingest replaces, unchanged is skipped)."""
    from tqdm import tqdm

    from graph.build import build_facts
    from graph.model import stable_id
    from ingest.parallel import Unchanged
    from ingest.pipeline import raw_hash

    failures = _Failures()
    seen = written = 0
    show = sys.stderr.isatty() if progress is None else progress
    with _open_store(ctx) as store:
        pending = []
        checkpoints = _Checkpoints(store)
        bar = tqdm(desc="ingest", unit="article", disable=not show, file=sys.stderr)
        day = _parse_date(date_)

        def unchanged(raw: Any) -> bool:
            h = raw_hash(raw, day)
            return h is not None and store.article_hash(stable_id("Article", raw.id)) == h

        try:
            for rec in _extracted(paths, day, locale, workers, dask, failures, unchanged):
                seen += 1
                bar.update(1)
                if isinstance(rec, Unchanged):
                    continue
                pending.append(build_facts(rec))
                if len(pending) >= batch:
                    with _ctrl_c_after():
                        written += store.put_articles(pending)
                        checkpoints.after_batch()
                    pending = []
            if pending:
                with _ctrl_c_after():
                    written += store.put_articles(pending)
        except KeyboardInterrupt:
            click.echo(
                f"Interrupted after {seen} articles ({written} written); rerun the same command to "
                "resume: unchanged articles are skipped.",
                err=True,
            )
            sys.exit(130)
        finally:
            bar.close()
        counts = store.counts()
    click.echo(
        f"{seen} articles read, {written} written, {seen - written} unchanged, {failures.count} failed"
    )
    click.echo("graph: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v))
    if failures.count:
        sys.exit(EXIT_SOME_FAILED)


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "pairs", multiple=True, metavar="K=V", help="Query parameter (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the canned queries.")
@ROWS_FORMAT
@click.pass_context
def query(ctx: click.Context, name: str | None, pairs: tuple[str, ...], list_: bool, fmt: str) -> None:
    """Run the canned query NAME (see --list)."""
    from queries.registry import get_query, load_queries, run_query

    if list_ or not name:
        for q in load_queries().values():
            params = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params)
            click.echo(f"{q.name}({params})\n    {q.description}")
        return
    q = get_query(name)
    with _open_store(ctx, read_only=True) as store:
        rows = run_query(store, name, _params(pairs))
    _print_rows(rows, list(q.columns), fmt)


@cli.command()
@click.argument("entity")
@click.option("--from", "from_", default=None, help="Earliest date (YYYY[-MM[-DD]]).")
@click.option("--to", default=None, help="Latest date (YYYY[-MM[-DD]]).")
@ROWS_FORMAT
@click.pass_context
def timeline(ctx: click.Context, entity: str, from_: str | None, to: str | None, fmt: str) -> None:
    """The timeline of a PERSON, ORG or TARGET, whichever the name denotes."""
    from queries.registry import get_query, run_query

    params = {"name": entity, **({"from": from_} if from_ else {}), **({"to": to} if to else {})}
    with _open_store(ctx, read_only=True) as store:
        for kind, qname in (
            ("Person", "person_timeline"),
            ("Organization", "org_events"),
            ("Target", "target_timeline"),
        ):
            if store.find_nodes(kind, entity):
                rows = run_query(store, qname, params)
                click.echo(
                    f"{kind} {entity}: {len(rows)} events" if fmt == "table" else "", nl=fmt == "table"
                )
                _print_rows(rows, list(get_query(qname).columns), fmt)
                return
    raise QueryError("timeline", f"no person, organization or target named {entity!r} in the store")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["turtle", "json-ld", "nt"]), default="turtle", show_default=True
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--validate/--no-validate", default=False, help="Check the export against graph/shapes.ttl.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str, validate: bool) -> None:
    """Export the graph as RDF (SEM, W3C ORG, OWL-Time, PROV-O, schema.org, Web Annotation)."""
    from graph import rdf

    with _open_store(ctx, read_only=True) as store:
        n = rdf.export_rdf(store, fmt, output)
        click.echo(f"{n} triples written to {output}")
        if validate:
            conforms, report = rdf.validate(rdf.to_rdflib(store))
            click.echo("SHACL: conforms" if conforms else report)
            if not conforms:
                sys.exit(1)


@cli.command()
@click.argument("statement")
@click.option("--param", "-p", "pairs", multiple=True, metavar="K=V", help="Query parameter (repeatable).")
@click.option("--write", is_flag=True, help="Allow writes (default: a read transaction).")
@ROWS_FORMAT
@click.pass_context
def cypher(ctx: click.Context, statement: str, pairs: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run ad-hoc Cypher on the Neo4j store (read-only unless --write)."""
    if not ctx.obj["neo4j"]:
        raise QueryError("cypher", "needs the Neo4j store: pass --neo4j bolt://HOST:7687 or set NEO4J_URI")
    with _open_store(ctx, read_only=not write) as store:
        rows = store.cypher(statement, _params(pairs), write=write)
    columns = list(rows[0]) if rows else []
    _print_rows(rows, columns, fmt)


@cli.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.pass_context
def remove(ctx: click.Context, article_ids: tuple[str, ...]) -> None:
    """Remove articles (by record id, e.g. `page#2`) and every fact only they contributed."""
    from graph.model import stable_id

    with _open_store(ctx) as store:
        for aid in article_ids:
            node_id = aid if aid.startswith("art:") else stable_id("Article", aid)
            click.echo(f"{aid}: {'removed' if store.remove_article(node_id) else 'not in the store'}")


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except DashijiError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":
    main()
