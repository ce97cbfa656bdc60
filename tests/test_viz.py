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


# =========================================================================== from a store, options, exports

BENCH = Path(__file__).resolve().parents[1] / "bench"
GRAPHS = Path(__file__).resolve().parents[1] / "graphs"
DOCS = Path(__file__).resolve().parents[1] / "docs"
SOURCE_URL = "https://example.org/noticias/de-zela-rubio"
ISSUED = "2025-12-11"


def stored(graph: Graph, location) -> "object":
    """A store at `location` holding `graph` as the article graph of ARTICLE, plus the ontology."""
    from diplokg.pipeline import ensure_ontology
    from diplokg.stores import open_store

    store = open_store(location)
    ensure_ontology(store)
    store.put_article(str(ARTICLE), graph, "0" * 64)
    return store


def seed_like_article_graph() -> Graph:
    """seed_like_graph() with the article's date and source link (the panel shows them)."""
    g = seed_like_graph()
    g.add((ARTICLE, DCTERMS.issued, Literal(ISSUED, datatype=rdfns.XSD.date)))
    g.add((ARTICLE, DCTERMS.source, URIRef(SOURCE_URL)))
    return g


@pytest.fixture(params=["oxigraph", "memory"])
def store(request, tmp_path):
    location = tmp_path / "store" if request.param == "oxigraph" else "memory:"
    s = stored(seed_like_article_graph(), location)
    yield s
    s.close()


def ids(net) -> set[str]:
    return set(net.nodes)


def test_network_from_store_is_network_from_graph_plus_ontology_labels(store):
    net = viz.network_from_store(store)
    assert ids(net) == ids(viz.network_from_graph(seed_like_article_graph()))
    meeting = net.nodes[str(MEETING)]
    assert meeting["kind"] == "Meeting" and meeting["date"] == "2025-12-10"
    assert meeting["evidence"] == [{"text": EVIDENCE, "article": str(ARTICLE)}]
    assert net.graph["articles"][str(ARTICLE)] == {"title": ARTICLE_TITLE, "date": ISSUED, "source": SOURCE_URL}
    assert net.nodes[str(HUGO)]["posts"][0]["title"] == "canciller"
    assert net.nodes[str(HUGO)]["posts"][0]["of"] == str(PERU)
    assert "omitted" not in net.graph and net.graph["focus"] is None


def test_triple_index_reads_like_an_rdflib_graph():
    g = seed_like_article_graph()
    from_graph = viz.network_from_graph(g)
    from_rows = viz.network_from_graph(viz.TripleIndex(list(g) + list(g)))  # duplicates, as a bag union gives
    assert dict(from_rows.nodes(data=True)) == dict(from_graph.nodes(data=True))
    assert sorted(from_rows.edges(keys=True, data=True), key=str) == sorted(from_graph.edges(keys=True, data=True), key=str)


def test_banner_about_left_out_nodes_is_escaped(tmp_path):
    s = stored(evil_graph(), tmp_path / "store")
    try:
        net = viz.network_from_store(s, focus=EVIL, depth=1, max_nodes=2)
    finally:
        s.close()
    assert net.graph["focus"] == str(RUBIO)
    html = viz.render_html(net)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert parse(html).tags.count(("p", {"id": "omitted", "role": "note"})) == 1


def test_entity_network_links_agents_by_shared_events(store):
    net = viz.network_from_store(store)
    links = {(e["source"], e["target"]): e for e in net.graph["entity_edges"]}
    hugo_rubio = links[tuple(sorted((str(HUGO), str(RUBIO))))]
    assert hugo_rubio["weight"] == 2  # the meeting and the agreement
    assert set(hugo_rubio["events"]) == {str(MEETING), str(iri("event/a1/agreement-1"))}
    # places and events are never ends of entity links
    kinds = {n: k for n, k in net.nodes(data="kind")}
    assert all(kinds[e["source"]] in viz.AGENT_KIND_SET and kinds[e["target"]] in viz.AGENT_KIND_SET
               for e in net.graph["entity_edges"])


