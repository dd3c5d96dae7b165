"""Optimizer state dicts in PyTorch's format (for `nn.optim`).

``{"state": {index: {name: array}}, "param_groups": [{setting: value, ..., "params": [index]}]}``:
parameters are numbered across the groups in order; each one's state holds PyTorch's names
(``momentum_buffer``; ``step``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``; ``square_avg``,
``grad_avg``), with numpy arrays where PyTorch has tensors (``step``: a 0-d float32 array, as
PyTorch's). A parameter that has not been stepped has no entry, as in PyTorch.

Loading matches the saved groups' parameters to ours by position, as PyTorch does, and checks
everything before anything changes. Keys that only PyTorch's implementation uses (``foreach``,
``fused``, ``capturable``, ``differentiable``) are kept in the groups as they are;
``maximize=True`` (not supported here) and a ``decoupled_weight_decay`` that says the state
belongs to the other one of Adam and AdamW are refused.

>>> import nn
>>> from autograd import Value
>>> x = Value(1.0)
>>> opt = nn.optim.Adam([x], lr=0.1)
>>> x.grad = 2.0; opt.step()
>>> sorted(opt.state_dict()["state"][0])
['exp_avg', 'exp_avg_sq', 'step']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from nn.optim_params import _ValueGroup
from nn.state import _cast, _data_array

if TYPE_CHECKING:
    from nn.optim import Optimizer

__all__ = ["export_state", "import_state"]


def export_state(opt: Optimizer) -> dict[str, Any]:
    """``opt``'s state dict (copies of its arrays)."""
    state: dict[int, dict[str, Any]] = {}
    for slot, slot_state in zip(opt._slots, opt.state):
        if not slot_state:
            continue
        for position, index in enumerate(slot.indices):
            entry: dict[str, Any] = {}
            for name in opt._state_keys:
                if name not in slot_state:
                    continue
                value = slot_state[name]
                if name == "step":
                    entry[name] = np.array(float(value), dtype=np.float32)
                elif isinstance(slot, _ValueGroup):  # one flat array for the group's Values
                    entry[name] = np.array(value[position])
                else:
                    entry[name] = np.array(value, copy=True)
            state[index] = entry
    groups, first = [], 0
    for group in opt.param_groups:
        n = len(group["params"])
        settings = {k: v for k, v in group.items() if k != "params"}
        groups.append({**settings, "params": list(range(first, first + n))})
        first += n
    return {"state": dict(sorted(state.items())), "param_groups": groups}


def _index(who: str, key: Any) -> int:
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, (int, np.integer)):
        raise TypeError(f"{who}: parameter indices must be ints, got {type(key).__name__} {key!r}")
    return int(key)


def _step(who: str, value: Any) -> int:
    """A step count: a whole number >= 0, given as a number or a 0-d array (PyTorch's tensor)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{who}: 'step' must be a number, got {type(value).__name__}") from None
    if array.shape != () or array.dtype.kind not in "iuf" or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: 'step' must be one number, got {array.dtype} of shape {array.shape}")
    number = float(array)
    if not (number >= 0 and number == round(number) and number < 2**53):
        raise ValueError(f"{who}: 'step' must be a whole number >= 0, got {value!r}")
    return int(number)


def _checked_entry(opt: Optimizer, who: str, param: Any, entry: Any) -> dict[str, Any]:
    """One parameter's saved state, checked against the parameter: known names, whole step
    counts, real numbers of the parameter's shape (cast to its dtype, as PyTorch casts them)."""
    if not isinstance(entry, Mapping):
        raise TypeError(f"{who}: the state must be a dict of arrays, got {type(entry).__name__}")
    target = _data_array(param)
    out: dict[str, Any] = {}
    for name, value in entry.items():
        if name not in opt._state_keys:
            known = ", ".join(repr(k) for k in opt._state_keys)
            raise ValueError(f"{who}: {name!r} is not state {type(opt).__name__} keeps (it keeps {known})")
        if value is None:  # PyTorch's SGD may keep momentum_buffer = None: no buffer yet
            continue
        if name == "step":
            out[name] = _step(who, value)
            continue
        array, problem = _cast(name, value, target.dtype)
        if problem:
            raise ValueError(f"{who}: {problem}")
        if array.shape != target.shape:
            raise ValueError(
                f"{who}: {name!r} has shape {array.shape} but the parameter has shape {target.shape}"
            )
        out[name] = array
    return out


