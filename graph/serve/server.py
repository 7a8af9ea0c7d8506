"""Running the app: uvicorn on a socket bound here, with the limits a public server needs.

The socket is made here rather than by uvicorn so that every failure to bind names its cause
in one line (a port out of range, a host that does not resolve, an address in use) and so the
listen backlog is chosen, not inherited: 2,048 pending connections (``http.server`` has 5; a
burst of 100 clients then timed out). Connections are served by asyncio, not one thread each,
and :class:`TimedH11Protocol` closes a connection that has not sent a whole request within
``request_timeout`` seconds (a slow-loris or a half-open connection), besides uvicorn's own
keep-alive timeout between requests. uvicorn's pure-Python h11 parser is used (never
httptools): it refuses conflicting Content-Length headers and obsolete line folding.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from graph.errors import KGError
from graph.serve.app import Settings, build_app, example_list
from graph.serve.pool import DEFAULT_TIMEOUT, DEFAULT_WORKERS, QueryPool
from graph.serve.results import DEFAULT_MAX_RESULTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Pending connections the kernel queues before the server accepts them.
BACKLOG = 2048
#: Seconds a connection may take to send one whole request (headers and body).
REQUEST_TIMEOUT = 30.0
#: Seconds an idle keep-alive connection stays open between requests.
KEEP_ALIVE = 5
#: Most connections served at once; more get a 503 at once.
MAX_CONNECTIONS = 1000


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection that is slow to send its request.

    uvicorn times out idle keep-alive connections but not a new connection that sends nothing,
    nor one that sends its request a byte at a time. Here each request must arrive whole
    within ``request_timeout`` seconds of its first byte (or of the connection, for the first).
    """

    request_timeout = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        self._arm()  # a request (perhaps the next one) is arriving
        super().data_received(data)
        cycle = self.cycle
        if cycle is not None and not cycle.more_body:
            self._disarm()  # the whole request is in; the app takes it from here

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def _log_config(quiet: bool) -> dict[str, Any]:
    """uvicorn's logging, all of it on stderr (stdout is for data): one line per request
    unless ``quiet``, and only warnings from the server itself."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(client_addr)s - "%(request_line)s" %(status_code)s',
                "use_colors": False,
            },
            "default": {"format": "kg serve: %(message)s"},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {
                "handlers": ["access"],
                "level": "WARNING" if quiet else "INFO",
                "propagate": False,
            },
        },
    }


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means every interface (``0.0.0.0``, ``::``)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def bind_socket(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A listening TCP socket on ``host``:``port``.

    Raises:
        KGError: for a port outside 0-65535, a host that does not resolve, or an address
            that cannot be bound; the message names which.
    """
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise KGError(f"--port must be a whole number from 0 to 65535 (0 picks one), not {port}")
    name = host.strip("[]")
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise KGError(
            f"cannot resolve --host {host} ({reason}); give an IP address such as 127.0.0.1 or "
            "a name this machine resolves"
        ) from None
    errors = []
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(backlog)
        except OSError as exc:
            sock.close()
            errors.append(exc)
            continue
        sock.setblocking(False)
        return sock
    exc = errors[0] if errors else OSError("no address")
    hint = (
        "is another kg serve running there? choose another --port"
        if getattr(exc, "errno", None) in (98, 48)  # EADDRINUSE (Linux, macOS)
        else f"is {host} an address of this machine?"
    )
    raise KGError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); {hint}")


def allowed_host_names(host: str, extra: Collection[str]) -> tuple[set[str], bool]:
    """The Host header names to answer, and whether any IP literal is fine too.

    Loopback: ``127.0.0.1``, ``localhost``, ``::1``. A wildcard bind (``0.0.0.0``): any IP
    literal (DNS rebinding needs a name), ``localhost`` and this machine's own names. A
    specific address: that address. Names in ``extra`` always (``*`` turns the check off).
    """
    name = host.strip("[]").lower()
    names = {name, *(h.lower().strip("[]") for h in extra)}
    if is_loopback(name):
        names |= {"127.0.0.1", "localhost", "::1"}
    wildcard = is_wildcard(name)
    if wildcard:
        names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    return names, wildcard


