"""nn.init (nn/init.py): one generator for every random draw (autograd's, PyTorch's CPU generator),
the initialisers filling in place with PyTorch's formulas, the same numbers as torch.nn.init for the
same seed (or generator), nn.manual_seed, and clear errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor


def test_nn_and_autograd_share_one_seed_and_generator() -> None:
    assert nn.manual_seed is autograd.manual_seed
    nn.manual_seed(4)
    first = (nn.Linear(3, 2).weight.detach().numpy().copy(), autograd.randn(3).numpy())
    autograd.manual_seed(4)
    second = (nn.Linear(3, 2).weight.detach().numpy().copy(), autograd.randn(3).numpy())
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    autograd.manual_seed(4)
    autograd.randn(1)  # a draw elsewhere moves the one generator for nn too
    assert not np.array_equal(nn.Linear(3, 2).weight.detach().numpy(), first[0])
    assert nn.init.get_rng() is autograd.random.default_generator
    np.testing.assert_array_equal(nn.Linear(3, 2, rng=7).weight.data, nn.Linear(3, 2, rng=7).weight.data)
    g = autograd.Generator().manual_seed(7)
    np.testing.assert_array_equal(nn.Linear(3, 2, rng=g).weight.data, nn.Linear(3, 2, rng=7).weight.data)
    nn.manual_seed(1)
    embedding, value = nn.Embedding(3, 2).weight.detach().numpy().copy(), nn.Neuron(2).w[0].data
    autograd.manual_seed(1)
    assert (
        np.array_equal(nn.Embedding(3, 2).weight.detach().numpy(), embedding)
        and nn.Neuron(2).w[0].data == value
    )


def test_init_functions_fill_in_place_from_the_one_generator() -> None:
    w = Tensor(np.zeros((4, 3)), requires_grad=True)
    array = w._data
    autograd.manual_seed(2)
    nn.init.normal_(w, std=0.02)
    first = array.copy()
    autograd.manual_seed(2)
    assert nn.init.normal_(w, std=0.02) is w and w._data is array and np.array_equal(array, first)
    nn.init.uniform_(w, -1, 1, generator=autograd.Generator().manual_seed(0))
    expected = autograd.zeros(4, 3).uniform_(-1, 1, generator=autograd.Generator().manual_seed(0))
    np.testing.assert_array_equal(w.data, expected)
    assert nn.init.constant_(w, 0.25).tolist() == [[0.25] * 3] * 4
    assert nn.init.zeros_(w).data.sum() == 0 and nn.init.ones_(w).data.sum() == 12
    assert nn.init.eye_(w).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    counts = Tensor(np.zeros(3, dtype=np.int64))
    assert nn.init.constant_(counts, 2).tolist() == [2, 2, 2]
    bound = math.sqrt(6 / (4 + 3))
    assert np.abs(nn.init.xavier_uniform_(w)._data).max() <= bound
    assert nn.init.kaiming_normal_(Tensor(np.zeros((0, 3)))).shape == (0, 3)  # nothing to fill
    assert nn.init.calculate_gain("tanh") == 5 / 3
    half = Tensor(np.zeros((3, 2), np.float16))
    assert nn.init.normal_(half).dtype == np.float16 and np.abs(half._data).sum() > 0  # drawn as float32


def test_dir_lists_the_initialisers_only() -> None:
    names = dir(nn.init)
    assert "kaiming_normal_" in names and "xavier_uniform_" in names and "calculate_gain" in names
    assert not {"math", "np", "random", "Tensor", "get_rng", "RNG"} & set(names)


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
            "uniform_: generator must be an autograd.Generator or None, got int",
        ),
        (
            lambda: nn.init.normal_(Tensor(np.zeros(2)), generator=np.random.default_rng(0)),
            TypeError,
            "normal_: generator must be an autograd.Generator or None, got Generator",
        ),
        (lambda: nn.init.eye_(Tensor(np.zeros(3))), ValueError, "eye_: only 2-D tensors"),
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


# --- against PyTorch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("selu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", 0),
    ],
)
def test_calculate_gain_is_torchs(nonlinearity: str, param: Any) -> None:
    torch = pytest.importorskip("torch")
    assert nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


INITIALISERS = [
    ("uniform_", {"a": -2, "b": 3}),
    ("normal_", {"mean": 1, "std": 0.5}),
    ("xavier_uniform_", {}),
    ("xavier_normal_", {"gain": 2}),
    ("kaiming_uniform_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}),  # Linear's
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {"mode": "fan_in", "nonlinearity": "tanh"}),  # makemore part 3's
    ("kaiming_uniform_", {"a": 0.1, "mode": "fan_out"}),
]


@pytest.mark.parametrize(("name", "options"), INITIALISERS, ids=[f"{n}{o}" for n, o in INITIALISERS])
@pytest.mark.parametrize("shape", [(300, 200), (64, 16, 3, 3), (200, 30), (5, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_initialisers_give_torchs_numbers_for_the_same_seed(
    name: str, options: dict, shape: tuple, dtype: str
) -> None:
    torch = pytest.importorskip("torch")
    autograd.manual_seed(0)
    torch.manual_seed(0)
    t = Tensor(np.zeros(shape, dtype), requires_grad=True)
    array = t._data
    assert getattr(nn.init, name)(t, **options) is t and t._data is array  # in place, returning the tensor
    reference = getattr(torch.nn.init, name)(torch.zeros(shape, dtype=getattr(torch, dtype)), **options)
    np.testing.assert_array_equal(array, reference.numpy())  # the default generator, bit for bit
    g, gt = autograd.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    ours = getattr(nn.init, name)(Tensor(np.zeros(shape, dtype)), **options, generator=g)
    theirs = getattr(torch.nn.init, name)(
        torch.zeros(shape, dtype=getattr(torch, dtype)), **options, generator=gt
    )
    np.testing.assert_array_equal(ours.data, theirs.numpy())  # a generator of one's own, bit for bit


def test_the_lectures_kaiming_normal_is_torchs() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(42)
    expected = torch.nn.init.kaiming_normal_(torch.empty(200, 30), mode="fan_in", nonlinearity="tanh")
    autograd.manual_seed(42)
    w = nn.init.kaiming_normal_(autograd.zeros(200, 30, dtype=np.float32), mode="fan_in", nonlinearity="tanh")
    np.testing.assert_array_equal(w.data, expected.numpy())
    assert float(w.std()) == pytest.approx((5 / 3) / 30**0.5, rel=0.02)


def test_fans_are_torchs() -> None:
    torch = pytest.importorskip("torch")
    for shape in [(5, 3), (8, 4, 3), (16, 8, 3, 5)]:
        zeros = torch.zeros(shape)
        expected = torch.nn.init._calculate_fan_in_and_fan_out(zeros)
        assert nn.init._fans("test", shape) == expected
        std = torch.nn.init._calculate_correct_fan(zeros, "fan_out")
        assert nn.init._fan("test", shape, "fan_out") == std


# --- the seed -------------------------------------------------------------------------------------
# nn.manual_seed is autograd.manual_seed (PyTorch's range: negative seeds count from 2**64); the
# messages are autograd's.


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (2**64, ValueError, r"manual_seed: seed must be in \[-2\*\*63, 2\*\*64\), got 18446744073709551616$"),
        (-(2**63) - 1, ValueError, "got -9223372036854775809$"),
        (1.0, TypeError, "manual_seed: seed must be an int, got float$"),
        (True, TypeError, "manual_seed: seed must be an int, got bool$"),
        (np.True_, TypeError, "got bool$"),
        ("1", TypeError, "got str$"),
        (None, TypeError, "got NoneType$"),
    ],
)
def test_manual_seed_bad_seeds(seed: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}" if message.startswith("manual_seed") else message):
        nn.manual_seed(seed)


def test_manual_seed_range_is_torchs() -> None:
    torch = pytest.importorskip("torch")
    for seed in (0, -1, np.int64(-5), -(2**63), 2**64 - 1, np.uint64(2**64 - 1)):
        nn.manual_seed(seed)
        torch.manual_seed(int(seed))
        np.testing.assert_array_equal(
            nn.Linear(3, 2, dtype=np.float32).weight.data, torch.nn.Linear(3, 2).weight.detach()
        )
    with pytest.raises((RuntimeError, ValueError)):
        torch.manual_seed(2**64)
    with pytest.raises(ValueError, match=r"rng: manual_seed: seed must be in \[-2\*\*63, 2\*\*64\)"):
        nn.Linear(2, 2, rng=2**64)
    with pytest.raises(
        TypeError, match="rng must be None, an int seed or an autograd.Generator, got Generator"
    ):
        nn.Linear(2, 2, rng=np.random.default_rng(0))
