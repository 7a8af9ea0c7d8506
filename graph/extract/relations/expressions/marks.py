"""The placeholders of a template (:data:`MARK` and a number), and the pieces of expression every
other module builds on.
"""

from __future__ import annotations

import re

import re2

#: A placeholder: the marker (DEL), then one character numbering the occurrence in its
#: sentence, from the C1 controls (neither word characters nor spaces in either engine; NEL,
#: U+0085, is a space to Python and is left out).
MARK = "\x7f"
NUMBERS = "".join(chr(c) for c in range(0x80, 0xA0) if c != 0x85)
MAX_OCCURRENCES = len(NUMBERS)
E = MARK + "[\x80-\x9f]"
ENTITY = re.compile(E)
_LATIN1 = re2.Options()
_LATIN1.encoding = re2.Options.Encoding.LATIN1
#: Python's ``\s`` on ASCII text, for RE2 (whose ``\s`` lacks \v and \x1c-\x1f).
_S = r"[\t\n\v\f\r \x1c-\x1f]"
#: One word of filler: neither a placeholder nor clause punctuation.
_FILLER = rf"[^\s{MARK},;:]+"
