"""Events: triggers from the lexicon, participants from the dependency parse.

A trigger is a verb ("se reunió", "invitó", "condenó") or a noun carried by a light verb
("sostuvo una reunión", "impusieron sanciones"). Participants come from the clause's
subject (or, when Spanish drops it, the last subject before it), its objects and its
"con" / "contra" complements; locations from "en X", destinations from "a X". Negated,
denied, cancelled, speculative and unaccepted events are left out; future, conditional
and "acordaron reunirse" events are planned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..lang import load_json
from ..model import Event, Mention, TimeExpr
from .doc_text import doc_text, token_starts
from .entities import EntityIndex, Span
from .positions import TitleSpan, post_class
from .timex import resolve as resolve_time
from .topics import topics_in

LEX = load_json("events.json")
VERBS: dict[str, dict] = LEX["verbs"]
NOUNS: dict[str, str] = LEX["nouns"]
NOUN_NEEDS: dict[str, list[str]] = LEX["noun_needs"]
LIGHT = set(LEX["light_verbs"])
SIGNING_LIGHT = set(LEX["signing_light_verbs"])
ACCEPT = set(LEX["acceptance_verbs"])
PLANNING = set(LEX["planning_verbs"])
PLANNED_ADJ = set(LEX["planned_adjectives"])
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
    proposed_visit: tuple | None = None
    headline: bool = False  # reported in the article's headline  # an invitation "a visitar X en noviembre": (place, time, span)

    def add(self, keys, role: str = "participant") -> None:
        for k in keys:
            if k not in self.participants:
                self.participants.append(k)
            if role == "actor" and k not in self.actors:
                self.actors.append(k)
            if role == "counterpart" and k not in self.counterparts:
                self.counterparts.append(k)


class EventExtractor:
    def __init__(self, doc, index: EntityIndex, titles: list[TitleSpan], times: list[TimeExpr], positions, published):
        self.doc = doc
        self.text = doc_text(doc)
        self.index = index
        self.titles = titles
        self.times = times
        self.positions = positions
        self.published = published
        self.drafts: list[Draft] = []
        self.title_refs = self._title_refs()
        self.subjects = self._explicit_subjects()

    # ------------------------------------------------------------ agents

    def _title_refs(self) -> list[Span]:
        """Titles with no name beside them, resolved to the person holding that post."""
        refs = []
        for ts in self.titles:
            if ts.holder:
                # the title stands for its holder even where the parse cut the name off
                # ("conversó con su homóloga peruana, Elena Soto": 'Elena' hangs elsewhere)
                refs.append(Span(ts.start, ts.end, "Person", self.text[ts.start : ts.end], "title-ref", ts.holder))
                continue
            cls = post_class(ts.title)
            cands = [p for p in self.positions if post_class(p.title) == cls or p.title.split()[0] == ts.title.split()[0]]
            if ts.of:
                cands = [p for p in cands if p.of == ts.of]
            holders = list(dict.fromkeys(p.holder for p in cands))
            if len(holders) == 1:
                refs.append(Span(ts.start, ts.end, "Person", self.text[ts.start : ts.end], "title-ref", holders[0]))
            elif not holders and ts.of and not ts.counterpart_word and ts.base and ts.base.of != "InternationalOrganization" \
                    and not _plural_title(self.text[ts.start : ts.end], ts):
                # "el canciller chileno" with no named holder: the state acts.
                refs.append(Span(ts.start, ts.end, "Country", self.text[ts.start : ts.end], "title-ref", ts.of))
        return refs

    def agents_in(self, start: int, end: int) -> list[str]:
        """The acting agents named in a char range: persons if any, else states and bodies."""
        mentions = [m for m in self.index.mentions + self.title_refs if start <= m.start and m.end <= end and m.type in AGENT_TYPES]
        maximal = [m for m in mentions if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in mentions)]
        persons = [m.key for m in maximal if m.type == "Person"]
        if persons:
            return list(dict.fromkeys(persons))
        agents = [m.key for m in maximal]
        if not agents:
            span = self.text[start:end].lower()
            if re.search(r"\b(autoridades|gobierno|gobiernos|país|régimen|ejecutivo)\b", span):
                agents = [m.key for m in self.index.demonym_mentions if start <= m.start and m.end <= end]
        return list(dict.fromkeys(agents))

    def token_agents(self, tok) -> list[str]:
        """Agents a token stands for: its subtree, a relative pronoun's antecedent, or a plural anaphor."""
        if tok.lower_ in ("quien", "quienes", "que", "cual", "cuales") and tok.head.dep_ == "acl" or tok.lower_ in ("quien", "quienes") :
            ante = self._antecedent(tok)
            if ante is not None:
                return self.token_agents(ante)
        left, right = self._span_of(tok)
        phrase = self.text[left:right].lower()
        agents = self.agents_in(left, right)
        bare = re.sub(r"[^\w ]+", "", phrase).strip()
        if not agents or bare in PLURAL_ANAPHORS:
            # "ambos", "los cancilleres": the pair named before; "los ministros de la UE" names its own
            for anaphor in PLURAL_ANAPHORS:
                if phrase.startswith(anaphor):
                    found = self._plural_antecedent(tok.idx, persons_only=bool(_PERSON_NOUNS.search(phrase)),
                                                    states_only=bool(_STATE_NOUNS.search(phrase)))
                    if found:
                        return found
        return agents

    def _span_of(self, tok) -> tuple[int, int]:
        """Char span of a token's subtree, cut before a relative clause or a parenthetical."""
        toks = [t for t in tok.subtree]
        cut = [t for t in tok.children if t.dep_ in ("acl", "acl:relcl") and t.i > tok.i]
        if cut:
            limit = min(t.left_edge.i for t in cut)
            toks = [t for t in toks if t.i < limit]
        return toks[0].idx, toks[-1].idx + len(toks[-1].text)

    def _antecedent(self, tok):
        verb = tok.head
        while verb.dep_ not in ("acl", "acl:relcl", "ROOT") and verb.head is not verb:
            verb = verb.head
        if verb.dep_ in ("acl", "acl:relcl"):
            return verb.head
        # "X, quien ...": the nearest person before
        persons = [m for m in self.index.mentions if m.type == "Person" and m.end <= tok.idx]
        if persons:
            last = persons[-1]
            for t in self.doc:
                if t.idx >= last.start:
                    return t
        return None

    def _plural_antecedent(self, pos: int, persons_only: bool = False, states_only: bool = False) -> list[str]:
        """'ambos', 'los cancilleres': the persons of the last event, else the last two persons named."""
        for d in reversed(self.drafts):
            if d.start < pos:
                persons = [k for k in d.participants if k.startswith("person/")]
                if len(persons) >= 2 and states_only:
                    # "ambos países" after two officials: their states
                    states = list(dict.fromkeys(self._state_of(p) for p in persons if self._state_of(p)))
                    if len(states) >= 2:
                        return states
                if len(persons) >= 2:
                    return persons
                if not persons_only and not persons and len(d.participants) >= 2:
                    return list(d.participants)  # "ambos equipos" after "Perú y la India concluyeron..."
        seen: list[str] = []
        for m in sorted(self.index.mentions + self.title_refs, key=lambda m: -m.start):
            if m.type == "Person" and m.end <= pos and m.key not in seen:
                seen.append(m.key)
            if len(seen) == 2:
                return list(reversed(seen))
        return []

    def _explicit_subjects(self) -> list:
        """Subject tokens, resolved to agents only when needed (after earlier events exist,
        so that 'ambos' can point at them)."""
        return [tok for tok in self.doc if tok.dep_ in SUBJ and tok.head.pos_ in ("VERB", "AUX", "NOUN", "ADJ")]

    def subject_agents(self, verb) -> list[str]:
        for c in verb.children:
            if c.dep_ in SUBJ:
                a = self.token_agents(c)
                if a:
                    return a
        # conjoined verbs, infinitives and relative clauses share the subject of their head
        cur = verb
        for _ in range(4):
            if cur.dep_ in ("conj", "xcomp", "ccomp", "advcl", "acl", "acl:relcl") and cur.head is not cur:
                if cur.dep_ in ("acl", "acl:relcl") and cur.head.pos_ in ("NOUN", "PROPN") and cur.dep_ == "acl":
                    cur = cur.head.head if cur.head.head is not cur.head else cur.head
                else:
                    cur = cur.head
                for c in cur.children:
                    if c.dep_ in SUBJ:
                        a = self.token_agents(c)
                        if a:
                            return a
            else:
                break
        # a subject the parser missed: the names right before the verb, after the last comma
        # ("Al margen de la cita, Ferro y Andrade sostuvieron...")
        sent = verb.sent
        head_text = self.text[sent.start_char : verb.idx]
        cut = head_text.rfind(",")
        if cut >= 0:
            segment_start = sent.start_char + cut + 1
            agents = self.agents_in(segment_start, verb.idx)
            if agents:
                return agents
        # pro-drop: the last explicit subject before the verb (same or previous sentence)
        lo = self._prev_sentence_start(verb.sent.start)
        for tok in reversed([t for t in self.subjects if lo <= t.i < verb.i]):
            agents = self.token_agents(tok)
            if agents:
                return agents
        return []

    def _prev_sentence_start(self, sent_start: int) -> int:
        if sent_start == 0:
            return 0
        return self.doc[sent_start - 1].sent.start

    def complements(self, tok, cases: tuple[str, ...], deep: bool = False) -> list:
        """Dependents of `tok` introduced by one of the prepositions `cases`."""
        out = []
        pool = tok.subtree if deep else tok.children
        for c in pool:
            if c is tok or c.dep_ not in ("obl", "nmod", "obj", "iobj", "obl:arg", "advcl", "obl:agent"):
                continue
            if deep and c.head.pos_ in ("VERB",) and c.head is not tok:
                continue
            case = [g.lower_ for g in c.children if g.dep_ in ("case", "mark", "fixed")]
            if any(x in cases for x in case):
                out.append(c)
        return out

    # ------------------------------------------------------------ triggers

    def run(self) -> list[Event]:
        for sent_no, sent in enumerate(self.doc.sents):
            for tok in sent:
                self._consider(tok, sent_no)
        return self._finish()

    def _consider(self, tok, sent_no: int) -> None:
        pos = tok.pos_
        if pos in ("VERB", "AUX"):
            lemma = _lemma(tok)
            if lemma in VERBS:
                self._verb_event(tok, VERBS[lemma], sent_no)
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

    def _verb_event(self, tok, spec: dict, sent_no: int) -> None:
        lemma = _lemma(tok)
        if spec.get("objects"):
            objs = [c for c in tok.children if c.dep_ in ("obj", "nsubj:pass", "nsubj")]
            heads = {_lemma(c) for c in objs} | {c.lower_ for c in objs}
            if not heads & set(spec["objects"]):
                return
        if spec.get("requires_words"):
            window = self.doc[max(tok.sent.start, tok.i - 3) : min(tok.sent.end, tok.i + 8)].text.lower()
            if not any(w in window for w in spec["requires_words"]):
                return
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
        subj = self.subject_agents(tok)
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
                posts = [m for m in self.index.mentions if left <= m.start and m.end <= right and m.type in PLACE_TYPES]
                d.add([self._state_of_place(m) for m in posts if self._state_of_place(m)], "counterpart")
                continue
            if c.dep_ in ("obj", "iobj") or (c.dep_ in ("obl", "obl:arg") and any(g.lower_ in ("a", "al") for g in c.children if g.dep_ == "case") and spec["type"] != "Visit"):
                agents = self.token_agents(c)
                if spec.get("object_must_be") == "Person":
                    agents = [a for a in agents if a.startswith("person/")]
                if obj_role or spec["type"] in ("Meeting", "Invitation", "Criticism", "Sanction", "RelationsDowngrade"):
                    d.add(agents, obj_role or "participant")
                if spec["type"] == "RelationsDowngrade":
                    # "expulsó al embajador de Venezuela": the envoy's state is the target too
                    d.add([p.of for p in self.positions if p.holder in agents and p.of and p.of.startswith("country/")],
                          obj_role or "counterpart")
        objects = [c for c in tok.children if c.dep_ == "obj"]
        for host in [tok, *objects]:  # "firmarán un acuerdo con la Alianza del Pacífico"
            for c in self.complements(host, ("con", "contra")):
                d.add(self.token_agents(c), "counterpart" if spec.get("subject_role") == "actor" else "participant")
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
        self._keep(d)

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
        # "la octava ronda" after "la séptima ronda de negociaciones": the article has said what it is.
        etype = NOUNS.get(tok.lower_) or NOUNS.get(_lemma(tok))
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
        if etype == "AgreementSigning" and _lemma(head) not in SIGNING_LIGHT:
            return  # a memorando that nobody signs here is just a document
        if etype == "Invitation" and _lemma(head) in ("aceptar", "agradecer", "extender", "cursar", "formular", "reiterar", "recibir"):
            pass
        elif etype == "Invitation":
            if tok.dep_ not in ("obj",) and not self._relative_light_verb(tok):
                return
        imposing = ("imponer", "aplicar", "anunciar", "adoptar", "decretar", "aprobar", "ampliar", "endurecer")
        if etype == "Sanction" and _lemma(head) in ("paquete", "ronda", "serie", "conjunto") and head.head is not head:
            head = head.head  # "aprobó un nuevo paquete de sanciones"
        if etype in ("Sanction",) and _lemma(head) not in imposing:
            return
        verb = head if head.pos_ in ("VERB", "AUX") else tok
        if verb is tok and head.pos_ in ("VERB", "AUX"):
            verb = head
        light = verb is not tok and _lemma(verb) in LIGHT | ACCEPT | PLANNING | {"ser", "estar", "haber"}
        if self._blocked(verb if verb is not tok else tok, tok):
            return
        if self._anaphoric(tok, light):
            self._attach_to_previous(tok, etype)
            return
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
        for c in self.complements(tok, ("de", "del")):
            agents = [a for a in self.token_agents(c) if not a.startswith("delegation/")]
            role = "actor" if etype == "Invitation" else "participant"
            if etype == "Invitation" and accepted:
                d.add(agents, "actor")
            elif etype in ("Meeting", "Negotiation", "Invitation", "RelationsDowngrade", "PhoneCall"):
                d.add(agents, role)
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
            for m in self.index.mentions:
                if left <= m.start and m.end <= right and m.type == "InternationalOrganization" and m.key not in d.participants:
                    d.add([m.key])
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
        self._places(d, tok, verb, {"type": etype})
        self._status(d, verb, tok)
        self._keep(d)

    def _proposed_visit(self, verb):
        """'invitó a su homóloga a visitar Belém en noviembre': where and when the trip would be."""
        for c in verb.subtree:
            if c.pos_ == "VERB" and _lemma(c) in ("visitar", "viajar", "acudir", "asistir") and c is not verb:
                places = [p for o in c.children if o.dep_ in ("obj", "obl", "obl:arg") for p in self._places_in(o)]
                if places:
                    tmp = Draft("Visit", c.i, c.i, c.idx, c.idx + len(c.text), status="planned")
                    time = self._time_for(tmp, c, c)
                    return places[0], time, (c.idx, c.idx + len(c.text))
        return None

    def _relative_light_verb(self, tok):
        """'la invitación que Park le extendió': the relative clause's verb carries the noun."""
        for c in tok.children:
            if c.dep_ in ("acl", "acl:relcl") and c.pos_ == "VERB" and _lemma(c) in LIGHT | ACCEPT:
                if any(g.lower_ in ("que", "cual") for g in c.children if g.dep_ in ("obj", "nsubj", "mark")) or True:
                    return c
        return None

    def _invitation_visitor(self, tok):
        """A visit under an invitation is a plan of the invitee only when the invitation was accepted."""
        cur = tok
        for _ in range(4):
            cur = cur.head
            if cur.lower_.startswith("invitaci"):
                verb = cur.head
                if _lemma(verb) in ACCEPT:
                    return self.subject_agents(verb)
                return []
            if cur.head is cur:
                break
        return None

    def _inviter(self, d: Draft) -> list[str]:
        """'X aceptó la invitación' during a meeting: the inviter is the other side of that meeting."""
        for prev in reversed(self.drafts):
            if prev.type in ("Meeting", "PhoneCall", "Visit") and set(d.counterparts) & set(prev.participants):
                return [p for p in prev.participants if p not in d.counterparts and p.startswith("person/")][:1]
        return []

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

    # ------------------------------------------------------------ roles, places, status

    def _places_in(self, tok) -> list[str]:
        left, right = self._span_of(tok)
        found = [m for m in self.index.mentions if left <= m.start and m.end <= right and m.type in PLACE_TYPES]
        outer = [m for m in found if not any(o is not m and o.start <= m.start and m.end <= o.end for o in self.index.mentions if o.type not in PLACE_TYPES and left <= o.start)]
        return [m.key for m in outer]

    def _places(self, d: Draft, trigger, verb, spec: dict) -> None:
        for host in dict.fromkeys([trigger, verb]):
            if d.type == "Visit":
                for c in self.complements(host, ("a", "al", "hacia", "rumbo")):
                    places = self._places_in(c)
                    if places and not d.destination:
                        d.destination = places[0]
                if not d.destination:
                    rumbo = [t for t in host.subtree if t.lower_ == "rumbo"]
                    for r in rumbo:
                        for c in r.subtree:
                            if c.pos_ == "PROPN":
                                places = self._places_in(c)
                                if places:
                                    d.destination = places[0]
                                    break
            for c in self.complements(host, ("en",)):
                places = self._places_in(c)
                if places and not d.location and d.type != "Visit":
                    d.location = places[0]
        if not d.location and d.type != "Visit" and trigger.pos_ in ("NOUN", "PROPN"):
            # "la cumbre del Mercosur, prevista para el 2 de julio en Asunción"
            for c in trigger.subtree:
                if c is not trigger and c.dep_ in ("obl", "nmod") and any(g.lower_ == "en" for g in c.children if g.dep_ == "case"):
                    places = self._places_in(c)
                    if places:
                        d.location = places[0]
                        break
        if d.type == "Visit" and not d.destination:
            m = re.match(r"\s*(?:\w+\s+){0,6}?(?:a|al|hacia|rumbo\s+a)\s+", self.text[trigger.idx + len(trigger.text) : trigger.idx + 80])
            if m:
                pos = trigger.idx + len(trigger.text) + m.end()
                for s in self.index.mentions:
                    if s.start in (pos, pos + 1) and s.type in PLACE_TYPES:
                        d.destination = s.key
                        break

    def _status(self, d: Draft, verb, trigger) -> None:
        planned = False
        morph_tense = verb.morph.get("Tense")
        mood = verb.morph.get("Mood")
        if "Fut" in morph_tense or "Cnd" in mood:
            planned = True
        for c in verb.children:
            if c.dep_ == "aux" and ("Fut" in c.morph.get("Tense") or "Cnd" in c.morph.get("Mood")):
                planned = True
        if verb.morph.get("VerbForm") == ["Inf"]:
            cur = verb
            for _ in range(3):
                if cur.head is cur:
                    break
                parent = cur.head
                if _lemma(parent) in PLANNING or parent.lower_.startswith("invitaci") or any(g.lower_ == "para" for g in cur.children if g.dep_ in ("mark", "case")):
                    planned = True
                    break
                if cur.dep_ not in ("xcomp", "ccomp", "acl", "advcl", "obl", "nmod"):
                    break
                cur = parent
        # "va a reunirse", "se reunirá", "prevista para", "la próxima cumbre"
        if any(c.lower_ in PLANNED_ADJ for c in trigger.subtree if c.i < trigger.i + 4):
            planned = True
        if verb is not trigger and _lemma(verb) in ("ser",) and "Fut" in morph_tense:
            planned = True
        for c in trigger.children:
            if c.dep_ in ("acl", "acl:relcl") and ("Fut" in c.morph.get("Tense") or _lemma(c) in ("prever", "programar")):
                planned = True
        if verb.i > 0 and self.doc[verb.i - 1].lower_ == "a" and verb.i > 1 and self.doc[verb.i - 2].lemma_ == "ir":
            planned = True
        d.status = "planned" if planned else "occurred"
        d.time = self._time_for(d, verb, trigger)
        if d.time and d.time.value and self.published and d.status == "occurred" and d.time.value > self.published.isoformat()[: len(d.time.value)]:
            d.status = "planned"

    def _time_for(self, d: Draft, verb, trigger) -> TimeExpr | None:
        """The time expression inside the clause, nearest the trigger."""
        sent = trigger.sent
        lo, hi = sent.start_char, sent.end_char
        clause = [t for t in (verb, trigger)]
        spans = []
        for c in clause:
            left, right = c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)
            spans.append((left, right))
        cands = [t for t in self.times if lo <= t.start and t.end <= hi and any(a <= t.start and t.end <= b for a, b in spans)]
        cands = [t for t in cands if not _DEADLINE.match(t.text)]  # "antes de fin de año" is a deadline
        governed = [t for t in cands if self._governed_by(t, (verb, trigger))]
        if not governed:
            # No words of its own: the date of the clause it hangs from ("recibió este jueves
            # a su homólogo, quien cumple una visita..."; "el jueves estaba en Ginebra, donde intervino...").
            in_sentence = [t for t in self.times if lo <= t.start and t.end <= hi and not _DEADLINE.match(t.text)]
            for ancestor in verb.ancestors:
                governed = [t for t in in_sentence if self._governed_by(t, (ancestor,))]
                if governed:
                    break
            if not governed:
                return None
            # the words date the clause this one hangs from: resolve them in that clause's
            # tense ("llegó el martes ..., durante la cual se reunirá": this Tuesday)
            best = min(governed, key=lambda t: abs(t.start - trigger.idx))
            return resolve_time(best, self.published, None)
        cands = governed
        anchor = trigger.idx
        best = min(cands, key=lambda t: abs(t.start - anchor))
        tense = "future" if d.status == "planned" else "past"
        return resolve_time(best, self.published, tense)

    def _token_at(self, char: int):
        """The word covering a character offset, or None (a space, or past the end)."""
        i = bisect_right(token_starts(self.doc), char) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if not tok.is_space and char < tok.idx + len(tok.text) else None

    def _governed_by(self, time: TimeExpr, heads) -> bool:
        """The words date this clause, not a clause nested in it ('aceptó la invitación para
        realizar una visita en 2026': 2026 dates the visit)."""
        tok = self._token_at(time.start)
        targets = {h.i for h in heads}
        for _ in range(10):
            if tok is None:
                return False
            if tok.i in targets:
                return True
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "cop") or self._is_trigger(tok):
                if tok.i not in targets and not (tok.idx >= time.start and tok.idx < time.end):
                    return False
            if tok.head is tok:
                return False
            tok = tok.head
        return False

    def _is_trigger(self, tok) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and (tok.lower_ in NOUNS or _lemma(tok) in NOUNS)

    def _date_from_context(self, drafts: list[Draft]) -> None:
        """An occurred event with no date of its own takes the last date said before it in
        its paragraph ("La respuesta de Irán llegó el miércoles. El vocero ... condenó")."""
        if self.published is None:
            return
        for d in drafts:
            if d.status != "occurred" or d.time is not None:
                continue
            para_start = self.text.rfind("\n", 0, d.start) + 1
            before = [t for t in self.times if para_start <= t.start and t.end <= d.start and not _DEADLINE.match(t.text)]
            for t in reversed(before):
                r = resolve_time(t, self.published, "past")
                if r.value and r.value <= self.published.isoformat()[: len(r.value)]:
                    d.time = TimeExpr(r.text, r.start, r.end, r.value, r.precision, inherited=True)
                    break

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

    def _own_envoy(self, tok) -> bool:
        words = {t.lower_ for t in tok.subtree}
        return bool(words & {"embajador", "embajadora", "encargado", "encargada", "cónsul", "representante"}) and bool(
            words & {"su", "sus", "nuestro", "nuestra"}
        )

    def _state_of_place(self, m: Span) -> str | None:
        return m.key if m.type == "Country" else m.country

    def _state_of(self, key: str) -> str | None:
        if key.startswith("country/"):
            return key
        for m in self.index.mentions:
            if m.key == key and m.type == "GovernmentBody" and m.country:
                return m.country
        for p in self.positions:
            if p.holder == key and p.of and p.of.startswith("country/"):
                return p.of
        return None

    def _keep(self, d: Draft) -> None:
        d.participants = [p for p in d.participants if p]
        if d.type in ("Sanction", "RelationsDowngrade"):
            # Acts of state: the acting state is listed with the body or official that acts.
            for actor in list(d.actors or d.participants[:1]):
                state = self._state_of(actor)
                if state and state not in d.participants:
                    d.add([state], "actor")
        if not d.participants:
            return
        if d.type in ("Meeting", "PhoneCall", "Negotiation", "Agreement", "AgreementSigning") and len(d.participants) < 2:
            only = d.participants[0]
            if not only.startswith("org/"):
                return  # a meeting of one: we did not find the other side
        self.drafts.append(d)

    # ------------------------------------------------------------ finish

    def _finish(self) -> list[Event]:
        merged: list[Draft] = []
        for d in sorted(self.drafts, key=lambda d: d.start):
            twin = next((m for m in merged if _same_event(m, d)), None)
            if twin:
                for p in d.participants:
                    twin.add([p], "actor" if p in d.actors else "counterpart" if p in d.counterparts else "participant")
                twin.location = twin.location or d.location
                twin.destination = twin.destination or d.destination
                if twin.time is None or (twin.time.inherited and d.time is not None and not d.time.inherited):
                    twin.time = d.time  # words of its own beat a date inherited from a neighbour
                continue
            merged.append(d)
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


