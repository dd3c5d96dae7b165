"""autograd.random against torch's own CPU generator, call by call: the same seed and the same
calls must give the same numbers (and leave the same generator state, byte for byte)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograd import random as R  # noqa: N812 - short, to read beside torch.randn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

SEEDS = (0, 42, 2147483647)
SIZES = (1, 3, 15, 16, 17, 31, 100, 1000)
DTYPES = ((np.float32, torch.float32), (np.float64, torch.float64))

# Normals and exponentials go through log/sin/cos. torch computes them in double with libm (which
# numpy calls too) or, for float32 randn of 16+ numbers on an AVX2 CPU, with its own polynomials,
# which autograd.random replays operation for operation: there, all floats must match exactly.
# On other CPUs torch's float32 path calls libm's float functions, which we only approximate
# (rounding the double result), so we allow 1 ulp: tolerance 1e-6 (float32), 1e-12 (float64).
EXACT = R.CAPABILITY == "avx2"


def same_floats(ours: np.ndarray, theirs: Any) -> None:
    theirs = theirs.numpy() if hasattr(theirs, "numpy") else np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if EXACT:
        np.testing.assert_array_equal(ours, theirs)
    else:
        tol = 1e-6 if ours.dtype == np.float32 else 1e-12  # atol too: normal_'s mean can cancel
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def same_ints(ours: np.ndarray, theirs: Any) -> None:
    theirs = theirs.numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def same_state(G: R.Generator, g: Any) -> None:
    """Both generators are at the same place of the stream, cached normal included."""
    np.testing.assert_array_equal(G.get_state(), g.get_state().numpy())


def pair(seed: int) -> tuple[R.Generator, Any]:
    return R.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


# ------------------------------------------------------------------ the generator itself
def test_fresh_and_seeded_generators_have_torchs_state() -> None:
    G, g = R.Generator(), torch.Generator()
    assert G.initial_seed() == g.initial_seed() == 67280421310721 and G.device == "cpu"
    same_state(G, g)
    for seed in (*SEEDS, -1, 2**64 - 1, -(2**63)):
        G, g = pair(seed)
        assert G.initial_seed() == g.initial_seed()
        same_state(G, g)


def test_state_round_trips_between_us_and_torch() -> None:
    G, g = pair(3)
    R.randn(5, G), torch.randn(5, generator=g)  # an odd count: a cached normal is in the state
    saved = G.get_state()
    a = R.randn(7, G)
    np.testing.assert_array_equal(R.randn(7, G.set_state(saved)), a)
    mine = R.Generator().set_state(g.get_state())  # torch's bytes into ours...
    same_floats(R.randn(7, mine), torch.randn(7, generator=g))
    theirs = torch.Generator().set_state(torch.from_numpy(mine.get_state()))  # ...and back
    same_floats(R.rand(9, mine), torch.rand(9, generator=theirs))


def test_manual_seed_seeds_the_default_generator() -> None:
    for seed in SEEDS:
        assert R.manual_seed(seed) is R.default_generator
        torch.manual_seed(seed)
        same_floats(R.randn((4, 5)), torch.randn(4, 5))
        same_floats(R.rand(20), torch.rand(20))
        same_ints(R.randint(0, 10, (6,)), torch.randint(0, 10, (6,)))
        np.testing.assert_array_equal(R.get_rng_state(), torch.get_rng_state().numpy())
        assert R.initial_seed() == torch.initial_seed() == seed
    assert R.seed() == R.initial_seed()


# ------------------------------------------------------------------ floats
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("dt", "tdt"), DTYPES)
def test_randn_rand_normal_uniform(seed: int, n: int, dt: Any, tdt: Any) -> None:
    G, g = pair(seed)
    same_floats(R.randn(n, G, dt), torch.randn(n, generator=g, dtype=tdt))
    same_floats(R.randn((n, 2), G, dt), torch.randn((n, 2), generator=g, dtype=tdt))
    same_floats(R.rand(n, G, dt), torch.rand(n, generator=g, dtype=tdt))
    same_floats(
        R.normal_(np.empty(n, dt), 0.3, 2.5, G), torch.empty(n, dtype=tdt).normal_(0.3, 2.5, generator=g)
    )
    same_floats(
        R.uniform_(np.empty(n, dt), -0.3, 2.1, G), torch.empty(n, dtype=tdt).uniform_(-0.3, 2.1, generator=g)
    )
    same_floats(
        R.exponential_(np.empty(n, dt), 1.5, G), torch.empty(n, dtype=tdt).exponential_(1.5, generator=g)
    )
    same_state(G, g)


def test_a_million_normals_with_a_ragged_tail() -> None:
    G, g = pair(5)  # the vectorized path in many blocks, then its redone last 16
    same_floats(R.randn(1_000_003, G), torch.randn(1_000_003, generator=g))
    same_floats(R.randn(250_001, G, np.float64), torch.randn(250_001, generator=g, dtype=torch.float64))
    same_state(G, g)


def test_the_cached_normal_carries_over_between_calls() -> None:
    G, g = pair(11)  # odd small draws leave a sine behind; a 16+ draw does not touch it
    for n in (1, 3, 20, 2, 5, 16, 1, 7):
        same_floats(R.randn(n, G), torch.randn(n, generator=g))
        same_state(G, g)
    G.manual_seed(11), g.manual_seed(11)  # reseeding forgets the cached normal
    same_floats(R.randn(3, G, np.float64), torch.randn(3, generator=g, dtype=torch.float64))


@pytest.mark.parametrize(("dt", "tdt"), DTYPES)
def test_strided_arrays_are_filled_in_memory_order(dt: Any, tdt: Any) -> None:
    G, g = pair(1)
    for shape in ((4, 5), (20, 30)):
        a, t = np.zeros(shape, dt).T, torch.zeros(shape, dtype=tdt).T
        same_floats(R.normal_(a, 0.5, 2.0, G), t.normal_(0.5, 2.0, generator=g))
        b, u = np.zeros(shape, dt)[:, ::2], torch.zeros(shape, dtype=tdt)[:, ::2]
        same_floats(R.uniform_(b, -1, 3, G), u.uniform_(-1, 3, generator=g))
    same_state(G, g)


# ------------------------------------------------------------------ integers
@pytest.mark.parametrize("seed", SEEDS)
def test_randint_small_and_huge_ranges(seed: int) -> None:
    G, g = pair(seed)
    for n in SIZES:
        same_ints(R.randint(-5, 27, (n,), G), torch.randint(-5, 27, (n,), generator=g))
        same_ints(R.randint(0, 2**32, (n,), G), torch.randint(0, 2**32, (n,), generator=g))
        same_ints(R.randint(-(2**40), 2**50, (n, 2), G), torch.randint(-(2**40), 2**50, (n, 2), generator=g))
    same_ints(R.randint(-(2**63), 2**63 - 1, (9,), G), torch.randint(-(2**63), 2**63 - 1, (9,), generator=g))
    same_floats(
        R.randint(0, 10, (5,), G, np.float32), torch.randint(0, 10, (5,), generator=g, dtype=torch.float32)
    )
    same_state(G, g)


@pytest.mark.parametrize("seed", SEEDS)
def test_randperm(seed: int) -> None:
    G, g = pair(seed)  # (torch's other path, for n >= 2**32 / 20, would need gigabytes)
    for n in (0, 1, 2, *SIZES, 100_000):
        same_ints(R.randperm(n, G), torch.randperm(n, generator=g))
    same_state(G, g)


# ------------------------------------------------------------------ Bernoulli and dropout
@pytest.mark.parametrize("seed", SEEDS)
def test_bernoulli_with_a_float_and_with_arrays(seed: int) -> None:
    G, g = pair(seed)
    for n in SIZES:
        same_floats(R.bernoulli(0.3, (n,), G), torch.empty(n).bernoulli_(0.3, generator=g))
        for dt in (np.float32, np.float64):  # a float32 p compares 24-bit uniforms, float64 53
            p = np.linspace(0, 1, n, dtype=dt)
            same_floats(R.bernoulli(p, generator=G), torch.bernoulli(torch.from_numpy(p), generator=g))
    same_state(G, g)


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_masks(seed: int) -> None:
    x = torch.randn(33, 7, generator=torch.Generator().manual_seed(1))
    for p in (0.1, 0.5, 0.0, 1.0):
        R.manual_seed(seed), torch.manual_seed(seed)
        mask = R.dropout_mask((33, 7), p)
        expected = x.numpy() * (mask / np.float32(1 - p)) if p < 1 else x.numpy() * 0
        np.testing.assert_array_equal(TF.dropout(x, p, training=True).numpy(), expected)
        np.testing.assert_array_equal(R.get_rng_state(), torch.get_rng_state().numpy())
        out = torch.nn.Dropout(p)(x).numpy()  # the module draws the same mask
        np.testing.assert_array_equal(out != 0, R.dropout_mask((33, 7), p) != 0)


# ------------------------------------------------------------------ multinomial
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("dt", "tdt"), DTYPES)
def test_multinomial(seed: int, dt: Any, tdt: Any) -> None:
    probs = np.random.default_rng(seed).random((5, 27)).astype(dt)
    probs[:, 3] = 0  # a category that is never drawn
    for rows in (probs[0], probs, probs[:1] * 1000):  # 1-D, 2-D, unnormalized
        for k, replace in ((1, True), (10, True), (1, False), (5, False), (26, False)):
            G, g = pair(seed)
            ours = R.multinomial(rows, k, replace, G)
            same_ints(ours, torch.multinomial(torch.from_numpy(rows), k, replace, generator=g))
            assert not (ours == 3).any()
            same_state(G, g)


def test_makemore_bigram_sampling() -> None:
    counts = np.random.default_rng(0).integers(0, 50, (27, 27)).astype(np.float32) + 1
    P, T = counts / counts.sum(1, keepdims=True), torch.from_numpy(counts)
    T = T / T.sum(1, keepdim=True)
    G, g = pair(2147483647)
    for _ in range(20):  # names: draw the next letter from the current letter's row until '.'
        ix, jx, ours, theirs = 0, 0, [], []
        while True:
            ix = int(R.multinomial(P[ix], num_samples=1, replacement=True, generator=G)[0])
            jx = torch.multinomial(T[jx], num_samples=1, replacement=True, generator=g).item()
            ours.append(ix)
            theirs.append(jx)
            if ix == 0 or len(ours) > 50:
                break
        assert ours == theirs
    same_state(G, g)


# ------------------------------------------------------------------ a lecture's sequence of calls
def test_interleaved_calls_on_one_generator() -> None:
    """makemore part 3's cells, one generator for everything, plus other samplers in between."""
    G, g = pair(2147483647)
    steps: list[tuple[Callable[[], np.ndarray], Callable[[], Any]]] = [
        (lambda: R.randn((27, 10), G), lambda: torch.randn((27, 10), generator=g)),
        (lambda: R.randn((30, 200), G) * np.float32(0.2), lambda: torch.randn((30, 200), generator=g) * 0.2),
        (lambda: R.randn(200, G), lambda: torch.randn(200, generator=g)),
        (lambda: R.randn((200, 27), G), lambda: torch.randn((200, 27), generator=g)),
        (lambda: R.randn(27, G), lambda: torch.randn(27, generator=g)),
        (lambda: R.randn(3, G), lambda: torch.randn(3, generator=g)),
        (lambda: R.rand((2, 3), G), lambda: torch.rand((2, 3), generator=g)),
        (lambda: R.randperm(10, G), lambda: torch.randperm(10, generator=g)),
        (lambda: R.randn(5, G, np.float64), lambda: torch.randn(5, generator=g, dtype=torch.float64)),
    ]
    steps += [
        (lambda: R.randint(0, 182625, (32,), G), lambda: torch.randint(0, 182625, (32,), generator=g))
    ] * 5
    for ours, theirs in steps:
        result, expected = ours(), theirs()
        (same_ints if result.dtype == np.int64 else same_floats)(result, expected)
    same_state(G, g)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: R.randn((2, -1)), ValueError, "negative dimension"),
        (lambda: R.randn(2.5), TypeError, "size"),  # type: ignore[arg-type]
        (lambda: R.randn(3, dtype=np.int32), TypeError, "float32 or float64"),
        (lambda: R.randn(3, generator=np.random.default_rng()), TypeError, "Generator"),  # type: ignore[arg-type]
        (lambda: R.manual_seed(1.5), TypeError, "seed must be an int"),  # type: ignore[arg-type]
        (lambda: R.manual_seed("3"), TypeError, "seed must be an int"),  # type: ignore[arg-type]
        (lambda: R.Generator().manual_seed(True), TypeError, "seed must be an int"),
        (lambda: R.manual_seed(2**64), ValueError, "seed must be in"),
        (lambda: R.manual_seed(-(2**63) - 1), ValueError, "seed must be in"),
        (lambda: R.randint(5, 5, (2,)), ValueError, "low < high"),
        (lambda: R.randperm(-1), ValueError, "n >= 0"),
        (lambda: R.normal_(np.empty(3), 0.0, -1.0), ValueError, "std >= 0"),
        (lambda: R.normal_([1.0, 2.0]), TypeError, "numpy array"),  # type: ignore[arg-type]
        (lambda: R.uniform_(np.empty(3), 2.0, 1.0), ValueError, "a <= b"),
        (lambda: R.multinomial(np.array([0.5, -0.1]), 1), ValueError, "finite and >= 0"),
        (lambda: R.multinomial(np.array([0.5, np.nan]), 1), ValueError, "nan"),
        (lambda: R.multinomial(np.array([0.0, 0.0]), 1), ValueError, "sum of probabilities"),
        (lambda: R.multinomial(np.array([[1.0, 1.0], [0.0, 0.0]]), 1, True), ValueError, "sum of"),
        (lambda: R.multinomial(np.array([0.5, 0.5]), 3), ValueError, "without replacement"),
        (lambda: R.multinomial(np.array([0.5, 0.5]), 0), ValueError, "num_samples"),
        (lambda: R.multinomial(np.ones((2, 2, 2)), 1), ValueError, "1-D or 2-D"),
        (lambda: R.multinomial(np.array([1, 2]), 1), TypeError, "float32 or float64"),
        (lambda: R.bernoulli(1.5, (3,)), ValueError, "0 <= p <= 1"),
        (lambda: R.bernoulli(np.array([0.5, 2.0])), ValueError, "[0, 1]"),
        (lambda: R.dropout_mask((3,), 1.5), ValueError, "between 0 and 1"),
        (lambda: R.Generator().set_state(np.zeros(10, np.uint8)), ValueError, "5056 bytes"),
        (lambda: R.Generator().set_state(np.zeros(5056, np.uint8)), ValueError, "invalid"),
    ],
)
def test_bad_input_is_a_clear_error(call: Callable[[], object], error: type, words: str) -> None:
    with pytest.raises(error, match=re.escape(words)):
        call()


def test_an_error_draws_nothing() -> None:
    G = R.Generator().manual_seed(0)
    before = G.get_state()
    with pytest.raises(ValueError):
        R.multinomial(np.array([[1.0, 1.0], [0.0, 0.0]]), 2, True, G)
    np.testing.assert_array_equal(G.get_state(), before)
