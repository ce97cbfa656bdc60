"""Lookups over a document's drafts that the statement stage makes for every statement:
answered from indexes built once instead of a scan of all drafts each time (a long text
has thousands), with the answers the scans gave."""

from __future__ import annotations

from .draft import Draft


class DraftBag:
    """A list of drafts that answers `in` and `remove` as the list would (the first equal
    draft; Drafts compare by value) without comparing with every draft each time."""

    def __init__(self, drafts: list[Draft]) -> None:
        self.drafts = drafts
        self.gone: set[int] = set()
        self.alike: dict[tuple, list[int]] = {}  # equal drafts share these fields
        for i, d in enumerate(drafts):
            self.alike.setdefault(_shape(d), []).append(i)

    def _first(self, d: Draft) -> int | None:
        return next((i for i in self.alike.get(_shape(d), ()) if i not in self.gone
                     and (self.drafts[i] is d or self.drafts[i] == d)), None)

    def holds(self, d: Draft) -> bool:
        return self._first(d) is not None

    def remove(self, d: Draft) -> None:
        i = self._first(d)
        if i is None:
            raise ValueError("list.remove(x): x not in list")
        self.gone.add(i)

    def rest(self) -> list[Draft]:
        return [d for i, d in enumerate(self.drafts) if i not in self.gone]


def _shape(d: Draft) -> tuple:
    return d.type, d.trigger, d.head, d.start, d.end


class OtherEvents:
    """The drafts of other events, as `_carries_other_event` (statements.py) asks about them
    for each statement: by head token and sentence; their triggers, the actors of the acts
    of a state (`state_acts`) and all participants."""

    def __init__(self, drafts: list[Draft], state_acts: set[str]) -> None:
        self.by_head: dict[int, list[Draft]] = {}
        self.in_sentence: dict[int, list[Draft]] = {}
        for o in drafts:
            self.by_head.setdefault(o.head, []).append(o)
            self.in_sentence.setdefault(o.sentence, []).append(o)
        self.triggers = {o.trigger for o in drafts}
        self.state_act_actors = {a for o in drafts if o.type in state_acts for a in o.actors}
        self.participants = {p for o in drafts for p in o.participants}
