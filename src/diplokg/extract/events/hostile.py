"""Hostile acts and their repair: criticism, sanctions, downgrades of relations.

A one-sided act has an actor and a target. The target of a criticism is often an act
rather than a party ("lamentó la decisión del gobierno de X", "rechazó las expresiones
formuladas por X", "lamenta la suspensión del tratado"): the party is the act's author,
named by "de" or "por", or else the actor of the hostile act reported before. An envoy
named by his state ("al embajador español", "diplomáticos rusos") stands for it too. A
sanction reported as the reason of another hostile act ("como respuesta a las sanciones
adoptadas por X", "protesta contra las sanciones") is aimed at the one who responds.

A mixin of EventExtractor, called by the trigger stage for these types only.
"""

from __future__ import annotations

import re

from .draft import Draft
from .lexicon import AGENT_TYPES, LEX, NOUNS, PLACE_TYPES, SUBJ, VERBS, _lemma

HOSTILE = ("Criticism", "Sanction", "RelationsDowngrade")
CRITICISED_ACTS = set(LEX.get("criticised_acts", ()))
DECISION_NOUNS = set(LEX.get("decision_nouns", ()))
CRITICISM_CARRIERS = set(LEX.get("criticism_light_verbs", ()))
IMPOSING = set(LEX.get("sanction_light_verbs", ()))
PARTICIPLES = tuple(LEX.get("sanction_participles", ()))
TIES = set(LEX.get("ties_and_treaties", ()))
NOTIFYING = set(LEX.get("notifying_verbs", ()))
ENVOY_WORDS = set(LEX.get("envoy_words", ()))
OWN_ENVOY_NOUNS = set(LEX.get("own_envoy_nouns", ()))
CONTAINERS = ("paquete", "ronda", "serie", "conjunto", "batería", "lista", "tanda")


