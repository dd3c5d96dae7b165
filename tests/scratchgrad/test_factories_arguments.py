"""The factories and random functions check their arguments as PyTorch does (arange, full,
randint, randperm, multinomial, manual_seed, set_rng_state), with an error that names the problem."""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pytest
from sg_helpers import TORCH_ERRORS, same

import scratchgrad as sg

# --- arange -----------------------------------------------------------------------------------

ARANGE_ERRORS: list[tuple[tuple[Any, ...], str | None, type[Exception], str]] = [
    ((0, 5, 0), None, ValueError, "arange: step must not be 0"),
    ((0, 5.0, 0.0), None, ValueError, "arange: step must not be 0"),
    (
        (0, 5, -1),
        None,
        ValueError,
        "upper bound and lower bound inconsistent with step sign: from 0 to 5 by -1",
    ),
    ((5, 0, 1), None, ValueError, "inconsistent with step sign: from 5 to 0 by 1"),
    ((0, 3, 0.5), "int64", ValueError, "arange: step 0.5 becomes 0 as int64, and step must not be 0"),
    ((0, -0.9, -0.5), "int64", ValueError, "arange: step -0.5 becomes 0 as int64"),
    ((0, 3), "bool", TypeError, "arange: dtype must be a number type, got bool"),
    ((0, 2**62), None, ValueError, "arange: 4611686018427387904 elements are more than an array can hold"),
    ((0, 1e20, 1e-5), None, ValueError, "elements are more than an array can hold"),
]


@pytest.mark.parametrize(("args", "dtype", "error", "message"), ARANGE_ERRORS)
def test_arange_refuses_as_torch(
    args: tuple[Any, ...], dtype: str | None, error: type[Exception], message: str, torch: Any
) -> None:
    with pytest.raises(error, match=message):
        sg.arange(*args, dtype=None if dtype is None else getattr(sg, dtype))
    with pytest.raises(TORCH_ERRORS):
        torch.arange(*args, dtype=None if dtype is None else getattr(torch, dtype))


def test_arange_refuses_values_its_int_dtype_cannot_hold() -> None:
    with pytest.raises(ValueError, match=r"arange: 199 is out of range for int8 \[-128, 127\]"):
        sg.arange(0, 200, dtype=sg.int8)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="arange: 1099511627775 is out of range for int8"):
        sg.arange(0, 2**40, dtype=sg.int8)  # found from the ends, not by building the range
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("args", "dtype"),
    [
        ((0.5, 3.7), "int64"),
        ((-2.5, 2.5, 1.5), "int32"),
        ((0, 10, 3), "uint8"),
        ((10, 0, -3), "uint8"),
        ((5, 5), None),
    ],
)
def test_arange_int_dtype_truncates_as_torch(args: tuple[Any, ...], dtype: str | None, torch: Any) -> None:
    ours = sg.arange(*args, dtype=None if dtype is None else getattr(sg, dtype))
    same(ours, torch.arange(*args, dtype=None if dtype is None else getattr(torch, dtype)))


# --- full, full_like --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dtype", "message"),
    [
        (float("nan"), "int64", r"nan cannot be converted to int64 \(it is not finite\)"),
        (float("inf"), "int32", "inf cannot be converted to int32"),
        (2**63, None, "9223372036854775808 is out of range for int64"),
        (300, "uint8", r"300 is out of range for uint8 \[0, 255\]"),
        (-1, "uint8", "-1 is out of range for uint8"),
        (1e10, "int32", "10000000000.0 is out of range for int32"),
        (1e39, "float32", r"1e\+39 is too large for float32 \(it would become inf\)"),
        (2**200, "float32", r"160693804425\.\.\.\(61 digits\) is too large for float32"),
    ],
)
def test_full_refuses_a_value_the_dtype_cannot_hold(value: Any, dtype: str | None, message: str) -> None:
    kind = None if dtype is None else getattr(sg, dtype)
    with pytest.raises(ValueError, match="full: " + message):
        sg.full((2,), value, dtype=kind)
    with pytest.raises(ValueError, match="full_like: " + message):
        sg.full_like(sg.zeros(2, dtype=kind or sg.int64), value)


def test_full_refuses_where_torch_refuses(torch: Any) -> None:
    for value, dtype in ((float("nan"), "int64"), (300, "uint8"), (1e39, "float32"), (2**63, "int64")):
        with pytest.raises(TORCH_ERRORS):
            torch.full((2,), value, dtype=getattr(torch, dtype))
        with pytest.raises(ValueError):
            sg.full((2,), value, dtype=getattr(sg, dtype))


@pytest.mark.parametrize(
    ("value", "dtype"),
    [(2.7, "int64"), (True, "int8"), (float("nan"), "float32"), (2**63 - 1, "float32"), (-1.5, "int32")],
)
def test_full_takes_what_fits_as_torch(value: Any, dtype: str, torch: Any) -> None:
    same(sg.full((2,), value, dtype=getattr(sg, dtype)), torch.full((2,), value, dtype=getattr(torch, dtype)))
    ours = sg.full_like(sg.zeros(2, dtype=getattr(sg, dtype)), value)
    same(ours, torch.full_like(torch.zeros(2, dtype=getattr(torch, dtype)), value))


