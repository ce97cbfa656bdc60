"""Identity stage: which drafts are kept, which are one event, and the Events they become.

A draft with no participants, or a meeting with only one side, is dropped; acts of state
gain the acting state. Drafts of one type, status, place and date whose participants
contain one another are one event said twice (in one sentence, in the headline and the
body, in neighbouring sentences) and are merged. The merged drafts take dates and places
from their context and are frozen into Events, with the topics of their sentences.
"""

from __future__ import annotations

from ...model import Event, Mention
from ..topics import topics_in
from .draft import Draft
from .status_time import _inherit_dates


class IdentityStage:
    """Keeping, merging and finishing drafts (a mixin of EventExtractor: it reads the
    extractor's doc, text and drafts)."""

    def _keep(self, d: Draft) -> None:
        d.participants = [p for p in d.participants if p]
        if d.type in ("Sanction", "RelationsDowngrade"):
            # Acts of state: the acting state is listed with the body or official that acts.
            for actor in list(d.actors or [p for p in d.participants[:1] if p not in d.counterparts]):
                state = self._state_of(actor)
                if state and state not in d.participants:
                    d.add([state], "actor")
        if d.type == "Criticism":
            self._criticism_states(d)  # hostile.py: a government's state beside it
        if not d.participants:
            return
        calls = self._calls_one_per_state(d)  # sides.py: a call with several states is one call each
        if len(calls) > 1:
            for call in calls:
                self._keep(call)
            return
        if d.type in ("Meeting", "PhoneCall", "Negotiation", "Agreement", "AgreementSigning") and len(d.participants) < 2:
            only = d.participants[0]
            if not only.startswith("org/"):
                return  # a meeting of one: we did not find the other side
        self.drafts.append(d)

    # ------------------------------------------------------------ finish

    def _finish(self) -> list[Event]:
        # A word read as two kinds of event ("reafirmaron su compromiso": an agreement, and
        # words said): the event wins over the statement.
        events_at = {d.trigger for d in self.drafts if d.type != "Statement"}
        self.drafts = [d for d in self.drafts if d.type != "Statement" or d.trigger not in events_at]
        self._settle_statements()  # statements.py: drop those that carry other events, one per speaker
        self._sign_hostile()  # hostile.py: who acts against whom
        merged: list[Draft] = []
        kin: dict[tuple[str, str], _Kin] = {}  # only drafts of one type and status are one event
        for d in sorted(self.drafts, key=lambda d: d.start):
            same = kin.setdefault((d.type, d.status), _Kin())
            twin = next((m for m in same.candidates(d) if _same_event(m, d)), None)
            if twin:
                for p in d.participants:
                    twin.add([p], "actor" if p in d.actors else "counterpart" if p in d.counterparts else "participant")
                twin.location = twin.location or d.location
                twin.destination = twin.destination or d.destination
                twin.reception = twin.reception and d.reception
                if twin.time is None or (twin.time.inherited and d.time is not None and not d.time.inherited):
                    twin.time = d.time  # words of its own beat a date inherited from a neighbour
                same.grown(twin)
                continue
            merged.append(d)
            same.add(d)
        self._date_from_context(merged)
        _inherit_dates(merged)
        _inherit_places(merged)
        events = []
        sents = list(self.doc.sents)
        trigger_sents = {d.sentence for d in merged}
        for d in merged:
            # topics: the event's sentence and the following ones that report no other event
            scope = [sents[d.sentence].text]
            for k in range(d.sentence + 1, len(sents)):
                if k in trigger_sents:
                    break
                scope.append(sents[k].text)
            topics = tuple(topics_in(" ".join(scope)))
            events.append(
                Event(
                    type=d.type,
                    participants=tuple(d.participants),
                    status=d.status,
                    evidence=Mention(d.start, d.end, self.text[d.start : d.end]),
                    actors=tuple(d.actors),
                    counterparts=tuple(d.counterparts),
                    location=d.location,
                    destination=d.destination,
                    time=d.time,
                    topics=topics,
                )
            )
        return events


class _Kin:
    """The events kept so far of one type and status, in order, and which of them can be
    the same event as a new draft: `_same_event` holds only for events that share a
    participant or actor with it, except for one-sided acts (`sides`) and events with no
    participant at all, which are always asked. Saves comparing each draft with every event."""

    def __init__(self) -> None:
        self.events: list[Draft] = []
        self.place: dict[int, int] = {}  # id(event) -> its place in `events`
        self.having: dict[str, set[int]] = {}  # a participant or actor -> places of the events with it
        self.always: set[int] = set()  # events with no participant or actor
        self.sided: set[int] = set()  # events with sides

    def candidates(self, d: Draft) -> list[Draft]:
        keys = _keys(d)
        if not keys:
            return self.events
        found = set(self.always)
        for k in keys:
            found |= self.having.get(k, set())
        if d.sides:
            found |= self.sided
        return [self.events[i] for i in sorted(found)]

    def add(self, d: Draft) -> None:
        i = self.place[id(d)] = len(self.events)
        self.events.append(d)
        if d.sides:
            self.sided.add(i)
        self.grown(d)

    def grown(self, d: Draft) -> None:
        """After `d` gained participants (participants and actors are only ever added here)."""
        i = self.place[id(d)]
        keys = _keys(d)
        if not keys:
            self.always.add(i)
        for k in keys:
            self.having.setdefault(k, set()).add(i)


