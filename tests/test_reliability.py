"""Reliability: hostile text, interruptions, huge and broken inputs, property tests."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from graph.build import TurtleTerms, ntriples, to_networkx, turtle
from graph.cli import app
from graph.errors import InputError, OutputError
from graph.ingest import read_file, read_inputs
from graph.ingest.records_io import read_jsonl
from graph.ingest.text import clean
from graph.iri import entity_iri, name_key, paper_iri, paper_key, slug, statement_iri
from graph.ontology import PREFIXES
from graph.pipeline import build, build_records
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

#: Any text at all: controls, lone surrogates (category Cs), noncharacters, RTL marks ...
raw_text = st.text(st.characters(), min_size=1, max_size=80) | st.sampled_from(HOSTILE)
#: Names as they reach the IRI functions: every name is part of a title or abstract, which
#: ingest has cleaned (graph.ingest.text.clean).
hostile_text = raw_text.map(clean)


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
def test_paper_and_statement_iris_are_valid(title, arxiv_id):
    key = paper_key(title, arxiv_id)
    ox.NamedNode(paper_iri(key))
    model = entity_iri("Model", title)
    ox.NamedNode(statement_iri(key, "basedOn", model, entity_iri("Model", "x")))


# --- Turtle round trip ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(raw_text, raw_text), min_size=1, max_size=4))
def test_hostile_papers_give_valid_round_tripping_turtle(mini_vocab, pairs):
    # Raw text, lone surrogates and controls included, goes in through the JSON lines reader
    # (json.dumps writes surrogates as \ud800 escapes, as other tools do).
    lines = "".join(
        json.dumps({"title": f"{t} BERT", "abstract": f"We propose {a} and use BERT on GLUE. {a}"})
        + "\n"
        for t, a in pairs
    )
    papers = list(read_jsonl(lines, "hostile.jsonl"))
    records, resolution = build_records(papers, vocabulary=mini_vocab)
    # GraphML (lxml refuses controls, U+FFFE/U+FFFF and surrogates) is written whole ...
    graphml = io.BytesIO()
    nx.write_graphml_lxml(to_networkx(records, resolution), graphml)
    assert nx.read_graphml(io.BytesIO(graphml.getvalue())).number_of_nodes() >= len(records)
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
        [*kg, "build", str(large), "--out", str(out), "--to", "ttl,html,graphml"],
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job (`.ci/run &`) starts with SIGINT ignored, and Python then
        # leaves it ignored: give the build the Ctrl-C a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Signal once the build is under way (its staging directory exists), not after a fixed
    # delay: on a loaded machine 2.5 s could still be Python's start-up, where an interrupt ends
    # the process before kg has anything to say.
    deadline = time.monotonic() + 120
    while not any((out / ".paper-kg").glob("staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
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
    _assert_tidy(out)


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
    assert {clean(t) for t in HOSTILE} == titles
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
    _assert_tidy(tmp_path)


def test_atomic_path_keeps_the_old_file_when_writing_fails(tmp_path):
    from graph.export import atomic_path

    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half written")
        raise RuntimeError
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


# --- what a build leaves in --out ---------------------------------------------------------------

KG = [sys.executable, "-m", "graph"]
runner = CliRunner()


def _assert_tidy(out: Path) -> None:
    """Only kg's directory is hidden in ``out``, and it holds one generation and no staging."""
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".paper-kg"]
    meta = sorted(p.name for p in (out / ".paper-kg").iterdir())
    assert len([n for n in meta if n.startswith("gen-")]) == 1, meta
    assert {n for n in meta if not n.startswith("gen-")} == {"OWNER", "current", "lock"}, meta
    assert all(p.exists() for p in out.iterdir()), "a dangling output link"


def _outputs(out: Path) -> dict[str, object]:
    """What a reader of ``out`` sees: every output file's bytes, the store's triples, and the
    state's listings (its header names the build, which differs between equal builds)."""
    seen: dict[str, object] = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith(".") or not path.exists():
            continue
        if path.name == STORE_DIR:
            store = ox.Store.read_only(str(path))
            dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            seen[path.name] = sorted(dump.decode().splitlines())
            del store
        elif path.name == "state.jsonl.gz":
            try:
                seen[path.name] = gzip.decompress(path.read_bytes()).splitlines()[1:]
            except (OSError, EOFError, zlib.error):  # a state damaged on purpose
                seen[path.name] = path.read_bytes()
        else:
            seen[path.name] = path.read_bytes()
    return seen


