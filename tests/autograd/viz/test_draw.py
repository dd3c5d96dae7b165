"""Pictures (autograd/viz/draw.py) with labels longer than Graphviz's dot reads in one quoted string
(16,384 bytes): cut to MAX_LABEL characters with an ellipsis, the full text in the tooltip, and
drawing never fails."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from autograd.viz import backward_page, draw_graph
from autograd.viz.render import MAX_LABEL, MAX_TOOLTIP, shorten

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def _texts(svg: str) -> list[str]:
    """What the picture shows: the text of its <text> elements."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("length", [16_383, 16_384, 20_000, 1_000_000])
def test_a_label_too_long_for_dot_is_cut_and_drawn(length: int) -> None:
    x = Value(2.0, label="x" * length)
    y = x * 3
    y.backward()
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")  # was CalledProcessError from dot
    assert "x" * (MAX_LABEL - 1) + "…" in _texts(svg)
    assert max(len(t) for t in _texts(svg)) <= MAX_LABEL
    assert 'xlink:title="' + "x" * (MAX_TOOLTIP - 1) + '…"' in svg  # the tooltip keeps more, within bounds


@pytest.mark.parametrize(
    "label",
    [
        "ℵ" * 7_000,  # 3 bytes each in UTF-8: 21,000 bytes
        "\x00" * 5_000,  # written as \x00 escapes: 20,000 bytes
        '{|}<>"\\' * 3_000,  # record syntax, each escaped with a backslash
        "\u202e" * 5_000,  # bidi overrides, escaped
        "😀" * 5_000,  # 4 bytes each
    ],
    ids=["3-byte", "nul", "record-syntax", "bidi", "emoji"],
)
def test_long_labels_of_any_characters_are_drawn(label: str) -> None:
    x = Value(1.0, label=label)
    y = (x * 2).tanh()
    y.backward()
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")
    assert "…" in svg
    page = backward_page(y)  # the step page draws its pictures through the same code
    assert page.steps > 0


def test_a_label_of_max_label_characters_is_drawn_whole_without_a_tooltip() -> None:
    x = Value(1.0, label="y" * MAX_LABEL)
    source = draw_graph(x * 2, show_grad=False).source
    assert "y" * MAX_LABEL in source and "…" not in source and "tooltip" not in source


def test_long_module_names_are_cut_in_titles_ids_and_clusters() -> None:
    class Deep(nn.Module):
        def __init__(self) -> None:
            setattr(self, "m" * 20_000, nn.Linear(2, 2, rng=0))
            setattr(self, "m" * 19_999 + "n", nn.Linear(2, 2, rng=1))  # the same first 100 characters

        def forward(self, x: Tensor) -> Tensor:
            return getattr(self, "m" * 19_999 + "n")(getattr(self, "m" * 20_000)(x))

    model = Deep()
    y = model(Tensor(np.ones((1, 2)))).sum()
    y.backward()
    for options in ({}, {"collapse": True}, {"cluster": False}):
        picture = draw_graph(y, module=model, **options)
        assert max(len(line) for line in picture.source.splitlines()) < 16_384
        svg = picture.pipe(format="svg").decode("utf-8")
        assert max(len(t) for t in _texts(svg)) <= MAX_LABEL + 20  # a title and its " (Linear)"
    clusters = re.findall(r"subgraph (\S+) \{", draw_graph(y, module=model).source)
    assert len(clusters) == len(set(clusters)) == 2  # cut, yet told apart


def test_long_op_names_are_cut() -> None:
    x = Value(1.0, label="x")
    y = Value(2.0, (x,), "op" * 10_000)  # micrograd's signature: any text as the op
    source = draw_graph(y, show_grad=False).source
    assert "op" * 49 + "o…" in source and "op" * 60 not in source.split("tooltip=")[0]
    svg = draw_graph(y, show_grad=False).pipe(format="svg").decode("utf-8")
    assert "op" * 49 + "o…" in _texts(svg)
    assert shorten("short") == "short" and len(shorten("op" * 100)) == MAX_LABEL
