"""The guard in front of every route of ``kg serve``: ASGI middleware that refuses foreign
Host headers (DNS rebinding), requests that could be smuggled and cross-site requests, and
adds the security headers to every response (see :mod:`graph.serve.app`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For the graph view (its own meta policy allows its scripts by hash) and everything else.
FRAME_CSP = "frame-ancestors 'none'"


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Guard:
    """ASGI middleware: the Host, smuggling and cross-site checks, and security headers."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Collection[str], any_ip_host: bool):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}
        self.any_ip = any_ip_host

    def _refusal(self, scope: Scope) -> tuple[int, str, bool] | None:
        headers: dict[bytes, list[bytes]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name, []).append(value)
        if b"content-length" in headers and b"transfer-encoding" in headers:
            return 400, "a request may carry Content-Length or Transfer-Encoding, not both", True
        host_values = headers.get(b"host", [])
        if len(host_values) > 1:
            return 400, "more than one Host header", True
        if host_values:
            host = _host_name(host_values[0].decode("latin-1"))
            if (
                "*" not in self.allowed
                and host not in self.allowed
                and not (self.any_ip and _is_ip(host))
            ):
                return (
                    400,
                    f"this server does not answer to the host name {host!r} (a guard against "
                    "DNS rebinding); use the address kg serve printed, or start it with "
                    f"--allowed-host {host}",
                    False,
                )
        site = b"".join(headers.get(b"sec-fetch-site", [])).decode("latin-1").lower()
        mode = b"".join(headers.get(b"sec-fetch-mode", [])).decode("latin-1").lower()
        origin = b"".join(headers.get(b"origin", [])).decode("latin-1")
        navigation = (
            scope["method"] in ("GET", "HEAD")
            and mode == "navigate"
            and not scope["path"].startswith("/sparql")
        )
        if site in ("cross-site", "same-site") and not navigation:
            return (
                403,
                f"refused a {site} request: pages of other sites may not use this server",
                False,
            )
        if origin and not navigation and host_values:
            own = "http://" + host_values[0].decode("latin-1").lower()
            if origin.lower() != own:
                return (
                    403,
                    f"refused a request from {origin}: only this server's own pages may use it",
                    False,
                )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, message, close = refusal
            headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": FRAME_CSP}
            if close:
                headers["Connection"] = "close"
            response = PlainTextResponse(message + "\n", status, headers=headers)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", FRAME_CSP.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
