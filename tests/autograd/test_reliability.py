"""Reliability of the core: grad mode per thread, no silently wrong numbers, clear errors that name
the op, anomaly detection, pickling, and what editing ``.data`` after the forward pass does."""

from __future__ import annotations

import math
import pickle
import threading

import numpy as np
import pytest

from autograd import (
    AnomalyError,
    Tensor,
    Value,
    detect_anomaly,
    enable_grad,
    grad,
    gradcheck,
    is_grad_enabled,
    no_grad,
)

# --- grad mode is per thread ---------------------------------------------------------------------


def test_no_grad_in_one_thread_leaves_the_others_recording() -> None:
    inside, outside = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def quiet() -> None:
        with no_grad():
            inside.set()
            outside.wait(5)
            seen["quiet"] = (Value(1.0) * 2)._prev == () and not is_grad_enabled()

    t = threading.Thread(target=quiet)
    t.start()
    inside.wait(5)
    x = Value(3.0)  # this thread records although the other has grad mode off
    y = x * 2
    seen["main"] = y._prev == (x,) and is_grad_enabled()
    outside.set()
    t.join(5)
    assert seen == {"quiet": True, "main": True}


def test_overlapping_no_grad_blocks_in_two_threads_restore_each_their_own() -> None:
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def worker(nested: bool) -> None:
        with no_grad():
            barrier.wait(5)
            if nested:
                with enable_grad():
                    results.append(bool((Value(1.0) * 2)._prev))
            barrier.wait(5)
            results.append(not (Value(1.0) * 2)._prev)
        results.append(bool((Value(1.0) * 2)._prev) and is_grad_enabled())

    threads = [threading.Thread(target=worker, args=(n,)) for n in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert results and all(results) and len(results) == 5
    assert is_grad_enabled()


def test_backward_in_one_thread_does_not_stop_another_from_recording() -> None:
    x = Value(0.5)
    y = x
    for _ in range(3000):
        y = (y * 1.0001).tanh()
    stop = threading.Event()
    missed = [0, 0]

    def build() -> None:
        while not stop.is_set():
            a = Value(1.0)
            missed[0] += (a * 2)._prev == ()
            missed[1] += 1

    t = threading.Thread(target=build)
    t.start()
    for _ in range(20):
        y.backward()
        grad(y, [x])
    stop.set()
    t.join(5)
    assert missed[1] > 0 and missed[0] == 0


# --- no silently wrong numbers ---------------------------------------------------------------------


def test_relu_selects_so_a_dead_unit_passes_zero_even_times_inf() -> None:
    x = Value(-1.0)
    (x.relu() ** 0.5).backward()  # d/dr r**0.5 is inf at r = 0; relu blocks it: 0, not 0·inf
    assert x.grad == 0.0
    t = Tensor([-1.0, 4.0], requires_grad=True)
    (t.relu() ** 0.5).sum().backward()
    assert t.grad.tolist() == [0.0, 0.25]


def test_nan_passes_through_relu() -> None:
    assert math.isnan(Value(math.nan).relu().data)
    assert math.isnan(Tensor([math.nan]).relu().data[0])


def test_overflowing_powers_keep_their_sign() -> None:
    assert (Value(-10.0) ** 401).data == -math.inf
    assert (Value(-10.0) ** 400).data == math.inf
    x = Value(1e200)
    (x**3).backward()
    assert x.grad == math.inf  # 3x² overflows: inf, not an OverflowError


def test_tanh_gelu_stays_finite_where_pytorch_does() -> None:
    for v in (1e154, -1e154):
        x = Value(v)
        y = x.gelu(approximate="tanh")
        y.backward()
        assert math.isfinite(y.data) and x.grad in (0.0, 1.0)


def test_grad_of_an_input_that_requires_no_grad_is_an_error() -> None:
    w, c = Tensor([2.0], requires_grad=True), Tensor([3.0])
    with pytest.raises(ValueError, match="input 1 does not require grad"):
        grad((w * c).sum(), [w, c])


def test_numpy_cannot_silently_drop_a_graph() -> None:
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    with pytest.raises(TypeError, match="autograd.stack"):
        Tensor([a, b])
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(a)
    assert Tensor([Tensor([1.0]), Tensor([2.0])]).shape == (2, 1)  # constants are fine
    assert np.asarray(a.detach()).tolist() == [1.0]


# --- clear errors that name the problem -----------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Value(10**400), ValueError, "an int of 1329 bits is too large"),
        (lambda: Tensor([1.0, 2.0])[[[0, 1], [1]]], ValueError, "ragged"),
        (lambda: Tensor([1.0]).sum(keepdims="yes"), TypeError, "sum: keepdim must be a bool"),
        (
            lambda: gradcheck(lambda v: v * v, [Value(1.0)], eps=0),
            ValueError,
            "eps must be a finite number > 0",
        ),
        (lambda: gradcheck(lambda v: v * v, [Value(1.0)], atol=math.nan), ValueError, "atol"),
        (lambda: "abc" / Tensor([1.0]), TypeError, "for /"),
        (lambda: Tensor([1.0]) - "abc", TypeError, "for -"),
        (lambda: Tensor([1.0]) - np.array(["x"]), TypeError, "^sub: "),
        (lambda: np.array(["x"]) / Tensor([1.0]), TypeError, "^div: "),
        (lambda: Tensor([1.0]) / Value(2.0), TypeError, "^div: cannot mix Tensor and Value"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "^div: division by zero"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "^div: division by zero"),
        (lambda: 3 / Value(0.0), ZeroDivisionError, "^div: division by zero"),
    ],
)
def test_errors_name_the_op_and_the_operand(make, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        make()


def test_softmax_over_an_empty_axis_is_empty_as_pytorch() -> None:
    x = Tensor(np.zeros((2, 0)), requires_grad=True)
    out = x.softmax(axis=1)
    assert out.shape == (2, 0) and x.log_softmax(axis=1).shape == (2, 0)
    out.sum().backward()
    assert x.grad.shape == (2, 0)


# --- anomaly detection -----------------------------------------------------------------------------


def test_anomaly_names_the_op_the_inputs_and_the_line_of_a_nan_gradient() -> None:
    x = Value(0.0, label="x")
    with detect_anomaly():
        s = x.sqrt()
        s.label = "s"
        y = s * 0  # the sqrt's slope is inf at 0: 0·inf in backward
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert "sqrt sends to its input became nan" in message and "'s'" in message
    assert "inputs (0.0)" in message and "test_reliability.py" in message and "s = x.sqrt()" in message


def test_anomaly_catches_an_infinite_gradient_from_a_log_near_zero() -> None:
    p = Value(1e-320)  # a denormal: log is finite, its slope 1/p is not
    with (
        detect_anomaly(),
        pytest.raises(AnomalyError, match="gradient that log sends to its input became -inf"),
    ):
        (-p.log()).backward()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's own overflow warning
def test_anomaly_catches_an_overflowing_exp_in_the_forward_pass() -> None:
    t = Tensor([1.0, 1000.0], requires_grad=True, label="t")
    with (
        detect_anomaly(),
        pytest.raises(AnomalyError, match=r"forward: exp gave .*inf.* from finite numbers"),
    ):
        t.exp()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_anomaly_catches_zero_times_infinity_on_tensors() -> None:
    t = Tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        loss = (t**0.5 * 0).sum()
        with pytest.raises(AnomalyError, match="gradient that \\*\\* sends"):
            loss.backward()


def test_anomaly_is_off_by_default_and_per_thread() -> None:
    x = Value(0.0)
    (x.sqrt() * 0).backward()  # off: the nan goes through, as in PyTorch
    assert math.isnan(x.grad)
    flags: list[bool] = []
    with detect_anomaly():
        t = threading.Thread(target=lambda: flags.append(math.isnan((Value(-1.0) * math.inf * 0).data)))
        t.start()
        t.join(5)
    assert flags == [True]  # the other thread was not checked


# --- pickling, and editing .data -------------------------------------------------------------------


def test_graphs_pickle_and_still_differentiate() -> None:
    x = Value(2.0, label="x")
    y = (x * x + 1).tanh() ** 2
    y2 = pickle.loads(pickle.dumps(y))
    assert y2.data == y.data and y2._op == "**2"
    y2.backward()
    x2 = next(n for n in __import__("autograd").engine.toposort([y2]) if n.label == "x")
    y.backward()
    assert x2.grad == pytest.approx(x.grad, rel=1e-15)
    t = Tensor([1.0, 2.0], requires_grad=True)
    (s := pickle.loads(pickle.dumps((t * t).sum()))).backward()
    assert s._prev[0]._prev[0].grad.tolist() == [2.0, 4.0]


def test_editing_data_after_the_forward_pass_is_what_backward_sees() -> None:
    # Documented in the README: backward() reads each node's .data when it runs (as micrograd),
    # so an edit in between is used, not detected.
    x = Value(2.0)
    y = x * x
    x.data = 3.0
    y.backward()
    assert y.data == 4.0 and x.grad == 6.0  # 2 · (the new) 3
