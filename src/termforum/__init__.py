"""termforum: a keyboard-driven terminal client for online discussion groups."""

__version__ = "0.1.0"
