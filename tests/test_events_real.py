"""Events as published articles word them: statements, nominal events and support verbs,
reception, states and governments as actors, criticism, sanctions, downgrades and their
repair, agreements, invitations, and dates against a partial publication date. Every
sentence here is invented for these tests (fictional persons)."""

from __future__ import annotations

import pytest

from diplokg.extract import extract
from diplokg.model import Article, anchor_of
from test_extract_stages import describe_events, events, label, labels, one_event, run


def run_at(nlp, text: str, published: str):
    """Extract `text` published on an ISO date at any precision ("2020-10", "2020")."""
    day, precision = anchor_of(published)
    return extract(Article(id="real-test", text=text, published=day, published_precision=precision), nlp)


def participants(x, event) -> set[str]:
    return labels(x, event.participants)


# ---------------------------------------------------------------- dates


def test_dates_against_a_month_of_publication(nlp):
    x = run_at(nlp, "La canciller Marta Ibáñez Cortés se reunió este lunes en Lima con el ministro Pablo Ruiz Soto.", "2020-10")
    assert one_event(x, "Meeting").time.value == "2020-10"


def test_dateline_city_is_where_the_story_was_filed(nlp):
    """'Madrid, 3 feb (EFE).-' names no acting state: the meeting is the two ministers'."""
    x = run(nlp, "Madrid, 3 feb (EFE).- El ministro de Asuntos Exteriores chileno, Tomás Erazo Vidal, mantuvo este "
                 "martes una reunión con su homólogo de Perú, Raúl Quispe Mamani, en Madrid.")
    assert participants(x, one_event(x, "Meeting")) == {"Tomás Erazo Vidal", "Raúl Quispe Mamani"}
    assert not any(e.type == "Country" and e.label == "España" for e in x.entities)


def test_a_bare_weekday_in_a_past_clause_is_the_last_one(nlp):
    """'una reunión realizada el viernes' in an article of a Wednesday: two days before."""
    x = run(nlp, "El canciller Martín Olivera Sosa invitó a la ministra Lucía Andrade Paz durante una reunión bilateral "
                 "realizada el viernes en Lima.")  # published Tuesday 2026-03-10
    assert one_event(x, "Meeting").time.value == "2026-03-06"


# ---------------------------------------------------------------- reception, nominal events, support verbs


def test_reception_is_a_meeting_and_a_visit(nlp):
    x = run(nlp, "El canciller uruguayo, Martín Olivera Sosa, recibió este lunes en Montevideo a su homóloga de Ecuador, "
                 "Lucía Andrade Paz.")
    meeting, visit = one_event(x, "Meeting"), one_event(x, "Visit")
    assert participants(x, meeting) == participants(x, visit) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}
    assert labels(x, visit.actors) == {"Lucía Andrade Paz"}


def test_reception_and_the_visit_told_apart_are_one_trip(nlp):
    x = run(nlp, "La ministra Lucía Andrade Paz fue recibida por el canciller Martín Olivera Sosa, y la ministra "
                 "cumple una visita oficial a Uruguay.")
    assert len(events(x, "Visit")) == 1, describe_events(x)


