"""Evaluate: score a built graph's paper -> entity links against hand-annotated gold papers.

Gold files are JSON lines as eval/README.md and eval/gold/GUIDELINES.md describe, one paper
per line: ``{"title", "entities": [{"type", "name", "mentions", "proposed"}]}``. Matching is per
paper and per type on names normalised to lowercase ASCII letters and digits: a predicted entity
matches a gold entity when any of its labels equals the gold name or one of its mentions. Each
predicted entity matches at most one gold entity; unmatched predictions are false positives.

Gold rows may also carry ``"relations": [{"type", "head", "tail"}]`` (eval/gold/GUIDELINES.md,
"Relations"). They are scored against the graph's ``kg:Statement`` nodes of the same paper: a
statement matches a gold relation of its type (the local name of its ``rdf:predicate``) when a
name of its subject meets the gold head's names (its name and mentions) and a name of its
object the tail's, each statement matching at most one gold relation.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError
from graph.records import ENTITY_TYPES, RELATION_TYPES

_LINKS = """
SELECT ?paper ?title ?link ?entity ?type ?name WHERE {
  ?paper a kg:Paper ; dcterms:title ?title ;
         ?link ?entity .
  ?entity a ?type .
  VALUES ?type { kg:Model kg:Dataset kg:Method kg:Language }
  { ?entity rdfs:label ?name } UNION { ?entity skos:altLabel ?name }
}
"""

_STATEMENTS = """
SELECT ?statement ?title ?predicate ?role ?name WHERE {
  ?statement a kg:Statement ; rdf:predicate ?predicate ; kg:inPaper ?paper .
  ?paper dcterms:title ?title .
  { ?statement rdf:subject ?node . BIND("s" AS ?role) }
  UNION
  { ?statement rdf:object ?node . BIND("o" AS ?role) }
  { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name }
}
"""


def norm(name: str) -> str:
    """Lowercase ASCII letters and digits only (the gold's matching rule)."""
    return re.sub(r"[^0-9a-z]+", "", name.lower())


@dataclass
class Score:
    """Counts and the list of errors for one type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """tp / (tp + fp)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores per type, proposal recall and papers of the gold missing from the graph."""

    scores: dict[str, Score]
    proposed_hit: int
    proposed_total: int
    missing_papers: list[str]
    relations: dict[str, Score] = field(default_factory=dict)
    #: (title, name) of each gold proposed entity the graph does not link with kg:proposes.
    proposed_missed: list[tuple[str, str]] = field(default_factory=list)
    #: Entities the graph links with kg:proposes (in the gold's papers), and how many of them
    #: are a gold proposed entity.
    proposed_predicted: int = 0
    proposed_correct: int = 0

    @property
    def relations_micro(self) -> Score:
        """The relation scores of every type summed (errors left out)."""
        return Score(
            tp=sum(s.tp for s in self.relations.values()),
            fp=sum(s.fp for s in self.relations.values()),
            fn=sum(s.fn for s in self.relations.values()),
        )

    @property
    def proposed_recall(self) -> float:
        """Share of gold proposed entities the graph links with kg:proposes."""
        return self.proposed_hit / self.proposed_total if self.proposed_total else 0.0

    @property
    def proposed_precision(self) -> float:
        """Share of the entities the graph says a paper proposes that the gold says it does."""
        return self.proposed_correct / self.proposed_predicted if self.proposed_predicted else 0.0


def load_gold(path: Path) -> list[dict]:
    """Read a gold JSONL file.

    Raises:
        InputError: for a missing file or a line that is not a gold record.
    """
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold file ({exc.strerror})", path=path) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if "title" not in row or not isinstance(row.get("entities"), list):
                raise ValueError("needs title and entities")
        except (json.JSONDecodeError, ValueError) as exc:
            raise InputError(f"not a gold record ({exc})", path=path, line=number) from exc
        rows.append(row)
    return rows


def graph_links(
    store: ox.Store,
) -> dict[str, tuple[dict[str, list[set[str]]], list[set[str]]]]:
    """Per normalised title: each linked entity's names per type, and each proposed entity's
    names."""
    from graph.query import run_query

    entities: dict[str, dict[tuple[str, str], tuple[str, set[str]]]] = defaultdict(dict)
    for _paper, title, link, entity, etype, name in run_query(store, _LINKS).rows:
        key = norm(title)
        t = etype.rsplit("/", 1)[-1]
        entry = entities[key].setdefault((link, entity), (t, set()))
        entry[1].add(norm(name))
    out = {}
    for key, links in entities.items():
        per_type: dict[str, list[set[str]]] = defaultdict(list)
        proposed: list[set[str]] = []
        for (link, _), (t, names) in sorted(links.items()):
            per_type[t].append(names - {""})
            if link.endswith("/proposes"):
                proposed.append(names - {""})
        out[key] = (per_type, proposed)
    return out


def graph_statements(store: ox.Store) -> dict[str, list[tuple[str, set[str], set[str]]]]:
    """Per normalised paper title: each statement's type, subject names and object names."""
    from graph.query import run_query

    found: dict[str, tuple[str, str, set[str], set[str]]] = {}
    for statement, title, predicate, role, name in run_query(store, _STATEMENTS).rows:
        entry = found.setdefault(
            statement, (norm(title), predicate.rsplit("/", 1)[-1], set(), set())
        )
        (entry[2] if role == "s" else entry[3]).add(norm(name))
    out: dict[str, list[tuple[str, set[str], set[str]]]] = defaultdict(list)
    for _statement, (key, rtype, subjects, objects) in sorted(found.items()):
        out[key].append((rtype, subjects - {""}, objects - {""}))
    return out


def score_relations(
    gold: list[dict], statements: dict[str, list[tuple[str, set[str], set[str]]]]
) -> dict[str, Score]:
    """Relation scores per type for the gold rows that carry ``relations``."""
    scores = {t: Score() for t in RELATION_TYPES}
    for row in gold:
        if "relations" not in row:
            continue
        names = {
            e["name"]: {norm(e["name"]), *map(norm, e.get("mentions", []))} - {""}
            for e in row["entities"]
        }
        predicted = [r for r in statements.get(norm(row["title"]), []) if r[0] in scores]
        used: set[int] = set()
        for rel in row["relations"]:
            head = names.get(rel["head"], {norm(rel["head"])})
            tail = names.get(rel["tail"], {norm(rel["tail"])})
            match = next(
                (
                    i
                    for i, (rtype, subjects, objects) in enumerate(predicted)
                    if i not in used and rtype == rel["type"] and subjects & head and objects & tail
                ),
                None,
            )
            score = scores.setdefault(rel["type"], Score())
            if match is None:
                score.fn += 1
                score.errors.append(("FN", row["title"], f"{rel['head']} -> {rel['tail']}"))
            else:
                score.tp += 1
                used.add(match)
        for i, (rtype, subjects, objects) in enumerate(predicted):
            if i not in used:
                scores[rtype].fp += 1
                pair = f"{min(subjects, default='?')} -> {min(objects, default='?')}"
                scores[rtype].errors.append(("FP", row["title"], pair))
    return scores


def evaluate(store: ox.Store, gold: list[dict]) -> Evaluation:
    """Score the graph in ``store`` against gold papers."""
    from graph.query import run_query

    links = graph_links(store)
    titles = {
        norm(row[0])
        for row in run_query(store, "SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t }").rows
    }
    scores = {t: Score() for t in ENTITY_TYPES}
    hit = total = 0
    missing = []
    missed: list[tuple[str, str]] = []
    predicted_proposals = correct_proposals = 0
    for row in gold:
        key = norm(row["title"])
        if key not in titles:
            missing.append(row["title"])
        per_type, proposed_entities = links.get(key, ({}, []))
        proposed = set().union(*proposed_entities)
        gold_proposed = [
            (e["name"], {norm(e["name"]), *map(norm, e.get("mentions", []))})
            for e in row["entities"]
            if e.get("proposed")
        ]
        predicted_proposals += len(proposed_entities)
        correct_proposals += sum(
            1 for names in proposed_entities if any(names & g for _, g in gold_proposed)
        )
        for name, names in gold_proposed:
            total += 1
            if names & proposed:
                hit += 1
            else:
                missed.append((row["title"], name))
        for t in ENTITY_TYPES:
            gold_names = [
                {norm(e["name"]), *map(norm, e.get("mentions", []))} - {""}
                for e in row["entities"]
                if e["type"] == t
            ]
            predicted = list(per_type.get(t, []))
            used: set[int] = set()
            for names in gold_names:
                match = next(
                    (i for i, p in enumerate(predicted) if i not in used and p & names), None
                )
                if match is None:
                    scores[t].fn += 1
                    scores[t].errors.append(("FN", row["title"], sorted(names)[0]))
                else:
                    scores[t].tp += 1
                    used.add(match)
            for i, p in enumerate(predicted):
                if i not in used:
                    scores[t].fp += 1
                    scores[t].errors.append(("FP", row["title"], sorted(p)[0] if p else "?"))
    relations = (
        score_relations(gold, graph_statements(store))
        if any("relations" in row for row in gold)
        else {}
    )
    return Evaluation(
        scores, hit, total, missing, relations, missed, predicted_proposals, correct_proposals
    )
