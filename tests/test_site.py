"""kg site: the pages as a static site, with relative links only, that never deletes what it
did not write."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import OutputError
from graph.serve.batch import Batch, batch_query
from graph.serve.site import MARKER, write_site


@pytest.fixture(scope="module")
def site(pages_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    summary = write_site(pages_graph, out)
    assert summary.pages > 10
    return out


def hrefs(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', page)


def test_layout(site):
    for name in ("index.html", "index.json", "models.html", "search.html", "view.html",
                 "static/kg.css", "static/search.js", MARKER):  # fmt: skip
        assert (site / name).is_file(), name
    for stem in ("id/model/llama-2", "id/paper/arxiv-2401.00001", "id/language/swahili"):
        for ext in ("html", "json", "ttl", "nt", "jsonld"):
            assert (site / f"{stem}.{ext}").is_file(), (stem, ext)
    data = json.loads((site / "id/model/llama-2.json").read_text())
    assert data["label"] == "Llama 2"


def test_every_link_is_relative_and_resolves(site):
    for page in site.rglob("*.html"):
        if page.name == "view.html":
            continue
        for href in hrefs(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                assert parts.netloc in ("arxiv.org", "lexvo.org", "www.wikidata.org"), href
                continue
            if href.startswith(("data:", "#")):  # a chart's own references
                continue
            assert not href.startswith("/"), (page, href)
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page, href)
            assert site.resolve() in target.parents or target.parent == site.resolve()


def test_pages_hold_no_hostile_markup(site):
    for page in site.rglob("*.html"):
        if page.name == "view.html":
            continue
        text = page.read_text(encoding="utf-8")
        assert "<img" not in text and "<b>bold" not in text, page
        scripts = re.findall(r"<script\b([^>]*)>", text)
        assert all("application/json" in s or 'src="static/search.js"' in s for s in scripts)
        assert "Content-Security-Policy" in text


def test_refuses_a_directory_it_did_not_write(pages_graph, tmp_path):
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="did not write"):
        write_site(pages_graph, other)
    assert (other / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no temporary left behind


def test_replaces_its_own_site(pages_graph, tmp_path):
    out = tmp_path / "site"
    write_site(pages_graph, out)
    (out / "stale.html").write_text("from an older site")
    write_site(pages_graph, out)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_kg_site_command(pages_graph, tmp_path):
    """The status line goes to stderr like every other command's (issue 15, snag 3)."""
    out = tmp_path / "cli-site"
    result = CliRunner().invoke(app, ["site", str(pages_graph), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "pages to" in result.stderr
    assert (out / "index.html").is_file()
    result = CliRunner().invoke(app, ["site", str(tmp_path / "nothing"), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_browser_tests_can_opt_out_of_apt(tmp_path):
    """KG_TEST_NO_APT=1: a missing chromium skips the browser tests (with the reason) rather
    than running apt-get as root."""
    from conftest import find_chromium

    with pytest.raises(pytest.skip.Exception, match="KG_TEST_NO_APT is set"):
        find_chromium(str(tmp_path / "no-chromium"), {"KG_TEST_NO_APT": "1"})
    assert find_chromium(str(tmp_path), {}) == str(tmp_path)  # present: used as it is


def test_site_reports_its_progress(pages_graph, tmp_path):
    """`kg site` of the sample wrote for a minute without a word; it reports its pages now."""
    seen: list[tuple[str, int, int | None]] = []
    summary = write_site(pages_graph, tmp_path / "site", lambda *a: seen.append(a))
    assert seen and {stage for stage, _, _ in seen} == {"pages"}
    totals = {total for _, _, total in seen}
    assert len(totals) == 1 and None not in totals and totals.pop() >= summary.pages - 10
    assert [done for _, done, _ in seen] == list(range(len(seen)))


# ----------------------------------------------------------------------------- batched queries

_TIES = """
@prefix kg: <https://w3id.org/paper-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/paper-kg/id/paper/p1> a kg:Paper ;
    kg:mentionsModel <https://w3id.org/paper-kg/id/model/a> ,
        <https://w3id.org/paper-kg/id/model/twin-1> , <https://w3id.org/paper-kg/id/model/twin-2> .
<https://w3id.org/paper-kg/id/model/a> a kg:Model ; rdfs:label "A" .
<https://w3id.org/paper-kg/id/model/twin-1> a kg:Model ; rdfs:label "Twin" .
<https://w3id.org/paper-kg/id/model/twin-2> a kg:Model ; rdfs:label "Twin" .
"""


def _run(graph: Path | str):
    """A view's run over a built graph, or over the Turtle text ``graph``."""
    import pyoxigraph as ox

    from graph.ontology import PREFIXES
    from graph.serve.results import execute
    from graph.store import open_graph

    if isinstance(graph, str):
        store = ox.Store()
        store.load(graph.encode(), format=ox.RdfFormat.TURTLE)
    else:
        store = open_graph(graph)
    return lambda job: execute(store, job, PREFIXES)


def test_batch_answers_as_each_page_query(pages_graph):
    from graph.serve import views
    from graph.serve.site import BATCHED

    run = _run(pages_graph)
    batch = Batch(run, BATCHED)
    answered = 0
    for iri, kind in views.page_resources(run):
        for name in BATCHED:
            if name.startswith("paper") == (kind == "Paper"):
                rows = batch.select(name, iri)
                assert rows == views.select(run, name, this=iri), (name, iri)
                answered += bool(rows)
    assert answered > 10
    # ProLLaMA basedOn Llama 2 has two sentences in one paper (the build's statement and
    # statements.ttl's), which tie on the relation queries' keys: its two entities' and its
    # paper's relations are asked alone; the rest come from the batch.
    assert 0 < sum(batch.asked_alone.values()) < answered / 4


def test_batch_asks_alone_where_the_keys_tie():
    """A's co-mentions are two entities both labelled Twin in one paper: the keys of
    entity-comentions.rq (papers, label) leave their order to the engine, so A's rows come
    from A's own query; Twin's (A and the other Twin) are ordered by the keys."""
    from graph.serve import views

    run = _run(_TIES)
    batch = Batch(run, ["entity-comentions"])
    for name in ("a", "twin-1", "twin-2"):
        iri = views.ID + "model/" + name
        assert batch.select("entity-comentions", iri) == views.select(
            run, "entity-comentions", this=iri
        )
    assert batch.asked_alone == {"entity-comentions": 1}


_SAME_DAY = (
    """
@prefix kg: <https://w3id.org/paper-kg/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
    + "".join(
        f"""<https://w3id.org/paper-kg/id/paper/p{i}> a kg:Paper ; dcterms:title "Same title" ;
    {pred} "2024-05-0{i % 2 + 1}"^^xsd:date ;
    kg:mentionsModel <https://w3id.org/paper-kg/id/model/a> .
"""
        for i, pred in enumerate(["dcterms:date", "kg:listingDate"] * 3)
    )
    + """<https://w3id.org/paper-kg/id/model/a> a kg:Model ; rdfs:label "A" .
<https://w3id.org/paper-kg/id/paper/p1> kg:proposes <https://w3id.org/paper-kg/id/model/a> .
"""
)


def test_entity_papers_are_in_one_order_however_they_are_asked():
    """Papers of the same title, dated the same day by dcterms:date or by kg:listingDate alone,
    tie on COALESCE(?date, ?listed) and ?title, which the tie check (it compares the variables,
    not the expression) cannot see: the query breaks the tie by the paper, so the batch, the
    page's own query and the order a reader sees are one."""
    from graph.serve import views

    run = _run(_SAME_DAY)
    iri = views.ID + "model/a"
    rows = Batch(run, ["entity-papers"]).select("entity-papers", iri)
    assert rows == views.select(run, "entity-papers", this=iri)
    keys = [(r["date"] or r["listed"], r["paper"], r["proposes"]) for r in rows]
    assert keys == sorted(keys, key=lambda k: (-int(k[0][-1]), k[1], k[2]))
    assert len(rows) == 7  # p1 twice: it proposes A and mentions it


def test_batch_cut_at_its_cap_asks_each_page_alone(pages_graph):
    from graph.serve import views

    run = _run(pages_graph)
    batch = Batch(run, ["entity-family"], max_results=1)
    iri = views.ID + "model/llama-2"
    assert batch.select("entity-family", iri) == views.select(run, "entity-family", this=iri)
    assert batch.asked_alone == {"entity-family": 1}


def test_batch_query_is_the_page_query_for_every_resource():
    from graph.serve import views

    text, keys, limit = batch_query("entity-comentions")
    page = views.query_text("entity-comentions")
    assert text.endswith("\nORDER BY ?this DESC(?papers) ?label\n")
    assert text.removesuffix("ORDER BY ?this DESC(?papers) ?label\n") in page
    assert (keys, limit) == (("papers", "label"), 24)
    assert batch_query("entity-family")[1:] == (("relation", "papers", "label"), None)
    with pytest.raises(ValueError, match=r"names\.rq"):
        batch_query("names")  # about no ?this
