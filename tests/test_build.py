"""Build and export: the RDF contract, golden Turtle, parsers agreeing, determinism, SHACL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.build import literal, parse_record
from graph.iri import name_key
from graph.namespaces import KG
from graph.pipeline import build
from graph.validate import validate, validate_graph

GOLDEN = Path(__file__).parent / "golden"
LINKS = [KG.mentionsModel, KG.usesDataset, KG.usesMethod, KG.mentionsLanguage, KG.proposes]


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, fixtures, mini_vocab) -> Path:
    out = tmp_path_factory.mktemp("small")
    # Relative input paths, as a user would type them: kg:source records them as given, and
    # the golden file must not depend on where the checkout lives.
    cwd = os.getcwd()
    os.chdir(fixtures)
    try:
        build(
            ["ingest/daily.txt", "ingest/arxiv.jsonl"],
            out,
            formats=["ttl", "nt", "jsonld", "graphml"],
            jobs=1,
            vocabulary=mini_vocab,
        )
    finally:
        os.chdir(cwd)
    return out


def parse(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path)


def test_golden_turtle(small_build):
    """The exporter's Turtle, byte for byte.

    Regenerate after an intended change: KG_UPDATE_GOLDEN=1 pytest tests/test_build.py
    """
    golden = GOLDEN / "small.ttl"
    produced = (small_build / "graph.ttl").read_bytes()
    if os.environ.get("KG_UPDATE_GOLDEN"):
        golden.write_bytes(produced)
    expected = golden.read_bytes()
    if produced != expected:
        _, only_new, only_old = graph_diff(
            to_isomorphic(rdflib.Graph().parse(data=produced)),
            to_isomorphic(rdflib.Graph().parse(data=expected)),
        )
        pytest.fail(
            "graph.ttl differs from tests/golden/small.ttl\nonly produced:\n"
            + only_new.serialize(format="nt")
            + "\nonly golden:\n"
            + only_old.serialize(format="nt")
        )


def test_rdf_contract(small_build):
    g = parse(small_build / "graph.ttl")
    papers = set(g.subjects(RDF.type, KG.Paper))
    # The arXiv listing and the daily-papers listing of ProLLaMA are one paper.
    assert len(papers) == 3
    prollama = next(p for p in papers if str(p).endswith("arxiv-2402.16445"))
    assert len(list(g.objects(prollama, DCTERMS.title))) == 1
    assert {str(o) for o in g.objects(prollama, KG.listingDate)} == {"--03-14"}
    assert len(list(g.objects(prollama, KG.source))) == 2
    assert (
        prollama,
        rdflib.URIRef("https://schema.org/url"),
        rdflib.URIRef("https://arxiv.org/abs/2402.16445"),
    ) in g
    proposed = {str(g.value(o, RDFS.label)) for o in g.objects(prollama, KG.proposes)}
    assert "ProLLaMA" in proposed
    models = {str(g.value(o, RDFS.label)) for o in g.objects(prollama, KG.mentionsModel)}
    assert {"GPT-4", "Llama 2"} <= models
    # Exactly one direct link per (paper, entity) pair.
    links = [KG.mentionsModel, KG.usesDataset, KG.usesMethod, KG.mentionsLanguage, KG.proposes]
    for p in papers:
        targets = [o for link in links for o in g.objects(p, link)]
        assert len(targets) == len(set(targets))
    # Every entity: one of the four types, one label; no blank nodes anywhere.
    for cls in (KG.Model, KG.Dataset, KG.Method, KG.Language):
        for e in g.subjects(RDF.type, cls):
            assert len(list(g.objects(e, RDFS.label))) == 1
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)
    maltese = next(g.subjects(RDFS.label, rdflib.Literal("Maltese")))
    assert (maltese, KG.iso639_3, rdflib.Literal("mlt")) in g
    assert (maltese, OWL.sameAs, rdflib.URIRef("http://lexvo.org/id/iso639-3/mlt")) in g
    llama2 = next(g.subjects(RDFS.label, rdflib.Literal("Llama 2")))
    assert (llama2, SKOS.altLabel, rdflib.Literal("LLaMA2")) in g
    assert (llama2, KG.variantOf, next(g.subjects(RDFS.label, rdflib.Literal("LLaMA")))) in g


def test_evidence_is_queryable(small_build):
    g = parse(small_build / "graph.ttl")
    lora = next(g.subjects(RDFS.label, rdflib.Literal("LoRA")))
    records = [
        (paper, parse_record(str(ev)))
        for paper, ev in g.subject_objects(KG.evidence)
        if (paper, RDF.type, KG.Paper) in g
    ]
    rows = [(paper, r) for paper, r in records if r.entity == str(lora)]
    assert rows
    for paper, r in rows:
        assert r.surface and r.end - r.start == len(r.surface)
        field = DCTERMS.title if r.field == "title" else DCTERMS.abstract
        text = str(g.value(paper, field))
        assert text[r.start : r.end] == r.surface
        assert r.surface in r.sentence(str(g.value(paper, DCTERMS.title)), text)
        assert 0 < r.confidence <= 1 and r.rule and r.occurrences >= 1
        assert any((paper, p, lora) in g for p in LINKS)
    # Every evidence literal is typed as an evidence record; no evidence nodes are left.
    assert all(ev.datatype == KG.evidenceRecord for ev in g.objects(None, KG.evidence))
    assert not list(g.subjects(RDF.type, KG.Mention))


RELATIONS = ("basedOn", "trainedOn", "evaluatedOn", "outperforms", "uses", "forLanguage")


def test_statements_follow_the_contract(small_build):
    """One kg:Statement per (paper, subject, predicate, object), beside its plain triple."""
    from graph.iri import statement_iri

    g = parse(small_build / "graph.ttl")
    statements = set(g.subjects(RDF.type, KG.Statement))
    assert statements, "the fixtures state relations"
    seen = set()
    for st in statements:
        values = {
            p: list(g.objects(st, p))
            for p in (
                RDF.subject,
                RDF.predicate,
                RDF.object,
                KG.inPaper,
                KG.evidence,
            )
        }
        assert all(len(v) == 1 for v in values.values()), st
        (s,), (p,), (o,), (paper,) = (
            values[k] for k in (RDF.subject, RDF.predicate, RDF.object, KG.inPaper)
        )
        assert str(p).rsplit("/", 1)[-1] in RELATIONS
        assert (s, p, o) in g, "the plain triple is there too"
        assert (paper, RDF.type, KG.Paper) in g
        key = str(paper).rsplit("/", 1)[-1]
        assert str(st) == statement_iri(key, str(p).rsplit("/", 1)[-1], str(s), str(o))
        assert (key, s, p, o) not in seen
        seen.add((key, s, p, o))
        assert len(set(g.predicate_objects(st))) == 6, "type, s, p, o, paper and evidence"
        (evidence,) = values[KG.evidence]
        assert evidence.datatype == KG.evidenceRecord
        r = parse_record(str(evidence))
        assert r.entity is None, "a statement's record has the five common fields"
        sentence = r.sentence(
            str(g.value(paper, DCTERMS.title)), str(g.value(paper, DCTERMS.abstract))
        )
        assert sentence and r.sentence_end - r.sentence_start == len(sentence)
        assert 0 < r.confidence <= 1 and r.rule
    # every plain relation triple has at least one statement
    for p in RELATIONS:
        for s, o in g.subject_objects(KG[p]):
            assert any(
                (st, RDF.subject, s) in g and (st, RDF.object, o) in g
                for st in g.subjects(RDF.predicate, KG[p])
            ), (s, p, o)


def test_shapes_catch_bad_statements():
    g = rdflib.Graph()
    ex = rdflib.Namespace("https://w3id.org/paper-kg/id/")
    paper, model, lang = ex["paper/p"], ex["model/m"], ex["language/l"]
    g.add((paper, RDF.type, KG.Paper))
    g.add((paper, DCTERMS.title, rdflib.Literal("P")))
    g.add((paper, KG.source, rdflib.Literal("f:1")))
    g.add((model, RDF.type, KG.Model))
    g.add((model, RDFS.label, rdflib.Literal("M")))
    g.add((lang, RDF.type, KG.Language))
    g.add((lang, RDFS.label, rdflib.Literal("L")))
    g.add((lang, KG.iso639_3, rdflib.Literal("lll")))
    st = ex["statement/s"]
    for p, o in (
        (RDF.type, KG.Statement),
        (RDF.subject, model),
        (RDF.predicate, KG.trainedOn),
        (RDF.object, lang),
        (KG.inPaper, paper),
        (KG.evidence, rdflib.Literal("abstract 0 18 test 0.5", datatype=KG.evidenceRecord)),
    ):
        g.add((st, p, o))
    messages = {v.message for v in validate_graph(g)}
    assert "the statement's plain triple (subject predicate object) is in the graph" in messages
    g.add((model, KG.trainedOn, lang))
    messages = {v.message for v in validate_graph(g)}
    assert "kg:trainedOn points at a dataset" in messages
    g.remove((model, KG.trainedOn, lang))
    g.remove((st, RDF.predicate, KG.trainedOn))
    g.add((st, RDF.predicate, KG.forLanguage))
    g.add((model, KG.forLanguage, lang))
    assert validate_graph(g) == []
    # An evidence record that breaks the grammar, or is a plain string, is caught.
    g.remove((st, KG.evidence, None))
    g.add(
        (st, KG.evidence, rdflib.Literal("abstract 0 18 two words 0.5", datatype=KG.evidenceRecord))
    )
    assert any("FIELD SENTENCE-START" in v.message for v in validate_graph(g))
    g.remove((st, KG.evidence, None))
    g.add((st, KG.evidence, rdflib.Literal("abstract 0 18 test 0.5")))
    assert validate_graph(g) != []
    g.remove((st, KG.evidence, None))
    g.add((st, KG.evidence, rdflib.Literal("abstract 0 18 test 0.5", datatype=KG.evidenceRecord)))
    g.add(
        (paper, KG.evidence, rdflib.Literal("abstract 0 18 test 0.5", datatype=KG.evidenceRecord))
    )
    assert any("a paper's evidence record" in v.message for v in validate_graph(g))


def test_second_parser_agrees(small_build):
    """rdflib and pyoxigraph read the same graph from the Turtle, N-Triples and JSON-LD."""
    reference = parse(small_build / "graph.ttl")
    for name, fmt in (
        ("graph.ttl", ox.RdfFormat.TURTLE),
        ("graph.nt", ox.RdfFormat.N_TRIPLES),
        ("graph.jsonld", ox.RdfFormat.JSON_LD),
    ):
        triples = list(ox.parse(path=str(small_build / name), format=fmt))
        data = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
        other = rdflib.Graph().parse(data=data, format="nt")
        assert isomorphic(reference, other), name


def test_graphml_projection(small_build):
    g = nx.read_graphml(small_build / "graph.graphml")
    kinds = nx.get_node_attributes(g, "kind")
    assert {"Paper", "Model", "Dataset", "Method", "Language"} <= set(kinds.values())
    assert all(d["predicate"] for _, _, d in g.edges(data=True))


def test_build_is_valid_and_broken_fixture_is_not(small_build, fixtures):
    assert validate(small_build) == []
    violations = validate(fixtures / "broken.ttl")
    text = "\n".join(str(v) for v in violations)
    assert "https://w3id.org/paper-kg/id/paper/no-title" in text
    assert "https://w3id.org/paper-kg/id/model/two-labels" in text
    assert "https://w3id.org/paper-kg/id/language/no-code" in text


def test_same_inputs_in_any_order_give_identical_turtle(tmp_path, fixtures, mini_vocab):
    inputs = [str(fixtures / "ingest" / n) for n in ("daily.txt", "arxiv.jsonl", "generic.jsonl")]
    build(inputs, tmp_path / "a", formats=["ttl"], jobs=1, vocabulary=mini_vocab)
    build(inputs[::-1], tmp_path / "b", formats=["ttl"], jobs=2, vocabulary=mini_vocab)
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (
        tmp_path / "b" / "graph.ttl"
    ).read_bytes()


def test_failed_build_leaves_previous_outputs(tmp_path, fixtures, mini_vocab):
    build(
        [str(fixtures / "ingest" / "daily.txt")],
        tmp_path,
        formats=["ttl"],
        jobs=1,
        vocabulary=mini_vocab,
    )
    before = (tmp_path / "graph.ttl").read_bytes()
    with pytest.raises(Exception, match="empty"):
        build(
            [str(fixtures / "ingest" / "empty.txt")],
            tmp_path,
            formats=["ttl"],
            jobs=1,
            vocabulary=mini_vocab,
        )
    assert (tmp_path / "graph.ttl").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".paper-kg",
        "graph.ttl",
        "state.jsonl.gz",
        "store",
    ]


def test_literal_escaping_round_trips():
    text = 'quote " backslash \\ newline \n tab \t rtl \u200f zwj \u200d emoji 🦙 nul-ish \x01'
    g = rdflib.Graph().parse(data=f"<http://x/s> <http://x/p> {literal(text)} .\n", format="nt")
    assert str(next(iter(g))[2]) == text


def test_namespaces_module_is_generated_from_kg_ttl():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen", Path(__file__).parent.parent / "scripts" / "gen_namespaces.py"
    )
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    root = Path(__file__).parent.parent
    assert (
        gen.render(root / "ontology" / "kg.ttl") == (root / "graph" / "namespaces.py").read_text()
    )


def test_unknown_terms_fail_loudly():
    with pytest.raises(AttributeError):
        _ = KG.mentionsModle


def test_validate_reports_a_graph_from_rdflib():
    g = rdflib.Graph()
    p = rdflib.URIRef("https://w3id.org/paper-kg/id/paper/x")
    g.add((p, RDF.type, KG.Paper))
    (v,) = [v for v in validate_graph(g) if "title" in v.message]
    assert v.focus == str(p)


@pytest.mark.slow
def test_sample_build_has_314_papers_and_every_type(sample_build):
    g = parse(sample_build / "graph.ttl")
    assert len(set(g.subjects(RDF.type, KG.Paper))) == 314
    for cls, link in (
        (KG.Model, KG.mentionsModel),
        (KG.Dataset, KG.usesDataset),
        (KG.Method, KG.usesMethod),
        (KG.Language, KG.mentionsLanguage),
    ):
        linked = {o for o in g.objects(None, link) if (o, RDF.type, cls) in g}
        assert linked, cls


@pytest.mark.slow
def test_sample_build_has_no_duplicate_entities(sample_build):
    g = parse(sample_build / "graph.ttl")
    owner = {}
    for cls in (KG.Model, KG.Dataset, KG.Method, KG.Language):
        for e in g.subjects(RDF.type, cls):
            for label in [*g.objects(e, RDFS.label), *g.objects(e, SKOS.altLabel)]:
                key = (cls, name_key(str(label)))
                assert owner.setdefault(key, e) == e, f"{label!r} names {owner[key]} and {e}"


@pytest.mark.slow
def test_sample_build_is_valid(sample_build):
    assert validate(sample_build) == []


@pytest.mark.slow
def test_sample_languages_carry_iso_codes(sample_build):
    g = parse(sample_build / "graph.ttl")
    languages = set(g.subjects(RDF.type, KG.Language))
    assert languages
    for lang in languages:
        if (lang, RDF.type, KG.LanguageGroup) in g:
            continue
        (code,) = g.objects(lang, KG.iso639_3)
        assert len(str(code)) == 3


@pytest.mark.slow
def test_sample_build_in_reverse_order_is_byte_identical(sample_build, tmp_path):
    from graph.ingest import expand_inputs
    from graph.resources import samples_dir

    files = expand_inputs([str(samples_dir())])
    build(files[::-1], tmp_path, formats=["ttl"], jobs=2)
    assert (tmp_path / "graph.ttl").read_bytes() == (sample_build / "graph.ttl").read_bytes()
    shutil.rmtree((tmp_path / "store").resolve())  # a symlink into the current generation
