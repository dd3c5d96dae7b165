"""Optimizer parameters as PyTorch takes them: leaves only (a computed one is refused by name),
one listed twice warns and steps once, a set in a param group is refused; step(closure)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from nn_helpers import needs_torch, torch

import nn
from autograd import Tensor, Value
from autograd.modes import is_grad_enabled, no_grad

# --- optimizer parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda: Value(2.0) * 3, "Value"),
        (lambda: Value(2.0) + 0.0, "Value"),
        (lambda: Tensor([1.0], requires_grad=True) * 2, "Tensor"),
        (lambda: Tensor(np.ones((2, 2)), requires_grad=True).sum(), "Tensor"),
    ],
)
@pytest.mark.parametrize("opt_cls", [nn.optim.SGD, nn.optim.Adam])
def test_optimizer_refuses_a_non_leaf(make: Callable[[], Any], kind: str, opt_cls: type) -> None:
    leaf = Value(1.0) if kind == "Value" else Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match=rf"parameter 1 is not a leaf {kind} .*\.detach\(\)"):
        opt_cls([leaf, make()], lr=0.1)
    opt = opt_cls([leaf], lr=0.1)
    with pytest.raises(ValueError, match=rf"param group 1: parameter 0 is not a leaf {kind}"):
        opt.add_param_group({"params": [make()]})


@needs_torch
def test_a_non_leaf_tensor_is_refused_as_pytorch_refuses_it() -> None:
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        torch.optim.SGD([torch.ones(1, requires_grad=True) * 2], lr=0.1)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        nn.optim.SGD([Tensor([1.0], requires_grad=True) * 2], lr=0.1)
    # a leaf made from a computed one is accepted by both
    nn.optim.SGD([(Tensor([1.0], requires_grad=True) * 2).detach().requires_grad_()], lr=0.1)
    torch.optim.SGD([(torch.ones(1, requires_grad=True) * 2).detach().requires_grad_()], lr=0.1)


@pytest.mark.parametrize("kind", ["Value", "Tensor"])
def test_a_parameter_listed_twice_warns_and_is_stepped_once(kind: str) -> None:
    p = Value(1.0) if kind == "Value" else Tensor([1.0], requires_grad=True)
    other = Value(5.0) if kind == "Value" else Tensor([5.0], requires_grad=True)
    with pytest.warns(UserWarning, match="SGD: parameter 2 is listed twice") as record:
        opt = nn.optim.SGD([p, other, p], lr=0.5)
    assert record[0].filename == __file__  # the warning points at the caller's line
    assert [id(x) for x in opt.params] == [id(p), id(other)]
    assert len(opt.state_dict()["param_groups"][0]["params"]) == 2
    if kind == "Value":
        p.grad = 1.0
        opt.step()
        assert p.data == 0.5  # 1 - 0.5·1, once
    else:
        p.grad = np.array([1.0])
        opt.step()
        assert p.tolist() == [0.5]


def test_a_parameter_listed_twice_in_a_group_dict_warns() -> None:
    p = Tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="param group 0: parameter 1 is listed twice"):
        opt = nn.optim.Adam([{"params": [p, p]}])
    assert len(opt.params) == 1


@needs_torch
def test_pytorch_warns_on_a_parameter_listed_twice_too() -> None:
    p = torch.ones(1, requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        torch.optim.SGD([p, p], lr=0.5)


def test_a_set_of_parameters_is_refused_in_a_group() -> None:
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    with pytest.raises(TypeError, match="SGD: param group 0: a param group's params must be an ordered"):
        nn.optim.SGD([{"params": {a}}], lr=0.1)
    opt = nn.optim.SGD([a], lr=0.1)
    for params in ({b}, frozenset([b])):
        with pytest.raises(TypeError, match="SGD: param group 1: .*not a set"):
            opt.add_param_group({"params": params})
    assert [id(x) for x in opt.params] == [id(a)] and len(opt.param_groups) == 1  # nothing added


@needs_torch
def test_sets_are_refused_where_pytorch_refuses_them() -> None:
    """PyTorch refuses a set as a group's params, but takes one given to the constructor (it is
    made a list first); so does nn."""
    t = torch.ones(1, requires_grad=True)
    with pytest.raises(TypeError, match="ordered collections"):
        torch.optim.SGD([{"params": {t}}], lr=0.1)
    assert len(torch.optim.SGD({t}, lr=0.1).param_groups[0]["params"]) == 1
    a = Tensor([1.0], requires_grad=True)
    assert [id(x) for x in nn.optim.SGD({a}, lr=0.1).params] == [id(a)]


@pytest.mark.parametrize("kind", ["Value", "Tensor"])
def test_step_with_a_closure_returns_its_loss(kind: str) -> None:
    x = Value(3.0) if kind == "Value" else Tensor([3.0], requires_grad=True)
    opt = nn.optim.SGD([x], lr=0.1)
    calls: list[bool] = []
    losses: list[Any] = []

    def closure() -> Any:
        calls.append(is_grad_enabled())
        opt.zero_grad()
        loss = x * x if kind == "Value" else (x * x).sum()
        loss.backward()
        losses.append(loss)
        return loss

    loss = opt.step(closure)
    assert calls == [True] and loss is losses[0]  # called once, its own result returned
    assert float(loss.data if kind == "Value" else loss.item()) == 9.0
    value = x.data if kind == "Value" else x.item()
    assert value == pytest.approx(3.0 - 0.1 * 6.0)  # the closure's gradient was used
    assert opt.step() is None


def test_step_runs_the_closure_with_grad_enabled_under_no_grad() -> None:
    w = Tensor([2.0], requires_grad=True)
    opt = nn.optim.Adam([w], lr=0.5)

    def closure() -> Tensor:
        assert is_grad_enabled()
        opt.zero_grad()
        loss = (w * w).sum()
        assert loss.requires_grad  # recorded: backward can reach w
        loss.backward()
        return loss

    with no_grad():
        loss = opt.step(closure)
        assert not is_grad_enabled()  # grad mode is put back
    assert loss.item() == 4.0 and w.item() == pytest.approx(1.5)  # Adam's first step: lr


@needs_torch
def test_step_with_a_closure_as_pytorch() -> None:
    w, tw = Tensor([2.0, -1.0], requires_grad=True), torch.tensor([2.0, -1.0], requires_grad=True)
    opt, topt = nn.optim.SGD([w], lr=0.1, momentum=0.9), torch.optim.SGD([tw], lr=0.1, momentum=0.9)
    for _ in range(3):

        def closure() -> Tensor:
            opt.zero_grad()
            loss = (w * w * w).sum()
            loss.backward()
            return loss

        def tclosure() -> Any:
            topt.zero_grad()
            loss = (tw * tw * tw).sum()
            loss.backward()
            return loss

        with no_grad(), torch.no_grad():
            assert opt.step(closure).item() == pytest.approx(topt.step(tclosure).item())
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("closure", [3, "loss", Tensor([1.0])])
def test_step_refuses_a_closure_that_is_not_callable(closure: Any) -> None:
    x = Tensor([1.0], requires_grad=True)
    x.grad = np.array([1.0])
    opt = nn.optim.SGD([x], lr=0.1)
    name = type(closure).__name__
    with pytest.raises(TypeError, match=f"SGD.step: closure must be a function .*got {name}"):
        opt.step(closure)
    assert x.tolist() == [1.0]  # not stepped


def test_no_warning_from_a_plain_optimizer() -> None:
    """The listed-twice warning is the only new one: distinct parameters give none."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.optim.AdamW([Tensor([1.0], requires_grad=True), Value(1.0)])
