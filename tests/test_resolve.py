"""Resolve: one entity per real thing, families, acronyms, order independence."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.iri import entity_iri, name_key
from graph.records import AliasPair, Extraction, Mention, Paper, PaperRecord, Relation, SourceRef
from graph.resolve import resolve

VOCAB = "https://w3id.org/paper-kg/vocab/"


def mention(text, type_="Model", *, concept=None, family=None, proposed=False):
    return Mention(
        type=type_,
        text=text,
        field="abstract",
        start=0,
        end=len(text),
        sentence=text,
        rule="vocab" if concept else "proposal",
        confidence=0.9,
        proposed=proposed,
        concept=concept,
        family=family,
    )


def record(key, *mentions, aliases=()):
    paper = Paper(title=key, abstract="", source=SourceRef("f", 1))
    return PaperRecord(
        key=key,
        paper=paper,
        sources=[paper.source],
        extraction=Extraction(tuple(mentions), tuple(aliases)),
    )


def test_spellings_of_one_concept_are_one_entity(mini_vocab):
    c = VOCAB + "model/llama-2"
    res = resolve(
        [
            record("a", mention("LLaMA2", concept=c)),
            record("b", mention("Llama-2", concept=c)),
            record("c", mention("LLaMA 2", concept=c)),
        ],
        mini_vocab,
    )
    (llama2,) = [e for e in res.entities.values() if e.papers]
    assert llama2.label == "Llama 2"
    assert llama2.alt_labels == ["LLaMA 2", "LLaMA2", "Llama-2"]
    assert llama2.papers == 3 and llama2.iri == entity_iri("Model", "Llama 2")


def test_novel_names_merge_by_normalised_key(mini_vocab):
    res = resolve([record("a", mention("ProLLaMA")), record("b", mention("Pro-LLaMA"))], mini_vocab)
    assert [(e.label, e.alt_labels, e.papers) for e in res.entities.values()] == [
        ("Pro-LLaMA", ["ProLLaMA"], 2)
    ]


def test_two_records_of_one_key_link_as_one_paper(mini_vocab):
    """Resolution numbers each paper's groups together; a key given twice still pools them."""
    c = VOCAB + "model/llama-2"
    twice = resolve(
        [
            record("a", mention("LLaMA2", concept=c), mention("ProLLaMA")),
            record("b", mention("ProLLaMA")),
            record("a", mention("Llama-2", concept=c), mention("XModel", proposed=True)),
        ],
        mini_vocab,
    )
    once = resolve(
        [
            record(
                "a",
                mention("LLaMA2", concept=c),
                mention("ProLLaMA"),
                mention("Llama-2", concept=c),
                mention("XModel", proposed=True),
            ),
            record("b", mention("ProLLaMA")),
        ],
        mini_vocab,
    )
    assert twice.links == once.links and len(twice.links) == 4
    assert twice.entities == once.entities


def test_variant_links_to_family_chain(mini_vocab):
    res = resolve([record("a", mention("Llama-2-70B", family=VOCAB + "model/llama-2"))], mini_vocab)
    by_label = {e.label: e for e in res.entities.values()}
    assert by_label["Llama-2-70B"].broader == [by_label["Llama 2"].iri]
    assert by_label["Llama 2"].broader == [by_label["LLaMA"].iri]
    assert by_label["LLaMA"].same_as == ["http://www.wikidata.org/entity/Q116703460"]
    assert by_label["Llama 2"].papers == 0  # reached through the family link only


def test_acronym_and_long_form_are_one_entity_across_papers(mini_vocab):
    res = resolve(
        [
            record(
                "a",
                mention("Gradient Low-Rank Projection", "Method"),
                mention("GaLoreX", "Method"),
                aliases=[AliasPair("GaLoreX", "Gradient Low-Rank Projection")],
            ),
            record("b", mention("GaLoreX", "Method")),
        ],
        mini_vocab,
    )
    (e,) = res.entities.values()
    assert e.label == "GaLoreX" and e.alt_labels == ["Gradient Low-Rank Projection"]
    assert e.papers == 2


def test_ambiguous_short_form_joins_nothing(mini_vocab):
    res = resolve(
        [
            record(
                "a",
                mention("vocabulary trimming", "Method"),
                mention("VT", "Method"),
                aliases=[AliasPair("VT", "vocabulary trimming")],
            ),
            record(
                "b",
                mention("visual tokens", "Method"),
                mention("VT", "Method"),
                aliases=[AliasPair("VT", "visual tokens")],
            ),
        ],
        mini_vocab,
    )
    labels = sorted(e.label for e in res.entities.values())
    assert labels == ["visual tokens", "vocabulary trimming"]
    for e in res.entities.values():
        assert "VT" not in e.alt_labels  # shared by two entities: kept on neither
    assert {(link.paper_key, len(link.mentions)) for link in res.links} == {("a", 2), ("b", 2)}


