"""The worked examples: classic from-scratch tutorials, trained with this engine's gradients.

Each ``demos.<name>`` module has ``run(out=None, **options) -> dict`` (its key numbers; pictures go
to ``out/<name>/`` when ``out`` is given) and ``main(argv=None)`` (its command line), plus
``TITLE``, ``PUBLISHED`` (the tutorial's figure), ``PICTURES`` (file -> caption) and
``summary(result)`` for the table ``python -m demos`` prints.
"""

NAMES = (
    "backprop_by_hand",
    "linear_regression",
    "perceptron_diabetes",
    "single_neuron",
    "softmax_classifier",
    "polynomial_regression",
    "moons_mlp",
    "makemore_mlp",
    "microgpt",
)

__all__ = ["NAMES"]