def test_focus_by_label_and_depth(store):
    near = viz.network_from_store(store, focus="marco rubio", depth=1)
    assert net_kinds(near) >= {"Person"}
    assert str(RUBIO) in near and str(MEETING) in near and str(USA) in near  # his events and his post
    assert str(WASHINGTON) not in near  # two links away (meeting -> place)
    assert near.graph["focus"] == str(RUBIO)
    assert near.graph["omitted"]["nodes"] == len(viz.network_from_store(store)) - len(near)
    wider = viz.network_from_store(store, focus=str(RUBIO), depth=2)
    assert str(WASHINGTON) in wider and ids(near) < ids(wider)
    assert viz.network_from_store(store, focus="id:person/marco-rubio", depth=1).graph["focus"] == str(RUBIO)
    assert viz.network_from_store(store, focus="EE.UU.", depth=0).number_of_nodes() == 1  # an alias


def net_kinds(net) -> set[str]:
    return {k for _, k in net.nodes(data="kind")}


def test_types_keep_the_entity_network(store):
    net = viz.network_from_store(store, types=["Person", "country"])
    assert net_kinds(net) == {"Person", "Country"}
    pairs = {(e["source"], e["target"]) for e in net.graph["entity_edges"]}
    assert tuple(sorted((str(HUGO), str(RUBIO)))) in pairs  # linked by events that are not drawn
    assert viz.network_from_store(store, types="Event").number_of_nodes() == 7
    assert net_kinds(viz.network_from_store(store, types=["Agent"])) <= viz.AGENT_KIND_SET
    with pytest.raises(viz.DiplokgError, match="unknown node type 'Robot'"):
        viz.network_from_store(store, types=["Robot"])


def test_date_range_uses_dip_date(store):
    in_2026 = viz.network_from_store(store, date_from="2026")
    events = {n for n, k in in_2026.nodes(data="kind") if k in viz.EVENT_KINDS}
    assert events == {str(iri("event/a1/visit-2"))}  # dated 2026 (xsd:gYear); undated events are left out
    assert str(RUBIO) in in_2026 and str(PERU) in in_2026
    assert str(iri("person/albert-ramdin")) not in in_2026  # had events, none left
    december = viz.network_from_store(store, date_from="2025-12-01", date_to="2025-12")
    assert {n for n, k in december.nodes(data="kind") if k in viz.EVENT_KINDS} == {str(MEETING)}
    # a year overlaps a range that ends inside it
    assert str(iri("event/a1/visit-2")) in viz.network_from_store(store, date_from="2026-06-01", date_to="2026-06-30")
    with pytest.raises(viz.DiplokgError, match="invalid date"):
        viz.network_from_store(store, date_from="10/12/2025")
    with pytest.raises(viz.DiplokgError, match="empty date range"):
        viz.network_from_store(store, date_from="2026", date_to="2025")


def test_query_selects_what_to_draw(store):
    meetings = viz.network_from_store(
        store, query=f"PREFIX dip: <{DIP}> SELECT ?event WHERE {{ ?event a dip:Meeting }}"
    )
    assert {n for n, k in meetings.nodes(data="kind") if k in viz.EVENT_KINDS} == {str(MEETING), str(iri("event/a1/meeting-2"))}
    assert str(WASHINGTON) in meetings and str(HUGO) in meetings  # a kept event brings its participants and places
    triples = viz.network_from_store(
        store, query=f"PREFIX dip: <{DIP}> SELECT ?s ?p ?o WHERE {{ ?s dip:holdsPosition ?post . ?post dip:positionOf ?o }}"
    )
    assert ids(triples) == {str(HUGO), str(PERU), str(RUBIO), str(USA), str(iri("person/albert-ramdin")), str(iri("org/oea"))}
    with pytest.raises(viz.DiplokgError, match="needs a SELECT"):
        viz.network_from_store(store, query="ASK { ?s ?p ?o }")
    with pytest.raises(viz.DiplokgError, match="needs \\?event, \\?node, \\?s or \\?o"):
        viz.network_from_store(store, query="SELECT ?x WHERE { ?x ?p ?y }")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(BENCH))
    from synthetic_graph import synthetic_store

    s = synthetic_store(600, tmp_path_factory.mktemp("synthetic") / "store")
    yield s
    s.close()


