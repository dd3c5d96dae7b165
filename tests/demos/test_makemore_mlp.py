"""demos/makemore_mlp.py: the lectures' split of names.txt, and a model that learns from a
uniform first guess."""

from __future__ import annotations

import re
from typing import Any

import numpy as np


def test_makemore_mlp_learns_from_a_uniform_guess(runs: Any) -> None:
    result = runs["makemore_mlp"]
    assert abs(result["losses"][0] - np.log(27)) < 0.1  # the last layer scaled down: near uniform
    assert result["train_loss"] < 2.8 and result["dev_loss"] < 2.8  # 400 steps; the full run 2.1
    assert len(result["samples"]) == 5 and all(re.fullmatch("[a-z]*", name) for name in result["samples"])


def test_makemore_data_is_the_lectures_split() -> None:
    from demos import makemore_mlp as demo

    names = demo.load_names()
    chars = demo.alphabet(names)
    data = demo.splits(names, {c: i for i, c in enumerate(chars)})
    assert len(names) == 32033 and len(chars) == 27 and chars[0] == "."
    assert {k: len(v[0]) for k, v in data.items()} == {"train": 182625, "dev": 22655, "test": 22866}
    X, Y = demo.examples(["emma"], {c: i for i, c in enumerate(chars)})
    assert X.tolist() == [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]
    assert Y.tolist() == [5, 13, 13, 1, 0]
