"""Positions as published articles word them: demonyms and descriptions around the name,
modifiers of the title, posts of organizations and bodies, former posts, bare titles whose
state the rest of the article decides, "su homólogo", and heads named through the body they
lead. Every sentence here is invented for these tests (fictional persons)."""

from __future__ import annotations

import pytest

from test_extract_stages import label, run, the


def posts(x, name: str) -> set[tuple[str | None, str | None]]:
    """(title, label of `of`) of each position the named person holds."""
    holder = the(x, name, "Person")
    return {(p.title, label(x, p.of)) for p in x.positions if p.holder == holder.key}


def states(x, name: str) -> set[str | None]:
    return {of for _, of in posts(x, name)}


def of_entity(x, name: str):
    holder = the(x, name, "Person")
    return [x.entity(p.of) for p in x.positions if p.holder == holder.key]


# ---------------------------------------------------------------- around the name


def test_holder_after_nationality(nlp):
    x = run(nlp, "El secretario general de la OEA, el uruguayo Mario Bellini Costa, llegó a Bogotá.")
    assert states(x, "Mario Bellini Costa") == {"Organización de los Estados Americanos"}


def test_counterpart_described_as_neighbour(nlp):
    x = run(nlp, "El canciller paraguayo, Óscar Benítez Rolón, viajará a Brasil para reunirse con su homólogo "
                 "del país vecino, Renato Albuquerque Souza.")
    assert states(x, "Renato Albuquerque Souza") == {"Brasil"}
    assert states(x, "Óscar Benítez Rolón") == {"Paraguay"}


def test_counterpart_mirrors_the_subject_of_its_sentence(nlp):
    x = run(nlp, "El ministro de Asuntos Exteriores de España, Álvaro Benavente Ruiz, se reunirá en Túnez con el "
                 "presidente Karim Bensalem, con el primer ministro, Youssef Haddad, y con su homólogo, Nabil Chaouch.")
    assert posts(x, "Nabil Chaouch") == {("ministro de asuntos exteriores", "Túnez")}
    assert states(x, "Karim Bensalem") == {"Túnez"}


# ---------------------------------------------------------------- the title's own words


def test_interim_title_keeps_its_holder(nlp):
    x = run(nlp, "La misión llegará a Lima para asesorar al presidente interino, Julián Ortega Saravia, en materia de seguridad.")
    assert posts(x, "Julián Ortega Saravia") == {("presidente interino", "Perú")}


def test_designated_ambassador_of_the_sending_state(nlp):
    x = run(nlp, "Chile otorgó el plácet al nuevo embajador designado de Argentina en Chile, Rodrigo Almada Ferreyra.")
    assert states(x, "Rodrigo Almada Ferreyra") == {"Argentina"}


def test_ambassador_posted_in_a_state_named_with_article(nlp):
    x = run(nlp, "Vuelve a Buenos Aires el embajador de Colombia en la República Argentina, Esteban Rincón Mejía.")
    assert states(x, "Esteban Rincón Mejía") == {"Colombia"}


def test_second_portfolio_after_y_de(nlp):
    x = run(nlp, "El ministro de Industria y de Comercio, Sergio Lazcano Prieto, presentó el plan de Chile.")
    assert posts(x, "Sergio Lazcano Prieto") == {("ministro de industria y de comercio", "Chile")}


def test_spokesperson_with_adjective(nlp):
    x = run(nlp, "El portavoz ministerial, Reza Kazemi Nouri, acusó a la UE de injerencia, informó el Gobierno de Irán.")
    assert states(x, "Reza Kazemi Nouri") == {"Irán"}


def test_head_of_an_organization_delegation(nlp):
    x = run(nlp, "El Ministerio de Exteriores ruso citó para protestar al jefe de la Delegación de la UE en Rusia, Henrik Vestergaard.")
    assert states(x, "Henrik Vestergaard") == {"Unión Europea"}


def test_british_foreign_secretary_is_a_foreign_minister(nlp):
    x = run(nlp, "El canciller Martín Ibarguren notificó al secretario de Asuntos Exteriores británico, Oliver Pemberton, "
                 "que Argentina da por terminado el acuerdo. Argentina busca negociar la soberanía.")
    assert states(x, "Oliver Pemberton") == {"Reino Unido"}
    assert states(x, "Martín Ibarguren") == {"Argentina"}


# ---------------------------------------------------------------- not a post held now


@pytest.mark.parametrize("text, name", [
    ("El ex vicepresidente de Ecuador, Aurelio Manrique Coello, sigue en prisión.", "Aurelio Manrique Coello"),
    ("El expresidente peruano Leónidas Valcárcel Ríos criticó la medida.", "Leónidas Valcárcel Ríos"),
    ("La ex-canciller de Bolivia, Teresa Arancibia Flores, presentó un libro.", "Teresa Arancibia Flores"),
])
def test_former_posts_are_not_positions(nlp, text, name):
    assert posts(run(nlp, text), name) == set()


