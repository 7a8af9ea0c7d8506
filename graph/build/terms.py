"""RDF terms as text: IRIs and literals in N-Triples (:class:`NTriplesTerms`) and Turtle
(:class:`TurtleTerms`, prefixed names where a prefix fits).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from operator import itemgetter

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: N-Triples escapes: the mandatory ones, other control characters as \uXXXX, and lone
#: surrogates (which no RDF serialisation may carry) as the replacement character.
_ESCAPES = str.maketrans(
    {
        **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
        **{c: "\ufffd" for c in range(0xD800, 0xE000)},
        ord("\\"): "\\\\",
        ord('"'): '\\"',
        ord("\n"): "\\n",
        ord("\r"): "\\r",
        ord("\t"): "\\t",
        ord("\b"): "\\b",
        ord("\f"): "\\f",
    }
)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\\ud800-\udfff]')


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def literal(value: str | int | float, datatype: str | None = None) -> str:
    """A literal as an N-Triples term; ints become xsd:integer, floats xsd:decimal."""
    return _NT.literal(value, datatype)


def _string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def _decimal(value: float) -> str:
    """The canonical xsd:decimal form, to two places: 0.8, 0.95, 1.0."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


#: A local name that needs no escaping in a Turtle prefixed name (a subset of PN_LOCAL).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


class Terms(ABC):
    """How terms are written in one RDF syntax; :meth:`literal` picks the typed writer."""

    @abstractmethod
    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI."""

    @abstractmethod
    def integer(self, value: int) -> str:
        """An xsd:integer."""

    @abstractmethod
    def decimal(self, value: float) -> str:
        """An xsd:decimal, to two places."""

    def string(self, value: str) -> str:
        """A plain string literal (the same in N-Triples and Turtle)."""
        return _string(value)

    def literal(self, value: str | int | float, datatype: str | None = None) -> str:
        """A literal: ints as xsd:integer, floats as xsd:decimal, strings maybe typed."""
        if isinstance(value, bool):
            raise TypeError("booleans are not written as literals here")
        if isinstance(value, int):
            return self.integer(value)
        if isinstance(value, float):
            return self.decimal(value)
        text = self.string(value)
        return f"{text}^^{self.iri(datatype)}" if datatype else text


class TurtleTerms(Terms):
    """Turtle forms of terms: prefixed names where a prefix fits, bare numbers."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        if not all(ns.endswith(("/", "#")) for ns in prefixes.values()):
            raise ValueError("every namespace must end in / or #")
        self._prefix_of = {ns: p for p, ns in prefixes.items()}
        self._cache: dict[str, str] = {}

    def header(self) -> str:
        """The ``@prefix`` lines."""
        ordered = sorted(self._prefix_of.items(), key=itemgetter(1))
        return "".join(f"@prefix {p}: <{ns}> .\n" for ns, p in ordered)

    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI as a prefixed name when one fits, else ``<...>``.

        ``cache=False`` for IRIs used once (papers, evidence nodes), so the cache keeps the
        ones used again and again (entities, properties).
        """
        term = self._cache.get(value)
        if term is None:
            # Every namespace ends in "/" or "#" and a plain local name has neither, so the
            # namespace of a prefixed name can only be the IRI up to its last "/" or "#".
            cut = max(value.rfind("/"), value.rfind("#")) + 1
            prefix = self._prefix_of.get(value[:cut])
            if prefix is not None and _PLAIN_LOCAL.fullmatch(value, cut):
                term = f"{prefix}:{value[cut:]}"
            else:
                term = f"<{value}>"
            if cache and len(self._cache) < 1 << 16:
                self._cache[value] = term
        return term

    def integer(self, value: int) -> str:
        """An xsd:integer, bare."""
        return str(value)

    def decimal(self, value: float) -> str:
        """An xsd:decimal, bare."""
        return _decimal(value)


class NTriplesTerms(Terms):
    """N-Triples forms of terms."""

    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI as ``<...>``."""
        return f"<{value}>"

    def integer(self, value: int) -> str:
        """An xsd:integer."""
        return f'"{value}"^^<{XSD}integer>'

    def decimal(self, value: float) -> str:
        """An xsd:decimal."""
        return f'"{_decimal(value)}"^^<{XSD}decimal>'


_NT = NTriplesTerms()
