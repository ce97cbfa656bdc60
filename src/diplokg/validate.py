"""SHACL validation of built graphs against ontology/shapes.ttl.

One public function over pySHACL: `validate(data)` checks a graph, or the union of all
graphs of a dataset, with the packaged shapes, the ontology and topic scheme as the
ontology graph, and RDFS inference (so an instance of dip:Meeting is a dip:Event, and
sh:class dip:Agent accepts a dip:Person).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, Namespace
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import RDF

from . import resources
from .errors import DiplokgError, ResourceError

SH = Namespace("http://www.w3.org/ns/shacl#")

# Only RDFS: OWL RL would apply owl:sameAs (entity -> Wikidata IRI, and every node to
# itself), duplicating values and breaking the count and pattern constraints.
INFERENCE_MODES = ("none", "rdfs")


class ValidationError(DiplokgError):
    """The validator itself failed (bad shapes, bad options), not the data."""


@dataclass(frozen=True)
class ValidationReport:
    """What pySHACL found. `conforms` ignores warnings; `violations` counts sh:Violation results."""

    conforms: bool
    results_text: str
    results_graph: Graph
    violations: int
    warnings: int = 0

    def messages(self) -> list[str]:
        """One line per result: severity, focus node, path and message, sorted."""
        lines = []
        for result in self.results_graph.subjects(RDF.type, SH.ValidationResult):
            severity = self.results_graph.value(result, SH.resultSeverity)
            focus = self.results_graph.value(result, SH.focusNode)
            path = self.results_graph.value(result, SH.resultPath)
            message = self.results_graph.value(result, SH.resultMessage)
            parts = [
                str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                str(focus),
            ]
            if path is not None:
                parts.append(str(path))
            if message is not None:
                parts.append(str(message))
            lines.append(": ".join(parts))
        return sorted(lines)


def union_graph(data: Graph) -> Graph:
    """All triples of a graph, or of every graph (default and named) of a dataset, in one Graph."""
    if isinstance(data, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        union = Graph()
        for prefix, namespace in data.namespaces():
            union.bind(prefix, namespace, override=True)
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data, Graph):
        return data
    raise ValidationError(f"cannot validate a {type(data).__name__}: expected an rdflib Graph or Dataset")


def _working_copy(data: Graph | Dataset) -> Graph:
    """A new Graph with all triples of `data` (never the caller's graph itself)."""
    union = union_graph(data)
    if union is not data:
        return union
    copy = Graph()
    for prefix, namespace in data.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += data
    return copy


def _count(results: Graph, severity) -> int:
    return sum(
        1
        for result in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(result, SH.resultSeverity) == severity
    )


def validate(
    data: Graph | Dataset,
    *,
    shapes_path: Path | None = None,
    inference: str = "rdfs",
    allow_warnings: bool = True,
) -> ValidationReport:
    """Validate `data` (a Graph, or the union of a Dataset's graphs) against the SHACL shapes.

    `shapes_path` defaults to the packaged ontology/shapes.ttl. The ontology and the topic
    scheme are mixed in as pySHACL's ont_graph. `inference` is "rdfs" (default: subclass,
    subproperty, domain and range entailments) or "none". With `allow_warnings` (default) results of severity
    sh:Warning do not make the data non-conforming.
    """
    if inference not in INFERENCE_MODES:
        raise ValidationError(f"no inference mode named {inference!r}; available: {', '.join(INFERENCE_MODES)}")
    if shapes_path is not None and not Path(shapes_path).is_file():
        raise ResourceError(f"shapes file not found: {shapes_path}")
    shapes = resources.load_shapes(shapes_path)
    ontology = resources.load_ontology()
    # pySHACL copies only the RDFS/OWL axioms of ont_graph into the data; the topic
    # scheme's concepts (notations, labels, scheme) must be data too, for sh:class
    # dip:Topic and the topic shape. One working copy; pySHACL then runs in place on it.
    data_graph = _working_copy(data)
    data_graph += resources.load_topics()
    try:
        conforms, results_graph, results_text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference=inference,
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=allow_warnings,
            meta_shacl=False,
            advanced=False,
            inplace=True,
        )
    except DiplokgError:
        raise
    except Exception as exc:  # pySHACL reports shape and runtime problems with its own types
        raise ValidationError(f"SHACL validation failed to run: {exc}") from exc
    if isinstance(conforms, Literal):
        conforms = bool(conforms.toPython())
    return ValidationReport(
        conforms=bool(conforms),
        results_text=str(results_text),
        results_graph=results_graph,
        violations=_count(results_graph, SH.Violation),
        warnings=_count(results_graph, SH.Warning),
    )


__all__ = ["ValidationReport", "ValidationError", "validate", "union_graph", "INFERENCE_MODES"]
