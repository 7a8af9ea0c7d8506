"""Reliability: hostile text, interruptions, huge and broken inputs, property tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from graph.build import TurtleTerms, ntriples, turtle
from graph.errors import InputError, OutputError
from graph.ingest import read_file, read_inputs
from graph.iri import entity_iri, mention_iri, name_key, paper_iri, paper_key, slug
from graph.ontology import PREFIXES
from graph.pipeline import build, build_records
from graph.records import Paper, SourceRef
from graph.store import STORE_DIR, recover_dir

HOSTILE = [
    "Quotes \" and ' and \\ backslashes",
    "New\nlines\r\nand\ttabs",
    "<script>alert(1)</script> & <img src=x onerror=alert(1)>",
    "RTL \u202e mark \u200f and zero\u200dwidth joiners",
    "Emoji 🦙🔥 and CJK 大语言模型",
    "\u0000 nul \u0007 bell \x1b escape",
    '> < " { } | ^ ` characters',
]

hostile_text = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80
) | st.sampled_from(HOSTILE)


# --- IRIs -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_entity_iris_are_valid_and_stable(name):
    iri = entity_iri("Model", name)
    ox.NamedNode(iri)  # raises on an invalid IRI
    rdflib.URIRef(iri).n3()
    assert entity_iri("Model", name) == iri


@settings(max_examples=300, deadline=None)
@given(hostile_text, hostile_text)
def test_distinct_names_get_distinct_iris_within_a_type(a, b):
    if name_key(a) != name_key(b):
        assert entity_iri("Method", a) != entity_iri("Method", b)
    else:
        assert slug(a) == slug(b) or len(slug(a)) > 80


@settings(max_examples=200, deadline=None)
@given(hostile_text, st.one_of(st.none(), st.from_regex(r"\d{4}\.\d{5}", fullmatch=True)))
def test_paper_and_mention_iris_are_valid(title, arxiv_id):
    key = paper_key(title, arxiv_id)
    ox.NamedNode(paper_iri(key))
    ox.NamedNode(mention_iri(key, "Model", title))


# --- Turtle round trip ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=4))
def test_hostile_papers_give_valid_round_tripping_turtle(mini_vocab, pairs):
    papers = [
        Paper(
            title=f"{t} BERT",
            abstract=f"We propose {a} and use BERT on GLUE. {a}",
            source=SourceRef("hostile.jsonl", i + 1),
        )
        for i, (t, a) in enumerate(pairs)
    ]
    records, resolution = build_records(papers, vocabulary=mini_vocab)
    data = "".join(ntriples(records, resolution))
    reference = rdflib.Graph().parse(data=data, format="nt")
    # The Turtle kg build writes (and the store loads) holds exactly the same triples ...
    terms = TurtleTerms(PREFIXES)
    written = terms.header() + "".join(turtle(records, resolution, terms))
    assert isomorphic(reference, rdflib.Graph().parse(data=written, format="turtle"))
    assert len(list(ox.parse(written, format=ox.RdfFormat.TURTLE))) == len(reference)
    # ... and Oxigraph's own Turtle of them reads back the same too.
    store = ox.Store()
    store.bulk_load(data.encode(), format=ox.RdfFormat.N_TRIPLES)
    dumped = store.dump(
        format=ox.RdfFormat.TURTLE,
        from_graph=ox.DefaultGraph(),
        prefixes={"kg": "https://w3id.org/paper-kg/"},
    )
    assert isomorphic(reference, rdflib.Graph().parse(data=dumped, format="turtle"))


# --- huge and broken inputs -------------------------------------------------------------------


def test_title_of_10000_characters(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "T" * 10_000, "abstract": "A."}) + "\n")
    with pytest.raises(InputError, match=r"long\.jsonl:1: title is 10000 characters long"):
        list(read_file(str(path)))
    daily = tmp_path / "long.txt"
    daily.write_text("Mar 14\n\n" + "T" * 10_000 + "\n\nAbstract.\n")
    with pytest.raises(InputError, match=r"long\.txt:3: expected a title but found 10000"):
        list(read_file(str(daily)))


def test_single_10_mb_line(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"title": "Big", "abstract": "word " * 2_000_000})
        + "\n"
        + "x" * 10_000_000
        + "\n"
    )
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"big\.jsonl:1: abstract is 9999999 characters long"):
        list(read_file(str(path)))
    errors: list[InputError] = []
    assert list(read_file(str(path), on_bad=errors.append)) == []
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
        (1, "abstract is 9999999 characters long"),
        (2, "not valid JSON"),
    ]
    assert time.perf_counter() - started < 60  # a sanity bound, not a benchmark


def test_abstract_of_10_million_characters_is_a_bad_record(tmp_path, mini_vocab):
    path = tmp_path / "huge.jsonl"
    path.write_text(
        json.dumps({"title": "Huge", "abstract": "We use BERT. " * 800_000})
        + "\n"
        + json.dumps({"title": "Normal", "abstract": "We use BERT."})
        + "\n"
    )
    with pytest.raises(InputError, match=r"huge\.jsonl:1: abstract is 10399999 characters long"):
        build([str(path)], tmp_path / "out", formats=["ttl"], vocabulary=mini_vocab)
    summary = build(
        [str(path)], tmp_path / "out", formats=["ttl"], vocabulary=mini_vocab, skip_bad=True
    )
    assert summary.papers == 1 and len(summary.skipped) == 1


@pytest.mark.parametrize("name", ["deep.jsonl", "deep.json"])
def test_deeply_nested_json(tmp_path, name):
    path = tmp_path / name
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"deep\.jsonl?:1: not valid JSON \(nested too deeply\)"):
        list(read_file(str(path)))


def test_dangling_symlink_in_a_directory(tmp_path):
    (tmp_path / "ok.jsonl").write_text('{"title": "T", "abstract": "A."}\n')
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match=r"gone\.jsonl: cannot read"):
        list(read_inputs([str(tmp_path)]))
    skipped: list[InputError] = []
    assert len(list(read_inputs([str(tmp_path)], on_bad=skipped.append))) == 1
    assert len(skipped) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.jsonl"
    path.write_text('{"title": "T", "abstract": "A."}\n')
    path.chmod(0)
    with pytest.raises(InputError, match=r"secret\.jsonl: permission denied"):
        list(read_inputs([str(tmp_path)]))


# --- interruptions ------------------------------------------------------------------------------


def _corpus(path: Path, n: int) -> None:
    base = [
        json.loads(line)
        for line in (Path(__file__).parent / "fixtures" / "ingest" / "generic.jsonl")
        .read_text()
        .splitlines()
    ]
    with path.open("w") as f:
        for i in range(n):
            r = base[i % len(base)]
            f.write(
                json.dumps(
                    {
                        "title": f"{r['Title'] if 'Title' in r else r['title']} {i}",
                        "abstract": (r.get("Abstract") or r.get("summary")) * 20,
                    }
                )
                + "\n"
            )


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_build_leaves_previous_outputs(tmp_path, sig):
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _corpus(small, 20)
    _corpus(large, 20_000)
    out = tmp_path / "out"
    kg = [sys.executable, "-m", "graph"]
    subprocess.run([*kg, "build", str(small), "--out", str(out), "-q"], check=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = subprocess.Popen(
        [*kg, "build", str(large), "--out", str(out), "--formats", "ttl,html,graphml"],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    if sig != signal.SIGKILL:
        assert proc.returncode == 130
        assert "interrupted; previous outputs are left as they were" in err
        assert "Traceback" not in err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    # The store still opens and answers; the next build clears what a kill left behind.
    assert subprocess.run([*kg, "stats", "--graph", str(out)], capture_output=True).returncode == 0
    subprocess.run([*kg, "build", str(small), "--out", str(out), "-q"], check=True)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_store_moved_aside_by_a_kill_is_recovered(tmp_path):
    aside = tmp_path / f".{STORE_DIR}.old"
    aside.mkdir()
    (aside / "CURRENT").write_text("x")
    recover_dir(tmp_path / STORE_DIR)
    assert (tmp_path / STORE_DIR / "CURRENT").exists() and not aside.exists()


def test_build_of_hostile_titles_is_valid(tmp_path, mini_vocab):
    from graph.validate import validate

    path = tmp_path / "hostile.jsonl"
    path.write_text(
        "".join(json.dumps({"title": t, "abstract": f"We use BERT. {t}"}) + "\n" for t in HOSTILE)
    )
    build([str(path)], tmp_path / "out", formats=["ttl", "nt", "jsonld"], vocabulary=mini_vocab)
    g = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl")
    titles = {str(o) for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert {" ".join(t.split()) for t in HOSTILE} == titles
    assert validate(tmp_path / "out") == []


def test_a_failing_export_leaves_every_previous_output(tmp_path, fixtures, mini_vocab, monkeypatch):
    import graph.pipeline as pipeline

    inputs = [str(fixtures / "ingest" / "daily.txt")]
    build(inputs, tmp_path, formats=["ttl", "graphml"], vocabulary=mini_vocab)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_graphml", broken)
    with pytest.raises(OutputError, match=r"disk full.*previous outputs are unchanged"):
        build(
            [*inputs, str(fixtures / "ingest" / "generic.jsonl")],
            tmp_path,
            formats=["ttl", "graphml"],
            vocabulary=mini_vocab,
        )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_atomic_path_keeps_the_old_file_when_writing_fails(tmp_path):
    from graph.export import atomic_path

    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half written")
        raise RuntimeError
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


# --- serve under load and abuse --------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_serve_under_load_and_abuse(tmp_path, fixtures, mini_vocab):
    """2,000 requests from 8 concurrent clients: every answer right, memory bounded."""
    import concurrent.futures
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    build(
        [str(fixtures / "ingest" / "daily.txt"), str(fixtures / "ingest" / "generic.jsonl")],
        tmp_path / "kg",
        formats=["ttl"],
        vocabulary=mini_vocab,
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graph",
            "serve",
            "--graph",
            str(tmp_path / "kg"),
            "--port",
            "0",
            "--quiet",
            "--timeout",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        requests = [
            (
                "query=" + urllib.parse.quote("SELECT ?l WHERE { ?m a kg:Model ; rdfs:label ?l }"),
                200,
            ),
            ("query=" + urllib.parse.quote("ASK { ?p a kg:Paper }"), 200),
            ("query=" + urllib.parse.quote("SELEC nonsense"), 400),
            ("update=" + urllib.parse.quote("DELETE WHERE { ?s ?p ?o }"), 403),
        ]

        def call(i: int) -> tuple[int, int]:
            body, expected = requests[i % len(requests)]
            req = urllib.request.Request(
                url + "sparql",
                data=body.encode(),
                method="POST",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
            try:
                with urllib.request.urlopen(req, timeout=30) as response:
                    return response.status, expected
            except urllib.error.HTTPError as exc:
                return exc.code, expected

        def count() -> str:
            query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            with urllib.request.urlopen(f"{url}sparql?query={query}", timeout=30) as response:
                return json.loads(response.read())["results"]["bindings"][0]["n"]["value"]

        before = count()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(call, range(200)))  # warm up: workers, caches
            baseline = _rss_kib(proc.pid)
            results = list(pool.map(call, range(2_000)))
        grown = _rss_kib(proc.pid) - baseline
        wrong = [(got, want) for got, want in results if got != want]
        assert wrong == []
        assert grown < 100 * 1024, f"server memory grew by {grown} KiB under load"
        assert count() == before  # still answering; the refused updates changed nothing
    finally:
        proc.terminate()
        proc.wait(30)
