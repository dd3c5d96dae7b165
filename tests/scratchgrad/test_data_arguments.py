"""utils.data against bad input and against torch.utils.data: default_collate's dtypes,
random_split, Subset, the samplers and DataLoader."""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sg_helpers import TORCH_ERRORS, dtype_name, same

import scratchgrad as sg
from scratchgrad.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

# --- utils.data: default_collate ----------------------------------------------------------------

Point = collections.namedtuple("Point", "x y")


def structure(batch: Any) -> Any:
    """A batch as comparable Python data: tensors as (dtype, values), containers by kind."""
    if hasattr(batch, "dtype") and hasattr(batch, "tolist") and not isinstance(batch, np.generic):
        return ("tensor", dtype_name(batch), batch.tolist())
    if isinstance(batch, collections.abc.Mapping):
        return (type(batch).__name__, {k: structure(v) for k, v in batch.items()})
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [structure(v) for v in batch])
    return (type(batch).__name__, batch)


COLLATED: list[Any] = [
    [1, 2],
    [1.5, 2.5],
    [True, False],
    [1, 2.5],
    [1.5, 2],
    [True, 2],
    [1, True],
    [np.int32(1), np.int32(2)],
    [np.int32(1), np.int64(2)],
    [np.uint16(1), np.uint16(2)],
    [np.float16(1), np.float16(2)],
    [np.float32(1.5), 2.5],
    [np.float64(1.0), np.int64(2)],
    [np.bool_(True), np.bool_(False)],
    [np.array([1, 2], np.uint8), np.array([3, 4], np.uint8)],
    [np.array([1.0, 2.0], np.float32)] * 2,
    [np.array(1.5), np.array(2.5)],
    [{"a": 1, "b": 2.0}, {"a": 3, "b": 4.0}],
    [collections.OrderedDict(b=1.0, a=2), collections.OrderedDict(b=3.0, a=4)],
    [Point(1, 2.0), Point(3, 4.0)],
    [[1, 2], [3, 4]],
    [(1, 2.0), (3, 4.0)],
    [[1, [2.0, 3]], [4, [5.0, 6]]],
    [{"x": np.array([1.0]), "y": (1, 2.5), "name": "s"}, {"x": np.array([2.0]), "y": (2, 3.5), "name": "t"}],
    ["a", "b"],
    [b"a", b"b"],
    [np.str_("a"), np.str_("b")],
]


@pytest.mark.parametrize("batch", COLLATED, ids=lambda b: repr(b)[:40])
def test_default_collate_as_torch(batch: Any, torch: Any) -> None:
    ours = default_collate(batch)
    theirs = torch.utils.data.default_collate(batch)
    assert structure(ours) == structure(theirs)
    if isinstance(batch[0], collections.OrderedDict):
        assert type(ours) is collections.OrderedDict and list(ours) == ["b", "a"]


def test_default_collate_keeps_numpy_dtypes_and_reads_mixed_lists_as_tensor() -> None:
    assert default_collate([np.int32(1), np.int32(2)]).dtype == np.int32
    assert default_collate([np.array([1], np.uint8)] * 2).dtype == np.uint8
    assert default_collate([1, 2.5]).dtype == np.float32  # as torch.tensor([1, 2.5])
    assert default_collate([1.5, 2]).dtype == np.float64  # a float first: float64, as PyTorch
    assert type(default_collate([Point(1, 2), Point(3, 4)])) is Point


