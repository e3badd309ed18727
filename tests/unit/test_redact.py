"""Keys are masked in every output: scrubbed text, log records, streams, the debug log."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import httpx
import pytest

from termforum.auth import Credentials, Secret
from termforum.debuglog import start_debug_log
from termforum.net import CredentialsAuth, make_client
from termforum.redact import MASK, ScrubbingWriter, SecretFilter, forget_secret, scrub

KEY = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa"


def test_a_secret_is_masked_once_it_exists() -> None:
    value = "never-seen-before-value-123"
    assert scrub(f"x {value} y") == f"x {value} y"

    Secret(value)

    assert scrub(f"x {value} y") == f"x {MASK} y"
    forget_secret(value)
    assert scrub(value) == value


def test_short_values_are_not_masked_everywhere() -> None:
    Secret("abc")

    assert scrub("abc abc") == "abc abc"


def test_a_secret_containing_another_is_masked_whole() -> None:
    Secret("inner-secret-1")
    Secret("outer-inner-secret-1-tail")

    assert scrub("outer-inner-secret-1-tail") == MASK


def test_filter_masks_arguments_and_exception_text(caplog: pytest.LogCaptureFixture) -> None:
    Secret(KEY)
    logger = logging.getLogger("termforum.test_redact")
    handler_stream = io.StringIO()
    handler = logging.StreamHandler(handler_stream)
    handler.addFilter(SecretFilter())
    logger.addHandler(handler)
    try:
        logger.error("headers %s", {"User-Api-Key": KEY})
        try:
            raise RuntimeError(f"echoed {KEY}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)

    written = handler_stream.getvalue()
    assert KEY not in written
    assert "'User-Api-Key': '***'" in written
    assert "RuntimeError: echoed ***" in written


def test_writer_masks_a_secret_split_across_writes() -> None:
    Secret(KEY)
    target = io.StringIO()
    writer = ScrubbingWriter(target)

    writer.write("key=" + KEY[:10])
    writer.write(KEY[10:] + " end\nnext ")
    writer.flush()

    assert target.getvalue() == "key=*** end\nnext "


async def test_debug_log_shows_method_path_status_and_time_but_never_the_key(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "debug.log"
    handler = start_debug_log(log_file)
    credentials = Credentials("user_api_key", Secret(KEY), "ada", "cid")

    def forum(request: httpx.Request) -> httpx.Response:
        logging.getLogger("termforum.test").debug("server saw %s", dict(request.headers))
        return httpx.Response(200, json={"ok": True})

    try:
        async with make_client(
            "https://forum.example.org", transport=httpx.MockTransport(forum)
        ) as client:
            request = client.build_request("GET", "https://forum.example.org/latest.json")
            await client.send(request, auth=CredentialsAuth(credentials))
    finally:
        for name in ("termforum", "httpx"):
            logging.getLogger(name).removeHandler(handler)
        handler.close()

    text = log_file.read_text()
    assert "GET /latest.json -> 200 in" in text
    assert "user-api-key" in text  # the header name may be logged ...
    assert KEY not in text  # ... its value never
    assert log_file.stat().st_mode & 0o777 == 0o600


def test_credentials_auth_repr_names_only_the_kind() -> None:
    auth = CredentialsAuth(Credentials("user_api_key", Secret(KEY), "ada"))

    assert repr(auth) == "CredentialsAuth(user_api_key)"
