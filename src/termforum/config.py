"""The user's ``config.toml``: read with stdlib ``tomllib``, validated into frozen dataclasses.

termforum only ever *reads* this file (app-written state lives in ``state.toml``, see
``termforum.state``). Its location comes from ``termforum.paths.app_paths().config_file``,
which honours ``TERMFORUM_CONFIG`` and ``TERMFORUM_HOME``.

Every problem is reported as a ``ConfigError`` carrying one sentence that names the file, the
line when it is known, the dotted key (``forums.work.url``) and what is wrong, e.g.::

    ~/.config/termforum/config.toml line 4: unknown key "forums.work.ulr"; did you mean "url"?

The field docstrings below are the documentation of every key; ``config.example.toml`` at the
root of the repository shows them all, and a test checks it against ``CONFIG_KEYS``. This
module never imports Textual or Rich: the UI validates the theme name and the keymap's binding
ids itself (``config_error`` builds its messages in the same style).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import textwrap
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from termforum.backends import BACKEND_KINDS
from termforum.errors import ConfigError
from termforum.paths import app_paths

__all__ = [
    "AUTH_MODES",
    "CONFIG_KEYS",
    "Config",
    "ForumConfig",
    "NetworkConfig",
    "config_error",
    "config_key_docs",
    "forum_from_url",
    "load_config",
    "validate_config",
]

AUTH_MODES: tuple[str, ...] = ("auto", "anonymous", "user_api_key", "api_key")
"""How termforum may authenticate to a forum (the value of ``forums.NAME.auth``)."""
CREDENTIAL_STORES: tuple[str, ...] = ("auto", "keyring", "file")
"""Where ``termforum login`` keeps keys (the value of ``credential_store``)."""

_NOT_IN_FILE = {"in_file": False}
"""Field metadata for dataclass fields that are not keys of ``config.toml``."""

_EXAMPLE_URL = "https://meta.discourse.org"


@dataclass(frozen=True, slots=True)
class ForumConfig:
    """One forum, from a ``[forums.NAME]`` table (or from ``--forum URL``)."""

    name: str = field(metadata=_NOT_IN_FILE)
    """The forum's name: the ``NAME`` of its ``[forums.NAME]`` table (not a key of its own)."""
    url: str
    """Required. The forum's base address, an absolute ``http://`` or ``https://`` URL with a
    host, such as ``"https://meta.discourse.org"`` (a trailing slash is removed). A forum served
    from a sub-folder keeps its path: ``"https://example.org/forum"``."""
    backend: str = "discourse"
    """Which forum software the site runs. Default ``"discourse"``; the only kind so far."""
    username: str | None = None
    """Optional. Your user name on this forum, shown in the header; unset by default.
    It is only displayed: the account you act as is the one ``termforum login`` stored."""
    auth: str = "auto"
    """How to authenticate: ``"auto"`` (default: whatever ``termforum login`` stored for this
    forum, else anonymous), ``"anonymous"`` (read-only, even when a key is stored),
    ``"user_api_key"`` (a per-user key from ``termforum login``, the usual way) or ``"api_key"``
    (an admin API key plus user name, for people who run the forum; ``termforum login`` asks
    for it). The credentials themselves are never written here: they live in the credential
    store."""
    rate_limits: str | None = None
    """Optional. The forum's request limits, such as ``"20/min, 2880/day"``, when its admins
    changed Discourse's defaults; they apply whatever the credentials. Unset (default):
    Discourse's defaults for the credentials in use (a user API key 20 a minute and 2,880 a
    day, an admin key 60 a minute, anonymous 50 per 10 s and 200 a minute). termforum paces
    its requests to stay under them."""


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    """How termforum talks to forums over the network (the ``[network]`` table)."""

    connect_timeout: float = 5.0
    """Seconds to wait for a connection to a forum before giving up. A positive number;
    default 5."""
    read_timeout: float = 20.0
    """Seconds to wait for a forum's answer once connected. A positive number; default 20.
    Raise it on a slow link (a long SSH hop, a busy forum)."""


