"""Trigger stage: which words report an event.

A trigger is a verb of the lexicon ("se reunió", "invitó", "condenó") or a noun carried by
a light verb ("sostuvo una reunión", "impusieron sanciones"). Before a candidate becomes a
Draft it must pass the checks that decide whether it is an event at all: negated, denied,
cancelled, speculative and merely proposed events are left out, a statement that announces
another event gives way to it, and a definite noun with nothing of its own ("el
encuentro") refers back to an earlier event instead of opening a new one. The trigger then
asks the other stages for its participants, place, status and time, and hands the draft to
identity (`_keep`).
"""

from __future__ import annotations

import re

from .draft import Draft
from .hostile import HOSTILE
from .sides import SCENE_TYPES
from .statements import STATEMENT_VERBS
from .lexicon import (ACCEPT, CANCEL, DEFINITE, DENIAL, LIGHT, MODAL, NEGATION, NOUN_LIGHT, NOUN_NEEDS, NOUNS, OBJECT_READINGS,
                      PLACE_TYPES,
                      PLANNED_ADJ, PLANNING, SIGNING_LIGHT, SPECULATIVE, SPECULATIVE_WORDS, SUBJ, VERBS, _lemma,
                      _without_relatives)


class TriggerStage:
    """Verb and noun triggers (a mixin of EventExtractor: it reads the extractor's doc,
    text, index, positions and drafts, and calls the other stages through self)."""

    def _consider(self, tok, sent_no: int) -> None:
        pos = tok.pos_
        if pos in ("VERB", "AUX"):
            lemma = _lemma(tok)
            if lemma in VERBS:  # an event verb may also be a statement verb ("reafirmaron su compromiso")
                self._verb_event(tok, VERBS[lemma], sent_no)
            for c in tok.children:  # "dio la bienvenida a X": a reading of the verb by its object
                if c.dep_ == "obj" and _lemma(c) in OBJECT_READINGS.get(lemma, {}):
                    self._verb_event(tok, OBJECT_READINGS[lemma][_lemma(c)], sent_no)
            if lemma in STATEMENT_VERBS:
                self._statement_event(tok, STATEMENT_VERBS[lemma], sent_no)  # statements.py; identity keeps the event
        elif pos in ("NOUN", "PROPN"):
            if tok.lower_ in NOUNS:
                self._noun_event(tok, NOUNS[tok.lower_], sent_no)
            elif (lemma := _lemma(tok)) in NOUNS:
                self._noun_event(tok, NOUNS[lemma], sent_no)

    def _blocked(self, verb, trigger) -> bool:
        """Negated, denied, cancelled or speculative: not an event at all."""
        for t in (verb, trigger):
            if any(c.lower_ in NEGATION and c.dep_ in ("advmod", "neg") for c in t.children):
                return True
            if any(c.lower_ in SPECULATIVE_WORDS for c in t.children):
                return True
        if verb.morph.get("Mood") == ["Cnd"] and any(c.dep_ == "aux" and c.lemma_ == "haber" for c in verb.children):
            return True
        if any(c.dep_ == "aux" and c.lemma_ == "haber" and "Cnd" in c.morph.get("Mood") for c in verb.children):
            return True  # "habrían intentado": reported, unconfirmed
        cur = verb
        for _ in range(5):
            if cur.head is cur:
                break
            parent = cur.head
            plemma = _lemma(parent)
            if cur.dep_ in ("xcomp", "ccomp", "obj") and any(
                c.dep_ == "aux" and _lemma(c) == "haber" and "Cnd" in c.morph.get("Mood") for c in parent.children
            ):
                return True  # "habrían intentado negociar": reported, unconfirmed
            if cur.dep_ in ("ccomp", "xcomp", "csubj", "obj", "advcl") and plemma in DENIAL | SPECULATIVE | MODAL:
                return True
            if plemma in MODAL and cur.dep_ in ("xcomp", "ccomp", "obj"):
                return True
            if any(_lemma(c).startswith("invitaci") for c in parent.children if c.dep_ == "obj") and plemma not in ACCEPT \
                    and cur.dep_ in ("advcl", "xcomp", "obl") and _lemma(trigger) not in ("invitar", "invitación"):
                return True  # "extendió una invitación ... para visitar Asunción": only proposed
            proposed_trip = (VERBS.get(_lemma(trigger), {}).get("type") or NOUNS.get(trigger.lower_)) == "Visit"
            if (plemma == "invitar" or plemma.startswith("invitaci") and proposed_trip and _lemma(parent.head) not in ACCEPT) and \
                    cur.dep_ in ("xcomp", "ccomp", "obl", "advcl", "acl", "nmod") and _lemma(trigger) not in ("invitar", "invitación"):
                return True  # "invitó a visitar": the trip is only proposed
            cur = parent
        for c in verb.children:
            if c.dep_ == "aux" and _lemma(c) in MODAL:
                return True
        # noun trigger that is the subject of a cancellation ("la visita ... fue cancelada")
        if trigger.dep_ in SUBJ and _lemma(trigger.head) in CANCEL:
            return True
        if _lemma(trigger.head) in CANCEL and trigger.dep_ in ("obj", "nsubj:pass"):
            return True
        return False

    # ------------------------------------------------------------ verb triggers

    def _verb_event(self, tok, spec: dict, sent_no: int) -> None:
        lemma = _lemma(tok)
        if spec.get("objects"):
            objs = [c for c in tok.children if c.dep_ in ("obj", "nsubj:pass", "nsubj")]
            heads = {_lemma(c) for c in objs} | {c.lower_ for c in objs}
            if not heads & set(spec["objects"]):
                return
        spec = self._spec_for_object(tok, spec)
        if spec.get("requires_words"):
            first, last = min(tok.left_edge.i, tok.i - 3), max(tok.right_edge.i + 1, tok.i + 8)  # the verb's clause
            window = self.doc[max(tok.sent.start, first) : min(tok.sent.end, last)].text.lower()
            if not any(w in window for w in spec["requires_words"]):
                return
        if any(f"{tok.lower_} {w}" in tok.sent.text.lower() for w in spec.get("not_followed_by", [])):
            return  # "coincidieron en que ...": a shared view, not a commitment
        if spec.get("reflexive") and not self._reflexive(tok):
            if lemma not in ("reunir",):
                return
        if lemma in ("rechazar",) and any(_lemma(c) in spec.get("objects_not", []) for c in tok.children):
            return
        if self._blocked(tok, tok):
            return
        if spec.get("statement") and tok.morph.get("VerbForm") in (["Inf"], ["Ger"]):
            return  # "para expresarle su solidaridad": what a call was for, not a statement
        if (spec.get("statement") and lemma not in DENIAL or spec["type"] == "Agreement") and self._announces_event(tok):
            return  # "anunció la ruptura", "acordaron reunirse": the framed event is the news
        d = self._draft(spec["type"], tok, tok, sent_no)
        subj = (self._hostile_subject(tok) if spec["type"] in HOSTILE else []) or self.subject_agents(tok)
        if spec["type"] in ("Agreement", "AgreementSigning") and self._impersonal(tok):
            subj = self._meeting_at_hand(d)  # sides.py: "en la reunión se acordó X / se firmaron acuerdos"
        passive = self._passive(tok)
        if spec.get("subject_must_be_agent") and (not subj or passive):
            return
        obj_role = spec.get("object_role")
        if passive:
            # "X será recibido por Y": the grammatical subject plays the object's role.
            d.add(subj, obj_role or "participant")
            for c in self.complements(tok, ("por",)):
                d.add(self.token_agents(c), spec.get("subject_role", "participant"))
        else:
            d.add(subj, spec.get("subject_role", "participant"))
        for c in tok.children:
            if _lemma(c) in ("margen", "marco", "término", "final"):
                continue  # "al margen de ...", "en el marco de ...": circumstances
            if spec["type"] == "RelationsDowngrade" and self._own_envoy(c):
                # "llamó a consultas a su embajador en X": the envoy is the actor's own; X is the target.
                left, right = self._span_of(c)
                posts = [m for m in self.index.where.inside(left, right) if m.type in PLACE_TYPES]
                d.add([self._state_of_place(m) for m in posts if self._state_of_place(m)], "counterpart")
                continue
            if c.dep_ in ("obj", "iobj") or (c.dep_ in ("obl", "obl:arg") and any(g.lower_ in ("a", "al") for g in c.children if g.dep_ == "case") and spec["type"] != "Visit"):
                agents = self._hostile_object_targets(c, spec["type"]) if spec["type"] in HOSTILE else self.token_agents(c)
                if spec.get("object_must_be") == "Person":
                    agents = [a for a in agents if a.startswith("person/")]
                if obj_role or spec["type"] in ("Meeting", "Invitation", "Criticism", "Sanction", "RelationsDowngrade"):
                    d.add(agents, obj_role or "participant")
                if spec["type"] == "RelationsDowngrade":
                    # "expulsó al embajador de Venezuela": the envoy's state is the target too
                    d.add([p.of for p in self.positions if p.holder in agents and p.of and p.of.startswith("country/")],
                          obj_role or "counterpart")
        objects = [c for c in tok.children if c.dep_ == "obj"]
        sides: list[list[str]] = []
        side_role = "counterpart" if spec.get("subject_role") == "actor" else "participant"
        for host in [tok, *objects]:  # "firmarán un acuerdo con la Alianza del Pacífico"
            for c in self.complements(host, ("con", "contra")):
                d.add(self.token_agents(c), side_role)
                sides += self._con_sides(c) if spec["type"] == "Meeting" else []
        if spec["type"] in HOSTILE:
            self._hostile_verb_extras(d, tok)
        self._places(d, tok, tok, spec)
        if spec["type"] == "RelationsDowngrade" and d.location and any(self._own_envoy(c) for c in tok.children):
            state = d.location if d.location.startswith("country/") else None
            if state:
                d.add([state], "counterpart")  # "llamó a consultas a su embajador en Israel"
                d.location = None
        if spec.get("needs_destination") and not d.destination:
            return
        if spec["type"] == "Invitation":
            d.proposed_visit = self._proposed_visit(tok)
        if spec.get("object_is_destination") and not d.destination:
            for c in tok.children:
                if c.dep_ == "obj":
                    places = self._places_in(c)
                    if places:
                        d.destination = places[0]
        if spec["type"] == "Visit" and d.destination and d.destination in d.participants:
            d.participants.remove(d.destination)
        self._status(d, tok, tok)
        for part in self._one_per_side(d, subj, sides, side_role):  # sides.py: "con A, con B y con C"
            self._keep(part)
        if spec.get("also_visit") and d.actors and d.counterparts:
            self._keep(self._reception_visit(d))

    def _reception_visit(self, meeting: Draft) -> Draft:
        """'X recibió a su homólogo Y': Y came on a visit, to where X received him (the
        guide: receiving someone on a visit is a Visit, and a Meeting with the hosts)."""
        visit = Draft("Visit", meeting.trigger, meeting.head, meeting.start, meeting.end, sentence=meeting.sentence,
                      status=meeting.status, time=meeting.time, headline=meeting.headline, reception=True)
        visit.add(meeting.actors, "actor")
        visit.add(meeting.counterparts, "counterpart")
        hosts = [self._state_of(h) for h in meeting.counterparts]
        visit.destination = next((h for h in hosts if h), None) or meeting.location
        return visit

    @staticmethod
    def _passive(tok) -> bool:
        return any(c.dep_ in ("aux:pass", "nsubj:pass") for c in tok.children) or (
            tok.morph.get("VerbForm") == ["Part"] and any(c.dep_ in ("aux", "cop") and c.lemma_ == "ser" for c in tok.children)
        )

    def _reflexive(self, tok) -> bool:
        if re.search(r"(se|nos|me)$", tok.lower_):
            return True
        return any(c.lower_ in ("se", "nos", "me", "te", "os") for c in tok.children) or (
            tok.i > 0 and self.doc[tok.i - 1].lower_ in ("se", "nos", "me")
        )

    def _announces_event(self, verb) -> bool:
        """'anunció la ruptura de relaciones': the announced event is the news, not the statement."""
        for c in verb.children:
            if c.dep_ in ("obj", "ccomp", "xcomp"):
                for t in _without_relatives(c):
                    lemma = _lemma(t)
                    if (t.pos_ in ("NOUN", "PROPN") and (t.lower_ in NOUNS or lemma in NOUNS) and self._noun_ok(t)) or (
                        t.pos_ == "VERB" and lemma in VERBS and lemma not in ("anunciar",)
                    ):
                        return True
        return False

    # ------------------------------------------------------------ noun triggers

    def _noun_ok(self, tok) -> bool:
        key = tok.lower_ if tok.lower_ in NOUN_NEEDS else _lemma(tok)
        needs = NOUN_NEEDS.get(key)
        if needs is None:
            return True
        if not needs:
            return False
        window = " ".join(t.lower_ for t in tok.subtree) + " " + " ".join(t.lower_ for t in self.doc[max(0, tok.i - 2) : tok.i + 4])
        if any(n in window for n in needs):
            return True
        # "la octava ronda" after "la séptima ronda de negociaciones": the article has said what it is
        # (for one more of the same; "las conversaciones" after a call are talks, not calls).
        etype = NOUNS.get(tok.lower_) or NOUNS.get(_lemma(tok))
        if etype == "PhoneCall" and "Plur" in tok.morph.get("Number"):
            return False
        return any(d.type == etype and d.start < tok.idx for d in self.drafts)

    def _noun_event(self, tok, etype: str, sent_no: int) -> None:
        if not self._noun_ok(tok):
            return
        if _lemma(tok.head) in ("margen", "marco"):
            return  # "al margen de la Asamblea General": the setting, not the event
        head = tok.head
        # the same event named twice ("ronda de negociaciones", "firmó un memorando")
        if head is not tok and head.pos_ in ("NOUN", "PROPN") and (NOUNS.get(head.lower_) or NOUNS.get(_lemma(head))) in (etype, "Negotiation") and self._noun_ok(head):
            return
        if _lemma(head) in VERBS and VERBS[_lemma(head)]["type"] == etype:
            return
        if etype == "AgreementSigning" and _lemma(head) not in SIGNING_LIGHT and tok.lower_ != "firma":
            return  # a memorando that nobody signs here is just a document
        carriers = NOUN_LIGHT.get(tok.lower_)
        if carriers is not None and _lemma(head) not in carriers:
            return  # "el acuerdo de libre comercio" is a document; "alcanzaron un acuerdo" an event
        if etype == "Invitation" and _lemma(head) in ("aceptar", "agradecer", "extender", "cursar", "formular", "reiterar", "recibir"):
            pass
        elif etype == "Invitation" and any(c.dep_ == "case" and c.lower_ in ("por", "a") for c in tok.children):
            self._keep_invitation_behind(tok, sent_no)  # "visitó Bogotá por invitación de X"
            return
        elif etype == "Invitation":
            if tok.dep_ not in ("obj",) and not self._relative_light_verb(tok):
                return
        imposing = ("imponer", "aplicar", "anunciar", "adoptar", "decretar", "aprobar", "ampliar", "endurecer")
        if etype == "Sanction" and _lemma(head) in ("paquete", "ronda", "serie", "conjunto") and head.head is not head:
            head = head.head  # "aprobó un nuevo paquete de sanciones"
        if etype in ("Sanction",) and _lemma(head) not in imposing and self._sanction_imposer(tok) is None:
            return
        verb = head if head.pos_ in ("VERB", "AUX") else tok
        if verb is tok and head.pos_ in ("VERB", "AUX"):
            verb = head
        light = verb is not tok and (_lemma(verb) in LIGHT | ACCEPT | PLANNING | {"ser", "estar", "haber"} or _lemma(verb) in (carriers or ()))
        if self._blocked(verb if verb is not tok else tok, tok):
            return
        if self._anaphoric(tok, light) and not (etype == "Sanction" and self._sanction_imposer(tok)) \
                and any(d.type == etype for d in self.drafts):
            self._attach_to_previous(tok, etype)
            return  # (with nothing of its type told before, "la firma del tratado" is its first word)
        relative = self._relative_light_verb(tok)
        if relative is not None and not (light and verb is not tok):
            verb, light = relative, True
        d = self._draft(etype, tok, verb, sent_no)
        accepted = _lemma(verb) in ACCEPT
        in_container = tok.dep_ == "nmod" and _lemma(tok.head) in ("paquete", "ronda", "serie", "conjunto")
        if light and verb is not tok and (tok.dep_ in ("obj", "nsubj", "nsubj:pass", "obl", "xcomp") or in_container):
            subj = self.subject_agents(verb)
            if etype == "Invitation" and accepted:
                d.add(subj, "counterpart")
            else:
                d.add(subj, "actor" if etype in ("Visit", "Invitation", "Sanction", "Criticism", "RelationsDowngrade") else "participant")
            for c in self.complements(verb, ("con", "contra")):
                d.add(self.token_agents(c), "counterpart" if etype in ("Visit", "Invitation", "Sanction", "Criticism", "RelationsDowngrade") else "participant")
        elif tok.dep_ in ("nmod", "obl") and etype == "Visit":
            # "la invitación para realizar una visita": the visitor is the invitee
            pass
        for c in self.complements(tok, ("con", "contra"), deep=True):
            d.add(self.token_agents(c), "counterpart" if etype in ("Visit", "Invitation", "Sanction", "Criticism", "RelationsDowngrade") else "participant")
        if etype in ("Meeting", "Negotiation", "PhoneCall", "Agreement"):
            for c in self.complements(tok, ("entre",)):  # "una reunión entre ambos ministros"
                d.add(self.token_agents(c))
        if etype == "Visit" and not d.participants and any(c.lower_ in ("su", "sus") for c in tok.children if c.dep_ == "det"):
            d.add(self.subject_agents(tok.sent.root), "actor")  # "En su viaje a X, el canciller ..."
        for c in self.complements(tok, ("de", "del")):
            agents = [a for a in self.token_agents(c) if not a.startswith("delegation/")]
            role = "actor" if etype == "Invitation" else "participant"
            if etype == "Invitation" and accepted:
                d.add(agents, "actor")
            elif etype in ("Meeting", "Negotiation", "Invitation", "RelationsDowngrade", "PhoneCall"):
                d.add(agents, role)
            elif etype == "Visit" and not d.actors:
                d.add([a for a in agents if not a.startswith("country/")], "actor")  # "la visita de X a Y"
        if tok.dep_ in SUBJ and head.pos_ in ("VERB", "AUX") and etype in ("Meeting", "Negotiation"):
            # "La reunión fue presidida por X y contó con la participación de A, B y C"
            for c in self.complements(head, ("por",)):
                d.add(self.token_agents(c))
            for t in head.subtree:
                if _lemma(t) in ("participación", "presencia", "asistencia") and t.i > tok.i:
                    left, right = self._span_of(t)
                    d.add(self.agents_in(left, right))
        if etype in ("Meeting", "Negotiation"):
            left, right = self._span_of(tok)
            for m in self.index.where.inside(left, right):
                if m.type == "InternationalOrganization":
                    d.add([m.key])
                    d.add(self._states_named_in(m))  # sides.py: "la Comisión Binacional Perú-Ecuador"
        if etype == "Invitation" and not accepted and verb is not tok:
            for host in (verb, tok):  # "extendió una invitación a su homólogo, X"
                for c in self.complements(host, ("a", "al")):
                    d.add(self.token_agents(c), "counterpart")
        if etype == "Invitation" and accepted:
            earlier = next((p for p in reversed(self.drafts) if p.type == "Invitation" and d.sentence - p.sentence <= 2), None)
            if earlier is not None:
                # "X invitó a Y a visitar Z en noviembre. Y aceptó la invitación": one invitation,
                # and the accepted trip becomes a planned visit.
                earlier.add(d.participants, "counterpart")
                if earlier.proposed_visit and d.participants:
                    place, time, (vstart, vend) = earlier.proposed_visit
                    visit = Draft("Visit", tok.i, verb.i, d.start, d.end, sentence=sent_no, status="planned")
                    visit.add(d.participants, "actor")
                    visit.destination, visit.time = place, time
                    self._keep(visit)
                return
            if not d.actors:
                d.add(self._inviter(d), "actor")
        if etype == "Visit" and not d.participants and tok.dep_ in ("obj",) and verb is not tok:
            d.add(self.subject_agents(verb), "actor")
        if etype == "Visit":
            invitee = self._invitation_visitor(tok)
            if invitee is not None:
                if not invitee:
                    return
                d.participants, d.actors = list(invitee), list(invitee)
        if not d.participants and etype in SCENE_TYPES and not self.complements(tok, ("con", "entre")) \
                and not any(self.token_agents(c) for c in self.complements(tok, ("de", "del"))):
            d.add(self._scene_agents(tok))  # sides.py: "una reunión bilateral celebrada ayer"
            d.scene = True
        if etype in HOSTILE:
            self._hostile_noun(d, tok, verb, light)
        self._places(d, tok, verb, {"type": etype})
        self._status(d, verb, tok)
        self._keep(d)

    def _keep_invitation_behind(self, tok, sent_no: int) -> None:
        """'X visitó Bogotá por / a invitación de Y': Y invited X, and X accepted (the trip itself
        is the clause's own event)."""
        clause = tok.head if tok.head.pos_ in ("VERB", "AUX") else None
        if clause is None or self._blocked(clause, tok):
            return
        inviters = [a for c in self.complements(tok, ("de", "del")) for a in self.token_agents(c)]
        guests = [a for a in self.subject_agents(clause) if a not in inviters]
        if not inviters or not guests:
            return
        d = self._draft("Invitation", tok, clause, sent_no)
        d.add(inviters, "actor")
        d.add(guests, "counterpart")
        self._status(d, clause, tok)
        d.status = "occurred"  # the invitation came before the trip it explains
        self._keep(d)

    def _relative_light_verb(self, tok):
        """'la invitación que Park le extendió': the relative clause's verb carries the noun."""
        for c in tok.children:
            if c.dep_ in ("acl", "acl:relcl") and c.pos_ == "VERB" and _lemma(c) in LIGHT | ACCEPT:
                if any(g.lower_ in ("que", "cual") for g in c.children if g.dep_ in ("obj", "nsubj", "mark")) or True:
                    return c
        return None

    def _anaphoric(self, tok, light: bool) -> bool:
        """'el encuentro', 'la cita': a definite noun with nothing of its own refers back."""
        dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
        if not dets or not (set(dets) & DEFINITE):
            if tok.i > 0 and self.doc[tok.i - 1].lower_ in ("del", "al"):
                dets = ["el"]
            else:
                return False
        if any(c.lower_ in PLANNED_ADJ for c in tok.children) or any(c.lower_ in PLANNED_ADJ for c in tok.lefts):
            return False
        if light and _lemma(tok.head) not in ("ser", "estar", "haber"):
            return False
        own = self.complements(tok, ("con", "de", "del", "entre"))
        if any(self.token_agents(c) for c in own):
            return False
        if tok.pos_ == "PROPN" or tok.text[0].isupper() and not tok.is_sent_start:
            return False
        return True

    def _attach_to_previous(self, tok, etype: str) -> None:
        """'En el encuentro —en el que también participó X—': X joins the earlier event."""
        if not self.drafts:
            return
        prev = next((d for d in reversed(self.drafts) if d.type == etype), None)
        if prev is None:
            return
        for c in tok.children:
            if c.dep_ in ("acl", "acl:relcl", "appos") or c.pos_ == "VERB":
                for g in c.children:
                    if g.dep_ in SUBJ:
                        prev.add(self.token_agents(g))
        # the relative clause may hang elsewhere in the parse: look for "participó X" right after
        window_end = min(len(self.doc), tok.i + 12)
        for t in self.doc[tok.i : window_end]:
            if _lemma(t) in ("participar", "asistir", "estar") and t.pos_ == "VERB":
                for g in t.children:
                    if g.dep_ in SUBJ:
                        prev.add(self.token_agents(g))

    # ------------------------------------------------------------ the draft

    def _draft(self, etype: str, trigger, verb, sent_no: int) -> Draft:
        start, end = self._evidence_span(trigger, verb)
        return Draft(etype, trigger.i, verb.i, start, end, sentence=sent_no, headline=self._in_headline(trigger))

    def _in_headline(self, tok) -> bool:
        """The first line, when it is short and ends without a full stop."""
        first_line_end = self.text.find("\n")
        if first_line_end < 0 or tok.idx > first_line_end:
            return False
        line = self.text[:first_line_end].strip()
        return 0 < len(line.split()) <= 25 and not line.endswith((".", ":"))

    def _evidence_span(self, trigger, verb) -> tuple[int, int]:
        """From the clause's subject (or the verb) to the trigger's phrase, within the sentence."""
        sent = trigger.sent
        toks = [verb, trigger]
        for c in verb.children:
            if c.dep_ in SUBJ and c.i < verb.i:
                toks.append(c.left_edge if c.left_edge.i >= sent.start else c)
        start_tok = min(toks, key=lambda t: t.i)
        end_tok = max([trigger, verb], key=lambda t: t.i)
        # extend to the end of the trigger noun's immediate phrase (a few tokens)
        right = end_tok
        for t in self.doc[end_tok.i + 1 : min(sent.end, end_tok.i + 6)]:
            if t.is_punct:
                break
            right = t
        start, end = start_tok.idx, right.idx + len(right.text)
        return start, end
