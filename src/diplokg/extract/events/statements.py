"""Statements: an actor's public words whose content is itself news.

A statement verb of statements.json ("afirmó que ...", "instó a ...", "agradeció ...",
"expresó su apoyo") with an agent for its speaker opens a Statement draft: the speaker
is the actor, the addressee of a call or a thanks ("instó al gobierno X") the counterpart.
A statement is not the news when:

- it is no act of its own: an infinitive or gerund that is a purpose or a mere mention
  ("para expresarle su solidaridad"), a passive or adjectival participle, a sourcing
  clause ("según afirmó X", "como señaló X"), a subject that names no agent ("la nota
  agrega", "los funcionarios indicaron");
- (verbs that report) what is said is another event the extractor keeps ("dijo que se
  reunió con Y", "«Y aceptó la invitación», afirmó X") or a comment on one ("la reunión fue
  productiva, dijo X": a definite event noun is the subject of what is said).

The trigger stage hands statement verbs here (`_statement_event`); identity calls
`_settle_statements` before merging, which drops the statements that carry other events
and makes one Statement per speaker (several sentences of one speaker are one statement).
"""

from __future__ import annotations

import re
import unicodedata

from ...lang import load_json
from .draft import Draft
from .draft_lookup import DraftBag, OtherEvents
from .lexicon import (AGENT_TYPES, DEFINITE, NEGATION, NOUNS, PLURAL_ANAPHORS, SPECULATIVE, SUBJ, VERBS, _lemma,
                      _without_relatives)

_LEX = load_json("statements.json")
STATEMENT_VERBS: dict[str, dict] = _LEX["verbs"]
CARRIERS = set(_LEX["carriers"])
NEGATED_CARRIERS = set(_LEX["negated_carriers"])
COMMENT_NOUNS = set(_LEX["comment_nouns"])
MET_OBJECTS = set(_LEX["met_objects"])
COMPANION = set(_LEX["companion_marks"])
MONTHS = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
          "octubre", "noviembre", "diciembre"}
SOURCING = set(_LEX["sourcing_marks"])
STANCE_CONTENT = set(_LEX["stance_content"])
ACTS = set(_LEX["acts_that_carry_words"])
STATE_ACTS = set(_LEX["state_acts_that_carry_words"])
OWN_CHANNEL = set(_LEX["own_channel_words"])
ANAPHORIC_SPEAKERS = set(_LEX["anaphoric_speakers"])
FEMININE_TITLES: dict[str, str] = _LEX["feminine_titles"]
QUOTES = {'"', "“", "”", "«", "»", "'", "‘", "’"}
CLAUSAL = ("acl", "acl:relcl", "ccomp", "xcomp", "advcl", "parataxis", "conj")


