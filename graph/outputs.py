"""The output directory of `kg build`: what kg owns there, the build lock, and the atomic swap.

Layout of ``DIR`` (``--out``)::

    DIR/.paper-kg/OWNER           marker: this directory's outputs are kg's
    DIR/.paper-kg/lock            held (flock) by the build writing here; names who holds it
    DIR/.paper-kg/current         symlink to the generation in use: gen-<build id>
    DIR/.paper-kg/gen-<id>/       one build's whole output set: store/, graph.ttl, ...
    DIR/.paper-kg/staging-*/      a build in progress (renamed to gen-<id> when complete)
    DIR/graph.ttl                 symlink to .paper-kg/current/graph.ttl (one per output)

A build writes everything into a staging directory, renames it to its generation, and swaps
``current`` to it with one ``rename()``: every reader sees either the old output set or the new
one, whatever the moment a signal, a kill or a power cut strikes. kg removes only what it wrote:
its ``.paper-kg`` directory, and the symlinks in ``DIR`` that point into it.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Sequence
from pathlib import Path

from graph.errors import OutputError, display_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

META_DIR = ".paper-kg"
OWNER_FILE = "OWNER"
LOCK_FILE = "lock"
CURRENT = "current"
GENERATION_PREFIX = "gen-"
STAGING_PREFIX = "staging-"
#: Files a directory may hold beside kg's outputs: kg never writes, reads or removes them.
PLACEHOLDERS = frozenset({".gitkeep", ".gitignore", ".keep", "README.md", ".DS_Store"})
#: The mark in the head of every page `kg view` writes (graph/export/templates/view.html). Its
#: default output is ``DIR/view.html``, beside the build's outputs: a build leaves such a page
#: alone instead of refusing the directory over it.
VIEW_PAGE_MARK = b'<meta name="generator" content="paper-kg">'
_OWNER_TEXT = (
    "This directory holds the outputs of `kg build` (paper-kg). kg replaces and removes only\n"
    "what it wrote here: this .paper-kg directory and the symlinks beside it that point into\n"
    "it. Delete the whole directory to start afresh.\n"
)


def new_build_id() -> str:
    """A fresh build id: when it started, and random digits (``20240314-101500-3fa2c1d0``)."""
    return f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


def _link_target(name: str) -> str:
    return f"{META_DIR}/{CURRENT}/{name}"


def is_own_link(path: Path) -> bool:
    """Whether ``path`` is a symlink kg made: ``DIR/NAME -> .paper-kg/current/NAME``."""
    try:
        return os.readlink(path) == _link_target(path.name)
    except OSError:
        return False


def current_generation(out_dir: Path) -> Path | None:
    """The generation directory ``DIR``'s outputs are in, or None before the first build.

    A reader that opens several outputs (the store and graph.ttl, say) and must see them from
    one build resolves this once and opens them from it.
    """
    link = out_dir / META_DIR / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    generation = link.parent / target
    return generation if generation.is_dir() else None


def build_id_of(generation: Path) -> str:
    """The build id of a generation directory (its name without ``gen-``)."""
    return generation.name.removeprefix(GENERATION_PREFIX)


def is_view_page(path: Path) -> bool:
    """Whether ``path`` is a plain ``.html`` file whose head carries :data:`VIEW_PAGE_MARK`."""
    if path.suffix != ".html" or path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as page:
            return VIEW_PAGE_MARK in page.read(4096)
    except OSError:
        return False


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def check_out_dir(out_dir: Path, inputs: Sequence[str] = (), files: Sequence[str] = ()) -> None:
    """Refuse an output directory kg must not write to.

    Args:
        out_dir: The output directory.
        inputs: The inputs as given (files, directories, globs, ``-``).
        files: The files they expand to.

    Raises:
        OutputError: if ``out_dir`` is the root directory, is not a directory, lies inside one
            of ``inputs`` (the next build would read the outputs), holds one of ``files``, or
            holds anything kg did not write (other than :data:`PLACEHOLDERS` and the pages
            `kg view` wrote there, which it leaves alone).
    """
    shown = display_path(str(out_dir))
    real = out_dir.resolve()
    if real == Path(real.anchor):
        raise OutputError(f"{shown}: refusing to write outputs into the root directory")
    for item in inputs:
        source = Path(item).resolve()
        if item != "-" and source.is_dir() and _inside(real, source):
            raise OutputError(
                f"{shown}: the output directory lies inside the input {display_path(item)}; "
                "the next build would read its outputs as input. Choose an --out outside it"
            )
    # Many files, so by their names (resolving each would cost a build of 100k files a second).
    prefixes = tuple({os.path.join(os.path.abspath(out_dir), ""), os.path.join(str(real), "")})
    for item in (*inputs, *files):
        if item != "-" and os.path.abspath(item).startswith(prefixes):
            raise OutputError(
                f"{shown}: the input {display_path(item)} lies inside the output directory; "
                "choose another --out"
            )
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise OutputError(f"{shown}: exists and is not a directory; choose another --out")
    try:
        names = sorted(os.listdir(out_dir))
    except OSError as exc:
        raise OutputError(f"{shown}: cannot list the output directory ({exc})") from exc
    meta = out_dir / META_DIR
    foreign = [
        n
        for n in names
        if n not in PLACEHOLDERS
        and n != META_DIR
        and not is_own_link(out_dir / n)
        and not is_view_page(out_dir / n)
    ]
    if META_DIR in names and not (meta / OWNER_FILE).is_file():
        foreign.insert(0, META_DIR)
    if foreign:
        listed = ", ".join(display_path(n) for n in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        older = {"store", "state.jsonl.gz"} <= set(foreign)
        advice = (
            "it looks like the outputs of an older kg, which did not mark them as its own; "
            "delete them, or choose another --out"
            if older
            else "kg writes only into an empty directory or one an earlier kg build wrote; "
            "choose another --out (or move those files away)"
        )
        raise OutputError(f"{shown}: holds files kg did not write ({listed}{more}); {advice}")


class OutputDir:
    """An output directory being built into: checked, locked, and swapped to new outputs.

    Use as a context manager around the whole build::

        with OutputDir(out_dir, inputs) as out:
            staging = out.staging()
            ...  # write every output into staging
            out.commit(staging, build_id)

    On leaving, a staging directory not committed is removed; if the build created
    ``out_dir`` itself and committed nothing, that goes too.
    """

    def __init__(self, path: Path, inputs: Sequence[str] = (), files: Sequence[str] = ()) -> None:
        self.path = path
        self.meta = path / META_DIR
        self._generation: str | None = None
        self._inputs = inputs
        self._files = files
        self._lock_fd: int | None = None
        self._created: list[Path] = []
        self._staging: list[Path] = []

    @property
    def committed(self) -> bool:
        """Whether this build's outputs are the directory's outputs (the swap has happened)."""
        if self._generation is None:
            return False
        try:
            return os.readlink(self.meta / CURRENT) == self._generation
        except OSError:
            return False

    # --- entering: check, create, lock, tidy ----------------------------------------------

    def __enter__(self) -> OutputDir:
        check_out_dir(self.path, self._inputs, self._files)
        shown = display_path(str(self.path))
        try:
            for directory in (self.path, self.meta):
                if not directory.is_dir():
                    directory.mkdir(parents=True, exist_ok=True)
                    self._created.append(directory)
            owner = self.meta / OWNER_FILE
            if not owner.exists():
                owner.write_text(_OWNER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"{shown}: cannot create the output directory ({exc})") from exc
        # Only a build that holds the lock removes anything, even what it has just created.
        self._lock()
        try:
            self.tidy()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _lock(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows: no lock
            return
        try:
            fd = os.open(self.meta / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(
                f"{display_path(str(self.path))}: cannot create the build lock ({exc})"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 4096).decode("utf-8", "replace")
            os.close(fd)
            raise OutputError(
                f"{display_path(str(self.path))}: another kg build is writing here "
                f"({_describe_holder(holder)}); wait for it to finish or choose another --out"
            ) from None
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.datetime.now().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder) + "\n").encode(), 0)
        self._lock_fd = fd

    def tidy(self) -> None:
        """Remove what an interrupted or killed build left: staging directories, generations
        not in use, and kg's symlinks that point at nothing."""
        current = current_generation(self.path)
        for entry in self.meta.iterdir():
            name = entry.name
            stale = name.startswith(STAGING_PREFIX) or name.startswith(f"{CURRENT}.")
            stale |= name.startswith(GENERATION_PREFIX) and (
                current is None or name != current.name
            )
            if stale and entry not in self._staging:
                _remove(entry)
        for entry in self.path.iterdir():
            if is_own_link(entry) and not entry.exists():
                entry.unlink()

    # --- building -----------------------------------------------------------------------------

    def staging(self) -> Path:
        """A new, empty staging directory to write a build's outputs into."""
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.meta))
        self._staging.append(staging)
        return staging

    def commit(self, staging: Path, build_id: str) -> list[Path]:
        """Make the outputs in ``staging`` the directory's outputs, all at once.

        The staging directory becomes generation ``gen-<build_id>``; a symlink ``DIR/NAME`` is
        made for each output that has none yet (it points at nothing until the swap); then
        one rename swaps ``current`` to the new generation. Afterwards the symlinks of
        outputs this build did not write and the previous generation are removed.

        Returns:
            The outputs, as ``DIR/NAME`` paths.

        Raises:
            OutputError: if a file kg did not write has appeared where an output goes.
        """
        generation = self.meta / f"{GENERATION_PREFIX}{build_id}"
        pointer = self.meta / f"{CURRENT}.{build_id}"
        # Tracked before they exist: a signal may strike right after any rename returns.
        self._staging += [generation, pointer]
        self._generation = generation.name
        os.rename(staging, generation)
        names = sorted(n for n in os.listdir(generation) if not n.startswith("."))
        for name in names:
            link = self.path / name
            if is_own_link(link):
                continue
            if is_view_page(link):  # `kg view -o DIR/graph.html`: kg's own page, replaced
                spare = self.meta / f"link.{build_id}"
                os.symlink(_link_target(name), spare)
                os.replace(spare, link)
                continue
            try:
                os.symlink(_link_target(name), link)
            except FileExistsError:
                raise OutputError(
                    f"{display_path(str(link))}: appeared during the build and kg did not "
                    "write it; it was left alone and the previous outputs are unchanged"
                ) from None
        os.symlink(generation.name, pointer)
        os.replace(pointer, self.meta / CURRENT)  # the commit: one atomic rename
        self._staging.remove(generation)
        with contextlib.suppress(OSError):  # what is left, the next build removes
            self.tidy()
        return [self.path / name for name in names]

    # --- leaving ------------------------------------------------------------------------------

    def __exit__(self, *exc_info: object) -> None:
        committed = self.committed
        for path in self._staging:
            if not (committed and path.name == self._generation):
                _remove(path)
        self._staging.clear()
        with contextlib.suppress(OSError):
            if committed:  # interrupted after the swap: the previous generation still goes
                self.tidy()
            else:  # links made for a swap that did not happen
                for entry in self.path.iterdir():
                    if is_own_link(entry) and not entry.exists():
                        entry.unlink()
        if not committed and self._created:
            self._remove_created()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def _remove_created(self) -> None:
        """Remove the directories this build created, when they hold nothing but kg's files."""
        for directory in reversed(self._created):
            if directory == self.meta:
                for name in (OWNER_FILE, LOCK_FILE):
                    with contextlib.suppress(OSError):
                        (directory / name).unlink()
            with contextlib.suppress(OSError):
                directory.rmdir()
        self._created.clear()


def _describe_holder(text: str) -> str:
    try:
        holder = json.loads(text)
        return f"pid {holder['pid']} on {holder['host']}, started {holder['started']}"
    except (ValueError, KeyError, TypeError):
        return "a build that has not said who it is yet"


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