# --- randint, randperm, multinomial, seeds and states -------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "dtype", "message"),
    [
        (0, 300, "uint8", r"randint: high - 1 \(299\) is out of range for uint8 \[0, 255\]"),
        (-1, 5, "uint8", r"randint: low \(-1\) is out of range for uint8"),
        (0, 2**31 + 1, "int32", r"randint: high - 1 \(2147483648\) is out of range for int32"),
        (0, 3, "bool", r"randint: high - 1 \(2\) is out of range for bool \[0, 1\]"),
        (0, 10**40, "float32", "randint: high - 1 .* is out of range for float32"),
    ],
)
def test_randint_refuses_bounds_outside_the_dtype(
    low: int, high: int, dtype: str, message: str, torch: Any
) -> None:
    with pytest.raises(ValueError, match=message):
        sg.randint(low, high, (2,), dtype=getattr(sg, dtype))
    with pytest.raises(TORCH_ERRORS):
        torch.randint(low, high, (2,), dtype=getattr(torch, dtype))


@pytest.mark.parametrize(
    ("low", "high", "dtype", "warns"),
    [
        (0, 2**25, "float32", True),
        (-(2**25), 0, "float32", True),
        (0, 2**54, "float64", True),
        (0, 2**24 + 1, "float32", False),  # high - 1 = 2**24: still exact
        (0, 256, "uint8", False),
        (0, 2, "bool", False),
    ],
)
def test_randint_warns_beyond_a_float_types_exact_integers(
    low: int, high: int, dtype: str, warns: bool, torch: Any
) -> None:
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        out = sg.randint(low, high, (3,), dtype=getattr(sg, dtype))
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.randint(low, high, (3,), dtype=getattr(torch, dtype))
    assert out.dtype == np.dtype(dtype)
    assert (len(ours), len(theirs)) == (int(warns), int(warns))
    if warns:
        assert "is out of bounds" in str(ours[0].message) and "not uniform" in str(ours[0].message)
        assert ours[0].filename == __file__  # it points at the call


@pytest.mark.parametrize(
    ("n", "error", "message"),
    [
        (-1, ValueError, "randperm: n must be >= 0, got -1"),
        (2**62, ValueError, "randperm: 4611686018427387904 elements are more than an array can hold"),
        (2.0, TypeError, "randperm: n must be an int, got float"),
        (True, TypeError, "randperm: n must be an int, got bool"),
        (None, TypeError, "randperm: n must be an int, got NoneType"),
        ("3", TypeError, "randperm: n must be an int, got str"),
    ],
)
def test_randperm_checks_n_as_torch(n: Any, error: type[Exception], message: str, torch: Any) -> None:
    with pytest.raises(error, match=message):
        sg.randperm(n)
    with pytest.raises(TORCH_ERRORS):
        torch.randperm(n)


def test_randperm_takes_ints_as_torch(torch: Any) -> None:
    for n in (np.int64(5), 5):
        sg.manual_seed(3)
        torch.manual_seed(3)
        same(sg.randperm(n), torch.randperm(int(n)))
    sg.manual_seed(3)
    torch.manual_seed(3)
    same(sg.randperm(sg.tensor(6)), torch.randperm(torch.tensor(6)))
    assert sg.randperm(0).tolist() == []


@pytest.mark.parametrize(
    ("weights", "num_samples", "replacement", "error", "message"),
    [
        (
            [0.2, 0.8],
            3,
            False,
            ValueError,
            "multinomial: cannot draw 3 samples from 2 categories without replacement",
        ),
        ([0.2, 0.8], 0, True, ValueError, "multinomial: num_samples must be > 0, got 0"),
        ([0.2, 0.8], -1, True, ValueError, "multinomial: num_samples must be > 0, got -1"),
        ([0.2, 0.8], 1.0, True, TypeError, "multinomial: num_samples must be an int, got float"),
        ([0.2, 0.8], True, True, TypeError, "multinomial: num_samples must be an int, got bool"),
        ([0.2, 0.8], 1, 1, TypeError, "multinomial: replacement must be True or False, got int"),
        ([1, 2], 1, True, TypeError, "multinomial: expected float32 or float64 weights .* got int64"),
        (
            [[[0.5]]],
            1,
            True,
            TypeError,
            r"multinomial: expected .* of 1 or 2 dimensions, got float32 of shape \(1, 1, 1\)",
        ),
        ([-0.2, 0.8], 1, True, ValueError, "multinomial: probabilities must be finite and >= 0"),
        ([float("nan"), 1.0], 1, True, ValueError, "multinomial: probabilities must be finite and >= 0"),
        (
            [0.0, 0.0],
            1,
            True,
            ValueError,
            r"multinomial: invalid multinomial distribution \(sum of probabilities",
        ),
        (
            [0.2, 0.8],
            2**62,
            True,
            ValueError,
            "multinomial: 4611686018427387904 samples are more than an array",
        ),
    ],
)
def test_multinomial_checks_its_arguments_as_torch(
    weights: Any, num_samples: Any, replacement: Any, error: type[Exception], message: str, torch: Any
) -> None:
    with pytest.raises(error, match=message):
        sg.multinomial(sg.tensor(weights), num_samples, replacement)
    with pytest.raises(TORCH_ERRORS):
        torch.multinomial(torch.tensor(weights), num_samples, replacement)


