"""Statements (events/statements.py, lang/es/statements.json): words of an actor that are
news of their own, and the words that are only the evidence or colour of another event.
Every sentence here is invented for these tests (fictional persons)."""

from __future__ import annotations

import pytest

from test_extract_stages import describe_events, events, labels, one_event, run


def speakers(x, event) -> set[str]:
    return labels(x, event.actors)


# ---------------------------------------------------------------- what is a statement


@pytest.mark.parametrize(
    "text",
    [
        "La canciller Marta Ibáñez Cortés afirmó que su país mantendrá su postura sobre la disputa territorial.",
        "La canciller Marta Ibáñez Cortés aseguró este lunes que la frontera permanecerá abierta.",
        "La canciller Marta Ibáñez Cortés advirtió que su Gobierno no tolerará más demoras en el proceso de paz.",
        "\"Nuestra posición no ha cambiado\", sostuvo la canciller Marta Ibáñez Cortés.",
        "\"Nuestra posición no ha cambiado\", dijo Marta Ibáñez Cortés en Lima.",
    ],
    ids=["afirmo-que", "aseguro-que", "advirtio", "inverted-quote", "name-after-verb"],
)
def test_report_verbs_make_a_statement_of_the_speaker(nlp, text):
    x = run(nlp, text)
    statement = one_event(x, "Statement")
    assert speakers(x, statement) == {"Marta Ibáñez Cortés"}, describe_events(x)


@pytest.mark.parametrize(
    "text",
    [
        "El presidente Julio Fuentes Olmedo alabó las relaciones con Paraguay.",
        "El presidente Julio Fuentes Olmedo agradeció la ayuda humanitaria enviada por Paraguay.",
        "El presidente Julio Fuentes Olmedo reiteró que su país respalda la mediación regional.",
        "El presidente Julio Fuentes Olmedo expresó su plena disponibilidad para ampliar la cooperación regional.",
        "El presidente Julio Fuentes Olmedo se posicionó sobre la crisis política en la región.",
        "El presidente Julio Fuentes Olmedo no dudó en subrayar cuánto pesa la región en la economía mundial.",
    ],
    ids=["alabo", "agradecio", "reitero", "expreso-disponibilidad", "se-posiciono", "no-dudo-en"],
)
def test_stance_verbs_make_a_statement(nlp, text):
    x = run(nlp, text)
    statement = one_event(x, "Statement")
    assert speakers(x, statement) == {"Julio Fuentes Olmedo"}, describe_events(x)


def test_a_call_names_its_addressee(nlp):
    x = run(nlp, "El Gobierno de Chile instó al gobierno boliviano a retomar el diálogo.")
    statement = one_event(x, "Statement")
    assert "Chile" in " ".join(labels(x, statement.actors))
    assert any("Bolivia" in name or "boliviano" in name for name in labels(x, statement.counterparts)), describe_events(x)


def test_a_call_on_both_sides_keeps_only_the_speaker(nlp):
    # "a ambos países": an anaphor, not a named addressee
    x = run(nlp, "Chile y Bolivia rompieron relaciones. El portavoz de la ONU, Tomás Elgueta Varas, "
                 "instó a ambos países a preservar el diálogo.")
    statement = one_event(x, "Statement")
    assert labels(x, statement.participants) == {"Tomás Elgueta Varas"}, describe_events(x)


def test_a_supported_cause_is_no_addressee(nlp):
    x = run(nlp, "El presidente Julio Fuentes Olmedo expresó su apoyo a la transición política de Paraguay.")
    statement = one_event(x, "Statement")
    assert labels(x, statement.participants) == {"Julio Fuentes Olmedo"}, describe_events(x)


# ---------------------------------------------------------------- one statement per speaker


def test_several_sentences_of_one_speaker_are_one_statement(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés afirmó que su país mantendrá su postura. "
                 "Asimismo, destacó las buenas relaciones con Uruguay. "
                 "\"Seguiremos trabajando por la integración\", señaló.")
    statement = one_event(x, "Statement")
    assert speakers(x, statement) == {"Marta Ibáñez Cortés"}, describe_events(x)


def test_two_speakers_are_two_statements(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés afirmó que su país mantendrá su postura. "
                 "El presidente Julio Fuentes Olmedo alabó las relaciones con Uruguay.")
    found = events(x, "Statement")
    assert {frozenset(speakers(x, s)) for s in found} == {frozenset({"Marta Ibáñez Cortés"}), frozenset({"Julio Fuentes Olmedo"})}


