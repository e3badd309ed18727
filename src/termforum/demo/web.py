"""Minimal HTTP plumbing for the demo's plain ASGI app: requests, responses, routing.

No web framework: a :class:`Router` maps ``(method, path regex)`` to handler names, a
:class:`Request` is parsed from the ASGI scope, and a :class:`Response` knows how to send
itself. JSON responses use Discourse's headers (``Content-Type: application/json;
charset=utf-8``, ``Cache-Control: no-cache, no-store``) and errors use Discourse's shape
``{"errors": [...], "error_type": "..."}``.

Request parameters are read the way Rails reads them (:meth:`Request.params_dict`): the
query string and a JSON, form-encoded or multipart body, merged, with ``a[]=1`` as a list
and ``a[b]=1`` as a nested object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

__all__ = [
    "JSON_TYPE",
    "NOT_FOUND_MESSAGE",
    "BadParams",
    "Request",
    "Response",
    "Route",
    "Router",
    "error",
    "not_found",
    "rails_params",
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

JSON_TYPE = "application/json; charset=utf-8"
NOT_FOUND_MESSAGE = "The requested URL or resource could not be found."
MAX_BODY_BYTES = 1 << 20
_PARAM_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)\Z")


class BadParams(ValueError):
    """A request body that cannot be read as parameters (answer 400)."""


def rails_params(
    pairs: Iterable[tuple[str, Any]], into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Rails-style parameters from ``(name, value)`` pairs: ``a[]`` lists, ``a[b]`` objects.

    Later values win (``a=1&a=2`` gives ``"2"``), as in Rails. Names that are not of that
    form are kept as they are.
    """
    params: dict[str, Any] = {} if into is None else into
    for name, value in pairs:
        match = _PARAM_KEY.match(name)
        if match is None:
            params[name] = value
            continue
        keys = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node: Any = params
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            following = None if last else keys[i + 1]
            if key == "":
                if not isinstance(node, list):
                    break
                if last:
                    node.append(value)
                else:
                    node.append({} if following != "" else [])
                    node = node[-1]
                continue
            if not isinstance(node, dict):
                break
            if last:
                node[key] = value
            else:
                wanted: type = list if following == "" else dict
                if not isinstance(node.get(key), wanted):
                    node[key] = wanted()
                node = node[key]
    return params


@dataclass(slots=True)
class Request:
    """One HTTP request, as the handlers see it."""

    method: str
    path: str
    """The path without a trailing ``.json``."""
    query: list[tuple[str, str]]
    headers: dict[str, str]
    """Lower-case header names; repeated headers joined with ``, ``."""
    client: str
    wants_json: bool
    """The path ended in ``.json`` or the ``Accept`` header asks for JSON."""
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    """Named groups of the matched route."""
    base_url: str = "http://localhost"
    """``scheme://host[:port]`` as the client addressed the server."""
    auth: Any = None
    """Who the request speaks for (set by the app: a :class:`termforum.demo.auth.Identity`)."""

    @classmethod
    def from_scope(cls, scope: Scope, body: bytes = b"") -> Request:
        """Parse an ASGI ``http`` scope."""
        raw_path: str = scope.get("path") or "/"
        headers: dict[str, str] = {}
        for name, value in scope.get("headers") or ():
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        json_suffix = raw_path.endswith(".json")
        path = raw_path[: -len(".json")] if json_suffix else raw_path
        if len(path) > 1:
            path = path.rstrip("/") or "/"
        accept = headers.get("accept", "")
        query_string: bytes = scope.get("query_string") or b""
        query = parse_qsl(
            query_string.decode("latin-1"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="replace",
        )
        client = scope.get("client")
        server = scope.get("server")
        host = headers.get("host") or (f"{server[0]}:{server[1]}" if server else "localhost")
        return cls(
            method=scope.get("method", "GET").upper(),
            path=path,
            query=query,
            headers=headers,
            client=str(client[0]) if client else "unknown",
            wants_json=json_suffix or "application/json" in accept,
            body=body,
            base_url=f"{scope.get('scheme') or 'http'}://{host}",
        )

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of a query parameter (Rails keeps the last one)."""
        value = default
        for key, val in self.query:
            if key == name:
                value = val
        return value

    def args(self, name: str) -> list[str]:
        """Every value of a repeated query parameter, e.g. ``post_ids[]``."""
        return [val for key, val in self.query if key == name]

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter; ``default`` when absent or not a number."""
        value = self.arg(name)
        try:
            return int(value) if value not in (None, "") else default
        except ValueError:
            return default

    def json_body(self) -> Any:
        """The request body parsed as JSON (``ValueError`` when it is not JSON)."""
        return json.loads(self.body.decode("utf-8") or "null")

    def params_dict(self) -> dict[str, Any]:
        """Every parameter, as Rails merges them: query string, then the body (JSON,
        ``application/x-www-form-urlencoded`` or ``multipart/form-data``).

        Raises :class:`BadParams` for a body that does not parse.
        """
        params = rails_params(self.query)
        if not self.body:
            return params
        kind = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json" or kind.endswith("+json"):
            try:
                data = self.json_body()
            except ValueError:
                raise BadParams("the body is not valid JSON") from None
            if isinstance(data, dict):
                params.update(data)
            elif data is not None:
                raise BadParams("the JSON body must be an object")
            return params
        if kind == "multipart/form-data":
            return rails_params(self._multipart(), params)
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadParams("the form body is not UTF-8") from None
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")
        return rails_params(pairs, params)

    def _multipart(self) -> list[tuple[str, str]]:
        head = f"Content-Type: {self.headers.get('content-type', '')}\r\n\r\n".encode("latin-1")
        message = BytesParser(policy=HTTP).parsebytes(head + self.body)
        if not message.is_multipart():
            raise BadParams("the multipart body does not parse")
        pairs: list[tuple[str, str]] = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str) or part.get_filename() is not None:
                continue  # files are not taken by the demo
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            pairs.append((name, payload.decode(charset, errors="replace")))
        return pairs