def test_max_nodes_keeps_a_connected_busy_part_and_says_what_was_left_out(synthetic):
    import networkx as nx

    full = viz.network_from_store(synthetic)
    net = viz.network_from_store(synthetic, max_nodes=150)
    assert net.number_of_nodes() == 150
    assert nx.is_connected(net.to_undirected()) or nx.number_connected_components(net.to_undirected()) <= 3
    busiest = max(full.degree(), key=lambda nd: (nd[1], nd[0]))[0]
    assert busiest in net
    omitted = net.graph["omitted"]
    assert omitted["total"] == full.number_of_nodes() and omitted["nodes"] == full.number_of_nodes() - 150
    assert sum(omitted["by_kind"].values()) == omitted["nodes"]
    page = viz.render_html(net)
    assert f"Se muestran 150 de {full.number_of_nodes()} nodos" in page and "--max-nodes" in page
    # around a focus: the focus and its nearest neighbours first
    person = next(n for n, k in full.nodes(data="kind") if k == "Person" and full.degree(n) >= 3)
    around = viz.network_from_store(synthetic, focus=person, depth=3, max_nodes=20)
    assert person in around and around.number_of_nodes() == 20
    assert set(nx.all_neighbors(full, person)) <= set(around) or full.degree(person) >= 19


def test_python_layout_above_the_threshold(synthetic):
    net = viz.network_from_store(synthetic, max_nodes=viz.PHYSICS_MAX_NODES + 50)
    data = graph_data(viz.render_html(net))
    assert data["meta"]["layout"] == "python"
    assert data["options"]["physics"]["enabled"] is False
    xy = [(n["x"], n["y"]) for n in data["nodes"]]
    assert len(xy) == net.number_of_nodes() and len(set(xy)) == len(xy)
    small = graph_data(viz.render_html(viz.network_from_graph(seed_like_graph())))
    assert small["meta"]["layout"] == "physics" and "x" not in small["nodes"][0]
    forced = graph_data(viz.render_html(viz.network_from_graph(seed_like_graph()), layout="python"))
    assert forced["meta"]["layout"] == "python" and all("x" in n for n in forced["nodes"])


def test_layout_is_deterministic_and_spreads_nodes():
    import math

    from diplokg.layout import layout

    nodes = [f"n{i}" for i in range(400)] + ["alone", "pair-a", "pair-b"]
    edges = [(f"n{i}", f"n{(i * 7 + 3) % 400}") for i in range(400)] + [(f"n{i}", f"n{i + 1}") for i in range(399)]
    edges.append(("pair-a", "pair-b"))
    first, second = layout(nodes, edges), layout(nodes, edges)
    assert first == second and set(first) == set(nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    # no pile-up: the closest pair is not on top of each other, and a lone node stays near the rest
    pts = list(first.values())
    closest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1:])
    assert closest > 1.0
    span = max(abs(c) for p in pts for c in p)
    assert abs(first["alone"][0]) <= span and abs(first["alone"][1]) <= span
    assert layout([], []) == {} and list(layout(["x"], [])) == ["x"]


