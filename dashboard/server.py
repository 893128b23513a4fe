"""Serving the web app: waitress over HTTP, cheroot with Python's ssl module over HTTPS.

Both are pure-Python production WSGI servers (no compiler needed; waitress by the Pylons
project, cheroot by CherryPy). waitress has no TLS, so a certificate and key (``--cert
--key``) switch to cheroot's builtin adapter (Python's ``ssl``, TLS 1.2 or newer). Both refuse
request bodies over the app's upload cap before the app sees them. Light at import time: the
command line imports this module to check addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

#: Requests served at once (Dash asks for several things per page).
THREADS = 8
#: Addresses that listen on every interface of this computer.
WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    """Whether a host name or address (no port) is this computer's loopback only."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(host: str) -> str:
    """The name or address in a Host header, without the port (and IPv6 brackets)."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def lan_address() -> str | None:
    """This computer's address on its local network (the one its default route uses), None
    when it has none. Connecting a UDP socket sends no packet."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never answered, never sent to
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def urls(host: str, port: int, scheme: str) -> list[str]:
    """Where to open a server listening on ``host``: the local-network address first when it
    listens on every interface, then this computer's own."""
    if host in WILDCARDS:
        lan = lan_address()
        return [f"{scheme}://{lan}:{port}"] * bool(lan) + [f"{scheme}://127.0.0.1:{port}"]
    shown = f"[{host}]" if ":" in host else host
    return [f"{scheme}://{shown}:{port}"]


@dataclass
class Server:
    """A bound server: ``run`` serves until ``close`` (or Ctrl+C)."""

    scheme: str
    port: int
    run: Callable[[], None]
    close: Callable[[], None]


def make_server(wsgi_app, host: str, port: int, max_body: int, cert: str | None = None,
                key: str | None = None) -> Server:
    """Bind ``host:port`` (0: any free port) for ``wsgi_app``; HTTPS with ``cert`` and
    ``key`` (PEM files). Raises OSError when the address cannot be used, ssl.SSLError (an
    OSError) for an unusable certificate or key."""
    if cert is None:
        from waitress.server import create_server

        served = create_server(wsgi_app, host=host, port=port, threads=THREADS,
                               max_request_body_size=max_body,
                               clear_untrusted_proxy_headers=True, ident="strideload")
        # types-waitress leaves out effective_port (set when the socket is bound)
        return Server("http", served.effective_port,  # type: ignore[union-attr]
                      served.run, served.close)
    from cheroot.ssl.builtin import BuiltinSSLAdapter
    from cheroot.wsgi import Server as CherootServer

    adapter = BuiltinSSLAdapter(cert, key)
    secure = CherootServer((host, port), wsgi_app, numthreads=THREADS,
                           server_name="strideload")
    secure.max_request_body_size = max_body
    secure.ssl_adapter = adapter
    secure.prepare()
    return Server("https", secure.bind_addr[1], secure.serve, secure.stop)