@pytest.mark.parametrize("text", [
    "Los cancilleres Martín Olivera Sosa y Lucía Andrade Paz alcanzaron un acuerdo para reabrir el paso fronterizo.",
    "Martín Olivera Sosa y Lucía Andrade Paz coincidieron en impulsar la integración eléctrica.",
    "Martín Olivera Sosa se reunió con Lucía Andrade Paz. Ambos reafirmaron su compromiso con la integración regional.",
])
def test_agreement_words(nlp, text):
    x = run(nlp, text)
    assert participants(x, one_event(x, "Agreement")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


def test_an_agreement_named_as_a_document_is_no_event(nlp):
    x = run(nlp, "El acuerdo de libre comercio entre Uruguay y Ecuador entrará en vigor en marzo.")
    assert events(x, "Agreement") == [], describe_events(x)


@pytest.mark.parametrize("text", [
    "El presidente Martín Olivera Sosa mantuvo una comunicación telefónica con la presidenta Lucía Andrade Paz.",
    "El presidente Martín Olivera Sosa habló con la presidenta Lucía Andrade Paz por medio de un enlace de video.",
])
def test_phone_call_words(nlp, text):
    x = run(nlp, text)
    assert participants(x, one_event(x, "PhoneCall")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


def test_visit_noun_with_its_visitor_and_destination(nlp):
    x = run(nlp, "Las autoridades preparan la próxima visita de Martín Olivera Sosa a Quito.")
    visit = one_event(x, "Visit", "planned")
    assert labels(x, visit.actors) == {"Martín Olivera Sosa"} and label(x, visit.destination) == "Quito"


def test_a_trip_of_the_sentence_subject(nlp):
    x = run(nlp, "En su viaje a Quito, el canciller Martín Olivera Sosa firmó dos convenios comerciales.")
    assert labels(x, one_event(x, "Visit").actors) == {"Martín Olivera Sosa"}


def test_meeting_between_a_plural_anaphor(nlp):
    x = run(nlp, "El canciller Martín Olivera Sosa viajó a Quito para ver a la ministra Lucía Andrade Paz. Durante una "
                 "reunión entre ambos diplomáticos, repasaron la agenda bilateral.")
    assert participants(x, one_event(x, "Meeting")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


# ---------------------------------------------------------------- sides: one event each, and from the scene


def test_a_meeting_with_each_when_con_is_repeated(nlp):
    x = run(nlp, "El canciller Martín Olivera Sosa se reunirá con el presidente Jorge Salinas Vega, con la ministra "
                 "Lucía Andrade Paz y con el alcalde Pedro Ibarra Luna.")
    sides = {frozenset(participants(x, e)) for e in events(x, "Meeting")}
    assert sides == {frozenset({"Martín Olivera Sosa", other}) for other in
                     ("Jorge Salinas Vega", "Lucía Andrade Paz", "Pedro Ibarra Luna")}, describe_events(x)


def test_one_meeting_with_both_when_con_is_not_repeated(nlp):
    x = run(nlp, "El canciller Martín Olivera Sosa se reunió con Jorge Salinas Vega y Lucía Andrade Paz.")
    assert len(events(x, "Meeting")) == 1, describe_events(x)


def test_calls_with_several_states_are_one_call_each(nlp):
    x = run(nlp, "El presidente ruso, Iván Petrov Orlov, mantuvo conversaciones telefónicas con los presidentes de "
                 "Bolivia, Paraguay y Honduras.")
    sides = {frozenset(participants(x, e)) for e in events(x, "PhoneCall")}
    assert sides == {frozenset({"Iván Petrov Orlov", s}) for s in ("Bolivia", "Paraguay", "Honduras")}, describe_events(x)


def test_a_bare_meeting_noun_takes_the_sides_of_its_scene(nlp):
    x = run(nlp, "La canciller Lucía Andrade Paz invitó a su homólogo Martín Olivera Sosa a visitar Quito. La invitación "
                 "se produjo en una reunión bilateral celebrada el viernes en Lima.")
    assert participants(x, one_event(x, "Meeting")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


def test_a_meeting_of_states_takes_the_states_of_the_story(nlp):
    x = run(nlp, "Ecuador y Perú repasaron su agenda de frontera. El Gabinete Binacional se celebrará en diciembre en "
                 "Loja, informaron las cancillerías de Ecuador y Perú.")
    assert participants(x, one_event(x, "Meeting", "planned")) == {"Ecuador", "Perú"}


# ---------------------------------------------------------------- subjects the parser misses


def test_subject_after_a_long_opening_phrase(nlp):
    x = run(nlp, "El pasado 3 de marzo, al margen de la cumbre del G20 en Lima, el ministro de Exteriores de Rusia, "
                 "Iván Petrov Orlov, se reunió con el canciller de Brasil, Joaquim Barbosa Lima.")
    assert {"Iván Petrov Orlov", "Joaquim Barbosa Lima"} in [participants(x, e) for e in events(x, "Meeting")]


def test_subject_glued_to_a_place_by_the_parser(nlp):
    x = run(nlp, "En su viaje a Canadá Martín Olivera Sosa se reunió asimismo con el secretario general de la "
                 "Organización de Estados Americanos, Jorge Salinas Vega.")
    assert participants(x, one_event(x, "Meeting")) == {"Martín Olivera Sosa", "Jorge Salinas Vega"}
    assert labels(x, one_event(x, "Visit").actors) == {"Martín Olivera Sosa"}


def test_a_meeting_framed_as_foreseen_is_planned(nlp):
    x = run(nlp, "Está previsto que el canciller Martín Olivera Sosa mantenga un encuentro con la ministra Lucía Andrade Paz.")
    assert one_event(x, "Meeting").status == "planned"


def test_agreement_reached_by_states_and_impersonal(nlp):
    x = run(nlp, "En 2016 Argentina y Chile llegaron a un acuerdo histórico sobre pesca.")
    assert participants(x, one_event(x, "Agreement")) == {"Argentina", "Chile"}
    x = run(nlp, "El presidente de Panamá, Martín Olivera Sosa, recibió al presidente de Costa Rica, Jorge Salinas Vega. "
                 "Ambos países se comprometieron a modernizar sus pasos de frontera.")
    # the states act, and the presidents for them
    assert participants(x, one_event(x, "Agreement")) == {"Panamá", "Costa Rica", "Martín Olivera Sosa", "Jorge Salinas Vega"}


def test_impersonal_agreement_at_a_meeting_of_states(nlp):
    x = run(nlp, "El ministro de Exteriores de España, Tomás Erazo Vidal, recibió a su homólogo de Mauritania, Raúl "
                 "Quispe Mamani. Ambos repasaron la III Reunión de Alto Nivel celebrada en julio, en la que se acordó la "
                 "concesión de un crédito a Mauritania.")
    assert {"España", "Mauritania"} in [participants(x, e) for e in events(x, "Meeting")], describe_events(x)
    assert participants(x, one_event(x, "Agreement")) == {"España", "Mauritania"}


def test_agreements_signed_at_the_meeting_told_before(nlp):
    x = run(nlp, "El canciller Martín Olivera Sosa se reunió con la ministra Lucía Andrade Paz en Quito. Durante esa "
                 "cita se firmaron dos convenios sobre vacunas.")
    assert participants(x, one_event(x, "AgreementSigning")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


def test_the_leaders_of_the_states_the_sentence_names(nlp):
    x = run(nlp, "El presidente de Chile, Martín Olivera Sosa, habló por teléfono con el presidente de Rusia, Iván Petrov "
                 "Orlov. El presidente de Perú, Jorge Salinas Vega, había viajado a Santiago. Las relaciones entre Chile y "
                 "Perú se afianzaron después de una reunión entre los líderes celebrada en marzo.")
    assert {"Martín Olivera Sosa", "Jorge Salinas Vega"} in [participants(x, e) for e in events(x, "Meeting")], describe_events(x)


def test_talks_after_a_call_are_no_call(nlp):
    x = run(nlp, "El presidente Martín Olivera Sosa habló por teléfono con la presidenta Lucía Andrade Paz. Meses antes, "
                 "las conversaciones entre las delegaciones de Chile y Perú avanzaron en Lima.")
    assert len(events(x, "PhoneCall")) == 1, describe_events(x)


def test_a_summit_named_again_by_its_organization_is_the_same_meeting(nlp):
    x = run(nlp, "El presidente Martín Olivera Sosa y la presidenta Lucía Andrade Paz participaron en la cumbre de la "
                 "Unión Europea en Bruselas. La foto muestra a los asistentes durante la cumbre de la Unión Europea.")
    assert len(events(x, "Meeting")) == 1, describe_events(x)


def test_members_in_brackets_only_detail_the_organization(nlp):
    x = run(nlp, "La Unión Europea y los países del Mercosur (Argentina, Brasil, Paraguay y Uruguay) alcanzaron un "
                 "acuerdo comercial.")
    assert participants(x, one_event(x, "Agreement")) == {"Unión Europea", "Mercado Común del Sur"}


@pytest.mark.parametrize("prep", ["por", "a"])
def test_a_trip_made_at_someones_invitation(nlp, prep):
    x = run(nlp, f"La canciller argentina, Lucía Andrade Paz, visitó Bogotá {prep} invitación del canciller de Colombia, "
                 "Martín Olivera Sosa.")
    invitation = one_event(x, "Invitation")
    assert labels(x, invitation.actors) == {"Martín Olivera Sosa"}
    assert labels(x, invitation.counterparts) == {"Lucía Andrade Paz"}
    assert labels(x, one_event(x, "Visit").actors) == {"Lucía Andrade Paz"}


def test_a_meeting_of_a_joint_commission_is_one_of_its_states(nlp):
    x = run(nlp, "La primera reunión de la Comisión Binacional de Alto Nivel Ecuador-Perú se celebró en enero en Loja.")
    assert {"Ecuador", "Perú"} <= participants(x, one_event(x, "Meeting"))


def test_welcoming_a_visitor_is_a_reception(nlp):
    x = run(nlp, "El presidente Martín Olivera Sosa dio la bienvenida a la presidenta Lucía Andrade Paz en Quito.")
    assert labels(x, one_event(x, "Meeting").actors) == {"Lucía Andrade Paz"}
    assert labels(x, one_event(x, "Visit").actors) == {"Lucía Andrade Paz"}


def test_political_consultations_are_a_meeting(nlp):
    x = run(nlp, "Ecuador y Perú celebraron en Lima la primera ronda de consultas políticas bilaterales.")
    assert participants(x, one_event(x, "Meeting")) == {"Ecuador", "Perú"}
    x = run(nlp, "Ecuador llamó a consultas a su embajador en Perú.")
    assert events(x, "Meeting") == []


def test_the_signing_named_first_by_its_noun(nlp):
    x = run(nlp, "Tras la firma del tratado, el canciller Martín Olivera Sosa y la ministra Lucía Andrade Paz ofrecieron "
                 "una rueda de prensa.")
    assert participants(x, one_event(x, "AgreementSigning")) == {"Martín Olivera Sosa", "Lucía Andrade Paz"}


def test_an_event_under_a_future_verb_is_planned(nlp):
    x = run(nlp, "Los gobiernos de Ecuador y Perú volverán a reunirse en Quito.")
    assert one_event(x, "Meeting").status == "planned"


# ---------------------------------------------------------------- states and governments as actors


def test_states_act_through_titles_capitals_and_coordination(nlp):
    x = run(nlp, "Los cancilleres de Perú y Bolivia acordaron reabrir el paso fronterizo. Caracas revocó las visas de "
                 "los diplomáticos colombianos.")
    assert participants(x, one_event(x, "Agreement")) == {"Perú", "Bolivia"}
    sanction = one_event(x, "Sanction")
    assert labels(x, sanction.actors) == {"Venezuela"} and labels(x, sanction.counterparts) == {"Colombia"}


def test_status_of_purposes_and_plural_plans(nlp):
    x = run(nlp, "El canciller Martín Olivera Sosa aprovechó la llamada para invitar a la ministra Lucía Andrade Paz a "
                 "visitar Quito.")
    assert one_event(x, "Invitation").status == "occurred"
    x = run(nlp, "Ecuador y Perú anunciaron que están previstas próximas reuniones de sus comisiones de cooperación.")
    assert {e.status for e in events(x, "Meeting")} == {"planned"}, describe_events(x)


def test_both_governments_after_two_officials_with_no_event_between(nlp):
    x = run(nlp, "La presidenta de Chile, Lucía Andrade Paz, y el mandatario uruguayo, Jorge Salinas Vega, hablaron con "
                 "la prensa. Después, ambos gobiernos firmaron un memorándum sobre energía solar.")
    assert {"Chile", "Uruguay"} <= participants(x, one_event(x, "AgreementSigning"))