def test_page_carries_views_facets_and_panel_data(store):
    net = viz.network_from_store(store)
    html = viz.render_html(net, title="semilla")
    data = graph_data(html)
    assert data["meta"]["view"] == "events"
    assert {e["from"] for e in data["entityEdges"]} | {e["to"] for e in data["entityEdges"]} <= {
        n for n, k in net.nodes(data="kind") if k in viz.AGENT_KIND_SET}
    assert data["articles"] == [{"id": str(ARTICLE), "title": ARTICLE_TITLE, "date": ISSUED, "source": SOURCE_URL}]
    meeting = next(n for n in data["nodes"] if n["id"] == str(MEETING))
    assert meeting["evidence"] == [{"text": EVIDENCE, "article": 0}]
    page = parse(html)
    topics = {a["value"] for t, a in page.tags if t == "input" and "topic-filter" in a.get("class", "")}
    assert {"seguridad", "(sin tema)"} <= topics
    statuses = {a["value"] for t, a in page.tags if t == "input" and "status-filter" in a.get("class", "")}
    assert statuses == {"Occurred", "Planned"}
    assert [a.get("type") for t, a in page.tags if t == "input" and a.get("id") in ("date-from", "date-to")] == ["date", "date"]
    views = [a["value"] for t, a in page.tags if t == "input" and a.get("name") == "view"]
    assert views == ["events", "entities"]
    assert graph_data(viz.render_html(net, view="entities"))["meta"]["view"] == "entities"
    assert graph_data(viz.render_html(viz.network_from_store(store, types="Person")))["meta"]["view"] == "entities"


def test_export_graphml_and_cytoscape(store, tmp_path):
    import networkx as nx

    from diplokg.export import export

    path = tmp_path / "g.graphml"
    export(store, "graphml", path)
    g = nx.read_graphml(path)
    assert g.nodes[str(HUGO)]["label"] == "Hugo de Zela" and g.nodes[str(HUGO)]["kind"] == "Person"
    assert g.nodes[str(MEETING)]["topics"] == "seguridad" and g.nodes[str(MEETING)]["status"] == "Occurred"
    assert {d["relation"] for _, _, d in g.edges(data=True)} >= {"actor", "counterpart", "location", "holdsPosition"}
    data = json.loads(export(store, "cytoscape"))
    elements = data["elements"]
    by_id = {n["data"]["id"]: n for n in elements["nodes"]}
    assert by_id[str(PERU)]["classes"] == "Country" and by_id[str(PERU)]["data"]["label"] == "Perú"
    edge = next(e for e in elements["edges"] if e["data"]["source"] == str(HUGO) and e["data"]["target"] == str(MEETING))
    assert edge["data"]["relation"] == "actor"
    assert len(elements["edges"]) == viz.network_from_store(store).number_of_edges()
    with pytest.raises(viz.DiplokgError, match="graphml, cytoscape"):
        export(store, "gexf")


def test_cli_viz_options_and_export_formats(tmp_path, capsys):
    from diplokg.cli import main

    location = tmp_path / "store"
    stored(seed_like_article_graph(), location).close()
    rq = tmp_path / "meetings.rq"
    rq.write_text(f"PREFIX dip: <{DIP}> SELECT ?event WHERE {{ ?event a dip:Meeting }}", encoding="utf-8")
    out = tmp_path / "v.html"
    code = main(["viz", "--store", str(location), "-o", str(out), "--focus", "Hugo de Zela", "--depth", "2",
                 "--max-nodes", "6", "--from", "2025", "--to", "2026-12-31", "--types", "Person", "Meeting,Place",
                 "--query", str(rq), "--title", "Zela", "--view", "entities"])
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert f"wrote {out}:" in printed and "left out" in printed
    data = graph_data(out.read_text(encoding="utf-8"))
    assert {n["kind"] for n in data["nodes"]} <= {"Person", "Meeting", "Place"} and len(data["nodes"]) <= 6
    assert data["meta"]["focus"] == str(HUGO) and data["meta"]["view"] == "entities"
    assert main(["viz", "--store", str(location), "-o", str(out), "--focus", "nadie"]) == 2
    assert "no node named 'nadie'" in capsys.readouterr().err
    for fmt in ("graphml", "cytoscape"):
        target = tmp_path / f"net.{fmt}"
        assert main(["export", "--format", fmt, "--store", str(location), "-o", str(target)]) == 0
        assert target.stat().st_size > 1000


# =========================================================================== real browser (selenium)

CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
try:
    import selenium  # noqa: F401

    HAVE_SELENIUM = True
except ImportError:  # pragma: no cover
    HAVE_SELENIUM = False

