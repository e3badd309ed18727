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
from typing import TYPE_CHECKING, NoReturn

from termforum import __version__
from termforum.errors import ConfigError, TermforumError

if TYPE_CHECKING:
    from termforum.auth import Credentials
    from termforum.config import Config, ForumConfig
    from termforum.service import ForumService

__all__ = ["main"]

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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run termforum with ``argv`` (default: the process arguments); return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo-server":
            return _demo_server(args)
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
    return serve_forever(args.host, args.port, args.data)


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


def _choose_forum(args: argparse.Namespace, config: Config) -> ForumConfig:
    from termforum.config import forum_from_url

    wanted = args.forum or config.default_forum
    if wanted is None and len(config.forums) == 1:
        wanted = next(iter(config.forums))
    if wanted is None:
        raise ConfigError(
            "No forum chosen: try 'termforum --demo', 'termforum --forum https://meta.discourse.org',"
            " or add a [forums.NAME] table to your config file."
        )
    if wanted in config.forums:
        return config.forums[wanted]
    if "://" in wanted or "." in wanted:
        return forum_from_url(wanted)
    known = ", ".join(sorted(config.forums)) or "none configured"
    raise ConfigError(f'No forum named "{wanted}" in the config file (known: {known}).')


def _check_keymap(keymap: dict[str, str]) -> None:
    import difflib

    from termforum.ui.bindings import binding_ids

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


def _open_service(
    forum: ForumConfig, config: Config, credentials: Credentials | None = None
) -> ForumService:
    from termforum.backends import create_backend
    from termforum.net import Timeouts, make_client
    from termforum.service import ForumService

    timeouts = Timeouts(connect=config.network.connect_timeout, read=config.network.read_timeout)
    http = make_client(forum.url, timeouts=timeouts)
    backend = create_backend(forum.backend, forum.url, http=http, credentials=credentials)
    return ForumService(forum.name, forum.url, backend)


def _run_tui(args: argparse.Namespace) -> int:
    from termforum.config import ForumConfig, load_config

    config = load_config(args.config)
    _check_keymap(config.keymap)
    server = None
    credentials = None
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
    else:
        forum = _choose_forum(args, config)
    try:
        from termforum.ui.app import TermforumApp

        service = _open_service(forum, config, credentials)
        app = TermforumApp(service, theme=config.theme, keymap=config.keymap)
        result = app.run(mouse=config.mouse)
    finally:
        if server is not None:
            server.stop()
    if app.return_code == EXIT_USAGE and result:
        print(f"termforum: {result}", file=sys.stderr)
    return app.return_code or 0
