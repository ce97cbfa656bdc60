"""Status and time stage: whether an event occurred or is planned, and when.

Future and conditional verbs, planning verbs ("acordaron reunirse"), "para" clauses and
words like "próxima" make an event planned, and so does a date after publication. The date
is the time expression governed by the event's own clause, resolved in the event's tense
("un día antes", "el mismo día": from the date of the event before it); an event with no
date of its own takes the date said in an earlier sentence of its paragraph, the article's
dateline, or that of the last dated event said before it (from another paragraph, only a date
of the news). This stage reads tense and time expressions, not who takes part.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import takewhile
from datetime import date, timedelta

from ...model import TimeExpr, iso_at
from ..alternation import alternation
from ..doc_text import token_starts
from ..timex import NUMBER_WORDS, is_anaphoric, shift_from
from ..timex import resolve as resolve_time
from ..spanindex import SpanIndex
from .draft import Draft
from .lexicon import NOUNS, PLANNED_ADJ, PLANNING, PURPOSE_REALIZED, _lemma

FORESEEING = frozenset({"prever", "planear", "programar", "proyectar"})  # "está previsto que se reúnan"
_DEADLINE = re.compile(r"(?:antes\s+de|hasta)\b", re.I)
_SEQUENCE = frozenset({"después", "antes"})  # "poco después de que ...", "dos días antes de que ..."
_STEP = re.compile(rf"(?:(?P<n>\d{{1,2}}|{alternation(w for w in NUMBER_WORDS if ' ' not in w)})\s+(?P<unit>días?|semanas?)|(?P<hours>horas|minutos))\s+$", re.I)


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
                purpose = any(g.lower_ == "para" for g in cur.children if g.dep_ in ("mark", "case"))
                if _lemma(parent) in PLANNING or parent.lower_.startswith("invitaci") or purpose and _lemma(parent) not in PURPOSE_REALIZED:
                    planned = True
                    break
                if cur.dep_ == "xcomp" and _tense_of(parent) == "future":
                    planned = True  # "volverán a reunirse", "tendrá que viajar"
                    break
                if cur.dep_ not in ("xcomp", "ccomp", "acl", "advcl", "obl", "nmod"):
                    break
                cur = parent
        # "está previsto que se reúnan": the frame says it is a plan
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
        times = self._memo("times_where", lambda: SpanIndex(self.times))
        cands = [t for t in times.inside(lo, hi) if any(a <= t.start and t.end <= b for a, b in spans)]
        cands = [t for t in cands if not _DEADLINE.match(t.text)]  # "antes de fin de año" is a deadline
        governed = [t for t in cands if self._governed_by(t, (verb, trigger))]
        if not governed:
            # No words of its own: the date of the clause it hangs from ("recibió este jueves
            # a su homólogo, quien cumple una visita..."; "el jueves estaba en Ginebra, donde intervino...").
            in_sentence = [t for t in times.inside(lo, hi) if not _DEADLINE.match(t.text)]
            ancestor = None
            for ancestor in verb.ancestors:
                governed = [t for t in in_sentence if self._governed_by(t, (ancestor,))]
                if governed:
                    break
            if not governed:
                return None
            # the words date the clause this one hangs from: resolve them in that clause's
            # tense ("llegó el martes ..., durante la cual se reunirá": this Tuesday;
            # "una reunión realizada el viernes": the last Friday); a host with no tense
            # (a noun: "tras una reunión en octubre, donde se alcanzó") in the event's own;
            # "tres días después de que ..." steps from the host's day
            best = min(governed, key=lambda t: abs(t.start - trigger.idx))
            own = "future" if d.status == "planned" else "past"
            time = self._resolve(best, _tense_of(ancestor) or own)
            path = list(verb.ancestors)[: list(verb.ancestors).index(ancestor)]
            step = next((t for t in path if t.lower_ in _SEQUENCE), None)
            if step is not None and time.precision == "day":
                time = self._step_from(time, step)
            return time
        cands = governed
        anchor = trigger.idx
        best = min(cands, key=lambda t: abs(t.start - anchor))
        tense = "future" if d.status == "planned" else "past"
        return self._resolve(best, tense)

    def _step_from(self, time: TimeExpr, step) -> TimeExpr:
        """The date of a clause said to be before or after its host's ("anunció el jueves
        la ruptura, tres días después de que X expulsara..."): counted back or forth when
        the text says by how much ("tres días", "horas"), else known to the month only
        ("poco después de que X dijera": the host's month)."""
        before = self.text[max(0, step.idx - 40) : step.idx]
        sign = -1 if step.lower_ == "después" else 1
        m = _STEP.search(before)
        if m and m.group("hours"):
            return time  # "horas después": the same day
        if m:
            days = _num_word(m.group("n")) * (7 if m.group("unit").lower().startswith("semana") else 1)
            try:
                day = date.fromisoformat(time.value) + timedelta(days=sign * days)
            except (TypeError, ValueError):
                return time
            return replace(time, value=day.isoformat(), inherited=True)
        return replace(time, value=time.value[:7], precision="month", inherited=True)

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
            if (tok.pos_ in ("ADJ", "VERB") and "Part" in tok.morph.get("VerbForm") and tok.i not in targets
                    and any(c.lower_ == "lo" and c.i < tok.i for c in tok.children)):
                # "lo anunciado el 3 de mayo" is an act of its own ("en seguimiento de lo
                # anunciado el 3 de mayo, visitó"); "un mitin celebrado el martes" is the scene
                # of the clause it hangs from, and dates it
                return False
            if tok.head is tok:
                return False
            tok = tok.head
        return False

    def _is_trigger(self, tok) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and (tok.lower_ in NOUNS or _lemma(tok) in NOUNS)

    def _date_from_context(self, drafts: list[Draft]) -> None:
        """Dates for events whose words give none of their own, in this order:

        - words dated from another date ("un día antes", "el mismo día") count from the
          date of the last dated event before them, else the last date said before them;
        - an occurred event takes the last date said in an earlier sentence of its paragraph
          ("La respuesta de Irán llegó el miércoles. El vocero ... condenó"): a date in its
          own sentence that its clause does not govern belongs to another clause;
        - in an article that opens with a dateline ("Lima, 3 de mayo de 2026."), an occurred
          event with no date took place on the dateline's day;
        - else the date of the last dated occurred event said before it, if in its paragraph,
          or, from another paragraph, only a date of the news (not before the month ahead of
          publication: "en enero" of a background paragraph dates nothing after it).
        """
        drafts = sorted(drafts, key=lambda d: d.start)
        self._resolve_anaphora(drafts)
        sents = list(self.doc.sents)
        for d in drafts:
            if self.published is None or d.status != "occurred" or d.time is not None:
                continue
            para_start = self.text.rfind("\n", 0, d.start) + 1
            sent_start = sents[d.sentence].start_char if d.sentence < len(sents) else d.start
            before = [t for t in self._memo("times_where", lambda: SpanIndex(self.times)).inside(para_start, min(d.start, sent_start))
                      if not _DEADLINE.match(t.text) and not is_anaphoric(t)]
            for t in reversed(before):
                r = self._resolve(t, "past")
                if r.value and r.value <= self._published_iso()[: len(r.value)]:
                    d.time = TimeExpr(r.text, r.start, r.end, r.value, r.precision, inherited=True)
                    break
        dateline = self._dateline() if self.published is not None else None
        if dateline is not None:
            for d in drafts:
                if d.status == "occurred" and d.time is None and d.start >= dateline.end:
                    d.time = replace(dateline, inherited=True)
        self._date_plans(drafts)
        dated: list[Draft] = []
        for d in drafts:
            if d.status != "occurred":
                continue
            if d.time is not None:
                if d.time.value:
                    dated.append(d)
                continue
            # a date said before it: in its paragraph (`dated` goes by start, so the search
            # stops at the paragraph's start), else a date of the news
            said = (p for p in reversed(dated) if p.time.start < d.start)
            para_start = self._paragraph_start(d.start)
            source = next(takewhile(lambda p: p.start >= para_start, said), None) or next(
                (p for p in reversed(dated) if p.time.start < d.start and self._is_news_date(p.time)), None)
            if source is not None:
                t = source.time
                d.time = TimeExpr(t.text, t.start, t.end, t.value, t.precision, inherited=True)

    def _date_plans(self, drafts: list[Draft]) -> None:
        """A planned event with no date of its own: a plan said before it in its sentence
        ("viajará el jueves a X, donde se reunirá..."), else an event said before it in its
        paragraph when that date is not past, else the story's first dated event when it is
        the publication day ("realiza hoy una visita a X. ... se reunirá con Y": today)."""
        if self.published is None:
            return
        dated = [d for d in drafts if d.time is not None and d.time.value]  # by start, as `drafts`
        starts = [d.start for d in dated]
        in_sentence: dict[int, list[Draft]] = {}
        for p in dated:
            in_sentence.setdefault(p.sentence, []).append(p)
        for d in drafts:
            if d.status != "planned" or d.time is not None:
                continue
            said = dated[: bisect_left(starts, d.start)]  # p.start < d.start
            is_said = lambda p: p.time.start < d.start and p.start < d.start  # noqa: E731
            if any(p.status == "planned" and is_said(p) for p in in_sentence.get(d.sentence, ())):
                continue  # `_inherit_dates`
            para_start = self._paragraph_start(d.start)
            source = next((p for p in takewhile(lambda p: p.start >= para_start, reversed(said)) if is_said(p)), None)
            first = next((p for p in said if is_said(p)), None)
            if source is None and first is not None and first.time.value == self._published_iso():
                source = first  # the story's first event is today's: a trip under way
            if source is None or source.time.value < self._published_iso()[: len(source.time.value)]:
                continue
            t = source.time
            d.time = TimeExpr(t.text, t.start, t.end, t.value, t.precision, inherited=True)

    def _resolve_anaphora(self, drafts: list[Draft]) -> None:
        """ "Un día antes", "el mismo día": from the last dated event before the words,
        else from the last date said before them."""
        for k, d in enumerate(drafts):
            if d.time is None or d.time.value or not is_anaphoric(d.time):
                continue
            ref = next((p.time for p in reversed(drafts[:k]) if p.time and p.time.value
                        and p.time.precision == "day" and p.time.start < d.time.start), None)
            if ref is None:
                for t in reversed([t for t in self.times if t.end <= d.time.start and not is_anaphoric(t)]):
                    r = self._resolve(t, "past")
                    if r.value:
                        ref = r
                        break
            if ref is not None:
                d.time = shift_from(d.time, ref.value, ref.precision)

    def _paragraph_start(self, char: int) -> int:
        """Where the paragraph of `char` starts: after the last line break before it."""
        breaks = self._memo("line_breaks", self._line_breaks)
        n = bisect_left(breaks, char)
        return breaks[n - 1] + 1 if n else 0

    def _line_breaks(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def _dateline(self) -> TimeExpr | None:
        """The date an article opens with, alone or after a place ("Viernes 19 abril 2024.",
        "Quito, 3 de mayo de 2026.-"), resolved to its day."""
        if not self.times:
            return None
        first = min(self.times, key=lambda t: t.start)
        if not _DATELINE_BEFORE.fullmatch(self.text[: first.start]) or not _DATELINE_AFTER.match(self.text[first.end :]):
            return None
        r = self._resolve(first, "past")
        return r if r.value and r.precision == "day" else None

    def _is_news_date(self, time: TimeExpr) -> bool:
        """A date of the news: its period reaches the month before publication or later
        (without a publication date, any)."""
        if self.published is None:
            return True
        value = time.value
        try:
            if time.precision == "day":
                last_day = date.fromisoformat(value)
            elif time.precision == "month":
                y, m = int(value[:4]), int(value[5:7])
                last_day = date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
            else:
                last_day = date(int(value[:4]), 12, 31)
        except (TypeError, ValueError):
            return False
        return last_day >= self.published - timedelta(days=31)


_DATELINE_BEFORE = re.compile(r"\s*(?:[A-ZÁÉÍÓÚÑ][^\n,.;:]{0,40},\s*)?")
_DATELINE_AFTER = re.compile(r"\s*(?:[.\-–—(|]|\n|$)")


def _num_word(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


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
    """A planned event with no date of its own takes that of a plan said before it in its
    own sentence ("viajará el jueves a X, donde se reunirá..."). Occurred events inherit
    in `StatusTimeStage._date_from_context`."""
    last: tuple[TimeExpr, int] | None = None
    for d in sorted(drafts, key=lambda d: d.start):
        if d.status != "planned":
            continue
        if d.time and d.time.value:
            last = (d.time, d.sentence)
            continue
        if last is None or d.time is not None:
            continue
        time, sentence = last
        if sentence != d.sentence:
            continue
        d.time = TimeExpr(text=time.text, start=time.start, end=time.end, value=time.value,
                          precision=time.precision, inherited=True)
