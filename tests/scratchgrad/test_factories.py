"""scratchgrad's factories against PyTorch's, call by call: dtypes, shapes, values, random streams."""

from __future__ import annotations

import numpy as np
import pytest

import scratchgrad as sg

torch = pytest.importorskip("torch")


def same(ours: sg.Tensor, theirs: torch.Tensor) -> None:
    """Equal shape, dtype name and values, bit for bit."""
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).rsplit(".", 1)[-1]
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


@pytest.mark.parametrize(
    "data",
    [[0.5], 1 / 27.0, [[1, 2], [3, 4]], 5, [True, False], [1, 2.5], [[0.0, 1.0]], [], np.arange(3.0)],
)
def test_tensor_infers_dtypes_as_torch(data: object) -> None:
    same(sg.tensor(data), torch.tensor(data))


def test_tensor_dtype_and_requires_grad() -> None:
    t = sg.tensor([1, 2], dtype=sg.float64, requires_grad=True)
    assert t.dtype == np.float64 and t.requires_grad
    same(sg.tensor([1.7, -2.2], dtype=sg.long), torch.tensor([1.7, -2.2], dtype=torch.long))
    with pytest.raises(TypeError, match="require grad"):
        sg.tensor([1, 2], requires_grad=True)
    with pytest.raises(ValueError, match="CPU"):
        sg.tensor([1.0], device="cuda")


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", [(3,), ((2, 3),), (2, 3), ([4],)])
def test_filled_factories(name: str, size: tuple) -> None:
    ours, theirs = getattr(sg, name)(*size), getattr(torch, name)(*size)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    if name != "empty":
        same(ours, theirs)
    assert getattr(sg, name)(2, dtype=sg.int32).dtype == np.int32


def test_like_full_and_eye() -> None:
    x = sg.tensor([[1, 2]], dtype=sg.int32)
    same(sg.zeros_like(x), torch.zeros_like(torch.tensor([[1, 2]], dtype=torch.int32)))
    same(sg.ones_like(sg.ones(2, 2)), torch.ones_like(torch.ones(2, 2)))
    same(sg.full((2, 2), 1.5), torch.full((2, 2), 1.5))
    same(sg.full((2,), 7), torch.full((2,), 7))
    same(sg.full_like(sg.ones(3), 2), torch.full_like(torch.ones(3), 2))
    same(sg.eye(3, 2), torch.eye(3, 2))
    assert sg.empty_like(sg.ones(2, dtype=sg.int64)).dtype == np.int64


ARANGES = [(5,), (1, 4), (0, 1, 0.25), (-3, 0, 0.1), (0.5, 3), (10, 0, -3), (0, 1, 1 / 3)]
ARANGES += [(0, 10, 0.01), (-7.3, 20.1, 0.37), (1, 1000, 0.7), (2.5, -4.0, -0.3)]


@pytest.mark.parametrize("args", ARANGES)
def test_arange(args: tuple) -> None:
    same(sg.arange(*args), torch.arange(*args))
    same(sg.arange(*args, dtype=sg.float64), torch.arange(*args, dtype=torch.float64))
    same(sg.arange(*args, dtype=sg.float32), torch.arange(*args, dtype=torch.float32))


