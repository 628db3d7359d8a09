"""The canned-query registry: one `.cypher` file per query, its networkx twin, and `run_query`.

Each `queries/<name>.cypher` starts with a header of `// key: value` lines (a line `//   more` continues
the previous value):

    // name: person_timeline
    // description: An official's events in date order, with role and title at each.
    // params: name (str, required), from (date, optional), to (date_end, optional)
    // one_of: id, person+event_id       (optional: at least one alternative must be given in full)
    // columns: date, end_date, type, label, role, title, location, event_id
    // order: date, event_id              (a key may end in " desc")
    //
    // Free comments (how the query works) may follow an empty `//` line.

Parameter types (a fixed set; values arrive as strings from the CLI and are coerced here, so both
backends get the same values):

    str       a non-empty string
    int       a whole number >= 0; "default N" fills it when absent
    date      YYYY, YYYY-MM or YYYY-MM-DD, widened to the first day ("2024-03" -> "2024-03-01")
    date_end  the same forms, widened to the last day ("2024-02" -> "2024-02-29")
    period    the same forms, kept as written (matched as a prefix of Event.start/end)

An absent optional parameter is passed as None, which the queries read as "no filter".

On Neo4j every `str` parameter P also comes as `P_key`: the needle of its normalized form in the
`_names` text index (`graph.store.neo4j_store.name_needle`), so that a lookup by name or alias starts from
that index, `WHERE x._names CONTAINS $name_key AND (x.name = $name OR $name IN x.aliases)`, instead of
scanning every node of the label; the exact comparison after it keeps the twins' meaning.

Example:
    >>> [q.name for q in load_queries().values()][:2]
    ['co_participants', 'event_attendees']
"""

from __future__ import annotations

import calendar
import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ingest.errors import QueryError
from queries.twins import TWINS
from queries.twins_common import sort_rows

