"""The viewer: RDF graph -> network (nodes, edges, kinds, tooltips) -> self-contained, safe HTML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

try:
    import diplokg  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diplokg import viz
from diplokg.rdf.vocab import DIP, TOPIC, WD

ID = "https://w3id.org/diplokg/id/"
TEMPLATE = Path(viz.__file__).parent / "templates" / "viewer.html.j2"
EVIL = "<script>alert(1)</script>"
EVIL_END = "</script><img src=x onerror=alert(2)>"


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


HUGO, RUBIO, PERU, USA = iri("person/hugo-de-zela"), iri("person/marco-rubio"), iri("country/peru"), iri("country/united-states")
WASHINGTON, MEETING = iri("place/washington-d-c"), iri("event/a1/meeting-1")
POST_HUGO, POST_RUBIO = iri("position/a1/canciller-peru"), iri("position/a1/secretario-de-estado-eeuu")
ARTICLE, MENTION, MENTION_POST = iri("article/a1"), iri("mention/a1/0-120"), iri("mention/a1/3-11")
ARTICLE_TITLE = "Canciller De Zela se reúne con el secretario de Estado Marco Rubio"
EVIDENCE = "El canciller Hugo de Zela sostuvo una reunión en Washington D. C. con el secretario de Estado"


def small_graph() -> Graph:
    """Two persons, a country, a place, a meeting with evidence and a topic, a position."""
    g = Graph()
    g.add((HUGO, RDF.type, DIP.Person))
    g.add((HUGO, RDFS.label, Literal("Hugo de Zela", lang="es")))
    g.add((HUGO, SKOS.altLabel, Literal("De Zela", lang="es")))
    g.add((RUBIO, RDF.type, DIP.Person))
    g.add((RUBIO, RDFS.label, Literal("Marco Rubio", lang="es")))
    g.add((PERU, RDF.type, DIP.Country))
    g.add((PERU, RDFS.label, Literal("Peru", lang="en")))
    g.add((PERU, RDFS.label, Literal("Perú", lang="es")))
    g.add((PERU, OWL.sameAs, WD.Q419))
    g.add((WASHINGTON, RDF.type, DIP.Place))
    g.add((WASHINGTON, RDFS.label, Literal("Washington D. C.", lang="es")))

    g.add((HUGO, DIP.holdsPosition, POST_HUGO))
    g.add((POST_HUGO, RDF.type, DIP.Position))
    g.add((POST_HUGO, DIP.title, Literal("canciller", lang="es")))
    g.add((POST_HUGO, DIP.positionOf, PERU))
    g.add((POST_HUGO, DIP.evidence, MENTION_POST))
    g.add((MENTION_POST, RDF.type, DIP.Mention))
    g.add((MENTION_POST, DIP.text, Literal("canciller")))
    g.add((MENTION_POST, DIP.inArticle, ARTICLE))

    g.add((MEETING, RDF.type, DIP.Meeting))
    g.add((MEETING, DIP.actor, HUGO))
    g.add((MEETING, DIP.counterpart, RUBIO))
    g.add((MEETING, DIP.participant, HUGO))
    g.add((MEETING, DIP.participant, RUBIO))
    g.add((MEETING, DIP.location, WASHINGTON))
    g.add((MEETING, DIP.status, DIP.Occurred))
    g.add((MEETING, DIP.date, Literal("2025-12-10", datatype=rdfns.XSD.date)))
    g.add((MEETING, DIP.timeExpression, Literal("el martes", lang="es")))
    g.add((MEETING, DIP.topic, TOPIC.security))
    g.add((TOPIC.security, RDF.type, DIP.Topic))
    g.add((TOPIC.security, RDFS.label, Literal("seguridad", lang="es")))
    g.add((MEETING, DIP.evidence, MENTION))
    g.add((MENTION, RDF.type, DIP.Mention))
    g.add((MENTION, DIP.text, Literal(EVIDENCE)))
    g.add((MENTION, DIP.start, Literal(0)))
    g.add((MENTION, DIP.end, Literal(len(EVIDENCE))))
    g.add((MENTION, DIP.inArticle, ARTICLE))
    g.add((ARTICLE, RDF.type, DIP.Article))
    g.add((ARTICLE, DCTERMS.title, Literal(ARTICLE_TITLE, lang="es")))
    g.add((ARTICLE, DIP.mentions, HUGO))
    return g


def seed_like_graph() -> Graph:
    """A richer graph shaped like the seed article, for the rendering and browser tests."""
    g = small_graph()
    ferrero, oea, ramdin = iri("person/alfredo-ferrero"), iri("org/oea"), iri("person/albert-ramdin")
    lima, deleg, mre = iri("place/lima"), iri("delegation/a1/especialistas"), iri("body/mre-peru")
    visit, visit2, inv, stmt, agr = (iri(f"event/a1/{n}") for n in ("visit-1", "visit-2", "invitation-1", "statement-1", "agreement-1"))
    meeting2 = iri("event/a1/meeting-2")
    for term, cls, label in [
        (USA, DIP.Country, "Estados Unidos"), (ferrero, DIP.Person, "Alfredo Ferrero"),
        (oea, DIP.InternationalOrganization, "OEA"), (ramdin, DIP.Person, "Albert Ramdin"),
        (lima, DIP.Place, "Lima"), (deleg, DIP.Delegation, "delegación de especialistas en seguridad"),
        (mre, DIP.GovernmentBody, "Ministerio de Relaciones Exteriores"),
    ]:
        g.add((term, RDF.type, cls))
        g.add((term, RDFS.label, Literal(label, lang="es")))
    g.add((USA, SKOS.altLabel, Literal("EE.UU.", lang="es")))
    g.add((RUBIO, DIP.holdsPosition, POST_RUBIO))
    g.add((POST_RUBIO, DIP.title, Literal("secretario de estado", lang="es")))
    g.add((POST_RUBIO, DIP.positionOf, USA))
    post_ramdin = iri("position/a1/sg-oea")
    g.add((ramdin, DIP.holdsPosition, post_ramdin))
    g.add((post_ramdin, DIP.title, Literal("secretario general", lang="es")))
    g.add((post_ramdin, DIP.positionOf, oea))
    g.add((MEETING, DIP.participant, ferrero))
    events = [
        (visit, DIP.Visit, [deleg], [mre], DIP.Planned, "la próxima semana", lima),
        (visit2, DIP.Visit, [RUBIO], [PERU], DIP.Planned, "en 2026", PERU),
        (meeting2, DIP.Meeting, [HUGO], [ramdin], DIP.Occurred, None, None),
        (inv, DIP.Invitation, [HUGO], [ramdin], DIP.Occurred, None, None),
        (stmt, DIP.Statement, [mre], [], DIP.Occurred, None, None),
        (agr, DIP.Agreement, [HUGO, RUBIO], [], DIP.Occurred, None, None),
    ]
    for event, cls, actors, counterparts, status, when, dest in events:
        g.add((event, RDF.type, cls))
        g.add((event, DIP.status, status))
        for a in actors:
            g.add((event, DIP.actor, a))
        for c in counterparts:
            g.add((event, DIP.counterpart, c))
        if when:
            g.add((event, DIP.timeExpression, Literal(when, lang="es")))
        if dest is not None:
            g.add((event, DIP.destination, dest))
    g.add((visit2, DIP.date, Literal("2026", datatype=rdfns.XSD.gYear)))
    return g


def evil_graph() -> Graph:
    """Labels, article titles and evidence that try to inject markup."""
    g = small_graph()
    g.set((RUBIO, RDFS.label, Literal(EVIL, lang="es")))
    g.set((ARTICLE, DCTERMS.title, Literal(EVIL_END, lang="es")))
    g.set((MENTION, DIP.text, Literal(f"dijo {EVIL} y {EVIL_END} & <!-- fin")))
    g.add((HUGO, SKOS.altLabel, Literal("</SCRIPT><script>alert(3)</script>", lang="es")))
    return g


# --------------------------------------------------------------------------- HTML helpers


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._script, self._text = attrs_d, []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def graph_data(html: str) -> dict:
    scripts = [text for attrs, text in parse(html).scripts if attrs.get("id") == "graph-data"]
    assert len(scripts) == 1
    return json.loads(scripts[0])


# --------------------------------------------------------------------------- network


def test_network_nodes_kinds_and_labels():
    net = viz.network_from_graph(small_graph())
    assert {n: k for n, k in net.nodes(data="kind")} == {
        str(HUGO): "Person",
        str(RUBIO): "Person",
        str(PERU): "Country",
        str(WASHINGTON): "Place",
        str(MEETING): "Meeting",
    }
    assert net.nodes[str(PERU)]["label"] == "Perú"  # @es preferred over @en
    assert net.nodes[str(HUGO)]["label"] == "Hugo de Zela"
    assert net.nodes[str(HUGO)]["group"] == "Person"
    assert net.nodes[str(MEETING)]["label"].startswith("Reunión")
    # topics, mentions, articles and positions are not nodes
    for term in (TOPIC.security, MENTION, ARTICLE, POST_HUGO):
        assert str(term) not in net


def test_network_edges_roles_places_and_posts():
    net = viz.network_from_graph(small_graph())
    edges = {(u, v, k): d for u, v, k, d in net.edges(keys=True, data=True)}
    assert set(edges) == {
        (str(HUGO), str(MEETING), "actor"),
        (str(MEETING), str(RUBIO), "counterpart"),
        (str(MEETING), str(WASHINGTON), "location"),
        (str(HUGO), str(PERU), str(POST_HUGO)),
    }
    # actor and counterpart are not repeated as plain participants
    assert not any(d["relation"] == "participant" for d in edges.values())
    assert edges[(str(HUGO), str(MEETING), "actor")]["label"] == "actor"
    assert edges[(str(HUGO), str(MEETING), "actor")]["directed"] is True
    post = edges[(str(HUGO), str(PERU), str(POST_HUGO))]
    assert (post["relation"], post["label"]) == ("holdsPosition", "canciller")


def test_other_participants_get_undirected_participant_edges():
    g = small_graph()
    ferrero = iri("person/alfredo-ferrero")
    g.add((ferrero, RDF.type, DIP.Person))
    g.add((MEETING, DIP.participant, ferrero))
    untyped = iri("person/untyped")
    g.add((MEETING, DIP.participant, untyped))
    net = viz.network_from_graph(g)
    data = net.get_edge_data(str(MEETING), str(ferrero))
    assert list(data) == ["participant"]
    assert data["participant"]["directed"] is False
    assert net.nodes[str(untyped)]["kind"] == "Agent"
    assert "Participantes: " in net.nodes[str(MEETING)]["title"]


def test_event_tooltip_has_type_status_date_topics_and_evidence():
    title = viz.network_from_graph(small_graph()).nodes[str(MEETING)]["title"]
    lines = title.split("\n")
    assert lines[0] == "Reunión · ocurrido"
    assert "Fecha: 2025-12-10 (“el martes”)" in lines
    assert "Temas: seguridad" in lines
    assert "Actor: Hugo de Zela" in lines and "Contraparte: Marco Rubio" in lines
    assert "Lugar: Washington D. C." in lines
    assert f"“{EVIDENCE}” — {ARTICLE_TITLE}" in lines
    assert net_attr(small_graph(), MEETING, "status") == "Occurred"


def net_attr(graph, term, name):
    return viz.network_from_graph(graph).nodes[str(term)][name]


def test_person_and_country_tooltips():
    net = viz.network_from_graph(small_graph())
    person = net.nodes[str(HUGO)]["title"].split("\n")
    assert person[0] == "Persona: Hugo de Zela"
    assert "También: De Zela" in person
    assert "• canciller — Perú" in person
    assert net.nodes[str(HUGO)]["aliases"] == ["De Zela"]
    country = net.nodes[str(PERU)]["title"].split("\n")
    assert "• canciller: Hugo de Zela" in country
    assert "Wikidata: Q419" in country
    assert "También: Peru" in country


def test_kinds_follow_the_ontology_class_hierarchy():
    g = small_graph()
    embassy_cls = URIRef("https://example.org/Embassy")
    g.add((embassy_cls, RDFS.subClassOf, DIP.GovernmentBody))
    g.add((DIP.GovernmentBody, RDFS.subClassOf, DIP.Agent))
    embassy = iri("body/embajada")
    g.add((embassy, RDF.type, embassy_cls))
    g.add((HUGO, RDF.type, DIP.Agent))  # both Agent and Person: the specific one wins
    g.add((DIP.Person, RDF.type, OWL.Class))  # ontology triples do not become nodes
    net = viz.network_from_graph(g)
    assert net.nodes[str(embassy)]["kind"] == "GovernmentBody"
    assert net.nodes[str(HUGO)]["kind"] == "Person"
    assert str(DIP.Person) not in net


def test_all_event_classes_are_styled():
    assert set(viz.EVENT_KINDS) <= set(viz.KIND_STYLES)
    assert set(viz.AGENT_KINDS) | {"Place"} <= set(viz.KIND_STYLES)
    assert {viz.KIND_STYLES[k].shape for k in viz.EVENT_KINDS} == {"box"}


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained_with_inline_vis_network():
    html = viz.render_html(viz.network_from_graph(seed_like_graph()), title="Semilla")
    page = parse(html)
    for _tag, _name, url in page.urls:
        assert "://" not in url and not url.startswith("//"), url
    assert not any(tag == "link" for tag, _ in page.tags)
    assert not any("src" in attrs for tag, attrs in page.tags if tag == "script")
    assert "@import" not in html and "fonts.googleapis" not in html
    inline = [text for attrs, text in page.scripts if "type" not in attrs and "vis-network" in text]
    assert inline and "DataSet" in inline[0] and "Network" in inline[0]
    assert "div.vis-tooltip" in html  # vis-network's CSS, inlined
    assert "<title>Semilla</title>" in html


def test_legend_lists_each_kind_present():
    net = viz.network_from_graph(seed_like_graph())
    html = viz.render_html(net)
    page = parse(html)
    legend_kinds = {attrs["data-kind"] for tag, attrs in page.tags if tag == "li" and "data-kind" in attrs}
    present = {kind for _, kind in net.nodes(data="kind")}
    assert legend_kinds == present
    assert {"Person", "Country", "InternationalOrganization", "GovernmentBody", "Delegation", "Place",
            "Meeting", "Visit", "Invitation", "Statement", "Agreement"} <= present
    for kind in present:
        assert viz.KIND_STYLES[kind].label in html
    filters = {attrs["value"] for tag, attrs in page.tags if tag == "input" and "kind-filter" in attrs.get("class", "")}
    assert filters == present
    # kinds absent from the graph are not in the legend
    assert 'data-kind="Sanction"' not in html
    assert [attrs.get("type") for tag, attrs in page.tags if tag == "input" and attrs.get("id") == "search"] == ["search"]


def test_graph_data_parses_back_with_labels_titles_and_options():
    net = viz.network_from_graph(seed_like_graph())
    data = graph_data(viz.render_html(net))
    labels = {n["label"] for n in data["nodes"]}
    assert {"Hugo de Zela", "Marco Rubio", "Perú", "Estados Unidos", "OEA", "Lima"} <= labels
    assert len(data["nodes"]) == net.number_of_nodes()
    assert len(data["edges"]) == net.number_of_edges()
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[str(HUGO)]["shape"] == "dot" and by_id[str(PERU)]["shape"] == "diamond"
    assert by_id[str(MEETING)]["shape"] == "box" and by_id[str(MEETING)]["kind"] == "Meeting"
    assert EVIDENCE in by_id[str(MEETING)]["title"]
    arrows = {(e["from"], e["to"]): e["arrows"] for e in data["edges"]}
    assert arrows[(str(HUGO), str(MEETING))] == "to"
    assert arrows[(str(MEETING), str(RUBIO))] == "to"
    assert arrows[(str(MEETING), str(iri("person/alfredo-ferrero")))] == ""
    physics = data["options"]["physics"]
    assert physics["solver"] == "barnesHut" and physics["stabilization"]["enabled"] is True


def test_user_text_cannot_inject_markup():
    net = viz.network_from_graph(evil_graph())
    html = viz.render_html(net, title="<b>t</b> </script>")
    template = TEMPLATE.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "alert(2)>" not in html and "<img" not in html
    assert "<!-- fin" not in html
    assert html.count("<script") == template.count("<script")
    assert html.lower().count("</script") == template.lower().count("</script")
    assert "<b>t</b>" not in html and "&lt;b&gt;t&lt;/b&gt;" in html
    # the text survives intact inside the JSON
    data = graph_data(html)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[str(RUBIO)]["label"] == EVIL
    assert EVIL_END in by_id[str(MEETING)]["title"]
    assert "</SCRIPT><script>alert(3)</script>" in by_id[str(HUGO)]["aliases"]
    assert "\\u003cscript\\u003ealert(1)" in html
    # and the page keeps the template's structure: exactly three scripts, one of them JSON
    page = parse(html)
    assert [attrs.get("type") for attrs, _ in page.scripts] == [None, "application/json", None]


def test_empty_network_renders_and_write_html(tmp_path):
    import networkx as nx

    path = viz.write_html(nx.MultiDiGraph(), tmp_path / "sub" / "empty.html", title="vacío")
    html = path.read_text(encoding="utf-8")
    assert graph_data(html)["nodes"] == []
    assert "<title>vacío</title>" in html


def test_hand_made_network_without_kinds_still_renders():
    import networkx as nx

    net = nx.MultiDiGraph()
    net.add_node("a")
    net.add_node("b", kind="Mystery", label="B")
    net.add_edge("a", "b")
    data = graph_data(viz.render_html(net))
    assert {n["label"] for n in data["nodes"]} == {"a", "B"}


# --------------------------------------------------------------------------- real browser

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def _chromium(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
        f"--user-data-dir={profile}", "--virtual-time-budget=5000", *extra, url,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_viewer_draws_in_a_real_browser(tmp_path):
    net = viz.network_from_graph(seed_like_graph())
    page = viz.write_html(net, tmp_path / "viewer.html", title="diplokg · semilla")
    url = page.as_uri()

    dump = _chromium(url, tmp_path, "--dump-dom")
    dom = dump.stdout
    assert dump.returncode == 0, dump.stderr[-2000:]
    start = dom.index('id="network"')
    end = dom.index('id="progress"')
    assert "<canvas" in dom[start:end], "vis-network did not create its canvas"
    assert 'data-state="ready"' in dom, "stabilization did not finish (physics still on)"
    assert 'id="legend"' in dom and 'data-kind="Person"' in dom and "Persona" in dom
    # no script error, no vis-network option warning, no resource blocked by the page's CSP
    console = [line for line in dump.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console

    shot = tmp_path / "viewer.png"
    run = _chromium(url, tmp_path, f"--screenshot={shot}", "--window-size=1280,800", "--hide-scrollbars")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    keep = os.environ.get("DIPLOKG_VIEWER_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


HARNESS = """
<script>
(function () {
  var timer = setInterval(function () {
    if (document.body.getAttribute("data-state") !== "ready") { return; }
    clearInterval(timer);
    var d = window.diplokg, out = {};
    var input = document.getElementById("search"), form = document.getElementById("search-form");
    function search(q) { input.value = q; form.requestSubmit(); return d.network.getSelectedNodes(); }
    out.peru = search("PERU");
    out.alias = search("ee.uu");
    search("zzzz");
    out.noneStatus = document.getElementById("search-status").textContent;
    var meeting = d.nodes.get(__MEETING__);
    out.tipIsElement = meeting.title instanceof Element;
    out.tipText = meeting.title.textContent;
    var box = document.querySelector('input.kind-filter[value="Person"]');
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    out.personHidden = d.nodes.get(__HUGO__).hidden === true;
    out.personEdgesHidden = d.edges.get({ filter: function (e) { return e.from === __HUGO__ || e.to === __HUGO__; } })
      .every(function (e) { return e.hidden === true; });
    out.countryShown = d.nodes.get(__PERU__).hidden !== true;
    out.afterSearch = search("hugo de zéla");
    out.personShownAgain = d.nodes.get(__HUGO__).hidden === false && box.checked;
    out.physics = d.network.physics.physicsEnabled;
    var pre = document.createElement("pre");
    pre.id = "harness";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }, 100);
})();
</script>
"""


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_search_filters_and_tooltips_work_in_a_real_browser(tmp_path):
    import html as html_lib
    import re

    page = viz.render_html(viz.network_from_graph(seed_like_graph()))
    names = {"__MEETING__": MEETING, "__HUGO__": HUGO, "__PERU__": PERU}
    harness = HARNESS
    for name, term in names.items():
        harness = harness.replace(name, json.dumps(str(term)))
    path = tmp_path / "harness.html"
    path.write_text(page.replace("</body>", harness + "</body>"), encoding="utf-8")

    run = _chromium(path.as_uri(), tmp_path, "--dump-dom")
    found = re.search(r'<pre id="harness">(.*?)</pre>', run.stdout, flags=re.S)
    assert found, "the harness did not run: " + "\n".join(l for l in run.stderr.splitlines() if ":CONSOLE" in l)
    out = json.loads(html_lib.unescape(found.group(1)))
    assert out["peru"] == [str(PERU)]  # case- and accent-insensitive
    assert out["alias"] == [str(USA)]  # skos:altLabel "EE.UU."
    assert out["noneStatus"] == "Sin resultados: zzzz"
    assert out["tipIsElement"] is True and EVIDENCE in out["tipText"]
    assert out["personHidden"] and out["personEdgesHidden"] and out["countryShown"]
    assert out["afterSearch"] == [str(HUGO)] and out["personShownAgain"]
    assert out["physics"] is False  # switched off once stabilized
