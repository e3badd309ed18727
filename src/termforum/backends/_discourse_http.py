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

Writes use ``error_for_write``: a 401/403 without credentials says to log in, a 422 (or a
400 with ``errors``) quotes every reason the server gave, and a 5xx names the write.
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
from termforum.net import parse_retry_after, wait_seconds

MAX_MESSAGE = 300
"""Longest server message quoted in an error (characters)."""

MAX_REJECTION = 1000
"""Longest list of validation messages quoted when a write is refused (characters)."""


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
            wait = wait_seconds(body)
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


def error_for_write(
    response: httpx.Response, *, doing: str, thing: str, anonymous: bool
) -> ForumError:
    """The typed error for a non-2xx answer to a write (post, edit, like, bookmark).

    ``doing`` completes "to ...": ``"send your reply"``; ``thing`` names what was written to:
    ``"topic 57"``. Unlike reads, a 403 without credentials says to log in, and a 422 (or a
    400 with ``errors``) quotes every one of the server's reasons as it wrote them.
    """
    status = response.status_code
    body = _json_or_none(response)
    if status in (401, 403):
        if anonymous:
            return AuthError(
                f"Log in to {doing}: the forum does not accept that from a visitor without an "
                "account.",
                status=status,
            )
        says = server_message(body)
        return AuthError(
            says
            or f"The forum did not let you {doing}; your login may lack the write permission "
            "or have been revoked.",
            status=status,
        )
    if status in (404, 410):
        return NotFound(
            f"The forum has no {thing}, or you are not allowed to see it.", status=status
        )
    if status == 422 or (status == 400 and rejection_message(body)):
        return Rejected(
            rejection_message(body) or f"The forum refused to {doing} (HTTP {status}).",
            status=status,
        )
    if status >= 500:
        says = server_message(body)
        detail = f"{says.rstrip('.')}, HTTP {status}" if says else f"HTTP {status}"
        return ServerError(f"The forum failed while trying to {doing} ({detail}).", status=status)
    return error_for_status(response, thing)


def rejection_message(body: object) -> str | None:
    """Every message of a Discourse ``errors`` list, joined as plain text, or None.

    The server's words are kept as written; only control characters are dropped and runs
    of whitespace collapsed. Messages without final punctuation are joined with ``"; "``.
    """
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, str):
        errors = [errors]
    if not isinstance(errors, list):
        return server_message(body)
    parts = [clean_message(str(item)) for item in errors if isinstance(item, str | int | float)]
    parts = [part for part in parts if part]
    if not parts:
        return None
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text.endswith((".", "!", "?", "…")) else "; ") + part
    return text if len(text) <= MAX_REJECTION else text[: MAX_REJECTION - 1].rstrip() + "…"


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


def _seconds(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return "1 second" if whole == 1 else f"{whole} seconds"