needs_webdriver = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None or not HAVE_SELENIUM,
    reason="needs chromium, chromium-driver (apt-get install -y chromium chromium-driver) and selenium",
)
WEBDRIVER_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
)
ALERT_TRAP = """
window.__alerts = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*WEBDRIVER_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1400, "height": 860, "deviceScaleFactor": 1, "mobile": False})
    # any alert() the page would run is recorded instead of shown
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
    yield driver
    driver.quit()


class Page:
    """A viewer page loaded in the browser, with what it logged and requested."""

    def __init__(self, driver, path: Path, timeout: float = 120):
        import time

        driver.get_log("browser")
        driver.get_log("performance")  # drop what earlier pages left
        self.driver, self.url = driver, path.as_uri()
        driver.get(self.url)
        deadline = time.monotonic() + timeout
        while self.js("return document.body.getAttribute('data-state')") != "ready":
            assert time.monotonic() < deadline, "the viewer did not reach data-state=ready"
            time.sleep(0.05)
        self.console = driver.get_log("browser")
        self.requests = [
            msg["params"]["request"]["url"]
            for msg in (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
            if msg.get("method") == "Network.requestWillBeSent"
        ]

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def more_console(self):
        self.console += self.driver.get_log("browser")
        return self.console

    def more_requests(self):
        self.requests += [
            msg["params"]["request"]["url"]
            for msg in (json.loads(entry["message"])["message"] for entry in self.driver.get_log("performance"))
            if msg.get("method") == "Network.requestWillBeSent"
        ]
        return self.requests

    def visible_nodes(self) -> set[str]:
        return set(self.js("var d = window.diplokg; return d.nodes.get({filter: function (n) { return !n.hidden; }})"
                           ".map(function (n) { return n.id; });"))

    def click_node(self, node_id: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        box = self.driver.find_element(By.ID, "network")
        point = self.js(
            "var d = window.diplokg, p = d.network.getPosition(arguments[0]); return d.network.canvasToDOM(p);", node_id)
        size = box.size
        ActionChains(self.driver).move_to_element_with_offset(
            box, int(point["x"] - size["width"] / 2), int(point["y"] - size["height"] / 2)).click().perform()


def seed_page(tmp_path: Path) -> tuple[Path, object]:
    """The viewer of the seed article (graphs/diplokg.trig, as `diplokg build` made it)."""
    from diplokg.lifecycle import import_file
    from diplokg.pipeline import ensure_ontology
    from diplokg.stores import open_store

    store = open_store(tmp_path / "seed-store")
    try:
        ensure_ontology(store)
        import_file(store, GRAPHS / "diplokg.trig")
        net = viz.network_from_store(store)
    finally:
        store.close()
    return viz.write_html(net, tmp_path / "seed.html", title="diplokg · artículo semilla"), net


def assert_offline_and_clean(page: Page) -> None:
    others = [u for u in page.more_requests() if u != page.url and not u.startswith("data:")]
    assert others == [], f"the page made network requests: {others}"
    assert page.more_console() == [], page.console
    assert page.js("return window.__alerts") == []


@pytest.mark.browser
@needs_webdriver
def test_seed_viewer_renders_offline_without_console_errors(browser, tmp_path):
    path, net = seed_page(tmp_path)
    page = Page(browser, path)
    assert page.js("return window.diplokg.nodes.length") == net.number_of_nodes() > 15
    assert page.js("return document.querySelector('#network canvas') !== null")
    assert page.js("return window.diplokg.network.body.nodeIndices.length") == net.number_of_nodes()
    assert page.js("return document.querySelectorAll('#legend li.legend-item').length") == len(net_kinds(net))
    assert_offline_and_clean(page)

    if os.environ.get("DIPLOKG_SCREENSHOT") == "1":
        # the README picture: the seed's meeting in Washington selected, its evidence in the panel
        import time

        import networkx as nx
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        meeting = next(n for n, a in net.nodes(data=True) if a["kind"] == "Meeting" and "Washington" in a["title"])
        main_part = sorted(max(nx.connected_components(net.to_undirected()), key=len))
        page.js("var n = window.diplokg.network; n.fit({nodes: arguments[0], animation: false});"
                "n.moveTo({position: n.getViewPosition(), scale: n.getScale() * 1.15, animation: false});", main_part)
        page.click_node(meeting)
        stage = browser.find_element(By.ID, "network")
        ActionChains(browser).move_to_element_with_offset(  # off every node: no tooltip in the picture
            stage, -stage.size["width"] // 2 + 5, -stage.size["height"] // 2 + 5).perform()
        time.sleep(0.6)
        assert "Evidencia" in page.js("return document.getElementById('details').textContent")
        DOCS.mkdir(exist_ok=True)
        browser.save_screenshot(str(DOCS / "viewer.png"))
        assert (DOCS / "viewer.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.browser
@needs_webdriver
def test_search_autocompletes_and_focuses_a_node(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path, _net = seed_page(tmp_path)
    page = Page(browser, path)
    box = browser.find_element(By.ID, "search")
    box.send_keys("ramd")
    items = browser.find_elements(By.CSS_SELECTOR, "#suggestions li")
    assert items and "Albert Ramdin" in items[0].text and "Persona" in items[0].text
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    ramdin = "https://w3id.org/diplokg/id/person/albert-ramdin"
    assert page.js("return window.diplokg.network.getSelectedNodes()") == [ramdin]
    assert page.js("return document.querySelector('#details h3').textContent") == "Albert Ramdin"
    assert page.js("return document.getElementById('suggestions').hidden") is True
    # an alias, accents ignored, through the form
    box.clear()
    box.send_keys("ee.uu", Keys.ENTER)
    assert page.js("return window.diplokg.network.getSelectedNodes()") == [
        "https://w3id.org/diplokg/id/country/estados-unidos"]
    assert_offline_and_clean(page)


@pytest.mark.browser
@needs_webdriver
def test_a_type_filter_hides_the_other_nodes(browser, tmp_path):
    from selenium.webdriver.common.by import By

    path, net = seed_page(tmp_path)
    page = Page(browser, path)
    persons = {n for n, k in net.nodes(data="kind") if k == "Person"}
    browser.find_element(By.ID, "show-none").click()
    assert page.visible_nodes() == set()
    browser.find_element(By.CSS_SELECTOR, '#legend li[data-kind="Person"] label').click()
    assert page.visible_nodes() == persons
    assert page.js("return window.diplokg.network.body.nodeIndices.length") == len(persons)
    assert page.js("return document.getElementById('count-nodes').textContent") == f"{len(persons)} de {len(net)}"
    browser.find_element(By.ID, "show-all").click()
    assert len(page.visible_nodes()) == len(net)
    assert_offline_and_clean(page)


@pytest.mark.browser
@needs_webdriver
def test_clicking_an_event_shows_its_evidence_with_article_title_date_and_link(browser, tmp_path):
    store = stored(seed_like_article_graph(), tmp_path / "store")
    try:
        path = viz.write_html(viz.network_from_store(store), tmp_path / "v.html")
    finally:
        store.close()
    page = Page(browser, path)
    page.js("window.diplokg.network.moveTo({scale: 1.0, animation: false});")
    page.js("window.diplokg.network.focus(arguments[0], {scale: 1.2, animation: false});", str(MEETING))
    page.click_node(str(MEETING))
    assert page.js("return window.diplokg.network.getSelectedNodes()") == [str(MEETING)]
    panel = page.js("return document.getElementById('details').innerText")
    assert "Reunión" in panel and EVIDENCE in panel
    assert ARTICLE_TITLE in panel and ISSUED in panel
    link = page.js("var a = document.querySelector('#details .evidence a'); return [a.href, a.rel, a.textContent];")
    assert link == [SOURCE_URL, "noopener noreferrer nofollow", "fuente"]
    assert "seguridad" in panel and "Hugo de Zela" in panel and "Washington D. C." in panel
    # an agent's panel: names, posts, events
    page.js("window.diplokg.focusNode(arguments[0]);", str(HUGO))
    panel = page.js("return document.getElementById('details').innerText")
    assert "De Zela" in panel and "canciller — Perú" in panel and "Reunión" in panel
    assert_offline_and_clean(page)


@pytest.mark.browser
@needs_webdriver
def test_views_event_filters_and_edge_labels(browser, tmp_path):
    from selenium.webdriver.common.by import By

    store = stored(seed_like_article_graph(), tmp_path / "store")
    try:
        net = viz.network_from_store(store)
    finally:
        store.close()
    page = Page(browser, viz.write_html(net, tmp_path / "v.html"))
    events = {n for n, k in net.nodes(data="kind") if k in viz.EVENT_KINDS}
    # status: hide planned events
    browser.find_element(By.CSS_SELECTOR, 'input.status-filter[value="Planned"]').click()
    shown = page.visible_nodes()
    assert str(iri("event/a1/visit-2")) not in shown and str(MEETING) in shown
    assert str(iri("delegation/a1/especialistas")) not in shown  # its only event is planned
    browser.find_element(By.CSS_SELECTOR, 'input.status-filter[value="Planned"]').click()
    # topic: only "seguridad"
    browser.find_element(By.ID, "topics-none").click()
    browser.find_element(By.CSS_SELECTOR, 'input.topic-filter[value="seguridad"]').click()
    assert page.visible_nodes() & events == {str(MEETING)}
    browser.find_element(By.ID, "topics-all").click()
    # dates: from 2026 on
    page.js("var i = document.getElementById('date-from'); i.value = '2026-01-01'; i.dispatchEvent(new Event('change'));")
    assert page.visible_nodes() & events == {str(iri("event/a1/visit-2"))}
    browser.find_element(By.ID, "dates-clear").click()
    assert page.visible_nodes() & events == events

    # edge labels: hidden when zoomed out, shown when zoomed in or hovered
    edge = page.js("return window.diplokg.edges.getIds()[0]")
    page.js("window.diplokg.network.moveTo({scale: 0.5, animation: false}); window.diplokg.network.redraw();")
    assert page.js("return window.diplokg.edgeLabelSize(arguments[0])", edge) == 0
    page.js("window.diplokg.network.body.emitter.emit('hoverEdge', {edge: arguments[0]});", edge)
    assert page.js("return window.diplokg.edgeLabelSize(arguments[0])", edge) > 0
    page.js("window.diplokg.network.body.emitter.emit('blurEdge', {edge: arguments[0]});", edge)
    assert page.js("return window.diplokg.edgeLabelSize(arguments[0])", edge) == 0
    page.js("window.diplokg.network.moveTo({scale: 2, animation: false}); window.diplokg.network.redraw();")
    assert page.js("return window.diplokg.edgeLabelSize(arguments[0])", edge) > 0

    # the entity network: agents only, linked by shared events (weighted)
    browser.find_element(By.CSS_SELECTOR, 'input[name="view"][value="entities"]').find_element(By.XPATH, "..").click()
    assert page.js("return window.diplokg.view()") == "entities"
    kinds = set(page.js("return window.diplokg.nodes.get().map(function (n) { return n.kind; })"))
    assert kinds and kinds <= viz.AGENT_KIND_SET
    labels = page.js("return window.diplokg.edges.get().map(function (e) { return [e.from, e.to, e.label]; })")
    assert [min(str(HUGO), str(RUBIO)), max(str(HUGO), str(RUBIO)), "2 eventos"] in labels
    # event filters re-weigh the links: without agreements, Hugo and Rubio share one event
    browser.find_element(By.CSS_SELECTOR, 'input.kind-filter[value="Agreement"]').click()
    labels = page.js("return window.diplokg.edges.get().map(function (e) { return [e.from, e.to, e.label]; })")
    assert [min(str(HUGO), str(RUBIO)), max(str(HUGO), str(RUBIO)), "1 evento"] in labels
    # searching an event goes back to the event graph
    page.js("window.diplokg.focusNode(arguments[0]);", str(MEETING))
    assert page.js("return window.diplokg.view()") == "events"
    assert_offline_and_clean(page)


@pytest.mark.browser
@needs_webdriver
def test_entity_network_without_drawn_events(browser, tmp_path):
    store = stored(seed_like_article_graph(), tmp_path / "store")
    try:
        net = viz.network_from_store(store, types=["Person"])
    finally:
        store.close()
    page = Page(browser, viz.write_html(net, tmp_path / "persons.html"))
    assert page.js("return window.diplokg.view()") == "entities"
    shown = page.js("return window.diplokg.edges.get({filter: function (e) { return !e.hidden; }})"
                    ".map(function (e) { return e.label; })")
    assert "2 eventos" in shown
    page.js("window.diplokg.focusNode(arguments[0]);", str(HUGO))
    panel = page.js("return document.getElementById('details').textContent")
    assert "canciller — Perú" in panel  # Perú is not drawn: its name, not a link
    assert "Con quién (3)" in panel and "Marco Rubio · 2 eventos" in panel and "Alfredo Ferrero · 1 evento" in panel
    assert_offline_and_clean(page)


INJECTED = "<img src=x onerror=alert(1)>"


@pytest.mark.browser
@needs_webdriver
def test_a_script_injected_in_article_strings_does_not_run(browser, tmp_path):
    from selenium.webdriver.common.by import By

    g = seed_like_article_graph()
    g.set((RUBIO, RDFS.label, Literal(INJECTED, lang="es")))
    g.add((RUBIO, SKOS.altLabel, Literal("<script>alert(2)</script>", lang="es")))
    g.set((ARTICLE, DCTERMS.title, Literal("</script><svg onload=alert(3)>", lang="es")))
    g.set((ARTICLE, DCTERMS.source, Literal("javascript:alert(5)")))  # never becomes a link
    g.set((MENTION, DIP.text, Literal(f"dijo {INJECTED} y <iframe src=javascript:alert(4)>")))
    store = stored(g, tmp_path / "store")
    try:
        path = viz.write_html(viz.network_from_store(store), tmp_path / "evil.html", title=INJECTED)
    finally:
        store.close()
    page = Page(browser, path)
    assert page.js("return document.title") == INJECTED
    box = browser.find_element(By.ID, "search")
    box.send_keys("<img")
    assert INJECTED in browser.find_element(By.CSS_SELECTOR, "#suggestions li").text
    page.js("window.diplokg.focusNode(arguments[0]);", str(RUBIO))
    assert page.js("return document.querySelector('#details h3').textContent") == INJECTED
    page.js("window.diplokg.focusNode(arguments[0]);", str(MEETING))
    panel = page.js("return document.getElementById('details').textContent")
    assert INJECTED in panel and "</script><svg onload=alert(3)>" in panel
    assert "javascript:alert(5)" in panel and page.js("return document.querySelectorAll('#details a').length") == 0
    # hover tooltips are text too
    page.js("window.diplokg.network.body.emitter.emit('hoverNode', {node: arguments[0]});", str(RUBIO))
    assert page.js("return document.querySelectorAll('img, iframe, svg [onload], #details svg, #suggestions svg').length") == 0
    assert page.js("return document.querySelectorAll('script').length") == 3
    assert_offline_and_clean(page)  # no request for "x", no alert


@pytest.mark.browser
@needs_webdriver
def test_big_network_is_laid_out_in_python_and_draws(browser, tmp_path, synthetic):
    net = viz.network_from_store(synthetic)
    assert net.number_of_nodes() > viz.PHYSICS_MAX_NODES
    page = Page(browser, viz.write_html(net, tmp_path / "big.html"))
    assert page.js("return document.body.getAttribute('data-layout')") == "python"
    assert page.js("return window.diplokg.network.physics.physicsEnabled") is False
    assert page.js("return window.diplokg.network.body.nodeIndices.length") == net.number_of_nodes()
    person = next(n for n, k in net.nodes(data="kind") if k == "Person")
    page.js("window.diplokg.focusNode(arguments[0]);", person)
    assert page.js("return window.diplokg.network.getSelectedNodes()") == [person]
    assert_offline_and_clean(page)