def _value_group_state(
    who: str, slot: _ValueGroup, entries: dict[int, dict[str, Any]], keys: tuple[str, ...]
) -> dict[str, Any]:
    """The flat state of a group's Values from their entries: they are updated together, so
    they need all or none of them, with the same names and one step count."""
    found = [entries.get(i, {}) for i in slot.indices]
    if not any(found):
        return {}
    names = set(found[0])
    if not all(found) or any(set(e) != names for e in found):
        raise ValueError(
            f"{who}: parameters {slot.indices} are Values, updated together: their state must have "
            "the same entries for all of them"
        )
    steps = sorted({e["step"] for e in found if "step" in e})
    if len(steps) > 1:
        raise ValueError(
            f"{who}: parameters {slot.indices} are Values, updated together with one step count; "
            f"the state dict gives them steps {steps}"
        )
    return {
        name: found[0][name] if name == "step" else np.array([float(e[name]) for e in found])
        for name in keys
        if name in names
    }


def import_state(opt: Optimizer, state_dict: Any) -> None:
    """Load ``state_dict`` into ``opt``, all or nothing."""
    who = f"{type(opt).__name__}: load_state_dict"
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"{who}: expected a dict, got {type(state_dict).__name__}")
    missing = [k for k in ("state", "param_groups") if k not in state_dict]
    if missing:
        raise ValueError(f"{who}: the state dict has no {' or '.join(repr(m) for m in missing)}")
    saved_groups, saved_state = state_dict["param_groups"], state_dict["state"]
    if isinstance(saved_groups, (str, bytes, Mapping)) or not isinstance(saved_groups, Sequence):
        raise TypeError(f"{who}: 'param_groups' must be a list of dicts, got {type(saved_groups).__name__}")
    if not isinstance(saved_state, Mapping):
        raise TypeError(f"{who}: 'state' must be a dict, got {type(saved_state).__name__}")
    if len(saved_groups) != len(opt.param_groups):
        raise ValueError(
            f"{who}: the state dict has {len(saved_groups)} param groups, "
            f"the optimizer {len(opt.param_groups)}"
        )
    positions: dict[int, int] = {}  # saved index -> position in opt.params
    new_groups = []
    for i, (saved, current) in enumerate(zip(saved_groups, opt.param_groups)):
        where = f"{who}: param group {i}"
        if not isinstance(saved, Mapping):
            raise TypeError(f"{where} must be a dict, got {type(saved).__name__}")
        ids = saved.get("params")
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
            raise TypeError(f"{where}: 'params' must be a list of indices, got {type(ids).__name__}")
        if len(ids) != len(current["params"]):
            raise ValueError(
                f"{where} has {len(ids)} parameters, the optimizer's group {len(current['params'])}"
            )
        for saved_id in ids:
            index = _index(where, saved_id)
            if index in positions:
                raise ValueError(f"{where}: parameter index {index} appears twice")
            positions[index] = len(positions)
        settings = opt._check_group(i, saved, where)
        extra = {k: v for k, v in saved.items() if k != "params" and k not in settings}
        new_groups.append({"params": current["params"], **settings, **extra})
    entries: dict[int, dict[str, Any]] = {}
    for key, entry in saved_state.items():
        index = _index(f"{who}: state", key)
        if index not in positions:
            raise ValueError(
                f"{who}: the state has an entry for parameter {index}, which no param group lists"
            )
        position = positions[index]
        entries[position] = _checked_entry(
            opt, f"{who}: state of parameter {index}", opt.params[position], entry
        )
    new_state = [
        _value_group_state(who, slot, entries, opt._state_keys)
        if isinstance(slot, _ValueGroup)
        else entries.get(slot.index, {})
        for slot in opt._slots
    ]
    for group, new in zip(opt.param_groups, new_groups):  # in place: references to a group stay valid
        group.clear()
        group.update(new)
    opt.state[:] = new_state
