"""PyTorch's CPU random numbers in numpy: the same seed and the same calls give the same numbers.

The engine is mt19937 (seeded as torch seeds it, twisted 624 words at a time with numpy); each
sampler turns its words into numbers with the formulas of torch's CPU kernels, in the same order,
keeping torch's cached second normal between calls. Samplers return numpy arrays (or fill one in
place, like ``Tensor.normal_``); ``generator=None`` means ``default_generator``.

>>> g = Generator().manual_seed(2147483647)
>>> randint(0, 27, (5,), generator=g)                     # torch.randint(0, 27, (5,), generator=g)
array([ 0, 26, 16, 12,  5])
>>> randn(3, generator=Generator().manual_seed(0))       # torch.manual_seed(0); torch.randn(3)
array([ 1.5409961, -0.2934289, -2.1787894], dtype=float32)

Exactness (checked call by call against torch 2.13 on x86-64): integers, uniforms, permutations,
Bernoulli, dropout and multinomial draws are bit-exact, and so are normals and exponentials where
torch uses double-precision libm (which numpy calls too) or, for float32 ``randn`` of 16+ numbers
on an AVX2 CPU, its own vectorized polynomials, replayed here operation for operation. On CPUs
without AVX2 or with AVX-512, that float32 path calls libm's float functions; we round the double
results instead, which differ in the last bit for about 1% of the numbers.
"""

from __future__ import annotations

import math
import operator
import os
import platform
import secrets
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from autograd.devices import CPU, check_cpu

__all__ = [
    "Generator",
    "default_generator",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
    "randn",
    "rand",
    "randint",
    "randperm",
    "multinomial",
    "normal_",
    "uniform_",
    "exponential_",
    "bernoulli",
    "dropout_mask",
    "fma",
    "CAPABILITY",
    "FUSED",
]

_N, _M = 624, 397  # mt19937: state words, shift
_MATRIX_A, _UPPER, _LOWER = np.uint32(0x9908B0DF), np.uint32(0x80000000), np.uint32(0x7FFFFFFF)
_DEFAULT_SEED = 67280421310721  # what torch.Generator() starts from
_CHUNK = 16 * 8192  # numbers per vectorized block of randn
_STATE = struct.Struct("<QiiQ624Qdddif?7x")  # torch's CPUGeneratorImplState: 5056 bytes
f32, f64 = np.float32, np.float64


def _capability() -> str:
    """Which of torch's kernels runs here: torch picks AVX512, AVX2 or DEFAULT by CPU (or env)."""
    env = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if env in ("default", "avx2", "avx512"):
        return env
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return "other"
    try:
        with open("/proc/cpuinfo") as f:
            flags = set(f.read().split())
    except OSError:  # no /proc (macOS, Windows): assume the common case
        return "avx2"
    if {"avx512vl", "avx512bw", "avx512dq", "fma"} <= flags:
        return "avx512"
    return "avx2" if {"avx2", "fma"} <= flags else "default"


CAPABILITY = _capability()
# Measured against torch: its compiled kernels fuse x*y+z into one FMA (one rounding), except in
# the DEFAULT (pre-AVX2) build, where only the 16-wide normal fill does.
FUSED = CAPABILITY != "default"


# ---------------------------------------------------------------- the mt19937 engine
def _twist(mt: np.ndarray) -> np.ndarray:
    """The next 624 state words, vectorized in the three runs that depend only on known words."""
    y = (mt[:-1] & _UPPER) | (mt[1:] & _LOWER)
    t = (y >> np.uint32(1)) ^ ((y & np.uint32(1)) * _MATRIX_A)
    new = np.empty(_N, np.uint32)
    new[:227] = mt[_M:] ^ t[:227]  # word i+397 is still an old word here...
    new[227:454] = new[:227] ^ t[227:454]  # ...and from i=227 on it is a new one (i-227)
    new[454:623] = new[227:396] ^ t[454:]
    y_last = (mt[623] & _UPPER) | (new[0] & _LOWER)  # the last word wraps round to the new word 0
    new[623] = new[396] ^ (y_last >> np.uint32(1)) ^ ((y_last & np.uint32(1)) * _MATRIX_A)
    return new


