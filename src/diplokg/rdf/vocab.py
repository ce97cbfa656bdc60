"""Namespaces of the diplomacy ontology and the resources diplokg mints."""

from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD


class CachedNamespace(Namespace):
    """A Namespace whose terms are minted once: rdflib's makes (and validates) a new URIRef
    on every `DIP.participant`, and mapping an article asks for a few hundred."""

    def term(self, name: str) -> URIRef:
        return _term(str(self), name)


@lru_cache(maxsize=8192)
def _term(namespace: str, name: str) -> URIRef:
    return Namespace(namespace).term(name)


DIP = CachedNamespace("https://w3id.org/diplokg/ontology#")
DEFAULT_BASE = "https://w3id.org/diplokg/id/"
TOPIC = CachedNamespace("https://w3id.org/diplokg/topic/")
WD = CachedNamespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "dip": DIP,
    "topic": TOPIC,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "wd": WD,
}

STATUS = {"occurred": DIP.Occurred, "planned": DIP.Planned}

__all__ = ["DIP", "DEFAULT_BASE", "TOPIC", "WD", "PREFIXES", "STATUS", "DCTERMS", "OWL", "RDF", "RDFS", "SKOS", "XSD"]
