"""Screens of the termforum app."""
