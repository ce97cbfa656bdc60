"""The ontology files shipped with the package: where they are and how to load them.

`ontology/` beside this module holds diplomacy.ttl (the OWL ontology), topics.ttl (the
SKOS topic scheme) and shapes.ttl (the SHACL shapes). A missing or unparsable file is
a `ResourceError` naming the file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .errors import ResourceError
from .rdf.vocab import PREFIXES

ONTOLOGY_FILE = "diplomacy.ttl"
TOPICS_FILE = "topics.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_dir() -> Path:
    """The folder of the packaged ontology files."""
    return Path(__file__).resolve().parent / "ontology"


def _existing(name: str) -> Path:
    path = ontology_dir() / name
    if not path.is_file():
        raise ResourceError(f"ontology file not found: {path}")
    return path


def ontology_path() -> Path:
    """diplomacy.ttl: the OWL ontology."""
    return _existing(ONTOLOGY_FILE)


def topics_path() -> Path:
    """topics.ttl: the SKOS topic scheme."""
    return _existing(TOPICS_FILE)


def shapes_path() -> Path:
    """shapes.ttl: the SHACL shapes the built graph must satisfy."""
    return _existing(SHAPES_FILE)


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a missing or malformed file is a ResourceError naming it."""
    path = Path(path)
    if not path.is_file():
        raise ResourceError(f"file not found: {path}")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise ResourceError(f"cannot parse {path}: {exc}") from exc
    return graph


@lru_cache(maxsize=8)
def _parsed(path: Path, mtime_ns: int) -> Graph:
    return parse_turtle(path)


def _load(path: Path) -> Graph:
    """A fresh copy of the parsed file (cached by path and modification time)."""
    if not path.is_file():
        raise ResourceError(f"file not found: {path}")
    cached = _parsed(path, path.stat().st_mtime_ns)
    graph = Graph()
    for prefix, namespace in cached.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += cached
    return graph


def load_ontology() -> Graph:
    """The ontology and the topic scheme in one new graph (safe to modify)."""
    graph = _load(ontology_path())
    graph += _load(topics_path())
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph


def load_topics() -> Graph:
    """The topic scheme alone, in a new graph."""
    return _load(topics_path())


def load_shapes(path: Path | None = None) -> Graph:
    """The SHACL shapes (the packaged shapes.ttl unless `path` is given), in a new graph."""
    return _load(Path(path).resolve() if path is not None else shapes_path())


__all__ = [
    "ontology_dir",
    "ontology_path",
    "topics_path",
    "shapes_path",
    "parse_turtle",
    "load_ontology",
    "load_topics",
    "load_shapes",
]
