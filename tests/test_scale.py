"""Scale features: incremental builds and the Dask engine give the graph a full build gives."""

from __future__ import annotations

import pytest

from graph.errors import GraphNotFoundError
from graph.pipeline import build


def test_update_equals_full_build(tmp_path, fixtures, mini_vocab, monkeypatch):
    ingest = fixtures / "ingest"
    first, second = (
        [str(ingest / "daily.txt")],
        [str(ingest / "generic.jsonl"), str(ingest / "arxiv.jsonl")],
    )
    build(first + second, tmp_path / "full", formats=["ttl"], jobs=1, vocabulary=mini_vocab)
    build(first, tmp_path / "inc", formats=["ttl"], jobs=1, vocabulary=mini_vocab)

    import graph.pipeline as pipeline

    calls = []
    real = pipeline.extract_papers

    def counting(papers, **kw):
        papers = list(papers)
        calls.append(len(papers))
        return real(papers, **kw)

    monkeypatch.setattr(pipeline, "extract_papers", counting)
    summary = build(
        second, tmp_path / "inc", formats=["ttl"], jobs=1, vocabulary=mini_vocab, update=True
    )
    # The two daily-papers listings were not extracted again; ProLLaMA's arXiv listing merges
    # with its daily-papers listing and keeps the longer abstract, so it is extracted anew.
    assert calls == [3]
    assert summary.papers == 5
    full = (tmp_path / "full" / "graph.ttl").read_bytes()
    assert (tmp_path / "inc" / "graph.ttl").read_bytes() == full


def test_update_needs_an_earlier_build(tmp_path, fixtures):
    with pytest.raises(GraphNotFoundError, match="no build state to update"):
        build([str(fixtures / "ingest" / "daily.txt")], tmp_path, update=True, formats=["ttl"])


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster_equals_local_engine(tmp_path, fixtures, mini_vocab):
    pytest.importorskip("dask.distributed")
    inputs = [str(fixtures / "ingest" / n) for n in ("daily.txt", "generic.jsonl", "papers.csv")]
    build(inputs, tmp_path / "local", formats=["ttl"], jobs=1)
    build(inputs, tmp_path / "dask", formats=["ttl"], engine="dask")
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (
        tmp_path / "local" / "graph.ttl"
    ).read_bytes()


def test_state_keeps_relations_exactly(tmp_path):
    from graph.records import Extraction, Mention, Paper, PaperRecord, Relation, SourceRef
    from graph.state import load_state, save_state

    paper = Paper("FooNet: x", "FooNet outperforms BarNet on GLUE.", SourceRef("f", 1))
    mentions = tuple(
        Mention(t, n, "abstract", a, a + len(n), paper.abstract, "vocab", 0.9)
        for t, n, a in (("Model", "FooNet", 0), ("Model", "BarNet", 19), ("Dataset", "GLUE", 29))
    )
    relations = (
        Relation(
            "outperforms",
            "FooNet",
            "Model",
            "BarNet",
            "Model",
            "abstract",
            0,
            34,
            "cue-outperforms",
            0.8,
        ),
        Relation(
            "evaluatedOn",
            "FooNet",
            "Model",
            "GLUE",
            "Dataset",
            "abstract",
            0,
            34,
            "cue-evaluated-on",
            0.75,
        ),
    )
    record = PaperRecord("k", paper, [paper.source], extraction=Extraction(mentions, (), relations))
    save_state(tmp_path, [paper], [record])
    _, extractions = load_state(tmp_path)
    (extraction,) = extractions.values()
    assert extraction == record.extraction


def test_state_of_an_older_version_asks_for_a_rebuild(tmp_path):
    import gzip
    import json

    from graph.state import STATE_FILE, load_state

    with gzip.open(tmp_path / STATE_FILE, "wt") as f:
        f.write(json.dumps({"version": 2}) + "\n")
    with pytest.raises(GraphNotFoundError, match="rebuild without --update"):
        load_state(tmp_path)