def _temper(y: np.ndarray) -> np.ndarray:
    y = y ^ (y >> np.uint32(11))
    y = y ^ ((y << np.uint32(7)) & np.uint32(0x9D2C5680))
    y = y ^ ((y << np.uint32(15)) & np.uint32(0xEFC60000))
    return y ^ (y >> np.uint32(18))


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__}")
    s = operator.index(seed)
    if not -(2**63) <= s < 2**64:
        shown = str(s) if s.bit_length() <= 256 else f"an int of {s.bit_length()} bits"
        raise ValueError(f"manual_seed: seed must be in [-2**63, 2**64), got {shown}")
    return s % 2**64  # as torch: a negative seed counts from 2**64


class Generator:
    """torch.Generator for the CPU: mt19937 plus the cached second normal of Box-Muller."""

    device = CPU

    def __init__(self, device: Any = "cpu") -> None:
        check_cpu("Generator", device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        s = _check_seed(seed)
        self._seed = s
        mt = [s & 0xFFFFFFFF]  # only the low 32 bits reach the state, as in torch
        for i in range(1, _N):
            mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
        self._mt = np.array(mt, np.uint32)
        self._left, self._next = 1, 0  # torch's counters: twist on the first draw
        self._normal64: float | None = None  # Box-Muller's cached sine, for the next normal
        self._normal32: float | None = None  # kept only so that torch's states round-trip
        return self

    def seed(self) -> int:
        """Seed from the OS's entropy and return the seed."""
        s = secrets.randbits(63)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> np.ndarray:
        """The state as torch lays it out (5056 uint8), so torch's states and ours interchange."""
        n64, n32 = self._normal64, self._normal32
        head = (self._seed, self._left, 1, self._next, *self._mt.tolist())  # 1: seeded
        normals = (0.0, n64 or 0.0, 0.0, n64 is not None, n32 or 0.0, n32 is not None)
        raw = _STATE.pack(*head, *normals)
        return np.frombuffer(raw, np.uint8).copy()

    def set_state(self, state: object) -> Generator:
        raw = np.asarray(state, dtype=np.uint8).tobytes()  # a torch ByteTensor works too
        if len(raw) != _STATE.size:
            raise ValueError(f"a generator state has {_STATE.size} bytes, got {len(raw)}")
        seed_, left, seeded, nxt, *rest = _STATE.unpack(raw)
        mt, (_, n64, _, valid64, n32, valid32) = rest[:_N], rest[_N:]
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise ValueError("invalid mt19937 state")
        self._seed, self._left, self._next = seed_, left, nxt
        self._mt = np.array(mt, np.uint64).astype(np.uint32)  # torch stores each word in 64 bits
        self._normal64 = n64 if valid64 else None
        self._normal32 = n32 if valid32 else None
        return self

    def _words(self, n: int) -> np.ndarray:
        """The next n 32-bit outputs (torch's random())."""
        parts = []
        while n > 0:
            if self._left == 1:  # used up: twist, as torch does on its next draw
                self._mt, self._left, self._next = _twist(self._mt), _N + 1, 0
            k = min(n, self._left - 1)
            parts.append(self._mt[self._next : self._next + k])
            self._next, self._left, n = self._next + k, self._left - k, n - k
        return _temper(np.concatenate(parts)) if parts else np.empty(0, np.uint32)

    def random64(self, n: int) -> np.ndarray:
        """``n`` draws of torch's random64() (uint64): two 32-bit draws each, the first one high.
        (``torch.empty((), dtype=torch.int64).random_(generator=g)`` is the first % 2**63.)"""
        w = self._words(2 * n).astype(np.uint64)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _uniform(self, n: int, dtype: np.dtype) -> np.ndarray:
        """U[0, 1): float32 takes 24 bits of one draw, float64 53 bits of a 64-bit draw."""
        if dtype == f32:
            return (self._words(n) & np.uint32(0xFFFFFF)).astype(f32) * f32(2.0**-24)
        return (self.random64(n) & np.uint64(2**53 - 1)).astype(f64) * 2.0**-53


default_generator = Generator()
default_generator.seed()  # as torch's: a fresh seed in every process


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (torch.manual_seed) and return it."""
    return default_generator.manual_seed(seed)


seed, initial_seed = default_generator.seed, default_generator.initial_seed
get_rng_state, set_rng_state = default_generator.get_state, default_generator.set_state


Shape = int | Sequence[int]
Gen = Generator | None  # None: the default generator


# ---------------------------------------------------------------- checks and small helpers
def _gen(generator: Gen) -> Generator:
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a Generator, got {type(generator).__name__}")
    return generator


def _shape(shape: Shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    if not isinstance(shape, (Sequence, np.ndarray)):
        raise TypeError(f"size must be an int or a sequence of ints, got {type(shape).__name__}")
    dims = tuple(shape)
    for d in dims:
        if isinstance(d, bool) or not hasattr(d, "__index__"):
            raise TypeError(f"size must be ints, got {type(d).__name__} in {shape!r}")
        if operator.index(d) < 0:
            raise ValueError(f"negative dimension {d} in size {shape!r}")
    return tuple(operator.index(d) for d in dims)


def _float_dtype(dtype: DTypeLike) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in (f32, f64):
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return dt


def _target(array: np.ndarray) -> np.ndarray:
    """The array to fill, axes in memory order: torch walks a tensor's memory from start to end."""
    if not isinstance(array, np.ndarray) or array.dtype not in (f32, f64):
        raise TypeError(f"expected a float32 or float64 numpy array, got {type(array).__name__}")
    if array.flags.c_contiguous:
        return array
    order = sorted(range(array.ndim), key=lambda a: -abs(array.strides[a]))
    return array.transpose(order)


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b  # Knuth: s + err == a + b exactly
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = x * 134217729.0  # 2**27 + 1: x == hi + lo, each half 26 bits or fewer
    hi = t - (t - x)
    return hi, x - hi


def _add_round_odd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a + b rounded to odd: a later rounding to fewer bits is then the correct one."""
    s, err = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    return np.where((err != 0) & even, np.nextafter(s, np.copysign(np.inf, err)), s)


def fma(a: np.ndarray, b: object, c: object) -> np.ndarray:
    """a*b + c rounded once, in a's dtype: what the FMA instruction torch's kernels use gives."""
    a64, b64, c64 = np.asarray(a, f64), np.asarray(b, f64), np.asarray(c, f64)
    if a.dtype == f32:  # float32 products are exact in float64, so...
        s = a64 * b64 + c64
        out = s.astype(f32)  # ...one rounding to float64, one to float32: right
        tie = (s.view(np.uint64) & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000)
        if tie.any():  # unless the first landed on a float32 halfway point
            p, c_ = (np.broadcast_to(v, s.shape)[tie] for v in (a64 * b64, c64))
            out[tie] = _add_round_odd(p, c_).astype(f32)
        return out
    (a_hi, a_lo), (b_hi, b_lo) = _split(a64), _split(b64)  # float64: Dekker's exact product,
    p = a64 * b64  # then Boldo-Melquiond's sum
    p_err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    s, s_err = _two_sum(c64, p)
    return s + _add_round_odd(s_err, p_err)


def _scale(x: np.ndarray, std: float, mean: float, fused: bool = FUSED) -> np.ndarray:
    """x * std + mean as torch's compiled kernels compute it."""
    if std == 1 and mean == 0:
        return x
    s, m = x.dtype.type(std), x.dtype.type(mean)
    return fma(x, s, m) if fused else x * s + m


# ---------------------------------------------------------------- normals
_LOG_P: tuple[float, ...] = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1)
_LOG_P += (1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)
_SIN_P = (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1)
_COS_P = (2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2)