def test_proposes_replaces_the_type_link(mini_vocab):
    res = resolve(
        [
            record(
                "a",
                mention("ProLLaMA", proposed=True),
                mention("LLaMA", concept=VOCAB + "model/llama"),
            )
        ],
        mini_vocab,
    )
    assert sorted(link.predicate for link in res.links) == ["mentionsModel", "proposes"]


def test_language_codes_and_lexvo(mini_vocab):
    res = resolve(
        [record("a", mention("Maltese", "Language", concept=VOCAB + "language/mlt"))], mini_vocab
    )
    (e,) = res.entities.values()
    assert e.codes == {"iso639_3": "mlt"}
    assert e.same_as == ["http://lexvo.org/id/iso639-3/mlt"]


def test_no_two_entities_of_a_type_share_a_normalised_label(mini_vocab):
    recs = [
        record(
            str(i),
            mention(name, "Method"),
            mention(short, "Method"),
            aliases=[AliasPair(short, name)],
        )
        for i, (name, short) in enumerate(
            [
                ("alpha beta", "AB"),
                ("alpha-beta", "AB"),
                ("another bridge", "AB"),
                ("Alpha Beta", "ALB"),
            ]
        )
    ]
    res = resolve(recs, mini_vocab)
    seen = {}
    for e in res.entities.values():
        for label in (e.label, *e.alt_labels):
            assert seen.setdefault((e.type, name_key(label)), e.iri) == e.iri


def test_result_does_not_depend_on_input_order(mini_vocab):
    recs = [
        record(str(i), mention(n, t), mention(s, t), aliases=[AliasPair(s, n)])
        for i, (n, s, t) in enumerate(
            [
                ("Low Rank Thing", "LRT", "Method"),
                ("low-rank thing", "LRT", "Method"),
                ("Big Model", "BigM", "Model"),
            ]
        )
    ]
    first = resolve(recs, mini_vocab)
    shuffled = recs[:]
    random.Random(7).shuffle(shuffled)
    second = resolve(shuffled, mini_vocab)
    assert first.entities == second.entities
    assert [(x.paper_key, x.entity_iri, x.predicate) for x in first.links] == [
        (x.paper_key, x.entity_iri, x.predicate) for x in second.links
    ]


def test_an_acronym_join_never_merges_two_releases(mini_vocab):
    """A "CIFAR-10 (CIFAR-100)" is no definition, even when the extractor lets it through."""
    res = resolve(
        [
            record(
                "a",
                mention("CIFAR-10", "Dataset"),
                mention("CIFAR-100", "Dataset"),
                aliases=[AliasPair("CIFAR-100", "CIFAR-10")],
            ),
            record("b", mention("CIFAR-100", "Dataset")),
        ],
        mini_vocab,
    )
    assert sorted((e.label, e.alt_labels, e.papers) for e in res.entities.values()) == [
        ("CIFAR-10", [], 1),
        ("CIFAR-100", [], 2),
    ]


def test_one_long_form_defined_for_two_releases_joins_one_of_them(mini_vocab):
    """A long form defined as SRN-50 in one paper and as SRN-101 in another must not make
    SRN-50 and SRN-101 one entity through it, in any input order."""
    recs = [
        record(
            key,
            mention("Stacked Residual Network", "Model"),
            mention(short, "Model"),
            aliases=[AliasPair(short, "Stacked Residual Network")],
        )
        for key, short in (("a", "SRN-50"), ("b", "SRN-101"), ("c", "SRN"))
    ]
    for order in (recs, recs[::-1], [recs[1], recs[2], recs[0]]):
        res = resolve(order, mini_vocab)
        for e in res.entities.values():
            names = {e.label, *e.alt_labels}
            assert not {"SRN-50", "SRN-101"} <= names, names
        assert {"SRN-50", "SRN-101"} <= {e.label for e in res.entities.values()} | {
            a for e in res.entities.values() for a in e.alt_labels
        }


