"""The pipeline's tokeniser: spaCy's English tokeniser with a cache that fits a real corpus.

spaCy's tokeniser splits a text on whitespace and looks each chunk up in a cache before it
runs its prefix, suffix, infix and exception rules. The cache stops taking new chunks once it
holds 10,000 (``max_cache_size``): on a corpus of real, distinct abstracts it is full after a
few hundred papers, and from then on every chunk it has not kept is split by the rules again,
which makes the tokeniser the most expensive part of extraction. Ours is the same tokeniser
with room for :data:`CACHE_CHUNKS` chunks, so the tokens are exactly spaCy's (the cache holds
what the rules gave for a chunk; tested against spaCy's default on the sample and the
evaluation corpora) and each distinct chunk is split once per process.

One rule is added to spaCy's: where Chinese, Japanese or Korean characters meet Latin letters
or digits, the text splits (:data:`CJK`), since those scripts write no spaces and a name such
as BERT inside "我们使用BERT和LLaMA" would otherwise be one token with its neighbours. No
English text has such a boundary, so on English the tokens stay spaCy's.

It also takes any ``str``: a lone surrogate, which spaCy's string store cannot encode (ingest
never lets one through, a library caller might), is tokenised as U+FFFD, so every character
keeps its offset.

Registered as ``kg.Tokenizer.v1``; :func:`graph.extract.make_pipeline` builds on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy import util
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

#: Chunks the cache may hold: a worker that extracts a million distinct abstracts sees about
#: as many distinct chunks; each takes about 100 bytes.
CACHE_CHUNKS = 2_000_000

#: The pipeline config that selects this tokeniser in ``spacy.blank``.
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}}

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