_NO_PAYLOAD: Any = object()


@dataclass(slots=True)
class Response:
    """A complete response (the demo never streams).

    A JSON response keeps its payload in ``payload`` until :meth:`encode` (called at the
    latest by :meth:`send`) turns it into ``body``, so the app can still rewrite it, e.g.
    shift its timestamps (:meth:`rewrite_json`).
    """

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    payload: Any = _NO_PAYLOAD
    """A JSON payload not encoded into ``body`` yet."""

    @classmethod
    def json(
        cls, data: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        """A JSON response with Discourse's content type and cache headers."""
        return cls(
            status,
            b"",
            [("content-type", JSON_TYPE), ("cache-control", "no-cache, no-store"), *headers],
            data,
        )

    def rewrite_json(self, rewrite: Callable[[Any], Any]) -> None:
        """Replace a JSON payload not encoded yet with ``rewrite(payload)``."""
        if self.payload is not _NO_PAYLOAD:
            self.payload = rewrite(self.payload)

    def encode(self) -> bytes:
        """Encode a pending JSON payload into ``body``; return ``body``."""
        if self.payload is not _NO_PAYLOAD:
            data, self.payload = self.payload, _NO_PAYLOAD
            self.body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.body

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
        content_type: str = "text/plain; charset=utf-8",
    ) -> Response:
        """A plain-text (or other textual) response."""
        return cls(status, text.encode("utf-8"), [("content-type", content_type), *headers])

    def header(self, name: str) -> str | None:
        """The value of a header of this response, if set."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    async def send(self, send: Send, *, head: bool = False) -> None:
        """Send this response through an ASGI ``send`` callable."""
        body = self.encode()
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in self.headers]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})


def error(
    status: int,
    message: str,
    error_type: str | None = None,
    *,
    extras: dict[str, Any] | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> Response:
    """An error in Discourse's JSON shape: ``{"errors": [...], "error_type": ...}``."""
    data: dict[str, Any] = {"errors": [message]}
    if error_type:
        data["error_type"] = error_type
    if extras:
        data["extras"] = extras
    return Response.json(data, status, headers)


def not_found() -> Response:
    """Discourse's JSON 404."""
    return error(404, NOT_FOUND_MESSAGE, "not_found")


@dataclass(frozen=True, slots=True)
class Route:
    """One entry of the routing table."""

    method: str
    pattern: re.Pattern[str]
    handler: str
    """Name of the handler method on the app (``handle_<name>``)."""
    name: str
    """Discourse's controller/action, sent as ``X-Discourse-Route``."""
    kind: str = "json"
    """``json`` (content negotiated: an HTML page unless JSON is asked for), ``api``
    (always JSON: writes and other XHR endpoints), ``text`` (always plain text),
    ``html`` or ``control``."""


class Router:
    """An ordered routing table; the first matching route wins."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: str, name: str, kind: str = "json") -> None:
        """Register ``pattern`` (a regex matched against the whole path, ``.json`` removed)."""
        self.routes.append(Route(method.upper(), re.compile(pattern + r"\Z"), handler, name, kind))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its named groups for this request, or None (a 404)."""
        lookup = "GET" if method == "HEAD" else method
        for route in self.routes:
            if route.method != lookup:
                continue
            m = route.pattern.match(path)
            if m:
                return route, {k: v for k, v in m.groupdict().items() if v is not None}
        return None


async def read_body(receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