@dataclass(frozen=True, slots=True)
class Config:
    """The whole of ``config.toml``; ``Config()`` is what a missing file means."""

    default_forum: str | None = None
    """The forum opened at start-up when no ``--forum`` is given: the ``NAME`` of one of the
    ``[forums.NAME]`` tables. Unset by default, which means the first forum in the file."""
    theme: str = "textual-dark"
    """The colour theme, by name: termforum's own ``"termforum-dark"``, ``"termforum-light"``,
    ``"termforum-ansi"`` (only the terminal's 16 ANSI colours, for SSH and 16-colour
    terminals) and ``"termforum-mono"`` (no colour), or any Textual theme, such as
    ``"textual-dark"`` (default), ``"textual-light"``, ``"nord"``, ``"gruvbox"``,
    ``"dracula"``, ``"ansi-dark"``. "Change theme" in the command palette (ctrl+p) lists them
    all and switches at run time; that choice is remembered in ``state.toml`` until this key
    names another theme. ``NO_COLOR`` (non-empty) turns colour off whatever the theme
    (termforum-mono is used)."""
    mouse: bool = True
    """Whether termforum captures the mouse (clicks and scrolling). Default ``true``; set
    ``false`` to keep your terminal's own mouse selection (mouse reporting is never turned
    on)."""
    forums: dict[str, ForumConfig] = field(default_factory=dict)
    """The forums you read, one ``[forums.NAME]`` table each, in the order of the file."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key remaps, from the ``[keymap]`` table: binding id → comma-separated keys, such as
    ``cursor_down = "j,down"``. Empty by default (the built-in keys). The ids are checked by
    the UI: ``termforum --help-keys`` and the ``?`` screen list every one."""
    network: NetworkConfig = field(default_factory=NetworkConfig)
    """Time-outs for talking to forums, from the ``[network]`` table."""
    credential_store: str = "auto"
    """Where ``termforum login`` keeps forum keys: ``"auto"`` (default: the OS keyring when one
    answers, else a private file with a warning), ``"keyring"`` (the keyring only; an error when
    there is none) or ``"file"`` (``credentials.toml`` in termforum's data folder, mode 0600;
    for headless machines without a keyring)."""
    source: Path | None = field(default=None, metadata=_NOT_IN_FILE, compare=False)
    """The file this configuration was read from; None when it is the built-in defaults."""

    @property
    def initial_forum(self) -> ForumConfig | None:
        """The forum to open first: ``default_forum``, else the first forum, else None."""
        if self.default_forum is not None:
            return self.forums.get(self.default_forum)
        return next(iter(self.forums.values()), None)


def _in_file(f: Any) -> bool:
    return f.metadata.get("in_file", True)


def _file_keys(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if _in_file(f))


_TOP_KEYS = _file_keys(Config)
_FORUM_KEYS = _file_keys(ForumConfig)
_NETWORK_KEYS = _file_keys(NetworkConfig)


def _all_keys() -> tuple[str, ...]:
    keys: list[str] = []
    for name in _TOP_KEYS:
        if name == "forums":
            keys += [f"forums.NAME.{key}" for key in _FORUM_KEYS]
        elif name == "network":
            keys += [f"network.{key}" for key in _NETWORK_KEYS]
        elif name == "keymap":
            keys.append("keymap.BINDING_ID")
        else:
            keys.append(name)
    return tuple(keys)


CONFIG_KEYS: tuple[str, ...] = _all_keys()
"""Every key ``config.toml`` may hold, dotted; ``NAME`` and ``BINDING_ID`` stand for any name.
``config_key_docs()`` gives the documentation of each."""


def _attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings written under a class's annotated attributes (empty without source)."""
    import ast  # only needed for documentation: kept off the start-up path
    import inspect

    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    body = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


@functools.cache
def config_key_docs() -> dict[str, str]:
    """Each of ``CONFIG_KEYS`` with its documentation (the field's docstring)."""
    top, forum, network = (_attribute_docs(c) for c in (Config, ForumConfig, NetworkConfig))
    docs: dict[str, str] = {}
    for key in CONFIG_KEYS:
        head, _, last = key.rpartition(".")
        if head == "forums.NAME":
            docs[key] = forum.get(last, "")
        elif head == "network":
            docs[key] = network.get(last, "")
        else:
            docs[key] = top.get(head or last, "")
    return docs


