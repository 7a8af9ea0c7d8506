"""Ingest: every reader, format detection, input expansion, and every bad input."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import EmptyInputError, InputError, KGError, UnknownFormatError
from graph.ingest import detect_format, expand_inputs, read_file, read_inputs
from graph.ingest.hf_daily import parse_date_line, read_hf_daily
from graph.ingest.records_io import normalise_arxiv_id
from graph.ingest.text import clean, decode
from graph.iri import paper_key
from graph.pipeline import merge_listings
from graph.records import Paper, SourceRef
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
        ("unknown.txt", UnknownFormatError, r"unknown\.txt: cannot tell the format.*--from"),
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


# --- cleaning: one place, every reader (issue 13, item 2) -------------------------------------

#: What no text field may hold after ingest: C0/C1 controls, DEL, U+FFFE/U+FFFF, surrogates.
_UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(), max_size=200))
def test_clean_leaves_no_control_noncharacter_or_surrogate(text):
    cleaned = clean(text)
    assert not _UNCLEAN.search(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert clean(cleaned) == cleaned
    cleaned.encode("utf-8")  # no lone surrogate left to refuse


@pytest.mark.parametrize(
    "name", ["controls.jsonl", "controls.json", "controls.csv", "controls.txt"]
)
def test_every_reader_cleans_every_text_field(fixtures, name):
    ps = papers(fixtures / "ingest" / name)
    json_input = name.startswith("controls.js")  # only JSON escapes can make lone surrogates
    first = "BERT for \ufffd Maltese" if json_input else "BERT for Maltese"
    assert [p.title for p in ps] == [first, "Raw control bytes"]
    assert ps[0].abstract.startswith("We use BERT[31m on GLUE.2J")
    for p in ps:
        for value in (p.title, p.abstract, *p.authors, *p.categories):
            assert not _UNCLEAN.search(value), (name, value)
    if name != "controls.txt":  # daily-papers dumps have no authors or categories
        assert ps[0].authors == (("Ann Lee", "Bo Chen") if json_input else ("Ann Lee",))
        assert ps[0].categories == ("cs.CL", "cs.LG")


def test_file_names_with_controls_and_undecodable_bytes(tmp_path):
    raw = os.fsencode(tmp_path) + b"/bad\nname\xff.jsonl"
    with open(raw, "w") as f:
        f.write('{"title": "T"}\n')
    with pytest.raises(InputError) as caught:
        list(read_inputs([str(tmp_path)]))
    message = str(caught.value)
    assert "\n" not in message and "bad\\nname\ufffd.jsonl:1: record has no abstract" in message
    message.encode("utf-8")


# --- bad fields are bad records (items 3 and the weak JSON ones) ------------------------------

_HUGE = "1" * 5000


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": f"@{_HUGE}"}, "field 'id' holds a number of 5000 digits"),
        ({"title": f"@{_HUGE}"}, "field 'title' holds a number of 5000 digits"),
        ({"year": f"@{_HUGE}"}, "field 'year' holds a number of 5000 digits"),
        ({"categories": 5}, "field 'categories' holds a number; expected text or a list"),
        ({"categories": {"a": 1}}, "field 'categories' holds an object"),
        ({"authors": 7}, "field 'authors' holds a number"),
        ({"url": "https://example.org/a\nb"}, r"field 'url' holds 'https://example\.org/a\\nb'"),
        ({"url": "https://example.org/a\u0000b"}, "field 'url' holds .* not a valid URL"),
        ({"url": "https://example.org/%zz"}, r"field 'url' holds .*%zz.* not a valid URL"),
        ({"url": 12}, "field 'url' holds a number; expected text"),
        ({"title": "@NaN"}, "field 'title' holds NaN; expected text"),
        ({"abstract": "@Infinity"}, "field 'abstract' holds Infinity"),
        ({"year": "@NaN"}, "field 'year' holds NaN"),
        ({"title": 42}, "field 'title' holds a number; expected text"),
        ({"title": 4.2}, "field 'title' holds a number"),
        ({"title": ["Two", "parts"]}, "field 'title' holds a list; expected text"),
        ({"title": {"en": "T"}}, "field 'title' holds an object"),
        ({"title": True}, "field 'title' holds true"),
        ({"abstract": False}, "field 'abstract' holds false"),
        ({"date": "2024-02-30"}, "field 'date' holds '2024-02-30', which is not a calendar date"),
        ({"update_date": "2023-13-01"}, "field 'update_date' holds '2023-13-01'"),
    ],
)
def test_bad_fields_are_bad_records(tmp_path, fields, message):
    record = {"title": "Good title", "abstract": "We use BERT.", **fields}
    # "@..." stands for JSON that Python cannot write itself: a bare number or constant.
    text = json.dumps(record)
    for value in fields.values():
        if isinstance(value, str) and value.startswith("@"):
            text = text.replace(json.dumps(value), value[1:])
    path = tmp_path / "bad.jsonl"
    path.write_text(text + "\n" + json.dumps({"title": "Next", "abstract": "Fine."}) + "\n")
    with pytest.raises(InputError, match=rf"bad\.jsonl:1: {message}"):
        papers(path)
    skipped: list[InputError] = []
    assert [p.title for p in papers(path, on_bad=skipped.append)] == ["Next"]
    assert [e.line for e in skipped] == [1]
    # the same record in a JSON array: the record's index stands in for the line
    array = tmp_path / "bad.json"
    array.write_text(f"[{text}]")
    with pytest.raises(InputError, match=rf"bad\.json:1: {message}"):
        papers(array)


def test_numbers_kg_does_not_read_are_no_trouble(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(
        f'{{"title": "T", "abstract": "A.", "citations": {_HUGE}, "score": NaN, '
        '"id": 2401.10010}\n'
    )
    (p,) = papers(path)
    assert p.arxiv_id == "2401.10010"  # the float keeps its final zero


def test_valid_urls_are_kept_and_relative_ones_ignored(tmp_path):
    path = tmp_path / "urls.jsonl"
    path.write_text(
        json.dumps({"title": "A", "abstract": "A.", "url": " https://example.org/a%20b "})
        + "\n"
        + json.dumps({"title": "B", "abstract": "B.", "url": "example.org/b"})
        + "\n"
    )
    assert [p.url for p in papers(path)] == ["https://example.org/a%20b", None]


# --- dates and years ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "date"),
    [
        ({"year": 2020}, "2020"),
        ({"year": "2019"}, "2019"),
        ({"year": 2021.0}, "2021"),
        ({"date": "2024-05"}, "2024-05"),
        ({"date": "2024-02-29"}, "2024-02-29"),
        ({"published": "2024-05-01T10:00:00Z"}, "2024-05-01"),
        ({"date": "2024 was a good year", "year": 2024}, "2024"),
        ({"date": "Mon, 2 Apr 2007"}, None),
        ({"year": 20245}, None),
    ],
)
def test_dates_and_years(tmp_path, fields, date):
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"title": "T", "abstract": "A.", **fields}) + "\n")
    (p,) = papers(path)
    assert p.date == date


def test_semantic_scholar_and_dblp_style_records(tmp_path):
    path = tmp_path / "s2.jsonl"
    path.write_text(
        json.dumps(
            {
                "paperId": "649def34f8be52c8b66281af98ae884c09aef38b",
                "title": "LoRA: Low-Rank Adaptation of Large Language Models",
                "abstract": "We propose LoRA.",
                "year": 2021,
                "externalIds": {"ArXiv": "2106.09685", "DBLP": "conf/iclr/HuSWALWWC22"},
                "authors": [{"authorId": "1", "name": "Edward J. Hu"}],
            }
        )
        + "\n"
        + json.dumps(
            {
                "title": "A DBLP record",
                "abstract": "A.",
                "year": "2019",
                "doi": "10.48550/arXiv.1901.00001",
            }
        )
        + "\n"
    )
    lora, dblp = papers(path)
    assert (lora.arxiv_id, lora.date, lora.authors) == ("2106.09685", "2021", ("Edward J. Hu",))
    assert (dblp.arxiv_id, dblp.date) == ("1901.00001", "2019")


def test_impossible_listing_dates_are_bad_listings():
    text = "Feb 30\n\nTitle A\n\nAbstract A.\n\nFeb 29\n\nTitle B\n\nAbstract B.\n"
    with pytest.raises(InputError, match=r"x\.txt:1: 'Feb 30' is not a day of the calendar"):
        list(read_hf_daily(text, "x.txt"))
    skipped: list[InputError] = []
    ps = list(read_hf_daily(text, "x.txt", on_bad=skipped.append))
    assert [(p.title, p.listing_date) for p in ps] == [("Title A", None), ("Title B", "--02-29")]
    assert len(skipped) == 1
    assert parse_date_line("Feb 29, 2023") is None and parse_date_line("Feb 29, 2024")


# --- title-only records (issue 15, snag 15) -------------------------------------------------


def test_title_only_records_are_refused_unless_asked_for(tmp_path, fixtures):
    path = tmp_path / "titles.csv"
    path.write_text("title,year\nA title alone,2020\n")
    with pytest.raises(InputError, match="CSV header has no abstract column"):
        papers(path)
    (p,) = papers(path, title_only=True)
    assert (p.title, p.abstract, p.date) == ("A title alone", "", "2020")
    jsonl = tmp_path / "titles.jsonl"
    jsonl.write_text('{"title": "Only a title"}\n')
    with pytest.raises(InputError, match=r"record has no abstract.*--keep-title-only"):
        papers(jsonl)
    assert [p.title for p in papers(jsonl, title_only=True)] == ["Only a title"]
    (daily,) = papers(fixtures / "ingest" / "no_abstract.txt", title_only=True)
    assert daily.abstract == "" and daily.title


# --- merging listings (weak items: same id, other title; titles that lost their symbols) ------


def _listing(title: str, abstract: str, line: int, arxiv_id: str | None = None) -> Paper:
    return Paper(title, abstract, SourceRef("m.jsonl", line), arxiv_id=arxiv_id)


def test_titles_that_differ_only_in_symbols_are_not_merged():
    conflicts: list[str] = []
    records = merge_listings(
        [
            _listing("Parsing C++ with BERT", "About C++.", 1),
            _listing("Parsing C with BERT", "About C.", 2),
            _listing("Parsing C with BERT.", "C.", 3),
            _listing("C# for NLP", "Sharp.", 4),
            _listing("C for NLP", "Plain.", 5),
        ],
        conflicts,
    )
    assert sorted((r.paper.title, len(r.sources)) for r in records) == [
        ("C for NLP", 1),
        ("C# for NLP", 1),
        ("Parsing C with BERT", 2),
        ("Parsing C++ with BERT", 1),
    ]
    assert len({r.key for r in records}) == 4
    # the title without symbols keeps the key it always had
    plain = next(r for r in records if r.paper.title == "Parsing C with BERT")
    assert plain.key == paper_key("Parsing C with BERT", None)
    assert len(conflicts) == 2 and "differ only in symbols" in conflicts[0]


def test_one_arxiv_id_with_two_titles_keeps_both_texts_and_reports_it():
    conflicts: list[str] = []
    listings = [
        _listing("Attention Is All You Need", "The Transformer, a long abstract.", 1, "1706.03762"),
        _listing("Something Else Entirely", "Another abstract.", 2, "1706.03762"),
        _listing("attention is all you need", "Short.", 3),
    ]
    records = merge_listings(listings, conflicts)
    by_title = {r.paper.title: r for r in records}
    assert set(by_title) == {"Attention Is All You Need", "Something Else Entirely"}
    assert by_title["Attention Is All You Need"].key == "arxiv-1706.03762"
    assert by_title["Something Else Entirely"].key.startswith("arxiv-1706.03762-")
    assert len(by_title["Attention Is All You Need"].sources) == 2
    assert {r.paper.arxiv_id for r in records} == {"1706.03762"}
    assert {r.paper.abstract for r in records} == {
        "The Transformer, a long abstract.",
        "Another abstract.",
    }
    (message,) = conflicts
    assert "arXiv 1706.03762: listings disagree on the title" in message
    assert "m.jsonl:2" in message
    # in any order
    assert [r.key for r in merge_listings(listings[::-1])] == [r.key for r in records]


# --- bounded reads (item 6) --------------------------------------------------------------------


def test_stdin_gets_the_size_limit(monkeypatch):
    import graph.ingest.text as text

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1000)
    data = (json.dumps({"title": "T", "abstract": "A" * 100}) + "\n") * 20
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    with pytest.raises(InputError, match=r"<stdin>: input is over the 1000-byte limit"):
        list(read_inputs(["-"]))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_gets_the_size_limit(tmp_path, monkeypatch):
    import graph.ingest.text as text

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 100_000)
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "w") as f:
            for _ in range(5000):
                f.write(json.dumps({"title": "T", "abstract": "A" * 100}) + "\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(InputError, match=r"in\.jsonl: input is over the 100000-byte limit"):
        list(read_inputs([str(fifo)]))
    writer.join(30)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_without_a_writer_says_it_waits(tmp_path):
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    notices: list[str] = []
    result: list = []
    reader = threading.Thread(
        target=lambda: result.extend(read_inputs([str(fifo)], notice=notices.append)),
        daemon=True,
    )
    reader.start()
    deadline = time.monotonic() + 30
    while not notices and time.monotonic() < deadline:
        time.sleep(0.05)
    assert notices == [f"{fifo}: waiting for a writer on this FIFO (Ctrl-C to stop)"]
    with open(fifo, "w") as f:
        f.write(json.dumps({"title": "T", "abstract": "A."}) + "\n")
    reader.join(30)
    assert [p.title for p in result] == ["T"]


# --- streaming: a regular file is read line by line, with the same outcome (issue 16) ----------


def _outcome(read):
    """Papers and skipped errors of a read, or the error that stopped it."""
    bad: list[str] = []
    try:
        return [p for p in read(lambda e: bad.append(str(e)))], bad
    except KGError as exc:
        return type(exc).__name__, str(exc)


def _whole_text(path: Path, on_bad):
    """How a file was read before streaming: all its bytes, decoded, then parsed."""
    from graph.errors import display_path
    from graph.ingest import _READERS

    name = display_path(str(path))
    text = decode(path.read_bytes(), name)
    if not text.strip():
        raise EmptyInputError("file is empty", path=name)
    papers = list(_READERS[detect_format(text, name)](text, name, on_bad))
    if not papers and on_bad is None:
        raise EmptyInputError("holds no paper with a title and an abstract", path=name)
    return papers


_RECORDS = st.fixed_dictionaries(
    {"title": st.text(max_size=30), "abstract": st.text(max_size=60)},
    optional={"id": st.sampled_from(["2401.00001", "2401.00002v2", "x"])},
)
_LINES = st.one_of(
    _RECORDS.map(json.dumps),
    _RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.sampled_from(["", "   ", "{", "[1]", "\ufeff{}", "é"]),
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(_LINES, max_size=8),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=8, max_size=8),
    bom=st.booleans(),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
    suffix=st.sampled_from([".jsonl", ".txt", ".json"]),
    skip=st.booleans(),
)
def test_streamed_files_read_as_the_whole_text_did(
    tmp_path_factory, lines, ends, bom, encoding, suffix, skip
):
    text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    data = ("\ufeff" if bom else "").encode() + text.encode(encoding, errors="replace")
    path = tmp_path_factory.mktemp("stream") / f"papers{suffix}"
    path.write_bytes(data)
    streamed = _outcome(lambda bad: read_file(str(path), on_bad=bad if skip else None))
    whole = _outcome(lambda bad: _whole_text(path, bad if skip else None))
    assert streamed == whole


def test_a_long_run_of_blank_lines_before_the_first_record(tmp_path):
    path = tmp_path / "papers.txt"
    path.write_text("\n" * 3_000_000 + '{"title": "T", "abstract": "A."}\n', encoding="utf-8")
    (p,) = papers(path)
    assert (p.title, p.source.line) == ("T", 3_000_001)


def test_an_unclosed_csv_quote_is_named_not_read_as_a_missing_abstract(tmp_path):
    """The reader swallows every line after an unclosed quote into one field; the record then
    lacks its abstract, which hid the cause."""
    path = tmp_path / "quote.csv"
    path.write_text('title,abstract\n"unterminated,We fine-tune BERT\nB,We use GPT-4.\n')
    with pytest.raises(InputError, match=r"quote\.csv:2: malformed CSV: a quoted field opened"):
        list(read_file(str(path)))


def test_quoted_fields_over_several_lines_still_read(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text(
        'title,abstract,date\n"A title\non two lines","We fine-tune BERT\non GLUE."\n'
        "Plain,One line.,2024-01-02\n"
    )
    papers = list(read_file(str(path)))
    assert [p.abstract for p in papers] == ["We fine-tune BERT on GLUE.", "One line."]