def _without_relatives(tok) -> list:
    """The tokens of a phrase, leaving out its relative clauses ("un grupo que se reunirá")."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("acl", "acl:relcl"))
    return out


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


_STATE_NOUNS = re.compile(r"\b(?:países|gobiernos|estados|naciones|partes)\b")
_PERSON_NOUNS = re.compile(r"\b(?:ministr[oa]s|cancilleres|mandatarios|president[ea]s|jefes|jefas|autoridades|funcionarios)\b")
_DEADLINE = re.compile(r"(?:antes\s+de|hasta)\b", re.I)


def _plural_title(surface: str, ts) -> bool:
    """'los presidentes de Brasil y Argentina' stands for the states it names, not for one."""
    word = surface.split()[0].lower()
    return word.endswith("s") and ts.base is not None and word != ts.base.title.split()[0]


def _inherit_dates(drafts: list[Draft]) -> None:
    """An event reported with no date of its own, among events that have one, happened on
    the date of the last dated event before it ("Durante la reunión de trabajo, ..." after
    "recibió este jueves"); a planned event only from a plan in its own sentence."""
    last: dict[str, tuple[TimeExpr, int]] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        if d.time and d.time.value:
            last[d.status] = (d.time, d.sentence)
            continue
        prev = last.get(d.status)
        if prev is None or d.time is not None:
            continue
        time, sentence = prev
        # A plan inherits only within its sentence ("viajará el jueves a X, donde se reunirá...").
        if d.status == "planned" and sentence != d.sentence:
            continue
        d.time = TimeExpr(text=time.text, start=time.start, end=time.end, value=time.value,
                          precision=time.precision, inherited=True)


def _lemma(tok) -> str:
    """The verb's lemma without the clitic the model appends ('reunirse' -> 'reunir él')."""
    lemma = tok.lemma_.lower()
    parts = lemma.split()
    return parts[0] if parts else lemma


def _same_event(a: Draft, b: Draft) -> bool:
    """Two drafts are one event when type, status and place agree and one's participants
    contain the other's (dates, when both are known, must agree too)."""
    if a.type != b.type or a.status != b.status:
        return False
    if a.destination and b.destination and a.destination != b.destination:
        return False
    if a.location and b.location and a.location != b.location:
        return False
    if a.time and b.time and a.time.value and b.time.value and a.time.value != b.time.value:
        return False
    pa, pb = set(a.participants), set(b.participants)
    if a.sentence == b.sentence and (pa & pb):
        return True
    if (a.headline or b.headline) and (pa & pb):
        return True  # a headline restates the story's main event
    if a.type == "Visit":
        return pa == pb and a.destination == b.destination
    return pa == pb or (abs(a.sentence - b.sentence) <= 1 and (pa <= pb or pb <= pa))


def extract_events(doc, index, titles, times, positions, published) -> list[Event]:
    return EventExtractor(doc, index, titles, times, positions, published).run()
