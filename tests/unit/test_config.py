"""config.toml: typed loading, one-sentence errors, the documented example, path overrides."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from termforum.config import (
    CONFIG_KEYS,
    Config,
    ForumConfig,
    NetworkConfig,
    config_error,
    config_key_docs,
    forum_from_url,
    load_config,
    validate_config,
)
from termforum.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "config"
EXAMPLE = REPO_ROOT / "config.example.toml"


def load_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_sentence(message: str) -> None:
    assert "\n" not in message
    assert message.endswith((".", "?"))


# --- The fixture files ------------------------------------------------------------------------


def test_good_file_loads_every_key() -> None:
    config = load_config(FIXTURES / "good.toml")

    assert config.default_forum == "work"
    assert config.theme == "nord"
    assert config.mouse is False
    assert list(config.forums) == ["meta", "work"]
    work = config.forums["work"]
    assert work == ForumConfig(
        name="work",
        url="https://forum.example.org/community",
        backend="discourse",
        username="ada",
        auth="user_api_key",
        rate_limits="10/min, 1000/day",
    )
    assert config.forums["meta"].auth == "auto"
    assert config.keymap == {"cursor_down": "j,down,ctrl+n", "open": "enter,o"}
    assert config.network == NetworkConfig(connect_timeout=2.5, read_timeout=60.0)
    assert isinstance(config.network.read_timeout, float)
    assert config.source == FIXTURES / "good.toml"
    assert config.initial_forum is work
    assert validate_config(FIXTURES / "good.toml") == []


def test_good_file_sets_every_documented_key_away_from_its_default() -> None:
    config = load_config(FIXTURES / "good.toml")
    defaults = Config()
    for field in dataclasses.fields(Config):
        if field.name != "source":
            assert getattr(config, field.name) != getattr(defaults, field.name), field.name
    seen = {key for forum in config.forums.values() for key in _non_default_forum_keys(forum)}
    assert seen == {"url", "username", "auth", "rate_limits"}


def _non_default_forum_keys(forum: ForumConfig) -> set[str]:
    blank = ForumConfig(name=forum.name, url="")
    return {
        f.name
        for f in dataclasses.fields(ForumConfig)
        if getattr(forum, f.name) != getattr(blank, f.name)
    }


def test_not_toml_names_file_line_and_column() -> None:
    message = load_error(FIXTURES / "not_toml.toml")

    assert message.startswith(f"{FIXTURES / 'not_toml.toml'} line 4, column ")
    assert "not valid TOML" in message
    assert_one_sentence(message)


def test_unknown_key_names_line_key_and_suggestion() -> None:
    message = load_error(FIXTURES / "unknown_key.toml")

    path = FIXTURES / "unknown_key.toml"
    assert message == f'{path} line 4: unknown key "forums.work.ulr"; did you mean "url"?'


def test_wrong_type_says_expected_and_found() -> None:
    message = load_error(FIXTURES / "wrong_type.toml")

    assert message.startswith(f"{FIXTURES / 'wrong_type.toml'} line 6: ")
    assert '"network.connect_timeout"' in message
    assert "number of seconds" in message
    assert 'the string "5"' in message
    assert_one_sentence(message)


def test_bad_url_names_key_line_and_fix() -> None:
    message = load_error(FIXTURES / "bad_url.toml")

    assert message.startswith(f"{FIXTURES / 'bad_url.toml'} line 5: ")
    assert '"forums.work.url" is not a usable forum URL' in message
    assert '"https://forum.example.org"' in message
    assert_one_sentence(message)


def test_unknown_default_forum_lists_known_forums_and_suggests() -> None:
    message = load_error(FIXTURES / "unknown_default_forum.toml")

    assert message.startswith(f"{FIXTURES / 'unknown_default_forum.toml'} line 2: ")
    assert '"default_forum"' in message
    assert '"wrok"' in message
    assert '"work", "meta"' in message
    assert message.endswith('did you mean "work"?')


def test_credential_in_config_is_refused_without_echoing_it() -> None:
    message = load_error(FIXTURES / "credential_in_config.toml")

    assert message.startswith(f"{FIXTURES / 'credential_in_config.toml'} line 6: ")
    assert '"forums.work.api_key"' in message
    assert "credential store" in message
    assert "termforum login" in message
    assert "s3cr3t" not in message
    assert_one_sentence(message)


@pytest.mark.parametrize(
    "name",
    [
        "not_toml.toml",
        "unknown_key.toml",
        "wrong_type.toml",
        "bad_url.toml",
        "unknown_default_forum.toml",
        "credential_in_config.toml",
    ],
)
def test_validate_config_reports_the_same_first_problem(name: str) -> None:
    problems = validate_config(FIXTURES / name)

    assert problems
    assert problems[0] == load_error(FIXTURES / name)


# --- More problems, written inline --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "expected", "found"),
    [
        ('mouse = "yes"', '"mouse"', "a boolean (true or false)", 'the string "yes"'),
        ("theme = 3", '"theme"', "a string", "the integer 3"),
        ("default_forum = true", '"default_forum"', "a string", "the boolean true"),
        ('forums = "x"', '"forums"', "a table of [forums.NAME] tables", 'the string "x"'),
        ("[forums]\nwork = 1", '"forums.work"', "a [forums.NAME] table", "the integer 1"),
        ('[forums.w]\nurl = ["https://a.org"]', '"forums.w.url"', "a string", "an array"),
        ('[forums.w]\nurl = "https://a.org"\nusername = 7', '"forums.w.username"', "a string", "7"),
        ("[keymap]\nquit = 5", '"keymap.quit"', "a string of keys", "the integer 5"),
        ("[network]\nread_timeout = true", '"network.read_timeout"', "a number", "boolean true"),
        ("network = 2", '"network"', "a table", "the integer 2"),
    ],
)
def test_wrong_types(tmp_path: Path, text: str, key: str, expected: str, found: str) -> None:
    path = write(tmp_path, text)
    message = load_error(path)

    assert message.startswith(str(path))
    assert key in message
    assert f"should be {expected}" in message
    assert found in message
    assert_one_sentence(message)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('theme = "  "', '"theme"', "empty"),
        ("[network]\nconnect_timeout = 0", '"network.connect_timeout"', "positive"),
        ("[network]\nread_timeout = -1.5", '"network.read_timeout"', "positive"),
        ("[network]\nread_timeout = inf", '"network.read_timeout"', "positive"),
        ('[keymap]\nopen = ""', '"keymap.open"', "empty"),
        ('[keymap]\nopen = "enter,,o"', '"keymap.open"', "empty key between commas"),
        ('[forums.w]\nurl = "https://a.org"\nbackend = "lemmy"', '"forums.w.backend"', "discourse"),
        ('[forums.w]\nurl = "https://a.org"\nauth = "oauth"', '"forums.w.auth"', "user_api_key"),
        ("[forums.w]\nusername = 'ada'", '"forums.w.url"', "missing key"),
        (
            '[forums.w]\nurl = "https://a.org"\nrate_limits = "20/fortnight"',
            '"forums.w.rate_limits"',
            "not a time unit",
        ),
    ],
)
def test_bad_values(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = write(tmp_path, text)
    message = load_error(path)

    assert message.startswith(f"{path} line ")
    assert key in message
    assert words in message
    assert_one_sentence(message)


def test_wrong_choice_suggests_the_closest_value(tmp_path: Path) -> None:
    path = write(tmp_path, '[forums.w]\nurl = "https://a.org"\nauth = "user-api-key"\n')

    assert load_error(path).endswith('did you mean "user_api_key"?')


def test_unknown_top_level_key_and_table(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, '\n\nthem = "nord"\n')) == (
        f'{tmp_path / "config.toml"} line 3: unknown key "them"; did you mean "theme"?'
    )
    assert load_error(write(tmp_path, '[forum.work]\nurl = "https://a.org"\n')).endswith(
        'line 1: unknown key "forum"; did you mean "forums"?'
    )


def test_unknown_key_without_close_match_lists_valid_keys(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, "[network]\nzzz = 1\n"))

    assert 'unknown key "network.zzz"' in message
    assert '"connect_timeout", "read_timeout"' in message


def test_unknown_key_in_inline_table_finds_its_line(tmp_path: Path) -> None:
    text = (
        "[forums]\n"
        'meta = { url = "https://meta.discourse.org" }\n'
        'work = { url = "https://a.org", ulr = "x" }\n'
    )
    message = load_error(write(tmp_path, text))

    assert message.endswith('line 3: unknown key "forums.work.ulr"; did you mean "url"?')


def test_quoted_forum_names_work_and_are_located(tmp_path: Path) -> None:
    good = write(tmp_path, '[forums."my forum"]\nurl = "https://a.org"\n', name="good.toml")
    bad = write(tmp_path, '[forums."my forum"]\nurl = "https://a.org"\nusrname = "ada"\n')

    assert load_config(good).forums["my forum"].url == "https://a.org"
    assert load_error(bad).endswith(
        'line 3: unknown key "forums."my forum".usrname"; did you mean "username"?'
    )


@pytest.mark.parametrize("key", ["password", "token", "key", "user_api_key", "api-secret"])
def test_any_credential_looking_key_is_refused(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, f'[forums.w]\nurl = "https://a.org"\n{key} = "hunter2"\n')
    message = load_error(path)

    assert f'line 3: "forums.w.{key}" looks like a credential' in message
    assert "credential store" in message
    assert "hunter2" not in message


def test_credentials_inside_a_url_are_refused_without_echoing_them(tmp_path: Path) -> None:
    path = write(tmp_path, '[forums.w]\nurl = "https://ada:hunter2@a.org"\n')
    message = load_error(path)

    assert '"forums.w.url"' in message
    assert "hunter2" not in message
    assert "termforum login" in message


def test_default_forum_with_no_forums_says_so(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, 'default_forum = "work"\n'))

    assert "no forum is configured" in message
    assert "[forums.NAME]" in message


def test_validate_config_collects_every_problem(tmp_path: Path) -> None:
    text = "\n".join(
        [
            'default_forum = "work"',
            'mouse = "yes"',
            "[forums.work]",
            'url = "ftp://a.org"',
            "[forums.ok]",
            'url = "https://b.org"',
            'colour = "red"',
            "[network]",
            "read_timeout = 0",
        ]
    )
    problems = validate_config(write(tmp_path, text))

    assert len(problems) == 4
    joined = "\n".join(problems)
    for where, key in [
        ("line 2", '"mouse"'),
        ("line 4", '"forums.work.url"'),
        ("line 7", '"forums.ok.colour"'),
        ("line 9", '"network.read_timeout"'),
    ]:
        assert f"{where}: " in joined
        assert key in joined
    # "work" exists though its url is bad: default_forum is not reported as unknown too.
    assert "default_forum" not in joined
    for problem in problems:
        assert_one_sentence(problem)


def test_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "nord"\ntheme2 = "\xff"\n')

    assert load_error(path) == f"{path} line 2: the file is not UTF-8 text."


# --- Values and normalisation ------------------------------------------------------------------


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "# nothing\n"))

    assert config == Config()
    assert config.theme == "textual-dark"
    assert config.mouse is True
    assert config.forums == {}
    assert config.keymap == {}
    assert config.network == NetworkConfig(connect_timeout=5.0, read_timeout=20.0)
    assert config.initial_forum is None


def test_initial_forum_is_the_first_when_no_default(tmp_path: Path) -> None:
    text = '[forums.b]\nurl = "https://b.org"\n[forums.a]\nurl = "https://a.org"\n'
    config = load_config(write(tmp_path, text))

    assert config.default_forum is None
    assert config.initial_forum == config.forums["b"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://meta.discourse.org/", "https://meta.discourse.org"),
        ("https://meta.discourse.org", "https://meta.discourse.org"),
        ("HTTP://Example.ORG:8080/Forum//", "http://example.org:8080/Forum"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://[::1]:8765/", "http://[::1]:8765"),
    ],
)
def test_forum_url_is_normalised(tmp_path: Path, url: str, expected: str) -> None:
    config = load_config(write(tmp_path, f'[forums.x]\nurl = "{url}"\n'))

    assert config.forums["x"].url == expected


def test_keymap_ids_are_kept_unvalidated(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[keymap]\nno_such_binding = "x"\n'))

    assert config.keymap == {"no_such_binding": "x"}


# --- forum_from_url ----------------------------------------------------------------------------


def test_forum_from_url_is_a_discourse_forum_named_after_the_host_using_any_stored_login() -> None:
    assert forum_from_url("https://meta.discourse.org/") == ForumConfig(
        name="meta.discourse.org", url="https://meta.discourse.org"
    )
    demo = forum_from_url("http://127.0.0.1:8765")
    assert (demo.name, demo.url, demo.backend, demo.auth) == (
        "127.0.0.1:8765",
        "http://127.0.0.1:8765",
        "discourse",
        "auto",
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("meta.discourse.org", '"https://meta.discourse.org"'),
        ("ftp://example.org", '"ftp:"'),
        ("http://", "no host"),
        ("https://example.org/latest?page=2", "query"),
        ("https://example.org:99999", "port"),
        ("https://exa mple.org", "spaces"),
        ("", "empty"),
    ],
)
def test_forum_from_url_refuses_bad_urls(url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        forum_from_url(url)
    message = str(caught.value)

    assert "is not a usable forum URL" in message
    assert words in message
    assert_one_sentence(message)


def test_forum_from_url_does_not_echo_a_password() -> None:
    with pytest.raises(ConfigError) as caught:
        forum_from_url("https://ada:hunter2@example.org")

    assert "hunter2" not in str(caught.value)
    assert "credential" in str(caught.value)


# --- Where the file is found ---------------------------------------------------------------------


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERMFORUM_HOME", str(tmp_path / "empty-home"))
    monkeypatch.delenv("TERMFORUM_CONFIG", raising=False)

    assert load_config() == Config()
    assert load_config().source is None
    assert validate_config() == []


def test_termforum_home_holds_config_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('theme = "gruvbox"\n', encoding="utf-8")
    monkeypatch.setenv("TERMFORUM_HOME", str(home))
    monkeypatch.delenv("TERMFORUM_CONFIG", raising=False)

    config = load_config()

    assert config.theme == "gruvbox"
    assert config.source == home / "config.toml"


def test_termforum_config_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('theme = "gruvbox"\n', encoding="utf-8")
    other = write(tmp_path, 'theme = "nord"\n', name="other.toml")
    monkeypatch.setenv("TERMFORUM_HOME", str(home))
    monkeypatch.setenv("TERMFORUM_CONFIG", str(other))

    assert load_config().theme == "nord"
    assert load_config(home / "config.toml").theme == "gruvbox"


def test_termforum_config_errors_name_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = write(tmp_path, "mouse = 1\n", name="other.toml")
    monkeypatch.setenv("TERMFORUM_CONFIG", str(other))

    with pytest.raises(ConfigError, match=re.escape(f"{other} line 1: ")):
        load_config()


def test_missing_explicit_files_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nope.toml"
    assert load_error(missing) == f"{missing}: the config file does not exist."

    monkeypatch.setenv("TERMFORUM_CONFIG", str(missing))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config()


def test_unreadable_path_is_a_config_error(tmp_path: Path) -> None:
    message = load_error(tmp_path)

    assert message.startswith(f"{tmp_path}: the config file cannot be read")


# --- config_error, for problems the UI finds later -----------------------------------------------


def test_config_error_uses_the_same_wording(tmp_path: Path) -> None:
    path = write(tmp_path, 'mouse = true\ntheme = "nope"\n[keymap]\nfly = "f"\n')

    theme = config_error(path, "theme", 'unknown theme "nope"; did you mean "nord"?')
    binding = config_error(path, "keymap.fly", 'unknown binding id "fly"')

    assert str(theme) == f'{path} line 2: unknown theme "nope"; did you mean "nord"?'
    assert str(binding) == f'{path} line 4: unknown binding id "fly".'


# --- The documented example -----------------------------------------------------------------------

_SETTING = re.compile(r"^(#\s*)?([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.+)$")
_TABLE = re.compile(r"^\[([^\]]+)\]")


def example_settings() -> list[tuple[str, str, str, bool]]:
    """(table, key, value, commented) for each ``key = value`` line, active or commented out."""
    settings = []
    table = ""
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if header := _TABLE.match(line):
            table = header.group(1).strip()
        elif match := _SETTING.match(line):
            try:
                tomllib.loads(f"v = {match.group(3)}")
            except tomllib.TOMLDecodeError:
                continue  # prose that happens to contain "=", not a setting
            settings.append((table, match.group(2), match.group(3), match.group(1) is not None))
    return settings


def test_example_loads() -> None:
    config = load_config(EXAMPLE)

    assert validate_config(EXAMPLE) == []
    assert config.forums["demo"].url == "http://127.0.0.1:8765"
    assert config.forums["meta"].url == "https://meta.discourse.org"


def test_example_with_every_commented_setting_enabled_still_loads(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    enabled = []
    for line in text.splitlines():
        match = _SETTING.match(line)
        if match and match.group(1):
            candidate = line[len(match.group(1)) :]
            try:
                tomllib.loads(candidate)
            except tomllib.TOMLDecodeError:
                candidate = line
            line = candidate
        enabled.append(line)
    config = load_config(write(tmp_path, "\n".join(enabled)))

    assert config.keymap  # the commented remaps became real ones
    assert config.forums["demo"].username == "your-name"
    assert config.credential_store == "auto"


def test_example_documents_every_key_the_loader_knows() -> None:
    settings = example_settings()
    documented = {f"{table}.{key}" if table else key for table, key, _, _ in settings}
    for key in CONFIG_KEYS:
        pattern = re.escape(key).replace("NAME", "[^.]+").replace("BINDING_ID", "[^.]+")
        assert any(re.fullmatch(pattern, seen) for seen in documented), (
            f"{key} is not shown in config.example.toml"
        )


def test_config_keys_cover_every_dataclass_field() -> None:
    fields_in_file = {
        *(
            f.name
            for f in dataclasses.fields(Config)
            if f.name not in {"forums", "network", "keymap", "source"}
        ),
        *(f"forums.NAME.{f.name}" for f in dataclasses.fields(ForumConfig) if f.name != "name"),
        *(f"network.{f.name}" for f in dataclasses.fields(NetworkConfig)),
        "keymap.BINDING_ID",
    }

    assert set(CONFIG_KEYS) == fields_in_file


def test_every_key_has_documentation() -> None:
    docs = config_key_docs()

    assert set(docs) == set(CONFIG_KEYS)
    for key, doc in docs.items():
        assert len(doc) > 20, f"{key} has no docstring"


def test_example_shows_the_real_defaults() -> None:
    defaults = {
        **{f.name: f for f in dataclasses.fields(Config)},
        **{f"network.{f.name}": f for f in dataclasses.fields(NetworkConfig)},
    }
    checked = 0
    for table, key, value, commented in example_settings():
        dotted = f"{table}.{key}" if table else key
        if commented and dotted in defaults:
            field = defaults[dotted]
            assert tomllib.loads(f"v = {value}")["v"] == field.default, dotted
            checked += 1
    assert checked >= 4
