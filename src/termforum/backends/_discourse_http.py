"""Discourse HTTP answers → decoded JSON or a typed ``ForumError``.

Discourse reports errors as ``{"errors": ["..."], "error_type": "...", "extras": {...}}``
(``render_json_error``), but a proxy, the per-IP rate limiter (``text/plain``) or an HTML
error page may answer instead, so the ``Content-Type`` is checked before any ``json()``.

=========  ===================================================================
status     error
=========  ===================================================================
401, 403   ``AuthError`` (the server's message when it gives one)
404, 410   ``NotFound``
429        ``RateLimited``: ``Retry-After``, else JSON ``extras.wait_seconds``
other 4xx  ``Rejected`` with the server's ``errors[]`` message
5xx        ``ServerError``
2xx        the JSON body; not JSON or malformed → ``BadResponse``
=========  ===================================================================
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import httpx

from termforum.errors import (
    AuthError,
    BadResponse,
    ForumError,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
)
from termforum.net import parse_retry_after

MAX_MESSAGE = 300
"""Longest server message quoted in an error (characters)."""


def read_json(response: httpx.Response, what: str) -> Any:
    """The decoded JSON body of a 2xx ``response``; otherwise raise the matching error.

    ``what`` names the thing asked for ("topic 57"), for the messages.
    """
    status = response.status_code
    if 200 <= status < 300:
        return _decode(response, what)
    raise error_for_status(response, what)


def error_for_status(response: httpx.Response, what: str) -> ForumError:
    """The typed error for a non-2xx Discourse ``response``."""
    status = response.status_code
    body = _json_or_none(response)
    says = server_message(body)
    if status in (401, 403):
        return AuthError(
            says or "The forum refused access; you may need to log in, or your key was revoked.",
            status=status,
        )
    if status in (404, 410):
        return NotFound(
            f"The forum has no {what}, or you are not allowed to see it.", status=status
        )
    if status == 429:
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is None:
            wait = _wait_seconds(body)
        when = f"in {_seconds(wait)}" if wait is not None else "in a moment"
        return RateLimited(
            f"The forum is receiving too many requests from us; try again {when}.",
            retry_after=wait,
            status=status,
        )
    if 400 <= status < 500:
        return Rejected(
            says or f"The forum refused the request for {what} (HTTP {status}).", status=status
        )
    if status >= 500:
        detail = f"{says.rstrip('.')}, HTTP {status}" if says else f"HTTP {status}"
        return ServerError(
            f"The forum failed while loading {what} ({detail}); try again in a moment.",
            status=status,
        )
    return BadResponse(
        f"The forum answered {what} with an unexpected HTTP {status}.", status=status
    )


def server_message(body: object) -> str | None:
    """The human message of a Discourse error body, cleaned to one short line, if any."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list):
        text = " ".join(str(item) for item in errors if isinstance(item, str | int | float))
    elif isinstance(errors, str):
        text = errors
    elif isinstance(body.get("error"), str):
        text = body["error"]
    else:
        return None
    return clean_message(text) or None


def clean_message(text: str) -> str:
    """Whitespace collapsed, control characters dropped, cut to ``MAX_MESSAGE`` characters."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n\r")
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1].rstrip() + "…"
    return text


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _json_or_none(response: httpx.Response) -> Any:
    """The JSON body if the answer says it is JSON and it parses; else None (never raises)."""
    if not _is_json(_media_type(response)):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _decode(response: httpx.Response, what: str) -> Any:
    media_type = _media_type(response)
    if media_type and not _is_json(media_type):
        if media_type in ("text/html", "application/xhtml+xml"):
            sent = "a web page"
        elif media_type == "text/plain":
            sent = "plain text"
        else:
            sent = f"{clean_message(media_type)[:60]} content"
        raise BadResponse(
            f"The forum sent {sent} instead of data for {what}; is this a Discourse forum?",
            status=response.status_code,
        )
    try:
        return response.json()
    except ValueError as exc:
        raise BadResponse(
            f"The forum sent malformed data for {what}.", status=response.status_code
        ) from exc


def _wait_seconds(body: object) -> float | None:
    if not isinstance(body, dict):
        return None
    extras = body.get("extras")
    wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        return None
    return float(wait) if math.isfinite(wait) and wait >= 0 else None


def _seconds(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return "1 second" if whole == 1 else f"{whole} seconds"