def _horner(coefs: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    y = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        y = fma(y, x, f32(c))  # GCC fuses each mul+add of the polynomial
    return y


def _log_avx2(x: np.ndarray) -> np.ndarray:
    """torch's log256_ps (Cephes logf, 8 lanes), operation for operation, in float32."""
    bits = np.maximum(x, np.finfo(f32).tiny).view(np.uint32)
    e = ((bits >> np.uint32(23)).astype(np.int32) - 126).astype(f32)  # exponent, mantissa in [.5,1)
    m = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(f32)
    small = m < f32(0.707106781186547524)
    e = e - small.astype(f32)
    m = (m - f32(1)) + np.where(small, m, f32(0))
    z = m * m
    y = fma(_horner(_LOG_P, m) * m, z, e * f32(-2.12194440e-4))
    y = y - z * f32(0.5)
    return (m + y) + e * f32(0.693359375)


def _sincos_avx2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch's sincos256_ps (Cephes sinf/cosf) for x >= 0, in float32."""
    j = (x * f32(1.27323954473516)).astype(np.int32)  # octant of x, rounded up to even
    j = (j + 1) & ~1
    y = j.astype(f32)
    for piece in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = fma(y, f32(piece), x)  # x - j*pi/4, pi/4 split in three pieces
    z = x * x
    cos = fma(_horner(_COS_P, z) * z, z, -(z * f32(0.5))) + f32(1)
    sin = fma(_horner(_SIN_P, z) * z, x, x)
    swap = (j & 2) != 0  # octants where sine and cosine trade polynomials
    s, c = np.where(swap, cos, sin), np.where(swap, sin, cos)
    return np.where((j & 4) != 0, -s, s), np.where(((j - 2) & 4) == 0, -c, c)


def _box_muller_16(u: np.ndarray, std: float, mean: float) -> np.ndarray:
    """torch's normal_fill_16 on rows of 16 uniforms: 8 radii/angles give 8 cosines then 8 sines."""
    u1, u2 = 1 - u[:, :8], u[:, 8:]  # 1 - u lies in (0, 1], safe for log
    if u.dtype == f32 and CAPABILITY == "avx2":
        r = np.sqrt(f32(-2) * _log_avx2(u1))
        sin, cos = _sincos_avx2(f32(2 * math.pi) * u2)
        n1, n2 = r * cos, r * sin
    elif u.dtype == f32:  # the scalar loop: float libm calls, angle via double
        r = np.sqrt(f32(-2) * np.log(u1.astype(f64)).astype(f32))
        theta = (2 * math.pi * u2.astype(f64)).astype(f32).astype(f64)
        n1, n2 = r * np.cos(theta).astype(f32), r * np.sin(theta).astype(f32)
    else:
        r, theta = np.sqrt(-2 * np.log(u1)), 2 * math.pi * u2
        n1, n2 = r * np.cos(theta), r * np.sin(theta)
    return np.concatenate([_scale(n1, std, mean, True), _scale(n2, std, mean, True)], axis=1)


def _normal_pairs(gen: Generator, n: int) -> np.ndarray:
    """n standard normals (float64) from torch's scalar Box-Muller, with its cached sine."""
    head = [] if gen._normal64 is None or n == 0 else [gen._normal64]
    if head:
        gen._normal64 = None
    pairs = (n - len(head) + 1) // 2
    u = gen._uniform(2 * pairs, np.dtype(f64))
    u1, u2 = u[0::2], u[1::2]
    r, theta = np.sqrt(-2.0 * np.log1p(-u2)), 2 * math.pi * u1
    both = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1).ravel()
    if (n - len(head)) % 2:  # an odd count leaves the last sine for later
        gen._normal64, both = float(both[-1]), both[:-1]
    return np.concatenate([head, both])


