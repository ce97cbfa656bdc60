"""The event under construction, handed from stage to stage.

The trigger stage opens a Draft, the participant and status stages fill it in, and the
identity stage keeps it or drops it, merges it with its twins and freezes it into an Event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import TimeExpr


@dataclass
class Draft:
    """An event under construction (mutable until it becomes a frozen Event)."""

    type: str
    trigger: int  # token index
    head: int  # token index of the clause verb
    start: int
    end: int
    participants: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    counterparts: list[str] = field(default_factory=list)
    location: str | None = None
    destination: str | None = None
    status: str = "occurred"
    time: TimeExpr | None = None
    sentence: int = 0
    proposed_visit: tuple | None = None  # an invitation "a visitar X en noviembre": (place, time, span)
    headline: bool = False  # reported in the article's headline
    sides: tuple | None = None  # a hostile act: (acting states, target states), set by hostile.py
    reception: bool = False  # a Visit read off "X recibió a Y": the same trip as any visit of Y's told apart
    side: tuple[str, ...] = ()  # one of several events told in one phrase ("con A, con B"): never merged with its siblings
    scene: bool = False  # participants taken from the sentences around a bare noun: merged into any event that has them

    def add(self, keys, role: str = "participant") -> None:
        for k in keys:
            if k not in self.participants:
                self.participants.append(k)
            if role == "actor" and k not in self.actors:
                self.actors.append(k)
            if role == "counterpart" and k not in self.counterparts:
                self.counterparts.append(k)
