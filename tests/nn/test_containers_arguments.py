"""Sequential and ModuleList insert and pop as list.insert and PyTorch's: negative indices,
out of range, slices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import needs_torch, torch

import nn

# --- containers: insert and pop ---------------------------------------------------------------


class Tag(nn.Module):
    def __init__(self, tag: Any) -> None:
        self.tag = tag

    def forward(self, x: Any) -> Any:
        return x


def tags(container: Any) -> list[Any]:
    return [m.tag for m in container]


def build(cls: type, n: int) -> Any:
    modules = [Tag(k) for k in range(n)]
    return cls(*modules) if cls is nn.Sequential else cls(modules)


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_insert_agrees_with_list_insert(cls: type, n: int) -> None:
    for index in range(-n, n + 1):
        container, expected = build(cls, n), list(range(n))
        expected.insert(index, "x")
        out = container.insert(index, Tag("x"))
        assert tags(container) == expected, index
        assert [name for name, _ in container.named_children()] == [str(k) for k in range(n + 1)]
        assert out is (container if cls is nn.Sequential else None)


@needs_torch
@pytest.mark.parametrize("n", [1, 3])
def test_sequential_insert_agrees_with_pytorch(n: int) -> None:
    for index in range(-n, n + 1):
        ours = build(nn.Sequential, n)
        theirs = torch.nn.Sequential(*[torch.nn.Identity() for _ in range(n)])
        for k, m in enumerate(theirs):
            m.tag = k
        new = torch.nn.Identity()
        new.tag = "x"
        theirs.insert(index, new)
        ours.insert(index, Tag("x"))
        assert tags(ours) == [m.tag for m in theirs], index


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
@pytest.mark.parametrize(("n", "index"), [(0, -1), (0, 1), (3, -4), (3, 4), (3, 10**20)])
def test_insert_out_of_range(cls: type, n: int, index: int) -> None:
    container = build(cls, n)
    name = cls.__name__
    with pytest.raises(IndexError, match=f"{name}.insert: index {index} out of range for {n} modules"):
        container.insert(index, Tag("x"))
    assert tags(container) == list(range(n))


@needs_torch
@pytest.mark.parametrize(("n", "index"), [(0, -1), (0, 1), (3, -4), (3, 4)])
def test_sequential_insert_out_of_range_as_pytorch(n: int, index: int) -> None:
    theirs = torch.nn.Sequential(*[torch.nn.Identity() for _ in range(n)])
    with pytest.raises(IndexError):
        theirs.insert(index, torch.nn.Identity())
    with pytest.raises(IndexError):
        build(nn.Sequential, n).insert(index, Tag("x"))


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
def test_insert_index_types(cls: type) -> None:
    container = build(cls, 2)
    container.insert(np.int64(-1), Tag("n"))
    assert tags(container) == [0, "n", 1]
    for bad in (True, 1.0, "0", None):
        with pytest.raises(TypeError, match=f"{cls.__name__}.insert: index must be an int, got"):
            container.insert(bad, Tag("x"))
    with pytest.raises(TypeError, match=f"{cls.__name__}.insert: item 0 must be a Module, got int"):
        container.insert(0, 3)
    assert tags(container) == [0, "n", 1]


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
@pytest.mark.parametrize("index", [None, 0, 2, -1, -3, np.int64(1)])
def test_pop_agrees_with_list_pop(cls: type, index: Any) -> None:
    container, expected = build(cls, 4), list(range(4))
    args = () if index is None else (index,)
    popped = container.pop(*args)
    assert isinstance(popped, Tag) and popped.tag == expected.pop(*args)
    assert tags(container) == expected
    assert [name for name, _ in container.named_children()] == ["0", "1", "2"]


@needs_torch
@pytest.mark.parametrize("cls_name", ["Sequential", "ModuleList"])
@pytest.mark.parametrize("index", [0, 2, -1, -3, slice(1, 3), slice(None, None, 2)])
def test_pop_agrees_with_pytorch(cls_name: str, index: Any) -> None:
    ours = build(getattr(nn, cls_name), 4)
    modules = [torch.nn.Identity() for _ in range(4)]
    for k, m in enumerate(modules):
        m.tag = k
    theirs = (
        getattr(torch.nn, cls_name)(*modules) if cls_name == "Sequential" else torch.nn.ModuleList(modules)
    )
    a, b = ours.pop(index), theirs.pop(index)
    if isinstance(index, slice):
        assert type(a).__name__ == type(b).__name__ == cls_name
        assert tags(a) == [m.tag for m in b]
    else:
        assert a.tag == b.tag
    assert tags(ours) == [m.tag for m in theirs]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
def test_pop_a_slice_returns_the_same_kind(cls: type) -> None:
    container = build(cls, 5)
    popped = container.pop(slice(1, 4))
    assert type(popped) is cls and tags(popped) == [1, 2, 3]
    assert tags(container) == [0, 4]
    assert [name for name, _ in container.named_children()] == ["0", "1"]


@pytest.mark.parametrize("cls", [nn.Sequential, nn.ModuleList])
def test_pop_refuses_bad_indices(cls: type) -> None:
    container, name = build(cls, 2), cls.__name__
    for index in (2, -3):
        with pytest.raises(IndexError, match=f"{name}.pop: index {index} out of range for 2 modules"):
            container.pop(index)
    for index in (True, 1.0, "1"):
        with pytest.raises(TypeError, match=f"{name}.pop: index must be an int"):
            container.pop(index)
    with pytest.raises(IndexError, match=f"{name}.pop: index -1 out of range for 0 modules"):
        build(cls, 0).pop()
    assert tags(container) == [0, 1]
