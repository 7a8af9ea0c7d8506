"""Evidence records: the evidence queries answer as they did before evidence was packed.

tests/fixtures/evidence-golden.json.gz holds the answers of ontology/queries/evidence-for-link.rq
and statement-evidence.rq, for every entity and every statement, on the sample build of the code
before the redesign, when each surface form was a kg:Mention node of 11 triples and each field of
a statement's evidence a triple of its own (made by scripts/evidence_golden.py; its docstring says
how). The sample is built again here with today's code and asked the same.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from graph.build import EvidenceRecord, mention_record, parse_record, statement_record
from graph.records import Mention

ROOT = Path(__file__).resolve().parent.parent


def _golden_script():
    spec = importlib.util.spec_from_file_location(
        "evidence_golden", ROOT / "scripts" / "evidence_golden.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_answers(sample_build):
    script = _golden_script()
    return script.answers(script.load(sample_build / "graph.ttl"))


@pytest.mark.parametrize("name", ["evidence-for-link", "statement-evidence"])
def test_evidence_queries_answer_as_before_the_redesign(sample_answers, fixtures, name):
    golden = json.loads(gzip.decompress((fixtures / "evidence-golden.json.gz").read_bytes()))
    expected, got = golden[name], sample_answers[name]
    assert got["columns"] == expected["columns"]
    assert len(got["rows"]) == len(expected["rows"]) > 100
    missing = [r for r in expected["rows"] if r not in got["rows"]][:3]
    extra = [r for r in got["rows"] if r not in expected["rows"]][:3]
    assert got["rows"] == expected["rows"], f"missing {missing}, unexpected {extra}"


def test_every_record_points_at_its_entity_sentence_and_surface_form(sample_build):
    """What the SHACL shapes leave to this test (one query, not one per paper): each paper
    record names an entity the paper links to, and its offsets hold its sentence and surface
    form; each statement's record points at a non-empty part of its paper's text."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(sample_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    rows = store.query("""
        PREFIX kg: <https://w3id.org/paper-kg/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?node ?record ?title ?abstract ?statement
               (GROUP_CONCAT(STR(?entity); separator=" ") AS ?linked) WHERE {
          { ?node a kg:Paper ; kg:evidence ?ev . BIND(?node AS ?paper) BIND(false AS ?statement)
            OPTIONAL {
              VALUES ?link { kg:mentionsModel kg:usesDataset kg:usesMethod kg:mentionsLanguage
                             kg:proposes }
              ?node ?link ?entity } }
          UNION
          { ?node a kg:Statement ; kg:evidence ?ev ; kg:inPaper ?paper . BIND(true AS ?statement) }
          BIND(STR(?ev) AS ?record)
          ?paper dcterms:title ?title .
          OPTIONAL { ?paper dcterms:abstract ?abstract }
        } GROUP BY ?node ?record ?title ?abstract ?statement""")
    seen = {"paper": 0, "statement": 0}
    for row in rows:
        r = parse_record(row["record"].value)
        title = row["title"].value
        abstract = row["abstract"].value if row["abstract"] else ""
        text = title if r.field == "title" else abstract
        assert 0 <= r.sentence_start < r.sentence_end <= len(text), row["record"]
        if row["statement"].value == "true":
            assert r.entity is None
            seen["statement"] += 1
            continue
        seen["paper"] += 1
        assert r.entity in row["linked"].value.split(), row["record"]
        assert r.sentence_start <= r.start < r.end <= r.sentence_end, row["record"]
        assert text[r.start : r.end] == r.surface
    assert seen["paper"] > 1000 and seen["statement"] > 100


def _mention(**kw) -> Mention:
    base = dict(
        type="Model",
        text="Foo Net",
        field="abstract",
        start=13,
        end=20,
        sentence="We train the Foo Net.",
        rule="vocab",
        confidence=0.9,
        occurrences=2,
    )
    return Mention(**{**base, **kw})


def test_records_round_trip():
    text = "Intro here. We train the Foo Net. Done."
    m = _mention(start=text.index("Foo"), end=text.index("Foo") + 7)
    record = mention_record(m, "https://w3id.org/paper-kg/id/model/foo-net", text)
    assert (
        record
        == "abstract 12 33 vocab 0.9 25 32 2 https://w3id.org/paper-kg/id/model/foo-net Foo Net"
    )
    r = parse_record(record)
    assert r.surface == "Foo Net" and r.entity.endswith("/foo-net") and r.occurrences == 2
    assert r.sentence("T", text) == m.sentence
    assert parse_record(statement_record("title", 0, 5, "cue-uses", 0.75)) == EvidenceRecord(
        "title", 0, 5, "cue-uses", 0.75
    )


def test_a_repeated_sentence_is_the_occurrence_holding_the_mention():
    text = "We train the Foo Net. We train the Foo Net."
    second = text.rindex("Foo")
    m = _mention(start=second, end=second + 7)
    r = parse_record(mention_record(m, "https://w3id.org/paper-kg/id/model/foo-net", text))
    assert r.sentence_start <= r.start < r.end <= r.sentence_end
    assert r.sentence_start == text.rindex("We")


@pytest.mark.parametrize(
    "bad", [dict(rule="two words"), dict(rule=""), dict(sentence="Not in the text.")]
)
def test_records_refuse_what_their_grammar_cannot_hold(bad):
    text = "We train the Foo Net."
    with pytest.raises(ValueError):
        mention_record(_mention(**bad), "https://w3id.org/paper-kg/id/model/foo-net", text)
    with pytest.raises(ValueError):
        parse_record("somewhere 0 5 rule 0.5")