class KGServer:
    """A bound ``kg serve``: the app, its pool and its socket; :meth:`run` serves.

    Made by :func:`make_server`. ``start()``/``stop()`` serve from a background thread (for
    tests and notebooks); ``run()`` serves in this thread until Ctrl-C or SIGTERM.
    """

    def __init__(
        self,
        sock: socket.socket,
        pool: QueryPool,
        settings: Settings,
        *,
        quiet: bool,
        request_timeout: float,
        cleanup: Callable[[], None] | None,
    ):
        self.socket = sock
        self.pool = pool
        self.settings = settings
        self.app = build_app(pool, settings)
        self._cleanup = cleanup
        protocol = type("Protocol", (TimedH11Protocol,), {"request_timeout": request_timeout})
        self.config = uvicorn.Config(
            self.app,
            http=protocol,
            ws="none",
            lifespan="off",
            log_config=_log_config(quiet),
            access_log=not quiet,
            timeout_keep_alive=KEEP_ALIVE,
            limit_concurrency=MAX_CONNECTIONS,
            backlog=BACKLOG,
            server_header=False,
            date_header=True,
            proxy_headers=False,
            timeout_graceful_shutdown=3,
        )
        self.server = uvicorn.Server(self.config)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The bound host and port."""
        host, port = self.socket.getsockname()[:2]
        return host, port

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.address
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def run(self, ready: Callable[[str], object] | None = None) -> None:
        """Serve until Ctrl-C or SIGTERM, then stop the workers and clean up."""
        if ready is not None:
            ready(self.url)  # the socket listens already: early clients wait in the backlog
        try:
            self.server.run(sockets=[self.socket])
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def start(self, timeout: float = 30.0) -> KGServer:
        """Serve from a background thread; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self._serve_in_thread, name="kg-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started and time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise KGError("kg serve: the server stopped while starting")
            time.sleep(0.01)
        return self

    def _serve_in_thread(self) -> None:
        # uvicorn installs signal handlers only in the main thread; this is not it.
        asyncio.run(self.server.serve(sockets=[self.socket]))

    def stop(self) -> None:
        """Stop serving (from :meth:`start`), then stop the workers and clean up."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self.close()

    def close(self) -> None:
        """Stop the workers, close the socket, remove a temporary store."""
        self.pool.close()
        with contextlib.suppress(OSError):
            self.socket.close()
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None


def _prepare_store(graph: str | Path | None) -> tuple[Path, Path, Callable[[], None] | None]:
    """An on-disk store the workers can open read-only, for a build directory, store or file.

    Returns:
        The store path, the resolved graph path, and a cleanup function when a temporary store
        had to be written (for an RDF file, loaded once here rather than in every worker).

    Raises:
        GraphNotFoundError: if there is no graph or the store cannot be opened.
        InputError: if an RDF file does not parse.
    """
    import shutil

    from graph.store import open_graph, resolve_graph_path

    path = resolve_graph_path(graph)
    store = open_graph(path)  # checks the store opens (read-only), or parses the file
    if path.is_dir():
        return path, path, None
    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_extend(store)
        disk.flush()
        del disk
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp / "store", path, lambda: shutil.rmtree(tmp, ignore_errors=True)


def make_server(
    graph: str | Path | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    html: str | None = None,
    workers: int = DEFAULT_WORKERS,
    reserve: int = 1,
    allow_service: Collection[str] = (),
    allowed_hosts: Collection[str] = (),
    request_timeout: float = REQUEST_TIMEOUT,
    quiet: bool = False,
) -> KGServer:
    """Open a built graph and bind the server, without serving yet.

    Args:
        graph: A build directory (default ``exports/``), its ``store/``, or an RDF file.
        host: The address to listen on; loopback unless told otherwise.
        port: The TCP port (0 picks a free one; ``server.url`` tells which).
        timeout: Seconds a query may run before it is stopped (503).
        max_results: Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) sent back.
        html: The page to serve at ``/view``; default: the build's graph view.
        workers: Query worker processes for queries of any length.
        reserve: More worker processes kept for short queries (see :mod:`graph.serve.pool`).
        allow_service: Hosts SPARQL ``SERVICE`` clauses may call (default none: no federation).
        allowed_hosts: More names the ``Host`` header may carry (a reverse proxy's name).
        request_timeout: Seconds a client may take to send one request.
        quiet: Do not log each request.

    Raises:
        GraphNotFoundError: when there is no built graph.
        KGError: on a bad option, or when the address cannot be bound.
    """
    from graph.ontology import PREFIXES

    if not timeout > 0:
        raise KGError(f"--timeout must be a positive number of seconds, not {timeout}")
    if max_results < 1:
        raise KGError(f"--max-results must be at least 1, not {max_results}")
    if workers < 1:
        raise KGError(f"--workers must be at least 1, not {workers}")
    sock = bind_socket(host, port)  # first: a bad address fails before anything starts
    try:
        store_path, graph_path, cleanup = _prepare_store(graph)
    except BaseException:
        sock.close()
        raise
    try:
        names, any_ip = allowed_host_names(host, allowed_hosts)
        settings = Settings(
            graph_path=graph_path,
            timeout=timeout,
            max_results=max_results,
            allowed_hosts=names,
            any_ip_host=any_ip,
            view_html=html,
            examples=example_list(),
        )
        pool = QueryPool(
            store_path,
            PREFIXES,
            workers,
            timeout,
            reserve=reserve,
            allow_service=tuple(allow_service),
            watch=cleanup is None,
        )
    except BaseException:
        sock.close()
        if cleanup:
            cleanup()
        raise
    return KGServer(
        sock, pool, settings, quiet=quiet, request_timeout=request_timeout, cleanup=cleanup
    )


def serve(
    graph: str | Path | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    ready: Callable[[str], object] | None = None,
    **options: Any,
) -> None:
    """Serve a built graph over HTTP until interrupted (Ctrl-C or SIGTERM).

    See :func:`make_server` for the arguments; ``ready`` is called with the base URL once the
    server is bound (the CLI prints it).
    """
    server = make_server(graph, host, port, **options)
    previous = None
    if threading.current_thread() is threading.main_thread():
        # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal with the
        # handler it found: make that a KeyboardInterrupt, so the workers and temporary files
        # are cleaned up rather than the process killed.
        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run(ready)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def exposure_warning(host: str, port: int) -> str | None:
    """What a non-loopback ``--host`` exposes, for the CLI to print (None for loopback)."""
    if is_loopback(host):
        return None
    where = (
        f"every network interface of this machine (e.g. {socket.gethostname()})"
        if is_wildcard(host)
        else host
    )
    port_text = "a free port (the address follows)" if port == 0 else f"port {port}"
    return (
        f"kg serve: listening on {where}, {port_text}: anyone who can reach it can read the "
        "whole graph (every paper, abstract and evidence sentence, through the pages and "
        "/sparql) and make it run queries up to the time limit. It stays read-only, makes no "
        "outgoing requests and answers only to Host names it knows (--allowed-host NAME adds "
        "one); put it behind a reverse proxy with TLS and access control for anything public."
    )
