"""Reading input bytes as text: encodings, binary detection, line splitting."""

from __future__ import annotations

from pathlib import Path

from graph.errors import InputError

#: Files larger than this are refused; a listing this big is almost surely not a listing.
MAX_FILE_BYTES = 2 * 1024**3
#: An abstract longer than this is a full text or a parsing accident, not an abstract (real
#: ones run to a few thousand characters); such records are bad input.
MAX_ABSTRACT_CHARS = 100_000


def decode(data: bytes, path: str) -> str:
    """Decode an input file's bytes to text.

    UTF-8 (with or without a byte-order mark) is expected; text that is not valid UTF-8 but
    holds no control bytes is read as Windows-1252/Latin-1, which is what such files nearly
    always are. Line endings are normalised to ``\\n``.

    Args:
        data: The raw bytes.
        path: The file name, for messages.

    Returns:
        The decoded text.

    Raises:
        InputError: if the bytes look binary (NUL or many control bytes).
    """
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(
            "binary file (holds NUL bytes); give a text, JSON or CSV listing", path=path
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls > len(sample) // 100:
            raise InputError(
                "binary file (not UTF-8 text); give a text, JSON or CSV listing", path=path
            ) from exc
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """Read a file as text with :func:`decode`.

    Raises:
        InputError: if the file cannot be read, is too large, or is binary.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file is {size} bytes, over the {MAX_FILE_BYTES} limit", path=path)
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("permission denied; check the file's permissions", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory where a file was expected", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from exc
    return decode(data, str(path))


def clean(text: str) -> str:
    """Collapse runs of whitespace to single spaces and strip the ends."""
    return " ".join(text.split())
