"""The HTML view in a real browser: Debian's Chromium, driven by Playwright, offline.

Each page is opened from file:// and must: hold exactly the view's nodes and edges, log no
error, make no request at all, come to rest by itself, find and focus a searched node, hide a
type when its box is unticked, highlight a clicked node's neighbourhood, and run no script
smuggled in through a title. A screenshot of each lands in the test's tmp dir.

The pages of kg serve and kg site are walked at the end: home -> search -> entity -> paper ->
its arXiv link (the link is checked, never followed), charts seen, hostile titles kept as text.

If /usr/bin/chromium is missing, the session installs it with apt-get when run as root, saying
so first (KG_TEST_NO_APT=1 skips these tests instead); without apt or root the tests are
skipped with the reason. `playwright install` is never run: no browser download.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import networkx as nx
import pytest

from graph.export import html as view_html
from graph.export.html import render_html, select_view, write_html

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
KG = "https://example.org/kg/"
EVIL = "<img src=x onerror=alert(1)>"
PAYLOAD = "window.__kgPwned = 1; alert(1)"
STABLE_TIMEOUT_MS = 60_000


# --- graphs -------------------------------------------------------------------------------

PREDICATE = {
    "Model": "mentionsModel",
    "Dataset": "usesDataset",
    "Method": "usesMethod",
    "Language": "mentionsLanguage",
}


class Graph:
    """A tiny graph builder in the shape of graph.build.to_networkx."""

    def __init__(self) -> None:
        self.g = nx.DiGraph()

    def paper(self, key: str, title: str, **attrs: str) -> str:
        iri = f"{KG}paper/{key}"
        self.g.add_node(
            iri, kind="Paper", label=title, title=title, date="2024-03-14", arxiv=key,
            abstract=attrs.pop("abstract", f"The abstract of {title}."), **attrs,
        )  # fmt: skip
        return iri

    def entity(self, kind: str, key: str, label: str, aliases: str = "", evidence: str = "") -> str:
        iri = f"{KG}{kind.lower()}/{key}"
        self.g.add_node(
            iri, kind=kind, label=label, aliases=aliases, papers=0, evidence=evidence,
            group=False, codes="",
        )  # fmt: skip
        return iri

    def link(self, paper: str, entity: str, predicate: str | None = None) -> None:
        kind = self.g.nodes[entity]["kind"]
        self.g.add_edge(
            paper, entity, predicate=predicate or PREDICATE[kind], rule="vocab", confidence=0.9
        )

    def done(self) -> nx.DiGraph:
        for n, d in self.g.nodes(data=True):
            if d["kind"] != "Paper":
                d["papers"] = sum(1 for p in self.g.predecessors(n))
        return self.g


def small_graph() -> nx.DiGraph:
    """8 papers and 7 entities of all four types, one variantOf edge."""
    b = Graph()
    papers = [b.paper(f"2403.{i:05d}", f"A study of thing {i}") for i in range(8)]
    llama = b.entity("Model", "llama", "LLaMA", "Llama | LLaMA-1", "We fine-tune LLaMA.")
    alpaca = b.entity("Model", "alpaca", "Alpaca", "", "Alpaca follows instructions.")
    gpt4 = b.entity("Model", "gpt-4", "GPT-4", "GPT4", "GPT-4 is strong.")
    glue = b.entity("Dataset", "glue", "GLUE", "General Language Understanding Evaluation")
    squad = b.entity("Dataset", "squad", "SQuAD", "Stanford Question Answering Dataset")
    lora = b.entity("Method", "lora", "LoRA", "low-rank adaptation", "We use LoRA.")
    english = b.entity("Language", "english", "English", "en")
    for i, p in enumerate(papers):
        b.link(p, llama if i % 2 else gpt4)
        if i % 3 == 0:
            b.link(p, glue)
        if i in (1, 5):
            b.link(p, squad)
        if i in (2, 3):
            b.link(p, lora, "proposes")
        if i == 7:
            b.link(p, english)
        if i == 4:
            b.link(p, alpaca)
    b.g.add_edge(alpaca, llama, predicate="variantOf")
    return b.done()


def malicious_graph() -> nx.DiGraph:
    """Titles, labels, aliases and evidence that would run script if treated as markup."""
    b = Graph()
    p1 = b.paper("2401.00001", EVIL)
    p2 = b.paper("2401.00002", f"</script><script>{PAYLOAD}</script>")
    p3 = b.paper("2401.00003", "\"quotes\" 'single' & <b>bold</b> \u202eRTL\u202c \u200f 🦙🔥")
    e1 = b.entity(
        "Model",
        "evil",
        f'<img src=x onerror="{PAYLOAD}">',
        f'<svg onload="{PAYLOAD}"> | </SCRIPT><script>{PAYLOAD}</script>',
        f'</script><img src=x onerror="{PAYLOAD}"> and <iframe src="javascript:{PAYLOAD}">',
    )
    e2 = b.entity("Dataset", "amp", 'Q&A "set" &lt;b&gt;', "", "&amp; text")
    e3 = b.entity("Method", "rtl", "\u202eAROL 🦙", "emoji 🔥")
    for p in (p1, p2, p3):
        b.link(p, e1)
    b.link(p1, e2)
    b.link(p3, e3)
    return b.done()


# --- browser fixtures ---------------------------------------------------------------------


# The session-wide `chromium_executable` and `browser` fixtures live in tests/conftest.py, so
# every test file shares one Playwright session (two sync sessions cannot run in one process).


@dataclass
class Opened:
    """A page and everything it did."""

    page: object
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]


@pytest.fixture
def open_page(browser, tmp_path) -> Iterator:
    """open_page(path_or_url) -> Opened, waiting until <body data-stable="true">."""
    contexts = []

    def opener(target: Path | str, *, wait: bool = True) -> Opened:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        url = target.resolve().as_uri() if isinstance(target, Path) else target
        opened = Opened(page, url)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("requestfailed", lambda r: opened.requests.append(r.url))

        def dialog(d):
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        # Belt and braces: whatever the page asks for beyond itself is refused (and recorded).
        context.route(
            re.compile(".*"),
            lambda route: (
                route.continue_()
                if route.request.url == url or route.request.url.startswith(("file:", "data:"))
                else route.abort()
            ),
        )
        page.goto(url)
        if wait:
            page.wait_for_selector('body[data-stable="true"]', timeout=STABLE_TIMEOUT_MS)
        return opened

    yield opener
    for context in contexts:
        context.close()


def shoot(opened: Opened, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    opened.page.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    return path


def write(graph: nx.DiGraph, tmp_path: Path, name: str = "graph.html", **options):
    target = tmp_path / name
    view = write_html(graph, target, **options)
    return target, view


def node_id(opened: Opened, label: str) -> int:
    found = opened.js(
        "label => kgView.data.nodes.filter(n => n.label === label).map(n => n.id)", label
    )
    assert len(found) == 1, (label, found)
    return found[0]


def assert_clean(opened: Opened) -> None:
    assert opened.errors == []
    assert opened.outside_requests() == []
    assert opened.dialogs == []


def assert_still(opened: Opened, pause: float = 0.6) -> None:
    """Physics is off and no node moves any more."""
    positions = "() => JSON.stringify(kgView.network.getPositions())"
    before = opened.js(positions)
    time.sleep(pause)
    assert opened.js(positions) == before
    assert opened.js("() => kgView.stable") is True
    assert opened.js("() => kgView.network.physics.physicsEnabled") is False


# --- tests --------------------------------------------------------------------------------


def test_page_holds_the_view_and_nothing_leaves_it(open_page, tmp_path):
    graph = small_graph()
    target, view = write(graph, tmp_path, top=None)
    opened = open_page(target)
    counts = opened.js(
        """() => ({nodes: kgView.nodeCount, edges: kgView.edgeCount,
                   dsNodes: kgView.nodes.length, dsEdges: kgView.edges.length,
                   drawnNodes: kgView.visibleNodeIds().length,
                   drawnEdges: kgView.visibleEdgeIds().length})"""
    )
    assert counts == dict.fromkeys(
        ["nodes", "dsNodes", "drawnNodes"], view.node_count
    ) | dict.fromkeys(["edges", "dsEdges", "drawnEdges"], view.edge_count)
    assert view.node_count == graph.number_of_nodes() and view.edge_count == graph.number_of_edges()
    assert_clean(opened)
    assert_still(opened)
    legend = opened.page.locator("#kg-types li").all_inner_texts()
    assert [t.split()[0] for t in legend] == [
        "Models",
        "Datasets",
        "Methods",
        "Languages",
        "Papers",
    ]
    assert opened.page.inner_text("#kg-note") == view.note()
    shoot(opened, tmp_path, "small")


def test_page_says_what_was_left_out(open_page, tmp_path):
    target, view = write(small_graph(), tmp_path, top=2)
    opened = open_page(target)
    assert opened.js("() => [kgView.nodeCount, kgView.edgeCount]") == [
        view.node_count,
        view.edge_count,
    ]
    note = opened.page.inner_text("#kg-note")
    assert note == view.note() and note.startswith("showing 2 of 7 linked entities and")
    assert "kg view --focus NAME" in note
    assert opened.page.inner_text("label:has(#kg-type-Model) .kg-count") == "2 of 3"
    assert_clean(opened)


@pytest.mark.parametrize(("query", "label"), [("llama", "LLaMA"), ("GPT4", "GPT-4"),
                                              ("stanford question", "SQuAD")])  # fmt: skip
def test_search_focuses_the_node(open_page, tmp_path, query, label):
    target, _ = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    wanted = node_id(opened, label)
    opened.page.fill("#kg-search", query)
    opened.page.press("#kg-search", "Enter")
    opened.page.wait_for_function("id => kgView.focused === id", arg=wanted, timeout=5000)
    assert opened.js("() => kgView.network.getSelectedNodes()") == [wanted]
    kind = opened.js("id => kgView.data.nodes[id].kind", wanted)
    assert opened.page.inner_text("#kg-search-status") == f"Found {label} ({kind})."
    # the camera ends on the node
    opened.page.wait_for_function(
        """id => { const p = kgView.network.getPositions([id])[id];
                   const v = kgView.network.getViewPosition();
                   return Math.hypot(p.x - v.x, p.y - v.y) < 1; }""",
        arg=wanted,
        timeout=5000,
    )
    neighbours = sorted([wanted, *opened.js("id => kgView.network.getConnectedNodes(id)", wanted)])
    assert opened.js("() => kgView.highlighted") == neighbours
    assert_clean(opened)


def test_search_miss_says_so(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path)
    opened = open_page(target)
    opened.page.fill("#kg-search", "no such model")
    opened.page.press("#kg-search", "Enter")
    assert (
        opened.page.inner_text("#kg-search-status") == "Nothing named “no such model” in this view."
    )
    assert opened.js("() => kgView.focused") is None
    assert_clean(opened)


def test_datalist_offers_labels_and_aliases(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path)
    opened = open_page(target)
    values = opened.js("() => [...document.querySelectorAll('#kg-names option')].map(o => o.value)")
    assert {"LLaMA", "LLaMA-1", "GPT4", "English", "en"} <= set(values)
    assert "Llama" not in values  # the same name as "LLaMA" but for case: offered once
    assert not any(v.startswith("A study of") for v in values)  # papers are found, not listed


def test_picking_a_datalist_entry_searches_at_once(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path)
    opened = open_page(target)
    llama = node_id(opened, "LLaMA")
    opened.js(
        """() => { const box = document.getElementById('kg-search');
                   box.value = 'LLaMA-1';
                   box.dispatchEvent(new InputEvent('input', {inputType: 'insertReplacementText',
                                                              bubbles: true})); }"""
    )
    opened.page.wait_for_function("id => kgView.focused === id", arg=llama, timeout=5000)
    assert_clean(opened)


def test_type_toggle_hides_that_type(open_page, tmp_path):
    graph = small_graph()
    target, view = write(graph, tmp_path, top=None)
    opened = open_page(target)
    datasets = opened.js("() => kgView.data.nodes.filter(n => n.kind === 'Dataset').map(n => n.id)")
    assert len(datasets) == 2
    opened.page.uncheck("#kg-type-Dataset")
    visible = opened.js("() => kgView.visibleNodeIds()")
    assert not set(datasets) & set(visible)
    assert len(visible) == view.node_count - 2
    touching = opened.js(
        """ids => kgView.edges.get()
                   .filter(e => ids.includes(e.from) || ids.includes(e.to)).map(e => e.id)""",
        datasets,
    )
    assert touching and not set(touching) & set(opened.js("() => kgView.visibleEdgeIds()"))
    assert opened.js("() => kgView.hiddenKinds") == ["Dataset"]
    shoot(opened, tmp_path, "no-datasets")
    opened.page.check("#kg-type-Dataset")
    assert len(opened.js("() => kgView.visibleNodeIds()")) == view.node_count
    # searching a hidden type shows it again
    opened.page.uncheck("#kg-type-Dataset")
    opened.page.fill("#kg-search", "GLUE")
    opened.page.press("#kg-search", "Enter")
    assert opened.page.is_checked("#kg-type-Dataset")
    assert_clean(opened)


def test_click_highlights_the_neighbourhood(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    llama = node_id(opened, "LLaMA")
    box = opened.page.locator("#kg-network").bounding_box()
    point = opened.js(
        """id => kgView.network.canvasToDOM(kgView.network.getPositions([id])[id])""", llama
    )
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    expected = sorted([llama, *opened.js("id => kgView.network.getConnectedNodes(id)", llama)])
    opened.page.wait_for_function("() => kgView.highlighted.length > 0", timeout=5000)
    assert opened.js("() => kgView.highlighted") == expected
    faded = opened.js(
        """ids => kgView.nodes.get().filter(n => !ids.includes(n.id))
                   .every(n => n.color.background.startsWith('rgba'))""",
        expected,
    )
    assert faded
    shoot(opened, tmp_path, "highlight")
    opened.page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)  # the background
    opened.page.wait_for_function("() => kgView.highlighted.length === 0", timeout=5000)
    assert_clean(opened)


def test_malicious_titles_run_nothing(open_page, tmp_path):
    graph = malicious_graph()
    target, view = write(graph, tmp_path, top=None, title=f"{EVIL} </title><script>{PAYLOAD}")
    opened = open_page(target)
    assert opened.js("() => window.__kgPwned") is None
    assert opened.js("() => document.querySelectorAll('img, svg, iframe, b').length") == 0
    assert opened.js("() => document.scripts.length") == 3
    assert opened.js("() => kgView.nodeCount") == view.node_count
    assert opened.page.title() == f"{EVIL} </title><script>{PAYLOAD}"
    # every label reached the page unchanged, as text
    labels = opened.js("() => kgView.data.nodes.map(n => n.label)")
    assert sorted(labels) == sorted(d["label"] for _, d in graph.nodes(data=True))
    # the tooltip shows the markup as text
    evil = node_id(opened, f'<img src=x onerror="{PAYLOAD}">')
    box = opened.page.locator("#kg-network").bounding_box()
    point = opened.js(
        "id => kgView.network.canvasToDOM(kgView.network.getPositions([id])[id])", evil
    )
    opened.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = opened.page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.inner_text()
    assert f'<img src=x onerror="{PAYLOAD}">' in text
    assert f"</SCRIPT><script>{PAYLOAD}</script>" in text
    assert "<iframe src=" in text
    assert opened.js("() => document.querySelectorAll('img, svg, iframe').length") == 0
    # and searching for it by its markup-looking alias finds it
    opened.page.fill("#kg-search", f'<svg onload="{PAYLOAD}">')
    opened.page.press("#kg-search", "Enter")
    opened.page.wait_for_function("id => kgView.focused === id", arg=evil, timeout=5000)
    shoot(opened, tmp_path, "malicious")
    assert opened.js("() => window.__kgPwned") is None
    assert_clean(opened)


def test_page_served_over_http_makes_no_other_request(open_page, tmp_path):
    page_bytes = render_html(select_view(small_graph())).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = (200, page_bytes) if self.path == "/" else (404, b"not found")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        opened = open_page(url)
        assert opened.requests == [url]  # no favicon, no CDN, nothing
        assert opened.errors == [] and opened.dialogs == []
        assert_still(opened)
    finally:
        server.shutdown()
        server.server_close()


def test_big_views_skip_physics_and_are_still_at_once(open_page, tmp_path, monkeypatch):
    monkeypatch.setattr(view_html, "PHYSICS_MAX_NODES", 0)
    target, view = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    assert opened.js("() => [kgView.data.physics.iterations, kgView.nodeCount]") == [
        0,
        view.node_count,
    ]
    assert_still(opened)
    assert_clean(opened)


def test_empty_view_comes_to_rest(open_page, tmp_path):
    target, view = write(nx.DiGraph(), tmp_path)
    opened = open_page(target)
    assert opened.js("() => [kgView.nodeCount, kgView.edgeCount, kgView.stable]") == [0, 0, True]
    assert opened.page.inner_text("#kg-note") == view.note()
    assert_clean(opened)


def test_screenshot_function_waits_for_rest_and_writes_a_png(chromium_executable, tmp_path):
    target, _ = write(small_graph(), tmp_path, top=None)
    png = view_html.screenshot(target, tmp_path / "shots" / "view.png", width=800, height=500)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 800 and int.from_bytes(data[20:24], "big") == 500
    assert [p.name for p in png.parent.iterdir()] == ["view.png"]


# --- focus, details, links (issue 15, snag 28) -------------------------------------------


def click_node(opened: Opened, node: int) -> None:
    box = opened.page.locator("#kg-network").bounding_box()
    point = opened.js(
        "id => kgView.network.canvasToDOM(kgView.network.getPositions([id])[id])", node
    )
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_focus_node_is_marked_and_described(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path, focus="glue", depth=1)
    opened = open_page(target)
    glue = node_id(opened, "GLUE")
    assert opened.js("() => [kgView.focusId, kgView.focused]") == [glue, glue]
    assert opened.js("() => kgView.network.getSelectedNodes()") == [glue]
    widths = opened.js("() => kgView.nodes.get().map(n => [n.id, n.borderWidth])")
    assert {i: w for i, w in widths}[glue] == 5 and max(w for i, w in widths if i != glue) <= 1
    assert opened.page.is_visible("#kg-details")
    assert opened.page.inner_text("#kg-details-title") == "GLUE"
    assert "focus" in opened.page.inner_text("#kg-details-kind")
    assert_clean(opened)


def test_a_failed_search_clears_the_last_highlight(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    opened.page.fill("#kg-search", "llama")
    opened.page.press("#kg-search", "Enter")
    opened.page.wait_for_function("() => kgView.highlighted.length > 0", timeout=5000)
    assert opened.page.is_visible("#kg-details")
    opened.page.fill("#kg-search", "no such thing")
    opened.page.press("#kg-search", "Enter")
    state = opened.js(
        """() => ({highlighted: kgView.highlighted, focused: kgView.focused,
                   selected: kgView.network.getSelectedNodes(), details: kgView.details,
                   faded: kgView.nodes.get().filter(n => String(n.color.background)
                                                           .startsWith('rgba')).length})"""
    )
    assert state == {"highlighted": [], "focused": None, "selected": [], "details": None,
                     "faded": 0}  # fmt: skip
    assert not opened.page.is_visible("#kg-details")
    assert opened.page.inner_text("#kg-search-status").startswith("Nothing named")
    assert_clean(opened)


def test_the_legend_explains_the_links(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    items = opened.page.locator("#kg-edge-types li").all_inner_texts()
    assert len(items) == 3
    assert "names the entity" in items[0] and "proposes" in items[1]
    assert "dashed arrow" in items[2]
    style = opened.js(
        """() => getComputedStyle(document.querySelector('.kg-edge-variantOf')).borderTopStyle"""
    )
    assert style == "dashed"
    assert_clean(opened)


def test_a_papers_details_give_its_link_abstract_and_neighbours(open_page, tmp_path):
    target, _ = write(small_graph(), tmp_path, top=None)
    opened = open_page(target)
    paper = node_id(opened, "A study of thing 0")
    click_node(opened, paper)
    opened.page.wait_for_function("id => kgView.details === id", arg=paper, timeout=5000)
    link = opened.page.locator("#kg-details a.kg-link")
    assert link.get_attribute("href") == "https://arxiv.org/abs/2403.00000"  # the link, no visit
    assert set(link.get_attribute("rel").split()) == {"noopener", "noreferrer"}
    assert link.inner_text() == "arXiv:2403.00000"
    assert opened.page.inner_text(".kg-abstract") == "The abstract of A study of thing 0."
    names = opened.page.locator("#kg-neighbours button").all_inner_texts()
    assert names == ["GPT-4", "GLUE"]  # entities by papers, then label
    # a neighbour in the list opens that node
    opened.page.locator("#kg-neighbours button", has_text="GLUE").click()
    glue = node_id(opened, "GLUE")
    opened.page.wait_for_function("id => kgView.focused === id", arg=glue, timeout=5000)
    assert opened.page.inner_text("#kg-details-title") == "GLUE"
    assert "A study of thing 0" in opened.page.locator("#kg-neighbours").inner_text()
    # the background closes the panel
    box = opened.page.locator("#kg-network").bounding_box()
    opened.page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    opened.page.wait_for_function("() => kgView.details === null", timeout=5000)
    assert not opened.page.is_visible("#kg-details")
    assert_clean(opened)


def test_the_legend_counts_entities_as_kg_stats_does(open_page, tmp_path):
    graph = small_graph()
    graph.add_node(f"{KG}model/gpt", kind="Model", label="GPT", aliases="", papers=0,
                   evidence="", group=False, codes="")  # fmt: skip
    graph.add_edge(f"{KG}model/gpt-4", f"{KG}model/gpt", predicate="variantOf")
    target, _ = write(graph, tmp_path, top=None)
    opened = open_page(target)
    count = opened.page.locator("label:has(#kg-type-Model) .kg-count")
    assert count.inner_text() == "3 + 1"  # 3 linked models, 1 family-only (GPT)
    assert "3 linked (named by a paper), 1 family-only" in count.get_attribute("title")
    assert "all 7 linked entities, 1 family-only entity and all 8 papers" in opened.page.inner_text(
        "#kg-note"
    )
    assert_clean(opened)


def test_hostile_abstracts_and_urls_stay_text(open_page, tmp_path):
    b = Graph()
    p = b.paper("2401.99999", "Plain title", abstract=f"{EVIL} <script>{PAYLOAD}</script>")
    q = b.paper("not-an-id", "Other", url=f"javascript:{PAYLOAD}")
    e = b.entity("Model", "m", "M")
    b.link(p, e)
    b.link(q, e)
    target, _ = write(b.done(), tmp_path, top=None)
    opened = open_page(target)
    for label in ("Plain title", "Other"):
        opened.js("id => kgView.showDetails(id)", node_id(opened, label))
        if label == "Plain title":
            assert opened.page.inner_text(".kg-abstract") == f"{EVIL} <script>{PAYLOAD}</script>"
        else:
            assert opened.page.locator("#kg-details a").count() == 0
    assert opened.js("() => document.querySelectorAll('img, script:not([src])').length") == 3
    assert opened.js("() => window.__kgPwned") is None
    assert_clean(opened)


# --- the whole sample corpus -------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_graph(tmp_path_factory) -> nx.DiGraph:
    """The bundled sample corpus, built by the pipeline, as the NetworkX projection."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("sample-html")
    build(None, out, formats=["graphml"], jobs=1)
    return nx.read_graphml(str(out / "graph.graphml"))


