"""scratchgrad.utils.data against torch.utils.data: the same batches, in the same order, and the
random streams left in the same state."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.utils.data import DataLoader, Dataset, TensorDataset, default_collate, random_split

torch = pytest.importorskip("torch")
tdata = torch.utils.data


def datasets(n: int = 23) -> tuple[TensorDataset, Any]:
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) % 3
    return TensorDataset(sg.tensor(x), sg.tensor(y)), tdata.TensorDataset(torch.tensor(x), torch.tensor(y))


def batches(loader: Any) -> list[list[list[Any]]]:
    return [[part.tolist() for part in batch] for batch in loader]


def test_tensor_dataset() -> None:
    ds, tds = datasets()
    assert len(ds) == len(tds) == 23
    (x, y), (tx, ty) = ds[4], tds[4]
    assert x.tolist() == tx.tolist() and y.item() == ty.item() and y.shape == () and y.dtype == np.int64
    assert [t.tolist() for t in ds[2:4]] == [t.tolist() for t in tds[2:4]]
    with pytest.raises(ValueError, match="size mismatch"):
        TensorDataset(sg.ones(3), sg.ones(4))
    with pytest.raises(TypeError, match="tensors"):
        TensorDataset([1, 2])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "batch_size, drop_last", [(1, False), (5, False), (5, True), (23, False), (64, True)]
)
def test_in_order(batch_size: int, drop_last: bool) -> None:
    ds, tds = datasets()
    loader = DataLoader(ds, batch_size=batch_size, drop_last=drop_last)
    theirs = tdata.DataLoader(tds, batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == len(theirs)
    assert batches(loader) == batches(theirs)
    assert loader.dataset is ds and loader.batch_size == batch_size


def test_each_pass_draws_from_the_default_generator_as_torch() -> None:
    ds, tds = datasets()
    sg.manual_seed(0), torch.manual_seed(0)
    for _ in DataLoader(ds, batch_size=8):
        break
    for _ in tdata.DataLoader(tds, batch_size=8):
        break
    assert sg.randn(3).tolist() == torch.randn(3).tolist()


@pytest.mark.parametrize("drop_last", [False, True])
def test_shuffle_with_a_generator(drop_last: bool) -> None:
    ds, tds = datasets()
    g, tg = sg.Generator().manual_seed(7), torch.Generator().manual_seed(7)
    loader = DataLoader(ds, batch_size=4, shuffle=True, generator=g, drop_last=drop_last)
    theirs = tdata.DataLoader(tds, batch_size=4, shuffle=True, generator=tg, drop_last=drop_last)
    for _ in range(3):  # each epoch a new order
        assert batches(loader) == batches(theirs)
    assert sg.rand(2, generator=g).tolist() == torch.rand(2, generator=tg).tolist()


def test_shuffle_with_the_default_generator() -> None:
    ds, tds = datasets(100)
    sg.manual_seed(1337), torch.manual_seed(1337)
    loader = DataLoader(ds, batch_size=16, shuffle=True)
    theirs = tdata.DataLoader(tds, batch_size=16, shuffle=True)
    assert batches(loader) == batches(theirs)
    assert batches(loader) == batches(theirs)
    assert sg.randint(0, 100, (5,)).tolist() == torch.randint(0, 100, (5,)).tolist()


def test_samplers_with_replacement_and_random_split() -> None:
    ds, tds = datasets(40)
    g, tg = sg.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    ours = sg.utils.data.RandomSampler(ds, replacement=True, num_samples=70, generator=g)
    theirs = tdata.RandomSampler(tds, replacement=True, num_samples=70, generator=tg)
    assert list(ours) == list(theirs) and len(ours) == 70
    for lengths in ([30, 10], [0.5, 0.3, 0.2], [0.33, 0.33, 0.34]):
        a, b = random_split(ds, lengths, generator=g), tdata.random_split(tds, lengths, generator=tg)
        assert [list(s.indices) for s in a] == [list(s.indices) for s in b]
    assert a[0][0][1].item() == b[0][0][1].item() and len(a[2]) == len(b[2])
    with pytest.raises(ValueError, match="add up"):
        random_split(ds, [10, 10])


class Pairs(Dataset):
    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int) -> Any:
        return {"x": np.full(2, i, np.float32), "n": i, "f": i / 2, "name": f"s{i}", "pair": (i, 1.5)}


def test_default_collate_as_torch() -> None:
    ours = next(iter(DataLoader(Pairs(), batch_size=3)))
    theirs = next(iter(tdata.DataLoader(Pairs(), batch_size=3)))  # type: ignore[arg-type]
    assert ours["x"].tolist() == theirs["x"].tolist() and ours["x"].dtype == np.float32
    assert ours["n"].tolist() == theirs["n"].tolist() and ours["n"].dtype == np.int64
    assert ours["f"].tolist() == theirs["f"].tolist() and ours["f"].dtype == np.float64
    assert ours["name"] == theirs["name"]
    assert [t.tolist() for t in ours["pair"]] == [t.tolist() for t in theirs["pair"]]
    assert isinstance(ours["pair"], list)
    with pytest.raises(TypeError, match="default_collate"):
        default_collate([object()])


def test_unbatched_and_custom_collate_and_errors() -> None:
    ds, _ = datasets(4)
    assert [x.shape for x, _ in DataLoader(ds, batch_size=None)] == [(2,)] * 4
    assert list(DataLoader(ds, batch_size=2, collate_fn=len)) == [2, 2]
    assert len(DataLoader(ds, batch_size=3, num_workers=2)) == 2
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(ds, shuffle=True, sampler=[0, 1])
    with pytest.raises(ValueError, match="num_workers"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