def _real(op: str, name: str, x: Any) -> float:
    """``x`` as a float, or a TypeError naming the argument (None, a str, a Tensor of many)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a number, got {type(x).__name__}")
    return float(x)


def normal_(array: np.ndarray, mean: float = 0.0, std: float = 1.0, generator: Gen = None) -> np.ndarray:
    """Fill `array` in place with N(mean, std²) draws, as torch.Tensor.normal_; return it."""
    gen, out = _gen(generator), _target(array)
    mean, std = _real("normal_", "mean", mean), _real("normal_", "std", std)
    if not std >= 0:
        raise ValueError(f"normal_ expects std >= 0.0, but found std {std}")
    n = out.size
    if n >= 16 and out is array:  # torch's vectorized path: blocks of 16
        u = gen._uniform(n, out.dtype)
        full = n // 16 * 16
        values = np.empty(n, out.dtype)
        for i in range(0, full, _CHUNK):  # in cache-sized chunks: several times faster
            block = u[i : min(i + _CHUNK, full)].reshape(-1, 16)
            values[i : i + block.size] = _box_muller_16(block, std, mean).ravel()
        if n % 16:  # redo the last 16 (overlapping) with 16 new uniforms
            tail = gen._uniform(16, out.dtype).reshape(1, 16)
            values[n - 16 :] = _box_muller_16(tail, std, mean).ravel()
    else:  # small or strided: one normal at a time, in float64
        values = _scale(_normal_pairs(gen, n), std, mean)
    out[...] = values.reshape(out.shape)
    return array


def randn(shape: Shape, generator: Gen = None, dtype: DTypeLike = f32) -> np.ndarray:
    """Standard normals of the given shape, as torch.randn."""
    return normal_(np.empty(_shape(shape), _float_dtype(dtype)), 0.0, 1.0, generator)


# ---------------------------------------------------------------- uniforms and integers
def uniform_(array: np.ndarray, a: float = 0.0, b: float = 1.0, generator: Gen = None) -> np.ndarray:
    """Fill `array` in place with U[a, b) draws, as torch.Tensor.uniform_; return it."""
    gen, out = _gen(generator), _target(array)
    a, b = _real("uniform_", "from", a), _real("uniform_", "to", b)
    if not a <= b:
        raise ValueError(f"uniform_ expects a <= b, but found a={a} > b={b}")
    if not math.isfinite(b - a):
        raise ValueError(f"uniform_ expects a finite range [a, b), but found a={a}, b={b}")
    lo, hi = out.dtype.type(a), out.dtype.type(b)
    u = gen._uniform(out.size, out.dtype)
    out[...] = _scale(u, float(hi - lo), float(lo)).reshape(out.shape)
    return array


def rand(shape: Shape, generator: Gen = None, dtype: DTypeLike = f32) -> np.ndarray:
    """U[0, 1) draws of the given shape, as torch.rand."""
    return uniform_(np.empty(_shape(shape), _float_dtype(dtype)), 0.0, 1.0, generator)


def randint(
    low: int, high: int, shape: Shape, generator: Gen = None, dtype: DTypeLike = np.int64
) -> np.ndarray:
    """Integers in [low, high), as torch.randint: one draw modulo the range (64 bits if >= 2**32)."""
    dims, gen = _shape(shape), _gen(generator)
    low, high = operator.index(low), operator.index(high)
    if not low < high:
        raise ValueError(f"randint expects low < high, but got low={low} >= high={high}")
    if low < -(2**63) or high > 2**63 - 1:
        raise ValueError(f"randint bounds must fit in int64, got [{low}, {high})")
    span, n = high - low, math.prod(dims)
    words = gen.random64(n) if span >= 2**32 else gen._words(n).astype(np.uint64)
    values = (words % np.uint64(span) + np.uint64(low % 2**64)).view(np.int64)  # wraps as C++
    return values.reshape(dims).astype(dtype)


def randperm(n: int, generator: Gen = None) -> np.ndarray:
    """A random permutation of 0..n-1, as torch.randperm (int64)."""
    gen, n = _gen(generator), operator.index(n)
    if n < 0:
        raise ValueError(f"randperm expects n >= 0, got {n}")
    if n < 0xFFFFFFFF // 20:  # torch's Fisher-Yates: swap i with i + random() % (n-i)
        z = (gen._words(max(n - 1, 0)) % np.arange(n, 1, -1, dtype=np.uint32)).tolist()
        perm = list(range(n))
        for i, k in enumerate(z):
            perm[i], perm[i + k] = perm[i + k], perm[i]
        return np.array(perm, np.int64)
    picks = gen.random64(n) % np.arange(1, n + 1, dtype=np.uint64)  # huge n: "inside-out"
    out = np.empty(n, np.int64)  # shuffle with 64-bit draws (slow here, but rare)
    for start in range(0, n, 1 << 20):
        for i, k in enumerate(picks[start : start + (1 << 20)].tolist(), start):
            out[i], out[k] = out[k], i
    return out


# ---------------------------------------------------------------- Bernoulli, exponential, multinomial
def bernoulli(
    p: float | np.ndarray, shape: Shape | None = None, generator: Gen = None, dtype: DTypeLike = f32
) -> np.ndarray:
    """0/1 draws, 1 with probability p: torch.bernoulli(p_array), or, for a float p and a shape,
    torch.empty(shape).bernoulli_(p). A float p (and a float64 array) compares a 53-bit uniform,
    a float32 array a 24-bit one."""
    gen = _gen(generator)
    if isinstance(p, np.ndarray):
        if p.dtype not in (f32, f64):
            raise TypeError(f"bernoulli expects float32 or float64 probabilities, got {p.dtype}")
        if np.any(~((p >= 0) & (p <= 1))):
            raise ValueError("bernoulli expects all probabilities in [0, 1]")
        u = gen._uniform(p.size, p.dtype).reshape(p.shape)
        return (u < p).astype(p.dtype if shape is None else dtype)
    if not 0 <= _real("bernoulli", "p", p) <= 1:
        raise ValueError(f"bernoulli expects 0 <= p <= 1, but got p={p}")
    dims = _shape(() if shape is None else shape)
    return (gen._uniform(math.prod(dims), np.dtype(f64)) < p).reshape(dims).astype(dtype)


def dropout_mask(shape: Shape, p: float, generator: Gen = None, dtype: DTypeLike = f32) -> np.ndarray:
    """The keep-mask of torch's CPU dropout: bernoulli_(1 - p) over the input's shape, no draws
    at all for p = 0 or 1. torch's output is then input * (mask / (1 - p))."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p in (0, 1):
        return np.full(_shape(shape), 1 - p, dtype)
    return bernoulli(1.0 - p, shape, generator, dtype)


