"""Fuzzing (Hypothesis, a bounded number of examples per run): the expression parser, the model
file loader and the NeuroML reader answer every input with a result or a
:class:`ValidationError` — never another exception (a traceback for the user), never a hang.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.expr import parse
from ionzoo.interop import neuroml
from ionzoo.io import neuron_from_dict, neuron_to_dict
from ionzoo.io.documents import parse_document

# max_examples comes from the profile in conftest.py (200 in CI; IONZOO_FUZZ=deep for 5000)
FUZZ = settings(deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

TOKENS = ["v", "cai", "x", "1", "0", "-", "+", "*", "/", "**", "(", ")", ",", "exp", "log",
          "sqrt", "min", "max", "exprel", "heaviside", "if", "else", "and", "or", "not", "<",
          ">=", "==", "1e308", "1e-320", ".", "__", "lambda", "[", "]", "'", "\\", "@", ":=",
          "\n", " ", "nan", "inf", "True", "0x1f", "1_000", "j", "°"]


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join) | st.text(max_size=80))
def test_expression_parser_never_raises_anything_else(text):
    try:
        parse(text, allowed_names=("v", "cai", "x"))
    except ValidationError:
        pass


@FUZZ
@given(st.binary(max_size=400))
def test_document_reader_never_raises_anything_else(raw):
    for kind in ("yaml", "json"):
        try:
            parse_document(raw, kind, "fuzz")
        except ValidationError:
            pass


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
BASE = neuron_to_dict(iz.models.REGISTRY["pospischil_lts"]())


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


def _set(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSONISH), min_size=1, max_size=3))
def test_model_loader_never_raises_anything_else(edits):
    doc = copy.deepcopy(BASE)
    for path, value in edits:
        try:
            _set(doc, path, value)
        except (KeyError, IndexError, TypeError):  # an earlier edit removed the place
            pass
    try:
        neuron_from_dict(doc)
    except ValidationError:
        pass


@pytest.fixture(scope="module")
def nml_text(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("fz") / "lts.nml"
    neuroml.write(iz.models.REGISTRY["pospischil_lts"](), path)
    return path.read_text()


ATTRIBUTE = re.compile(r'="([^"]*)"')
VALUES = st.sampled_from(["", "-", "--mV", "1e999 mV", "nan", "NaN mV", "0", "-1", "x",
                          "1.0 mV mV", "1,0 mV", "9" * 400, "&amp;", "1.0per_ms", "<", "'"]) \
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"<&'),
              max_size=12)


@FUZZ
@given(data=st.data())
def test_neuroml_reader_never_raises_anything_else(nml_text, tmp_path, data):
    spans = [m.span(1) for m in ATTRIBUTE.finditer(nml_text)]
    chosen = data.draw(st.lists(st.sampled_from(spans), min_size=1, max_size=3, unique=True))
    text = nml_text
    for start, stop in sorted(chosen, reverse=True):
        text = text[:start] + data.draw(VALUES) + text[stop:]
    path = Path(tmp_path) / "f.nml"
    path.write_text(text)
    try:
        neuroml.read(path)
    except ValidationError:
        pass


def test_yaml_base_document_is_what_the_fuzzer_edits():
    # the fuzzed document is a real model: unedited, it loads and equals the zoo's cell
    lts = iz.models.REGISTRY["pospischil_lts"]()
    assert neuron_from_dict(yaml.safe_load(yaml.safe_dump(BASE))) == lts
