"""Hostile acts and their repair: criticism, sanctions, downgrades of relations, and the
restoring of relations (an Agreement). Every sentence here is invented for these tests
(fictional persons)."""

from __future__ import annotations

from test_extract_stages import describe_events, events, labels, one_event, run


def parts(x, event) -> set[str]:
    return labels(x, event.participants)


# ---------------------------------------------------------------- criticism


def test_invented_names_are_persons(nlp):
    x = run(nlp, "El canciller uruguayo, Tomás Aguirre Benítez, recibió a la canciller Lucía Mendoza Rivas y al ministro Ramiro Salcedo Vidal.")
    persons = {e.label for e in x.entities if e.type == "Person"}
    assert {"Tomás Aguirre Benítez", "Lucía Mendoza Rivas", "Ramiro Salcedo Vidal"} <= persons


def test_lamenting_a_decision_criticises_its_author(nlp):
    x = run(nlp, "La Cancillería de Bolivia lamentó la decisión del gobierno de Paraguay de retirar a su embajador en La Paz.")
    crit = one_event(x, "Criticism")
    assert {"Paraguay", "Bolivia"} <= parts(x, crit)
    assert "Paraguay" in labels(x, crit.counterparts)
    # the decision is itself a downgrade by Paraguay against Bolivia (its own envoy is no party)
    down = one_event(x, "RelationsDowngrade")
    assert {"Paraguay", "Bolivia"} <= parts(x, down) and "Paraguay" in labels(x, down.actors)


def test_condemning_an_attack_names_its_author_and_target(nlp):
    x = run(nlp, "El canciller uruguayo, Tomás Aguirre Benítez, condenó el ataque de Venezuela contra Guyana.")
    assert parts(x, one_event(x, "Criticism")) == {"Tomás Aguirre Benítez", "Venezuela", "Guyana"}


def test_summoning_an_ambassador_in_protest(nlp):
    x = run(nlp, "El Gobierno de Chile convocó al embajador de Hungría en Santiago como señal de protesta contra las sanciones adoptadas por la Unión Europea.")
    crit = one_event(x, "Criticism")
    assert {"Chile", "Hungría"} <= parts(x, crit)
    sanction = one_event(x, "Sanction")
    assert labels(x, sanction.actors) == {"Unión Europea"} and "Chile" in labels(x, sanction.counterparts)


def test_criticism_noun_with_author_and_target(nlp):
    x = run(nlp, "Las críticas del presidente Ramiro Salcedo Vidal a la decisión de Brasil tensaron la relación bilateral.")
    crit = one_event(x, "Criticism")
    assert labels(x, crit.actors) == {"Ramiro Salcedo Vidal"} and labels(x, crit.counterparts) == {"Brasil"}


def test_a_protest_note_is_a_criticism(nlp):
    x = run(nlp, "El Gobierno de Chile presentó una nota de protesta por la decisión de Argentina.")
    crit = one_event(x, "Criticism")
    assert {"Chile", "Argentina"} <= parts(x, crit)


def test_lamenting_a_death_is_no_criticism(nlp):
    x = run(nlp, "El canciller Tomás Aguirre Benítez lamentó el fallecimiento del expresidente.")
    assert not events(x, "Criticism"), describe_events(x)


# ---------------------------------------------------------------- sanctions


def test_revoked_visas_sanction_the_officials_state(nlp):
    x = run(nlp, "Washington revocó las visas de funcionarios nicaragüenses.")
    sanction = one_event(x, "Sanction")
    assert parts(x, sanction) == {"Estados Unidos", "Nicaragua"}


def test_sanctions_given_as_the_reason_of_a_recall(nlp):
    x = run(nlp, "El Gobierno de Perú llamó a consultas a su embajador en Chile en represalia por el nuevo paquete de sanciones aprobado por la Unión Europea.")
    sanction = one_event(x, "Sanction")
    assert labels(x, sanction.actors) == {"Unión Europea"} and labels(x, sanction.counterparts) == {"Perú"}
    down = one_event(x, "RelationsDowngrade")
    assert {"Perú", "Chile"} <= parts(x, down)


