"""Widgets of the termforum app."""