@pytest.mark.slow
def test_whole_sample_corpus_comes_to_rest(open_page, tmp_path, sample_graph):
    target, view = write(sample_graph, tmp_path, top=None, max_nodes=100_000)
    assert view.node_count == sample_graph.number_of_nodes() > 100
    opened = open_page(target)
    assert opened.js("() => [kgView.nodeCount, kgView.edgeCount]") == [
        view.node_count,
        view.edge_count,
    ]
    assert_still(opened, pause=1.0)
    assert_clean(opened)
    shoot(opened, tmp_path, "sample-all")


@pytest.mark.slow
def test_sample_focus_view(open_page, tmp_path, sample_graph):
    top = max(
        (n for n, d in sample_graph.nodes(data=True) if d["kind"] != "Paper"),
        key=lambda n: (sample_graph.nodes[n]["papers"], n),
    )
    label = sample_graph.nodes[top]["label"]
    target, view = write(sample_graph, tmp_path, focus=label.upper(), depth=2, max_nodes=200)
    assert view.focus == top and view.node_count <= 200
    opened = open_page(target)
    assert opened.js("() => kgView.nodeCount") == view.node_count
    assert opened.page.inner_text("#kg-note") == view.note()
    assert_still(opened)
    assert_clean(opened)
    shoot(opened, tmp_path, "sample-focus")


