"""Query parameters: ``--param NAME=VALUE`` bound to the query's ``VALUES ?NAME { … }`` block.

A parameter is a single-variable VALUES block; what it holds as written is the default, and its
first term says what a value given for it becomes (a literal with the same language tag or
datatype, an IRI, a number or a boolean). Values are written as RDF terms by pyoxigraph's own
serialiser (quotes, backslashes and newlines escaped; IRIs validated), so no value can change
the structure of the query: it is bound as data, never spliced in as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import QueryError
from graph.ontology import PREFIXES
from graph.sparql_lexer import code_tokens


@dataclass(frozen=True)
class Parameter:
    """A ``VALUES ?name { default }`` block of a query, which ``--param name=...`` replaces.

    Attributes:
        name: The variable's name (without ``?``).
        kind: ``iri``, ``literal``, ``integer``, ``decimal`` or ``boolean``: what the default
            is, and so what a value given for it becomes.
        default: The block's text between the braces, as written.
    """

    name: str
    kind: str
    default: str


@dataclass(frozen=True)
class _Block:
    param: Parameter
    start: int  # offset just after "{"
    end: int  # offset of "}"
    datatype: str | None
    language: str | None


def _values_blocks(text: str) -> list[_Block]:
    code = code_tokens(text)
    blocks = []
    for i, tok in enumerate(code[:-2]):
        if tok.kind != "word" or tok.text.upper() != "VALUES":
            continue
        var, brace = code[i + 1], code[i + 2]
        if var.kind != "var" or brace.text != "{":
            continue  # VALUES (?a ?b) { ... }: several variables, not a parameter
        j = i + 3
        while j < len(code) and code[j].text != "}":
            j += 1
        if j == len(code):
            continue
        inner = code[i + 3 : j]
        first = inner[0] if inner else None
        datatype = language = None
        if first is None or first.text.upper() == "UNDEF":
            kind = "literal"
        elif first.kind == "iri" or (first.kind == "word" and ":" in first.text):
            kind = "iri"
        elif first.kind == "string":
            kind = "literal"
            if len(inner) > 2 and inner[1].text == "^^":
                datatype = inner[2].text
            elif len(inner) > 1 and inner[1].kind == "lang":
                language = inner[1].text[1:]
        elif first.text in ("true", "false"):
            kind = "boolean"
        elif re.fullmatch(r"[+-]?\d+", first.text):
            kind = "integer"
        else:
            kind = "decimal"
        param = Parameter(var.text[1:], kind, text[brace.start + 1 : code[j].start].strip())
        blocks.append(_Block(param, brace.start + 1, code[j].start, datatype, language))
    return blocks


def query_parameters(text: str) -> list[Parameter]:
    """The parameters of a query: its single-variable ``VALUES`` blocks, in order, each once."""
    seen: dict[str, Parameter] = {}
    for block in _values_blocks(text):
        seen.setdefault(block.param.name, block.param)
    return list(seen.values())


def _declared_prefixes(text: str) -> dict[str, str]:
    code = code_tokens(text)
    found = dict(PREFIXES)
    for i, tok in enumerate(code[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and code[i + 2].kind == "iri":
            found[code[i + 1].text.rstrip(":")] = code[i + 2].text[1:-1]
    return found


def _looks_like_iri(value: str, prefixes: Mapping[str, str]) -> bool:
    """``<https://…>`` or a prefixed name of a declared prefix (``model:bert``), no spaces."""
    if re.fullmatch(r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>", value):
        return True
    prefix, colon, local = value.partition(":")
    return bool(colon) and prefix in prefixes and bool(re.fullmatch(r"[\w.-]+", local))


def _term(value: str, block: _Block, prefixes: Mapping[str, str]) -> str:
    """One value as the SPARQL text of one RDF term (written by pyoxigraph, never spliced)."""
    kind, name = block.param.kind, block.param.name
    xsd = "http://www.w3.org/2001/XMLSchema#"
    try:
        if kind == "iri":
            iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
            prefix, _, local = iri.partition(":")
            if prefix in prefixes and not local.startswith("//"):
                iri = prefixes[prefix] + local
            if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
                raise ValueError("not an absolute IRI")
            return str(ox.NamedNode(iri))
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d{1,30}", value.strip()):
                raise ValueError("not an integer")
            return str(ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + "integer")))
        if kind == "decimal":
            if not re.fullmatch(r"[+-]?(\d{1,30}(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", value.strip()):
                raise ValueError("not a number")
            dtype = "double" if "e" in value.lower() else "decimal"
            return str(ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + dtype)))
        if kind == "boolean":
            if value not in ("true", "false"):
                raise ValueError("not true or false")
            return str(ox.Literal(value, datatype=ox.NamedNode(xsd + "boolean")))
        value.encode("utf-8")  # a lone surrogate (undecodable bytes on the command line)
        if _looks_like_iri(value, prefixes):
            # The block holds text (a label): an IRI there matches nothing, silently.
            raise ValueError("an IRI where the query compares text")
        if block.language:
            return str(ox.Literal(value, language=block.language))
        if block.datatype:
            dtype = block.datatype
            if dtype.startswith("<"):
                dtype = dtype[1:-1]
            elif dtype.partition(":")[0] in prefixes:
                dprefix, _, dlocal = dtype.partition(":")
                dtype = prefixes[dprefix] + dlocal
            return str(ox.Literal(value, datatype=ox.NamedNode(dtype)))
        return str(ox.Literal(value))
    except (ValueError, UnicodeError) as exc:
        shown = value.encode("utf-8", "replace").decode("utf-8")
        raise QueryError(
            f"--param {name}={shown!r}: {exc}; {name} takes "
            + {
                "iri": "an IRI (<https://…> or a prefixed name such as model:bert)",
                "integer": "an integer",
                "decimal": "a number",
                "boolean": "true or false",
            }.get(kind, f"text (a label, as in its default: {block.param.default})")
        ) from exc


