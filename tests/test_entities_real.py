"""Entity rules for the forms real news articles use (governments named by a demonym or by
their leader, organs of international organizations, capitals as metonyms, persons the
model tags as places, junk capitalised words, bylines).

Every sentence here is invented for these tests (fictional persons, real states and
organizations); none is taken from an article of any corpus.
"""

from __future__ import annotations

from tests.test_extract_stages import describe_entities, entities, find, run, the


# ---------------------------------------------------------------- governments and bodies


def test_lower_case_government_with_demonym(nlp):
    x = run(nlp, "El gobierno argentino y la cancillería uruguaya protestaron por la medida del gobierno chileno.")
    arg = the(x, "gobierno argentino", "GovernmentBody")
    uru = the(x, "cancillería uruguaya", "GovernmentBody")
    chi = the(x, "gobierno chileno", "GovernmentBody")
    assert len({arg.key, uru.key, chi.key}) == 3


def test_ministry_followed_by_demonym(nlp):
    x = run(nlp, "El Ministerio de Asuntos Exteriores marroquí convocó al encargado de negocios.")
    body = the(x, "Ministerio de Asuntos Exteriores marroquí", "GovernmentBody")
    assert find(x, "Ministerio de Asuntos Exteriores", "GovernmentBody") is body
    the(x, "Marruecos", "Country")


def test_lower_case_common_noun_with_demonym_is_no_body(nlp):
    x = run(nlp, "La policía boliviana detuvo a dos hombres cerca de la embajada iraní.")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


def test_regime_of_a_state_is_its_government(nlp):
    x = run(nlp, "La Cancillería chilena pidió que el régimen de Siria libere a los presos. El Gobierno sirio no respondió.")
    regime = the(x, "régimen de Siria", "GovernmentBody")
    assert find(x, "Gobierno sirio", "GovernmentBody") is regime


def test_leader_government_takes_the_leaders_state(nlp):
    x = run(nlp, "La presidenta boliviana, Marta Quispe Rojas, viajó a Lima. El Gobierno de Perú criticó "
                 "al Gobierno de Marta Quispe Rojas. El Gobierno boliviano no respondió.")
    person = the(x, "Marta Quispe Rojas", "Person")
    gov = the(x, "Gobierno de Marta Quispe Rojas", "GovernmentBody")
    peru = the(x, "Gobierno de Perú", "GovernmentBody")
    assert gov is not peru and person.key != gov.key
    assert find(x, "Gobierno boliviano", "GovernmentBody") is gov


def test_regime_of_an_unplaced_leader_stays_apart(nlp):
    x = run(nlp, "El Gobierno de España expulsó a un diplomático después de que el régimen de Tomás Arbelo Quiroga "
                 "expulsara al embajador español.")
    spain = the(x, "Gobierno de España", "GovernmentBody")
    regime = the(x, "régimen de Tomás Arbelo Quiroga", "GovernmentBody")
    assert regime is not spain
    the(x, "Tomás Arbelo Quiroga", "Person")


def test_government_of_the_article_state_by_leader(nlp):
    x = run(nlp, "Los críticos del Gobierno de Ramón Ledesma Vera, en Paraguay, hablaron. El Ejecutivo paraguayo lo negó.")
    gov = the(x, "Gobierno de Ramón Ledesma Vera", "GovernmentBody")
    assert find(x, "Ejecutivo paraguayo", "GovernmentBody") is gov
    the(x, "Ramón Ledesma Vera", "Person")


def test_transitional_government(nlp):
    x = run(nlp, "El Gobierno de transición pidió apoyo técnico a Chile, dijo el presidente interino Tomás Vidal.")
    the(x, "Gobierno de transición", "GovernmentBody")


def test_plural_governments_of_two_states_are_no_body(nlp):
    x = run(nlp, "Los gobiernos de Chile y Bolivia reanudaron el diálogo.")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


def test_heads_of_state_and_government_of_an_organization_are_no_body(nlp):
    x = run(nlp, "Los jefes de Estado y de Gobierno de la Unión Europea se reunieron en Bruselas.")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


def test_body_with_acronym_keeps_the_acronym(nlp):
    x = run(nlp, "La Administración Nacional de Puertos (ANP) de Uruguay firmó un convenio con Brasil.")
    body = the(x, "Administración Nacional de Puertos", "GovernmentBody")
    assert find(x, "ANP", "GovernmentBody") is body


# ---------------------------------------------------------------- organs of organizations


def test_councils_of_organizations_are_organizations(nlp):
    x = run(nlp, "Chile ocupará un asiento en el Consejo de Seguridad de Naciones Unidas y Bolivia pidió una sesión "
                 "del Consejo de la UE.")
    the(x, "Consejo de Seguridad de Naciones Unidas", "InternationalOrganization")
    the(x, "Consejo de la UE", "InternationalOrganization")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


