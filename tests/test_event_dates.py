"""Dates of extracted events that the text gives relative to another date, by a dateline,
counted back from publication, or not at all (inherited from the events around them).
Every sentence here is invented for these tests (fictional persons)."""

from __future__ import annotations

from test_events_real import run_at
from test_extract_stages import describe_events, events, one_event


def test_un_dia_antes_counts_from_the_last_dated_event(nlp):
    x = run_at(nlp, "El canciller chileno, Andrés Molina Rojas, se reunió el martes en Santiago con su homólogo "
                    "peruano, Jorge Salas Vega.\n\nUn día antes, la ministra boliviana, Carla Ríos Paz, condenó las "
                    "sanciones de Estados Unidos contra Venezuela.", "2025-07-02")
    assert one_event(x, "Meeting").time.value == "2025-07-01"
    assert one_event(x, "Criticism").time.value == "2025-06-30"


def test_el_mismo_dia_is_the_date_said_before(nlp):
    x = run_at(nlp, "Según un comunicado publicado el jueves 3 de julio, Perú expulsó a dos diplomáticos de Bolivia.\n\n"
                    "La Cancillería peruana convocó el mismo día al embajador boliviano, Luis Arce Mamani, y protestó "
                    "por las declaraciones del gobierno de Bolivia.", "2025-07-05")
    assert one_event(x, "Criticism").time.value == "2025-07-03", describe_events(x)


def test_a_dateline_dates_the_events_that_give_no_time(nlp):
    """The date an article opens with; 'lo anunciado el pasado 2 de febrero' is another act."""
    x = run_at(nlp, "Jueves 12 marzo 2026.\nEn seguimiento de lo anunciado el pasado 2 de febrero, la canciller "
                    "ecuatoriana, Lucía Andrade Paz, visitó Uruguay por invitación del canciller Martín Olivera Sosa.\n"
                    "Ambos cancilleres sostuvieron un encuentro en el Palacio Santos.", "2026-03-12")
    assert one_event(x, "Visit").time.value == "2026-03-12"
    assert one_event(x, "Meeting").time.value == "2026-03-12"


def test_hace_una_semana_dates_the_letter_of_the_clause(nlp):
    x = run_at(nlp, "El presidente de Chile y el presidente de Argentina remitieron hace una semana una misiva en la que "
                    "pedían acelerar la integración.", "2025-06-28")
    assert one_event(x, "Statement").time.value == "2025-06"


def test_a_host_noun_dates_its_relative_clause_in_the_clause_tense(nlp):
    """'tras una reunión en octubre, donde se alcanzó un acuerdo': the last October, the
    agreement occurred (a noun host has no tense of its own)."""
    x = run_at(nlp, "Las relaciones entre Chile y Bolivia mejoraron tras una reunión entre los presidentes en octubre en "
                    "La Paz, donde se alcanzó un acuerdo sobre el litio.", "2026-02-04")
    agreement = one_event(x, "Agreement")
    assert (agreement.status, agreement.time.value) == ("occurred", "2025-10")


def test_n_days_after_counts_back_from_the_host(nlp):
    x = run_at(nlp, "La canciller argentina, Valeria Soto Paz, anunció este jueves la ruptura de relaciones con Irán, "
                    "tres días después de que Argentina expulsara a dos diplomáticos iraníes.", "2026-09-17")
    assert sorted(e.time.value for e in events(x, "RelationsDowngrade")) == ["2026-09-14", "2026-09-17"]


def test_shortly_before_the_host_is_known_to_its_month(nlp):
    x = run_at(nlp, "Chile y Bolivia firmaron el domingo un acuerdo comercial, poco después de que Bolivia dijera que "
                    "había roto relaciones con Paraguay.", "2026-03-22")
    assert one_event(x, "AgreementSigning").time.value == "2026-03-22"
    assert one_event(x, "RelationsDowngrade").time.value == "2026-03"


def test_a_background_month_in_another_paragraph_dates_nothing_after_it(nlp):
    """'en enero' of a background paragraph: the later meeting takes the news date."""
    x = run_at(nlp, "La canciller uruguaya, Marta Ibáñez Cortés, se reunió este miércoles en Washington con el secretario "
                    "de Estado, John Miller.\n\nEl diario local informó que el presidente uruguayo le manifestó en enero "
                    "su interés en un tratado.\n\nDurante la gira, Ibáñez mantuvo además un encuentro con el secretario "
                    "general de la OEA, Pablo Ferrán.", "2020-10")
    assert [e.time.value for e in events(x, "Meeting")] == ["2020-10", "2020-10"], describe_events(x)


def test_a_date_said_after_an_event_is_not_inherited_by_it(nlp):
    """A background date said at the end ('el 12 de mayo de 1903'), carried back to an
    earlier mention its event was merged with, dates nothing said before it."""
    x = run_at(nlp, "Los presidentes de Chile y Bolivia, Raúl Soto Vera y Ana Quispe Luna, acordaron el viernes fortalecer "
                    "la relación bilateral.\nChile y Bolivia se comprometieron a revisar sus controles aduaneros.\n"
                    "«Chile y Bolivia insisten en que Venezuela tiene que aceptar el resultado de las urnas», agrega el "
                    "comunicado.\nChile y Bolivia establecieron relaciones diplomáticas el 12 de mayo de 1903.", "2024-08-23")
    assert one_event(x, "Statement").time.value == "2024-08-23", describe_events(x)


def test_plans_of_a_trip_under_way_today_take_its_day(nlp):
    x = run_at(nlp, "El canciller de Uruguay, Martín Olivera Sosa, cumple hoy una visita de trabajo a Bolivia.\n\n"
                    "En La Paz, Olivera se reunirá con el presidente boliviano, Raúl Quispe Luna.\n\n"
                    "Además, el canciller expresará su apoyo a la integración regional.", "2025-05-14")
    assert one_event(x, "Meeting", "planned").time.value == "2025-05-14"
    assert one_event(x, "Statement", "planned").time.value == "2025-05-14"


def test_a_plan_takes_no_past_date(nlp):
    x = run_at(nlp, "El canciller de Uruguay, Martín Olivera Sosa, llegó ayer a Bolivia.\n\n"
                    "En La Paz, Olivera se reunirá con el presidente boliviano, Raúl Quispe Luna.", "2025-05-14")
    assert one_event(x, "Meeting", "planned").time is None
