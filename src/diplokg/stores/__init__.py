"""Stores: one protocol (`Store`), backends registered by name in `BACKENDS`:

- `oxigraph`: Oxigraph embedded on disk (the default; `OxigraphStore`);
- `memory`: rdflib's in-memory Dataset (`MemoryStore`), for tests and notebooks;
- `sparql`: any SPARQL 1.1 server over HTTP (`SparqlStore`): Query, Update and the Graph
  Store HTTP Protocol;
- `oxigraph-memory`: the Oxigraph engine in memory (`OxigraphMemoryStore`), when a test or a
  notebook wants Oxigraph's speed without a directory.

`open_store(location)` picks the backend from a location string:
None -> the default on-disk store `.diplokg/store` (git ignores `.diplokg/`);
"memory:" -> MemoryStore; "http://..." or "https://..." -> SparqlStore with that query URL;
anything else -> OxigraphStore at that directory (created if missing, unless opened
`read_only` or with `create=False`: then a missing store is the error "no store at PATH").
An empty location is an error: it used to be the current directory.

For a SPARQL endpoint, options left out of the call come from the environment:

    DIPLOKG_UPDATE_URL      the SPARQL Update URL, when it is not the query URL
                            (Oxigraph server: .../update; Virtuoso with a login: .../sparql-auth)
    DIPLOKG_GSP_URL         the Graph Store HTTP Protocol URL ("" for none; by default the known
                            layouts of Oxigraph server and Virtuoso are recognised)
    DIPLOKG_SPARQL_USER     the user for the update side (HTTP auth)
    DIPLOKG_SPARQL_PASSWORD its password (read from here so it never shows on a command line;
                            never printed in any message)
    DIPLOKG_SPARQL_AUTH     basic (default) or digest (Virtuoso's /sparql-auth)

A `user:password@` written in the URL also works, and is stripped from every message.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError
from .base import CONTACTS_GRAPH, ONTOLOGY_GRAPH, ArticleInfo, PutOutcome, QueryResult, Store
from .memory import MemoryStore
from .oxigraph import DEFAULT_LOCATION, OxigraphMemoryStore, OxigraphStore, PyoxigraphStore
from .sparql import SparqlStore

BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
    "sparql": SparqlStore,
    "oxigraph-memory": OxigraphMemoryStore,
}

ENV_UPDATE_URL = "DIPLOKG_UPDATE_URL"
ENV_GSP_URL = "DIPLOKG_GSP_URL"
ENV_USER = "DIPLOKG_SPARQL_USER"
ENV_PASSWORD = "DIPLOKG_SPARQL_PASSWORD"
ENV_AUTH = "DIPLOKG_SPARQL_AUTH"


def get_backend(name: str) -> type[Store]:
    """The store class registered as `name`."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise StoreError(f"no store named {name!r}; available: {', '.join(BACKENDS)}") from None


def open_store(
    location: str | Path | None = None,
    *,
    update_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: str | None = None,
    gsp_url: str | None = None,
    read_only: bool = False,
    create: bool = True,
) -> Store:
    """Open the store at `location` (see the module docstring for locations and environment).

    `update_url`, `user`, `password`, `auth` and `gsp_url` only apply to an http(s):// location;
    each one left as None is read from its environment variable. `read_only` and `create`
    apply to an on-disk store (see OxigraphStore).
    """
    text = None if location is None else str(location)
    if text is not None and not text.strip():
        raise StoreError("the store location is empty (--store '' or DIPLOKG_STORE=''): "
                         "give a directory, memory: or an http(s):// URL")
    remote = text is not None and text.startswith(("http://", "https://"))
    if not remote:
        given = [n for n, v in (("update URL", update_url), ("user", user), ("password", password),
                                ("auth", auth), ("Graph Store URL", gsp_url)) if v]
        if given:
            raise StoreError(f"a {given[0]} only applies to a SPARQL endpoint store (an http:// or https:// --store)")
    if text is None:
        return OxigraphStore(DEFAULT_LOCATION, read_only=read_only, create=create)
    if text == "memory:":
        return MemoryStore()
    if remote:
        env = os.environ
        return SparqlStore(
            text,
            update_url=update_url if update_url is not None else env.get(ENV_UPDATE_URL) or None,
            gsp_url=gsp_url if gsp_url is not None else env.get(ENV_GSP_URL),
            user=user if user is not None else env.get(ENV_USER) or None,
            password=password if password is not None else env.get(ENV_PASSWORD),
            auth=auth if auth is not None else env.get(ENV_AUTH) or "basic",
        )
    return OxigraphStore(Path(text), read_only=read_only, create=create)


__all__ = [
    "ArticleInfo",
    "BACKENDS",
    "DEFAULT_LOCATION",
    "MemoryStore",
    "CONTACTS_GRAPH",
    "ONTOLOGY_GRAPH",
    "OxigraphMemoryStore",
    "OxigraphStore",
    "PutOutcome",
    "PyoxigraphStore",
    "QueryResult",
    "SparqlStore",
    "Store",
    "get_backend",
    "open_store",
]