def test_suspended_aid_is_a_sanction(nlp):
    x = run(nlp, "El Gobierno de Chile suspendió la ayuda financiera a Bolivia.")
    sanction = one_event(x, "Sanction")
    assert {"Chile", "Bolivia"} <= parts(x, sanction)
    assert not events(x, "RelationsDowngrade")


# ---------------------------------------------------------------- downgrades


def test_expelled_ambassador_names_his_state(nlp):
    x = run(nlp, "El Gobierno de Ecuador expulsó al embajador colombiano en Quito, Julián Ortega Ruiz, y lo declaró persona non grata.")
    down = one_event(x, "RelationsDowngrade")
    assert {"Ecuador", "Colombia", "Julián Ortega Ruiz"} <= parts(x, down)
    assert "Colombia" in labels(x, down.counterparts)


def test_suspended_treaty_names_the_other_party_only(nlp):
    x = run(nlp, "Uruguay suspendió este martes un tratado de cooperación firmado con Paraguay en 2005, después de la crisis con Brasil.")
    down = one_event(x, "RelationsDowngrade")
    assert parts(x, down) == {"Uruguay", "Paraguay"}


def test_ending_an_accord_told_to_a_foreign_minister(nlp):
    x = run(nlp, "La canciller Lucía Mendoza Rivas notificó a su homólogo brasileño, Paulo Teixeira Lima, que Argentina dio por terminado el acuerdo pesquero.")
    down = one_event(x, "RelationsDowngrade")
    assert parts(x, down) == {"Argentina", "Lucía Mendoza Rivas", "Brasil"}


def test_two_breaks_in_opposite_directions_are_two_events(nlp):
    x = run(nlp, "Ecuador rompió sus relaciones diplomáticas con Nicaragua. Días después, Nicaragua puso fin a sus relaciones con Ecuador.")
    downs = events(x, "RelationsDowngrade")
    assert len(downs) == 2, describe_events(x)
    assert {frozenset(labels(x, d.actors)) for d in downs} == {frozenset({"Ecuador"}), frozenset({"Nicaragua"})}


def test_an_expulsion_restated_as_a_noun_is_one_event(nlp):
    x = run(nlp, "El Gobierno de Colombia expulsó a dos diplomáticos venezolanos. La expulsión de los diplomáticos venezolanos se decidió el lunes.")
    down = one_event(x, "RelationsDowngrade")
    assert "Venezuela" in labels(x, down.counterparts) and "Colombia" in labels(x, down.actors)


def test_withdrawal_of_own_ambassador_names_the_host_state(nlp):
    x = run(nlp, "El presidente Ramiro Salcedo Vidal anunció el retiro del embajador de su país en Bolivia.")
    down = one_event(x, "RelationsDowngrade")
    assert "Bolivia" in labels(x, down.counterparts)
    assert "Ramiro Salcedo Vidal" in labels(x, down.actors)


def test_government_of_a_person_acts_as_the_government(nlp):
    x = run(nlp, "El gobierno chileno de Tomás Aguirre Benítez lamentó la expulsión de los diplomáticos chilenos por Bolivia.")
    crit = one_event(x, "Criticism")
    assert "Tomás Aguirre Benítez" not in labels(x, crit.actors), describe_events(x)


# ---------------------------------------------------------------- repair


def test_restoring_relations_is_an_agreement(nlp):
    x = run(nlp, "Bolivia y Perú restablecieron este lunes sus relaciones diplomáticas.")
    assert parts(x, one_event(x, "Agreement")) == {"Bolivia", "Perú"}


def test_establishing_relations_is_an_agreement(nlp):
    x = run(nlp, "Honduras y Taiwán establecieron relaciones diplomáticas en 1965.")
    agreement = one_event(x, "Agreement")
    assert parts(x, agreement) == {"Honduras", "Taiwán"} and agreement.time.value == "1965"


def test_returning_ambassadors_is_an_agreement(nlp):
    x = run(nlp, "Chile y Bolivia acordaron reponer a sus embajadores.")
    assert parts(x, one_event(x, "Agreement")) == {"Chile", "Bolivia"}