def _keys(d: Draft) -> set[str]:
    return {*d.participants, *d.actors}


def _same_event(a: Draft, b: Draft) -> bool:
    """Two drafts are one event when type, status and place agree and one's participants
    contain the other's (dates, when both are known, must agree too)."""
    if a.type != b.type or a.status != b.status:
        return False
    pa, pb = set(a.participants), set(b.participants)
    if a.sides and b.sides and a.type == b.type:
        # one-sided acts: "X expulsó a diplomáticos de Y" and "la expulsión decidida por Y" are two acts;
        # the same side acting against the same side, said twice, is one
        if a.sides[0] and b.sides[0] and not a.sides[0] & b.sides[0]:
            return False
        if a.type != "Criticism" and (not a.sides[0] or not b.sides[0]) and a.sides[1] and b.sides[1] and (
                a.sides[1] <= b.sides[1] or b.sides[1] <= a.sides[1]):
            return True  # "la expulsión del embajador de X" restates the expulsion of X's envoy
        if a.type == "Sanction" and a.sides[0] and a.sides[0] == b.sides[0] and (not a.sides[1] or not b.sides[1]):
            return True  # "las sanciones, impuestas por X, ..." restates X's sanctions
        if a.type != "Criticism" and a.sides == b.sides and all(a.sides) and not (
                a.time and b.time and a.time.value and b.time.value and a.time.value != b.time.value):
            return True
    if a.side and b.side and a.side != b.side:
        return False  # "con A, con B": one event with each
    if a.type == "Meeting" and _restates(pa, pb):
        return True  # "la cumbre de la UE" said again, after the summit with its leaders
    if a.scene or b.scene:
        return pa <= pb or pb <= pa
    if a.type == "Visit" and (a.reception or b.reception):
        # "recibió a Y" and "Y cumple una visita a ...": one trip, whatever each names as its end
        return bool(set(a.actors or a.participants) & set(b.actors or b.participants))
    if a.destination and b.destination and a.destination != b.destination:
        return False
    if a.location and b.location and a.location != b.location:
        return False
    if a.time and b.time and a.time.value and b.time.value and a.time.value != b.time.value:
        return False
    if a.sentence == b.sentence and (pa & pb):
        # one event said twice in a sentence; but "met A, and was to meet B" are two meetings
        if a.type not in ("Meeting", "PhoneCall") or pa <= pb or pb <= pa or min(len(pa), len(pb)) < 2:
            return True
    if (a.headline or b.headline) and (pa & pb):
        return True  # a headline restates the story's main event
    if a.type == "Visit":
        return pa == pb and a.destination == b.destination
    return pa == pb or (abs(a.sentence - b.sentence) <= 1 and (pa <= pb or pb <= pa))


def _restates(pa: set[str], pb: set[str]) -> bool:
    """A meeting named by its organizations alone, within the sides of another meeting."""
    return (not _has_person(pa) and pa <= pb) or (not _has_person(pb) and pb <= pa)


def _has_person(keys: set[str]) -> bool:
    return any(k.startswith("person/") for k in keys)


def _inherit_places(drafts: list[Draft]) -> None:
    """Events reported with no place happen where the story is: the destination of the
    visit or the place of the meeting reported before them ("llegó a Santo Domingo... mantuvo
    una reunión"), for those who were there (or anyone, at a multilateral meeting). Plans
    inherit only within their sentence ("viajará a Kingston, donde se reunirá..."). Visits
    keep their own destination."""
    setting: dict[str, tuple[str, int, Draft]] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        place = d.destination if d.type == "Visit" else d.location
        if place:
            setting[d.status] = (place, d.sentence, d)
            continue
        if d.type == "Visit" or d.status not in setting:
            continue
        where, sentence, scene = setting[d.status]
        if d.status == "planned" and sentence != d.sentence:
            continue
        shared = set(scene.participants) & set(d.participants)
        multilateral = any(p.startswith("org/") for p in scene.participants)
        if not shared and not multilateral:
            continue  # someone else's event elsewhere in the story
        if where.startswith("country/"):
            continue  # a whole state is no venue
        d.location = where