def test_the_bodies_of_one_state_speak_with_one_voice(nlp):
    x = run(nlp, "El Ministerio de Relaciones Exteriores de Perú aseguró que mantendrá su representación consular. "
                 "El Gobierno de Perú reafirmó que apoya una salida negociada.")
    assert len(events(x, "Statement")) == 1, describe_events(x)


def test_an_anaphoric_body_speaks_for_the_body_named_before(nlp):
    x = run(nlp, "El Ministerio de Relaciones Exteriores de Perú publicó un balance. "
                 "El ministerio aseguró que la frontera permanecerá abierta.")
    statement = one_event(x, "Statement")
    [actor] = labels(x, statement.actors)
    assert actor.startswith("Ministerio de Relaciones Exteriores"), describe_events(x)


# ---------------------------------------------------------------- words of another event


@pytest.mark.parametrize(
    "text, other",
    [
        ("La canciller Marta Ibáñez Cortés dijo que se reunió con el ministro Julio Fuentes Olmedo.", "Meeting"),
        ("\"Julio Fuentes Olmedo aceptó la invitación\", afirmó la canciller Marta Ibáñez Cortés.", None),
        ("La canciller Marta Ibáñez Cortés se reunió con el ministro Julio Fuentes Olmedo. "
         "\"La reunión fue muy productiva\", dijo Ibáñez Cortés.", "Meeting"),
        ("La canciller Marta Ibáñez Cortés se reunió con el ministro Julio Fuentes Olmedo. "
         "Ibáñez Cortés afirmó que el encuentro fue muy productivo.", "Meeting"),
    ],
    ids=["says-another-event", "quote-names-another-event", "comment-on-the-meeting", "the-encounter-was"],
)
def test_words_that_report_another_event_are_its_evidence(nlp, text, other):
    x = run(nlp, text)
    assert not events(x, "Statement"), describe_events(x)
    if other:
        assert events(x, other), describe_events(x)


def test_a_quote_beside_the_speakers_meeting_is_its_colour(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés se reunió con el ministro Julio Fuentes Olmedo en Lima. "
                 "\"La integración es el camino de nuestros pueblos\", afirmó Ibáñez Cortés ante la prensa.")
    assert events(x, "Meeting") and not events(x, "Statement"), describe_events(x)


def test_a_message_of_its_own_beside_the_meeting_is_a_statement(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés se reunió con el ministro Julio Fuentes Olmedo en Lima. "
                 "\"La integración es el camino de nuestros pueblos\", escribió y afirmó Ibáñez Cortés en su cuenta de la red social X.")
    assert events(x, "Meeting")
    statement = one_event(x, "Statement")
    assert speakers(x, statement) == {"Marta Ibáñez Cortés"}


def test_words_beside_the_speakers_state_sanction_go_with_it(nlp):
    x = run(nlp, "El Departamento del Tesoro de Estados Unidos impuso sanciones contra tres funcionarios venezolanos. "
                 "El secretario del Tesoro, Pablo Herrera Lince, afirmó que su país seguirá del lado del pueblo venezolano.")
    assert events(x, "Sanction") and not events(x, "Statement"), describe_events(x)


def test_a_demand_made_with_a_protest_is_the_protest(nlp):
    x = run(nlp, "La Cancillería de Uruguay exigió la liberación de los detenidos y criticó al Gobierno de Bolivia.")
    assert not events(x, "Statement"), describe_events(x)


# ---------------------------------------------------------------- not statements at all


@pytest.mark.parametrize(
    "text",
    [
        "Según afirmó la canciller Marta Ibáñez Cortés, la frontera permanecerá abierta.",
        "La nota agrega que la frontera permanecerá abierta.",
        "Los funcionarios indicaron que la frontera permanecerá abierta.",
        "Se destaca que la frontera permanecerá abierta.",
        "La canciller Marta Ibáñez Cortés dijo que su país evalúa llevar el caso ante la OEA.",
        "La canciller Marta Ibáñez Cortés destacó que el comercio bilateral superó los 300 millones de dólares.",
        "La canciller Marta Ibáñez Cortés no quiso destacar las diferencias con Uruguay.",
        "La canciller Marta Ibáñez Cortés sostuvo una reunión con el ministro Julio Fuentes Olmedo.",
        "El canciller de Chile, Pedro Lagos Vial, conversó por teléfono con su homóloga peruana, "
        "Elena Soto Ruiz, para expresarle su solidaridad.",
        "La iniciativa, respaldada por la canciller Marta Ibáñez Cortés, fue aprobada.",
    ],
    ids=["sourcing", "a-note", "unnamed-officials", "impersonal", "hypothesis", "figures", "negated-carrier",
         "support-verb", "purpose", "adjectival-participle"],
)
def test_not_a_statement(nlp, text):
    x = run(nlp, text)
    assert not events(x, "Statement"), describe_events(x)