PARAM_TYPES = ("str", "int", "date", "date_end", "period")
HEADER_KEYS = ("name", "description", "params", "one_of", "columns", "order")
_PARAM_RE = re.compile(r"^(\w+) \((\w+), (required|optional)(?:, default (\S+))?\)$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a query."""

    name: str
    type: str
    required: bool
    default: Any = None


@dataclass(frozen=True)
class Query:
    """A canned query: its header, its Cypher text and its networkx twin (None when missing)."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    order: tuple[tuple[str, bool], ...]  # (column, descending)
    cypher: str
    twin: Callable[..., list[dict[str, Any]]] | None = None
    one_of: tuple[tuple[str, ...], ...] = field(default=())  # alternatives, each a group of params

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# --- reading the .cypher files ---------------------------------------------------------------------


def parse_header(text: str, source: str) -> dict[str, str]:
    """The `// key: value` header of a .cypher text as a dict (continuation lines joined)."""
    header: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("//") or not line[2:].strip():
            break  # the header ends at the first line that is not a comment, or an empty `//`
        body = line[2:].strip()
        key, sep, value = body.partition(":")
        if sep and key in HEADER_KEYS:
            header[key] = value.strip()
            last = key
        elif last is not None and body and line.startswith("//   "):
            header[last] += " " + body
        elif body:
            raise QueryError(source, f"header line not understood: {line!r}")
    for key in ("name", "description", "params", "columns", "order"):
        if key not in header:
            raise QueryError(source, f"header lacks '// {key}:'")
    return header


def _split_params(spec: str) -> list[str]:
    """Split "a (str, required), b (int, optional, default 3)" on the commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in spec:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _parse_param(text: str, source: str) -> Param:
    m = _PARAM_RE.match(text)
    if not m or m.group(2) not in PARAM_TYPES:
        raise QueryError(source, f"bad param declaration {text!r}")
    name, ptype, need, default = m.groups()
    value = _coerce(source, Param(name, ptype, False), default) if default is not None else None
    return Param(name, ptype, need == "required", value)


def _names(spec: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in spec.split(",") if s.strip())


def parse_query(text: str, source: str) -> Query:
    """Build a `Query` from a .cypher text (its twin attached from `queries.twins.TWINS`)."""
    h = parse_header(text, source)
    params = tuple(_parse_param(p, source) for p in _split_params(h["params"]))
    columns = _names(h["columns"])
    order = tuple((k.split()[0], k.endswith(" desc")) for k in _names(h["order"]))
    one_of = tuple(tuple(n.strip() for n in alt.split("+")) for alt in _names(h.get("one_of", "")))
    declared = {p.name for p in params}
    if any(k not in columns for k, _ in order):
        raise QueryError(h["name"], "order names a column that is not declared")
    if any(n not in declared for alt in one_of for n in alt):
        raise QueryError(h["name"], "one_of names a parameter that is not declared")
    return Query(h["name"], h["description"], params, columns, order, text, TWINS.get(h["name"]), one_of)


@cache
def load_queries() -> dict[str, Query]:
    """Every `queries/*.cypher` (package data), by name, sorted by name."""
    found: dict[str, Query] = {}
    for entry in sorted(resources.files("queries").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".cypher"):
            continue
        query = parse_query(entry.read_text(encoding="utf-8"), entry.name)
        if f"{query.name}.cypher" != entry.name:
            raise QueryError(entry.name, f"header names the query {query.name!r}")
        found[query.name] = query
    return found


def missing_twins() -> list[str]:
    """Names of queries that have a .cypher file but no networkx twin."""
    return sorted(n for n, q in load_queries().items() if q.twin is None)


def orphan_twins() -> list[str]:
    """Names of twins that have no .cypher file."""
    return sorted(set(TWINS) - set(load_queries()))


# --- parameters ------------------------------------------------------------------------------------


def _coerce(query: str, param: Param, raw: Any) -> Any:
    """One parameter value in its declared type, or QueryError with a one-line reason."""
    if param.type == "int":
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise QueryError(query, f"{param.name} must be a whole number, not {raw!r}") from None
        if value < 0:
            raise QueryError(query, f"{param.name} must not be negative")
        return value
    text = str(raw).strip()
    if not text:
        raise QueryError(query, f"{param.name} is empty")
    if param.type == "str":
        return text
    m = _DATE_RE.match(text)
    if not m or not _valid_date(*m.groups()):
        raise QueryError(
            query, f"{param.name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not {text!r}"
        )
    year, month, day = m.groups()
    if param.type == "period" or day:
        return text
    if param.type == "date":
        return f"{year}-{month or '01'}-01"
    last_month = month or "12"
    last_day = calendar.monthrange(int(year), int(last_month))[1]
    return f"{year}-{last_month}-{last_day:02d}"


def _valid_date(year: str, month: str | None, day: str | None) -> bool:
    if month is not None and not 1 <= int(month) <= 12:
        return False
    if day is not None and not 1 <= int(day) <= calendar.monthrange(int(year), int(month or 1))[1]:
        return False
    return True


def bind_params(query: Query, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check and coerce the given values: every declared param present (None when absent)."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params)
        raise QueryError(query.name, f"unknown parameter {unknown[0]!r} (takes: {known})")
    bound: dict[str, Any] = {}
    for p in query.params:
        raw = given.get(p.name)
        if raw is None:
            if p.required:
                raise QueryError(query.name, f"missing required parameter {p.name!r}")
            bound[p.name] = p.default
        else:
            bound[p.name] = _coerce(query.name, p, raw)
    if query.one_of and not any(all(bound[n] is not None for n in alt) for alt in query.one_of):
        choices = " or ".join(" and ".join(alt) for alt in query.one_of)
        raise QueryError(query.name, f"give {choices}")
    return bound


# --- running ---------------------------------------------------------------------------------------
def cypher_params(query: Query, bound: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of the query's Cypher: the bound values, and `P_key` (the `_names` needle) for every
    `str` parameter P (see the module docstring)."""
    from graph.store.neo4j_store import name_needle

    keys = {f"{p.name}_key": name_needle(bound[p.name]) for p in query.params if p.type == "str"}
    return {**bound, **keys}


def normalize_rows(query: Query, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Exactly the declared columns in order (None when missing), list values sorted, rows sorted by
    the declared order with every column as the final tie-break, so both backends compare equal."""
    out = []
    for row in rows:
        clean = {}
        for col in query.columns:
            value = row.get(col)
            clean[col] = sorted(value, key=_list_key) if isinstance(value, (list, tuple)) else value
        out.append(clean)
    return sort_rows(out, list(query.order) + [(c, False) for c in query.columns])


def _list_key(v: Any) -> tuple[bool, Any]:
    return (v is None, v)


def twin_kwargs(bound: Mapping[str, Any]) -> dict[str, Any]:
    """Bound params as a twin's keyword arguments: a Python keyword gets a trailing `_` (from -> from_)."""
    return {(k + "_" if keyword.iskeyword(k) else k): v for k, v in bound.items()}


def get_query(name: str) -> Query:
    """The query of that name, or QueryError listing the known names."""
    queries = load_queries()
    if name not in queries:
        raise QueryError(name, f"unknown query (known: {', '.join(queries)})")
    return queries[name]


def run_query(store: Any, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a canned query on a store: the twin on networkx, the Cypher on Neo4j; same normalized rows.

    >>> run_query(store, "person_timeline", {"name": "章旭升", "from": "2022"})  # doctest: +SKIP
    """
    query = get_query(name)
    bound = bind_params(query, params or {})
    kind = getattr(store, "kind", None)
    if kind == "networkx":
        if query.twin is None:
            raise QueryError(name, "has no networkx twin")
        rows = query.twin(store, **twin_kwargs(bound))
    elif kind == "neo4j":
        rows = store.cypher(query.cypher, cypher_params(query, bound))
    else:
        raise QueryError(name, f"cannot run on a store of kind {kind!r}")
    return normalize_rows(query, rows)