def test_general_assembly_speaks_for_its_organization(nlp):
    x = run(nlp, "Los cancilleres se vieron al margen de la Asamblea General de la ONU.")
    the(x, "ONU", "InternationalOrganization")


# ---------------------------------------------------------------- delegations


def test_delegation_of_a_state_by_demonym(nlp):
    x = run(nlp, "La delegación boliviana llegó a Lima y la delegación chilena lo hará el lunes.")
    the(x, "delegación boliviana", "Delegation")
    the(x, "delegación chilena", "Delegation")
    the(x, "Bolivia", "Country")


def test_delegation_sent_to_a_state(nlp):
    x = run(nlp, "El ministro Tomás Vidal encabezará la delegación a Colombia.")
    the(x, "delegación a Colombia", "Delegation")
    the(x, "Colombia", "Country")


def test_named_delegation_of_an_organization_in_a_state(nlp):
    x = run(nlp, "La Cancillería citó a la responsable de la Delegación de la UE en Chile. Tres funcionarios de la "
                 "delegación de la UE en Chile deberán salir del país.")
    the(x, "Delegación de la UE en Chile", "Delegation")
    assert len(entities(x, "Delegation")) == 1, describe_entities(x)
    assert not entities(x, "GovernmentBody") or all("UE" not in e.label for e in entities(x, "GovernmentBody"))


# ---------------------------------------------------------------- capitals and seats as metonyms


def test_capital_that_acts_is_its_state(nlp):
    x = run(nlp, "Bolivia acusó a Santiago de injerencia, y poco después Lima anunció que rompía sus lazos con Caracas.")
    assert "santiago" in {a.lower() for a in the(x, "Chile", "Country").aliases} or find(x, "Santiago", "Country")
    the(x, "Lima", "Country")
    the(x, "Caracas", "Country")
    assert not entities(x, "Place"), describe_entities(x)


def test_capital_as_a_place_stays_a_place(nlp):
    x = run(nlp, "La ministra Ana Ruiz Peña viajará a Quito en mayo; antes se reunirá con empresarios en Bogotá.")
    the(x, "Quito", "Place")
    the(x, "Bogotá", "Place")


def test_capital_both_acting_and_visited(nlp):
    x = run(nlp, "Las relaciones entre Madrid y Rabat mejoraron. El ministro Luis Soto Vega llegará a Rabat el lunes.")
    the(x, "Rabat", "Place")
    the(x, "Rabat", "Country")
    the(x, "Madrid", "Country")


def test_seat_of_power_that_acts_is_the_body(nlp):
    x = run(nlp, "La Casa Blanca no comentó la noticia, y el Kremlin dijo que estudiará la propuesta.")
    the(x, "Casa Blanca", "GovernmentBody")
    kremlin = the(x, "Kremlin", "GovernmentBody")
    assert "Kremlin" in {m.text for m in kremlin.mentions}
    assert not find(x, "Kremlin", "Place") and not find(x, "gobiernos de Asia"), describe_entities(x)


def test_seat_of_power_where_something_happens_is_a_place(nlp):
    x = run(nlp, "El presidente recibió a la canciller Ana Ruiz Peña en la Casa Rosada.")
    the(x, "Casa Rosada", "Place")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


# ---------------------------------------------------------------- persons the model tags as places


def test_name_after_a_title_with_a_posting(nlp):
    x = run(nlp, "La embajadora de Suecia en Paraguay, Kristin Hollis, lamentó la decisión del gobierno paraguayo.")
    the(x, "Kristin Hollis", "Person")
    assert not find(x, "Kristin Hollis", "Place")


def test_known_given_name_makes_a_person(nlp):
    x = run(nlp, "El canciller dijo que Nicolás Ibarra, Tomás Vidal y Marta Quispe acordaron cooperar.")
    for name in ("Nicolás Ibarra", "Tomás Vidal", "Marta Quispe"):
        the(x, name, "Person")
    assert not entities(x, "Place"), describe_entities(x)


def test_name_followed_by_a_title_is_a_person(nlp):
    x = run(nlp, "Lin Wei-ting, presidenta de la asamblea, declaró que no cederá.")
    the(x, "Lin Wei-ting", "Person")


def test_demonym_before_a_name_whose_given_name_is_a_country(nlp):
    x = run(nlp, "El nuevo director del fondo es el panameño Mauricio Ardila-Ponce.")
    the(x, "Mauricio Ardila-Ponce", "Person")
    assert find(x, "Mauricio", "Country") is None, describe_entities(x)


def test_place_named_by_its_noun(nlp):
    x = run(nlp, "Las delegaciones se verán en Punta Escondida. La cita será en la comunidad costera de Punta Escondida "
                 "y luego en el municipio de Villa Serena.")
    the(x, "Punta Escondida", "Place")
    the(x, "Villa Serena", "Place")
    assert not entities(x, "Person"), describe_entities(x)


