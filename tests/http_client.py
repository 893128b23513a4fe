"""A small HTTP client for tests that talk to a real dashboard server: cookies kept like a
browser keeps them, plain form posts, and Dash callbacks sent to the real
``/_dash-update-component`` endpoint the way Dash's renderer sends them (the callback found in
``/_dash-dependencies`` by one of its outputs; the page's token in ``X-CSRFToken``)."""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_COOKIE = "_csrf_token"


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    def json(self) -> object:
        return json.loads(self.text)

    def set_cookies(self) -> list[str]:
        """The raw ``Set-Cookie`` headers."""
        return self.headers.get_all("Set-Cookie") or []


class Client:
    """One browser's worth of cookies against one server."""

    def __init__(self, base: str, context: ssl.SSLContext | None = None) -> None:
        self.base = base.rstrip("/")
        self.address = urlsplit(self.base)
        self.context = context
        self.cookies: dict[str, str] = {}
        #: The callbacks, read from /_dash-dependencies on first use (or set by a test).
        #: The app's callbacks, read from /_dash-dependencies on first use (or given).
        self.known_dependencies: list[dict] | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, cookies: bool = True) -> Reply:
        if self.address.scheme == "https":
            connection = http.client.HTTPSConnection(self.address.hostname, self.address.port,
                                                     context=self.context, timeout=60)
        else:
            connection = http.client.HTTPConnection(self.address.hostname, self.address.port,
                                                    timeout=60)
        sent = dict(headers or {})
        if cookies and self.cookies:
            sent.setdefault("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.msg,
                          response.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for header in reply.set_cookies():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply

    def get(self, path: str, headers: dict[str, str] | None = None, **options) -> Reply:
        return self.request("GET", path, headers={"Accept": "text/html", **(headers or {})},
                            **options)

    def post_form(self, path: str, fields: dict[str, str],
                  headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": self.base,
            **(headers or {})})

    def token(self) -> str:
        return self.cookies.get(CSRF_COOKIE, "")

    def sign_in(self, password: str, next_path: str = "/") -> Reply:
        """Open the sign-in page (which gives the page's token) and post the password."""
        self.get("/signin")
        return self.post_form("/signin", {"password": password, "next": next_path,
                                          "csrf": self.token()})

    def dependencies(self) -> list[dict]:
        if self.known_dependencies is None:
            reply = self.request("GET", "/_dash-dependencies")
            assert reply.status == 200, reply.text
            self.known_dependencies = reply.json()
        return self.known_dependencies

    def callback(self, output: str, values: dict[str, object], changed: str,
                 headers: dict[str, str] | None = None) -> Reply:
        """Fire the callback with ``output`` ("id.property") among its outputs, as if
        ``changed`` ("id.property") had just changed; ``values`` by "id.property" (missing
        ones are None; a value the callback does not read is an error)."""
        (spec,) = [d for d in self.dependencies()
                   if output in _outputs(d["output"]) and not d.get("clientside_function")]
        outputs = [dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
                   for o in _outputs(spec["output"])]

        known = {f"{item['id']}.{item['property']}" for item in spec["inputs"] + spec["state"]}
        if unknown := sorted(set(values) - known):  # a renamed id or property: say so
            raise ValueError(f"the callback of {output} reads none of {unknown}")

        def filled(items: list[dict]) -> list[dict]:
            return [{**item, "value": values.get(f"{item['id']}.{item['property']}")}
                    for item in items]

        body = {"output": spec["output"],
                "outputs": outputs if spec["output"].startswith("..") else outputs[0],
                "inputs": filled(spec["inputs"]), "state": filled(spec["state"]),
                "changedPropIds": [changed]}
        return self.request("POST", "/_dash-update-component",
                            json.dumps(body).encode(), {
                                "Content-Type": "application/json", "Origin": self.base,
                                "X-CSRFToken": self.token(), **(headers or {})})


def _outputs(output: str) -> list[str]:
    """"a.b" or "..a.b...c.d.." -> ["a.b", "c.d"] (allow_duplicate's "@hash" kept)."""
    return output.strip(".").split("...") if output.startswith("..") else [output]