def test_multinomial_refuses_what_is_not_a_tensor() -> None:
    with pytest.raises(TypeError, match="multinomial: expected a Tensor of weights, got list"):
        sg.multinomial([0.5, 0.5], 1)


def test_multinomial_draws_as_torch(torch: Any) -> None:
    sg.manual_seed(4)
    torch.manual_seed(4)
    ours = sg.multinomial(sg.tensor([0.1, 0.2, 0.7]), 5, True)
    same(ours, torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 5, True))


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (3.0, TypeError, "manual_seed: seed must be an int, got float"),
        ("3", TypeError, "manual_seed: seed must be an int, got str"),
        (True, TypeError, "manual_seed: seed must be an int, got bool"),
        (None, TypeError, "manual_seed: seed must be an int, got NoneType"),
        (2**64, ValueError, r"manual_seed: seed must be in \[-2\*\*63, 2\*\*64\)"),
    ],
)
def test_manual_seed_checks_its_seed(seed: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        sg.manual_seed(seed)


def test_manual_seed_takes_ints_and_int_tensors_as_torch(torch: Any) -> None:
    for seed in (np.int64(7), sg.tensor(7), -1):
        sg.manual_seed(seed)  # type: ignore[arg-type]
        torch.manual_seed(int(seed))
        same(sg.randperm(8), torch.randperm(8))
    with pytest.raises(TypeError, match="manual_seed: seed must be an int, got Tensor"):
        sg.manual_seed(sg.tensor(7.0))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "error", "message"),
    [
        ("x", TypeError, "set_rng_state: new_state must be a uint8 tensor .*, got str"),
        ([1, 2], TypeError, "set_rng_state: new_state must be a uint8 tensor .*, got list"),
        (None, TypeError, "got NoneType"),
        (sg.zeros(5056), TypeError, "set_rng_state: new_state must be a uint8 tensor .*, got float32 array"),
        (sg.zeros(5, dtype=sg.uint8), ValueError, "set_rng_state: a generator state has 5056 bytes, got 5"),
    ],
)
def test_set_rng_state_refuses_bad_states(state: Any, error: type[Exception], message: str) -> None:
    sg.manual_seed(11)
    expected = sg.randperm(10).tolist()
    sg.manual_seed(11)
    with pytest.raises(error, match=message):
        sg.set_rng_state(state)
    assert sg.randperm(10).tolist() == expected  # the generator is as it was


def test_set_rng_state_refuses_where_torch_does(torch: Any) -> None:
    for state in ("x", [1, 2], None, torch.zeros(5056), torch.zeros(5, dtype=torch.uint8)):
        with pytest.raises(TORCH_ERRORS):
            torch.set_rng_state(state)
    state = sg.get_rng_state()
    first = sg.randperm(10).tolist()
    sg.set_rng_state(state)
    assert sg.randperm(10).tolist() == first


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bernoulli_draws_as_torch(torch: Any, dtype: str) -> None:
    probs = np.linspace(0.0, 1.0, 50).reshape(5, 10)
    sg.manual_seed(5)
    torch.manual_seed(5)
    ours = sg.bernoulli(sg.tensor(probs, dtype=getattr(sg, dtype)))
    same(ours, torch.bernoulli(torch.tensor(probs, dtype=getattr(torch, dtype))))
    mine, theirs = sg.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    for _ in range(2):  # p for all elements, then the input's probabilities, from one generator
        ours = sg.bernoulli(sg.zeros(300, dtype=getattr(sg, dtype)), 0.3, generator=mine)
        same(ours, torch.bernoulli(torch.zeros(300, dtype=getattr(torch, dtype)), 0.3, generator=theirs))
        ours = sg.bernoulli(sg.zeros(300, dtype=getattr(sg, dtype)), sg.tensor(0.7), generator=mine)
        p = torch.tensor(0.7)  # a 0-d tensor is one probability for all
        same(ours, torch.bernoulli(torch.zeros(300, dtype=getattr(torch, dtype)), p, generator=theirs))
        ours = sg.bernoulli(sg.full((300,), 0.6, dtype=getattr(sg, dtype)), generator=mine)
        same(ours, torch.bernoulli(torch.full((300,), 0.6, dtype=getattr(torch, dtype)), generator=theirs))


def test_bernoulli_refuses_what_is_not_a_float_tensor_of_probabilities() -> None:
    with pytest.raises(TypeError, match="bernoulli: expected a floating-point Tensor .*, got list"):
        sg.bernoulli([0.5])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got int64"):
        sg.bernoulli(sg.tensor([1, 0]))
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        sg.bernoulli(sg.tensor([1.5]))
    assert not sg.bernoulli(sg.tensor([0.5], requires_grad=True)).requires_grad  # draws: no graph
