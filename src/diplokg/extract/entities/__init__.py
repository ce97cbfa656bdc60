"""Entity mentions and their resolution into entities.

Sources, from most to least trusted: the gazetteer (entity ruler), government bodies by
pattern ("Ministerio de ...", "Cancillería argentina", "Gobierno del Perú"), delegations
("una delegación de ..."), names with an acronym in brackets, person names (spaCy NER and
names that follow a title), other places (spaCy NER). Surnames ("De Zela") resolve to the
full name used elsewhere in the article; demonyms ("peruano") to their country.

The stage in modules, in the order it runs:

- `spans`: the mention candidate (`Span`), `fold` and the word lists every step shares;
- `detect`: finding candidates (gazetteer, bodies by pattern, acronyms, delegations,
  places by noun, capitals, NER places), then cleaning them up;
- `persons`: person names, from finding them to clustering their mentions and surnames;
- `noise`: where no entity is named (bylines, credits, datelines) and capitalised common words;
- `metonyms`: a capital or a seat of power acting for its state or body;
- `resolve`: keys for every mention, the article's home state, and the entities built.
"""

from .detect import _name_part, detect
from .noise import dateline_spans
from .resolve import EntityIndex, resolve
from .spans import Span, fold

__all__ = ["EntityIndex", "Span", "_name_part", "dateline_spans", "detect", "fold", "resolve"]
