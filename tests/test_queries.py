"""The example queries of ontology/queries: each documents itself, runs on the sample build and
answers what its comment says it answers."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.build import parse_record
from graph.ontology import example_queries
from graph.query import example_query, run_query
from graph.sparql_protocol import leading_comment

KG = "https://w3id.org/paper-kg/"
#: The examples the issue asks for, and the extra ones; each must stay.
REQUIRED = {
    "most-used-models",
    "datasets-with-model",
    "languages-and-papers",
    "llama-family-proposals",
    "co-occurring-methods",
    "entities-per-listing-date",
    "papers-about-llama-family",
    "most-used-datasets",
    "proposed-models",
    "evidence-for-link",
    "model-families",
    "lineage",
    "evaluated-on",
    "outperforms",
    "datasets-per-language",
    "statement-evidence",
}
EXAMPLES = sorted(example_queries())


@pytest.fixture(scope="session")
def query_build(tmp_path_factory) -> Path:
    """The bundled sample corpus built once with the shipped vocabularies."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("queries-build")
    build(None, out, formats=["ttl"])
    return out


@pytest.fixture(scope="session")
def store(query_build) -> ox.Store:
    from graph.store import open_graph

    return open_graph(query_build)


def rows(store: ox.Store, name: str) -> list[dict[str, str | None]]:
    result = run_query(store, example_query(name))
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def ask(store: ox.Store, text: str) -> bool:
    result = run_query(store, text)
    assert result.boolean is not None
    return result.boolean


def select(store: ox.Store, text: str) -> list[dict[str, str | None]]:
    result = run_query(store, text)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


# ------------------------------------------------------------------ the library itself


def test_required_examples_exist():
    assert set(EXAMPLES) >= REQUIRED, f"missing: {sorted(REQUIRED - set(EXAMPLES))}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_documents_itself(name):
    text = example_queries()[name].read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert re.match(r"# \S.{10,}", first), f"{name}: first line must be '# <what it answers>'"
    title, comment = leading_comment(text)
    assert title == first[2:].strip()
    assert "Adapt:" in comment, f"{name}: say how to adapt the query"
    assert len(comment.splitlines()) >= 3


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs_on_the_sample_and_returns_rows(store, name):
    result = run_query(store, example_query(name))
    assert result.rows, f"{name} returned no rows on the sample build"
    assert all(any(v is not None for v in row) for row in result.rows)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_self_contained(name):
    """Every prefix a query uses is declared in it, so it runs on any SPARQL endpoint."""
    text = example_queries()[name].read_text(encoding="utf-8")
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    declared = set(re.findall(r"PREFIX\s+([\w-]*):", body))
    no_strings = re.sub(r'"[^"]*"', '""', re.sub(r"<[^>]*>", "<>", body))
    used = set(re.findall(r"(?<![\w?$])([a-z][\w-]*):[A-Za-z_]", no_strings))
    assert used <= declared, f"{name}: undeclared prefixes {sorted(used - declared)}"
    assert ox.Store().query(body) is not None  # parses without kg query's prologue


# ------------------------------------------------------------------ answers


def test_most_used_models_are_models_counted_right(store):
    got = rows(store, "most-used-models")
    counts = [int(r["papers"]) for r in got]
    assert counts == sorted(counts, reverse=True)
    for r in got[:5]:
        assert ask(store, f"ASK {{ <{r['model']}> a kg:Model }}")
        direct = select(
            store,
            f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p ?link <{r['model']}> . "
            "FILTER(?link IN (kg:mentionsModel, kg:proposes)) }",
        )
        assert int(direct[0]["n"]) == int(r["papers"])


def _family(store: ox.Store, root_label: str) -> set[str]:
    """Members of a family found by walking kg:variantOf in Python, not in SPARQL."""
    edges = select(store, "SELECT ?m ?parent WHERE { ?m kg:variantOf ?parent }")
    roots = {
        r["m"]
        for r in select(store, f'SELECT ?m WHERE {{ ?m a kg:Model ; rdfs:label "{root_label}" }}')
    }
    members = set(roots)
    changed = True
    while changed:
        changed = False
        for e in edges:
            if e["parent"] in members and e["m"] not in members:
                members.add(e["m"])
                changed = True
    return members


def _papers_naming(store: ox.Store, models: set[str]) -> set[str]:
    links = select(store, "SELECT ?p ?m WHERE { ?p kg:mentionsModel|kg:proposes ?m }")
    return {r["p"] for r in links if r["m"] in models}


