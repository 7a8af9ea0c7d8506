"""Ingest: every reader, format detection, input expansion, and every bad input."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import EmptyInputError, InputError, KGError, UnknownFormatError
from graph.ingest import detect_format, expand_inputs, read_file, read_inputs
from graph.ingest.hf_daily import parse_date_line, read_hf_daily
from graph.ingest.records_io import normalise_arxiv_id
from graph.ingest.text import decode
from graph.pipeline import merge_listings
from graph.resources import samples_dir


def papers(path: Path, **kw):
    return list(read_file(str(path), **kw))


def test_daily_dump_reader(fixtures):
    ps = papers(fixtures / "ingest" / "daily.txt")
    assert [p.title for p in ps] == [
        "ProLLaMA: A Protein Large Language Model for Multi-Task Protein Language Processing",
        "BERT for Maltese: Adapting Encoders to a Small Language",
    ]
    assert ps[0].abstract.startswith("Large Language Models (LLMs)")
    assert ps[0].listing_date == "--03-14"
    assert ps[0].source.line == 11 and ps[1].source.line == 15


def test_daily_dump_several_dates():
    text = "Mar 14\n\nTitle A\n\nAbstract A.\n\nMarch 15, 2024\n\nTitle B\n\nAbstract B.\n"
    ps = list(read_hf_daily(text, "x.txt"))
    assert [(p.title, p.listing_date) for p in ps] == [
        ("Title A", "--03-14"),
        ("Title B", "2024-03-15"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Mar 14", "--03-14"),
        ("Sep 3", "--09-03"),
        ("December 1, 2023", "2023-12-01"),
        ("Mar 32", None),
        ("Marvellous 14", "--03-14"),
        ("Title", None),
    ],
)
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


def test_sample_corpus_has_342_listings_of_314_papers():
    ps = list(read_inputs([str(samples_dir())]))
    assert len(ps) == 342
    assert len(merge_listings(ps)) == 314


def test_arxiv_snapshot_reader(fixtures):
    ps = papers(fixtures / "ingest" / "arxiv.jsonl")
    assert detect_format((fixtures / "ingest" / "arxiv.jsonl").read_text(), "a.jsonl") == "arxiv"
    assert ps[0].arxiv_id == "2402.16445"
    assert ps[0].authors == ("A. Author", "B. Author", "C. Author")
    assert ps[0].categories == ("cs.CL", "q-bio.BM")
    assert ps[0].date == "2024-02-27"
    assert "\n" not in ps[0].abstract and not ps[0].abstract.startswith(" ")
    assert ps[1].arxiv_id == "hep-th/9901001"


def test_generic_jsonl_case_insensitive_fields(fixtures):
    ps = papers(fixtures / "ingest" / "generic.jsonl")
    assert ps[0].title == "Tiny Paper One" and ps[0].url == "https://example.org/one"
    assert ps[0].authors == ("Ann Lee", "Bo Chen") and ps[0].date == "2024-05-01"
    assert ps[1].abstract == "We evaluate GPT-4 on Maltese and English."


def test_json_array(fixtures):
    ps = papers(fixtures / "ingest" / "papers.json")
    assert [p.title for p in ps] == ["Tiny Paper One", "Tiny Paper Three"]
    assert ps[0].arxiv_id == "2401.00001"


def test_csv(fixtures):
    ps = papers(fixtures / "ingest" / "papers.csv")
    assert ps[1].title == "Tiny, Paper Four"
    assert ps[1].abstract == 'We study "quoted" LLaMA, with commas.'
    assert ps[0].date == "2024-05-01"


@pytest.mark.parametrize("name", ["crlf.txt", "bom.txt", "latin1.txt"])
def test_encodings_and_line_endings(fixtures, name):
    (p,) = papers(fixtures / "ingest" / name)
    assert p.title and p.abstract.endswith(".")
    assert "\r" not in p.abstract and "\ufeff" not in p.title


def test_latin1_is_decoded(fixtures):
    (p,) = papers(fixtures / "ingest" / "latin1.txt")
    assert p.title == "Café Models in Français"


def test_forced_format(fixtures):
    ps = papers(fixtures / "ingest" / "generic.jsonl", fmt="jsonl")
    assert len(ps) == 2
    with pytest.raises(UnknownFormatError, match="unknown format 'xml'"):
        papers(fixtures / "ingest" / "generic.jsonl", fmt="xml")


def test_stdin(monkeypatch, fixtures):
    data = (fixtures / "ingest" / "generic.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    ps = list(read_inputs(["-"]))
    assert [p.source.path for p in ps] == ["<stdin>", "<stdin>"]


def test_expand_directories_and_globs(fixtures, tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.jsonl").write_text("{}")
    (tmp_path / "a" / ".hidden").write_text("{}")
    (tmp_path / "y.csv").write_text("title,abstract\n")
    assert expand_inputs([str(tmp_path)]) == [
        str(tmp_path / "a" / "b" / "x.jsonl"),
        str(tmp_path / "y.csv"),
    ]
    assert expand_inputs([str(tmp_path / "*.csv")]) == [str(tmp_path / "y.csv")]


def test_arxiv_ids():
    assert normalise_arxiv_id("https://arxiv.org/pdf/2402.16445v3.pdf") == "2402.16445"
    assert normalise_arxiv_id("arXiv:1706.03762") == "1706.03762"
    assert normalise_arxiv_id("10.1000/xyz") is None


# --- bad inputs: each names the file (and line) and says what to do ---------------------------


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("empty.txt", EmptyInputError, r"empty\.txt: file is empty"),
        ("no_abstract.txt", InputError, r"no_abstract\.txt:3: title without an abstract"),
        ("no_title.csv", InputError, r"no_title\.csv:1: CSV header has no title column"),
        ("bad_line.jsonl", InputError, r"bad_line\.jsonl:2: not valid JSON"),
        ("unknown.txt", UnknownFormatError, r"unknown\.txt: cannot tell the format.*--format"),
    ],
)
def test_bad_inputs_name_file_and_line(fixtures, name, error, message):
    with pytest.raises(error, match=message):
        papers(fixtures / "ingest" / name)


def test_missing_path():
    with pytest.raises(InputError, match=r"nope\.txt: no such file or directory"):
        list(read_inputs(["nope.txt"]))


def test_binary_file(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match=r"blob\.bin: binary file"):
        papers(path)


def test_skip_bad_collects_errors(fixtures):
    errors: list[InputError] = []
    ps = list(
        read_inputs(
            [str(fixtures / "ingest" / "bad_line.jsonl"), str(fixtures / "ingest" / "empty.txt")],
            on_bad=errors.append,
        )
    )
    assert [p.title for p in ps] == ["Good", "Good Too"]
    assert [(Path(e.path).name, e.line) for e in errors] == [
        ("bad_line.jsonl", 2),
        ("empty.txt", None),
    ]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_readers_raise_only_our_errors_on_arbitrary_bytes(data):
    try:
        text = decode(data, "fuzz")
    except KGError:
        return
    for fmt in (None, "hf-daily", "jsonl", "json", "csv"):
        with contextlib.suppress(KGError):
            _read_text(text, fmt)


def _read_text(text: str, fmt: str | None):
    from graph.ingest import _READERS

    if not text.strip():
        return []
    return list(_READERS[fmt or detect_format(text, "fuzz")](text, "fuzz", None))
