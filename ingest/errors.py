"""The project's error classes: one root, structured fields, one-line messages.

Every room raises these; the CLI catches only `DashijiError`, prints `Error: <message>` on one line and exits
with the class's `exit_code`. `ingest` imports nothing of ours, so the root lives here and the other rooms
import it from here.
"""

from __future__ import annotations


class DashijiError(Exception):
    """Root of every error dashiji raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(DashijiError):
    """One input item (file, JSON line, article) could not be read or used."""

    exit_code = 2

    def __init__(self, item: str, reason: str) -> None:
        self.item = item
        self.reason = reason
        super().__init__(f"{item}: {reason}")


class ModelMissingError(DashijiError):
    """The segmentation (or NER) model is not installed where dashiji looks for it."""

    exit_code = 3

    def __init__(self, path: str, hint: str) -> None:
        self.path = path
        self.hint = hint
        super().__init__(f"model not found at {path}: {hint}")


class StoreError(DashijiError):
    """The store cannot be opened, read or written."""

    exit_code = 4

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"store {where}: {reason}")


class StoreLockedError(StoreError):
    """Another process holds the embedded store's lock."""

    exit_code = 5

    def __init__(self, where: str) -> None:
        super().__init__(where, "is locked by another dashiji process; wait for it to finish")


class QueryError(DashijiError):
    """A canned query is unknown, or its parameters are wrong."""

    exit_code = 6

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"query {name}: {reason}")


class ConnectionFailed(StoreError):
    """A server store (Neo4j) cannot be reached or refuses the credentials."""

    exit_code = 7

    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(uri, reason)
