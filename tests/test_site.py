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