class _RenameTrap:
    """Stands in for os.rename and os.replace and acts at the build's n-th rename.

    Every file and directory a build puts in place gets there by a rename, so acting before or
    after each of them in turn covers every moment the output directory changes.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pid = os.getpid()
        self.calls = 0
        self.at: tuple[int, str] | None = None
        self.action = None
        for name in ("rename", "replace"):
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))

    def _wrap(self, real):
        def trapped(*args, **kwargs):
            mine = os.getpid() == self.pid  # not the process that saves the state
            if mine:
                self.calls += 1
                if self.at == (self.calls, "before"):
                    self.action()
            result = real(*args, **kwargs)
            if mine and self.at == (self.calls, "after"):
                self.action()
            return result

        return trapped

    def arm(self, n: int, when: str, action) -> None:
        self.calls, self.at, self.action = 0, (n, when), action


_SWAP_FORMATS = ["ttl", "graphml"]


@pytest.fixture
def two_output_sets(tmp_path, fixtures, mini_vocab):
    """Inputs of two builds, and what each leaves in an output directory."""
    ingest = fixtures / "ingest"
    inputs = {
        "old": [str(ingest / "daily.txt")],
        "new": [str(ingest / "daily.txt"), str(ingest / "generic.jsonl")],
    }
    seen = {}
    for name, files in inputs.items():
        build(files, tmp_path / name, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
        seen[name] = _outputs(tmp_path / name)
    assert seen["old"] != seen["new"]
    return inputs, seen


def test_a_signal_at_any_moment_of_the_swap_leaves_one_whole_output_set(
    tmp_path, mini_vocab, monkeypatch, two_output_sets
):
    inputs, seen = two_output_sets
    out = tmp_path / "out"
    build(inputs["old"], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
    trap = _RenameTrap(monkeypatch)
    build(inputs["new"], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
    renames = trap.calls
    assert renames >= 3
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    said: list[tuple[BaseException, bool]] = []
    leftovers: list[list[str] | None] = []
    try:
        current = "new"
        for n in range(1, renames + 1):
            for when in ("before", "after"):
                target = "old" if current == "new" else "new"
                trap.arm(n, when, lambda: signal.raise_signal(signal.SIGINT))
                with pytest.raises(KeyboardInterrupt) as caught:
                    build(inputs[target], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
                trap.at = None
                now = _outputs(out)
                assert now in (seen[current], seen[target]), (n, when)
                said.append((caught.value, now == seen[target]))
                if now == seen[target]:
                    current = target
                meta = out / ".paper-kg"
                leftovers.append(sorted(os.listdir(meta)) if meta.is_dir() else [])
    finally:
        signal.signal(signal.SIGINT, previous)
    # Each time, the build said which output set is in place (the CLI prints it).
    from graph.errors import BuildInterrupted

    assert all(isinstance(e, BuildInterrupted) and e.committed == new for e, new in said)
    assert [new for _, new in said].count(True) == 1  # only after the swap's rename
    # ... and left nothing behind: no staging directory, no second generation.
    assert all(len(names) == 4 for names in leftovers), leftovers


#: Builds (argv: formats, out dir, vocabulary dir, n, before|after, inputs...) and SIGKILLs
#: itself just before or just after the build's n-th rename, as the rename trap counts them.
_KILL_AT_RENAME = """
import os, signal, sys
from pathlib import Path
from graph.ontology import load_vocabulary
from graph.pipeline import build

formats, out, vocab, n, when, *files = sys.argv[1:]
vocabulary = load_vocabulary(Path(vocab))
pid, calls = os.getpid(), 0
for name in ("rename", "replace"):
    def trapped(*args, _real=getattr(os, name), **kwargs):
        global calls
        mine = os.getpid() == pid
        if mine:
            calls += 1
            if calls == int(n) and when == "before":
                os.kill(pid, signal.SIGKILL)
        result = _real(*args, **kwargs)
        if mine and calls == int(n) and when == "after":
            os.kill(pid, signal.SIGKILL)
        return result
    setattr(os, name, trapped)