# --- the pages of kg serve and kg site -----------------------------------------------------


@pytest.fixture(scope="module")
def pages_server(pages_graph) -> Iterator[str]:
    from graph.serve.server import make_server

    server = make_server(pages_graph, "127.0.0.1", 0, quiet=True, timeout=30).start()
    yield server.url
    server.stop()


@pytest.fixture
def surf(browser) -> Iterator:
    """surf(url) -> Opened: a page that may load only from ``url``'s origin (or file://);
    anything else is refused and recorded."""
    contexts = []

    def opener(url: str) -> Opened:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, url)
        origin = url.split("/", 3)[:3]
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        local = "/".join(origin) + "/" if url.startswith("http") else "file://"
        context.route(
            re.compile(".*"),
            lambda route: (
                route.continue_()
                if route.request.url.startswith((local, "data:"))
                else route.abort()
            ),
        )
        page.goto(url)
        return opened

    yield opener
    for context in contexts:
        context.close()


def _no_markup_ran(opened: Opened) -> None:
    assert opened.js("() => window.__kgPwned") is None
    assert opened.js("() => document.querySelectorAll('img, iframe, b').length") == 0


def _walk_home_to_arxiv(opened: Opened, tmp_path: Path, name: str) -> None:
    page = opened.page
    trends = page.locator("#trends svg")
    assert trends.is_visible() and trends.bounding_box()["height"] > 100
    assert "Llama 2" in page.locator("#trends").inner_text()
    # search, then follow entity -> paper -> arXiv (the link, not the network)
    page.fill("#kg-home-q", "llama")
    page.press("#kg-home-q", "Enter")
    page.wait_for_selector("#kg-results li a")
    page.click("#kg-results a:text-is('Llama 2')")
    page.wait_for_selector("h1:text-is('Llama 2')")
    chart = page.locator("#months svg")
    assert chart.is_visible() and chart.bounding_box()["width"] > 100
    assert page.locator("#months svg title").text_content().startswith("Papers naming Llama 2")
    shoot(opened, tmp_path, f"{name}-entity")
    page.click("#papers a.kg-paper >> nth=0")
    page.wait_for_selector("h1.kg-paper-title")
    arxiv = page.locator("a.kg-arxiv").get_attribute("href")
    assert re.fullmatch(r"https://arxiv\.org/abs/240\d\.0000\d", arxiv), arxiv
    assert page.locator("#abstract a.kg-mark").count() >= 2
    _no_markup_ran(opened)
    shoot(opened, tmp_path, f"{name}-paper")


def test_served_pages_home_search_entity_paper(surf, pages_server, tmp_path):
    opened = surf(pages_server)
    _walk_home_to_arxiv(opened, tmp_path, "served")
    # the hostile titles, as text, on the pages that show them
    opened.page.goto(pages_server + "id/paper/arxiv-2401.00001.html")
    assert opened.page.locator("h1").inner_text().startswith('<img src=x onerror="')
    opened.page.goto(pages_server + "id/model/bert.html")
    assert "</script><script>window.__kgPwned=2" in opened.page.inner_text("#papers")
    _no_markup_ran(opened)
    assert opened.errors == [] and opened.dialogs == []
    assert all(u.startswith(pages_server) for u in opened.requests), opened.requests


def test_static_site_from_file_urls(surf, pages_graph, tmp_path):
    from graph.serve.site import write_site

    site = tmp_path / "site"
    write_site(pages_graph, site)
    opened = surf((site / "index.html").as_uri())
    _walk_home_to_arxiv(opened, tmp_path, "site")  # the search runs in the page here
    assert opened.errors == [] and opened.dialogs == []
    assert all(u.startswith("file://") for u in opened.requests), opened.requests