# ---------------------------------------------------------------- what is not an entity


def test_byline_and_photo_credit_name_nobody(nlp):
    x = run(nlp, "El canciller Tomás Vidal Soto viajó a Lima. Foto de archivo. EFE/Rocío Benavente\n"
                 "(Reporte de Lucas Ferrer y Ana Quintero. Editado en Español por Pablo Serna)")
    persons = {e.label for e in entities(x, "Person")}
    assert persons == {"Tomás Vidal Soto"}, describe_entities(x)
    assert not find(x, "Español"), describe_entities(x)


def test_capitals_banner_names_nothing(nlp):
    x = run(nlp, "LIMA 7 Feb. (AGENCIA MUNDO PRESS) -\nLa canciller Ana Ruiz Peña se reunió con su homólogo de Chile.")
    assert not find(x, "MUNDO PRESS") and not find(x, "AGENCIA MUNDO PRESS"), describe_entities(x)
    the(x, "Ana Ruiz Peña", "Person")


def test_capitalised_common_words_are_no_places(nlp):
    x = run(nlp, "Con motivo de la Visita Oficial, los dos suscribieron un programa de Cooperación Triangular. "
                 "«Continuamos trabajando», dijo el ministro de Interior de Bolivia.")
    assert not entities(x, "Place") and not entities(x, "Person"), describe_entities(x)


def test_sea_named_by_a_common_adjective_stays_a_place(nlp):
    x = run(nlp, "Los dos países patrullarán el Mediterráneo y el mar Caribe.")
    the(x, "Mediterráneo", "Place")
    the(x, "mar Caribe", "Place")


def test_numbered_meeting_is_no_entity(nlp):
    x = run(nlp, "Ambos gobiernos preparan la VIII Reunión de Alto Nivel y la II Reunión de Alto Nivel (RAN) de 2027.")
    assert not entities(x, "Person") and not entities(x, "Organization"), describe_entities(x)


def test_name_cut_at_a_lower_case_word_is_looked_up(nlp):
    x = run(nlp, "Varios gobiernos de Asia que mantienen buena sintonía con el Kremlin- celebró la medida.")
    kremlin = the(x, "Kremlin", "GovernmentBody")
    assert "Kremlin" in {m.text for m in kremlin.mentions}
    assert not find(x, "Kremlin", "Place") and not find(x, "gobiernos de Asia"), describe_entities(x)


def test_body_whose_head_takes_an_adjective(nlp):
    x = run(nlp, "Omar Tahmasbi, secretario del Consejo Supremo de Defensa Nacional de Irán, viajó a Moscú. "
                 "El Instituto Nacional de Estadística de Chile publicó el dato.")
    the(x, "Consejo Supremo de Defensa Nacional de Irán", "GovernmentBody")
    the(x, "Instituto Nacional de Estadística de Chile", "GovernmentBody")


def test_the_twenty_seven_are_the_european_union(nlp):
    x = run(nlp, "Los Veintisiete aprobaron nuevas sanciones contra Irán.")
    the(x, "Veintisiete", "InternationalOrganization")
    assert not entities(x, "Place"), describe_entities(x)


def test_joint_commission_of_two_states_is_an_organization(nlp):
    x = run(nlp, "La Comisión Mixta de Cooperación Chile-Argentina se reunirá en marzo.")
    the(x, "Comisión Mixta de Cooperación Chile-Argentina", "InternationalOrganization")
    assert not entities(x, "GovernmentBody"), describe_entities(x)


def test_body_named_with_a_known_acronym_is_that_body(nlp):
    x = run(nlp, "La Agencia Española de Cooperación y Desarrollo (AECID) firmó el convenio; la AECID aportará fondos.")
    bodies = entities(x, "GovernmentBody")
    assert len(bodies) == 1, describe_entities(x)


def test_body_with_a_new_acronym_is_one_entity(nlp):
    x = run(nlp, "La Administración Nacional de Puertos (ANP) de Uruguay firmó; la ANP invertirá más.")
    bodies = entities(x, "GovernmentBody")
    assert len(bodies) == 1 and find(x, "ANP", "GovernmentBody"), describe_entities(x)
    assert not entities(x, "Organization"), describe_entities(x)


def test_a_hyphenated_surname_written_with_a_space_is_the_same_person(nlp):
    x = run(nlp, "El ministro José Luis García-Ordóñez viajó a Túnez. El ministro García Ordóñez se reunirá con el "
                 "presidente Karim Bensalem.")
    persons = [e for e in x.entities if e.type == "Person" and "Ordóñez" in e.label]
    assert len(persons) == 1, [e.label for e in persons]
