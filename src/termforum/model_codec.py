"""Models to JSON-able dicts and back, losslessly, for the local cache.

Generic over the dataclass fields and their type hints (``termforum.models``): datetimes
become ISO-8601 strings with their offset, tuples come back as tuples, nested models are
encoded in place. Unknown keys in stored data are ignored and missing fields take their
defaults, so a model that gains a field does not break an older cache.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import datetime
from typing import Any, TypeVar, Union

__all__ = ["decode", "encode"]

T = TypeVar("T")


def encode(obj: Any) -> Any:
    """A JSON-able form of a model (or of a list/tuple/dict of them, or a plain value)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [encode(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): encode(value) for key, value in obj.items()}
    return obj


def decode(cls: type[T], data: Any) -> T:
    """The model of class ``cls`` that ``data`` (from :func:`encode`) describes."""
    return _decode_as(cls, data)  # type: ignore[return-value]


_AS_IS = (str, int, float, bool, Any)
"""Item types whose JSON form is the value itself: their sequences are copied, not walked
(a 10,000-post thread's stream of ids decodes in a fraction of a millisecond)."""


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """The dataclass's field names with their resolved type hints."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _decode_as(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode_as(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        if item in _AS_IS:
            return tuple(data)
        return tuple(_decode_as(item, value) for value in data)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        if item in _AS_IS:
            return list(data)
        return [_decode_as(item, value) for value in data]
    if origin is dict:
        _, value_hint = typing.get_args(hint) or (Any, Any)
        return {key: _decode_as(value_hint, value) for key, value in data.items()}
    if hint is datetime:
        return datetime.fromisoformat(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        values = {
            name: _decode_as(field_hint, data[name])
            for name, field_hint in _fields(hint)
            if name in data
        }
        return hint(**values)
    return data