# --- Loading ---------------------------------------------------------------------------------


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; stop at the first problem with a ``ConfigError``.

    ``path=None`` means the default file (``app_paths().config_file``): when it does not exist
    the defaults are used. A file named explicitly, by ``path`` or by ``TERMFORUM_CONFIG``,
    must exist.
    """
    file, text = _read(path)
    if text is None:
        return Config()
    builder = _Builder(file, text, collect=False)
    return builder.build(_parse(file, text))


def validate_config(path: Path | None = None) -> list[str]:
    """Every problem of the config file, one sentence each; an empty list means it is valid."""
    try:
        file, text = _read(path)
        if text is None:
            return []
        data = _parse(file, text)
    except ConfigError as error:
        return [error.message]
    builder = _Builder(file, text, collect=True)
    builder.build(data)
    return builder.problems


def forum_from_url(url: str) -> ForumConfig:
    """An ad-hoc Discourse forum for ``--forum URL``, named after its host[:port]; it uses the
    key ``termforum login URL`` stored, if any (``auth = "auto"``)."""
    normalised, reason = _check_url(url)
    if normalised is None:
        subject = "The URL" if reason == _CREDENTIAL_IN_URL else _quote(url)
        raise ConfigError(f"{subject} is not a usable forum URL: {reason}.")
    return ForumConfig(name=urlsplit(normalised).netloc, url=normalised)


def config_error(path: Path | None, key: str, problem: str) -> ConfigError:
    """A ``ConfigError`` for a problem found after loading (a theme or binding id the UI does
    not know), worded like the loader's: file, line of the dotted ``key``, then ``problem``."""
    if path is None:
        return ConfigError(_finish(f"configuration: {problem}"))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    parts = _split_key(key) or (key,)
    return ConfigError(_sentence(path, _KeyLocator(text).line(parts), problem))


