"""Command line: argument parsing and subcommands; the only place that decides how termforum starts.

Every expected failure (a bad argument, config or URL, an unreachable forum) ends with one
plain sentence on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from termforum import __version__
from termforum.auth import SCOPES
from termforum.errors import ConfigError, TermforumError

__all__ = ["main"]

DEMO_CACHE_KEY = "termforum:demo"
"""The demo forum's address changes at every start; its cache is filed under this name."""

EXIT_USAGE = 2
"""Exit code for anything the user can fix: arguments, config, URL, an unreachable forum."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one sentence instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}; see '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to print ``--help``)."""
    parser = _Parser(
        prog="termforum",
        description="Read and join online discussion groups (Discourse forums) in the terminal.",
        epilog=(
            "Examples: 'termforum --demo' opens the built-in demo forum; "
            "'termforum --forum https://meta.discourse.org' reads a public forum anonymously. "
            "Press ? inside termforum for every key."
        ),
    )
    parser.add_argument("--version", action="version", version=f"termforum {__version__}")
    parser.add_argument(
        "--help-keys",
        action="store_true",
        help="list every key binding with its id (for the [keymap] table) and exit",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--demo", action="store_true", help="open the built-in demo forum (no account, no network)"
    )
    where.add_argument(
        "--forum",
        metavar="NAME|URL",
        help="a forum named in the config file, or any Discourse forum's URL (read anonymously)",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help="use this config file instead of the default one (also: TERMFORUM_CONFIG)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="read only what is cached: send no request to the forum",
    )
    parser.add_argument(
        "--debug-log",
        metavar="PATH",
        type=Path,
        help="write a debug log here (requests as method, path, status and time; keys masked)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    login = commands.add_parser(
        "login",
        help="log in to a forum (no browser needed on this machine)",
        description=(
            "Log in to a Discourse forum with a User API key: termforum prints an address to "
            "open in any browser where you are logged in to the forum, and you paste back the "
            "text the forum shows. The key goes to the OS keyring or a private file."
        ),
    )
    login.add_argument("forum", metavar="NAME|URL", help="a forum named in the config, or a URL")
    login.add_argument(
        "--api-key",
        action="store_true",
        help="store an admin API key instead (for people who run the forum)",
    )
    login.add_argument(
        "--username", metavar="NAME", help="with --api-key: the user the key acts as"
    )
    login.add_argument(
        "--scopes",
        metavar="LIST",
        default=",".join(SCOPES),
        help=f"comma-separated User API key scopes (default {','.join(SCOPES)})",
    )
    browser = login.add_mutually_exclusive_group()
    browser.add_argument(
        "--browser",
        dest="browser",
        action="store_true",
        default=None,
        help="open the address in a local browser without asking",
    )
    browser.add_argument(
        "--no-browser",
        dest="browser",
        action="store_false",
        help="never offer to open a browser (the default over SSH)",
    )
    logout = commands.add_parser(
        "logout",
        help="revoke a forum's key and delete it here",
        description="Revoke the forum's key on the forum and delete it from this machine "
        "(it is deleted here even when the forum cannot be reached).",
    )
    logout.add_argument("forum", metavar="NAME|URL", help="a forum named in the config, or a URL")
    sync = commands.add_parser(
        "sync",
        help="download groups for offline reading (within the forum's request limits)",
        description=(
            "Download the topics and posts of some groups into the local cache, for reading "
            "offline. It keeps within the forum's request limits, so a large group takes a while."
        ),
    )
    sync.add_argument("forum", metavar="NAME|URL", help="a forum named in the config, or a URL")
    sync.add_argument(
        "--group",
        dest="groups",
        action="append",
        metavar="SLUG",
        help="a group to download (its slug or name; repeat for more; default: every group)",
    )
    sync.add_argument(
        "--topics",
        type=int,
        default=30,
        metavar="N",
        help="the latest N topics of each group (default 30)",
    )
    commands.add_parser(
        "accounts",
        help="list forums, your user on each, and where each key is kept",
        description="List the known forums, who you are on each and where each key is kept.",
    )
    demo = commands.add_parser(
        "demo-server",
        help="run the demo forum alone, for tests or other clients",
        description="Serve the demo forum (a Discourse-compatible API) until interrupted.",
    )
    demo.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    demo.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on (default 8765; 0 picks a free one)",
    )
    demo.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        help="keep the forum's data here (default: a temporary folder)",
    )
    demo.add_argument(
        "--key-rate-limits",
        metavar="PER_MINUTE/PER_DAY",
        help="limit each User API key like Discourse does (Discourse's defaults: 20/2880)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run termforum with ``argv`` (default: the process arguments); return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.debug_log is not None:
            from termforum.debuglog import start_debug_log

            start_debug_log(args.debug_log)
        if args.command == "demo-server":
            return _demo_server(args)
        if args.command in ("login", "logout", "accounts", "sync"):
            return _account_command(args)
        if args.help_keys:
            return _help_keys(args)
        return _run_tui(args)
    except TermforumError as error:
        print(f"termforum: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _demo_server(args: argparse.Namespace) -> int:
    from termforum.demo import serve_forever

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, not {args.port}.")
    limits = _key_rate_limits(args.key_rate_limits) if args.key_rate_limits else None
    return serve_forever(args.host, args.port, args.data, key_rate_limits=limits)


def _key_rate_limits(text: str) -> object:
    """``--key-rate-limits 20/2880`` as the demo forum's ``KeyRateLimits``."""
    from termforum.demo.faults import KeyRateLimits

    minute, _, day = text.partition("/")
    try:
        return KeyRateLimits(user_per_minute=int(minute), user_per_day=int(day or 2880))
    except ValueError:
        raise ConfigError(
            f"--key-rate-limits must be two positive numbers such as 20/2880, not {text!r}."
        ) from None


def _account_command(args: argparse.Namespace) -> int:
    from termforum.account_commands import accounts_command, login_command, logout_command
    from termforum.accounts import Accounts
    from termforum.config import load_config

    accounts = Accounts(load_config(args.config))
    if args.command == "login":
        scopes = tuple(scope.strip() for scope in args.scopes.split(",") if scope.strip())
        return login_command(
            accounts,
            args.forum,
            api_key=args.api_key,
            username=args.username,
            scopes=scopes,
            browser=args.browser,
        )
    if args.command == "logout":
        return logout_command(accounts, args.forum)
    if args.command == "sync":
        from termforum.sync import sync_command

        try:
            return sync_command(accounts, args.forum, groups=args.groups, topics=args.topics)
        finally:
            accounts.close()
    return accounts_command(accounts)


def _help_keys(args: argparse.Namespace) -> int:
    """Print every binding: id, keys after the user's keymap, description."""
    from textual.keys import format_key

    from termforum.config import load_config
    from termforum.ui.bindings import BINDING_GROUPS

    keymap = load_config(args.config).keymap
    lines = []
    for group in BINDING_GROUPS:
        lines.append(f"{group.title}:")
        for binding in group.bindings:
            keys = keymap.get(binding.id or "", binding.key)
            shown = ", ".join(format_key(key.strip()) for key in keys.split(","))
            lines.append(f"  {binding.id:<16} {shown:<22} {binding.description}")
    _print_lines(lines)
    return 0


def _print_lines(lines: list[str]) -> None:
    """Print to stdout, quietly stopping when the reader (``| head``) goes away."""
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _check_keymap(keymap: dict[str, str]) -> None:
    import difflib

    from termforum.ui.bindings import binding_ids, keymap_clashes

    ids = binding_ids()
    for binding_id in keymap:
        if binding_id not in ids:
            close = difflib.get_close_matches(binding_id, sorted(ids), n=1)
            hint = (
                f'; did you mean "{close[0]}"?'
                if close
                else "; press ? in termforum to see every id."
            )
            raise ConfigError(f'[keymap] names an unknown binding id "{binding_id}"{hint}')
    clashes = keymap_clashes(keymap)
    if clashes:
        raise ConfigError(clashes[0])


def _run_tui(args: argparse.Namespace) -> int:
    from termforum import gcpause

    gcpause.hold()  # released by the app once its first frame is drawn
    try:
        return _start_tui(args)
    finally:
        gcpause.release()


def _start_tui(args: argparse.Namespace) -> int:
    from termforum.accounts import Accounts
    from termforum.config import ForumConfig, load_config

    config = load_config(args.config)
    _check_keymap(config.keymap)
    server = None
    if args.demo:
        from termforum.auth import Credentials, Secret
        from termforum.demo import DemoServer
        from termforum.demo.app import DEMO_CLIENT_ID
        from termforum.paths import app_paths

        server = DemoServer(data_dir=app_paths().data_dir / "demo")
        forum = ForumConfig(name="demo", url=server.start())
        # The demo forum signs you in as its demo account, so writing works at once.
        username, key = server.demo_credentials()
        credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
        accounts = Accounts.single(forum, credentials, cache_key=DEMO_CACHE_KEY)
    else:
        accounts = Accounts(config)
        forum = accounts.initial(args.forum)
        credentials = accounts.credentials(forum)
    accounts.offline = args.offline
    try:
        from termforum.ui.app import TermforumApp

        service = accounts.open(forum, credentials)
        app = TermforumApp(service, theme=config.theme, keymap=config.keymap, accounts=accounts)
        result = app.run(mouse=config.mouse)
    finally:
        accounts.close()
        if server is not None:
            server.stop()
    if app.return_code == EXIT_USAGE and result:
        print(f"termforum: {result}", file=sys.stderr)
    return app.return_code or 0
