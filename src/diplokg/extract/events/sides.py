"""Sides: how many events a sentence reports, and who they are between when it names no one.

A meeting "con A, con B y con C" is one meeting with each (a minister's day of talks),
where "con A y B" is one meeting with both; a telephone call is between two sides, so
"conversaciones telefónicas con los presidentes de A, B y C" are three calls. A meeting
named by its noun alone ("una reunión bilateral celebrada ayer", "la Reunión de Alto
Nivel") is between those its sentence, or the one before, names; an impersonal "se acordó"
or "se firmaron" between the sides of the meeting just told; a meeting of a joint
commission between the states its name names. This stage reads the parse and the
participants stage's answers; it opens no event of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ...lang import load_json
from ..entities.spans import JOINT_WORDS  # words that make a body one of two or more states
from ..gazetteer import load_gazetteer
from .draft import Draft
from .participants import _PERSON_NOUNS, _STATE_NOUNS

# Events whose noun alone may take its sides from the sentence around it.
SCENE_TYPES = ("Meeting", "Negotiation", "PhoneCall", "Agreement", "AgreementSigning")
# Words that make a meeting one of states ("Gabinete Binacional", "Reunión de Alto Nivel").
STATE_LEVEL = tuple(load_json("events.json")["state_level_words"])


class SideStage:
    """One event per side, and sides from the scene (a mixin of EventExtractor)."""

    def _con_sides(self, complement, cases: tuple[str, ...] = ("con",)) -> list[list[str]]:
        """The agents of each coordinated phrase that repeats its preposition ("con A, con B
        y con C"), in order; one group when it is not repeated."""
        repeated = [g for g in complement.subtree if g is not complement and g.dep_ == "conj"
                    and any(x.dep_ == "case" and x.lower_ in cases for x in g.children)]
        if not repeated:
            return [self.token_agents(complement)]
        left, right = self._span_of(complement)
        bounds = [left, *sorted(g.left_edge.idx for g in repeated), right]
        sides = [self.agents_in(a, b) for a, b in zip(bounds, bounds[1:])]
        return [s for s in sides if s]

    @staticmethod
    def _one_per_side(d: Draft, base: list[str], sides: list[list[str]], side_role: str) -> list[Draft]:
        """`d` once per side, each with the `base` agents (the subject) and that side."""
        if len(sides) < 2:
            return [d]
        out = []
        for side in sides:
            part = replace(d, participants=[], actors=[], counterparts=[], side=tuple(side))
            part.add([k for k in base if k in d.actors], "actor")
            part.add([k for k in base if k not in d.actors], "participant")
            part.add(side, side_role)
            out.append(part)
        return out

    def _calls_one_per_state(self, d: Draft) -> list[Draft]:
        """A call of one person with several states is one call with each."""
        persons = [k for k in d.participants if k.startswith("person/")]
        own = {self._state_of(p) for p in persons}
        states = [k for k in d.participants if k.startswith("country/") and k not in own]
        if d.type != "PhoneCall" or len(persons) != 1 or len(states) < 2:
            return [d]
        return self._one_per_side(d, persons, [[s] for s in states], "counterpart")

    def _scene_agents(self, tok) -> list[str]:
        """Who a bare meeting noun is between: the persons (else states) its sentence names,
        with those of the sentence before when one side is missing; for a meeting of states
        ("el Gabinete Binacional") the states named there, else the article's two most named;
        nobody if not two. A capitalised noun is a name ("la Asamblea"), not a scene."""
        state_level = self._state_level(tok)
        if not state_level and (tok.pos_ != "NOUN" or tok.text[0].isupper() and not tok.is_sent_start):
            return []
        sent = tok.sent
        if state_level:
            found = [m.key for m in self.index.where.starting(sent.start_char, sent.end_char - 1) if m.type == "Country"]
            ranked = self._memo("ranked_states", lambda: Counter(m.key for m in self.index.mentions if m.type == "Country").most_common(2))
            found = list(dict.fromkeys(found + [k for k, _ in ranked]))[:2]
        else:
            found = self.agents_in(sent.start_char, sent.end_char)
            if len(found) < 2 and sent.start > 0:
                before = self.doc[sent.start - 1].sent
                found = list(dict.fromkeys(found + self.agents_in(before.start_char, before.end_char)))
        return found if len(found) >= 2 else []

    def _state_level(self, tok) -> bool:
        phrase = self.doc[tok.i : tok.i + 6].text.lower()  # "Reunión de Alto Nivel", however it is parsed
        return tok.lower_ in ("comisión", "comisiones", "gabinete") or any(w in phrase for w in STATE_LEVEL)

    def _meeting_at_hand(self, d: Draft) -> list[str]:
        """'durante esa cita se suscribieron convenios', 'donde se pactó': an impersonal
        agreement is between the sides of the meeting told in its sentence or the one before."""
        for prev in reversed(self.drafts):
            if prev.type in ("Meeting", "Visit") and 0 <= d.sentence - prev.sentence <= 1 and len(prev.participants) >= 2:
                return list(prev.participants)
        return []

    def _impersonal(self, verb) -> bool:
        """'se acordó la apertura de un consulado', 'se suscribieron convenios': a passive with "se"
        whose grammatical subject is what was agreed, not who agreed (no name, no title)."""
        if not self._reflexive(verb):
            return False
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
        return not subjects or all(
            c.pos_ == "NOUN" and not _STATE_NOUNS.search(c.lower_) and not _PERSON_NOUNS.search(c.lower_)
            and not self.named.covering(c.idx)
            for c in subjects
        )

    def _states_named_in(self, mention) -> list[str]:
        """The states a joint body's own name names ("Comisión Binacional Perú-Ecuador"):
        a meeting of the body is one of those states."""
        if not any(w in mention.text for w in JOINT_WORDS):
            return []
        gaz = load_gazetteer()
        found = []
        for part in re.split(r"[-–/]| y |,", mention.text):
            words = part.split()
            for n in range(len(words), 0, -1):  # the longest state name at the end of the part
                key = gaz.country_of_name(" ".join(words[-n:]))
                if key:
                    found.append(key)
                    break
        return list(dict.fromkeys(found)) if len(found) >= 2 else []