class HostileStage:
    """Targets and authors of hostile acts (a mixin of EventExtractor)."""

    # ------------------------------------------------------------ verbs

    def _spec_for_object(self, tok, spec: dict) -> dict:
        """'suspendió la ayuda' is a sanction, 'suspendió las relaciones' a downgrade."""
        by_object = spec.get("type_by_object")
        if not by_object:
            return spec
        for c in tok.children:
            if c.dep_ in ("obj", "nsubj:pass") and (c.lower_ in by_object or _lemma(c) in by_object):
                return {**spec, "type": by_object.get(c.lower_) or by_object[_lemma(c)]}
        return spec

    def _hostile_subject(self, verb) -> list[str]:
        """'la decisión de X de retirar a su embajador': X acts."""
        if verb.dep_ in ("acl", "xcomp") and _lemma(verb.head) in DECISION_NOUNS:
            for c in self.complements(verb.head, ("de", "del")):
                if c is not verb and c.pos_ in ("NOUN", "PROPN"):
                    agents = self.token_agents(c)
                    if agents:
                        return agents
        return []

    def _hostile_object_targets(self, obj, etype: str) -> list[str]:
        """Whom the object of a hostile verb stands for: a party, or the author of an act."""
        if _lemma(obj) in CRITICISED_ACTS or obj.lower_ in CRITICISED_ACTS:
            return self._hostile_act_author(obj)
        if any(f.dep_ == "fixed" for g in obj.children if g.dep_ == "case" for f in g.children):
            return []  # "al margen de X", "a raíz de X": circumstances, not a party
        if obj.lower_ in ("que", "cual", "lo"):
            return []  # "notificó a X que su país rompía ...": a complementizer the parse took for an object
        if obj.lower_ in TIES or _lemma(obj) in TIES:
            return []  # "suspendió el tratado firmado con X ...": the other side is the 'con' party only
        envoys = self._hostile_envoy_states(obj)
        if envoys:  # "los diplomáticos venezolanos": the envoys' state (not an anaphor for earlier parties)
            left, right = self._span_of(obj)
            named = self.agents_in(left, right)
            return named + [s for s in envoys if s not in named]
        return list(self._hostile_phrase_agents(obj))

    def _hostile_phrase_agents(self, tok) -> list[str]:
        """Agents of a phrase without its conjoined phrases ('al hundimiento ... y la suspensión de X')."""
        conj = [c for c in tok.subtree if c.dep_ in ("conj",) and c.i > tok.i]
        named = any(m.type in AGENT_TYPES for m in self.named.covering(tok.idx))
        if not conj or named or tok.lower_ in ("quien", "quienes", "que", "cual", "cuales"):
            return self.token_agents(tok)
        left, right = self._span_of(tok)
        right = min(right, min(c.left_edge.idx for c in conj))
        return self.agents_in(left, right) or self.token_agents(tok)

    def _hostile_envoy_states(self, obj) -> list[str]:
        """'al embajador español', 'diplomáticos rusos': the envoys' state."""
        left, right = self._span_of(obj)
        words = {t.lower_ for t in obj.subtree}
        if not words & ENVOY_WORDS:
            return []
        states = [m.key for m in self.index.demonyms_where.inside(left, right) if m.key]
        for m in self.index.where.inside(left, right):  # "a la representante de la UE en X": the UE, not X
            if m.type in ("Country", "InternationalOrganization") \
                    and not re.search(r"\ben\s+(?:el\s+|la\s+|los\s+|las\s+)?$", self.text[max(left, m.start - 8) : m.start]):
                states.append(m.key)
        return list(dict.fromkeys(states))

    def _hostile_act_author(self, noun) -> list[str]:
        """The author of a criticised act: 'de X', 'formuladas por X', else the last hostile actor."""
        for c in self.complements(noun, ("de", "del")):
            if c.pos_ in ("NOUN", "PROPN") and _lemma(c) not in CRITICISED_ACTS:
                agents = self.token_agents(c)
                if agents:
                    return agents
        for c in noun.children:
            if c.dep_ in ("acl", "amod") and c.pos_ in ("VERB", "ADJ"):
                for g in c.children:
                    if any(x.lower_ == "por" for x in g.children if x.dep_ == "case"):
                        agents = self._hostile_own_agents(g)
                        if agents:
                            return agents
        if _lemma(noun) in ("suspensión", "expulsión", "ruptura", "retiro", "retirada", "cierre", "sanción", "sanciones",
                            "decisión", "medida", "medidas"):
            prior = [d for d in self.drafts if d.type in ("RelationsDowngrade", "Sanction") and d.start < noun.idx and d.actors]
            if prior:
                return list(prior[-1].actors)
        return []

    def _hostile_verb_extras(self, d: Draft, tok) -> None:
        """Treaties and ties 'con X' name the other side; an official who announced the act acts for it."""
        self._governments_act(d)
        if d.type == "RelationsDowngrade" and not d.actors and self._passive(tok):
            # "fueron declarados personas non gratas" after "X expulsó a ...": the same act, told again
            if any(p.type == d.type for p in self.drafts):
                d.participants.clear()
                return
        if d.type == "RelationsDowngrade":
            for obj in (c for c in tok.children if c.dep_ in ("obj", "obl")):
                # "sus relaciones con X", "un tratado firmado con X"
                for host in [obj, *(c for c in obj.children if c.dep_ in ("amod", "acl", "nmod", "conj") and c.pos_ in ("ADJ", "VERB", "NOUN"))]:
                    for c in self.complements(host, ("con",)):
                        d.add(self._hostile_head_agents(c), "counterpart")
        if d.type == "Sanction":
            for obj in (c for c in tok.children if c.dep_ == "obj"):
                for c in self.complements(obj, ("a", "al", "contra")):
                    d.add(self._hostile_head_agents(c), "counterpart")  # "suspendió la ayuda a X"
        if d.type in ("RelationsDowngrade", "Sanction") and any(c.lower_ == "que" for c in tok.children if c.dep_ in ("mark", "obj")):
            # "El canciller X notificó a Y que su país dio por finalizado el acuerdo": X acts for his
            # state; Y's state is the other side
            said = tok.head
            while said.pos_ not in ("VERB", "AUX") and said.head is not said:
                said = said.head
            if said is not tok and _lemma(said) in NOTIFYING:
                states = {self._state_of(a) for a in d.participants} - {None}
                speakers = [a for c in said.children if c.dep_ in SUBJ for a in self.token_agents(c)]
                d.add([s for s in speakers if s.startswith("person/") and self._state_of(s) in states], "actor")
                if not d.counterparts:
                    heard = [a for c in said.children if c.dep_ in ("obj", "iobj") and c.lower_ != "que" for a in self._hostile_head_agents(c)]
                    d.add([s for s in (self._state_of(a) for a in heard) if s and s not in states], "counterpart")

    def _hostile_own_agents(self, tok) -> list[str]:
        """The agents a phrase's head names ('por el presidente de X' yes; 'por el suministro de ... a X' no)."""
        if any(m.type in AGENT_TYPES for m in self.named.covering(tok.idx)) \
                or tok.lower_ in ENVOY_WORDS or _lemma(tok) in ("gobierno", "presidente", "presidenta", "canciller", "ministro", "ministra"):
            return self.token_agents(tok)
        return []

    def _hostile_head_agents(self, tok) -> list[str]:
        """The agent named by the phrase's own head ('con España, después de ...': España only)."""
        found = [m for m in self.index.where.covering(tok.idx) if m.type in AGENT_TYPES]
        return [found[0].key] if found else self.token_agents(tok)

    def _governments_act(self, d: Draft) -> None:
        """'El gobierno de <person>' acts: the government, not the person named in its name."""
        for key in [a for a in d.actors if a.startswith("person/")]:
            for body in (m for m in self.index.where.starting(d.start - 200, d.end - 1) if m.type == "GovernmentBody"):
                after = self.text[body.end : body.end + 80]
                person = next((m for m in self.index.where.starting(body.end, body.end + 6) if m.key == key), None)
                if person is not None and re.fullmatch(r"\s+del?\s+", self.text[body.end : person.start]) and after:
                    for lst in (d.participants, d.actors):
                        lst[lst.index(key)] = body.key
                    break

    # ------------------------------------------------------------ nouns

    def _sanction_imposer(self, tok) -> list[str] | None:
        """'las sanciones adoptadas por X', 'el paquete de sanciones anunciado por X': X
        (None when no imposing participle carries the noun)."""
        hosts = [t for t in tok.subtree if t.pos_ in ("NOUN", "PROPN")]
        if tok.head is not tok and _lemma(tok.head) in CONTAINERS:
            hosts.append(tok.head)
        for host in hosts:
            for c in host.children:
                if c.dep_ in ("acl", "amod") and (_lemma(c) in IMPOSING or c.lower_.startswith(PARTICIPLES)):
                    agents = [a for g in c.children if any(x.lower_ == "por" for x in g.children if x.dep_ == "case")
                              for a in self._hostile_own_agents(g)]
                    if agents:  # "impuestas por el suministro de ...": a reason, not an imposer
                        return agents
        return None

    def _responder_states(self, tok) -> list[str]:
        """A sanction given as the reason of a hostile act ('en respuesta a', 'protesta contra'): the responder."""
        cur = tok
        for _ in range(6):
            if cur.head is cur:
                return []
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                spec = VERBS.get(_lemma(cur))
                if spec and spec["type"] in HOSTILE and spec["type"] != "Sanction":
                    agents = self._hostile_subject(cur) or self.subject_agents(cur)
                    return list(dict.fromkeys(s for s in (self._state_of(a) for a in agents) if s))
                return []
            if NOUNS.get(cur.lower_) == "Criticism" or NOUNS.get(_lemma(cur)) == "Criticism":
                verb = cur.head
                while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                    verb = verb.head
                agents = self.subject_agents(verb) if verb.pos_ in ("VERB", "AUX") else []
                return list(dict.fromkeys(s for s in (self._state_of(a) for a in agents) if s))
        return []

    def _hostile_noun(self, d: Draft, tok, verb, light: bool) -> None:
        """Actor and target of a nominal hostile act."""
        if d.type == "Criticism":
            carrier = tok
            for _ in range(2):  # "presentó (solemnes) protestas": the parse may hang the noun off its adjective
                if carrier.head is carrier or carrier.head.pos_ in ("VERB", "AUX"):
                    break
                carrier = carrier.head
            carrier = carrier.head
            if not light and carrier.pos_ in ("VERB", "AUX") and _lemma(carrier) in CRITICISM_CARRIERS:
                d.add(self.subject_agents(carrier), "actor")  # "presentó una protesta", "expresó su rechazo"
                verb = carrier
            for c in self.complements(tok, ("de", "del")):
                if _lemma(c) not in CRITICISED_ACTS:
                    d.add(self.token_agents(c), "actor")  # "las críticas de X"
            if not d.actors:
                # "convocó al embajador como señal de protesta": the protest is the summoner's
                up = tok.head
                while up.pos_ not in ("VERB", "AUX") and up.head is not up:
                    up = up.head
                if up.pos_ in ("VERB", "AUX") and VERBS.get(_lemma(up), {}).get("type") in HOSTILE:
                    d.add(self._hostile_subject(up) or self.subject_agents(up), "actor")
            for host in dict.fromkeys([tok, verb]):
                for c in self.complements(host, ("a", "al", "por", "contra", "ante")):
                    if c is tok:
                        continue
                    acts = _lemma(c) in CRITICISED_ACTS or c.lower_ in CRITICISED_ACTS
                    # "las críticas de X al hundimiento de ...": an act with no author named is no party
                    d.add(self._hostile_object_targets(c, d.type) if acts else self._hostile_own_agents(c), "counterpart")
        elif d.type == "RelationsDowngrade" and _lemma(tok) not in OWN_ENVOY_NOUNS:
            for c in self.complements(tok, ("de", "del")):
                targets = self._hostile_object_targets(c, d.type)
                d.add(targets, "counterpart")  # "la expulsión del embajador nicaragüense": Nicaragua
            d.actors = [a for a in d.actors if a not in d.counterparts]  # "la expulsión de X se decidió": X is expelled
        elif d.type == "RelationsDowngrade" and _lemma(tok) in OWN_ENVOY_NOUNS:
            # "el retiro del embajador de X en Y": X's own envoy is no participant; Y is the other side
            for c in self.complements(tok, ("de", "del")):
                left, right = self._span_of(c)
                envoys = {m.key for m in self.named.inside(left, right) if m.type == "Person"}
                d.participants = [p for p in d.participants if p not in envoys]
                d.actors = [p for p in d.actors if p not in envoys]
                posts = [m for m in self.index.where.inside(left, right) if m.type in PLACE_TYPES]
                for m in posts:
                    before = self.text[max(left, m.start - 4) : m.start].strip().lower()
                    state = self._state_of_place(m)
                    if before.endswith("en") and state:
                        d.add([state], "counterpart")
            if not d.counterparts:
                self._places(d, tok, verb, {"type": d.type})
                state = d.location if d.location and d.location.startswith("country/") else None
                if state:
                    d.add([state], "counterpart")  # "anunció el retiro de su embajador en X"
                    d.location = None
        elif d.type == "Sanction":
            imposer = self._sanction_imposer(tok)
            if imposer:
                d.add(imposer, "actor")
                self._governments_act(d)
            if not d.actors:
                for c in self.complements(tok, ("de", "del")):
                    agents = self.token_agents(c)
                    if not agents:  # "la suspensión de la ayuda de X"
                        for g in self.complements(c, ("de", "del")):
                            agents = self.token_agents(g)
                    d.add(agents, "actor")
            if not d.counterparts:
                d.add([s for s in self._responder_states(tok) if s not in d.participants], "counterpart")

    # ------------------------------------------------------------ identity

    def _criticism_states(self, d: Draft) -> None:
        """'El Gobierno de X criticó ...' / 'lamentó la decisión del gobierno de X': the state beside its government."""
        for role, keys in (("actor", list(d.actors)), ("counterpart", list(d.counterparts))):
            for k in keys:
                if k.startswith("body/"):
                    state = self._state_of(k)
                    if state and state not in d.participants:
                        d.add([state], role)

    def _sign_hostile(self) -> None:
        for d in self.drafts:
            if d.type in HOSTILE:
                acting = frozenset(s for s in (self._state_of(a) or a for a in d.actors) if s)
                targets = frozenset(s for s in (self._state_of(a) or a for a in d.counterparts) if s) - acting
                d.sides = (acting, targets)