# ---------------------------------------------------------------- refinements


def test_both_peoples_is_no_figure(nlp):
    x = run(nlp, "La Cancillería de Uruguay aseguró que mantendrá su representación consular para promover "
                 "los vínculos entre ambos pueblos.")
    assert len(events(x, "Statement")) == 1, describe_events(x)


def test_support_offered_beside_a_protest_is_still_a_statement(nlp):
    # a demand made with the protest belongs to it; an offer of goodwill is words of its own
    x = run(nlp, "El Gobierno de Uruguay criticó la decisión del Gobierno de Bolivia y expresó su plena "
                 "disponibilidad para retomar el diálogo.")
    assert len(events(x, "Statement")) == 1, describe_events(x)


def test_a_joint_statement_of_two_ministers_is_their_states_too(nlp):
    x = run(nlp, "La canciller de Uruguay, Marta Ibáñez Cortés, y el canciller de Paraguay, Julio Fuentes Olmedo, "
                 "manifestaron su voluntad de ampliar la cooperación regional.")
    statement = one_event(x, "Statement")
    assert {"Uruguay", "Paraguay"} <= labels(x, statement.participants), describe_events(x)


@pytest.mark.parametrize(
    "text, other",
    [
        ("La canciller Marta Ibáñez Cortés invitó al ministro Julio Fuentes Olmedo a visitar Lima. "
         "El ministro agradeció la invitación.", "Invitation"),
        ("El ministro Julio Fuentes Olmedo reiteró su rechazo a las sanciones impuestas por Chile.", "Criticism"),
        ("El ministro Julio Fuentes Olmedo manifestó su rechazo a la decisión del Gobierno de Chile.", "Criticism"),
    ],
    ids=["thanks-for-an-invitation", "reiterated-rejection", "expressed-rejection"],
)
def test_a_verb_that_carries_another_events_noun_is_that_event(nlp, text, other):
    x = run(nlp, text)
    assert events(x, other) and not events(x, "Statement"), describe_events(x)


def test_a_bare_feminine_title_is_the_holder_named_in_the_feminine(nlp):
    x = run(nlp, "El presidente de Paraguay, Julio Fuentes Olmedo, visitó Santiago, donde fue recibido por la "
                 "presidenta de Chile, Marta Ibáñez Cortés. Más tarde, la Presidenta elogió la cooperación regional.")
    statement = one_event(x, "Statement")
    assert speakers(x, statement) == {"Marta Ibáñez Cortés"}, describe_events(x)


def test_where_someone_enters_is_no_addressee(nlp):
    x = run(nlp, "La presidenta Marta Ibáñez Cortés entregó sus cálidas felicitaciones por el ingreso de Paraguay "
                 "al Consejo de Seguridad de las Naciones Unidas.")
    statement = one_event(x, "Statement")
    assert labels(x, statement.participants) == {"Marta Ibáñez Cortés"}, describe_events(x)


@pytest.mark.parametrize(
    "text",
    [
        "El Gobierno de Chile pidió al Gobierno de Bolivia que retome el diálogo.",
        "La canciller Marta Ibáñez Cortés consideró que la crisis regional exige una respuesta coordinada.",
        "La canciller Marta Ibáñez Cortés valoró el compromiso de Uruguay con la integración regional.",
    ],
    ids=["pidio", "considero-que", "valoro"],
)
def test_more_statement_verbs(nlp, text):
    x = run(nlp, text)
    assert len(events(x, "Statement")) == 1, describe_events(x)


def test_praise_of_the_meeting_is_its_colour(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés se reunió con el ministro Julio Fuentes Olmedo en Lima. "
                 "Ibáñez Cortés valoró el tono constructivo del encuentro.")
    assert events(x, "Meeting") and not events(x, "Statement"), describe_events(x)


def test_companions_of_a_letter_ask_too(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés, junto con los cancilleres de Paraguay y Bolivia, "
                 "firmó una carta en la cual reclamaban acelerar la integración regional.")
    statement = one_event(x, "Statement")
    assert {"Marta Ibáñez Cortés", "Paraguay", "Bolivia"} <= labels(x, statement.participants), describe_events(x)


def test_a_year_or_a_day_is_no_figure(nlp):
    x = run(nlp, "La canciller Marta Ibáñez Cortés aseguró que su país mantendrá su postura en 2027 "
                 "y que la frontera seguirá abierta después del 15 de marzo.")
    assert len(events(x, "Statement")) == 1, describe_events(x)
