"""The pipeline's tokenisers: a fast one for extraction, and spaCy's own with a larger cache.

Every component of the pipeline reads the paper's text by character offsets; the tokens only
carry what the components put on the Doc (sentence starts, ``doc.spans["kg_entities"]``), so
they need to start wherever a sentence or a name can start and end wherever a name can end.

``kg.FastTokenizer.v1`` (:func:`create_fast_tokenizer`, what :func:`graph.extract.make_pipeline`
uses) is spaCy's tokeniser class with simple rules: every punctuation mark or symbol is a token
of its own (a point or comma between digits excepted: ``3.5`` and ``1,000`` stay one), a run of
Han, kana or Hangul is a token apart from the Latin letters and digits around it, and there are
no exceptions, URL or token patterns. Whitespace is kept as spaCy keeps it, so the Doc's text is
the input's, offset for offset. Its tokens are finer than spaCy's ("GPT-4o" is three, "don't"
is ``don ' t``); a chunk its cache has not seen costs three simple searches instead of spaCy's
rules, and the extractions are the same under either tokeniser (tested on every sample and
corpus text). ``doc.spans["kg_entities"]`` and the acronym spans, aligned to tokens, can differ
where spaCy's tokens are the finer ones (a unit after a number, "10km").

:class:`KgTokenizer` (``kg.Tokenizer.v1``, ``make_pipeline(tokenizer="spacy")``) is spaCy's
English tokeniser with room for :data:`CACHE_CHUNKS` chunks instead of 10,000, for callers who
want spaCy's own tokens: spaCy's tokeniser caches what its prefix, suffix, infix and exception
rules give for each whitespace-separated chunk but stops taking chunks once it holds 10,000,
after a few hundred real abstracts. One rule is added to spaCy's: where Chinese, Japanese or
Korean characters meet Latin letters or digits the text splits (:data:`CJK`), since those
scripts write no spaces and a name such as BERT inside "我们使用BERT和LLaMA" would otherwise be
one token with its neighbours. No English text has such a boundary, so on English its tokens
are spaCy's (tested against spaCy's default on the sample and the evaluation corpora).

Both take any ``str``: a lone surrogate, which spaCy's string store cannot encode (ingest never
lets one through, a library caller might), is tokenised as U+FFFD, so every character keeps its
offset.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from spacy import util
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

#: Chunks the cache may hold: a worker that extracts a million distinct abstracts sees about
#: as many distinct chunks; each takes about 100 bytes.
CACHE_CHUNKS = 2_000_000

#: The pipeline config that selects spaCy's rules with the large cache in ``spacy.blank``.
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}}
#: The pipeline config that selects :func:`create_fast_tokenizer`'s tokeniser.
FAST_TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kg.FastTokenizer.v1"}}}

_SURROGATE = re.compile("[\ud800-\udfff]")

#: Characters of the scripts that write words without spaces between them: Han (CJK unified
#: ideographs, extension A, compatibility), Hiragana, Katakana and Hangul. Not their
#: punctuation: mathematics borrows its angle brackets ("〈w, q〉").
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

#: An empty infix where such a script meets Latin letters or digits, so that "使用BERT和"
#: splits into "使用", "BERT", "和" (spaCy keeps empty infixes as split points).
_SCRIPT_CHANGE = (
    r"(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])(?=[A-Za-z0-9])"
    r"|(?<=[A-Za-z0-9])(?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])"
)


class KgTokenizer(Tokenizer):
    """spaCy's :class:`~spacy.tokenizer.Tokenizer`, taking lone surrogates as U+FFFD."""

    def __call__(self, text: str) -> Doc:
        """Tokenise ``text`` as spaCy's tokeniser does."""
        if not text.isascii() and _SURROGATE.search(text):
            text = _SURROGATE.sub("\ufffd", text)
        return super().__call__(text)


@registry.tokenizers("kg.Tokenizer.v1")
def create_kg_tokenizer(
    max_cache_size: int = CACHE_CHUNKS,
) -> Callable[[Language], Tokenizer]:
    """spaCy's default tokeniser for the language, keeping up to ``max_cache_size`` chunks.

    The same rules as spaCy's ``spacy.Tokenizer.v1``: the language's prefixes, suffixes,
    infixes, exceptions, token and URL patterns.

    Args:
        max_cache_size: How many distinct whitespace-separated chunks the cache keeps.

    Returns:
        A factory that makes the tokeniser for a ``Language``, as spaCy's config expects.
    """

    def factory(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
        return KgTokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=util.compile_prefix_regex(prefixes).search if prefixes else None,
            suffix_search=util.compile_suffix_regex(suffixes).search if suffixes else None,
            infix_finditer=util.compile_infix_regex([*(infixes or ()), _SCRIPT_CHANGE]).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
            max_cache_size=max_cache_size,
        )

    return factory


def _class_ranges(codes: Iterable[int]) -> str:
    """A regular-expression character class body for the code points ``codes`` (ascending)."""
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


#: Punctuation and symbols (Unicode categories P* and S*, the underscore excepted) and the
#: astral symbol blocks (emoji, pictographs): each is a token of its own.
SEPARATORS = (
    _class_ranges(
        c for c in range(0x10000) if unicodedata.category(chr(c))[0] in "PS" and c != 0x5F
    )
    + "\U0001f000-\U0001faff"
)
_CJK_CLASS = CJK.pattern[1:-1]
_FAST_PREFIX = re.compile(f"^[{SEPARATORS}]")
_FAST_SUFFIX = re.compile(f"[{SEPARATORS}]$")
#: Inside a chunk: any separator but a point or comma between digits ("3.5", "1,000"), and
#: the edges of a run of Han, kana or Hangul.
_FAST_INFIX = re.compile(
    rf"(?<!\d)[.,]|[.,](?!\d)|(?![.,])[{SEPARATORS}]"
    rf"|(?<=[{_CJK_CLASS}])(?=[^{_CJK_CLASS}])|(?<=[^{_CJK_CLASS}])(?=[{_CJK_CLASS}])"
)


@registry.tokenizers("kg.FastTokenizer.v1")
def create_fast_tokenizer(
    max_cache_size: int = CACHE_CHUNKS,
) -> Callable[[Language], Tokenizer]:
    """spaCy's tokeniser with simple rules: every punctuation mark or symbol is a token.

    No exceptions, URL or token patterns: a chunk's prefixes, suffixes and infixes are single
    :data:`SEPARATORS`, except a point or comma between digits; a run of Han, kana or Hangul is
    a token apart from its neighbours. What these rules give for a chunk is cached as spaCy
    caches it.

    Args:
        max_cache_size: How many distinct whitespace-separated chunks the cache keeps.

    Returns:
        A factory that makes the tokeniser for a ``Language``, as spaCy's config expects.
    """

    def factory(nlp: Language) -> Tokenizer:
        return KgTokenizer(
            nlp.vocab,
            rules={},
            prefix_search=_FAST_PREFIX.search,
            suffix_search=_FAST_SUFFIX.search,
            infix_finditer=_FAST_INFIX.finditer,
            max_cache_size=max_cache_size,
        )

    return factory
