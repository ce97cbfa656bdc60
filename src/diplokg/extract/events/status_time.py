"""Status and time stage: whether an event occurred or is planned, and when.

Future and conditional verbs, planning verbs ("acordaron reunirse"), "para" clauses and
words like "próxima" make an event planned, and so does a date after publication. The date
is the time expression governed by the event's own clause, resolved in the event's tense;
an event with no date of its own takes the last date before it in its paragraph, or that of
the last dated event. This stage reads tense and time expressions, not who takes part.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ...model import TimeExpr, iso_at
from ..doc_text import token_starts
from ..timex import resolve as resolve_time
from .draft import Draft
from .lexicon import NOUNS, PLANNED_ADJ, PLANNING, _lemma

FORESEEING = frozenset({"prever", "planear", "programar", "proyectar"})  # "está previsto que se reúnan"
_DEADLINE = re.compile(r"(?:antes\s+de|hasta)\b", re.I)


class StatusTimeStage:
    """Status and date of a draft (a mixin of EventExtractor: it reads the extractor's doc,
    text, times and published date)."""

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
        # "estaba previsto que mantuviera un encuentro": the frame says it is a plan
        if any(_lemma(a) in FORESEEING or a.lower_ in PLANNED_ADJ for a in list(verb.ancestors)[:3]
               if verb.dep_ in ("ccomp", "csubj", "xcomp")):
            planned = True
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
        if d.time and d.time.value and self.published and d.status == "occurred" and d.time.value > self._published_iso()[: len(d.time.value)]:
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
            ancestor = None
            for ancestor in verb.ancestors:
                governed = [t for t in in_sentence if self._governed_by(t, (ancestor,))]
                if governed:
                    break
            if not governed:
                return None
            # the words date the clause this one hangs from: resolve them in that clause's
            # tense ("llegó el martes ..., durante la cual se reunirá": this Tuesday;
            # "una reunión realizada el viernes": the last Friday)
            best = min(governed, key=lambda t: abs(t.start - trigger.idx))
            return self._resolve(best, _tense_of(ancestor))
        cands = governed
        anchor = trigger.idx
        best = min(cands, key=lambda t: abs(t.start - anchor))
        tense = "future" if d.status == "planned" else "past"
        return self._resolve(best, tense)

    def _resolve(self, time: TimeExpr, tense: str | None) -> TimeExpr:
        return resolve_time(time, self.published, tense, self.published_precision)

    def _published_iso(self) -> str:
        return iso_at(self.published, self.published_precision)

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
                r = self._resolve(t, "past")
                if r.value and r.value <= self._published_iso()[: len(r.value)]:
                    d.time = TimeExpr(r.text, r.start, r.end, r.value, r.precision, inherited=True)
                    break


def _tense_of(verb) -> str | None:
    """"past" for a past or perfect verb or a participle, "future" for a future or
    conditional one, else None (the present: the week of publication decides)."""
    tense, mood, form = verb.morph.get("Tense"), verb.morph.get("Mood"), verb.morph.get("VerbForm")
    aux = [c for c in verb.children if c.dep_ in ("aux", "aux:pass")]
    if "Fut" in tense or "Cnd" in mood or any("Fut" in a.morph.get("Tense") or "Cnd" in a.morph.get("Mood") for a in aux):
        return "future"
    if "Past" in tense or form == ["Part"] or any("Past" in a.morph.get("Tense") or _lemma(a) == "haber" for a in aux):
        return "past"
    return None


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