def exponential_(array: np.ndarray, lambd: float = 1.0, generator: Gen = None) -> np.ndarray:
    """Fill `array` in place with Exp(lambd) draws (computed in float64), as Tensor.exponential_."""
    gen, out = _gen(generator), _target(array)
    lambd = _real("exponential_", "lambd", lambd)
    if not lambd > 0:
        raise ValueError(f"exponential_ expects lambd > 0.0, but found lambd={lambd}")
    u = gen._uniform(out.size, np.dtype(f64))
    out[...] = ((-1.0 / lambd) * np.log1p(-u)).reshape(out.shape)
    return array


def multinomial(
    probs: np.ndarray, num_samples: int, replacement: bool = False, generator: Gen = None
) -> np.ndarray:
    """Indices drawn from the rows of `probs` (1-D or 2-D, need not sum to 1), as
    torch.multinomial: without replacement (or for one draw), the top `num_samples` of
    probs / Exp(1) noise (the exponential race); else an inverse-CDF search per draw, row by row."""
    gen, p = _gen(generator), np.asarray(probs)
    if p.dtype not in (f32, f64):
        raise TypeError(f"multinomial expects float32 or float64 probabilities, got {p.dtype}")
    if p.ndim not in (1, 2) or not 0 < p.shape[-1] <= 2**24:  # torch's indices go through float32
        raise ValueError(f"multinomial expects a 1-D or 2-D array of 1 to 2**24 categories, got {p.shape}")
    n = operator.index(num_samples)
    if n <= 0:
        raise ValueError(f"cannot sample num_samples={n} <= 0 samples")
    if not replacement and n > p.shape[-1]:
        raise ValueError(f"cannot sample num_samples={n} > {p.shape[-1]} categories without replacement")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("probabilities must be finite and >= 0 (got inf, nan or a negative)")
    rows = p.reshape(-1, p.shape[-1])
    if np.any(rows.sum(axis=1) == 0):
        raise ValueError("invalid multinomial distribution (sum of probabilities is 0)")
    if not replacement or n == 1:  # torch takes this fast path for any single draw
        race = rows / exponential_(np.empty_like(rows), 1.0, gen)
        top = np.argsort(-race, axis=1, kind="stable")[:, :n]  # largest first, ties to lower index
        return top.reshape(p.shape[:-1] + (n,)).astype(np.int64)
    out = np.empty((rows.shape[0], n), np.int64)
    for i, row in enumerate(rows):
        cdf = np.cumsum(row)  # summed one by one in the row's dtype, as torch
        cdf = cdf / cdf[-1]
        cdf[-1] = 1  # so every draw in [0, 1) lands in some bucket
        out[i] = np.searchsorted(cdf.astype(f64), gen._uniform(n, np.dtype(f64)), side="left")
    return out.reshape(p.shape[:-1] + (n,))