def test_party_post_is_not_a_state_post(nlp):
    x = run(nlp, "El presidente del Partido Verde Andino, Lucas Ferrán Quiroga, criticó al Gobierno de Bolivia.")
    assert posts(x, "Lucas Ferrán Quiroga") == set()


# ---------------------------------------------------------------- posts of bodies


def test_post_of_a_legislature_is_of_the_body(nlp):
    x = run(nlp, "El presidente del Senado de Chile, Bruno Echeverría Lagos, recibió al embajador.")
    bodies = of_entity(x, "Bruno Echeverría Lagos")
    assert [b.type for b in bodies] == ["GovernmentBody"]


def test_post_of_a_ministry_is_of_the_state(nlp):
    x = run(nlp, "La portavoz del Ministerio de Relaciones Exteriores de Chile, Amanda Vergara Soto, negó los hechos.")
    assert states(x, "Amanda Vergara Soto") == {"Chile"}


# ---------------------------------------------------------------- bare titles: whose state


def test_bare_foreign_minister_beside_us_secretary_of_state(nlp):
    x = run(nlp, "El secretario de Estado de Estados Unidos, Walter Brenneman, visitará el Perú en marzo, anunció "
                 "el canciller Hernán Villarreal Soto. El Perú y Estados Unidos celebran 200 años de relaciones.")
    assert states(x, "Walter Brenneman") == {"Estados Unidos"}
    assert states(x, "Hernán Villarreal Soto") == {"Perú"}


def test_two_presidents_are_of_two_states(nlp):
    x = run(nlp, "La presidenta Carolina Mendizábal Ortúzar recibió en Santiago al presidente de Uruguay, Ernesto "
                 "Larrañaga Bordaberry. Chile y Uruguay firmaron tres acuerdos. Chile se comprometió a apoyar a Uruguay.")
    assert states(x, "Ernesto Larrañaga Bordaberry") == {"Uruguay"}
    assert states(x, "Carolina Mendizábal Ortúzar") == {"Chile"}


def test_bare_title_repeated_is_one_post(nlp):
    x = run(nlp, "El ministro de Defensa de Chile, Patricio Ibáñez Rojas, viajó a Lima. Allí, el ministro Ibáñez "
                 "firmó un acuerdo con Perú.")
    assert posts(x, "Patricio Ibáñez Rojas") == {("ministro de defensa", "Chile")}


def test_ambassador_named_twice_is_one_post(nlp):
    x = run(nlp, "Colombia llamó a consultas a su embajador en Estados Unidos, Ignacio Restrepo Vélez. Ignacio Restrepo "
                 "Vélez, embajador de Colombia en Washington, ya está en Bogotá.")
    assert len(posts(x, "Ignacio Restrepo Vélez")) == 1
    assert states(x, "Ignacio Restrepo Vélez") == {"Colombia"}


# ---------------------------------------------------------------- heads named through their body


def test_government_of_a_named_person(nlp):
    x = run(nlp, "El gobierno chileno de Marcela Undurraga Vial expresó su apoyo a la iniciativa de Bolivia.")
    assert states(x, "Marcela Undurraga Vial") == {"Chile"}


def test_ministry_headed_by_a_named_person(nlp):
    x = run(nlp, "El Ministerio de Relaciones Exteriores de Chile emitió una nota. Fuentes del ministerio que dirige "
                 "Andrés Lira Montt confirmaron la reunión.")
    assert states(x, "Andrés Lira Montt") == {"Chile"}


# ---------------------------------------------------------------- more wordings


def test_ambassador_to_an_organization(nlp):
    x = run(nlp, "El embajador de España ante la ONU, Jaime Roldán Aguirre, presentó la propuesta.")
    assert states(x, "Jaime Roldán Aguirre") == {"España"}


def test_state_named_after_a_monarch(nlp):
    x = run(nlp, "Chile abrirá una embajada en Ammán. El rey Abdalá Karim de Jordania recibió al canciller de Chile.")
    assert states(x, "Abdalá Karim") == {"Jordania"}


def test_pope_is_of_the_holy_see(nlp):
    x = run(nlp, "El papa Gregorio XVII recibió a Ana Rivas Ortiz, presidenta de Costa Rica.")
    assert states(x, "Gregorio XVII") == {"Santa Sede"}


def test_head_of_foreign_affairs_as_titular(nlp):
    x = run(nlp, "La titular de Exteriores de Chile, Ana Salcedo Ruiz, viajará a Lima.")
    assert states(x, "Ana Salcedo Ruiz") == {"Chile"}


def test_two_states_coordinated_before_a_bare_title(nlp):
    x = run(nlp, "Los gobiernos de República Dominicana y Haití tendrán una cita el jueves, informó el ministro de la "
                 "Presidencia, Rafael Almonte. República Dominicana propuso la agenda.")
    assert states(x, "Rafael Almonte") == {"República Dominicana"}
