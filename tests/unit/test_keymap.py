"""Key bindings after the user's ``[keymap]``: clashes are found where they matter only."""

from __future__ import annotations

from termforum.ui.bindings import binding_ids, key_for, keymap_clashes


def test_the_default_keys_never_clash() -> None:
    assert keymap_clashes({}) == []


def test_a_key_given_to_two_bindings_active_together_is_named_once() -> None:
    clashes = keymap_clashes({"reply": "c"})  # c already starts a new topic, also in the reader
    assert clashes == [
        '[keymap] puts "c" on both new_topic and reply while reading a topic; '
        "give one of them another key."
    ]


def test_the_same_key_in_places_never_active_together_is_fine() -> None:
    # "o" opens a topic in the lists and lists links in the reader; ctrl+s sends and logs in.
    assert keymap_clashes({"open": "enter,o", "send": "ctrl+s", "login_submit": "ctrl+s"}) == []


def test_swapping_two_keys_is_no_clash_and_key_for_follows_the_keymap() -> None:
    keymap = {"cursor_down": "k", "cursor_up": "j"}
    assert keymap_clashes(keymap) == []
    assert key_for("cursor_down", keymap) == "k"
    assert key_for("toggle_tree", keymap) == "t"
    assert {"toggle_tree", "next_unread", "parent_post"} <= binding_ids()


def test_the_keymap_examples_in_config_example_toml_are_valid_and_clash_free() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "config.example.toml").read_text()
    section = text[text.index("\n[keymap]") :]
    examples = dict(re.findall(r'^# (\w+) = "([^"]+)"', section, re.MULTILINE))
    assert len(examples) >= 3
    assert set(examples) <= binding_ids()
    assert keymap_clashes(examples) == []


def test_the_layout_keys_have_ids_and_clash_where_they_are_active() -> None:
    layout = {"toggle_compact", "narrow_groups", "widen_groups", "shrink_list", "grow_list"}
    assert layout <= binding_ids()
    assert key_for("toggle_compact", {}) == "backslash"
    assert key_for("grow_list", {}) == "right_curly_bracket"
    # Active in the lists and in the reader alike: a reader key is taken while reading…
    assert keymap_clashes({"toggle_compact": "t"}) == [
        '[keymap] puts "t" on both toggle_compact and toggle_tree while reading a topic; '
        "give one of them another key."
    ]
    # …and a list key in the lists; a key of their own is fine.
    assert "in the lists" in keymap_clashes({"widen_groups": "G"})[0]
    assert keymap_clashes({"toggle_compact": "f2", "grow_list": "plus"}) == []
