"""diplokg: knowledge graphs of diplomacy news.

A pipeline of small stages with plain data between them:
read (files -> Article) -> nlp (spaCy) -> extract (-> Extraction dataclasses)
-> rdf.mapping (-> one named graph per article) -> stores (Oxigraph by default).
"""

__version__ = "0.1.0"
