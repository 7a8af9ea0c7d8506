"""The HTML view without a browser: view selection, capping, the page's bytes and its escaping."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from graph.errors import KGError
from graph.export import html as view_html
from graph.export.html import (
    View,
    find_entity,
    layout,
    page_data,
    render_html,
    select_view,
    write_html,
)

KG = "https://example.org/kg/"
EVIL = "<img src=x onerror=alert(1)>"
EVIL_SCRIPT = "</script><script>alert(1)</script>"


def paper(g: nx.DiGraph, key: str, title: str) -> str:
    iri = f"{KG}paper/{key}"
    g.add_node(iri, kind="Paper", label=title, title=title, date="2024-03-14", arxiv=key)
    return iri


def entity(g: nx.DiGraph, kind: str, label: str, aliases: str = "", evidence: str = "") -> str:
    iri = f"{KG}{kind.lower()}/{re.sub(r'[^A-Za-z0-9]+', '-', label) or 'x'}"
    g.add_node(
        iri,
        kind=kind,
        label=label,
        aliases=aliases,
        papers=0,
        evidence=evidence,
        group=False,
        codes="",
    )
    return iri


PREDICATE = {
    "Model": "mentionsModel",
    "Dataset": "usesDataset",
    "Method": "usesMethod",
    "Language": "mentionsLanguage",
}


def link(g: nx.DiGraph, p: str, e: str, predicate: str | None = None) -> None:
    g.add_edge(
        p, e, predicate=predicate or PREDICATE[g.nodes[e]["kind"]], rule="vocab", confidence=0.9
    )


def count_papers(g: nx.DiGraph) -> nx.DiGraph:
    for n, d in g.nodes(data=True):
        if d["kind"] != "Paper":
            d["papers"] = sum(1 for p in g.predecessors(n) if g.nodes[p]["kind"] == "Paper")
    return g


def tiny_graph() -> nx.DiGraph:
    """5 papers; LLaMA (4 papers) > GPT-4 (3) > GLUE (2) > LoRA (1) = English (1); Alpaca (0)."""
    g = nx.DiGraph()
    p = [paper(g, f"2403.0000{i}", f"Paper number {i}") for i in range(1, 6)]
    llama = entity(g, "Model", "LLaMA", "Llama | LLaMA-1", "We fine-tune LLaMA on our data.")
    gpt4 = entity(g, "Model", "GPT-4", "", "GPT-4 is strong.")
    glue = entity(g, "Dataset", "GLUE", "General Language Understanding Evaluation")
    lora = entity(g, "Method", "LoRA", "low-rank adaptation")
    english = entity(g, "Language", "English")
    alpaca = entity(g, "Model", "Alpaca")
    for i in range(4):
        link(g, p[i], llama)
    for i in (0, 1, 4):
        link(g, p[i], gpt4)
    link(g, p[1], glue)
    link(g, p[2], glue)
    link(g, p[3], lora, "proposes")
    link(g, p[4], english)
    g.add_edge(alpaca, llama, predicate="variantOf")
    return count_papers(g)


def malicious_graph() -> nx.DiGraph:
    """Titles and labels that would run script if they were ever treated as markup."""
    g = nx.DiGraph()
    p1 = paper(g, "2401.00001", EVIL)
    p2 = paper(g, "2401.00002", EVIL_SCRIPT + " \"quoted\" 'single' & <b>bold</b>")
    p3 = paper(g, "2401.00003", "RTL \u202eevil\u202c mark \u200f and emoji 🦙🔥 and \u2028 line")
    e1 = entity(
        g,
        "Model",
        "<script>alert(1)</script>",
        "<svg onload=alert(1)>",
        "Evidence: </script><img src=x onerror=alert(1)>",
    )
    e2 = entity(g, "Dataset", 'Q&A "set" </SCRIPT>', "&amp; &lt;b&gt;", "&lt;not markup&gt;")
    e3 = entity(g, "Method", "\u202eLoRA", "🦙 emoji alias")
    for p in (p1, p2, p3):
        link(g, p, e1)
    link(g, p1, e2)
    link(g, p3, e3)
    return count_papers(g)


def kinds(view: View) -> dict[str, int]:
    return dict(view.shown)


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert m, "no graph-data script"
    return json.loads(m.group(1))


# --- select_view --------------------------------------------------------------------------


def test_overview_takes_the_most_linked_entities_and_their_papers():
    g = tiny_graph()
    view = select_view(g, top=2)
    labels = {g.nodes[n]["label"] for n in view.graph if g.nodes[n]["kind"] != "Paper"}
    assert labels == {"LLaMA", "GPT-4"}
    assert view.shown == {"Paper": 5, "Model": 2}
    assert view.total == {"Paper": 5, "Model": 3, "Dataset": 1, "Method": 1, "Language": 1}
    assert view.omitted == {"Model": 1, "Dataset": 1, "Method": 1, "Language": 1}
    assert view.edge_count == 4 + 3  # only links among shown nodes
    assert view.note() == (
        "showing 2 of 5 linked entities, 0 of 1 family-only entity and all 5 papers; "
        "use kg view --focus NAME to see one entity's neighbourhood"
    )


def test_overview_keeps_variant_edges_among_shown_entities():
    g = tiny_graph()
    view = select_view(g, top=10)
    alpaca, llama = f"{KG}model/Alpaca", f"{KG}model/LLaMA"
    assert view.graph.has_edge(alpaca, llama)
    assert view.graph.edges[alpaca, llama]["predicate"] == "variantOf"
    assert view.node_count == g.number_of_nodes() and view.omitted == {}
    assert view.note() == "showing all 5 linked entities, 1 family-only entity and all 5 papers"


def test_overview_leaves_out_entities_with_no_papers_and_no_links():
    g = tiny_graph()
    entity(g, "Model", "Lonely")
    view = select_view(g, top=100)
    assert f"{KG}model/Lonely" not in view.graph
    assert view.omitted == {"Model": 1}
    whole = select_view(g, top=None)
    assert whole.node_count == g.number_of_nodes()


def test_overview_order_is_by_papers_then_label():
    g = tiny_graph()
    view = select_view(g, top=4)  # LoRA and English both have 1 paper: English sorts first
    shown = {g.nodes[n]["label"] for n in view.graph if g.nodes[n]["kind"] != "Paper"}
    assert shown == {"LLaMA", "GPT-4", "GLUE", "English"}


@pytest.mark.parametrize("name", ["LLaMA", "llama", "  LLAMA ", "LLaMA-1", "llama-1"])
def test_focus_finds_label_or_alias_case_insensitively(name):
    assert find_entity(tiny_graph(), name) == f"{KG}model/LLaMA"


def test_focus_prefers_a_label_over_an_alias():
    g = tiny_graph()
    entity(g, "Method", "llama-1", "")  # a label equal to LLaMA's alias "LLaMA-1"
    assert find_entity(g, "LLaMA-1") == f"{KG}method/llama-1"
    assert find_entity(g, "Llama") == f"{KG}model/LLaMA"
    assert find_entity(g, f"{KG}model/GPT-4") == f"{KG}model/GPT-4"


def test_focus_unknown_name_raises_with_hint():
    with pytest.raises(KGError) as info:
        select_view(tiny_graph(), focus="LLaNA")
    message = str(info.value)
    assert "no entity named 'LLaNA'" in message
    assert "kg stats" in message and "'LLaMA'" in message


def test_focus_ego_graph_depths():
    g = tiny_graph()
    llama = f"{KG}model/LLaMA"
    zero = select_view(g, focus="LLaMA", depth=0)
    assert set(zero.graph) == {llama}
    one = select_view(g, focus="LLaMA", depth=1)
    assert set(one.graph) == {llama, f"{KG}model/Alpaca"} | {
        f"{KG}paper/2403.0000{i}" for i in range(1, 5)
    }
    two = select_view(g, focus="llama", depth=2)
    assert {f"{KG}model/GPT-4", f"{KG}dataset/GLUE", f"{KG}method/LoRA"} <= set(two.graph)
    assert f"{KG}language/English" not in two.graph  # 3 hops away, through paper 5
    assert two.focus == llama and two.focus_label == "LLaMA" and two.depth == 2
    assert two.note().startswith("showing the neighbourhood of LLaMA (depth 2): ")
    assert two.omitted == {"Paper": 1, "Language": 1}


def test_cap_drops_low_degree_papers_first_then_least_linked_entities():
    g = tiny_graph()
    whole = select_view(g, top=None)
    capped = select_view(g, top=None, max_nodes=whole.node_count - 2)
    assert capped.capped == {"Paper": 2} and capped.node_count == whole.node_count - 2
    assert "capped at 9 nodes" in capped.note()
    # paper 2 holds 3 links, the others 2: the two smallest IRIs of those go
    assert {n for n in g if n not in capped.graph} == {
        f"{KG}paper/2403.00001",
        f"{KG}paper/2403.00003",
    }
    only_entities = select_view(g, top=None, max_nodes=3)
    assert only_entities.capped == {"Paper": 5, "Model": 1, "Method": 1, "Language": 1}
    labels = {g.nodes[n]["label"] for n in only_entities.graph}
    assert labels == {"LLaMA", "GPT-4", "GLUE"}


def test_cap_never_drops_the_focus_and_drops_the_farthest_first():
    g = tiny_graph()
    view = select_view(g, focus="GLUE", depth=2, max_nodes=1)
    assert set(view.graph) == {f"{KG}dataset/GLUE"}
    view = select_view(g, focus="GLUE", depth=2, max_nodes=3)
    assert set(view.graph) == {
        f"{KG}dataset/GLUE",
        f"{KG}paper/2403.00002",
        f"{KG}paper/2403.00003",
    }


@pytest.mark.parametrize("kwargs", [{"max_nodes": 0}, {"depth": -1, "focus": "LLaMA"}, {"top": -1}])
def test_bad_arguments_raise(kwargs):
    with pytest.raises(KGError):
        select_view(tiny_graph(), **kwargs)


def test_attributes_as_graphml_gives_them_back(tmp_path):
    path = tmp_path / "g.graphml"
    nx.write_graphml_lxml(tiny_graph(), str(path))
    g = nx.read_graphml(str(path))
    view = select_view(g, top=2)
    assert view.shown == {"Paper": 5, "Model": 2}
    data = page_data(view)
    assert {n["label"] for n in data["nodes"] if n["kind"] == "Model"} == {"LLaMA", "GPT-4"}


# --- the page -----------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_page_is_self_contained():
    page = render_html(select_view(tiny_graph()))
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), (tag, name, value)
    assert [t for t, a in parser.tags if t == "script"] == ["script"] * 3
    assert not re.search(r"https?://(?!example\.org/kg/)[^\s\"']*\.(js|css)", page)
    assert "sourceMappingURL" not in page
    assert "@@" not in page.split("<script", 1)[0]  # every marker was filled


def test_page_embeds_the_view_counts():
    view = select_view(tiny_graph(), top=3)
    data = embedded_data(render_html(view))
    assert len(data["nodes"]) == view.node_count
    assert len(data["edges"]) == view.edge_count
    assert data["note"] == view.note()
    legend = {k["kind"]: (k["shown"], k["total"]) for k in data["kinds"]}
    assert legend == {
        "Model": (2, 3),
        "Dataset": (1, 1),
        "Method": (0, 1),
        "Language": (0, 1),
        "Paper": (5, 5),
    }
    assert [k["kind"] for k in data["kinds"]] == ["Model", "Dataset", "Method", "Language", "Paper"]


def test_tooltip_fields_and_sizes():
    data = page_data(select_view(tiny_graph(), top=None))
    by_label = {n["label"]: n for n in data["nodes"]}
    llama = by_label["LLaMA"]
    assert llama["aliases"] == ["Llama", "LLaMA-1"]
    assert llama["papers"] == 4 and llama["evidence"] == "We fine-tune LLaMA on our data."
    assert llama["size"] > by_label["GPT-4"]["size"] > by_label["Alpaca"]["size"]
    paper_node = by_label["Paper number 1"]
    assert paper_node["kind"] == "Paper" and paper_node["arxiv"] == "2403.00001"
    assert paper_node["size"] < by_label["Alpaca"]["size"]
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])


def test_csp_allows_exactly_the_inline_scripts():
    page = render_html(select_view(tiny_graph()))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert (
        "default-src 'none'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_output_is_deterministic_whatever_the_insertion_order():
    g = tiny_graph()
    reordered = nx.DiGraph()
    reordered.add_nodes_from(sorted(g.nodes(data=True), reverse=True))
    reordered.add_edges_from(sorted(g.edges(data=True), reverse=True))
    first = render_html(select_view(g, top=None))
    assert first == render_html(select_view(g, top=None))
    assert first == render_html(select_view(reordered, top=None))


def test_layout_places_every_node_apart():
    g = tiny_graph()
    for i in range(40):  # a bigger component, and some loose papers
        p = paper(g, f"2405.{i:05d}", f"Extra {i}")
        if i % 4:
            link(g, p, f"{KG}model/GPT-4")
    pos = layout(select_view(g, top=None).graph)
    assert set(pos) == set(g)
    points = sorted(pos.values())
    assert len(set(points)) == len(points)
    assert all(math.isfinite(c) for xy in points for c in xy)


def test_empty_graph_renders():
    view = select_view(nx.DiGraph())
    assert view.node_count == 0 and view.note() == "showing all 0 linked entities and all 0 papers"
    data = embedded_data(render_html(view))
    assert data["nodes"] == [] and data["edges"] == []


# --- safety -------------------------------------------------------------------------------


def test_malicious_text_never_leaves_the_json_string():
    g = malicious_graph()
    page = render_html(select_view(g, top=None), title=EVIL + " & </title>")
    # exactly the page's own three script elements open and close
    assert len(re.findall(r"</script", page, re.I)) == 3
    vis = (Path(view_html.__file__).parent / "templates" / view_html.VIS_FILE).read_text()
    assert len(re.findall(r"<script", page.replace(vis, ""), re.I)) == 3
    assert "<!--" not in page
    assert "<img" not in page and "<svg" not in page.lower()
    assert "<title>&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/title&gt;</title>" in page
    data = embedded_data(page)
    labels = {n["label"] for n in data["nodes"]}
    # the data comes back exactly, as text
    assert {g.nodes[n]["label"] for n in g} == labels
    assert any("🦙" in a for n in data["nodes"] for a in n.get("aliases", []))
    json_text = re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1)
    assert not set(json_text) & set("<>&\u2028\u2029")


def test_lone_surrogates_do_not_break_writing(tmp_path):
    g = tiny_graph()
    g.nodes[f"{KG}model/LLaMA"]["label"] = "bad \ud800 text"
    target = tmp_path / "graph.html"
    write_html(g, target, title="t \udfff")
    page = target.read_text(encoding="utf-8")
    assert "<title>t ?</title>" in page
    assert [n["label"] for n in embedded_data(page)["nodes"] if "bad" in n["label"]] == [
        "bad ? text"
    ]


def test_page_code_uses_no_html_sinks():
    js = (Path(view_html.__file__).parent / "templates" / "view.js").read_text()
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("on',
    ):
        assert sink not in js


# --- writing ------------------------------------------------------------------------------


def test_write_html_is_atomic_and_returns_the_view(tmp_path):
    target = tmp_path / "out" / "graph.html"
    view = write_html(tiny_graph(), target, top=2, title="My graph")
    assert isinstance(view, View) and view.shown == {"Paper": 5, "Model": 2}
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>My graph</title>" in text
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]
    assert target.read_bytes() == render_html(view, title="My graph").encode("utf-8")


def test_write_html_focus_error_leaves_no_file(tmp_path):
    target = tmp_path / "graph.html"
    with pytest.raises(KGError):
        write_html(tiny_graph(), target, focus="nothing like this")
    assert not target.exists()


def test_vendored_vis_network_is_pyvis_copy():
    pyvis = pytest.importorskip("pyvis")
    original = (
        Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    )
    if not original.exists():
        pytest.skip("this pyvis does not ship vis-network 9.1.2")
    vendored = Path(view_html.__file__).parent / "templates" / view_html.VIS_FILE
    lines = original.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[-1].startswith("//# sourceMappingURL=")
    assert vendored.read_text(encoding="utf-8") == "".join(lines[:-1])


def test_screenshot_needs_an_existing_page(tmp_path):
    with pytest.raises(KGError, match="no such HTML file"):
        view_html.screenshot(tmp_path / "missing.html", tmp_path / "x.png")


# --- the focus, links, abstracts, the legend of links (issue 15, snag 28) ------------------


def test_the_focus_node_is_marked():
    g = tiny_graph()
    data = page_data(select_view(g, focus="llama", depth=1))
    marked = [n for n in data["nodes"] if n.get("focus")]
    assert [n["label"] for n in marked] == ["LLaMA"]
    assert data["focus"] == marked[0]["id"]
    overview = page_data(select_view(g))
    assert overview["focus"] is None and not any(n.get("focus") for n in overview["nodes"])


def test_papers_carry_a_link_and_their_abstract():
    g = tiny_graph()
    p1, p2, p3 = (f"{KG}paper/2403.0000{i}" for i in (1, 2, 3))
    g.nodes[p1]["abstract"] = "We study things. " * 200
    g.nodes[p2].update(arxiv="", url="https://example.org/paper-two")
    g.nodes[p3].update(arxiv="", url="javascript:alert(1)")
    by_iri = {n["iri"]: n for n in page_data(select_view(g, top=None))["nodes"]}
    assert by_iri[p1]["url"] == "https://arxiv.org/abs/2403.00001"
    assert by_iri[p1]["abstract"].startswith("We study things.")
    assert len(by_iri[p1]["abstract"]) <= view_html.ABSTRACT_CHARS
    assert by_iri[p1]["abstract"].endswith("…")
    assert by_iri[p2]["url"] == "https://example.org/paper-two"
    assert by_iri[p3]["url"] == ""  # never a javascript: (or any non-http) link
    assert "url" not in by_iri[f"{KG}model/LLaMA"]


@pytest.mark.parametrize(
    ("attrs", "link"),
    [
        ({"arxiv": "2402.16445"}, "https://arxiv.org/abs/2402.16445"),
        ({"arxiv": "2402.16445v2"}, "https://arxiv.org/abs/2402.16445v2"),
        ({"arxiv": "hep-th/9901001"}, "https://arxiv.org/abs/hep-th/9901001"),
        ({"arxiv": "math.GT/0309136"}, "https://arxiv.org/abs/math.GT/0309136"),
        ({"arxiv": '2402.1" onmouseover="x', "url": "http://ok.org/a"}, "http://ok.org/a"),
        ({"url": "HTTPS://Example.org/X"}, "HTTPS://Example.org/X"),
        ({"url": "data:text/html,<script>alert(1)</script>"}, ""),
        ({"url": "https://x.org/a b"}, ""),
        ({}, ""),
    ],
)
def test_paper_links(attrs, link):
    assert view_html.paper_link(attrs) == link


def test_the_legend_explains_the_links_shown():
    g = tiny_graph()
    legend = {e["kind"]: e for e in page_data(select_view(g, top=None))["edgeKinds"]}
    assert list(legend) == ["link", "proposes", "variantOf"]
    assert "dashed arrow" in legend["variantOf"]["label"]
    assert "thicker line" in legend["proposes"]["label"]
    assert legend["link"]["shown"] == 10 and legend["proposes"]["shown"] == 1
    only = page_data(select_view(g, top=1))["edgeKinds"]
    assert [e["kind"] for e in only] == ["link"]  # no proposal, no variant in this view


def test_graphml_leaves_abstracts_out_and_the_graph_as_it_was(tmp_path):
    from graph.export import write_graphml

    g = tiny_graph()
    p1 = f"{KG}paper/2403.00001"
    g.nodes[p1]["abstract"] = "An abstract."
    write_graphml(g, tmp_path / "g.graphml")
    back = nx.read_graphml(str(tmp_path / "g.graphml"))
    assert "abstract" not in back.nodes[p1] and back.nodes[p1]["label"] == "Paper number 1"
    assert g.nodes[p1]["abstract"] == "An abstract."


# --- the projection from RDF (kg view -g graph.ttl; issue 15, snag 5) ----------------------


def test_the_projection_from_rdf_is_the_builds(tmp_path, fixtures, mini_vocab):
    from graph.build import to_networkx
    from graph.export.projection import networkx_from_store
    from graph.ingest import read_inputs
    from graph.pipeline import build, build_records
    from graph.store import open_graph

    inputs = [str(fixtures / "ingest" / n) for n in ("daily.txt", "arxiv.jsonl", "generic.jsonl")]
    build(inputs, tmp_path / "b", formats=["ttl"], jobs=1, vocabulary=mini_vocab)
    records, resolution = build_records(read_inputs(inputs), vocabulary=mini_vocab, jobs=1)
    expected = to_networkx(records, resolution)
    for source in (tmp_path / "b", tmp_path / "b" / "graph.ttl"):
        got = networkx_from_store(open_graph(source))
        assert set(got.nodes) == set(expected.nodes)
        assert {(u, v, d["predicate"]) for u, v, d in got.edges(data=True)} == {
            (u, v, d["predicate"]) for u, v, d in expected.edges(data=True)
        }
        for n, want in expected.nodes(data=True):
            have = got.nodes[n]
            for key in ("kind", "label", "title", "date", "arxiv", "abstract", "papers",
                        "aliases", "group", "codes"):  # fmt: skip
                if key in want:
                    assert str(have[key]) == str(want[key]), (n, key)
            assert view_html.paper_link(have) == view_html.paper_link(want)
            if want.get("kind") != "Paper" and want["papers"]:
                assert have["evidence"]  # an evidence sentence (chosen by confidence)


def test_legend_counts_linked_and_family_only_entities_apart():
    """Snag 7: the view counted 744 entities where the build said 717 (plus family roots)."""
    data = page_data(select_view(tiny_graph(), top=None))
    models = next(k for k in data["kinds"] if k["kind"] == "Model")
    assert (models["total"], models["familyTotal"], models["familyShown"]) == (3, 1, 1)
    overview = next(
        k for k in page_data(select_view(tiny_graph(), top=2))["kinds"] if k["kind"] == "Model"
    )
    assert (overview["shown"], overview["familyShown"]) == (2, 0)


# ------------------------------------------------------------------ relations between entities


def _relations_graph() -> nx.DiGraph:
    """The networkx projection of two papers stating relations between three entities."""
    from graph.build import to_networkx
    from graph.records import Mention, Paper, PaperRecord, Relation, SourceRef
    from graph.resolve import Entity, Link, Resolution, Statement

    foo = Entity(f"{KG}model/FooNet", "Model", "FooNet", papers=2)
    bar = Entity(f"{KG}model/BarNet", "Model", "BarNet", papers=1)
    glue = Entity(f"{KG}dataset/GLUE", "Dataset", "GLUE", papers=1)
    records = []
    for key, abstract in (("p1", "FooNet outperforms BarNet on GLUE."), ("p2", "FooNet wins.")):
        paper = Paper(f"Paper {key} {EVIL}", abstract, SourceRef("f", 1))
        records.append(PaperRecord(key, paper, [paper.source]))

    def st(key, s, p, o, end):
        rel = Relation(p, "x", "Model", "y", "Model", "abstract", 0, end, "cue-test", 0.8)
        return Statement(key, s.iri, p, o.iri, rel)

    resolution = Resolution(
        entities={e.iri: e for e in (foo, bar, glue)},
        links=[Link("p1", foo.iri, "proposes", []), Link("p1", bar.iri, "mentionsModel", [])],
        statements=[
            st("p1", foo, "outperforms", bar, 34),
            st("p1", foo, "evaluatedOn", glue, 34),
            st("p2", foo, "outperforms", bar, 12),
        ],
    )
    for link in resolution.links:
        name = link.entity_iri.rsplit("/", 1)[-1]
        link.mentions.append(
            Mention("Model", name, "abstract", 0, len(name), f"{name} is here.", "vocab", 0.9)
        )
    return to_networkx(records, resolution)


def test_relations_become_styled_edges_with_a_legend_and_tooltips():
    g = _relations_graph()
    foo, bar = f"{KG}model/FooNet", f"{KG}model/BarNet"
    assert g.edges[foo, bar]["predicate"] == "outperforms"
    assert g.edges[foo, bar]["papers"] == 2
    data = page_data(select_view(g, top=None))
    ids = {n["iri"]: n["id"] for n in data["nodes"]}
    assert [ids[foo], ids[bar], "outperforms"] in data["edges"]
    legend = {r["predicate"]: r for r in data["relations"]}
    assert set(legend) == {"outperforms", "evaluatedOn"}
    assert legend["outperforms"]["label"] == "outperforms" and legend["outperforms"]["color"]
    by_label = {n["label"]: n for n in data["nodes"]}
    tip = by_label["FooNet"]["relations"]
    assert tip[0] == {
        "predicate": "outperforms",
        "label": "outperforms",
        "out": True,
        "other": "BarNet",
        "papers": 2,
        "sentence": "FooNet outperforms BarNet on GLUE.",
        "title": f"Paper p1 {EVIL}",
    }
    assert by_label["BarNet"]["relations"][0]["out"] is False
    # the page carries titles as data only: no markup gets through
    page = render_html(select_view(g, top=None))
    assert EVIL not in page


def test_graphml_holds_the_relation_lists(tmp_path):
    from graph.export import write_graphml

    g = _relations_graph()
    write_graphml(g, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert json.loads(back.nodes[f"{KG}model/FooNet"]["relations"])[0][:3] == [
        "outperforms",
        "out",
        "BarNet",
    ]
