"""Participants stage: who takes part in an event, and where it happens.

A trigger's participants come from the dependency parse: the clause's subject (or, when
Spanish drops it, the last subject before it), its objects and its "con" / "contra"
complements. Relative pronouns, plural anaphors ("ambos", "los cancilleres") and bare
titles ("el canciller chileno") are resolved to whom they stand for, officials to their
states, the invitee of an accepted invitation to the visitor; an invitation's proposed trip
gets its place and date. Locations come from "en X", destinations from "a X". Who and where
are one question, apart from whether the words report an event at all (triggers) and when
(status_time).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..doc_text import token_starts
from ..entities import Span
from ..spanindex import SpanIndex
from ..positions import post_class
from .draft import Draft
from .lexicon import ACCEPT, AGENT_TYPES, PLACE_TYPES, PLURAL_ANAPHORS, SUBJ, _lemma

_STATE_NOUNS = re.compile(r"\b(?:países|gobiernos|estados|naciones|partes)\b")
_PERSON_NOUNS = re.compile(r"\b(?:ministr[oa]s|cancilleres|mandatarios|president[ea]s|jefes|jefas|autoridades|funcionarios|líderes|diplomáticos)\b")


class ParticipantStage:
    """Agents, states and places (a mixin of EventExtractor: it reads the extractor's doc,
    text, index, titles, title_refs, positions, subjects and drafts)."""

    # ------------------------------------------------------------ agents

    @property
    def named(self) -> SpanIndex:
        """The mentions and the resolved titles (`index.mentions + title_refs`, in that
        order) by where they are: the stages ask "who is named here" for every token."""
        found = self.__dict__.get("_named")
        if found is None:
            found = self.__dict__["_named"] = SpanIndex(self.index.mentions + self.title_refs)
        return found

    def _memo(self, name: str, build):
        """A value computed once per document from what does not change (mentions, positions)."""
        slot = "memo:" + name
        if slot not in self.__dict__:
            self.__dict__[slot] = build()
        return self.__dict__[slot]

    def _title_refs(self) -> list[Span]:
        """Titles with no name beside them, resolved to the person holding that post."""
        refs = []
        # the positions of each post class and of each first word of a title, in order
        by_class: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        for i, p in enumerate(self.positions):
            by_class.setdefault(post_class(p.title), []).append(i)
            by_word.setdefault(p.title.split()[0], []).append(i)
        for ts in self.titles:
            if ts.holder:
                # the title stands for its holder even where the parse cut the name off
                # ("conversó con su homóloga peruana, Elena Soto": 'Elena' hangs elsewhere)
                refs.append(Span(ts.start, ts.end, "Person", self.text[ts.start : ts.end], "title-ref", ts.holder))
                continue
            cls = post_class(ts.title)
            cands = [self.positions[i] for i in sorted({*by_class.get(cls, ()), *by_word.get(ts.title.split()[0], ())})]
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
        mentions = [m for m in self.named.inside(start, end) if m.type in AGENT_TYPES]
        maximal = [m for m in mentions if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in mentions)]
        outside = [m for m in maximal if not self._in_brackets(m.start, start)]
        if outside:
            maximal = outside  # "los países de Mercosur (A, B y C)": the brackets only detail
        persons = [m.key for m in maximal if m.type == "Person"]
        if persons:
            return list(dict.fromkeys(persons))
        agents = [m.key for m in maximal]
        if not agents:
            span = self.text[start:end].lower()
            if re.search(r"\b(autoridades|gobierno|gobiernos|país|régimen|ejecutivo)\b", span):
                agents = [m.key for m in self.index.demonyms_where.inside(start, end)]
        return list(dict.fromkeys(agents))

    def token_agents(self, tok) -> list[str]:
        """Agents a token stands for: its subtree, a relative pronoun's antecedent, or a plural anaphor."""
        if tok.lower_ in ("quien", "quienes", "que", "cual", "cuales") and tok.head.dep_ == "acl" or tok.lower_ in ("quien", "quienes") :
            ante = self._antecedent(tok)
            if ante is not None:
                return self.token_agents(ante)
        left, right = self._span_of(tok)
        agents = self.agents_in(left, right)
        case = [c for c in tok.children if c.dep_ == "case" and c.i < tok.i]
        if case:  # "entre ambos ministros": the anaphor starts after the preposition
            left = case[-1].idx + len(case[-1].text)
        phrase = self.text[left:right].lower().strip()
        bare = re.sub(r"[^\w ]+", "", phrase).strip()
        if not agents or bare in PLURAL_ANAPHORS:
            # "ambos", "los cancilleres": the pair named before; "los ministros de la UE" names its own
            for anaphor in PLURAL_ANAPHORS:
                if phrase.startswith(anaphor) and _PERSON_NOUNS.search(phrase):
                    leaders = self._leaders_of_states_in(tok.sent)
                    if leaders:
                        return leaders  # "entre Washington y Pekín ... una reunión entre los líderes"
                if phrase.startswith(anaphor):
                    found = self._plural_antecedent(tok.idx, persons_only=bool(_PERSON_NOUNS.search(phrase)),
                                                    states_only=bool(_STATE_NOUNS.search(phrase)))
                    if found:
                        return found
        return agents

    def _in_brackets(self, pos: int, since: int) -> bool:
        """Whether `pos` lies inside a parenthesis opened after `since`."""
        opened = self.text.rfind("(", since, pos)
        return opened >= 0 and self.text.find(")", opened, pos) < 0

    def _leaders_of_states_in(self, sent) -> list[str]:
        """The officials of the states a sentence names, one each, when it names two or more:
        "los líderes" there are theirs, not those of the event told before."""
        states = list(dict.fromkeys(m.key for m in self.index.where.starting(sent.start_char, sent.end_char - 1)
                                    if m.type == "Country"))
        holders = [next((p.holder for p in self.positions if p.of == state), None) for state in states]
        return [h for h in holders if h] if len(states) >= 2 and all(holders) else []

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
        # "X, quien ...": the nearest person before (the last in the list of mentions)
        ends, latest = self._memo("person_ends", self._person_ends)
        k = bisect_right(ends, tok.idx)
        if k:
            last = latest[k - 1]
            i = bisect_left(token_starts(self.doc), last.start)
            if i < len(self.doc):
                return self.doc[i]
        return None

    def _person_ends(self) -> tuple[list[int], list[Span]]:
        """The ends of the person mentions in ascending order and, for each, the mention that
        comes last in the list among those that end there or before."""
        persons = sorted(((m.end, i, m) for i, m in enumerate(self.index.mentions) if m.type == "Person"),
                         key=lambda x: x[0])
        ends, latest, best = [], [], None
        for end, i, m in persons:
            if best is None or i > best[0]:
                best = (i, m)
            ends.append(end)
            latest.append(best[1])
        return ends, latest

    def _plural_antecedent(self, pos: int, persons_only: bool = False, states_only: bool = False) -> list[str]:
        """'ambos', 'los cancilleres': the persons of the last event, else the last two persons named."""
        for d in reversed(self.drafts):
            if d.start < pos:
                persons = [k for k in d.participants if k.startswith("person/")]
                if len(persons) >= 2:
                    return (states_only and self._with_their_states(persons)) or persons
                if not persons_only and not persons and len(d.participants) >= 2:
                    return list(d.participants)  # "ambos equipos" after "Perú y la India concluyeron..."
        seen: list[str] = []
        by_start = self._memo("by_start_desc", lambda: sorted(self.index.mentions + self.title_refs, key=lambda m: -m.start))
        negated = self._memo("neg_starts", lambda: [-m.start for m in by_start])
        for m in by_start[bisect_left(negated, -pos):]:  # a name that starts after `pos` ends after it
            if m.type == "Person" and m.end <= pos and m.key not in seen:
                seen.append(m.key)
            if len(seen) == 2:
                pair = list(reversed(seen))
                return (states_only and self._with_their_states(pair)) or pair
        return []

    def _with_their_states(self, persons: list[str]) -> list[str]:
        """'ambos gobiernos firmaron' after two officials: their states act, and the officials
        for them (the guide lists both; either alone reaches half). Empty unless the officials
        are of two states or more."""
        state_of = {p: self._state_of(p) for p in persons}
        states = list(dict.fromkeys(s for s in state_of.values() if s))
        return states + [p for p in persons if state_of[p] in states] if len(states) >= 2 else []

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
        # ("El 21 de febrero, al margen de X, el ministro de Y, Z, se reunió": back over the
        # apposition's commas, nearest first, while the phrase cut off is no more than a name)
        sent = verb.sent
        head_text = self.text[sent.start_char : verb.idx]
        cut = len(head_text)
        for _ in range(3):
            if cut < 0:
                break
            cut = head_text.rfind(",", 0, cut)  # -1: from the sentence's start ("En su viaje a X Fulano se reunió")
            start = sent.start_char + cut + 1
            if any(t.pos_ in ("VERB", "AUX") and start <= t.idx for t in self.doc[sent.start : verb.i]):
                break  # another clause's verb lies between: its names are not this verb's subject
            agents = self.agents_in(start, verb.idx)
            if agents:
                return agents
        # pro-drop: the last explicit subject before the verb (same or previous sentence)
        lo = self._prev_sentence_start(verb.sent.start)
        at = self._memo("subject_at", lambda: [t.i for t in self.subjects])
        for tok in reversed(self.subjects[bisect_left(at, lo) : bisect_left(at, verb.i)]):
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

    # ------------------------------------------------------------ invitations: visit, visitor, inviter

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

    # ------------------------------------------------------------ states

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
        return self._memo("states_of", self._states_of).get(key)

    def _states_of(self) -> dict[str, str]:
        """Each body's state (its first mention that gives one), else each holder's first post of a state."""
        bodies: dict[str, str] = {}
        for m in self.index.mentions:
            if m.type == "GovernmentBody" and m.country:
                bodies.setdefault(m.key, m.country)
        holders: dict[str, str] = {}
        for p in self.positions:
            if p.of and p.of.startswith("country/"):
                holders.setdefault(p.holder, p.of)
        return {**holders, **bodies}

    # ------------------------------------------------------------ places

    def _places_in(self, tok) -> list[str]:
        left, right = self._span_of(tok)
        where = self.index.where
        found = [m for m in where.inside(left, right) if m.type in PLACE_TYPES]
        outer = [m for m in found if not any(o is not m and m.end <= o.end for o in where.starting(left, m.start)
                                             if o.type not in PLACE_TYPES)]
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
                for s in self.index.where.starting(pos, pos + 1):
                    if s.type in PLACE_TYPES:
                        d.destination = s.key
                        break


def _plural_title(surface: str, ts) -> bool:
    """'los presidentes de Brasil y Argentina' stands for the states it names, not for one."""
    word = surface.split()[0].lower()
    return word.endswith("s") and ts.base is not None and word != ts.base.title.split()[0]
