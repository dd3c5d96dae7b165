"""benchmarks/bench_func.py: its contenders compute the same Jacobians and derivatives (not timed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_func  # noqa: E402


@pytest.mark.parametrize("name", ["tall", "wide"])
def test_contenders_compute_the_same_jacobian(name: str) -> None:
    """jacfwd, jacrev (and torch.func's, when installed) agree with the closed form."""
    _, fn, consts, x = bench_func.problems(7)[name]
    if name == "tall":  # d tanh(a x + b) / dx = a (1 - tanh²)
        expected = (consts["a"] * (1 - np.tanh(consts["a"] * x + consts["b"]) ** 2)).reshape(7, 1)
    else:  # d Σ tanh(x) c / dx = c (1 - tanh²)
        expected = consts["c"] * (1 - np.tanh(x) ** 2)
    runs = bench_func.contenders(fn, consts, x)
    assert {"ours jacfwd", "ours jacrev"} <= set(runs)
    assert len(runs) == (4 if bench_func.torch is not None else 2)
    for who, run in runs.items():
        jac = run()
        assert isinstance(jac, np.ndarray) and jac.shape == expected.shape, who
        np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-12, err_msg=who)


@pytest.mark.parametrize("ops", [0, 2, 10, 1000])
def test_chain_derivative_matches_the_closed_form(ops: int) -> None:
    """x_m = A^m x0 + B (A^m - 1) / (A - 1) after m = ops/2 steps; forward and reverse agree."""
    m, x0 = ops // 2, 0.5
    value = bench_func.A**m * x0 + bench_func.B * (bench_func.A**m - 1) / (bench_func.A - 1)
    for mode in (bench_func.chain_jvp, bench_func.chain_reverse):
        out, slope = mode(ops, x0)
        assert out == pytest.approx(value, rel=1e-12), mode.__name__
        assert slope == pytest.approx(bench_func.A**m, rel=1e-12), mode.__name__


def test_jvp_keeps_no_graph() -> None:
    """The chain's jvp holds a small, fixed amount of memory; reverse mode grows with the chain."""
    jvp_small = bench_func.peak_bytes(lambda: bench_func.chain_jvp(200))[1]
    jvp_big = bench_func.peak_bytes(lambda: bench_func.chain_jvp(2000))[1]
    reverse_big = bench_func.peak_bytes(lambda: bench_func.chain_reverse(2000))[1]
    assert jvp_big < 1.5 * jvp_small + 1024
    assert reverse_big > 20 * jvp_big


def test_main_runs_with_tiny_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    bench_func.main(["--size", "6", "--repeats", "2", "--chain", "400", "--chain-rounds", "1"])
    out = capsys.readouterr().out
    assert "tall Jacobian R^1 -> R^6" in out and "wide Jacobian R^6 -> R^1" in out
    assert out.count("jacfwd / jacrev") == (4 if bench_func.torch is not None else 2)
    assert "a chain of 400 Value ops" in out and "bytes" in out
    assert "jvp's memory flat" in out
