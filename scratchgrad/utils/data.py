"""``torch.utils.data``: datasets and the DataLoader that batches them, PyTorch's way.

A `DataLoader` walks its dataset in order, or shuffled (``shuffle=True``) by PyTorch's own
random stream: the same seed gives the same batches as PyTorch. Like PyTorch's, each pass
(``iter(loader)``) draws one 64-bit number from the loader's generator (the default one unless
``generator=`` is given), so later random numbers stay in step with PyTorch's too. Batches are
made in this process (``num_workers`` is accepted and gives the same batches).

>>> import scratchgrad as torch
>>> from scratchgrad.utils.data import DataLoader, TensorDataset
>>> ds = TensorDataset(torch.arange(10.0).view(5, 2), torch.tensor([0, 1, 0, 1, 1]))
>>> loader = DataLoader(ds, batch_size=2)
>>> len(loader), [y.tolist() for _, y in loader]
(3, [[0, 1], [0, 1], [1]])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor, random
from scratchgrad.factories import randperm

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "random_split",
]


class Dataset:
    """A map-style dataset: subclasses define ``__getitem__(index)`` and ``__len__()``."""

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")


class TensorDataset(Dataset):
    """Samples from tensors of one length: item ``i`` is ``(t[i] for each tensor)`` as a tuple.

    >>> import scratchgrad as torch
    >>> ds = torch.utils.data.TensorDataset(torch.zeros(3, 2), torch.tensor([4, 5, 6]))
    >>> len(ds), ds[1][0].shape, ds[1][1].item()
    (3, (2,), 5)
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset: give at least one tensor")
        for t in tensors:
            if not isinstance(t, Tensor) or t.ndim == 0:
                raise TypeError(f"TensorDataset: expected tensors of at least 1 dimension, got {t!r:.60}")
        sizes = [t.shape[0] for t in tensors]
        if len(set(sizes)) > 1:
            raise ValueError(f"TensorDataset: the tensors' first dimensions differ (size mismatch): {sizes}")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return int(self.tensors[0].shape[0])


class Subset(Dataset):
    """The items of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, index: Any) -> Any:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """``dataset`` split into non-overlapping random subsets of the given lengths (or fractions
    summing to 1), PyTorch's split for the same generator state."""
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:  # fractions, as PyTorch rounds them
        if any(not 0 <= f <= 1 for f in lengths):
            raise ValueError(f"random_split: fractions must be between 0 and 1, got {list(lengths)}")
        counts = [math.floor(n * f) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths {list(lengths)} do not add up to the dataset's {n}")
    order = randperm(n, generator=generator).tolist()
    ends = itertools.accumulate(int(k) for k in lengths)
    return [Subset(dataset, order[end - int(k) : end]) for end, k in zip(ends, lengths)]


# --- samplers: which indices, in which order ---------------------------------------------------------


class SequentialSampler:
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


def _random64(generator: Any) -> int:
    """One 64-bit draw, as PyTorch's ``torch.empty((), dtype=torch.int64).random_(generator=g)``."""
    gen = random.default_generator if generator is None else generator
    return int(gen.random64(1)[0]) % 2**63


class RandomSampler:
    """The indices shuffled by PyTorch's stream: ``randperm`` from ``generator``, or, without
    one, from a new generator seeded by one draw of the default generator (as PyTorch). With
    ``replacement=True``, ``num_samples`` indices drawn with replacement, 32 at a time."""

    def __init__(
        self,
        data_source: Any,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if num_samples is not None and (not isinstance(num_samples, int) or num_samples <= 0):
            raise ValueError(f"RandomSampler: num_samples must be a positive int, got {num_samples!r}")
        self.data_source, self.replacement, self.generator = data_source, replacement, generator
        self._num_samples = num_samples

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        gen = self.generator
        if gen is None:
            gen = autograd.Generator().manual_seed(_random64(None))
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from autograd.randint(0, n, (32,), generator=gen).tolist()
            yield from autograd.randint(0, n, (self.num_samples % 32,), generator=gen).tolist()
            return
        for _ in range(self.num_samples // n):
            yield from autograd.randperm(n, generator=gen).tolist()
        yield from autograd.randperm(n, generator=gen).tolist()[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler:
    """The indices of ``sampler`` in lists of ``batch_size`` (the last one shorter unless
    ``drop_last``)."""

    def __init__(self, sampler: Any, batch_size: int, drop_last: bool) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"BatchSampler: batch_size must be a positive int, got {batch_size!r}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


# --- collating samples into a batch ------------------------------------------------------------------


def default_collate(batch: Sequence[Any]) -> Any:
    """Samples joined as PyTorch joins them: tensors (and arrays) stacked along a new first
    dimension, Python ints into an int64 tensor, floats into a float64 one, strings kept in a
    list, and tuples, lists and dicts joined field by field (a tuple of fields gives a list)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return autograd.stack(list(batch))
    if isinstance(elem, np.ndarray):
        return autograd.stack([autograd.Tensor(np.asarray(b)) for b in batch])
    if isinstance(elem, (bool, np.bool_)):
        return autograd.tensor(list(batch))
    if isinstance(elem, (int, np.integer)):
        return autograd.tensor(list(batch), dtype=autograd.int64)
    if isinstance(elem, (float, np.floating)):
        return autograd.tensor(list(batch), dtype=autograd.float64)
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return type(elem)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(elem, Sequence):
        if len({len(b) for b in batch}) > 1:
            raise ValueError("default_collate: each element in the batch should be of equal size")
        return [default_collate(list(s)) for s in zip(*batch)]
    raise TypeError(
        f"default_collate: a batch must hold tensors, arrays, numbers, strings, dicts or sequences; "
        f"found {type(elem).__name__}"
    )


class DataLoader:
    """Batches of ``dataset``: ``batch_size`` samples each (the last one shorter unless
    ``drop_last``), in order or shuffled (``shuffle=True``, by ``generator`` or the default
    generator, as PyTorch), joined by ``collate_fn`` (`default_collate`). ``len(loader)`` is the
    number of batches; ``batch_size=None`` gives the samples one by one, unbatched."""

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Any = None,
        batch_sampler: Any = None,
        num_workers: int = 0,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Any = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
    ) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be an int >= 0, got {num_workers!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None (no batching) and drop_last are mutually exclusive")
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.collate_fn = (
            collate_fn if collate_fn is not None else (default_collate if batch_sampler else _as_is)
        )

    def __len__(self) -> int:
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def __iter__(self) -> Iterator[Any]:
        indices = iter(self.batch_sampler if self.batch_sampler is not None else self.sampler)
        _random64(self.generator)  # PyTorch's iterator draws its workers' base seed, even with none
        return self._batches(indices)

    def _batches(self, indices: Iterator[Any]) -> Iterator[Any]:
        if self.batch_sampler is None:
            for i in indices:
                yield self.collate_fn(self.dataset[i])
            return
        fast = type(self.dataset) is TensorDataset and self.collate_fn is default_collate
        for batch in indices:
            if fast:  # the same tensors as stacking the samples one by one, in one indexing
                picked = np.asarray(batch, dtype=np.int64)
                yield [t[picked] for t in self.dataset.tensors]
            else:
                yield self.collate_fn([self.dataset[i] for i in batch])


def _as_is(sample: Any) -> Any:
    return sample