class StatementStage:
    """Statement verbs and their settling (a mixin of EventExtractor: it reads the
    extractor's doc, drafts and the other stages' helpers through self)."""

    # ------------------------------------------------------------ triggers

    def _statement_event(self, tok, spec: dict, sent_no: int) -> None:
        if not self._statement_act(tok, spec):
            return
        if self._blocked(tok, tok):
            return
        speaker = self._speaker(tok)
        if not speaker:
            return
        d = self._draft("Statement", tok, tok, sent_no)
        d.add(speaker, "actor")
        for c in self._addressees(tok, spec):
            d.add([a for a in self._phrase_agents(c) if a not in speaker], "counterpart")
        self._status(d, tok, tok)
        self.__dict__.setdefault("_statement_scopes", {})[tok.i] = (spec, self._said(tok), self._quote_only(tok), d)
        self._keep(d)

    def _addressees(self, tok, spec: dict) -> list:
        """'instó al gobierno X a ...', 'reafirmaron en persona al presidente X': the phrases
        'a X' the statement is addressed to. Verbs of calling take any agent phrase; the
        others only a phrase whose head is a person's name or title ('al proceso democrático
        de X' is what is supported, not whom; 'el ingreso de X al Consejo' where)."""
        out = []
        for c in tok.children:
            cands = [c]
            if c.dep_ in ("obl", "obl:arg"):
                cands += [g for g in c.children if g.dep_ == "nmod" and _case(g) & {"a", "al"}]
            for x in cands:
                if not (x.dep_ == "iobj" or x.dep_ in ("obj", "obl", "obl:arg", "nmod") and _case(x) & {"a", "al"}):
                    continue
                if x.lower_ in ("quien", "quienes") or self._person_head(x) or spec.get("addressee") and self._names_agent(x):
                    out.append(x)
        return out

    def _names_agent(self, tok) -> bool:
        """The phrase names its agent itself ('al gobierno nicaragüense'), not by anaphora ('a ambos países')."""
        left, right = self._span_of(tok)
        return any(m.type in AGENT_TYPES for m in self.index.where.inside(left, right)) \
            and not any(self.text[left:right].lower().startswith(a) for a in PLURAL_ANAPHORS)

    def _statement_act(self, tok, spec: dict) -> bool:
        """Is the verb a statement act at all (form, voice, sourcing, object, reflexive)?"""
        form = tok.morph.get("VerbForm")
        if form in (["Inf"], ["Ger"]):
            head = tok.head
            negated = any(c.lower_ in NEGATION for c in head.children if c.dep_ in ("advmod", "neg"))
            carried = tok.dep_ in ("xcomp", "advcl", "ccomp", "obl") and head is not tok and (
                (_lemma(head) in CARRIERS and not negated) or (_lemma(head) in NEGATED_CARRIERS and negated)
            )
            if not carried:
                return False  # "para expresarle su solidaridad": what a call was for
        if form == ["Part"] and not any(c.dep_ == "aux" and _lemma(c) == "haber" for c in tok.children):
            return False  # "la iniciativa apoyada por X": adjectival or passive
        if self._passive(tok):
            return False
        if not spec.get("reflexive_with") and any(c.lower_ == "se" and c.dep_ in ("expl:pass", "expl:impers", "expl", "obj", "iobj") for c in tok.children):
            return False  # "se destaca ...": impersonal, nobody speaks
        if any(c.lower_ in SOURCING and c.dep_ in ("mark", "advmod", "case", "fixed") for c in tok.children):
            return False  # "según afirmó X": the outlet's source
        if tok.i > 0 and self.doc[tok.i - 1].lower_ in SOURCING:
            return False
        objects = [c for c in tok.children if c.dep_ in ("obj", "nsubj:pass")]
        if tok.dep_ in ("acl", "acl:relcl"):
            objects.append(tok.head)  # "el encuentro que ambos sostuvieron"
        heads = {_lemma(c) for c in objects} | {c.lower_ for c in objects}
        if heads & set(spec.get("not_objects", [])):
            return False  # "sostuvo una reunión", "declaró persona non grata"
        if spec.get("needs_content") and not (any(c.dep_ == "ccomp" for c in tok.children) or self._quote_opening(tok) is not None):
            return False  # "sostuvo una reunión" / "el encuentro que sostuvieron": a support verb
        if spec.get("objects"):
            near = {t.lower_ for t in self.doc[tok.i + 1 : min(tok.sent.end, tok.i + 6)]}
            near |= {_lemma(t) for t in self.doc[tok.i + 1 : min(tok.sent.end, tok.i + 6)]}
            if not near & set(spec["objects"]):
                return False
        if spec.get("reflexive_with"):
            if not self._reflexive(tok):
                return False
            if not any(_case(c) & set(spec["reflexive_with"]) for c in tok.children):
                return False
        return True

    def _speaker(self, verb) -> list[str]:
        """Who speaks: the explicit subject (which must name an agent; the mention its head
        word belongs to wins over names inside it: 'el gobierno español de X'), the name
        right after the verb ('..., afirmó De Zela'), else the subject the clause shares or
        Spanish dropped (never one inside a quote)."""
        subjects = [c for c in verb.children if c.dep_ in SUBJ and not c.is_punct and c.pos_ not in ("PUNCT", "SCONJ")]
        if subjects and all(_lemma(c) in ANAPHORIC_SPEAKERS and not self.token_agents(c) and not self._feminine_title(c)
                            for c in subjects):
            subjects = []  # "el ministerio anunció": the body named before
        if subjects:
            found: list[str] = []
            for c in subjects:
                if c.lower_ == "que" and not self._agent_head(c.head.head if c.head.dep_ in ("acl", "acl:relcl") else c):
                    continue  # "las relaciones ..., que aseguraba": not a speaker
                own = self._heads_mentions(c) or self._feminine_title(c)
                for a in (own or self.token_agents(c)) + self._companions(c):
                    if a not in found:
                        found.append(a)
            return [a for a in found if self._is_agent(a)]
        after = self._name_after(verb)
        if after:
            return after
        for c in verb.children:
            if c.dep_ in ("obl", "obl:agent") and c.i > verb.i and _case(c) & {"de"} and self._agent_head(c):
                return [a for a in self.token_agents(c) if self._is_agent(a)]
        shared = self._shared_subject(verb)
        if shared is not None:
            return shared
        # pro-drop: the last subject before the verb (and before the quote it closes)
        opening = self._quote_opening(verb)
        until = opening if opening is not None else verb.i
        lo = self._prev_sentence_start(self.doc[until].sent.start if until < len(self.doc) else verb.sent.start)
        quoted = self._quoted(lo, until)
        for tok in reversed([t for t in self.subjects if lo <= t.i < until and t.i not in quoted]):
            agents = [a for a in (self._head_mention(tok) or self.token_agents(tok)) if self._is_agent(a)]
            if agents:
                return agents
        return []

    def _quote_opening(self, verb):
        """'«...», señaló': the index of the quote's opening mark, which may lie sentences back."""
        j = verb.i - 1
        if j >= 0 and self.doc[j].text == ",":
            j -= 1
        if j < 0 or self.doc[j].text not in ("”", "»", '"', "’"):
            return None
        close = self.doc[j].text
        opener = {"”": ("“",), "»": ("«",), '"': ('"',), "’": ("‘",)}[close]
        for k in range(j - 1, max(-1, j - 400), -1):
            if self.doc[k].text in opener:
                return k
        return None

    def _shared_subject(self, verb):
        """Conjoined verbs, infinitives and gerunds share the subject of their head."""
        cur = verb
        for _ in range(4):
            if cur.dep_ in ("acl", "acl:relcl") and cur.head.pos_ == "NOUN" and cur.head.head is not cur.head:
                cur = cur.head.head  # "firmaron una carta donde reclaman ...": the signers ask
            elif cur.dep_ not in ("conj", "xcomp", "advcl", "ccomp") or cur.head is cur:
                return None
            else:
                cur = cur.head
            for c in cur.children:
                if c.dep_ in SUBJ and not c.is_punct:
                    own = self._heads_mentions(c)
                    agents = [a for a in (own or self.token_agents(c)) + self._companions(c) if self._is_agent(a)]
                    if agents:
                        return agents
        return None

    def _head_mention(self, tok) -> list[str]:
        """The agent mention (or resolved title) that holds the phrase's head word."""
        for m in self.named.covering(tok.idx):
            if m.type in AGENT_TYPES:
                return [m.key]
        return []

    def _feminine_title(self, tok) -> list[str]:
        """'la Presidenta' where the story has a president and a presidenta: the one whose
        post the text gives in the feminine."""
        base = FEMININE_TITLES.get(tok.lower_)
        if not base or self.token_agents(tok):
            return []
        holders = {p.holder for p in self.positions if p.title.split()[0] == base and p.evidence is not None
                   and tok.lower_ in p.evidence.text.lower().split()}
        return list(holders) if len(holders) == 1 else []

    def _companions(self, tok) -> list[str]:
        """'X e Y, junto con los mandatarios de A y B, pidieron ...': the companions speak too."""
        out: list[str] = []
        for c in tok.children:
            if c.dep_ in ("nmod", "obl", "appos") and _case(c) & COMPANION:
                left, right = self._span_of(c)
                out += [a for a in self.agents_in(left, right) if a not in out]
        return out

    def _heads_mentions(self, tok) -> list[str]:
        """The head mentions of a subject and of its conjuncts ('la canciller de X, A, y el
        canciller de Y, B'); none unless every conjunct has one."""
        out: list[str] = []
        for head in (tok, *tok.conjuncts):
            own = self._head_mention(head)
            if not own:
                return []
            out += [a for a in own if a not in out]
        return out

    def _person_head(self, tok) -> bool:
        return any(m.type == "Person" for m in self.named.covering(tok.idx))

    def _agent_head(self, tok) -> bool:
        return tok.pos_ == "PROPN" or bool(self._head_mention(tok))

    def _name_after(self, verb) -> list[str]:
        """'..., dijo el canciller X' / 'afirmó De Zela': an agent that starts right after the verb."""
        j = verb.i + 1
        while j < verb.sent.end and self.doc[j].pos_ in ("DET", "ADP") and j - verb.i <= 2:
            j += 1
        if j >= verb.sent.end:
            return []
        tok = self.doc[j]
        return [a for a in self._head_mention(tok) if self._is_agent(a)]

    def _quoted(self, lo: int, hi: int) -> set[int]:
        """Token indices inside quotation marks in [lo, hi)."""
        inside, out, straight = False, set(), False
        for t in self.doc[lo:hi]:
            if t.text in ("“", "«", "‘"):
                inside = True
            elif t.text in ("”", "»", "’"):
                inside = False
            elif t.text == '"':
                straight = not straight
                inside = straight
            elif inside:
                out.add(t.i)
        return out

    def _is_agent(self, key: str) -> bool:
        first_type = self._memo("first_type", lambda: _first_types(self.index.mentions + self.title_refs))
        return first_type[key] in AGENT_TYPES if key in first_type else True

    def _phrase_agents(self, tok) -> list[str]:
        """The agents a noun phrase names, leaving out its clauses ("a resolver ... de la CIDH")."""
        keep, stack = [], [tok]
        while stack:
            t = stack.pop()
            keep.append(t)
            stack.extend(c for c in t.children if c.dep_ not in CLAUSAL)
        if tok.lower_ in ("quien", "quienes"):
            return self.token_agents(tok)
        keep.sort(key=lambda t: t.i)
        # the contiguous run around the head
        run = [t for t in keep if t.i >= tok.i]
        left = [t for t in keep if t.i < tok.i]
        span = left + run
        lo, hi = span[0], span[-1]
        return self.agents_in(lo.idx, hi.idx + len(hi.text))

    def _quote_only(self, verb) -> bool:
        """'«...», afirmó X': the words are a quote and nothing else."""
        if self._quote_opening(verb) is None:
            return False
        return not any(c.dep_ in ("ccomp", "obj", "xcomp") and c.i > verb.i for c in verb.children)

    def _said(self, verb) -> set[int]:
        """Token indices of what the speaker says: the complement clause or object, and in
        the inverted order ('«...», dijo X') the quote before the verb."""
        said: set[int] = set()
        for c in verb.children:
            if c.dep_ in ("ccomp", "obj", "xcomp", "parataxis", "csubj"):
                said |= {t.i for t in _without_relatives(c)}
        sent = verb.sent
        before = self.doc[sent.start : verb.i]
        if len(before) and before[-1].text in {",", *QUOTES} and any(t.text in QUOTES for t in before):
            said |= {t.i for t in before}
        opening = self._quote_opening(verb)
        if opening is not None:
            said |= set(range(opening, verb.i))
        if verb.dep_ in ("parataxis", "ccomp") and verb.head.i < verb.i:
            said |= {t.i for t in verb.head.subtree if t.i < verb.i}
        said.discard(verb.i)
        return said

    # ------------------------------------------------------------ settling

    def _settle_statements(self) -> None:
        scopes = self.__dict__.get("_statement_scopes", {})
        # a statement verb of statements.json read by the general verb stage too: ours wins
        ours = {id(scope[3]) for scope in scopes.values()}
        self.drafts = [d for d in self.drafts if d.type != "Statement" or id(d) in ours
                       or _lemma(self.doc[d.trigger]) not in STATEMENT_VERBS]
        statements = [d for d in self.drafts if id(d) in ours]
        if not statements:
            return
        others = OtherEvents([d for d in self.drafts if d.type != "Statement"], STATE_ACTS)
        dropped = [d for d in statements if self._carries_other_event(d, scopes[d.trigger], others)]
        drafts = DraftBag(self.drafts)
        for d in dropped:
            drafts.remove(d)
        # one Statement per speaker: the first statement that shares a voice with it
        gone = DraftBag(dropped)
        kept = [d for d in statements if not gone.holds(d)]
        first: list[Draft] = []
        voices: list[set[str]] = []  # of each statement in `first`, kept up to date
        having: dict[str, set[int]] = {}  # a voice -> the places in `first` of the statements with it
        for d in sorted(kept, key=lambda d: d.start):
            speaker = self._voice(d)
            at = min((n for v in speaker for n in having.get(v, ())), default=None)
            if at is None:
                first.append(d)
                voices.append(speaker)
                for v in speaker:
                    having.setdefault(v, set()).add(len(first) - 1)
                continue
            twin = first[at]
            for p in d.participants:
                twin.add([p], "actor" if p in d.actors else "counterpart" if p in d.counterparts else "participant")
            twin.time = twin.time or d.time
            for v in voices[at]:
                having[v].discard(at)
            voices[at] = self._voice(twin)
            for v in voices[at]:
                having.setdefault(v, set()).add(at)
            drafts.remove(d)
        self.drafts = drafts.rest()
        for d in first:
            persons = [a for a in d.actors if a.startswith("person/")]
            if len(persons) >= 2:
                # a joint statement of two officials ("los cancilleres manifestaron"): their states speak
                d.add([st for st in (self._state_of(p) for p in persons) if st], "actor")

    def _carries_other_event(self, d: Draft, scope, others: OtherEvents) -> bool:
        """Is the statement the words of another event rather than news of its own?"""
        spec, said, quote_only, _ = scope
        speaker = self._voice(d)
        if any(o.trigger != d.trigger for o in others.by_head.get(d.trigger, ())):
            return True  # "reiteró su rechazo", "agradeció la invitación": the verb carries another event's noun
        report = spec.get("class", "report") == "report"
        if (report or spec.get("demand")) and any(
                o.type in ACTS and speaker & self._voice_of(o.actors or o.participants[:1])
                for o in others.in_sentence.get(d.sentence, ())):
            return True  # "exigió ... y criticó ...": the act of protest is the news
        if not report:
            # "valoró el encuentro", "agradeció la visita": praise of another event is its colour
            return any(_lemma(t) in MET_OBJECTS and (any(g.lower_ in DEFINITE for g in t.children if g.dep_ == "det")
                                                    or self.doc[t.i - 1].lower_ in ("del", "al"))
                       for c in self.doc[d.trigger].children if c.dep_ == "obj" for t in _without_relatives(c))
        if not others.triggers.isdisjoint(said) or any(o.head in said for o in others.in_sentence.get(d.sentence, ())):
            return True  # what is said is another event: its evidence, not a statement
        if self._names_event(said) or self._comments_on_event(said):
            return True
        if any(_speculative(self.doc[i]) for i in said):
            return True  # "dijo que el país evalúa ...": a hypothesis
        if not spec.get("announces") and any(self._figure(self.doc[i]) for i in said):
            return True  # "destacó que el intercambio superó los 4.000 millones": background figures
        affiliated = set().union(*(self._affiliation(k) for k in (d.actors or d.participants[:1])))
        if not affiliated.isdisjoint(others.state_act_actors):
            return True  # words that go with the speaker's state's own sanction or expulsion
        if quote_only and not self._own_channel(d) and not affiliated.isdisjoint(others.participants):
            return True  # '«...», afirmó X' beside X's meeting or visit: its colour
        return False

    def _figure(self, tok) -> bool:
        """A figure the speaker gives ('4.000 millones', '35 %'), not a year or a day of a month."""
        if tok.pos_ != "NUM" or not any(ch.isdigit() for ch in tok.text):
            return False
        if re.fullmatch(r"(?:19|20)\d\d", tok.text):
            return False
        near = {t.lower_ for t in self.doc[max(0, tok.i - 2) : tok.i + 3]}
        return not near & MONTHS

    def _affiliation(self, key: str) -> set[str]:
        """A speaker and what they speak for: their post's state or organization."""
        out = {key}
        out |= self._memo("posts_of", self._posts_of).get(key, set())
        state = self._state_of(key)
        if state:
            out.add(state)
        return out

    def _posts_of(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for p in self.positions:
            if p.of:
                out.setdefault(p.holder, set()).add(p.of)
        return out

    def _own_channel(self, d: Draft) -> bool:
        """'..., escribió X en su cuenta', 'en un mensaje en redes sociales': words given on a
        channel of their own, not at the event."""
        verb = self.doc[d.trigger]
        tail = self.doc[verb.i : min(verb.sent.end, verb.i + 12)]
        return any(t.lower_ in OWN_CHANNEL or _lemma(t) in OWN_CHANNEL for t in tail)

    def _voice(self, d: Draft) -> set[str]:
        """Who speaks in a statement; the bodies of one state (its government, its foreign
        ministry) speak with one voice."""
        return self._voice_of(d.actors or d.participants[:1])

    def _voice_of(self, keys) -> set[str]:
        voice = set(keys)
        bodies = self._memo("body_keys", lambda: {m.key for m in self.index.mentions if m.type == "GovernmentBody"})
        for key in list(voice):
            if key in bodies:
                state = self._state_of(key)
                if state:
                    voice.add("voice-of/" + state)
        return voice

    def _names_event(self, said: set[int]) -> bool:
        """What is said holds a word of another event ('que se reunirá', 'la invitación'),
        unless what is said is a stance on it ('dijo que apoyará las negociaciones',
        'lamenta la suspensión')."""
        if any(_lemma(self.doc[i]) in STANCE_CONTENT or self.doc[i].lower_ in STANCE_CONTENT
               for i in said if self.doc[i].head.i not in said or self.doc[i].dep_ == "ROOT"):
            return False
        for i in sorted(said):
            t = self.doc[i]
            lemma = _lemma(t)
            if t.pos_ in ("VERB",) and lemma in VERBS and VERBS[lemma]["type"] != "Statement" and lemma not in STATEMENT_VERBS:
                return True
            if t.pos_ in ("NOUN", "PROPN") and (NOUNS.get(t.lower_) or NOUNS.get(lemma)) not in (None, "Statement") \
                    and self._noun_ok(t):
                return True
        return False

    def _comments_on_event(self, said: set[int]) -> bool:
        """'la reunión fue productiva', 'esta medida responde a ...': a definite event noun
        is the subject of what is said."""
        for i in said:
            t = self.doc[i]
            if t.dep_ not in SUBJ or _lemma(t) not in COMMENT_NOUNS and t.lower_ not in COMMENT_NOUNS:
                continue
            if any(c.lower_ in DEFINITE for c in t.children if c.dep_ == "det"):
                return True
        return False


def _first_types(mentions) -> dict:
    """The type of the first mention of each key."""
    out: dict = {}
    for m in mentions:
        out.setdefault(m.key, m.type)
    return out


def _speculative(tok) -> bool:
    """A verb of weighing ('evalúa', 'estudian'); the small model leaves some forms unlemmatised."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if _lemma(tok) in SPECULATIVE:
        return True
    form = _plain(tok.lower_)
    return any(form.startswith(_plain(v)[:-2]) for v in SPECULATIVE)


def _plain(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _case(tok) -> set[str]:
    return {g.lower_ for g in tok.children if g.dep_ in ("case", "mark", "fixed")}