@pytest.mark.parametrize(
    "start, end, steps",
    [
        (-3, 0, 1000),
        (0, 1, 100),
        (-1, 1, 101),
        (0.1, 7.3, 37),
        (0, 1e6, 12345),
        (2, 2, 5),
        (0, 1, 1),
        (0, 1, 0),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_linspace_is_bit_exact(start: float, end: float, steps: int, dtype: str) -> None:
    same(
        sg.linspace(start, end, steps, dtype=getattr(sg, dtype)),
        torch.linspace(start, end, steps, dtype=getattr(torch, dtype)),
    )


def test_linspace_checks() -> None:
    with pytest.raises(ValueError, match="steps"):
        sg.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="steps"):
        sg.linspace(0, 1, 2.0)  # type: ignore[arg-type]


def test_legacy_tensor_constructor_and_isinstance() -> None:
    same(sg.Tensor([1, 2]), torch.Tensor([1, 2]))
    assert sg.Tensor(2, 3).shape == (2, 3) and sg.Tensor(2, 3).dtype == np.float32
    assert sg.Tensor().shape == (0,)
    assert isinstance(sg.randn(2), sg.Tensor) and not isinstance([1.0], sg.Tensor)
    assert issubclass(type(sg.ones(1)), sg.Tensor) and sg.is_tensor(sg.ones(1))
    assert sg.Tensor([1.0], requires_grad=True).requires_grad


def test_from_numpy_shares_memory() -> None:
    a = np.zeros(3, np.float32)
    t = sg.from_numpy(a)
    a[0] = 5
    assert t.tolist() == [5.0, 0.0, 0.0] and t.dtype == np.float32
    assert sg.as_tensor(a).tolist() == [5.0, 0.0, 0.0]
    assert sg.as_tensor([1, 2]).dtype == np.int64
    with pytest.raises(TypeError, match="ndarray"):
        sg.from_numpy([1.0])  # type: ignore[arg-type]


# --- random streams -------------------------------------------------------------------------------


def pair(seed: int) -> tuple[sg.Generator, torch.Generator]:
    return sg.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("size", [(3,), ((27, 27),), (1000, 10), (200,)])
def test_randn_and_rand(size: tuple) -> None:
    g, tg = pair(2147483647)
    for name in ("randn", "rand", "randn", "rand"):
        same(getattr(sg, name)(*size, generator=g), getattr(torch, name)(*size, generator=tg))
    same(
        sg.randn(*size, generator=g, dtype=sg.float64), torch.randn(*size, generator=tg, dtype=torch.float64)
    )


def test_global_generator_and_requires_grad() -> None:
    sg.manual_seed(42), torch.manual_seed(42)
    same(sg.randn(4, 5), torch.randn(4, 5))
    same(sg.rand((3,)), torch.rand((3,)))
    same(sg.randint(0, 10, (7,)), torch.randint(0, 10, (7,)))
    assert sg.randn(2, requires_grad=True).requires_grad
    assert sg.initial_seed() == 42


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((0, 27, (5,)), {}),
        ((10, (3, 4)), {}),
        ((), {"high": 9, "size": (32,)}),
        ((-5, 5, (6,)), {"dtype": "int32"}),
        ((0, 2**40, (4,)), {}),
    ],
)
def test_randint_signatures(args: tuple, kwargs: dict) -> None:
    g, tg = pair(2147483647)
    theirs = dict(kwargs, dtype=getattr(torch, kwargs["dtype"])) if "dtype" in kwargs else kwargs
    ours = dict(kwargs, dtype=getattr(sg, kwargs["dtype"])) if "dtype" in kwargs else kwargs
    same(sg.randint(*args, generator=g, **ours), torch.randint(*args, generator=tg, **theirs))
    with pytest.raises(TypeError, match="randint"):
        sg.randint(5)


def test_randperm_and_multinomial() -> None:
    g, tg = pair(0)
    same(sg.randperm(10, generator=g), torch.randperm(10, generator=tg))
    p, tp = sg.tensor([0.1, 0.6, 0.3]), torch.tensor([0.1, 0.6, 0.3])
    same(sg.multinomial(p, 1, generator=g), torch.multinomial(tp, 1, generator=tg))
    same(sg.multinomial(p, 100, True, generator=g), torch.multinomial(tp, 100, True, generator=tg))
    rows, trows = sg.rand(4, 27, generator=g), torch.rand(4, 27, generator=tg)
    same(rows, trows)
    same(
        sg.multinomial(rows, num_samples=3, generator=g),
        torch.multinomial(trows, num_samples=3, generator=tg),
    )
    with pytest.raises(TypeError, match="Tensor"):
        sg.multinomial([0.5, 0.5], 1)


def test_like_random_and_rng_state() -> None:
    sg.manual_seed(3), torch.manual_seed(3)
    state, tstate = sg.get_rng_state(), torch.get_rng_state()
    np.testing.assert_array_equal(state.numpy(), tstate.numpy())
    same(sg.randn_like(sg.zeros(2, 3)), torch.randn_like(torch.zeros(2, 3)))
    same(sg.rand_like(sg.zeros(4)), torch.rand_like(torch.zeros(4)))
    sg.set_rng_state(state)
    torch.set_rng_state(tstate)
    same(sg.randn(3), torch.randn(3))
    assert isinstance(sg.seed(), int)
