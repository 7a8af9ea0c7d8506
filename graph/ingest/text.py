"""Reading input bytes as text: bounded reads, encodings, binary detection, cleaning.

Every reader builds its papers' text fields with :func:`clean`, so control characters,
noncharacters and lone surrogates are removed once, here, and no later stage (spaCy, the RDF
writers, lxml's GraphML writer) ever sees them.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import re
import select
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from graph.errors import InputError, display_path

#: Inputs larger than this are refused, whatever they are (file, FIFO, device, stdin); a
#: listing this big is almost surely not a listing.
MAX_FILE_BYTES = 2 * 1024**3
#: An abstract longer than this is a full text or a parsing accident, not an abstract (real
#: ones run to a few thousand characters); such records are bad input.
MAX_ABSTRACT_CHARS = 100_000
#: How much of an input is looked at to tell text from binary.
_SAMPLE_BYTES = 65536
_CHUNK_BYTES = 1 << 20
#: How long to wait for a FIFO's writer before saying that kg is waiting for one.
FIFO_NOTICE_SECONDS = 0.5

#: Called with a one-line status message (for example "waiting for a writer on FIFO x").
Notice = Callable[[str], None] | None

# Characters no text field may hold: C0 and C1 controls, DEL, the noncharacters U+FFFE and
# U+FFFF, and lone surrogates (which only JSON escapes can make). XML 1.0 (GraphML), spaCy and
# RDF syntaxes refuse them, and a terminal runs them. The controls str.split() takes for
# whitespace (tab, newlines, \x1c-\x1f, NEL) are left to the whitespace collapsing below.
_WHITESPACE_CONTROLS = frozenset(c for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c).isspace())
_REMOVED = [
    *(c for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in _WHITESPACE_CONTROLS),
    0xFFFE,
    0xFFFF,
]
_CLEAN = str.maketrans(
    {**dict.fromkeys(_REMOVED), **dict.fromkeys(range(0xD800, 0xE000), "\ufffd")}
)
_DIRTY = re.compile("[" + "".join(re.escape(chr(c)) for c in _REMOVED) + "\ud800-\udfff]")


def clean(text: str) -> str:
    """Make a text field safe and tidy: the one cleaning every reader applies.

    Control characters (C0, C1, DEL) and the noncharacters U+FFFE/U+FFFF are removed, lone
    surrogates become U+FFFD, runs of whitespace become single spaces, and the ends are
    stripped. For clean text (nearly all of it) this costs one ``str.isprintable`` scan more
    than collapsing the whitespace.

    >>> clean(" BERT\\x01 \\ud800 base\\n")
    'BERT \\ufffd base'
    """
    joined = " ".join(text.split())
    # Fast path: once whitespace is collapsed, clean text is nearly always all printable.
    if joined.isprintable() or not _DIRTY.search(joined):
        return joined
    return " ".join(joined.translate(_CLEAN).split())


def shown(text: str, limit: int = 80) -> str:
    """A value as a message may quote it: controls escaped, cut to ``limit`` characters.

    >>> shown("a\\nb")
    "'a\\\\nb'"
    """
    quoted = ascii(text) if not text.isprintable() else repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + "...'"


def decode(data: bytes | bytearray, path: str) -> str:
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
    _refuse_binary(data[:_SAMPLE_BYTES], path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sample = data[:_SAMPLE_BYTES]
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls > len(sample) // 100:
            raise InputError(
                "binary file (not UTF-8 text); give a text, JSON or CSV listing", path=path
            ) from exc
        text = data.decode("cp1252", errors="replace")
    except MemoryError as exc:
        raise InputError("not enough memory to decode this input", path=path) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_binary(sample: bytes | bytearray, path: str) -> None:
    if b"\x00" in sample:
        raise InputError(
            "binary file (holds NUL bytes); give a text, JSON or CSV listing", path=path
        )


def read_stream(stream: BinaryIO | int, path: str) -> bytearray:
    """Read a stream (stdin, a FIFO, a character device) to its end, within the size limit.

    The first 64 KiB are checked for binary content before reading on, so ``/dev/zero`` or
    ``/dev/urandom`` are refused at once rather than read until memory runs out.

    Args:
        stream: A binary file object or an open file descriptor.
        path: The name, for messages.

    Raises:
        InputError: if the stream is binary, larger than :data:`MAX_FILE_BYTES`, or unreadable.
    """
    limit = MAX_FILE_BYTES
    read = functools.partial(os.read, stream) if isinstance(stream, int) else stream.read
    data = bytearray()
    checked = False
    try:
        while True:
            chunk = read(_CHUNK_BYTES)
            if not chunk:
                break
            data += chunk
            if len(data) > limit:
                raise InputError(f"input is over the {limit}-byte limit", path=path)
            if not checked and len(data) >= _SAMPLE_BYTES:
                _refuse_binary(data[:_SAMPLE_BYTES], path)
                checked = True
    except MemoryError as exc:
        raise InputError(
            f"not enough memory to read this input ({len(data)} bytes so far)", path=path
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from exc
    return data


def _read_fifo(path: Path, notice: Notice) -> bytearray:
    """Read a FIFO, saying so when no writer has opened it yet (a plain open would block)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        # On Linux, poll() on a FIFO no writer has opened yet reports nothing (not a hang-up),
        # so this waits for the first writer; Ctrl-C or a SIGTERM ends the wait.
        if not poller.poll(FIFO_NOTICE_SECONDS * 1000):
            if notice is not None:
                notice(
                    f"{display_path(str(path))}: waiting for a writer on this FIFO (Ctrl-C to stop)"
                )
            poller.poll()
        os.set_blocking(fd, True)
        return read_stream(fd, str(path))
    finally:
        os.close(fd)


