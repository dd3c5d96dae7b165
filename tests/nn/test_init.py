"""The new layers without PyTorch: clear errors (TypeError for kinds, ValueError for values, naming
the module and the argument), ModuleList, Dropout's masks and seeds, one generator for every
random draw, nn.init, clip_grad_norm_ and the new functions' edge cases."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

# --- bad arguments ------------------------------------------------------------------------------

CONSTRUCTORS = [
    (lambda: nn.Embedding(0, 3), ValueError, "Embedding: num_embeddings must be positive, got 0"),
    (lambda: nn.Embedding(3, 2.0), TypeError, "Embedding: embedding_dim must be an int, got float"),
    (lambda: nn.Embedding(3, 2, dtype=np.int64), TypeError, "Embedding: dtype must be a float type"),
    (lambda: nn.LayerNorm("4"), TypeError, "LayerNorm: normalized_shape must be an int or a tuple of ints"),
    (lambda: nn.LayerNorm(()), ValueError, "LayerNorm: normalized_shape must name at least one dimension"),
    (lambda: nn.LayerNorm((4, 0)), ValueError, "LayerNorm: normalized_shape must be positive, got 0"),
    (lambda: nn.LayerNorm(4, eps=-1e-5), ValueError, "LayerNorm: eps must be a finite number >= 0"),
    (lambda: nn.LayerNorm(4, eps="small"), TypeError, "LayerNorm: eps must be a number, got str"),
    (
        lambda: nn.LayerNorm(4, elementwise_affine=1),
        TypeError,
        "LayerNorm: elementwise_affine must be True or False",
    ),
    (lambda: nn.BatchNorm1d(-2), ValueError, "BatchNorm1d: num_features must be positive, got -2"),
    (lambda: nn.BatchNorm1d(4, momentum=1.5), ValueError, r"BatchNorm1d: momentum must be in \[0, 1\]"),
    (lambda: nn.BatchNorm1d(4, momentum=math.nan), ValueError, "BatchNorm1d: momentum must be in"),
    (lambda: nn.BatchNorm1d(4, momentum="0.1"), TypeError, "BatchNorm1d: momentum must be a number or None"),
    (lambda: nn.BatchNorm1d(4, affine=None), TypeError, "BatchNorm1d: affine must be True or False"),
    (lambda: nn.BatchNorm1d(4, eps=math.inf), ValueError, "BatchNorm1d: eps must be a finite number"),
    (lambda: nn.Dropout(1.5), ValueError, r"Dropout: p must be a probability in \[0, 1\], got 1.5"),
    (lambda: nn.Dropout(math.nan), ValueError, "Dropout: p must be a probability"),
    (lambda: nn.Dropout("0.5"), TypeError, "Dropout: p must be a number, got str"),
    (lambda: nn.Dropout(True), TypeError, "Dropout: p must be a number, got bool"),
    (lambda: nn.Dropout(0.5, inplace="no"), TypeError, "Dropout: inplace must be True or False"),
    (lambda: nn.Flatten(1.0), TypeError, "Flatten: dim must be an int, got float"),
    (lambda: nn.Softmax("1"), TypeError, "Softmax: dim must be an int, got str"),
    (lambda: nn.LogSoftmax(None), TypeError, "LogSoftmax: dim must be an int, got NoneType"),
    (
        lambda: nn.ModuleList([nn.ReLU(), np.tanh]),
        TypeError,
        "ModuleList.extend: item 1 must be a Module, got ufunc",
    ),
    (
        lambda: nn.ModuleList(nn.ReLU()),
        TypeError,
        "ModuleList.extend: expected an iterable of Modules, got ReLU",
    ),
]


@pytest.mark.parametrize(("make", "error", "message"), CONSTRUCTORS, ids=[m for *_, m in CONSTRUCTORS])
def test_constructors_refuse_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


FORWARDS = [
    (lambda: nn.Embedding(5, 2)([1.0, 2.0]), TypeError, "Embedding: indices must be integers, got float64"),
    (
        lambda: nn.Embedding(5, 2)(np.array([True])),
        TypeError,
        "Embedding: indices must be integers, got bool",
    ),
    (
        lambda: nn.Embedding(5, 2)([[0, 1], [5, 2]]),
        ValueError,
        r"Embedding: index 5 at \(1, 0\) is out of range for 5",
    ),
    (
        lambda: nn.Embedding(5, 2)([0, -1]),
        ValueError,
        "Embedding: index -1 at 1 is out of range for 5 entries",
    ),
    (lambda: nn.Embedding(5, 2)([0, None]), TypeError, "Embedding: indices must be integers, got NoneType"),
    (lambda: nn.Embedding(5, 2)("1"), TypeError, "Embedding: indices must be integers, got str"),
    (
        lambda: nn.LayerNorm(4)(np.ones((2, 3))),
        ValueError,
        r"LayerNorm: input shape \(2, 3\) does not end in",
    ),
    (lambda: nn.LayerNorm((2, 3))(np.ones(3)), ValueError, r"LayerNorm: input shape \(3,\) does not end in"),
    (
        lambda: nn.LayerNorm(2)(np.ones(2, dtype=int)),
        TypeError,
        "LayerNorm: input must hold floats, got int64",
    ),
    (
        lambda: nn.BatchNorm1d(3)(np.ones((4, 2))),
        ValueError,
        r"BatchNorm1d: input shape \(4, 2\) has 2 channels",
    ),
    (lambda: nn.BatchNorm1d(3)(np.ones((2, 3, 4, 5))), ValueError, "BatchNorm1d: expected 2D or 3D input"),
    (
        lambda: nn.BatchNorm1d(3)(np.ones((1, 3))),
        ValueError,
        "BatchNorm1d: expected more than 1 value per channel",
    ),
    (
        lambda: nn.BatchNorm1d(3)([Value(1.0)]),
        TypeError,
        "BatchNorm1d: got Values; Tensor and Value do not mix",
    ),
    (
        lambda: nn.Softmax(2)(np.ones((2, 2))),
        ValueError,
        r"Softmax: dim 2 is out of range for an input of shape",
    ),
    (lambda: nn.LogSoftmax(0)(np.ones(2, dtype=int)), TypeError, "LogSoftmax: input must hold floats"),
    (lambda: nn.Flatten(2, 1)(np.ones((2, 3, 4))), ValueError, "Flatten: start_dim 2 comes after end_dim 1"),
    (lambda: nn.Flatten(3)(np.ones((2, 3))), ValueError, "Flatten: start_dim 3 is out of range"),
    (lambda: nn.Dropout()(np.ones(2, dtype=int)), TypeError, "Dropout: input must hold floats, got int64"),
    (lambda: nn.Dropout()("abc"), TypeError, "Dropout: input data must be numbers"),
    (lambda: nn.ModuleList()(1), NotImplementedError, "ModuleList: forward"),
]


@pytest.mark.parametrize(("run", "error", "message"), FORWARDS, ids=[m for *_, m in FORWARDS])
def test_forward_refuses_bad_inputs(run: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        run()


def test_batch_norm_on_one_sample_works_in_eval_mode() -> None:
    bn = nn.BatchNorm1d(2).eval()
    np.testing.assert_allclose(bn(np.array([[3.0, -1.0]])).data, [[3.0, -1.0]], rtol=1e-5)
    untracked = nn.BatchNorm1d(2, track_running_stats=False).eval()
    assert untracked.state_dict().keys() == {"weight", "bias"} and untracked.running_mean is None
    out = untracked(np.array([[3.0, -1.0], [1.0, 1.0]])).data  # batch statistics, even in eval
    np.testing.assert_allclose(out, [[1.0, -1.0], [-1.0, 1.0]], rtol=1e-4)


def test_float32_layers_stay_float32() -> None:
    x32 = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    for layer in (
        nn.LayerNorm(3, dtype=np.float32),
        nn.BatchNorm1d(3, dtype=np.float32),
        nn.Dropout(0.5),
        nn.Softmax(1),
    ):
        assert layer(Tensor(x32)).dtype == np.float32, type(layer).__name__
    assert nn.Embedding(4, 2, dtype=np.float32)([1]).dtype == np.float32
    assert nn.BatchNorm1d(3, dtype=np.float32).running_var.dtype == np.float32


# --- ModuleList ---------------------------------------------------------------------------------


def test_module_list_is_a_list_of_children_named_by_position() -> None:
    a, b, c = nn.Linear(2, 2, rng=0), nn.Tanh(), nn.Linear(2, 1, rng=1)
    layers = nn.ModuleList([a])
    assert layers.append(b) is layers and layers.extend([c]) is layers
    assert len(layers) == 3 and list(layers) == [a, b, c] and layers[-1] is c
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers.insert(0, nn.ReLU())
    assert [type(m).__name__ for m in layers] == ["ReLU", "Linear", "Tanh", "Linear"]
    assert [n for n, _ in layers.named_children()] == ["0", "1", "2", "3"]
    assert list(layers.state_dict()) == ["1.weight", "1.bias", "3.weight", "3.bias"]
    del layers[0]
    assert list(layers.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers[1] = nn.Sigmoid()
    assert (
        isinstance(layers[1], nn.Sigmoid) and isinstance(layers[:2], nn.ModuleList) and len(layers[:2]) == 2
    )
    layers += [nn.Identity()]
    both = layers + nn.ModuleList([nn.ReLU()])
    assert len(layers) == 4 and len(both) == 5 and both[0] is a
    del layers[1:]
    assert list(layers) == [a] and not hasattr(layers, "1")
    with pytest.raises(IndexError, match="ModuleList: index 3 out of range for 1 modules"):
        layers[3]
    with pytest.raises(TypeError, match="ModuleList: index must be an int, got str"):
        layers["0"]  # type: ignore[index]
    with pytest.raises(TypeError, match="ModuleList.append: item 1 must be a Module, got int"):
        layers.append(3)  # type: ignore[arg-type]
    assert list(layers) == [a]


def test_module_list_inside_a_model_and_its_repr() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            self.blocks = nn.ModuleList([nn.Linear(3, 3, rng=i) for i in range(3)])

        def forward(self, x: Any) -> Tensor:
            for block in self.blocks:
                x = block(x).relu()
            return x

    net = Net()
    assert len(net.parameters()) == 6 and list(net.state_dict())[0] == "blocks.0.weight"
    assert net(np.ones((2, 3))).shape == (2, 3)
    assert repr(net) == (
        "Net(\n"
        "  (blocks): ModuleList(\n"
        "    (0-2): 3 x Linear(in_features=3, out_features=3, bias=True)\n"
        "  )\n"
        ")"
    )


def test_module_apply_visits_children_first() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh()))
    seen: list[str] = []
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "ReLU", "Tanh", "Sequential", "Sequential"]
    with pytest.raises(TypeError, match="Sequential.apply: fn must be callable, got int"):
        net.apply(3)  # type: ignore[arg-type]


# --- Dropout ------------------------------------------------------------------------------------


def test_dropout_masks_scale_gradients_and_follow_one_seed() -> None:
    x = Tensor(np.arange(1.0, 1001.0), requires_grad=True)
    drop = nn.Dropout(0.3)
    nn.manual_seed(9)
    y = drop(x)
    kept = y.data != 0
    np.testing.assert_allclose(y.data[kept], x.data[kept] / 0.7, rtol=1e-15)
    assert 0.25 < 1 - kept.mean() < 0.35
    y.sum().backward()
    np.testing.assert_allclose(x.grad, kept / 0.7, rtol=1e-15)  # the gradient goes through the kept ones
    autograd.manual_seed(9)  # the same seed, by the other name: the same mask
    np.testing.assert_array_equal(drop(x).data, y.data)
    assert not np.array_equal(drop(x).data, y.data)  # the generator moved on


def test_dropout_edges_and_eval() -> None:
    x = Tensor(np.ones(5), requires_grad=True)
    assert nn.Dropout(0.0)(x) is x and nn.Dropout(0.7).eval()(x) is x
    out = nn.Dropout(1.0)(x)
    assert out.data.tolist() == [0.0] * 5
    out.sum().backward()
    assert x.grad.tolist() == [0.0] * 5
    assert nn.Dropout(0.5)(np.ones((2, 2))).shape == (2, 2)  # arrays are taken as constants


# --- one generator ------------------------------------------------------------------------------


def test_nn_and_autograd_share_one_seed_and_generator() -> None:
    nn.manual_seed(4)
    first = (nn.Linear(3, 2).weight.data.copy(), autograd.randn(3).data)
    autograd.manual_seed(4)
    second = (nn.Linear(3, 2).weight.data.copy(), autograd.randn(3).data)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    autograd.manual_seed(4)
    autograd.randn(1)  # a draw elsewhere moves the one generator for nn too
    assert not np.array_equal(nn.Linear(3, 2).weight.data, first[0])
    assert nn.init.get_rng() is autograd.factories.generator()
    np.testing.assert_array_equal(nn.Linear(3, 2, rng=7).weight.data, nn.Linear(3, 2, rng=7).weight.data)
    nn.manual_seed(1)
    embedding, value = nn.Embedding(3, 2).weight.data.copy(), nn.Neuron(2).w[0].data
    autograd.manual_seed(1)
    assert np.array_equal(nn.Embedding(3, 2).weight.data, embedding) and nn.Neuron(2).w[0].data == value


def test_init_functions_fill_in_place_from_the_one_generator() -> None:
    w = Tensor(np.zeros((4, 3)), requires_grad=True)
    array = w.data
    autograd.manual_seed(2)
    nn.init.normal_(w, std=0.02)
    first = array.copy()
    autograd.manual_seed(2)
    assert nn.init.normal_(w, std=0.02) is w and w.data is array and np.array_equal(array, first)
    nn.init.uniform_(w, -1, 1, generator=np.random.default_rng(0))
    np.testing.assert_array_equal(w.data, np.random.default_rng(0).uniform(-1, 1, (4, 3)))
    assert nn.init.constant_(w, 0.25).data.tolist() == [[0.25] * 3] * 4
    assert nn.init.zeros_(w).data.sum() == 0 and nn.init.ones_(w).data.sum() == 12
    counts = Tensor(np.zeros(3, dtype=np.int64))
    assert nn.init.constant_(counts, 2).tolist() == [2, 2, 2]
    bound = math.sqrt(6 / (4 + 3))
    assert np.abs(nn.init.xavier_uniform_(w).data).max() <= bound
    assert nn.init.kaiming_normal_(Tensor(np.zeros((0, 3)))).shape == (0, 3)  # nothing to fill
    assert nn.init.calculate_gain("tanh") == 5 / 3


@pytest.mark.parametrize(
    ("run", "error", "message"),
    [
        (
            lambda: nn.init.calculate_gain("softsign"),
            ValueError,
            "calculate_gain: unsupported nonlinearity 'softsign'",
        ),
        (lambda: nn.init.calculate_gain("leaky_relu", "0.1"), TypeError, "calculate_gain: param"),
        (lambda: nn.init.uniform_(np.zeros(2)), TypeError, "uniform_: expected a Tensor, got ndarray"),
        (
            lambda: nn.init.normal_(Tensor(np.zeros(2, dtype=int))),
            TypeError,
            "normal_: the tensor must hold floats",
        ),
        (
            lambda: nn.init.normal_(Tensor(np.zeros(2)), std=-1),
            ValueError,
            "normal_: need a finite mean and a finite std",
        ),
        (lambda: nn.init.uniform_(Tensor(np.zeros(2)), 1, 0), ValueError, "uniform_: need finite a <= b"),
        (
            lambda: nn.init.xavier_uniform_(Tensor(np.zeros(3))),
            ValueError,
            "xavier_uniform_: fan in and fan out need",
        ),
        (
            lambda: nn.init.kaiming_uniform_(Tensor(np.zeros((2, 2))), mode="in"),
            ValueError,
            "kaiming_uniform_: mode",
        ),
        (
            lambda: nn.init.kaiming_normal_(Tensor(np.zeros((2, 2))), mode=1),
            TypeError,
            "kaiming_normal_: mode",
        ),
        (
            lambda: nn.init.xavier_normal_(Tensor(np.zeros((2, 2))), gain=math.inf),
            ValueError,
            "xavier_normal_: gain",
        ),
        (
            lambda: nn.init.constant_(Tensor(np.zeros(2, dtype=int)), 0.5),
            ValueError,
            "constant_: 0.5 is not a whole",
        ),
        (lambda: nn.init.zeros_(Tensor([1.0]).detach().T), TypeError, None),
        (
            lambda: nn.init.uniform_(Tensor(np.zeros(2)), generator=0),
            TypeError,
            "uniform_: generator must be",
        ),
    ],
)
def test_init_errors(run: Any, error: type, message: str | None) -> None:
    if message is None:  # a read-only array (a view numpy will not write) is a ValueError instead
        array = np.zeros(2)
        array.setflags(write=False)
        with pytest.raises(ValueError, match="zeros_: the tensor's array is read-only"):
            nn.init.zeros_(Tensor(array))
        return
    with pytest.raises(error, match=f"^{message}"):
        run()


# --- functional and utils -----------------------------------------------------------------------


def test_functional_keeps_every_loss_name_and_adds_the_new_ones() -> None:
    import nn.losses

    losses = ["mse_loss", "l1_loss", "smooth_l1_loss", "binary_cross_entropy", "hinge_loss"]
    losses += ["binary_cross_entropy_with_logits", "cross_entropy", "nll_loss"]
    for name in losses:
        assert getattr(F, name) is getattr(nn.losses, name)
    for name in ("relu", "softmax", "log_softmax", "one_hot"):
        assert callable(getattr(F, name)) and name in F.__all__


@pytest.mark.parametrize(
    ("run", "error", "message"),
    [
        (lambda: F.relu([1.0]), TypeError, "relu: input must be a Tensor or a Value, got list"),
        (lambda: F.softmax(Tensor([1.0]), dim=1), ValueError, "softmax: dim 1 is out of range"),
        (lambda: F.log_softmax(Tensor([1.0]), dim=0.5), TypeError, "log_softmax: dim must be an int"),
        (lambda: F.softmax(Tensor(np.array([1, 2])), 0), TypeError, "softmax: input must hold floats"),
        (lambda: F.one_hot([0, -1]), ValueError, "one_hot: class values must be >= 0, got -1"),
        (
            lambda: F.one_hot([0, 3], num_classes=3),
            ValueError,
            "one_hot: class value 3 is out of range for 3",
        ),
        (lambda: F.one_hot([0.0, 1.0]), TypeError, "one_hot: indices must be integers, got float64"),
        (lambda: F.one_hot(np.zeros(0, dtype=int)), ValueError, "one_hot: cannot infer num_classes"),
        (lambda: F.one_hot([1], num_classes=2.0), TypeError, "one_hot: num_classes must be an int"),
        (lambda: F.one_hot([1], num_classes=-2), ValueError, "one_hot: num_classes must be -1"),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 3]),
            ValueError,
            "nll_loss: target 3 at index 1 is out of range",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0.0, 1.0]),
            ValueError,
            "nll_loss: targets must be integer",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], ignore_index=True),
            TypeError,
            "nll_loss: ignore_index",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], [1.0, 2.0]),
            ValueError,
            "nll_loss: weight must have one",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3, 4))), [0, 1]),
            ValueError,
            r"nll_loss: input of shape \(2, 3, 4\)",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], reduction="avg"),
            ValueError,
            "nll_loss: reduction",
        ),
        (
            lambda: F.nll_loss([[Value(0.0)], [1.0]], [0, 0]),
            TypeError,
            "nll_loss: log-probabilities must be Values",
        ),
    ],
)
def test_functional_errors(run: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        run()


def test_clip_grad_norm_errors_and_dtypes() -> None:
    w = Tensor(np.zeros(2, dtype=np.float32), requires_grad=True)
    w.grad = np.array([3.0, 4.0], dtype=np.float32)
    total = nn.utils.clip_grad_norm_([w], 1.0)
    assert total.dtype == np.float32 and total.item() == 5.0 and w.grad.dtype == np.float32
    cases = [
        (
            {"max_norm": math.inf},
            ValueError,
            "clip_grad_norm_: max_norm must be a finite number >= 0, got inf",
        ),
        ({"max_norm": math.nan}, ValueError, "clip_grad_norm_: max_norm must be a finite number"),
        ({"max_norm": -1.0}, ValueError, "clip_grad_norm_: max_norm must be a finite number >= 0, got -1.0"),
        ({"max_norm": "1"}, TypeError, "clip_grad_norm_: max_norm must be a number, got str"),
        (
            {"max_norm": 1.0, "norm_type": 0},
            ValueError,
            "clip_grad_norm_: norm_type must be a positive number",
        ),
        ({"max_norm": 1.0, "norm_type": "two"}, TypeError, "clip_grad_norm_: norm_type must be a number"),
        (
            {"max_norm": 1.0, "error_if_nonfinite": 1},
            TypeError,
            "clip_grad_norm_: error_if_nonfinite must be a bool",
        ),
    ]
    for options, error, message in cases:
        with pytest.raises(error, match=f"^{message}"):
            nn.utils.clip_grad_norm_([w], **options)
    with pytest.raises(TypeError, match="clip_grad_norm_: pass model.parameters()"):
        nn.utils.clip_grad_norm_(nn.Linear(2, 2), 1.0)
    with pytest.raises(
        TypeError, match="clip_grad_norm_: parameter 1 must be a Tensor or a Value, got float"
    ):
        nn.utils.clip_grad_norm_([w, 1.0], 1.0)
    w.grad = np.array([np.nan, 1.0], dtype=np.float32)
    with pytest.raises(
        ValueError, match="the total norm of order 2.0 of the gradients is nan; nothing was clipped"
    ):
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    assert w.grad[1] == 1.0
