"""Events: triggers from the lexicon, participants from the dependency parse.

A trigger is a verb ("se reunió", "invitó", "condenó") or a noun carried by a light verb
("sostuvo una reunión", "impusieron sanciones"). Participants come from the clause's
subject (or, when Spanish drops it, the last subject before it), its objects and its
"con" / "contra" complements; locations from "en X", destinations from "a X". Negated,
denied, cancelled, speculative and unaccepted events are left out; future, conditional
and "acordaron reunirse" events are planned.

The work goes by stage, one module each:

- `triggers`: which words report an event (and which are negated, denied, cancelled,
  speculative or only proposed);
- `participants`: who takes part, and where;
- `status_time`: occurred or planned, and when;
- `identity`: which drafts are kept and which are one event, frozen into Events.

`draft` holds the event under construction and `lexicon` the words all stages read.
`EventExtractor` puts the stages together over one document; `extract_events` is the entry.
"""

from __future__ import annotations

from ...model import Event, TimeExpr
from ..doc_text import doc_text
from ..entities import EntityIndex
from ..positions import TitleSpan
from .draft import Draft
from .hostile import HostileStage
from .identity import IdentityStage
from .participants import ParticipantStage
from .statements import StatementStage
from .sides import SideStage
from .status_time import StatusTimeStage
from .triggers import TriggerStage

__all__ = ["Draft", "EventExtractor", "extract_events"]


class EventExtractor(TriggerStage, StatementStage, ParticipantStage, SideStage, StatusTimeStage, IdentityStage, HostileStage):
    """The events of one parsed document; each stage is a mixin over the state set here."""

    def __init__(self, doc, index: EntityIndex, titles: list[TitleSpan], times: list[TimeExpr], positions, published):
        self.doc = doc
        self.text = doc_text(doc)
        self.index = index
        self.titles = titles
        self.times = times
        self.positions = positions
        self.published = published
        self.published_precision = doc.user_data.get("published_precision", "day")
        self.drafts: list[Draft] = []
        self.title_refs = self._title_refs()
        self.subjects = self._explicit_subjects()

    def run(self) -> list[Event]:
        for sent_no, sent in enumerate(self.doc.sents):
            for tok in sent:
                self._consider(tok, sent_no)
        return self._finish()


def extract_events(doc, index, titles, times, positions, published) -> list[Event]:
    return EventExtractor(doc, index, titles, times, positions, published).run()