def test_open_state_streams_what_load_state_reads(tmp_path, fixtures, mini_vocab):
    """An update reads the earlier state through files, not into memory: the same listings,
    in the same order, and the same extraction for each text."""
    from graph.state import load_state, open_state, text_hash

    inputs = [str(fixtures / "ingest" / n) for n in ("daily.txt", "generic.jsonl", "arxiv.jsonl")]
    build(inputs, tmp_path / "out", formats=["ttl"], jobs=1, vocabulary=mini_vocab)
    listings, extractions = load_state(tmp_path / "out")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    streamed, known = open_state(tmp_path / "out", scratch)
    assert len(known) == len(extractions)
    got = list(streamed)
    assert got == listings
    for paper in got:
        h = text_hash(paper)
        if h in extractions:
            assert known.take(h, paper) == extractions.pop(h)
    assert extractions == {}
    assert len(known) == 0
    known.close()
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("damage", ["listing", "extraction", "line"])
def test_a_damaged_state_line_asks_for_a_rebuild(tmp_path, fixtures, mini_vocab, damage):
    import gzip

    from graph.errors import StateError
    from graph.state import STATE_FILE, open_state, text_hash

    out = tmp_path / "out"
    build([str(fixtures / "ingest" / "daily.txt")], out, formats=["ttl"], vocabulary=mini_vocab)
    state = (out / STATE_FILE).resolve()
    lines = gzip.decompress(state.read_bytes()).splitlines(keepends=True)
    first = {"listing": b'{"listing"', "extraction": b'{"hash"', "line": b'{"listing"'}[damage]
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    lines[at] = {
        "listing": b'{"listing":{"title":1}}\n',
        "extraction": lines[at][:60] + b"}\n",
        "line": b"[1, 2]\n",
    }[damage]
    state.unlink()
    state.write_bytes(gzip.compress(b"".join(lines)))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(StateError, match=r"damaged.*rebuild without --update"):
        listings, known = open_state(out, scratch)
        for paper in listings:
            known.take(text_hash(paper), paper)
    before = (out / "graph.ttl").read_bytes()
    with pytest.raises(StateError, match="rebuild without --update"):
        build([str(fixtures / "ingest" / "daily.txt")], out, update=True, vocabulary=mini_vocab)
    assert _staging(out) == []  # the failed update leaves no scratch files
    assert (out / "graph.ttl").read_bytes() == before


def test_unwritable_update_scratch_is_an_output_error(tmp_path, fixtures, mini_vocab):
    from graph.errors import OutputError
    from graph.state import open_state

    out = tmp_path / "out"
    build([str(fixtures / "ingest" / "daily.txt")], out, formats=["ttl"], vocabulary=mini_vocab)
    with pytest.raises(OutputError, match="cannot write the update's scratch files"):
        open_state(out, tmp_path / "no-such-directory")


def _staging(out):
    return sorted(p.name for p in (out / ".paper-kg").iterdir() if p.name.startswith("staging-"))


@pytest.mark.parametrize("where", ["none", "extract", "resolve", "state", "interrupt"])
def test_the_spill_is_removed_on_success_and_on_error(
    tmp_path, fixtures, mini_vocab, monkeypatch, where
):
    """The listings and extractions a build spills to disk go when it ends, however it ends."""
    import graph.pipeline as pipeline
    import graph.spill as spill
    from graph.errors import BuildInterrupted, InputError, OutputError

    spilled = []
    real_init = spill.Spill.__init__

    def recording(self, directory, known=None):
        spilled.append(directory)
        real_init(self, directory, known)

    monkeypatch.setattr(spill.Spill, "__init__", recording)
    inputs = [str(fixtures / "ingest" / n) for n in ("daily.txt", "generic.jsonl")]
    expected: type[BaseException] | None = None
    if where == "extract":
        inputs.append(str(fixtures / "ingest" / "bad_line.jsonl"))
        expected = InputError
    elif where == "resolve":

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(pipeline, "resolve", broken)
        expected = OutputError
    elif where in ("state", "interrupt"):
        error = OSError("disk full") if where == "state" else KeyboardInterrupt()

        def broken_rows(*args, **kwargs):
            yield b""
            raise error

        monkeypatch.setattr(pipeline, "state_rows", broken_rows)
        expected = OutputError if where == "state" else BuildInterrupted
    out = tmp_path / "kg"
    if expected is None:
        build(inputs, out, formats=["ttl"], jobs=1, vocabulary=mini_vocab)
        assert (out / "graph.ttl").is_file()
    else:
        with pytest.raises(expected):
            build(inputs, out, formats=["ttl"], jobs=1, vocabulary=mini_vocab)
    assert spilled and not any(d.exists() for d in spilled)
    assert not out.exists() or _staging(out) == []
