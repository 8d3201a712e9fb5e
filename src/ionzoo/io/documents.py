"""Reading files from strangers: bounded, regular files only, and YAML/JSON read as a person
wrote them.

* :func:`read_bytes` opens without blocking (a FIFO cannot hang it), refuses anything that is
  not a regular file (``/dev/zero``, a socket, a directory — also through a symbolic link) and
  checks the size before reading (:data:`~ionzoo.limits.MAX_FILE_BYTES`).
* :func:`parse_document` reads YAML with the YAML 1.2 core schema: ``true``/``false`` are the only
  booleans (``yes``, ``on``, ``"false"`` are text, which the schema then refuses where a boolean
  is expected), numbers are decimal as written (``-077`` is −77, ``6:30`` is text, not 390),
  ``0o``/``0x`` prefixes for octal and hexadecimal. Aliases (``*a``, the "billion laughs"
  expansion), duplicate keys, nesting deeper than :data:`~ionzoo.limits.MAX_DOCUMENT_DEPTH`
  and more than :data:`~ionzoo.limits.MAX_DOCUMENT_NODES` values are errors. JSON gets the same
  limits, no duplicate keys and no ``NaN``/``Infinity``. No tag constructs an object.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from ..errors import ValidationError
from ..limits import MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_NODES, MAX_FILE_BYTES

__all__ = ["read_bytes", "parse_document", "load_document"]


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (at most ``max_bytes``), or a ValidationError."""
    where = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ValidationError(where, "no such file") from None
    except OSError as exc:
        raise ValidationError(where, f"cannot open: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(where, "not a regular file")
        if info.st_size > max_bytes:
            raise ValidationError(where, f"file larger than the limit of {max_bytes} bytes "
                                  f"({info.st_size} bytes)")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise ValidationError(where, f"file larger than the limit of {max_bytes} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise ValidationError(where, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------ YAML
class _Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema, no aliases, no duplicate keys, and limits."""

    def __init__(self, stream, where: str) -> None:
        super().__init__(stream)
        self.where = where
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise ValidationError(self.where, f"line {mark.line + 1}: YAML aliases (*name) are "
                                  "not allowed in model files")
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_DOCUMENT_DEPTH:
            raise ValidationError(self.where, f"nesting deeper than {MAX_DOCUMENT_DEPTH} levels")
        if self.nodes > MAX_DOCUMENT_NODES:
            raise ValidationError(self.where, f"more than {MAX_DOCUMENT_NODES} values")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise ValidationError(self.where, f"line {key_node.start_mark.line + 1}: a "
                                      "mapping key must be text or a number") from None
            if duplicate:
                raise ValidationError(self.where, f"line {key_node.start_mark.line + 1}: "
                                      f"duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def flatten_mapping(self, node):  # no YAML 1.1 merge keys ("<<")
        return None


_Loader.yaml_implicit_resolvers = {}
_CORE = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]
for _tag, _regexp, _first in _CORE:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _bool(loader, node) -> bool:
    return loader.construct_scalar(node).lower() == "true"


def _int(loader, node) -> int:
    text = loader.construct_scalar(node)
    digits = text.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        raise ValidationError(loader.where, f"line {node.start_mark.line + 1}: {text!r}: an "
                              "integer with a leading zero is octal in YAML 1.1 and decimal in "
                              "YAML 1.2; write it without the zero (or as 0o… for octal)")
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(loader, node) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


_Loader.add_constructor("tag:yaml.org,2002:bool", _bool)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)


def _yaml(text: str, where: str) -> Any:
    loader = None
    try:
        loader = _Loader(text, where)  # its reader already refuses control characters
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValidationError(where, f"not valid YAML: {line}{problem}") from None
    except ValidationError:
        raise
    except ValueError as exc:  # an integer too long to convert
        raise ValidationError(where, f"not valid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()


# ------------------------------------------------------------------------------------ JSON
def _pairs(where: str):
    def hook(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                raise ValidationError(where, f"duplicate key {key!r}")
            out[key] = value
        return out
    return hook


def _no_constant(where: str):
    def reject(name: str):
        raise ValidationError(where, f"{name} is not a number in a model file")
    return reject


def _check_shape(doc: Any, where: str) -> None:
    """Depth and value-count limits of an already parsed document (iteratively)."""
    stack, nodes = [(doc, 1)], 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DOCUMENT_DEPTH:
            raise ValidationError(where, f"nesting deeper than {MAX_DOCUMENT_DEPTH} levels")
        if nodes > MAX_DOCUMENT_NODES:
            raise ValidationError(where, f"more than {MAX_DOCUMENT_NODES} values")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _json(text: str, where: str) -> Any:
    try:
        doc = json.loads(text, object_pairs_hook=_pairs(where),
                         parse_constant=_no_constant(where))
    except RecursionError:
        raise ValidationError(where, f"nesting deeper than {MAX_DOCUMENT_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(where, f"not valid JSON: line {exc.lineno}: {exc.msg}") from None
    except ValidationError:
        raise
    except ValueError as exc:  # an integer too long to convert
        raise ValidationError(where, f"not valid JSON: {exc}") from None
    _check_shape(doc, where)
    return doc


def parse_document(raw: bytes, kind: str, where: str) -> Any:
    """The document in ``raw`` (``kind`` "yaml" or "json"), read as the module docstring says."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(where, f"not UTF-8 text (byte {exc.start})") from None
    return _yaml(text, where) if kind == "yaml" else _json(text, where)


def load_document(path: str | Path) -> Any:
    """Read and parse a ``.yaml``/``.yml``/``.json`` file (see :func:`read_bytes`)."""
    path = Path(path)
    kind = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}.get(path.suffix.lower())
    if kind is None:
        raise ValidationError("path", f"{str(path)!r}: use .yaml, .yml or .json")
    doc = parse_document(read_bytes(path), kind, path.name)
    if doc is None:
        raise ValidationError(path.name, "the file is empty")
    return doc
