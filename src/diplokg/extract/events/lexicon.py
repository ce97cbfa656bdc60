"""The lexicon the stages share: trigger words and modality cues from events.json, the
grammatical categories they are matched against, and the small parse helpers all stages use.

Not a stage of its own: triggers, participants and status all look words up here, so it
sits apart and each stage imports what it needs without importing another stage.
"""

from __future__ import annotations

from ...lang import load_json

LEX = load_json("events.json")
VERBS: dict[str, dict] = LEX["verbs"]
NOUNS: dict[str, str] = LEX["nouns"]
NOUN_NEEDS: dict[str, list[str]] = LEX["noun_needs"]
OBJECT_READINGS: dict[str, dict[str, dict]] = {k: v for k, v in LEX["object_readings"].items() if not k.startswith("_")}
NOUN_LIGHT: dict[str, set[str]] = {k: set(v) for k, v in LEX["noun_light_verbs"].items() if not k.startswith("_")}
LIGHT = set(LEX["light_verbs"])
SIGNING_LIGHT = set(LEX["signing_light_verbs"])
ACCEPT = set(LEX["acceptance_verbs"])
PLANNING = set(LEX["planning_verbs"])
PLANNED_ADJ = set(LEX["planned_adjectives"])
PURPOSE_REALIZED = set(LEX["purpose_realized_verbs"])  # "aprovechó la llamada para invitarla": she was invited
NEGATION = set(LEX["negation"])
DENIAL = set(LEX["denial_verbs"])
CANCEL = set(LEX["cancel_verbs"])
SPECULATIVE = set(LEX["speculative_verbs"])
SPECULATIVE_WORDS = set(LEX["speculative_words"])
MODAL = set(LEX["modal_verbs"])
PLURAL_ANAPHORS = sorted(LEX["plural_anaphors"], key=len, reverse=True)

AGENT_TYPES = ("Person", "Country", "InternationalOrganization", "GovernmentBody", "Organization", "Delegation")
PLACE_TYPES = ("Place", "Country")
SUBJ = ("nsubj", "nsubj:pass", "csubj")
DEFINITE = {"el", "la", "los", "las", "este", "esta", "estos", "estas", "dicho", "dicha", "ese", "esa", "aquel", "aquella", "del", "al"}


def _lemma(tok) -> str:
    """The verb's lemma without the clitic the model appends ('reunirse' -> 'reunir él')."""
    lemma = tok.lemma_.lower()
    parts = lemma.split()
    return parts[0] if parts else lemma

def _without_relatives(tok) -> list:
    """The tokens of a phrase, leaving out its relative clauses ("un grupo que se reunirá")."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("acl", "acl:relcl"))
    return out