build(files, Path(out), formats=formats.split(","), jobs=1, vocabulary=vocabulary)
"""


def test_a_kill_at_any_moment_of_the_swap_leaves_one_whole_output_set(
    tmp_path, fixtures, mini_vocab, monkeypatch, two_output_sets
):
    inputs, seen = two_output_sets
    out = tmp_path / "out"
    build(inputs["old"], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
    trap = _RenameTrap(monkeypatch)
    build(inputs["new"], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
    renames, current = trap.calls, "new"
    moments = [(n, "before") for n in range(1, renames + 1)] + [(renames, "after")]
    swapped = 0
    for n, when in moments:
        target = "old" if current == "new" else "new"
        args = [",".join(_SWAP_FORMATS), str(out), str(fixtures / "vocab"), str(n), when]
        killed = subprocess.run(
            [sys.executable, "-c", _KILL_AT_RENAME, *args, *inputs[target]],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert killed.returncode == -signal.SIGKILL, (n, killed.stderr)
        now = _outputs(out)
        assert now in (seen[current], seen[target]), (n, when)
        if now == seen[target]:
            current, swapped = target, swapped + 1
    assert swapped == 1  # only a kill after the last rename (the swap) finds the new outputs
    # The next build clears what the kills left behind.
    build(inputs["new"], out, formats=_SWAP_FORMATS, jobs=1, vocabulary=mini_vocab)
    assert _outputs(out) == seen["new"]
    _assert_tidy(out)


def test_fewer_formats_leave_no_stale_exports(tmp_path, fixtures, mini_vocab):
    inputs = [str(fixtures / "ingest" / "daily.txt")]
    build(inputs, tmp_path, formats=["ttl", "nt", "graphml", "html"], vocabulary=mini_vocab)
    assert (tmp_path / "graph.nt").is_file() and (tmp_path / "graph.html").is_file()
    summary = build(inputs, tmp_path, formats=["ttl"], vocabulary=mini_vocab)
    assert not [
        p.name for p in tmp_path.iterdir() if p.name.startswith("graph.") and p.name != "graph.ttl"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".paper-kg",
        "graph.ttl",
        "state.jsonl.gz",
        "store",
    ]
    assert [p.name for p in summary.outputs] == ["store", "graph.ttl"]
    _assert_tidy(tmp_path)


def test_skipped_jsonl_goes_with_the_build_that_wrote_it(tmp_path, fixtures, mini_vocab):
    bad, good = fixtures / "ingest" / "bad_line.jsonl", fixtures / "ingest" / "daily.txt"
    build([str(bad)], tmp_path, formats=["ttl"], skip_bad=True, vocabulary=mini_vocab)
    assert (tmp_path / "skipped.jsonl").is_file()
    build([str(good)], tmp_path, formats=["ttl"], vocabulary=mini_vocab)
    assert not (tmp_path / "skipped.jsonl").exists()


@pytest.mark.parametrize(
    "theirs",
    [
        {"store/inventory.txt": "mine"},
        {".thesis.tmp": "chapter 1"},
        {".kg-build-notes/notes.txt": "keep me"},
        {"notes.txt": "mine too"},
        {"page.html": "<!DOCTYPE html><title>mine</title>"},
        {"graph.ttl": "<a> <b> <c> ."},
        {".paper-kg/something": "not kg's"},
    ],
)
def test_out_holding_other_files_is_refused_and_left_alone(tmp_path, fixtures, mini_vocab, theirs):
    out = tmp_path / "out"
    for name, text in theirs.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    refused = None
    try:
        build([str(fixtures / "ingest" / "daily.txt")], out, formats=["ttl"], vocabulary=mini_vocab)
    except OutputError as exc:
        refused = str(exc)
    for name, text in theirs.items():
        assert (out / name).read_text() == text
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert refused is not None and "out: holds files kg did not write (" in refused


def test_placeholders_may_sit_beside_the_outputs(tmp_path, fixtures, mini_vocab):
    (tmp_path / ".gitkeep").write_text("")
    (tmp_path / "README.md").write_text("Outputs of kg build.\n")
    for _ in range(2):
        build(
            [str(fixtures / "ingest" / "daily.txt")],
            tmp_path,
            formats=["ttl"],
            vocabulary=mini_vocab,
        )
    assert (tmp_path / "README.md").read_text() == "Outputs of kg build.\n"
    assert (tmp_path / ".gitkeep").exists()


def test_kg_view_pages_in_a_build_directory_do_not_block_the_next_build(
    tmp_path, fixtures, mini_vocab
):
    """The README's tour runs `kg view -g exports/graph.ttl` (writing exports/view.html) and
    then `kg build` again, which refused the directory over the page kg view had written."""
    inputs = [str(fixtures / "ingest" / "daily.txt")]
    build(inputs, tmp_path, formats=["ttl"], vocabulary=mini_vocab)
    runner = CliRunner()
    for extra in ([], ["-o", str(tmp_path / "graph.html")]):
        result = runner.invoke(app, ["view", "-g", str(tmp_path / "graph.ttl"), *extra])
        assert result.exit_code == 0, result.output
    view = (tmp_path / "view.html").read_bytes()
    build(inputs, tmp_path, formats=["ttl", "html"], vocabulary=mini_vocab)
    assert (tmp_path / "view.html").read_bytes() == view  # left alone
    assert (tmp_path / "graph.html").is_symlink()  # kg view's page there gave way to the build's
    assert b"<!DOCTYPE html>" in (tmp_path / "graph.html").read_bytes()


def test_files_added_to_a_build_directory_are_never_removed(tmp_path, fixtures, mini_vocab):
    inputs = [str(fixtures / "ingest" / "daily.txt")]
    build(inputs, tmp_path, formats=["ttl"], vocabulary=mini_vocab)
    (tmp_path / "my-notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"holds files kg did not write \(my-notes\.txt\)"):
        build(inputs, tmp_path, formats=["ttl"], vocabulary=mini_vocab)
    assert (tmp_path / "my-notes.txt").read_text() == "mine"
    assert (tmp_path / "graph.ttl").is_file()


def test_out_of_an_older_kg_says_so(tmp_path, fixtures, mini_vocab):
    for name in ("store", "graph.ttl", "state.jsonl.gz"):
        (tmp_path / name).mkdir() if name == "store" else (tmp_path / name).write_text("x")
    with pytest.raises(OutputError, match="outputs of an older kg"):
        build(
            [str(fixtures / "ingest" / "daily.txt")],
            tmp_path,
            formats=["ttl"],
            vocabulary=mini_vocab,
        )


def test_out_that_is_the_root_directory_is_refused(fixtures, monkeypatch):
    import graph.pipeline as pipeline

    def must_not_run(*args, **kwargs):
        raise AssertionError("the build went ahead with --out /")

    monkeypatch.setattr(pipeline, "extract_records", must_not_run)
    with pytest.raises(OutputError, match="refusing to write outputs into the root directory"):
        build([str(fixtures / "ingest" / "daily.txt")], Path("/"), formats=["ttl"])


def test_out_inside_an_input_is_refused(tmp_path, fixtures, mini_vocab):
    papers = tmp_path / "papers"
    papers.mkdir()
    shutil.copy(fixtures / "ingest" / "daily.txt", papers)
    with pytest.raises(OutputError, match=r"lies inside the input .*papers"):
        build([str(papers)], papers / "kg", formats=["ttl"], vocabulary=mini_vocab)
    assert sorted(p.name for p in papers.iterdir()) == ["daily.txt"]
    build([str(papers / "*.txt")], tmp_path / "kg", formats=["ttl"], vocabulary=mini_vocab)
    with pytest.raises(OutputError, match=r"the input .*graph\.ttl lies inside the output"):
        build([str(tmp_path / "kg" / "graph.ttl")], tmp_path / "kg", formats=["ttl"])


def _wait_for(predicate, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_second_build_into_one_out_is_refused_and_says_who_holds_it(
    tmp_path, fixtures, mini_vocab
):
    fifo, out = tmp_path / "slow.jsonl", tmp_path / "out"
    os.mkfifo(fifo)
    first = subprocess.Popen(
        [*KG, "build", str(fifo), "--out", str(out), "-j", "1", "--to", "ttl", "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = out / ".paper-kg" / "lock"
        _wait_for(
            lambda: lock.is_file() and lock.read_text().strip(), what="the first build's lock"
        )
        with pytest.raises(
            OutputError,
            match=rf"another kg build is writing here \(pid {first.pid} on "
            rf"{socket.gethostname()}, started .*\); wait for it",
        ):
            build(
                [str(fixtures / "ingest" / "daily.txt")],
                out,
                formats=["ttl"],
                vocabulary=mini_vocab,
            )
        with open(fifo, "w") as f:
            f.write(json.dumps({"title": "Slow", "abstract": "We use BERT."}) + "\n")
        assert first.wait(120) == 0, first.stderr.read()
    finally:
        if first.poll() is None:
            first.kill()
    summary = build(
        [str(fixtures / "ingest" / "daily.txt")], out, formats=["ttl"], vocabulary=mini_vocab
    )
    assert summary.papers == 2


# --- the state an update reads ----------------------------------------------------------------


def _damage(kind: str, path: Path) -> None:
    data = path.read_bytes()
    if kind == "flipped byte":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "list header":
        path.write_bytes(gzip.compress(b"[2]\n"))
    elif kind == "not gzip":
        path.write_bytes(b"hello\n")
    elif kind == "bad row":
        path.write_bytes(
            gzip.compress(gzip.decompress(data).splitlines()[0] + b'\n{"listing": 5}\n')
        )


@pytest.mark.parametrize(
    "kind", ["flipped byte", "truncated", "list header", "not gzip", "bad row"]
)
def test_a_damaged_state_is_one_line_naming_it(tmp_path, fixtures, mini_vocab, kind):
    out = tmp_path / "out"
    daily = str(fixtures / "ingest" / "daily.txt")
    build([daily], out, formats=["ttl"], vocabulary=mini_vocab)
    before = _outputs(out)
    _damage(kind, out / "state.jsonl.gz")  # through the link, as any tool would write it
    result = runner.invoke(
        app, ["build", "--update", str(fixtures / "ingest" / "generic.jsonl"), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {out}/state.jsonl.gz: "), lines
    assert "rebuild without --update" in lines[0]
    assert "Traceback" not in result.output and "Aborted" not in result.output
    assert {k: v for k, v in _outputs(out).items() if k != "state.jsonl.gz"} == {
        k: v for k, v in before.items() if k != "state.jsonl.gz"
    }


def test_the_state_of_another_build_is_refused(tmp_path, fixtures, mini_vocab):
    from graph.errors import KGError

    ingest = fixtures / "ingest"
    build([str(ingest / "daily.txt")], tmp_path / "a", formats=["ttl"], vocabulary=mini_vocab)
    build([str(ingest / "arxiv.jsonl")], tmp_path / "b", formats=["ttl"], vocabulary=mini_vocab)
    with gzip.open(tmp_path / "a" / "state.jsonl.gz", "rt") as f:
        header = json.loads(f.readline())
    # cp follows the link: the other build's state lands among a's outputs
    shutil.copyfile(tmp_path / "b" / "state.jsonl.gz", tmp_path / "a" / "state.jsonl.gz")
    with pytest.raises(KGError, match=r"a/state\.jsonl\.gz: this build state belongs to another"):
        build(
            [str(ingest / "generic.jsonl")],
            tmp_path / "a",
            formats=["ttl"],
            vocabulary=mini_vocab,
            update=True,
        )
    # The state names its build (the generation of outputs it was written with) and outputs.
    from graph.outputs import build_id_of, current_generation

    assert header["build"] == build_id_of(current_generation(tmp_path / "a"))
    assert header["outputs"] == ["graph.ttl", "state.jsonl.gz", "store"]


# --- bad records through the CLI: one line, or skipped ------------------------------------------


def test_bad_fields_give_one_error_line_or_are_skipped(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"title": "Fine", "abstract": "We use BERT."})
        + "\n"
        + '{"title": "T", "abstract": "A.", "id": '
        + "1" * 5000
        + "}\n"
        + json.dumps({"title": "T2", "abstract": "A.", "categories": 5})
        + "\n"
        + json.dumps({"title": "T3", "abstract": "A.", "url": "https://x.org/a\u0000b%zz"})
        + "\n"
        + '{"title": NaN, "abstract": "A."}\n'
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--out", str(out), "--to", "ttl"])
    assert result.exit_code == 1
    assert result.output == f"kg: error: {path}:2: field 'id' holds a number of 5000 digits; " + (
        "expected text or a number\n"
    )
    assert not out.exists()
    result = runner.invoke(
        app, ["build", str(path), "--out", str(out), "--skip-bad", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert "1 paper (1 listing)" in result.output and "skipped 4 bad records" in result.output
    lines = [json.loads(x) for x in (out / "skipped.jsonl").read_text().splitlines()]
    assert [x["line"] for x in lines] == [2, 3, 4, 5]


def test_control_characters_build_every_export(tmp_path, fixtures, mini_vocab):
    from graph.validate import validate

    inputs = [
        str(fixtures / "ingest" / n) for n in ("controls.jsonl", "controls.csv", "controls.txt")
    ]
    formats = ["ttl", "nt", "jsonld", "graphml", "html"]
    summary = build(inputs, tmp_path, formats=formats, skip_bad=True, vocabulary=mini_vocab)
    assert summary.skipped == []  # raw control characters inside JSON strings are read too
    graph = nx.read_graphml(str(tmp_path / "graph.graphml"))
    titles = {d["title"] for _, d in graph.nodes(data=True) if d.get("kind") == "Paper"}
    assert titles == {"BERT for \ufffd Maltese", "BERT for Maltese", "Raw control bytes"}
    assert validate(tmp_path) == []


def test_impossible_dates_write_no_ill_typed_literal(tmp_path, mini_vocab):
    daily = tmp_path / "daily.txt"
    daily.write_text("Feb 30\n\nTitle A\n\nWe use BERT.\n\nFeb 29\n\nTitle B\n\nWe use BERT.\n")
    records = tmp_path / "records.jsonl"
    records.write_text(
        json.dumps({"title": "C", "abstract": "We use BERT.", "date": "2023-02-29"})
        + "\n"
        + json.dumps({"title": "D", "abstract": "We use BERT.", "year": 2021})
        + "\n"
    )
    with pytest.raises(InputError, match=r"daily\.txt:1: 'Feb 30' is not a day of the calendar"):
        build([str(daily)], tmp_path / "out", formats=["ttl"], vocabulary=mini_vocab)
    summary = build(
        [str(daily), str(records)],
        tmp_path / "out",
        formats=["ttl"],
        skip_bad=True,
        vocabulary=mini_vocab,
    )
    assert summary.papers == 3 and len(summary.skipped) == 2
    g = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl")
    dates = [o for o in g.objects() if isinstance(o, rdflib.Literal) and o.datatype]
    assert dates and not [o for o in dates if o.ill_typed]
    assert rdflib.Literal("2021", datatype=rdflib.XSD.gYear) in dates
    assert rdflib.Literal("--02-29", datatype=rdflib.XSD.gMonthDay) in dates


def test_title_only_records_are_kept_with_the_option(tmp_path, mini_vocab):
    from graph.validate import validate

    path = tmp_path / "titles.jsonl"
    path.write_text(json.dumps({"title": "BERT for Maltese", "year": 2020}) + "\n")
    result = runner.invoke(app, ["build", str(path), "--out", str(tmp_path / "a")])
    assert result.exit_code == 1 and "--keep-title-only keeps such records" in result.output
    result = runner.invoke(
        app,
        ["build", str(path), "--out", str(tmp_path / "a"), "--keep-title-only", "--to", "ttl"],
    )
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(tmp_path / "a" / "graph.ttl")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    assert [str(t) for t in g.objects(None, dcterms.title)] == ["BERT for Maltese"]
    assert list(g.objects(None, dcterms.abstract)) == []
    assert validate(tmp_path / "a") == []


def test_conflicting_listings_are_reported_and_both_kept(tmp_path, mini_vocab):
    path = tmp_path / "papers.jsonl"
    path.write_text(
        json.dumps(
            {"id": "2401.00001", "title": "Parsing C++ with BERT", "abstract": "We use BERT."}
        )
        + "\n"
        + json.dumps({"id": "2401.00001", "title": "Other title", "abstract": "We use GLUE."})
        + "\n"
        + json.dumps({"title": "Parsing C with BERT", "abstract": "We use LLaMA."})
        + "\n"
    )
    result = runner.invoke(app, ["build", str(path), "--out", str(tmp_path / "o"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "3 papers (3 listings)" in result.output
    assert "1 conflict between listings:" in result.output
    assert "arXiv 2401.00001: listings disagree on the title" in result.output
    g = rdflib.Graph().parse(tmp_path / "o" / "graph.ttl")
    abstracts = {
        str(o) for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/abstract"))
    }
    assert abstracts == {"We use BERT.", "We use GLUE.", "We use LLaMA."}


# --- reads that never end, and signals while waiting on them ----------------------------------


def _limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_devices_are_refused_at_once(tmp_path):
    for device in ("/dev/zero", "/dev/urandom"):
        done = subprocess.run(
            [*KG, "build", device, "--out", str(tmp_path / "out"), "-j", "1"],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limited_memory,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr == (
            f"kg: error: {device}: binary file (holds NUL bytes); give a text, JSON or CSV "
            "listing\n"
        )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_without_a_writer_says_so_and_waits(tmp_path):
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [*KG, "build", str(fifo), "--out", str(tmp_path / "out"), "-j", "1", "--to", "ttl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(proc.stderr.readline()), daemon=True)
        reader.start()
        reader.join(60)
        assert first == [f"kg: {fifo}: waiting for a writer on this FIFO (Ctrl-C to stop)\n"]
        with open(fifo, "w") as f:
            f.write(json.dumps({"title": "T", "abstract": "We use BERT."}) + "\n")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "1 paper (1 listing)" in err and out == ""
    finally:
        if proc.poll() is None:
            proc.kill()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _idle(pids: list[int]) -> bool:
    before = [_cpu_ticks(p) for p in pids]
    time.sleep(0.5)
    return before == [_cpu_ticks(p) for p in pids]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("source", ["fifo", "stdin"])
def test_sigterm_to_the_process_group_while_waiting_for_input(tmp_path, source):
    """`timeout`, `kill %1` and service managers signal the whole process group: the build
    and its idle extraction workers at once."""
    if source == "fifo":
        os.mkfifo(tmp_path / "in.jsonl")
        args, stdin = [str(tmp_path / "in.jsonl")], subprocess.DEVNULL
    else:
        args, stdin = ["-"], subprocess.PIPE  # a writer that never writes
    proc = subprocess.Popen(
        [*KG, "build", *args, "--out", str(tmp_path / "out"), "-j", "2"],
        stdin=stdin,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        # Signal once both workers wait for tasks (their start-up done, no CPU used).
        _wait_for(
            lambda: len(_children(proc.pid)) == 2 and _idle(_children(proc.pid)),
            what="two idle extraction workers",
        )
        os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdin:
            proc.stdin.close()
    assert proc.returncode == 130, err
    assert err.endswith("kg: interrupted; previous outputs are left as they were\n"), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


_SECOND_SIGNAL = """
import os, signal, sys, time, types

