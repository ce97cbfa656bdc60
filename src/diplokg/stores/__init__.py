"""Stores: one protocol (`Store`), backends registered by name in `BACKENDS`.

`open_store(location)` picks the backend from a location string:
None -> the default on-disk store `.diplokg/store` (git ignores `.diplokg/`);
"memory:" -> MemoryStore; "http(s)://..." -> a remote SPARQL store (not yet available);
anything else -> OxigraphStore at that directory (created if missing).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .base import ONTOLOGY_GRAPH, ArticleInfo, PutOutcome, QueryResult, Store
from .memory import MemoryStore
from .oxigraph import DEFAULT_LOCATION, OxigraphStore, PyoxigraphStore

BACKENDS: dict[str, type[Store]] = {"oxigraph": OxigraphStore, "memory": MemoryStore}


def get_backend(name: str) -> type[Store]:
    """The store class registered as `name`."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise StoreError(f"no store named {name!r}; available: {', '.join(BACKENDS)}") from None


def open_store(location: str | Path | None = None) -> Store:
    """Open the store at `location` (see the module docstring for what locations mean)."""
    if location is None:
        return OxigraphStore(DEFAULT_LOCATION)
    text = str(location)
    if text == "memory:":
        return MemoryStore()
    if text.startswith(("http://", "https://")):
        raise StoreError("remote SPARQL stores arrive with the 'sparql' backend (not yet available)")
    return OxigraphStore(Path(location))


__all__ = [
    "ArticleInfo",
    "BACKENDS",
    "DEFAULT_LOCATION",
    "MemoryStore",
    "ONTOLOGY_GRAPH",
    "OxigraphStore",
    "PutOutcome",
    "PyoxigraphStore",
    "QueryResult",
    "Store",
    "get_backend",
    "open_store",
]
