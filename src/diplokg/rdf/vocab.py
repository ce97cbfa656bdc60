"""Namespaces of the diplomacy ontology and the resources diplokg mints."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

DIP = Namespace("https://w3id.org/diplokg/ontology#")
DEFAULT_BASE = "https://w3id.org/diplokg/id/"
TOPIC = Namespace("https://w3id.org/diplokg/topic/")
WD = Namespace("http://www.wikidata.org/entity/")

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
