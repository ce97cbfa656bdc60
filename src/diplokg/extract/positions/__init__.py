"""Titles of office and the posts they give their holders.

"el embajador peruano Alfredo Ferrero" -> Ferrero holds 'embajador' of Perú;
"X, ministro de Relaciones Exteriores de Brasil" -> X holds 'ministro de relaciones
exteriores' of Brasil. A title with no name beside it ("el canciller chileno") is kept as
a reference that later resolves to the person who holds that post in the article.

The stage in modules, in the order it runs:

- `titles`: the title lexicon (titles.jsonl, position_cues.json), `TitleSpan`,
  normalising a title and its post class;
- `find`: the titles in the text and whose post each is (a state, an organization, a body);
- `holders`: who holds each title, and plural titles shared out over several names;
- `posts`: one `Position` per holder and post, with the state guessed where the text
  gives none, plus posts said another way ("el ministerio que dirige X").
"""

from .find import find_titles
from .holders import attach_holders
from .posts import positions_from_titles
from .titles import TitleSpan, normalize_title, post_class

__all__ = ["TitleSpan", "attach_holders", "find_titles", "normalize_title", "positions_from_titles", "post_class"]
