"""The pages of kg serve: linked data by content negotiation, entity, paper, home, list and
search pages, their .json twins, and hostile text kept as text on every page.

One server per module over a small graph built for these tests (tests/fixtures/pages: arXiv
ids, dated papers, titles holding markup, relations with kg:Statement nodes).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from graph.serve.server import make_server
from graph.serve.views import display_name, month_range, segments

pytestmark = pytest.mark.server

KG = "https://w3id.org/paper-kg/"
ID = KG + "id/"
HOSTILE = ['<img src=x onerror="window.__kgPwned=1">', "</script><script>window.__kgPwned=2"]


class Client:
    def __init__(self, server) -> None:
        self.server = server
        self.url = server.url.rstrip("/")

    def get(self, path: str, accept: str | None = None, follow: bool = True):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = (
            urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
        )
        request = urllib.request.Request(self.url + path)
        if accept:
            request.add_header("Accept", accept)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def page(self, path: str) -> str:
        status, headers, body = self.get(path, "text/html")
        assert status == 200, (path, body[:300])
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        return body.decode("utf-8")


@pytest.fixture(scope="module")
def client(pages_graph) -> Iterator[Client]:
    server = make_server(pages_graph, "127.0.0.1", 0, quiet=True, timeout=30).start()
    yield Client(server)
    server.stop()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    return elements


def links(page: str) -> list[str]:
    return [a["href"] for tag, a in parse(page).tags if tag == "a" and a.get("href")]


# ------------------------------------------------------------------ pure helpers


def test_segments_cover_the_text_and_mark_whole_words():
    ref = {"iri": ID + "model/bert", "label": "BERT"}
    parts = segments("BERT and mBERT and BERT-base; <b>BERT</b>", [("BERT", ref)])
    assert "".join(p["text"] for p in parts) == "BERT and mBERT and BERT-base; <b>BERT</b>"
    assert [p["text"] for p in parts if p["entity"]] == ["BERT", "BERT", "BERT"]
    longer = {"iri": ID + "model/llama-2", "label": "Llama 2"}
    parts = segments("Llama 2 beats Llama", [("Llama", ref), ("Llama 2", longer)])
    assert parts[0]["text"] == "Llama 2" and parts[0]["entity"]["label"] == "Llama 2"


def test_display_names_and_months():
    assert display_name("$λ$-ECLIPSE") == "λ-ECLIPSE"
    assert display_name("GPT-4.") == "GPT-4"
    assert display_name("U.S.") == "U.S."
    assert month_range(["--04", "--02"]) == ["--02", "--03", "--04"]
    assert month_range(["2023-11", "2024-02"]) == ["2023-11", "2023-12", "2024-01", "2024-02"]


# ------------------------------------------------------------------ dereferencing


@pytest.mark.parametrize(
    ("accept", "ext", "fmt"),
    [
        ("text/html", "html", None),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html", None),
        ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
        ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        ("application/json", "json", None),
        ("text/turtle;q=0.5, application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_iris_dereference_by_303(client, accept, ext, fmt):
    status, headers, _ = client.get("/id/model/llama-2", accept, follow=False)
    assert status == 303
    assert headers["Location"] == f"/id/model/llama-2.{ext}"
    assert headers["Vary"] == "Accept"
    status, headers, body = client.get(f"/id/model/llama-2.{ext}")
    assert status == 200
    if fmt is not None:
        assert headers["Content-Type"].split(";")[0] == fmt.media_type
        triples = list(ox.parse(body, format=fmt))
        subjects = {t.subject.value for t in triples}
        assert ID + "model/llama-2" in subjects
        labels = [t.object.value for t in triples if t.predicate.value.endswith("#label")]
        assert labels == ["Llama 2"]
        # the links to it from its papers are part of its description
        assert any(t.object.value == ID + "model/llama-2" for t in triples)


def test_unknown_iris_are_404_and_odd_accept_406(client):
    status, _, body = client.get("/id/model/no-such-model", "text/turtle", follow=False)
    assert status == 404 and b"no-such-model" in body
    status, headers, body = client.get("/id/model/no-such-model.html", "text/html")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    status, _, body = client.get("/id/model/llama-2", "image/png", follow=False)
    assert status == 406 and b"text/turtle" in body


def test_papers_and_other_resources_dereference(client):
    status, headers, _ = client.get("/id/paper/arxiv-2402.00002", "text/html", follow=False)
    assert status == 303 and headers["Location"] == "/id/paper/arxiv-2402.00002.html"
    page = client.page("/id/statement/s1.html")  # a kg:Statement: a plain resource page
    assert "rdf:subject" in page and "ProLLaMA" in page


# ------------------------------------------------------------------ pages


def test_entity_page(client):
    page = client.page("/id/model/llama-2.html")
    text = " ".join(parse(page).text)
    assert "<h1" in page and "Llama 2" in text
    hrefs = links(page)
    # family: broader and variants as links
    assert "../../id/model/llama.html" in hrefs
    # its papers: title to the paper page, arXiv id to arXiv
    assert "../../id/paper/arxiv-2401.00001.html" in hrefs
    assert "https://arxiv.org/abs/2401.00001" in hrefs
    assert "proposes" in page or "names" in page
    # the relations stated about it, with the sentence
    assert "based on" in text and "evaluated on" in text
    assert "built on Llama 2 and trained with LoRA" in text
    # co-mentioned entities and evidence
    assert "../../id/method/lora.html" in hrefs and "../../id/dataset/glue.html" in hrefs
    assert 'class="kg-mark' in page
    # the chart: inline SVG, no script, no style attribute
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert "Jan 2024" in svg and "Mar 2024" in svg
    # and its twin
    _, headers, body = client.get("/id/model/llama-2.json")
    data = json.loads(body)
    assert headers["Content-Type"].startswith("application/json")
    assert data["label"] == "Llama 2" and data["type"] == "Model"
    assert {m["month"]: m["papers"] for m in data["months"]} == {
        "2024-01": 1,
        "2024-02": 1,
        "2024-03": 1,
    }
    assert data["family"]["broader"][0]["iri"] == ID + "model/llama"
    assert any(r["predicate"] == "basedOn" and r["papers"] for r in data["relations"])


def test_entity_page_proposals_and_identifiers(client):
    data = json.loads(client.get("/id/model/prollama.json")[2])
    assert [p["proposes"] for p in data["papers"]] == [True]
    swahili = json.loads(client.get("/id/language/swahili.json")[2])
    schemes = {i["scheme"]: i for i in swahili["identifiers"]}
    assert "ISO 639-3" in schemes and schemes["ISO 639-3"]["href"].startswith("http://lexvo.org/")
    page = client.page("/id/language/swahili.html")
    assert schemes["ISO 639-3"]["href"] in links(page)


def test_paper_page(client):
    page = client.page("/id/paper/arxiv-2402.00002.html")
    hrefs = links(page)
    assert "https://arxiv.org/abs/2402.00002" in hrefs
    assert "../../id/model/prollama.html" in hrefs and "../../id/model/llama-2.html" in hrefs
    assert "proposed here" in page
    data = json.loads(client.get("/id/paper/arxiv-2402.00002.json")[2])
    marked = [s["text"] for s in data["abstract_segments"] if s["entity"]]
    assert "ProLLaMA" in marked and "Llama 2" in marked and "LoRA" in marked
    assert "".join(s["text"] for s in data["abstract_segments"]) == data["abstract"]
    assert set(data["entities"]) >= {"Model", "Dataset", "Method"}
    assert data["relations"][0]["predicate"] == "basedOn"


def test_home_page(client):
    page = client.page("/")
    assert "4 machine-learning papers" in page
    assert 'action="search.html"' in page
    assert "models.html" in links(page) and "view" in links(page) and "query" in links(page)
    section = re.search(r'<section id="trends".*?</section>', page, re.S).group(0)
    assert "<svg" in section and "Llama 2" in section  # the top model's line, named
    data = json.loads(client.get("/index.json")[2])
    assert data["counts"]["Paper"]["count"] == 4
    assert data["top"]["Model"][0]["label"] == "Llama 2"
    assert data["trends"]["months"] == ["2024-01", "2024-02", "2024-03"]


def test_list_and_search_pages(client):
    page = client.page("/models.html")
    assert "id/model/llama-2.html" in links(page) and "<svg" in page
    data = json.loads(client.get("/search.json?q=LLAMA")[2])
    assert {"Llama 2", "LLaMA", "ProLLaMA"} <= {r["label"] for r in data["results"]}
    assert data["results"][0]["label"] in ("Llama 2", "LLaMA")  # most-named first
    page = client.page("/search.html?q=" + urllib.parse.quote("lora"))
    assert "id/method/lora.html" in links(page)
    page = client.page("/search.html?q=" + urllib.parse.quote('<script>"x'))
    assert "<script>&#34;x" not in page and "&lt;script&gt;" in page


def test_hostile_titles_stay_text_on_every_page(client):
    pages = [
        "/",
        "/models.html",
        "/languages.html",
        "/datasets.html",
        "/id/model/llama-2.html",
        "/id/model/bert.html",
        "/id/paper/arxiv-2401.00001.html",
        "/id/paper/arxiv-2402.00003.html",
        "/id/dataset/glue.html",
        "/id/language/swahili.html",
        "/search.html?q=bert",
    ]
    for path in pages:
        page = client.page(path)
        assert "<img" not in page and "onerror=" not in page.replace("onerror=&#34;", ""), path
        scripts = re.findall(r"<script\b", page)
        assert scripts == [], (path, scripts)  # pages run no script at all
        assert "window.__kgPwned=2" not in page or "&lt;/script&gt;" in page, path
        assert "<b>bold</b>" not in page, path
    title_page = client.page("/id/paper/arxiv-2401.00001.html")
    assert "&lt;img src=x onerror=&#34;window.__kgPwned=1&#34;&gt;" in title_page