import graph.extract as ex
from graph.cli.common import _terminate
from graph.extract.workers import Workers

signal.signal(signal.SIGTERM, _terminate)  # what `kg` installs: SIGTERM raises KeyboardInterrupt
real_kill = Workers.kill


def kill(self):
    # What `timeout` does after signalling the build: signal its whole group. The workers die
    # while the build is already stopping them.
    os.killpg(0, signal.SIGTERM)
    time.sleep(0.5)
    real_kill(self)


Workers.kill = kill


def papers():
    yield types.SimpleNamespace(title="T", abstract="We fine-tune BERT on GLUE.")
    time.sleep(2)  # both workers idle, waiting for tasks
    raise KeyboardInterrupt  # the first signal


try:
    for _ in ex.extract_papers(papers(), jobs=2, batch_size=1):
        pass
except KeyboardInterrupt:
    print("stopped")
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_a_second_sigterm_while_the_workers_are_stopped_does_not_hang(tmp_path):
    """`timeout` sends SIGTERM to the build and then to its process group: the second one can
    land while the pool is being stopped, which must not cut the stopping short (it left
    multiprocessing.Pool's terminate() waiting for ever on a lock a killed worker held)."""
    script = tmp_path / "second_signal.py"
    script.write_text(_SECOND_SIGNAL, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the pool's stop hung after a second SIGTERM")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert out == "stopped\n", err


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