def read_bytes(path: Path, notice: Notice = None) -> bytes | bytearray:
    """Read an input's bytes: a regular file, a FIFO or a character device, within the limit.

    Raises:
        InputError: if it cannot be read, is too large, or is a directory.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory where a file was expected", path=path)
        if stat.S_ISFIFO(info.st_mode):
            return _read_fifo(path, notice)
        if not stat.S_ISREG(info.st_mode):  # a character or block device: no size to trust
            with path.open("rb", buffering=0) as f:
                return read_stream(f, str(path))
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit", path=path
            )
        data = path.read_bytes()
        if len(data) > MAX_FILE_BYTES:  # it grew after stat()
            raise InputError(f"file is over the {MAX_FILE_BYTES}-byte limit", path=path)
        return data
    except PermissionError as exc:
        raise InputError("permission denied; check the file's permissions", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory where a file was expected", path=path) from exc
    except MemoryError as exc:
        raise InputError("not enough memory to read this input", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from exc


def read_text(path: Path, notice: Notice = None) -> str:
    """Read an input as text with :func:`read_bytes` and :func:`decode`.

    Raises:
        InputError: if the input cannot be read, is too large, or is binary.
    """
    return decode(read_bytes(path, notice), display_path(str(path)))


#: How much of a streamed input is read at a time.
_STREAM_CHUNK = 1 << 20
#: Leading characters (after whitespace) format detection looks at.
HEAD_CHARS = 4096


class TextFile:
    """A regular file read as text line by line, decoded exactly as :func:`read_text` would.

    The whole file is first checked (and decoded, then dropped) to choose its encoding: UTF-8
    if all of it is, else Windows-1252, as :func:`decode` chooses for the whole text; then
    :meth:`lines` reads it again as a stream. Memory stays flat whatever the file's size.

    Raises:
        InputError: if the file cannot be read, is too large, or is binary.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = display_path(str(path))
        self.encoding, self.errors = "utf-8-sig", "strict"
        with _reading(path):
            info = path.stat()
            if info.st_size > MAX_FILE_BYTES:
                raise InputError(
                    f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit",
                    path=path,
                )
            self._choose_encoding()
            with self._open() as f:
                head = f.read(_STREAM_CHUNK)
                while len(head.lstrip()) < HEAD_CHARS and (more := f.read(_STREAM_CHUNK)):
                    head += more
        #: The file's first characters: all of it, or at least HEAD_CHARS past its leading
        #: whitespace (what :func:`graph.ingest.detect_format` reads).
        self.head = head

    def _choose_encoding(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        sample = b""
        size = 0
        with self.path.open("rb") as f:
            while chunk := f.read(_STREAM_CHUNK):
                if not sample:
                    sample = chunk[:_SAMPLE_BYTES]
                    _refuse_binary(sample, self.name)
                size += len(chunk)
                if size > MAX_FILE_BYTES:  # it grew after stat()
                    raise InputError(
                        f"file is over the {MAX_FILE_BYTES}-byte limit", path=self.path
                    )
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    break
            else:
                try:
                    decoder.decode(b"", final=True)
                    return
                except UnicodeDecodeError:
                    pass
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls > len(sample) // 100:
            raise InputError(
                "binary file (not UTF-8 text); give a text, JSON or CSV listing", path=self.name
            )
        self.encoding, self.errors = "cp1252", "replace"

    def _open(self) -> io.TextIOWrapper:
        # newline=None: "\r\n" and "\r" read as "\n", as decode() normalises them.
        return self.path.open(encoding=self.encoding, errors=self.errors, newline=None)

    def text(self) -> str:
        """The whole text (for the formats that are not read line by line)."""
        with _reading(self.path), self._open() as f:
            return f.read()

    def lines(self) -> Iterator[str]:
        """The file's lines, without their line ends (``text.split("\\n")`` of the whole text,
        but for a last empty line)."""
        with _reading(self.path), self._open() as f:
            for line in f:
                yield line[:-1] if line.endswith("\n") else line


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the errors of reading ``path`` into InputErrors, as :func:`read_bytes` does."""
    try:
        yield
    except PermissionError as exc:
        raise InputError("permission denied; check the file's permissions", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory where a file was expected", path=path) from exc
    except UnicodeDecodeError as exc:  # it changed between the check and the reading
        raise InputError(f"cannot read ({exc})", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from exc


def is_regular_file(path: str) -> bool:
    """Whether ``path`` is a regular file (not stdin, a FIFO, a device or a directory)."""
    try:
        return path != "-" and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
