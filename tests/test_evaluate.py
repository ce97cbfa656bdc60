"""Tests of diplokg.evaluate: gold loading, matching rules, scores and the report."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

try:
    import diplokg  # noqa: F401
except ImportError:  # not installed in the venv: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diplokg.errors import InputError
from diplokg.evaluate import (
    Gold,
    evaluate,
    format_report,
    gold_from_dict,
    gold_articles,
    gold_pairs,
    jaccard,
    load_gold,
    normalize_name,
    report_json,
    score,
)
from diplokg.model import Article, Entity, Event, Extraction, Mention, Position, TimeExpr

SHARED = Path("/work/shared")
DEV = Path(__file__).resolve().parent / "data" / "dev"  # copy of ../shared/corpus/dev
REAL_GOLD_DIRS = [DEV, SHARED / "seeds"]

ARTICLE = Article(id="t1", text="texto")


# --------------------------------------------------------------------------- helpers


def mention(text: str = "x") -> Mention:
    return Mention(0, len(text), text)


def ent(key: str, type_: str, label: str, *aliases: str) -> Entity:
    return Entity(key=key, type=type_, label=label, aliases=tuple(aliases))


def event(type_: str, *participants: str, status: str = "occurred", evidence: str = "x", when: str | None = None) -> Event:
    time = TimeExpr(text="t", start=0, end=1, value=when, precision="day") if when else None
    return Event(type=type_, participants=tuple(participants), status=status, evidence=mention(evidence), time=time)


def position(holder: str, title: str, of: str | None) -> Position:
    return Position(holder=holder, title=title, of=of, evidence=mention(title))


def extraction(entities=(), positions=(), events=()) -> Extraction:
    return Extraction(article=ARTICLE, entities=tuple(entities), positions=tuple(positions), events=tuple(events))


def gold_doc(entities, positions=(), events=(), **extra) -> dict:
    return {
        "id": "t1",
        "language": "es",
        "published": "2026-03-12",
        "entities": list(entities),
        "positions": list(positions),
        "events": list(events),
        "quantities": [],
        **extra,
    }


def write_gold(tmp_path: Path, doc: dict, name: str = "a1") -> Path:
    path = tmp_path / f"{name}.gold.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def gold_of(tmp_path: Path, doc: dict) -> Gold:
    return load_gold(write_gold(tmp_path, doc))


GE = [
    {"id": "p1", "type": "Person", "name": "Hugo de Zela", "aliases": ["De Zela"]},
    {"id": "p2", "type": "Person", "name": "Marco Rubio", "aliases": ["Rubio"]},
    {"id": "c1", "type": "Country", "name": "Perú", "aliases": ["peruano"]},
    {"id": "c2", "type": "Country", "name": "Estados Unidos", "aliases": ["EE.UU."]},
]
GP = [{"holder": "p1", "title": "canciller", "of": "c1"}, {"holder": "p2", "title": "secretario de estado", "of": "c2"}]
GV = [
    {"type": "Meeting", "participants": ["p1", "p2"], "status": "occurred", "date": "2026-03-12",
     "evidence": "sostuvo una reunión en Washington D. C. con el secretario de Estado"},
    {"type": "Visit", "participants": ["p2"], "destination": "c1", "status": "planned", "date": "2026",
     "evidence": "realizar una visita oficial al Perú en 2026"},
]


def full_extraction() -> Extraction:
    return extraction(
        entities=[
            ent("hugo-de-zela", "Person", "Hugo de Zela", "De Zela"),
            ent("marco-rubio", "Person", "Marco Rubio"),
            ent("peru", "Country", "Perú"),
            ent("usa", "Country", "Estados Unidos"),
        ],
        positions=[position("hugo-de-zela", "canciller", "peru"), position("marco-rubio", "secretario de estado", "usa")],
        events=[
            event("Meeting", "hugo-de-zela", "marco-rubio", when="2026-03-12"),
            event("Visit", "marco-rubio", status="planned", when="2026"),
        ],
    )


# --------------------------------------------------------------------------- scoring


def test_exact_match_scores_one(tmp_path):
    result = score(full_extraction(), gold_of(tmp_path, gold_doc(GE, GP, GV)))
    for name in ("entities", "positions", "events"):
        cat = result.category(name)
        assert (cat.precision, cat.recall, cat.f1) == (1.0, 1.0, 1.0), name
        assert cat.fp == cat.fn == 0
        assert cat.misses == cat.false_positives == ()
    assert result.entities.tp == 4 and result.positions.tp == 2 and result.events.tp == 2
    assert result.agreement.events_matched == 2
    assert result.agreement.event_status_agree == 2
    assert result.agreement.events_dated == 2 and result.agreement.event_date_agree == 2
    assert result.agreement.position_title_agree == 2
    assert dict(result.entity_map)["usa"] == "c2"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Perú", "PERU"),
        ("EE.UU.", "EEUU"),
        ("La Organización de los Estados Americanos", "organizacion de los estados americanos"),
        ("  Quai   d'Orsay ", "Quai dOrsay"),
        ("el Ministerio de Relaciones Exteriores", "Ministerio de Relaciones Exteriores"),
        ("The White House", "white house"),
        ("Itamaraty.", "ITAMARATY"),
    ],
)
def test_normalize_name_equal(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_details():
    assert normalize_name("Perú") == "peru"
    assert normalize_name("EE.UU.") == "eeuu"
    assert normalize_name("Los Ángeles") == "angeles"
    assert normalize_name("la") == "la"  # a lone article is a name, not dropped to nothing
    assert normalize_name("Chile") != normalize_name("China")


def test_entity_name_normalization_matches(tmp_path):
    gold = gold_of(tmp_path, gold_doc([
        {"id": "c2", "type": "Country", "name": "Estados Unidos", "aliases": ["EE.UU."]},
        {"id": "o1", "type": "InternationalOrganization", "name": "Organización de los Estados Americanos"},
        {"id": "c1", "type": "Country", "name": "Perú"},
    ]))
    ext = extraction(entities=[
        ent("us", "Country", "EEUU"),
        ent("oas", "InternationalOrganization", "la organizacion de los estados americanos"),
        ent("pe", "Country", "PERU"),
    ])
    result = score(ext, gold)
    assert result.entities.tp == 3 and result.entities.f1 == 1.0
    assert dict(result.entity_map) == {"us": "c2", "oas": "o1", "pe": "c1"}


def test_alias_match_both_ways(tmp_path):
    gold = gold_of(tmp_path, gold_doc([
        {"id": "o1", "type": "InternationalOrganization", "name": "Organización de los Estados Americanos", "aliases": ["OEA"]},
        {"id": "p1", "type": "Person", "name": "Ernesto Valdivia Ruiz", "aliases": ["Valdivia"]},
    ]))
    ext = extraction(entities=[
        ent("oea", "InternationalOrganization", "OEA"),  # label = gold alias
        ent("valdivia", "Person", "E. Valdivia R.", "Valdivia"),  # alias = gold alias
    ])
    result = score(ext, gold)
    assert result.entities.tp == 2
    assert dict(result.entity_map) == {"oea": "o1", "valdivia": "p1"}


def test_type_mismatch_is_not_a_match(tmp_path):
    gold = gold_of(tmp_path, gold_doc([{"id": "l1", "type": "Place", "name": "Perú"}]))
    result = score(extraction(entities=[ent("peru", "Country", "Perú")]), gold)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (0, 1, 1)
    assert result.entities.misses == ("Place 'Perú'",)
    assert result.entities.false_positives == ("Country 'Perú'",)
    assert result.entities.f1 == 0.0


def test_entity_matching_is_one_to_one_and_prefers_label_equals_name(tmp_path):
    gold = gold_of(tmp_path, gold_doc([
        {"id": "p1", "type": "Person", "name": "Ernesto Valdivia", "aliases": ["Valdivia"]},
    ]))
    ext = extraction(entities=[
        ent("short", "Person", "Valdivia", "Ernesto Valdivia"),
        ent("full", "Person", "Ernesto Valdivia"),
    ])
    result = score(ext, gold)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (1, 1, 0)
    assert dict(result.entity_map) == {"full": "p1"}
    assert result.entities.false_positives == ("Person 'Valdivia'",)


def test_entity_matching_maximises_matches(tmp_path):
    # "Santiago" could take either gold entity by alias; "Santiago de Chile" only the first.
    gold = gold_of(tmp_path, gold_doc([
        {"id": "l1", "type": "Place", "name": "Santiago de Chile", "aliases": ["Santiago"]},
        {"id": "l2", "type": "Place", "name": "Santiago de Compostela", "aliases": ["Santiago"]},
    ]))
    ext = extraction(entities=[ent("a", "Place", "Santiago"), ent("b", "Place", "Santiago de Chile")])
    result = score(ext, gold)
    assert result.entities.tp == 2
    assert dict(result.entity_map) == {"a": "l2", "b": "l1"}


def _event_gold(tmp_path, participants, ext_participants, extra_entities=()):
    ents = [{"id": f"p{i}", "type": "Person", "name": f"Persona {chr(64 + i)}"} for i in range(1, 5)]
    gold = gold_of(tmp_path, gold_doc(ents, events=[
        {"type": "Meeting", "participants": list(participants), "status": "occurred", "evidence": "se reunieron"},
    ]))
    ext_ents = [ent(f"k{i}", "Person", f"Persona {chr(64 + i)}") for i in range(1, 5)] + list(extra_entities)
    return score(extraction(entities=ext_ents, events=[event("Meeting", *ext_participants)]), gold)


def test_event_jaccard_half_matches(tmp_path):
    result = _event_gold(tmp_path, ["p1", "p2"], ["k1"])
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 0, 0)
    result = _event_gold(tmp_path, ["p1", "p2", "p3", "p4"], ["k1", "k2"])
    assert result.events.tp == 1


def test_event_jaccard_third_does_not_match(tmp_path):
    result = _event_gold(tmp_path, ["p1", "p2", "p3"], ["k1"])
    assert (result.events.tp, result.events.fp, result.events.fn) == (0, 1, 1)
    assert result.events.misses == ("Meeting [Persona A, Persona B, Persona C] 'se reunieron'",)


def test_unmatched_participants_count_in_the_union(tmp_path):
    stranger = ent("x", "Person", "Nadie Conocido")
    # {p1, ?x} vs {p1}: 1/2 -> match; {p1, ?x, ?y} vs {p1}: 1/3 -> no match
    assert _event_gold(tmp_path, ["p1"], ["k1", "x"], [stranger]).events.tp == 1
    other = ent("y", "Person", "Otro Desconocido")
    assert _event_gold(tmp_path, ["p1"], ["k1", "x", "y"], [stranger, other]).events.tp == 0


def test_event_actors_and_counterparts_are_participants(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, events=[GV[0]]))
    ext_event = Event(type="Meeting", participants=(), status="occurred", evidence=mention(),
                      actors=("hugo",), counterparts=("rubio",))
    ext = extraction(entities=[ent("hugo", "Person", "Hugo de Zela"), ent("rubio", "Person", "Rubio")], events=[ext_event])
    assert score(ext, gold).events.tp == 1


def test_event_type_must_be_equal(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, events=[GV[0]]))
    ext = full_extraction()
    ext = extraction(entities=ext.entities, events=[event("PhoneCall", "hugo-de-zela", "marco-rubio")])
    result = score(ext, gold)
    assert (result.events.tp, result.events.fp, result.events.fn) == (0, 1, 1)


def test_events_matched_one_to_one(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, events=[GV[0]]))
    base = full_extraction()
    twice = extraction(entities=base.entities, events=[event("Meeting", "hugo-de-zela", "marco-rubio")] * 2)
    result = score(twice, gold)
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 1, 0)
    assert result.events.precision == 0.5 and result.events.recall == 1.0


def test_events_greedy_by_highest_jaccard(tmp_path):
    ents = [{"id": f"p{i}", "type": "Person", "name": f"Persona {chr(64 + i)}"} for i in range(1, 5)]
    gold = gold_of(tmp_path, gold_doc(ents, events=[
        {"type": "Meeting", "participants": ["p1", "p2", "p3"], "status": "occurred", "evidence": "g-one"},
        {"type": "Meeting", "participants": ["p1", "p2"], "status": "occurred", "evidence": "g-two"},
    ]))
    ext_ents = [ent(f"k{i}", "Person", f"Persona {chr(64 + i)}") for i in range(1, 5)]
    # e1 = {p1,p2}: J=2/3 with g-one, 1.0 with g-two; e2 = {p1,p2,p3}: 1.0 with g-one, 2/3 with g-two.
    ext = extraction(entities=ext_ents, events=[
        event("Meeting", "k1", "k2", evidence="e1"),
        event("Meeting", "k1", "k2", "k3", evidence="e2"),
    ])
    result = score(ext, gold)
    assert (result.events.tp, result.events.fp, result.events.fn) == (2, 0, 0)
    # One extracted event for two gold events: it takes the better one, the other is a miss.
    ext = extraction(entities=ext_ents, events=[event("Meeting", "k1", "k2", evidence="e1")])
    result = score(ext, gold)
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 0, 1)
    assert result.events.misses == ("Meeting [Persona A, Persona B, Persona C] 'g-one'",)


def test_event_status_and_date_agreement_reported_not_scored(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, events=GV))
    base = full_extraction()
    ext = extraction(entities=base.entities, events=[
        event("Meeting", "hugo-de-zela", "marco-rubio", status="planned", when="2026-03-11"),
        event("Visit", "marco-rubio", status="planned"),
    ])
    result = score(ext, gold)
    assert result.events.f1 == 1.0
    ag = result.agreement
    assert (ag.events_matched, ag.event_status_agree, ag.events_dated, ag.event_date_agree) == (2, 1, 2, 0)


# --------------------------------------------------------------------------- per type and slots

SLOT_ENTITIES = GE + [
    {"id": "l1", "type": "Place", "name": "Washington D. C.", "aliases": ["Washington"]},
    {"id": "l2", "type": "Place", "name": "Lima"},
    {"id": "p3", "type": "Person", "name": "Daniel Kessler", "aliases": ["Kessler"]},
]
SLOT_EVENTS = [
    # 0: Meeting, placed, dated, with actor and counterpart
    {"type": "Meeting", "participants": ["p1", "p2"], "location": "l1", "actor": "p1", "counterpart": "p2",
     "status": "occurred", "date": "2026-03-12", "timeExpression": "este jueves", "evidence": "se reunió en Washington"},
    # 1: Visit with a destination (and a location that must not be used)
    {"type": "Visit", "participants": ["p2"], "destination": "c1", "location": "l2", "status": "planned",
     "date": "2026", "evidence": "visitará el Perú en 2026"},
    # 2: PhoneCall, no place, no date
    {"type": "PhoneCall", "participants": ["p1", "p3"], "status": "occurred", "evidence": "conversó por teléfono"},
    # 3: Statement, missed by the extraction
    {"type": "Statement", "participants": ["p3"], "status": "occurred", "date": "2026-03-11", "evidence": "declaró"},
]


def slot_extraction() -> Extraction:
    ents = [
        ent("hz", "Person", "Hugo de Zela"),
        ent("mr", "Person", "Marco Rubio"),
        ent("dk", "Person", "Kessler"),
        ent("pe", "Country", "Perú"),
        ent("us", "Country", "Estados Unidos"),
        ent("was", "Place", "Washington"),
        ent("lim", "Place", "Lima"),
        ent("nn", "Person", "Nadie Nombrado"),  # matches no gold entity
    ]
    t = lambda value, text: TimeExpr(text=text, start=0, end=len(text), value=value, precision="day")  # noqa: E731
    events = [
        # exact participants (through actors/counterparts), right place, right date, actor/counterpart swapped
        Event(type="Meeting", participants=(), status="occurred", evidence=mention("se reunió"),
              actors=("mr",), counterparts=("hz",), location="was", time=t("2026-03-12", "este jueves")),
        # Visit: destination right (its location differs: not compared); wrong date, wrong status
        Event(type="Visit", participants=("mr",), status="occurred", evidence=mention("visitará"),
              destination="pe", location="was", time=t("2026-05", "en mayo")),
        # PhoneCall: J = 2/3 ({p1, p3, ?nn} vs {p1, p3}), not exact
        Event(type="PhoneCall", participants=("hz", "dk", "nn"), status="occurred", evidence=mention("llamada")),
        # false positives of two types
        event("Meeting", "nn", evidence="otra reunión"),
        event("Criticism", "dk", evidence="criticó"),
    ]
    return extraction(entities=ents, events=events)


def test_per_event_type_counts(tmp_path):
    result = score(slot_extraction(), gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS)))
    assert (result.events.tp, result.events.fp, result.events.fn) == (3, 2, 1)
    counts = {name: (c.tp, c.fp, c.fn) for name, c in result.event_types}
    assert counts == {
        "Meeting": (1, 1, 0),
        "PhoneCall": (1, 0, 0),
        "Visit": (1, 0, 0),
        "Statement": (0, 0, 1),
        "Criticism": (0, 1, 0),
    }
    assert [name for name, _ in result.event_types] == ["Meeting", "PhoneCall", "Visit", "Statement", "Criticism"]
    assert result.event_type("Meeting").precision == 0.5 and result.event_type("Meeting").recall == 1.0
    assert result.event_type("Statement").f1 == 0.0 and result.event_type("Criticism").f1 == 0.0
    assert result.event_type("Sanction") == type(result.events)(0, 0, 0)  # absent type: empty


def test_per_event_type_counts_wrong_type_counts_for_each_side(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, events=[GV[0]]))
    ext = extraction(entities=full_extraction().entities, events=[event("PhoneCall", "hugo-de-zela", "marco-rubio")])
    result = score(ext, gold)
    assert {name: (c.tp, c.fp, c.fn) for name, c in result.event_types} == {"Meeting": (0, 0, 1), "PhoneCall": (0, 1, 0)}


def test_slot_agreement_over_matched_events(tmp_path):
    result = score(slot_extraction(), gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS)))
    ag = result.agreement
    assert ag.events_matched == 3
    # participants: Meeting and Visit exact, PhoneCall 2/3
    assert ag.event_participants_exact == 2
    assert ag.event_participants_jaccard == pytest.approx(1 + 1 + 2 / 3)
    # status: the Visit is planned in gold
    assert ag.event_status_agree == 2
    # date: Meeting and Visit have a gold date (the missed Statement does not count); only the Meeting agrees
    assert (ag.events_dated, ag.event_date_agree) == (2, 1)
    # location: Meeting (location) and Visit (destination, not its location) are placed; both agree
    assert (ag.events_located, ag.event_location_agree) == (2, 2)
    # actor/counterpart: stated for the Meeting only, and swapped there
    assert (ag.events_with_actor, ag.event_actor_agree) == (1, 0)
    assert (ag.events_with_counterpart, ag.event_counterpart_agree) == (1, 0)
    slots = ag.slots()
    assert slots["participants"] == {"agree": 2, "of": 3, "rate": round(2 / 3, 4), "mean_jaccard": round(8 / 9, 4)}
    assert slots["status"] == {"agree": 2, "of": 3, "rate": round(2 / 3, 4)}
    assert slots["date"] == {"agree": 1, "of": 2, "rate": 0.5}
    assert slots["location"] == {"agree": 2, "of": 2, "rate": 1.0}
    assert slots["actor"]["rate"] == 0.0 and slots["counterpart"]["rate"] == 0.0
    assert ag.status_accuracy == round(2 / 3, 4) and ag.date_accuracy == 0.5


def test_slot_location_visit_destination_and_unmatched_place(tmp_path):
    gold = gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS[:2]))
    base = slot_extraction()
    ents = base.entities + (ent("x", "Place", "Quito"),)
    events = (
        # Meeting placed at an entity that matches no gold entity: disagrees
        Event(type="Meeting", participants=("hz", "mr"), status="occurred", evidence=mention(), location="x"),
        # Visit with the right place as its location but no destination: the location is the fallback
        Event(type="Visit", participants=("mr",), status="planned", evidence=mention(), location="pe"),
    )
    ag = score(extraction(entities=ents, events=events), gold).agreement
    assert (ag.events_located, ag.event_location_agree) == (2, 1)
    # Visit whose destination is wrong even though its location is right: disagrees
    events = (Event(type="Visit", participants=("mr",), status="planned", evidence=mention(),
                    destination="lim", location="pe"),)
    ag = score(extraction(entities=ents, events=events), gold).agreement
    assert (ag.events_located, ag.event_location_agree) == (1, 0)
    # no place extracted at all: disagrees
    events = (event("Visit", "mr", status="planned"),)
    ag = score(extraction(entities=ents, events=events), gold).agreement
    assert (ag.events_located, ag.event_location_agree) == (1, 0)


def test_slot_actor_counterpart_agree_exactly(tmp_path):
    gold = gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS[:1]))
    ents = slot_extraction().entities
    right = Event(type="Meeting", participants=(), status="occurred", evidence=mention(), actors=("hz",), counterparts=("mr",))
    ag = score(extraction(entities=ents, events=[right]), gold).agreement
    assert (ag.event_actor_agree, ag.event_counterpart_agree) == (1, 1)
    # an extra actor (even unmatched) makes the actor set differ from the gold actor
    extra = Event(type="Meeting", participants=(), status="occurred", evidence=mention(), actors=("hz", "nn"), counterparts=("mr",))
    ag = score(extraction(entities=ents, events=[extra]), gold).agreement
    assert (ag.events_with_actor, ag.event_actor_agree, ag.event_counterpart_agree) == (1, 0, 1)
    # no actors extracted: disagrees
    ag = score(extraction(entities=ents, events=[event("Meeting", "hz", "mr")]), gold).agreement
    assert (ag.events_with_actor, ag.event_actor_agree) == (1, 0)


def test_date_mismatches_listed(tmp_path):
    result = score(slot_extraction(), gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS)))
    assert result.date_mismatches == (
        "gold 2026 ours 2026-05 ('en mayo'): Visit [Marco Rubio] 'visitará el Perú en 2026'",
    )
    # no time expression at all; the gold timeExpression is shown
    gold = gold_of(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS[:1]))
    result = score(extraction(entities=slot_extraction().entities, events=[event("Meeting", "hz", "mr")]), gold)
    assert result.date_mismatches == (
        "gold 2026-03-12 ('este jueves') ours none (no time expression): "
        "Meeting [Hugo de Zela, Marco Rubio] 'se reunió en Washington'",
    )
    # a time expression without a value
    undated = Event(type="Meeting", participants=("hz", "mr"), status="occurred", evidence=mention(),
                    time=TimeExpr(text="pronto", start=0, end=6))
    result = score(extraction(entities=slot_extraction().entities, events=[undated]), gold)
    assert result.date_mismatches[0].startswith("gold 2026-03-12 ('este jueves') ours none ('pronto'): Meeting")


def test_report_per_type_and_slots(tmp_path):
    write_gold(tmp_path, gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS), name="a1")
    (tmp_path / "a1.txt").write_text("texto", encoding="utf-8")
    second = gold_doc(SLOT_ENTITIES, events=SLOT_EVENTS[:1])
    second["id"] = "a2"
    write_gold(tmp_path, second, name="a2")
    (tmp_path / "a2.txt").write_text("texto", encoding="utf-8")

    def extract(article: Article) -> Extraction:
        if article.id == "t1":
            return slot_extraction()
        return extraction(entities=slot_extraction().entities, events=[event("Meeting", "hz", "mr", when="2026-03-12")])

    report = evaluate(tmp_path, extract)
    types = report.event_types()
    assert {name: (c.tp, c.fp, c.fn) for name, c in types.items()} == {
        "Meeting": (2, 1, 0), "PhoneCall": (1, 0, 0), "Visit": (1, 0, 0), "Statement": (0, 0, 1), "Criticism": (0, 1, 0),
    }
    # per-type counts add up to the event totals
    assert sum(c.tp for c in types.values()) == report.events.tp == 4
    assert sum(c.fp for c in types.values()) == report.events.fp
    assert sum(c.fn for c in types.values()) == report.events.fn
    ag = report.agreement
    assert (ag.events_matched, ag.event_participants_exact, ag.events_dated, ag.event_date_agree) == (4, 3, 3, 2)
    assert (ag.events_located, ag.event_location_agree, ag.events_with_actor, ag.event_actor_agree) == (3, 2, 2, 0)

    text = format_report(report)
    lines = text.splitlines()
    assert [line.split()[:2] for line in lines[-3:]] == [["overall", "entities"], ["overall", "positions"], ["overall", "events"]]
    table = lines.index("events per type (micro over the corpus)")
    slots = lines.index("event slots over matched events")
    assert lines[table - 1].startswith("matched positions:")
    assert table < slots < len(lines) - 3
    assert lines[table + 1 : slots] == [
        "  Meeting    tp=2   fp=1   fn=0   P=0.667 R=1.000 F1=0.800",
        "  PhoneCall  tp=1   fp=0   fn=0   P=1.000 R=1.000 F1=1.000",
        "  Visit      tp=1   fp=0   fn=0   P=1.000 R=1.000 F1=1.000",
        "  Statement  tp=0   fp=0   fn=1   P=0.000 R=0.000 F1=0.000",
        "  Criticism  tp=0   fp=1   fn=0   P=0.000 R=0.000 F1=0.000",
    ]
    assert lines[slots + 1 : -3] == [
        "  participants exact         0.750 (3 of 4)  mean Jaccard 0.917",
        "  status                     0.750 (3 of 4)",
        "  date (gold dated)          0.667 (2 of 3)",
        "  location (gold placed)     0.667 (2 of 3)",
        "  actor (gold states)        0.000 (0 of 2)",
        "  counterpart (gold states)  0.000 (0 of 2)",
    ]
    assert "    date events: gold 2026 ours 2026-05 ('en mayo'): Visit [Marco Rubio] 'visitará el Perú en 2026'" in lines
    assert text.index("date events:") < text.index("events per type")

    data = report_json(report)
    json.dumps(data)
    assert data["overall"]["per_event_type"]["Meeting"] == {
        "tp": 2, "fp": 1, "fn": 0, "precision": 0.6667, "recall": 1.0, "f1": 0.8,
    }
    assert list(data["overall"]["per_event_type"]) == ["Meeting", "PhoneCall", "Visit", "Statement", "Criticism"]
    assert data["overall"]["slots"]["date"] == {"agree": 2, "of": 3, "rate": 0.6667}
    assert data["overall"]["slots"]["participants"]["mean_jaccard"] == pytest.approx(11 / 12, abs=1e-4)
    assert data["overall"]["slots"]["actor"] == {"agree": 0, "of": 2, "rate": 0.0}
    assert data["articles"][0]["per_event_type"]["Criticism"]["fp"] == 1
    assert data["articles"][0]["slots"]["location"] == {"agree": 2, "of": 2, "rate": 1.0}
    assert data["articles"][0]["date_mismatches"] == [
        "gold 2026 ours 2026-05 ('en mayo'): Visit [Marco Rubio] 'visitará el Perú en 2026'"
    ]
    assert data["articles"][1]["date_mismatches"] == []


def test_slots_without_matched_events_are_not_rates(tmp_path):
    report_ = evaluate_one(tmp_path, gold_doc(GE), extraction())
    slots = report_.agreement.slots()
    assert all(s["of"] == 0 and s["rate"] is None for s in slots.values())
    assert slots["participants"]["mean_jaccard"] is None
    assert report_.event_types() == {}
    text = format_report(report_)
    assert "  status                       n/a (0 of 0)" in text
    assert "events per type" not in text
    assert text.splitlines()[-1].startswith("overall events")


def evaluate_one(tmp_path, doc: dict, ext: Extraction):
    write_gold(tmp_path, doc, name="one")
    (tmp_path / "one.txt").write_text("texto", encoding="utf-8")
    return evaluate(tmp_path, lambda article: ext)


def test_position_through_mapped_holder_and_of(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, GP))
    ext = extraction(
        entities=[
            ent("Q1", "Person", "De Zela"),
            ent("Q2", "Person", "Rubio"),
            ent("Q3", "Country", "peruano"),
            ent("Q4", "Country", "EEUU"),
        ],
        positions=[
            position("Q1", "ministro de relaciones exteriores", "Q3"),  # title differs: still a match
            position("Q2", "secretario de estado", "Q3"),  # wrong `of`
        ],
    )
    result = score(ext, gold)
    assert (result.positions.tp, result.positions.fp, result.positions.fn) == (1, 1, 1)
    assert result.agreement.positions_matched == 1 and result.agreement.position_title_agree == 0
    assert result.positions.misses == ("Position 'Marco Rubio' secretario de estado of 'Estados Unidos'",)
    assert result.positions.false_positives == ("Position 'Rubio' secretario de estado of 'peruano'",)


def test_position_with_unmatched_holder_is_false_positive(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, GP[:1]))
    ext = extraction(entities=[ent("x", "Person", "Otra Persona"), ent("pe", "Country", "Perú")],
                     positions=[position("x", "canciller", "pe")])
    result = score(ext, gold)
    assert (result.positions.tp, result.positions.fp, result.positions.fn) == (0, 1, 1)


def test_misses_and_false_positives_listed(tmp_path):
    gold = gold_of(tmp_path, gold_doc(GE, GP, GV))
    ext = extraction(
        entities=[ent("hz", "Person", "Hugo de Zela"), ent("mr", "Person", "Marco Rubio"), ent("x", "Place", "Lima")],
        events=[event("Meeting", "hz", "mr"), event("Statement", "x", evidence="El Ministerio de Relaciones Exteriores anunció hoy que más de 4.000 mesas")],
    )
    result = score(ext, gold)
    assert result.entities.misses == ("Country 'Perú'", "Country 'Estados Unidos'")
    assert result.entities.false_positives == ("Place 'Lima'",)
    assert result.positions.misses == (
        "Position 'Hugo de Zela' canciller of 'Perú'",
        "Position 'Marco Rubio' secretario de estado of 'Estados Unidos'",
    )
    assert result.events.misses == ("Visit [Marco Rubio] 'realizar una visita oficial al Perú en 2026'",)
    assert result.events.false_positives == ("Statement [Lima] 'El Ministerio de Relaciones Exteriores anunció hoy que más de 4.000 mesas'",)
    assert result.entities.precision == pytest.approx(2 / 3)
    assert result.entities.recall == pytest.approx(0.5)
    assert result.entities.f1 == pytest.approx(4 / 7)


def test_empty_gold_and_empty_extraction(tmp_path):
    result = score(extraction(), gold_of(tmp_path, gold_doc([])))
    assert result.entities.f1 == result.events.f1 == 1.0
    result = score(extraction(), gold_of(tmp_path, gold_doc(GE)))
    assert (result.entities.precision, result.entities.recall, result.entities.f1) == (0.0, 0.0, 0.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_subsets_of_gold_entities(keep):
    gold = gold_from_dict(gold_doc(GE))
    kept = [g for g, k in zip(gold.entities, keep) if k]
    ext = extraction(entities=[ent(f"k-{g.id}", g.type, g.name.upper()) for g in kept])
    result = score(ext, gold)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (len(kept), 0, 4 - len(kept))
    assert 0.0 <= result.entities.f1 <= 1.0


# --------------------------------------------------------------------------- gold files


def test_load_gold_fields(tmp_path):
    doc = gold_doc(GE, GP, GV, title="Titular", quantities=[{"value": 4000, "unit": "mesas", "qualifier": "more-than"}])
    gold = gold_of(tmp_path, doc)
    assert gold.id == "t1" and gold.title == "Titular" and gold.published == date(2026, 3, 12)
    assert gold.entities[0].aliases == ("De Zela",)
    assert gold.events[1].destination == "c1" and gold.events[1].date == "2026"
    assert str(gold.quantities[0].value) == "4000"


def test_load_gold_id_defaults_to_stem_and_null_published(tmp_path):
    doc = gold_doc(GE)
    del doc["id"]
    doc["published"] = None
    doc["title"] = None
    gold = load_gold(write_gold(tmp_path, doc, name="dev99"))
    assert gold.id == "dev99" and gold.published is None and gold.title is None


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d.pop("entities"), "missing key 'entities'"),
        (lambda d: d["entities"][0].pop("name"), "missing key 'name'"),
        (lambda d: d["positions"][0].update(of="c9"), "unknown entity id 'c9'"),
        (lambda d: d["events"][0].update(participants=["p1", "zz"]), "'zz'"),
        (lambda d: d["events"][1].update(destination="nowhere"), "'nowhere'"),
        (lambda d: d["entities"].append(dict(d["entities"][0])), "duplicate entity id"),
        (lambda d: d["entities"][0].update(type="Human"), "unknown entity type"),
        (lambda d: d["events"][0].update(type="Party"), "unknown event type"),
        (lambda d: d["events"][0].update(status="maybe"), "status"),
        (lambda d: d["events"][0].update(date="12/03/2026"), "date"),
        (lambda d: d.update(published="ayer"), "published"),
    ],
)
def test_invalid_gold_raises_input_error(tmp_path, mutate, reason):
    doc = json.loads(json.dumps(gold_doc(GE, GP, GV)))
    mutate(doc)
    path = write_gold(tmp_path, doc, name="broken")
    with pytest.raises(InputError) as info:
        load_gold(path)
    message = str(info.value)
    assert "broken.gold.json" in message and reason in message
    assert "\n" not in message


def test_invalid_json_raises_input_error(tmp_path):
    path = tmp_path / "bad.gold.json"
    path.write_text('{"id": "x", "entities": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.gold\.json: invalid JSON"):
        load_gold(path)
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.gold\.json: gold must be a JSON object"):
        load_gold(path)
    with pytest.raises(InputError, match="missing.gold.json"):
        load_gold(tmp_path / "missing.gold.json")


def test_gold_pairs(tmp_path):
    for name in ("b", "a"):
        (tmp_path / f"{name}.txt").write_text("texto", encoding="utf-8")
        write_gold(tmp_path, gold_doc(GE), name=name)
    (tmp_path / "orphan.gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("sin gold", encoding="utf-8")
    pairs = gold_pairs(tmp_path)
    assert [(t.name, g.name) for t, g in pairs] == [("a.txt", "a.gold.json"), ("b.txt", "b.gold.json")]


def test_texts_kept_apart_in_a_folder_or_jsonl(tmp_path):
    """A corpus whose texts may not be stored with its gold: the gold keeps evidence offsets,
    the texts come from another folder or a JSONL file; gold files without text are named."""
    text = "El canciller Hugo de Zela se reunió con Marco Rubio en Washington."
    start = text.index("se reunió")
    doc = gold_doc(GE, events=[{"type": "Meeting", "participants": ["p1", "p2"], "status": "occurred",
                                "evidence_at": [start, start + 9]}], published="2020-10")
    gold_dir, texts = tmp_path / "gold", tmp_path / "texts"
    gold_dir.mkdir(), texts.mkdir()
    write_gold(gold_dir, doc, name="a1")
    write_gold(gold_dir, doc, name="a2")
    (texts / "a1.txt").write_text(text, encoding="utf-8")
    jsonl = tmp_path / "texts.jsonl"
    jsonl.write_text(json.dumps({"id": "a1", "text": text, "published": "2020-10-05"}) + "\n", encoding="utf-8")
    for source in (texts, jsonl):
        pairs, missing = gold_articles(gold_dir, source)
        assert missing == ["a2"]
        ((gold, article),) = pairs
        assert gold.events[0].evidence == "se reunió"
        assert (article.text, article.published_iso) == (text, "2020-10")  # the gold's date wins
    with pytest.raises(InputError, match="nope: no such folder or JSONL file of texts"):
        gold_articles(gold_dir, tmp_path / "nope")
    with pytest.raises(InputError, match="no NAME.txt"):
        gold_articles(gold_dir, tmp_path / "gold")


def test_gold_pairs_empty_or_missing_dir(tmp_path):
    with pytest.raises(InputError, match="no NAME.txt"):
        gold_pairs(tmp_path)
    (tmp_path / "x.txt").write_text("texto", encoding="utf-8")
    with pytest.raises(InputError):
        gold_pairs(tmp_path)
    with pytest.raises(InputError, match="no such directory"):
        gold_pairs(tmp_path / "nope")


# --------------------------------------------------------------------------- evaluate + report


def test_evaluate_and_report(tmp_path):
    doc = gold_doc(GE, GP, GV, title="Titular")
    write_gold(tmp_path, doc, name="a1")
    (tmp_path / "a1.txt").write_text("Perú y EE.UU.\nHugo de Zela se reunió con Marco Rubio.", encoding="utf-8")
    second = gold_doc(GE[:2])
    second["id"] = "a2"
    write_gold(tmp_path, second, name="a2")
    (tmp_path / "a2.txt").write_text("Otro texto.", encoding="utf-8")

    seen: list[Article] = []

    def extract(article: Article) -> Extraction:
        seen.append(article)
        if article.id == "t1":
            return Extraction(article=article, entities=full_extraction().entities,
                              positions=full_extraction().positions, events=full_extraction().events)
        return Extraction(article=article, entities=(ent("hz", "Person", "Hugo de Zela"), ent("x", "Place", "Lima")))

    report = evaluate(tmp_path, extract)
    assert [a.id for a in seen] == ["t1", "a2"]
    assert seen[0].published == date(2026, 3, 12) and seen[0].title == "Titular" and seen[0].language == "es"
    assert seen[0].text.startswith("Perú y EE.UU.") and seen[0].source.endswith("a1.txt")

    totals = report.entities
    assert (totals.tp, totals.fp, totals.fn) == (5, 1, 1)  # micro-average over both articles
    assert totals.precision == pytest.approx(5 / 6) and totals.recall == pytest.approx(5 / 6)
    assert (report.events.tp, report.events.fp, report.events.fn) == (2, 0, 0)

    text = format_report(report)
    lines = text.splitlines()
    assert lines[-3:] == [
        "overall entities  P=0.833 R=0.833 F1=0.833 (tp=5 fp=1 fn=1)",
        "overall positions P=1.000 R=1.000 F1=1.000 (tp=2 fp=0 fn=0)",
        "overall events    P=1.000 R=1.000 F1=1.000 (tp=2 fp=0 fn=0)",
    ]
    assert any(line.strip().startswith("t1") and "entities P=1.000" in line for line in lines)
    assert "miss entities: Person 'Marco Rubio'" in text
    assert "fp   entities: Place 'Lima'" in text
    assert text.index("Person 'Marco Rubio'") < text.index("overall entities")

    data = report_json(report)
    json.dumps(data)  # JSON-ready
    assert data["overall"]["entities"]["tp"] == 5
    assert data["overall"]["agreement"]["events_matched"] == 2
    assert data["articles"][1]["id"] == "a2"
    assert data["articles"][1]["entities"]["misses"] == ["Person 'Marco Rubio'"]
    assert data["articles"][1]["entities"]["false_positives"] == ["Place 'Lima'"]


def test_evaluate_reports_bad_text_encoding(tmp_path):
    write_gold(tmp_path, gold_doc(GE), name="a1")
    (tmp_path / "a1.txt").write_bytes(b"\xff\xfe\xfa no utf-8")
    with pytest.raises(InputError, match=r"a1\.txt"):
        evaluate(tmp_path, lambda a: Extraction(article=a))


# --------------------------------------------------------------------------- real gold files


def _real_gold_files() -> list[Path]:
    return sorted(p for d in REAL_GOLD_DIRS if d.is_dir() for p in d.glob("*.gold.json"))


@pytest.mark.skipif(not _real_gold_files(), reason="shared gold files not present")
@pytest.mark.parametrize("path", _real_gold_files(), ids=lambda p: p.name)
def test_real_gold_files_load_and_self_score(path):
    gold = load_gold(path)
    assert gold.entities and gold.events
    # Gold read back as an extraction (keys = gold ids) must score 1.0 everywhere.
    ext = Extraction(
        article=Article(id=gold.id, text=""),
        entities=tuple(Entity(key=e.id, type=e.type, label=e.name, aliases=e.aliases) for e in gold.entities),
        positions=tuple(Position(holder=p.holder, title=p.title, of=p.of, evidence=mention()) for p in gold.positions),
        events=tuple(
            Event(type=e.type, participants=e.participants, status=e.status or "occurred", evidence=mention(e.evidence))
            for e in gold.events
        ),
    )
    result = score(ext, gold)
    for name in ("entities", "positions", "events"):
        assert result.category(name).f1 == 1.0, (name, result.category(name))
    assert dict(result.entity_map) == {e.id: e.id for e in gold.entities}


def test_real_dev_dir_pairs():
    pairs = gold_pairs(DEV)
    assert len(pairs) == 12 and all(t.stem == g.name.removesuffix(".gold.json") for t, g in pairs)


def test_jaccard_values():
    assert jaccard({"a"}, {"a", "b"}) == 0.5
    assert jaccard({"a"}, {"a", "b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 1.0



def test_status_disagreements_are_listed(tmp_path):
    ents = [{"id": f"p{i}", "type": "Person", "name": f"Persona {chr(64 + i)}"} for i in (1, 2)]
    gold = gold_of(tmp_path, gold_doc(ents, events=[
        {"type": "Meeting", "participants": ["p1", "p2"], "status": "planned", "evidence": "se reunirán"}]))
    ext_ents = [ent(f"k{i}", "Person", f"Persona {chr(64 + i)}") for i in (1, 2)]
    result = score(extraction(entities=ext_ents, events=[event("Meeting", "k1", "k2")]), gold)
    assert result.status_mismatches == ("gold planned ours occurred: Meeting [Persona A, Persona B] 'se reunirán'",)
    from diplokg.evaluate import Report

    assert "status events: gold planned ours occurred" in format_report(Report((result,)))