def _read(path: Path | None) -> tuple[Path, str | None]:
    explicit = path is not None or bool(os.environ.get("TERMFORUM_CONFIG"))
    file = Path(path) if path is not None else app_paths().config_file
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{file}: the config file does not exist.") from None
        return file, None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"{file}: the config file cannot be read ({reason}).") from None
    try:
        return file, data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{file} line {line}: the file is not UTF-8 text.") from None


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _parse(file: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_POSITION.search(message)
        reason = message[: where.start()] if where else message
        reason = reason[:1].lower() + reason[1:]
        if where and where.group(1):
            prefix = f"{file} line {where.group(1)}, column {where.group(2)}"
        elif where:
            prefix = f"{file} at the end of the file"
        else:
            prefix = str(file)
        raise ConfigError(f"{prefix}: this is not valid TOML ({reason}).") from None


# --- Validation ------------------------------------------------------------------------------

_CREDENTIAL_NAMES = frozenset(
    {"key", "password", "passwd", "pass", "token", "secret", "cookie", "credentials"}
)
_CREDENTIAL_SUFFIXES = ("_key", "_token", "_secret", "_password", "_passwd")


def _looks_like_credential(key: str) -> bool:
    lowered = key.lower().replace("-", "_")
    return lowered in _CREDENTIAL_NAMES or lowered.endswith(_CREDENTIAL_SUFFIXES)


_CREDENTIAL_HINT = (
    "credentials never go in config.toml: they live in the credential store, "
    'and "termforum login" puts them there'
)


class _Builder:
    """Turns the parsed TOML into a ``Config``, reporting each problem once."""

    def __init__(self, file: Path, text: str, *, collect: bool) -> None:
        self.file = file
        self.collect = collect
        self.locator = _KeyLocator(text)
        self.problems: list[str] = []

    def problem(self, parts: tuple[str, ...], what: str) -> None:
        message = _sentence(self.file, self.locator.line(parts), what)
        if not self.collect:
            raise ConfigError(message)
        self.problems.append(message)

    def build(self, data: dict[str, Any]) -> Config:
        self.check_keys(data, (), _TOP_KEYS)
        defaults = Config()
        forums, broken = self.forums(data)
        default_forum = self.optional_str(data, ("default_forum",))
        if default_forum is not None and default_forum not in (*forums, *broken):
            self.problem(("default_forum",), _unknown_forum(default_forum, [*forums, *broken]))
            default_forum = None
        theme = self.string(data, ("theme",), defaults.theme, "a theme name")
        if not theme.strip():
            self.problem(
                ("theme",), f'"theme" is empty; name a Textual theme, such as "{defaults.theme}"'
            )
            theme = defaults.theme
        return Config(
            default_forum=default_forum,
            theme=theme,
            mouse=self.boolean(data, ("mouse",), defaults.mouse),
            forums=forums,
            keymap=self.keymap(data),
            network=self.network(data),
            credential_store=self.choice(
                data, ("credential_store",), defaults.credential_store, CREDENTIAL_STORES
            ),
            source=self.file,
        )

    # Tables --------------------------------------------------------------------------------

    def table(self, data: dict[str, Any], parts: tuple[str, ...], shape: str) -> dict[str, Any]:
        value = data.get(parts[-1], {})
        if isinstance(value, dict):
            return value
        self.problem(parts, _wrong_type(parts, shape, value))
        return {}

    def check_keys(
        self, table: dict[str, Any], at: tuple[str, ...], allowed: tuple[str, ...]
    ) -> None:
        for key in table:
            if key in allowed:
                continue
            dotted = _dotted((*at, key))
            if _looks_like_credential(key):
                self.problem(
                    (*at, key), f'"{dotted}" looks like a credential, and {_CREDENTIAL_HINT}'
                )
                continue
            close = _close_matches(key, allowed, n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"valid keys here: {_names(allowed)}"
            self.problem((*at, key), f'unknown key "{dotted}"; {hint}')

    def forums(self, data: dict[str, Any]) -> tuple[dict[str, ForumConfig], set[str]]:
        """The valid forums, and the names of the invalid ones (not to be reported twice)."""
        forums: dict[str, ForumConfig] = {}
        broken: set[str] = set()
        table = self.table(data, ("forums",), "a table of [forums.NAME] tables")
        for name, value in table.items():
            at = ("forums", name)
            if not isinstance(value, dict):
                shape = "a [forums.NAME] table holding the forum's url"
                self.problem(at, _wrong_type(at, shape, value))
                broken.add(name)
            elif not name.strip():
                self.problem(at, "a forum name is empty; name each forum, as in [forums.work]")
                broken.add(name)
            elif (forum := self.forum(name, value)) is None:
                broken.add(name)
            else:
                forums[name] = forum
        return forums, broken

    def forum(self, name: str, table: dict[str, Any]) -> ForumConfig | None:
        at = ("forums", name)
        count = len(self.problems)
        self.check_keys(table, at, _FORUM_KEYS)
        url: str | None = None
        if "url" not in table:
            self.problem(
                at,
                f'missing key "{_dotted((*at, "url"))}": every forum needs its address, '
                f'such as url = "{_EXAMPLE_URL}"',
            )
        elif (raw := self.optional_str(table, (*at, "url"), "a URL")) is not None:
            url, reason = _check_url(raw)
            if url is None:
                self.problem(
                    (*at, "url"), f'"{_dotted((*at, "url"))}" is not a usable forum URL: {reason}'
                )
        defaults = ForumConfig(name=name, url="")
        backend = self.choice(table, (*at, "backend"), defaults.backend, BACKEND_KINDS)
        auth = self.choice(table, (*at, "auth"), defaults.auth, AUTH_MODES)
        username = self.optional_str(table, (*at, "username"))
        rate_limits = self.rate_limits(table, (*at, "rate_limits"))
        if url is None or len(self.problems) > count:
            return None
        return ForumConfig(
            name=name,
            url=url,
            backend=backend,
            username=username,
            auth=auth,
            rate_limits=rate_limits,
        )

    def rate_limits(self, table: dict[str, Any], parts: tuple[str, ...]) -> str | None:
        value = self.optional_str(table, parts, 'rate limits such as "20/min, 2880/day"')
        if value is None:
            return None
        from termforum.netpolicy import parse_rate_limits

        try:
            parse_rate_limits(value)
        except ValueError as exc:
            self.problem(parts, f'"{_dotted(parts)}" is not usable: {exc}')
            return None
        return value

    def keymap(self, data: dict[str, Any]) -> dict[str, str]:
        keymap: dict[str, str] = {}
        table = self.table(data, ("keymap",), "a table of binding id = keys")
        for binding, value in table.items():
            at = ("keymap", binding)
            dotted = _dotted(at)
            if not isinstance(value, str):
                self.problem(at, _wrong_type(at, 'a string of keys, such as "j,down"', value))
                continue
            keys = [key.strip() for key in value.split(",")]
            if not any(keys):
                self.problem(at, f'"{dotted}" is empty; give one or more keys, such as "j,down"')
            elif not all(keys):
                self.problem(at, f'"{dotted}" has an empty key between commas ({_quote(value)})')
            else:
                keymap[binding] = ",".join(keys)
        return keymap

    def network(self, data: dict[str, Any]) -> NetworkConfig:
        table = self.table(data, ("network",), "a table")
        self.check_keys(table, ("network",), _NETWORK_KEYS)
        defaults = NetworkConfig()
        return NetworkConfig(
            connect_timeout=self.seconds(
                table, ("network", "connect_timeout"), defaults.connect_timeout
            ),
            read_timeout=self.seconds(table, ("network", "read_timeout"), defaults.read_timeout),
        )

    # Values --------------------------------------------------------------------------------

    def string(
        self, table: dict[str, Any], parts: tuple[str, ...], default: str, shape: str
    ) -> str:
        value = table.get(parts[-1], default)
        if isinstance(value, str):
            return value
        self.problem(parts, _wrong_type(parts, f"a string ({shape})", value))
        return default

    def optional_str(
        self, table: dict[str, Any], parts: tuple[str, ...], shape: str = "text"
    ) -> str | None:
        value = table.get(parts[-1])
        if value is None or isinstance(value, str):
            return value
        self.problem(parts, _wrong_type(parts, f"a string ({shape})", value))
        return None

    def boolean(self, table: dict[str, Any], parts: tuple[str, ...], default: bool) -> bool:
        value = table.get(parts[-1], default)
        if isinstance(value, bool):
            return value
        self.problem(parts, _wrong_type(parts, "a boolean (true or false)", value))
        return default

    def seconds(self, table: dict[str, Any], parts: tuple[str, ...], default: float) -> float:
        value = table.get(parts[-1], default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(parts, _wrong_type(parts, "a number of seconds", value))
            return default
        if not (math.isfinite(value) and value > 0):
            self.problem(
                parts, f'"{_dotted(parts)}" must be a positive number of seconds, not {value}'
            )
            return default
        return float(value)

    def choice(
        self, table: dict[str, Any], parts: tuple[str, ...], default: str, allowed: tuple[str, ...]
    ) -> str:
        value = self.string(table, parts, default, f"one of {_names(allowed)}")
        if value in allowed:
            return value
        close = _close_matches(value, allowed, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        self.problem(
            parts, f'"{_dotted(parts)}" must be one of {_names(allowed)}, not {_quote(value)}{hint}'
        )
        return default


def _unknown_forum(name: str, known: list[str]) -> str:
    if not known:
        return (
            f'"default_forum" names the forum {_quote(name)}, but no forum is configured; '
            "add a [forums.NAME] table"
        )
    close = _close_matches(name, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return (
        f'"default_forum" names the forum {_quote(name)}, which is not configured '
        f"(known forums: {_names(known)}){hint}"
    )


# --- URLs ------------------------------------------------------------------------------------

_CREDENTIAL_IN_URL = (
    "it contains a user name or password, and credentials never go in a URL: "
    '"termforum login" puts them in the credential store'
)


def _check_url(url: str) -> tuple[str | None, str]:
    """``(normalised URL, "")`` for a usable forum URL, else ``(None, reason)``."""
    if not url.strip():
        return None, f'it is empty; give the forum\'s address, such as "{_EXAMPLE_URL}"'
    if any(char.isspace() or ord(char) < 32 for char in url):
        return None, "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsed only to reject a bad port
    except ValueError:
        return None, "it is not a well-formed URL (check the host and port)"
    scheme = parts.scheme.lower()
    if parts.username is not None or parts.password is not None:
        return None, _CREDENTIAL_IN_URL
    if scheme not in ("http", "https"):
        if not scheme or not parts.netloc:
            guess = f"https://{url.removeprefix('//')}" if "://" not in url else _EXAMPLE_URL
            guess = guess.rstrip("/")
            return None, f'it must start with http:// or https://, as in "{guess}"'
        return None, f'it uses "{scheme}:" but only http:// and https:// are supported'
    if not parts.hostname:
        return None, "it has no host name"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return (
            None,
            f'it has a query or fragment; give the forum\'s base address, such as "{_EXAMPLE_URL}"',
        )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, parts.netloc.lower(), path, "", "")), ""


# --- Messages and key locations --------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _dotted(parts: tuple[str, ...]) -> str:
    return ".".join(p if _BARE_KEY.fullmatch(p) else json.dumps(p) for p in parts)


def _quote(value: str, limit: int = 60) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def _names(names: Any) -> str:
    return ", ".join(_quote(str(name)) for name in names)


def _describe(value: Any) -> str:
    """A TOML value as a user would name it: ``the string "yes"``, ``a table``."""
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_quote(value)}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__} value"


def _wrong_type(parts: tuple[str, ...], expected: str, found: Any) -> str:
    return f'"{_dotted(parts)}" should be {expected}, but it is {_describe(found)}'


def _finish(message: str) -> str:
    return message if message.endswith((".", "?", "!")) else message + "."


def _sentence(file: Path, line: int | None, what: str) -> str:
    where = f"{file} line {line}" if line is not None else str(file)
    return _finish(f"{where}: {what}")


_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")
_HEADER = re.compile(r"^\[\[?(.*?)\]\]?\s*(?:#.*)?$")


def _scan_key(text: str, pos: int = 0) -> tuple[tuple[str, ...], int] | None:
    """Read a dotted TOML key at ``pos``: its parts and the position after it."""
    parts: list[str] = []
    while match := _KEY_PART.match(text, pos):
        bare, basic, literal = match.groups()
        if basic is not None:
            with contextlib.suppress(tomllib.TOMLDecodeError):
                basic = tomllib.loads(f'k = "{basic}"')["k"]
        parts.append(next(p for p in (bare, basic, literal) if p is not None))
        pos = match.end()
        if pos >= len(text) or text[pos] != ".":
            return tuple(parts), pos
        pos += 1
    return None


def _split_key(text: str) -> tuple[str, ...] | None:
    scanned = _scan_key(text)
    return scanned[0] if scanned and scanned[1] == len(text) else None


class _KeyLocator:
    """Finds the line where a dotted key (or table) is written, by scanning the file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.index: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        open_string: str | None = None
        for number, raw in enumerate(self.lines, 1):
            line = raw.strip()
            if open_string is not None:
                if line.count(open_string) % 2:
                    open_string = None
                continue
            if not line or line.startswith("#"):
                continue
            if (header := _HEADER.match(line)) and (parts := _split_key(header.group(1))):
                table = parts
                self._record(parts, number)
                continue
            scanned = _scan_key(line)
            if scanned is None or not line[scanned[1] :].startswith("="):
                continue
            self._record(table + scanned[0], number)
            rest = line[scanned[1] + 1 :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    open_string = quotes

    def _record(self, parts: tuple[str, ...], number: int) -> None:
        for end in range(1, len(parts) + 1):
            self.index.setdefault(parts[:end], number)

    def line(self, parts: tuple[str, ...]) -> int | None:
        """The 1-based line of ``parts``; for a key inside an inline table, its first mention
        after its nearest known parent; None when it cannot be found."""
        if parts in self.index:
            return self.index[parts]
        start = 1
        for end in range(len(parts) - 1, 0, -1):
            if parts[:end] in self.index:
                start = self.index[parts[:end]]
                break
        last = parts[-1]
        spelled = [re.escape(last), re.escape(json.dumps(last)), re.escape(f"'{last}'")]
        pattern = re.compile(rf"(?:^|[\s{{,.])(?:{'|'.join(spelled)})\s*=")
        for number in range(start, len(self.lines) + 1):
            if pattern.search(self.lines[number - 1]):
                return number
        return None


def _close_matches(word: str, possibilities: object, n: int = 1) -> list[str]:
    """``difflib.get_close_matches`` (loaded only when a mistake needs a suggestion)."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n)  # type: ignore[arg-type]