@pytest.mark.slow
def test_no_entity_of_a_real_build_names_two_releases():
    """The venues corpus (other years) and the sample corpus, extracted and resolved: no entity
    has labels with different version numbers or sizes (CIFAR-10 with CIFAR-100), except a
    vocabulary concept whose labels are spellings of one release (kg:sameRelease)."""
    from graph.ingest import read_inputs
    from graph.ontology import load_vocabulary
    from graph.pipeline import default_inputs, extract_records
    from graph.versions import different_releases

    vocab = load_vocabulary()
    venues = Path(__file__).resolve().parents[1] / "eval" / "corpora" / "ml-nlp-venues.jsonl"
    records = extract_records(read_inputs([str(venues), *default_inputs()]), jobs=2)
    assert len(records) > 1400
    res = resolve(records, vocab)
    one_release = {
        entity_iri(c.type, c.pref_label) for c in vocab.concepts.values() if c.same_release
    }
    bad = {
        e.iri: different_releases([e.label, *e.alt_labels])
        for e in res.entities.values()
        if e.iri not in one_release
    }
    assert {iri: found for iri, found in bad.items() if found} == {}
    # The build does hold releases of one family apart, as entities of their own.
    labels = {e.label for e in res.entities.values()}
    assert {"CIFAR-10", "CIFAR-100"} <= labels


# ------------------------------------------------------------------ statements


def relation(kind, head, head_type, tail, tail_type, *, start=0, confidence=0.8, rule="cue-x"):
    return Relation(
        type=kind,
        head=head,
        head_type=head_type,
        tail=tail,
        tail_type=tail_type,
        field="abstract",
        start=start,
        end=start + 10,
        rule=rule,
        confidence=confidence,
    )


def related(key, mentions, relations, aliases=()):
    r = record(key, *mentions, aliases=aliases)
    r.extraction = Extraction(tuple(mentions), tuple(aliases), tuple(relations))
    return r


def test_relations_become_statements_between_entity_iris(mini_vocab):
    c = VOCAB + "model/llama-2"
    res = resolve(
        [
            related(
                "a",
                [mention("ProLLaMA", proposed=True), mention("LLaMA2", concept=c)],
                [relation("basedOn", "ProLLaMA", "Model", "LLaMA2", "Model")],
            ),
            related(
                "b",
                [mention("Pro-LLaMA"), mention("Llama-2", concept=c)],
                [relation("basedOn", "Pro-LLaMA", "Model", "Llama-2", "Model")],
            ),
        ],
        mini_vocab,
    )
    pro, llama2 = entity_iri("Model", "Pro-LLaMA"), entity_iri("Model", "Llama 2")
    assert [(s.paper_key, s.subject, s.predicate, s.object) for s in res.statements] == [
        ("a", pro, "basedOn", llama2),
        ("b", pro, "basedOn", llama2),
    ]


def test_one_statement_per_paper_and_triple_with_the_best_evidence(mini_vocab):
    ms = [mention("FooNet"), mention("BarNet")]
    res = resolve(
        [
            related(
                "a",
                ms,
                [
                    relation("outperforms", "FooNet", "Model", "BarNet", "Model", start=50),
                    relation(
                        "outperforms",
                        "FooNet",
                        "Model",
                        "BarNet",
                        "Model",
                        start=90,
                        confidence=0.9,
                    ),
                    relation("outperforms", "FooNet", "Model", "BarNet", "Model", start=10),
                ],
            )
        ],
        mini_vocab,
    )
    (st,) = res.statements
    assert st.evidence.start == 90 and st.evidence.confidence == 0.9


def test_relations_between_one_entity_or_of_wrong_types_are_dropped(mini_vocab):
    res = resolve(
        [
            related(
                "a",
                [
                    mention("Foo Tuning", "Method"),
                    mention("FT", "Method"),
                    mention("FooNet"),
                    mention("Swahili", "Language"),
                ],
                [
                    # an acronym and its long form are one entity
                    relation("uses", "Foo Tuning", "Method", "FT", "Method"),
                    # a relation naming no mention of the paper
                    relation("uses", "FooNet", "Model", "Ghost", "Method"),
                    # trainedOn never ends at a language
                    relation("trainedOn", "FooNet", "Model", "Swahili", "Language"),
                    relation("forLanguage", "FooNet", "Model", "Swahili", "Language"),
                ],
                aliases=(AliasPair("FT", "Foo Tuning"),),
            )
        ],
        mini_vocab,
    )
    assert [(s.subject, s.predicate) for s in res.statements] == [
        (entity_iri("Model", "FooNet"), "forLanguage")
    ]


def test_statements_do_not_depend_on_input_order(mini_vocab):
    records = [
        related(
            k,
            [mention("FooNet"), mention("BarNet")],
            [relation("outperforms", "FooNet", "Model", "BarNet", "Model")],
        )
        for k in ("c", "a", "b")
    ]
    first = resolve(records, mini_vocab).statements
    random.Random(3).shuffle(records)
    assert resolve(records, mini_vocab).statements == first
    assert [s.paper_key for s in first] == ["a", "b", "c"]