def test_papers_about_llama_family_follow_family_links(store):
    family = _family(store, "LLaMA")
    assert len(family) > 1, "the sample should name LLaMA variants"
    expected = _papers_naming(store, family)
    got = rows(store, "papers-about-llama-family")
    assert {r["paper"] for r in got} == expected
    assert len(got) == len(expected)  # one row per paper
    # and it finds papers that never name the root itself
    root_only = _papers_naming(store, {f"{KG}id/model/llama"})
    assert expected - root_only


def test_llama_family_proposals(store):
    family_papers = _papers_naming(store, _family(store, "LLaMA"))
    got = rows(store, "llama-family-proposals")
    for r in got:
        assert r["paper"] in family_papers
        assert ask(
            store,
            f"ASK {{ <{r['paper']}> kg:proposes <{r['method']}> . <{r['method']}> a kg:Method }}",
        )
        assert r["llamaModels"]


def test_datasets_with_model(store):
    _check_datasets_with(store, rows(store, "datasets-with-model"), "BERT")


def _check_datasets_with(store: ox.Store, got: list[dict], model: str) -> None:
    bert_papers = _papers_naming(store, _family(store, model))
    for r in got:
        assert ask(store, f"ASK {{ <{r['dataset']}> a kg:Dataset }}")
        users = {
            x["p"]
            for x in select(
                store,
                f"SELECT ?p WHERE {{ ?p kg:usesDataset|kg:proposes <{r['dataset']}> }}",
            )
        }
        assert int(r["papers"]) == len(users & bert_papers)


def test_languages_and_papers(store):
    got = rows(store, "languages-and-papers")
    for r in got:
        assert ask(
            store,
            f"ASK {{ <{r['paper']}> kg:mentionsLanguage|kg:proposes "
            f"<{r['language']}> . <{r['language']}> a kg:Language }}",
        )
    per_language: dict[str, set[str]] = {}
    for r in got:
        per_language.setdefault(r["language"], set()).add(r["paper"])
    for r in got:
        assert int(r["papers"]) == len(per_language[r["language"]])
    assert any(r["iso639_3"] for r in got)