@pytest.mark.parametrize(
    ("batch", "error", "message"),
    [
        ([], ValueError, r"default_collate: the batch is empty \(no samples to join\)"),
        ("ab", TypeError, "default_collate: expected a list of samples, got str"),
        ({"a": 1}, TypeError, "default_collate: expected a list of samples, got dict"),
        (5, TypeError, "default_collate: expected a list of samples, got int"),
        ([{"a": 1}, [1]], TypeError, "default_collate: sample 0 is a dict but sample 1 is a list"),
        ([{"a": 1}, {"b": 1}], ValueError, "default_collate: sample 1 has no key 'a', which sample 0 has"),
        ([np.array([1.0]), 1.0], TypeError, "default_collate: sample 0 is a ndarray but sample 1 is a float"),
        (
            [sg.ones(1), np.ones(1)],
            TypeError,
            "default_collate: sample 0 is a Tensor but sample 1 is a ndarray",
        ),
        ([1, "a"], TypeError, "tensor: data must be real numbers"),
        ([1, np.array([1.0])], ValueError, "tensor: ragged nested lists: .* mix numbers and lists"),
        ([[1, 2], [3]], ValueError, r"should be of equal size, got sizes \[2, 1\]"),
        ([[1, 2], 3], ValueError, r"should be of equal size, got sizes \[2, None\]"),
        (
            [None, None],
            TypeError,
            "default_collate: batch must contain tensors, numpy arrays, .* found NoneType",
        ),
        ([np.array(["a"])] * 2, TypeError, "default_collate: batch must contain .* found <U1"),
        ([np.array([1 + 1j])] * 2, TypeError, "default_collate: batch must contain .* found complex128"),
    ],
)
def test_default_collate_refuses_bad_batches(batch: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        default_collate(batch)


def test_default_collate_refuses_where_torch_does(torch: Any) -> None:
    for batch in ([], [{"a": 1}, [1]], [[1, 2], [3]], [1, "a"], [None, None], [np.array(["a"])] * 2):
        with pytest.raises((*TORCH_ERRORS, IndexError, KeyError)):
            torch.utils.data.default_collate(batch)


# --- utils.data: random_split, Subset, samplers, DataLoader ------------------------------------


@pytest.mark.parametrize(
    ("n", "lengths"),
    [
        (10, [0.3, 0.7]),
        (10, [0.5, 0.5]),
        (7, [0.3, 0.3, 0.4]),
        (5, [0.1, 0.9]),
        (10, [3, 7]),
        (10, [np.int64(3), np.int64(7)]),
        (10, [np.float32(0.3), np.float32(0.7)]),
        (1, [1.0]),
        (11, [0.33, 0.33, 0.34]),
    ],
)
def test_random_split_as_torch(n: int, lengths: list[Any], torch: Any) -> None:
    ours = random_split(range(n), lengths, generator=sg.Generator().manual_seed(5))
    theirs = torch.utils.data.random_split(range(n), lengths, generator=torch.Generator().manual_seed(5))
    assert [list(s.indices) for s in ours] == [list(s.indices) for s in theirs]


@pytest.mark.parametrize(("n", "lengths", "empty"), [(3, [0.1, 0.1, 0.8], [1]), (0, [0.5, 0.5], [0, 1])])
def test_random_split_warns_of_an_empty_split_as_torch(
    n: int, lengths: list[float], empty: list[int], torch: Any
) -> None:
    with pytest.warns(UserWarning, match="Length of split at index") as ours:
        a = random_split(range(n), lengths, generator=sg.Generator().manual_seed(0))
    with pytest.warns(UserWarning, match="Length of split at index") as theirs:
        b = torch.utils.data.random_split(range(n), lengths, generator=torch.Generator().manual_seed(0))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert [str(w.message) for w in ours] == [
        f"Length of split at index {i} is 0. This might result in an empty dataset." for i in empty
    ]
    assert ours[0].filename == __file__
    assert [list(s.indices) for s in a] == [list(s.indices) for s in b]


@pytest.mark.parametrize(
    ("lengths", "error", "message"),
    [
        ([-1, 11], ValueError, "random_split: length 0 is negative: -1"),
        ([3, 6], ValueError, r"random_split: the lengths \[3, 6\] do not add up to the dataset's 10"),
        ([1.5, -0.5], ValueError, "random_split: fraction 0 is not between 0 and 1, got 1.5"),
        (
            [0.5, 0.6],
            ValueError,
            "lengths must be ints adding up to the dataset's 10, or fractions adding up to 1",
        ),
        ([3.0, 7.0], TypeError, "lengths must be ints adding up to the dataset's 10, .* length 0 is 3.0"),
        ([True, 9], TypeError, "random_split: length 0 must be an int or a fraction, got bool"),
        ([3, "7"], TypeError, "random_split: length 1 must be an int or a fraction, got str"),
        ("ab", TypeError, "random_split: lengths must be a sequence of ints or fractions, got str"),
        (5, TypeError, "random_split: lengths must be a sequence of ints or fractions, got int"),
    ],
)
def test_random_split_checks_lengths(lengths: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        random_split(range(10), lengths)


def test_random_split_errors_of_the_same_kind_as_torch(torch: Any) -> None:
    """Where PyTorch raises for lengths, the same exception type (fractions that do not add up
    to 1 are a ValueError, the sum being checked first; float lengths that do add up a TypeError)."""
    for lengths in ([3, 6], [1.5, -0.5], [0.5, 0.6], [3.0, 7.0], [3, "7"]):
        with pytest.raises(TORCH_ERRORS) as theirs:
            torch.utils.data.random_split(range(10), lengths, generator=torch.Generator())
        with pytest.raises(TORCH_ERRORS) as ours:
            random_split(range(10), lengths)
        assert ours.type is theirs.type, lengths


def test_random_split_checks_dataset_and_generator(torch: Any) -> None:
    with pytest.raises(TypeError, match="random_split: the dataset must be a map-style dataset.* got int"):
        random_split(5, [1, 2])
    with pytest.raises(TypeError, match=r"generator must be a scratchgrad.Generator .*PyTorch's own"):
        random_split(range(3), [1, 2], generator=torch.Generator())
    with pytest.raises(TypeError, match="random_split: generator must be .* got int"):
        random_split(range(3), [1, 2], generator=3)


def test_subset_indexes_as_torch(torch: Any) -> None:
    data = list(range(10, 20))
    ours, theirs = Subset(data, [3, 5, 7]), torch.utils.data.Subset(data, [3, 5, 7])
    assert (ours[0], ours[-1]) == (theirs[0], theirs[-1]) == (13, 17)
    with pytest.raises(IndexError, match="Subset: index 5 is out of range for 3 items"):
        ours[5]
    with pytest.raises(IndexError):
        theirs[5]
    assert Subset(data, np.array([3, 5]))[1] == 15 and Subset(data, sg.tensor([4]))[0] == 14
    # a list of indices goes to the dataset at once, as PyTorch's: a tensor dataset gives a batch
    x = np.arange(12.0).reshape(6, 2)
    ds = TensorDataset(sg.tensor(x), sg.arange(6))
    tds = torch.utils.data.TensorDataset(torch.tensor(x), torch.arange(6))
    a, b = Subset(ds, [5, 1, 3])[[0, 2]], torch.utils.data.Subset(tds, [5, 1, 3])[[0, 2]]
    assert len(a) == len(b) == 2
    for ours_part, theirs_part in zip(a, b):
        same(ours_part, theirs_part)
    with pytest.raises(IndexError, match="Subset: index 3 is out of range for 3 items"):
        Subset(ds, [5, 1, 3])[[0, 3]]
    for subset in (Subset(data, [3, 5]), torch.utils.data.Subset(data, [3, 5])):
        with pytest.raises(TypeError, match="list indices must be integers"):
            subset[[0, 1]]  # a plain list cannot take a list of indices


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Subset(list(range(5)), 3), "Subset: indices must be a sequence of ints, got int"),
        (lambda: Subset(list(range(5)), {3, 4}), "Subset: indices must be a sequence of ints, got set"),
        (lambda: Subset(list(range(5)), "ab"), "Subset: indices must be a sequence of ints, got str"),
        (lambda: Subset(5, [0]), "Subset: the dataset must be a map-style dataset.* got int"),
        (lambda: Subset(sg.tensor(3), [0]), "Subset: the dataset must be a map-style dataset.* got Tensor"),
    ],
)
def test_subset_checks_its_arguments(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make()


@pytest.mark.parametrize(
    ("sampler", "batch_size", "drop_last", "error", "message"),
    [
        (range(5), 0, False, ValueError, "BatchSampler: batch_size must be a positive int, got 0"),
        (range(5), -1, False, ValueError, "BatchSampler: batch_size must be a positive int, got -1"),
        (range(5), 2.0, False, ValueError, "BatchSampler: batch_size must be a positive int, got 2.0"),
        (range(5), True, False, ValueError, "BatchSampler: batch_size must be a positive int, got True"),
        (
            range(5),
            2**70,
            False,
            ValueError,
            "BatchSampler: batch_size must be a positive int, got 1180591620717",
        ),
        (range(5), 2, 1, ValueError, "BatchSampler: drop_last must be True or False, got 1"),
        (range(5), 2, None, ValueError, "BatchSampler: drop_last must be True or False, got None"),
        (5, 2, False, TypeError, "BatchSampler: sampler must be an iterable of indices, got int"),
    ],
)
def test_batch_sampler_checks_as_torch(
    sampler: Any, batch_size: Any, drop_last: Any, error: type[Exception], message: str, torch: Any
) -> None:
    with pytest.raises(error, match=message):
        BatchSampler(sampler, batch_size, drop_last)
    with pytest.raises(error):
        list(torch.utils.data.BatchSampler(sampler, batch_size, drop_last))


def test_batch_sampler_batches_as_torch(torch: Any) -> None:
    for drop_last in (False, True):
        ours = BatchSampler(range(5), 2, drop_last)
        theirs = torch.utils.data.BatchSampler(range(5), 2, drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(BatchSampler(iter(range(3)), 2, False)) == [[0, 1], [2]]  # no len() needed to iterate


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"batch_size": 0}, ValueError, "BatchSampler: batch_size must be a positive int, got 0"),
        ({"shuffle": 1}, TypeError, "DataLoader: shuffle must be True, False or None, got int"),
        ({"drop_last": 1}, ValueError, "DataLoader: drop_last must be True or False, got int"),
        ({"sampler": 5}, TypeError, "DataLoader: sampler must be an iterable of indices, got int"),
        (
            {"batch_sampler": 5},
            TypeError,
            "DataLoader: batch_sampler must be an iterable of indices, got int",
        ),
        ({"num_workers": -1}, ValueError, "DataLoader: num_workers must be an int >= 0, got -1"),
        ({"generator": 5}, TypeError, "DataLoader: generator must be a scratchgrad.Generator or None"),
        (
            {"shuffle": True, "sampler": [0, 1]},
            ValueError,
            "sampler option is mutually exclusive with shuffle",
        ),
        (
            {"batch_sampler": [[0, 1]], "batch_size": 2},
            ValueError,
            "batch_sampler option is mutually exclusive",
        ),
    ],
)
def test_dataloader_checks_its_arguments(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        list(DataLoader(list(range(5)), **kwargs))


def test_dataloader_errors_of_the_same_kind_as_torch(torch: Any) -> None:
    for kwargs in (
        {"batch_size": 0},
        {"drop_last": 1},
        {"sampler": 5},
        {"num_workers": -1},
        {"shuffle": True, "sampler": [0]},
    ):
        with pytest.raises(TORCH_ERRORS) as theirs:
            list(torch.utils.data.DataLoader(list(range(5)), **kwargs))
        with pytest.raises(TORCH_ERRORS) as ours:
            list(DataLoader(list(range(5)), **kwargs))
        assert ours.type is theirs.type, kwargs


def test_dataloader_and_samplers_check_the_dataset_and_generator(torch: Any) -> None:
    for make, who in (
        (lambda d: DataLoader(d), "DataLoader"),
        (lambda d: SequentialSampler(d), "SequentialSampler"),
        (lambda d: RandomSampler(d), "RandomSampler"),
    ):
        with pytest.raises(TypeError, match=f"{who}: the dataset must be a map-style dataset.* got int"):
            make(5)
    with pytest.raises(
        TypeError, match=r"DataLoader: generator must be .* torch\._C\.Generator .*PyTorch's own"
    ):
        DataLoader(list(range(5)), shuffle=True, generator=torch.Generator())
    with pytest.raises(
        ValueError, match=r"RandomSampler: num_samples must be a positive int, got 0 \(the dataset is empty\)"
    ):
        RandomSampler([])
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        torch.utils.data.RandomSampler([])
    with pytest.raises(TypeError, match="RandomSampler: replacement must be True or False, got 1"):
        RandomSampler(list(range(3)), replacement=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="RandomSampler: num_samples must be a positive int, got 0"):
        RandomSampler(list(range(3)), num_samples=0)
    assert len(DataLoader(list(range(5)), batch_size=2)) == 3
