"""RDF at the edge: vocabulary, stable IRI minting and mapping of the extracted model."""