def parse_params(items: Sequence[str]) -> dict[str, list[str]]:
    """``["model=BERT", "model=LLaMA"]`` -> ``{"model": ["BERT", "LLaMA"]}`` (order kept).

    Raises:
        QueryError: for an item without ``=`` or without a name.
    """
    params: dict[str, list[str]] = {}
    for item in items:
        name, eq, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not eq or not re.fullmatch(r"\w+", name):
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE, e.g. --param model=BERT")
        params.setdefault(name, []).append(value)
    return params


def bind_parameters(text: str, params: Mapping[str, Sequence[str]]) -> str:
    """Bind parameters to a query: each ``VALUES ?name { … }`` block gets the given values.

    Every value becomes one RDF term of the kind the block's default is (a literal with the
    same language tag or datatype, an IRI, a number or a boolean), written by pyoxigraph's
    serialiser: quotes, backslashes and newlines are escaped, IRIs validated. Several values
    for one name give several rows of the block.

    Raises:
        QueryError: for a name the query has no VALUES block for, or a value of the wrong kind.
    """
    if not params:
        return text
    blocks = _values_blocks(text)
    names = {b.param.name for b in blocks}
    unknown = [n for n in params if n not in names]
    if unknown:
        have = ", ".join(sorted(names)) or "none"
        raise QueryError(
            f"no parameter {unknown[0]!r} in this query (a parameter is a VALUES ?name {{ … }} "
            f"block; this query has: {have})"
        )
    prefixes = _declared_prefixes(text)
    out, at = [], 0
    for block in blocks:
        values = params.get(block.param.name)
        if values is None:
            continue
        terms = " ".join(_term(v, block, prefixes) for v in values)
        out += [text[at : block.start], f" {terms} "]
        at = block.end
    out.append(text[at:])
    return "".join(out)
