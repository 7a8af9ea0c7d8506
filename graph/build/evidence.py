"""Evidence records: the lexical forms of ``kg:evidenceRecord`` literals, and taking one
apart again (:func:`parse_record`).
"""

from __future__ import annotations

from typing import NamedTuple

from graph.build.terms import _decimal
from graph.namespaces import BASE
from graph.records import Mention

#: The datatype of evidence literals (declared in ontology/kg.ttl, grammar in the README).
EVIDENCE_RECORD = BASE + "evidenceRecord"
EVIDENCE = BASE + "evidence"


def _token(value: str, what: str) -> str:
    """A field of an evidence record that must hold no whitespace (a rule, an IRI)."""
    if not value or any(c.isspace() for c in value):
        raise ValueError(f"an evidence record's {what} must be one word, not {value!r}")
    return value


def statement_record(field: str, start: int, end: int, rule: str, confidence: float) -> str:
    """The lexical form of a statement's ``kg:evidenceRecord``.

    ``FIELD SENTENCE-START SENTENCE-END RULE CONFIDENCE``, separated by single spaces: the
    sentence stating the statement is characters ``[start, end)`` of the paper's ``field``
    (``title`` or ``abstract``; 0-based, Unicode code points), so SPARQL gets it back with
    ``SUBSTR(?text, start + 1, end - start)``.
    """
    return f"{field} {start} {end} {_token(rule, 'rule')} {_decimal(confidence)}"


def mention_record(m: Mention, entity: str, text: str) -> str:
    """The lexical form of one surface form's ``kg:evidenceRecord``.

    The statement's five fields for the sentence of the first occurrence, then ``START END
    OCCURRENCES ENTITY SURFACE-FORM``: the occurrence's offsets in the same field, how often the
    surface form occurs, the entity's IRI and the surface form as written (the rest of the
    literal, spaces and all).

    Args:
        m: The mention.
        entity: The IRI of the entity the mention names.
        text: The paper's title or abstract, whichever ``m.field`` names.
    """
    start = _sentence_start(m, text)
    head = statement_record(m.field, start, start + len(m.sentence), m.rule, float(m.confidence))
    return f"{head} {m.start} {m.end} {m.occurrences} {_token(entity, 'entity')} {m.text}"


def _sentence_start(m: Mention, text: str) -> int:
    """Where the mention's sentence starts in its field: the occurrence holding the mention."""
    at = text.rfind(m.sentence, 0, m.start + len(m.sentence))  # the last starting <= m.start
    if at < 0 or at + len(m.sentence) < m.end:
        at = text.find(m.sentence)
    if at < 0:
        raise ValueError(f"the sentence of mention {m.text!r} is not in the paper's {m.field}")
    return at


class EvidenceRecord(NamedTuple):
    """A ``kg:evidenceRecord`` taken apart (see :func:`statement_record`, :func:`mention_record`).

    A statement's record has the first five fields; a surface form's has them all.
    """

    field: str
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float
    start: int | None = None
    end: int | None = None
    occurrences: int | None = None
    entity: str | None = None
    surface: str | None = None

    def sentence(self, title: str, abstract: str) -> str:
        """The sentence the record points at, cut from the paper's title or abstract."""
        text = title if self.field == "title" else abstract
        return text[self.sentence_start : self.sentence_end]


def parse_record(text: str) -> EvidenceRecord:
    """Take an evidence record's lexical form apart.

    Raises:
        ValueError: ``text`` is not an evidence record.
    """
    parts = text.split(" ", 9)
    if len(parts) not in (5, 10) or parts[0] not in ("title", "abstract"):
        raise ValueError(f"not an evidence record: {text[:80]!r}")
    head = EvidenceRecord(parts[0], int(parts[1]), int(parts[2]), parts[3], float(parts[4]))
    if len(parts) == 5:
        return head
    return head._replace(
        start=int(parts[5]),
        end=int(parts[6]),
        occurrences=int(parts[7]),
        entity=parts[8],
        surface=parts[9],
    )