def test_co_occurring_methods(store):
    got = rows(store, "co-occurring-methods")
    counts = [int(r["papers"]) for r in got]
    assert counts == sorted(counts, reverse=True)
    for r in got[:5]:
        assert r["a"] < r["b"]
        both = select(
            store,
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { "
            f"?p kg:usesMethod|kg:proposes <{r['a']}> . ?p kg:usesMethod|kg:proposes <{r['b']}> }}",
        )
        assert int(both[0]["n"]) == int(r["papers"])


def test_entities_per_listing_date(store):
    got = rows(store, "entities-per-listing-date")
    pairs = select(store, "SELECT ?p ?d WHERE { ?p a kg:Paper ; kg:listingDate ?d }")
    by_date: dict[str, set[str]] = {}
    for r in pairs:
        by_date.setdefault(r["d"], set()).add(r["p"])
    assert {r["date"]: int(r["papers"]) for r in got} == {d: len(p) for d, p in by_date.items()}
    assert all(int(r["models"]) + int(r["methods"]) > 0 for r in got)


def test_evidence_for_link(store):
    got = rows(store, "evidence-for-link")
    for r in got:
        assert 0 < float(r["confidence"]) <= 1
        assert r["rule"] and r["surfaceForm"]
        if r["start"] is not None:
            assert int(r["start"]) < int(r["end"])


def test_proposed_models_are_proposed(store):
    for r in rows(store, "proposed-models")[:20]:
        assert ask(store, f"ASK {{ <{r['paper']}> kg:proposes <{r['model']}> }}")


# ------------------------------------------------------------------ relations between entities
#
# The expected answers come from the statements read as plain rows and walked in Python.

_STATEMENTS = """
SELECT ?st ?s ?p ?o ?paper ?record ?title ?abstract WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inPaper ?paper ;
      kg:evidence ?evidence .
  BIND(STR(?evidence) AS ?record)
  ?paper dcterms:title ?title .
  OPTIONAL { ?paper dcterms:abstract ?abstract }
}"""


def _statements(store: ox.Store, predicate: str | None = None) -> list[dict[str, str | None]]:
    got = select(store, _STATEMENTS)
    assert got, "the sample build states no relation at all"
    for r in got:  # the evidence record taken apart in Python, not by the queries under test
        record = parse_record(r["record"])
        r["sentence"] = record.sentence(r["title"], r["abstract"] or "")
        r["field"], r["start"], r["end"] = record.field, record.sentence_start, record.sentence_end
    return [r for r in got if predicate is None or r["p"] == KG + predicate]


def _labels(store: ox.Store) -> dict[str, str]:
    return {r["e"]: r["l"] for r in select(store, "SELECT ?e ?l WHERE { ?e rdfs:label ?l }")}


def _types(store: ox.Store) -> dict[str, set[str]]:
    types: dict[str, set[str]] = {}
    for r in select(store, "SELECT ?e ?t WHERE { ?e a ?t }"):
        types.setdefault(r["e"], set()).add(r["t"])
    return types


def _papers_per_pair(rows: list[dict[str, str | None]]) -> dict[tuple[str, str], int]:
    papers: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        papers.setdefault((r["s"], r["o"]), set()).add(r["paper"])
    return {pair: len(ps) for pair, ps in papers.items()}


def test_every_statement_has_its_plain_triple_and_back(store):
    stated = {(r["s"], r["p"], r["o"]) for r in _statements(store)}
    plain = {
        (r["s"], r["p"], r["o"])
        for r in select(
            store,
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { kg:basedOn kg:trainedOn "
            "kg:evaluatedOn kg:outperforms kg:uses kg:forLanguage } }",
        )
    }
    assert stated == plain


def test_lineage_follows_based_on_at_any_depth(store):
    labels = _labels(store)
    roots = {e for e, label in labels.items() if label == "Transformer"}
    variant_edges = select(store, "SELECT ?m ?parent WHERE { ?m kg:variantOf ?parent }")
    members = set(roots)
    while True:  # kg:variantOf*
        more = {e["m"] for e in variant_edges if e["parent"] in members} - members
        if not more:
            break
        members |= more
    based = _papers_per_pair(_statements(store, "basedOn"))
    lineage = set(members)
    while True:  # what is based on the lineage, any number of steps back
        more = {s for (s, o) in based if o in lineage} - lineage
        if not more:
            break
        lineage |= more
    expected = {(labels[s], labels[o], n) for (s, o), n in based.items() if o in lineage and s != o}
    got = {(r["label"], r["parentLabel"], int(r["papers"])) for r in rows(store, "lineage")}
    assert got == expected
    # the sample holds a lineage deeper than one step (X based on BERT based on Transformer)
    direct = {(label, parent) for label, parent, _ in got if parent == "Transformer"}
    assert any(parent != "Transformer" for _, parent, _ in got) and direct


def test_evaluated_on_counts_papers_per_model_and_dataset(store):
    labels, types = _labels(store), _types(store)
    expected = {
        (s, o, n)
        for (s, o), n in _papers_per_pair(_statements(store, "evaluatedOn")).items()
        if KG + "Model" in types.get(s, set())
    }
    got = rows(store, "evaluated-on")
    assert {(r["model"], r["dataset"], int(r["papers"])) for r in got} == expected
    assert all(r["label"] == labels[r["model"]] for r in got)
    counts = [int(r["papers"]) for r in got]
    assert counts == sorted(counts, reverse=True)


def test_outperforms_lists_every_claim_against_the_given_method(store):
    labels = _labels(store)
    expected = {
        (r["s"], r["paper"], r["sentence"])
        for r in _statements(store, "outperforms")
        if labels.get(r["o"]) == "LoRA"
    }
    got = {(r["winner"], r["paper"], r["sentence"]) for r in rows(store, "outperforms")}
    assert got == expected


def test_datasets_per_language(store):
    labels, types = _labels(store), _types(store)
    kinds = {KG + "Dataset", KG + "Model", KG + "Method"}
    expected = set()
    for (s, o), n in _papers_per_pair(_statements(store, "forLanguage")).items():
        for kind in types.get(s, set()) & kinds:
            expected.add((labels[o], s, kind, n))
    got = {
        (r["language"], r["entity"], r["type"], int(r["papers"]))
        for r in rows(store, "datasets-per-language")
    }
    assert got == expected


def test_statement_evidence_is_the_sentence_at_its_offsets(store):
    labels = _labels(store)
    expected = {
        r["st"]
        for r in _statements(store, "basedOn")
        if labels.get(r["s"]) == "FastSpeech" and labels.get(r["o"]) == "Transformer"
    }
    got = rows(store, "statement-evidence")
    assert {r["statement"] for r in got} == expected
    for r in got:
        text = select(
            store,
            f"SELECT ?t WHERE {{ <{r['paper']}> dcterms:{r['field']} ?t }}",
        )[0]["t"]
        assert text[int(r["start"]) : int(r["end"])] == r["sentence"]
        assert 0 < float(r["confidence"]) <= 1 and r["rule"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_kg_query_example_runs_each(query_build, name):
    from typer.testing import CliRunner

    from graph.cli import app

    result = CliRunner().invoke(
        app, ["query", "--example", name, "--graph", str(query_build), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) > 1


# ------------------------------------------------------------------ parameters (issue 15, snag 25)

PARAMETERISED = {
    "datasets-with-model": "model",
    "evidence-for-link": "name",
    "llama-family-proposals": "family",
    "papers-about-llama-family": "family",
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_parameter_is_documented_in_the_header(name):
    from graph.query import query_parameters

    text = example_queries()[name].read_text(encoding="utf-8")
    _, comment = leading_comment(text)
    for p in query_parameters(text):
        assert f"--param {p.name}=" in comment, f"{name}: document --param {p.name}"
        if p.kind == "literal":
            assert p.default in comment, f"{name}: say the default of {p.name}"
    if name in PARAMETERISED:
        assert [p.name for p in query_parameters(text)] == [PARAMETERISED[name]]


@pytest.mark.parametrize(("name", "param"), sorted(PARAMETERISED.items()))
def test_a_parameter_given_its_default_changes_nothing(store, name, param):
    from graph.query import query_parameters

    text = example_query(name)
    default = query_parameters(text)[0].default.strip('"')
    assert run_query(store, text, params={param: [default]}).rows == run_query(store, text).rows


def test_a_parameter_changes_the_answer(store):
    bert = rows(store, "datasets-with-model")
    result = run_query(store, example_query("datasets-with-model"), params={"model": ["LLaMA"]})
    llama = [dict(zip(result.variables, r, strict=True)) for r in result.rows]
    assert llama and llama != bert
    _check_datasets_with(store, llama, "LLaMA")
    both = run_query(
        store, example_query("datasets-with-model"), params={"model": ["LLaMA", "BERT"]}
    )
    assert len(both.rows) >= max(len(bert), len(llama))


def test_family_parameter(store):
    gpt = run_query(store, example_query("papers-about-llama-family"), params={"family": ["GPT"]})
    papers = {r[0] for r in gpt.rows}
    assert papers == _papers_naming(store, _family(store, "GPT"))


def test_hostile_parameter_values_stay_values():
    from graph.query import bind_parameters

    store = ox.Store()
    query = 'SELECT ?x WHERE { VALUES ?x { "default" } }'
    from graph.sparql_lexer import code_tokens

    hostile = '" } } . ?s ?p ?o } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    bound = bind_parameters(query, {"x": [hostile]})
    # the same query, token for token, but for the one string

    def shape(text):
        return [t.text if t.kind != "string" else "STRING" for t in code_tokens(text)]

    assert shape(bound) == shape(query)
    assert run_query(store, query, params={"x": [hostile]}).rows == [[hostile]]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_text_binds_as_exactly_that_literal(value):
    """Every string, with quotes, backslashes, controls, emoji or lone surrogates, is either
    bound as itself or refused in one clean error; never spliced into the query."""
    from graph.errors import QueryError

    query = 'SELECT ?x WHERE { VALUES ?x { "d" } }'
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(QueryError, match=r"--param x="):
            run_query(_EMPTY, query, params={"x": [value]})
        return
    assert run_query(_EMPTY, query, params={"x": [value]}).rows == [[value]]


_EMPTY = ox.Store()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("model:bert", "https://w3id.org/paper-kg/id/model/bert"),
        ("<https://example.org/a>", "https://example.org/a"),
        ("https://example.org/b", "https://example.org/b"),
    ],
)
def test_iri_parameters(value, expected):
    query = "SELECT ?m WHERE { VALUES ?m { model:llama } }"
    assert run_query(_EMPTY, query, params={"m": [value]}).rows == [[expected]]


@pytest.mark.parametrize("value", ["not an iri", "<https://x.org/a> } ?s ?p ?o {", "x:y z"])
def test_bad_iri_parameters_are_refused(value):
    from graph.errors import QueryError

    with pytest.raises(QueryError, match=r"takes an IRI"):
        run_query(_EMPTY, "SELECT ?m WHERE { VALUES ?m { model:llama } }", params={"m": [value]})


@pytest.mark.parametrize("value", ["model:bert", "<https://w3id.org/paper-kg/id/model/bert>"])
def test_an_iri_given_for_a_label_is_refused(value):
    """A label slot compares text: an IRI there would match nothing and say nothing."""
    from graph.errors import QueryError

    query = 'SELECT ?m WHERE { VALUES ?name { "BERT" } ?m rdfs:label ?name }'
    with pytest.raises(QueryError, match=r'an IRI where the query compares text.*"BERT"'):
        run_query(_EMPTY, query, params={"name": [value]})


@pytest.mark.parametrize("value", ["Model: A Survey", "<not an iri", "GPT-4", "x:y"])
def test_text_that_only_resembles_an_iri_stays_text(value):
    query = 'SELECT ?name WHERE { VALUES ?name { "BERT" } }'
    assert run_query(_EMPTY, query, params={"name": [value]}).rows == [[value]]


def test_typed_parameters():
    from graph.errors import QueryError

    query = "SELECT ?n WHERE { VALUES ?n { 5 } }"
    assert run_query(_EMPTY, query, params={"n": ["12"]}).rows == [["12"]]
    with pytest.raises(QueryError, match="takes an integer"):
        run_query(_EMPTY, query, params={"n": ["12) }"]})
    lang = 'SELECT ?l WHERE { VALUES ?l { "chat"@fr } }'
    result = run_query(_EMPTY, lang, params={"l": ["chien"]})
    assert str(result.terms[0][0]) == '"chien"@fr'


# ------------------------------------------------------------------ safety (issue 13)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_pass_the_safety_check(name):
    from graph.query import check_query_safety

    check_query_safety(example_queries()[name].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { service <https://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE SILENT <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE kg:endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p '''a ''' SERVICE <http://h/> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "\\"" SERVICE <http://h/> { ?s ?p ?o } }',
        "SELECT * WHERE { FILTER(?a<?b) SERVICE<http://h/>{?s ?p ?o} }",
        "SELECT * WHERE {\n# SERVICE in a comment\nSERVICE <http://h/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_wherever_it_hides(text):
    from graph.errors import QueryError
    from graph.query import check_query_safety

    with pytest.raises(QueryError, match="SERVICE"):
        check_query_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?x WHERE { VALUES ?x { "SERVICE <http://h/> {}" } }',
        "SELECT ?x WHERE { ?x ?p ?o } # SERVICE <http://h/> { }",
        "SELECT ?x WHERE { <http://a/SERVICE> ?p ?x }",
        "SELECT ?x WHERE { ?x kg:service ?o }",
        "SELECT ?x WHERE { ?x ?p '''SERVICE\n<http://h/>''' }",
    ],
)
def test_the_word_service_as_data_is_fine(text):
    from graph.query import check_query_safety

    check_query_safety(text)


def test_allowed_service_hosts():
    from graph.errors import QueryError
    from graph.query import check_query_safety

    text = "SELECT * WHERE { SERVICE <http://example.org:8890/sparql> { ?s ?p ?o } }"
    check_query_safety(text, allow_service=["example.org"])
    check_query_safety(text, allow_service=["EXAMPLE.org:8890"])
    with pytest.raises(QueryError, match=r"--allow-service example\.org:8890"):
        check_query_safety(text, allow_service=["example.org:1", "other.org"])
    with pytest.raises(QueryError):
        check_query_safety("SELECT * { SERVICE <file:///etc/passwd> {} }", allow_service=[""])


def test_nesting_limit_is_exact():
    from graph.errors import QueryError
    from graph.query import MAX_NESTING, check_query_safety

    inner = MAX_NESTING - 1  # the WHERE clause's own brace is one level
    ok = "SELECT * WHERE {" + "{" * inner + "?s ?p ?o" + "}" * inner + "}"
    check_query_safety(ok)
    assert run_query(_EMPTY, ok).rows == []
    for opener, closer in (("{", "}"), ("(", ")"), ("[", "]")):
        deep = "SELECT * WHERE {" + opener * MAX_NESTING + closer * MAX_NESTING + "}"
        with pytest.raises(QueryError, match=f"at most {MAX_NESTING} levels"):
            check_query_safety(deep)
    # brackets inside strings and IRIs are data
    check_query_safety('SELECT * WHERE { ?s ?p "' + "{" * 5000 + '" }')


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_the_lexer_covers_every_character(text):
    from graph.query import tokens

    parts = tokens(text)
    assert "".join(t.text for t in parts) == text
    assert [t.start for t in parts] == [
        sum(len(p.text) for p in parts[:i]) for i in range(len(parts))
    ]
