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

import copy
import itertools
import math
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor, random
from scratchgrad.factories import randperm, tensor

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
        _check_dataset("Subset", dataset)
        if isinstance(indices, (Tensor, np.ndarray)):
            indices = indices.tolist()
        if isinstance(indices, (str, bytes, Mapping)) or not isinstance(indices, Sequence):
            raise TypeError(f"Subset: indices must be a sequence of ints, got {type(indices).__name__}")
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):  # several at once, as PyTorch's: the dataset is indexed by the list
            return self.dataset[[self._position(i) for i in index]]
        return self.dataset[self._position(index)]

    def _position(self, index: Any) -> Any:
        try:
            return self.indices[index]
        except IndexError:
            raise IndexError(
                f"Subset: index {index!r} is out of range for {len(self.indices)} items"
            ) from None

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """``dataset`` split into non-overlapping random subsets of the given lengths, PyTorch's
    split for the same generator state. ``lengths`` are ints adding up to ``len(dataset)``, or
    fractions adding up to 1: then each split gets ``floor(n * fraction)`` items and the
    remainder goes round-robin, one at a time, from the first split (a split left empty warns,
    as PyTorch)."""
    generator = _check_generator("random_split", generator)
    _check_dataset("random_split", dataset)
    if isinstance(lengths, autograd.Tensor):
        lengths = lengths.tolist()
    if isinstance(lengths, (str, bytes)) or not isinstance(lengths, Iterable):
        raise TypeError(
            f"random_split: lengths must be a sequence of ints or fractions, got {type(lengths).__name__}"
        )
    lengths = list(lengths)
    for i, k in enumerate(lengths):
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, float, np.integer, np.floating)):
            raise TypeError(f"random_split: length {i} must be an int or a fraction, got {type(k).__name__}")
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:  # fractions, as PyTorch rounds them
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(f"random_split: fraction {i} is not between 0 and 1, got {fraction!r}")
        counts = [math.floor(n * f) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=2
                )
        lengths = counts
    for i, k in enumerate(lengths):
        if not isinstance(k, (int, np.integer)):
            error = TypeError if sum(lengths) == n else ValueError  # PyTorch checks the sum first
            raise error(
                f"random_split: lengths must be ints adding up to the dataset's {n}, or fractions adding "
                f"up to 1; length {i} is {k!r}"
            )
        if k < 0:
            raise ValueError(f"random_split: length {i} is negative: {k}")
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths {lengths} do not add up to the dataset's {n}")
    order = randperm(n, generator=generator).tolist()
    ends = itertools.accumulate(int(k) for k in lengths)
    return [Subset(dataset, order[end - int(k) : end]) for end, k in zip(ends, lengths)]


def _check_dataset(who: str, dataset: Any) -> None:
    """A map-style dataset: one with ``__getitem__`` and ``__len__`` (a Dataset, a list, a
    tensor of at least one dimension)."""
    if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")) or (
        isinstance(dataset, Tensor) and dataset.ndim == 0
    ):
        raise TypeError(
            f"{who}: the dataset must be a map-style dataset, with __getitem__ and __len__ (iterable "
            f"datasets are not supported here), got {type(dataset).__name__}"
        )


def _check_generator(who: str, generator: Any) -> Any:
    """``generator``: None (the default generator) or a scratchgrad Generator."""
    if generator is not None and not isinstance(generator, random.Generator):
        kind = type(generator)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        hint = " (PyTorch's own: make it with scratchgrad.Generator())" if "torch" in kind.__module__ else ""
        raise TypeError(
            f"{who}: generator must be a scratchgrad.Generator or None (the default generator), "
            f"got {name}{hint}"
        )
    return generator


# --- samplers: which indices, in which order ---------------------------------------------------------


class SequentialSampler:
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Any) -> None:
        _check_dataset("SequentialSampler", data_source)
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
        _check_dataset("RandomSampler", data_source)
        if not isinstance(replacement, bool):
            raise TypeError(f"RandomSampler: replacement must be True or False, got {replacement!r}")
        self.data_source, self.replacement = data_source, replacement
        self.generator = _check_generator("RandomSampler", generator)
        self._num_samples = num_samples
        count = self.num_samples  # PyTorch checks it once, here: an empty dataset cannot be shuffled
        if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            empty = " (the dataset is empty)" if num_samples is None else ""
            raise ValueError(f"RandomSampler: num_samples must be a positive int, got {count!r}{empty}")

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
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, int)
            or not 0 < batch_size <= sys.maxsize
        ):
            raise ValueError(f"BatchSampler: batch_size must be a positive int, got {batch_size!r}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"BatchSampler: drop_last must be True or False, got {drop_last!r}")
        if not isinstance(sampler, Iterable):
            raise TypeError(
                f"BatchSampler: sampler must be an iterable of indices, got {type(sampler).__name__}"
            )
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]  # a sampler without len() has no batch count
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


# --- collating samples into a batch ------------------------------------------------------------------


def default_collate(batch: Sequence[Any]) -> Any:
    """Samples joined as PyTorch's ``default_collate`` joins them, judged by the first sample:
    tensors stacked along a new first dimension, numpy arrays and scalars too, keeping their
    dtype (``torch.as_tensor``); Python ints (and bools) as ``torch.tensor(batch)`` reads them (so
    ``[1, 2.5]`` is float32), Python floats as float64; strings kept in a list; dicts, tuples and
    lists joined field by field (a tuple of fields gives a list; a namedtuple keeps its type).

    >>> from scratchgrad.utils.data import default_collate
    >>> [(t.dtype, t.tolist()) for t in default_collate([(1, 0.5), (2, 1.5)])]
    [(dtype('int64'), [1, 2]), (dtype('float64'), [0.5, 1.5])]
    """
    if isinstance(batch, (str, bytes, Mapping)) or not isinstance(batch, Sequence):
        raise TypeError(f"default_collate: expected a list of samples, got {type(batch).__name__}")
    if not batch:
        raise ValueError("default_collate: the batch is empty (no samples to join)")
    elem = batch[0]
    if isinstance(elem, Tensor) or (isinstance(elem, np.ndarray) and elem.dtype.kind in "biuf"):
        kind = Tensor if isinstance(elem, Tensor) else np.ndarray
        odd = next((i for i, b in enumerate(batch) if not isinstance(b, kind)), None)
        if odd is not None:
            found = type(batch[odd]).__name__
            raise TypeError(f"default_collate: sample 0 is a {kind.__name__} but sample {odd} is a {found}")
        return autograd.stack([b if isinstance(b, Tensor) else autograd.Tensor(b) for b in batch])
    if (
        isinstance(elem, (np.ndarray, np.generic))
        and elem.dtype.kind not in "biuf"
        and not isinstance(elem, (np.str_, np.bytes_))
    ):
        raise TypeError(
            "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
            f"found {elem.dtype}"
        )
    if isinstance(elem, np.generic) and elem.dtype.kind in "biuf":
        return tensor(list(batch))  # as torch.as_tensor: numpy's dtypes, promoted as PyTorch
    if isinstance(elem, float):
        return tensor(list(batch), dtype=autograd.float64)
    if isinstance(elem, int):  # bools too
        return tensor(list(batch))  # as torch.tensor(batch): [1, 2.5] is float32
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        joined = {key: default_collate([_field(d, key, i) for i, d in enumerate(batch)]) for key in elem}
        if isinstance(elem, MutableMapping):
            clone = copy.copy(elem)  # the first sample's kind of dict (an OrderedDict stays one)
            clone.update(joined)
            return clone
        return joined
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return type(elem)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(elem, Sequence):
        sizes = [len(b) if isinstance(b, Sequence) else None for b in batch]
        if len(set(sizes)) > 1:
            raise ValueError(
                f"default_collate: each element in the batch should be of equal size, got sizes {sizes}"
            )
        return [default_collate(list(s)) for s in zip(*batch)]
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(elem).__name__}"
    )


def _field(sample: Any, key: Any, i: int) -> Any:
    if not isinstance(sample, Mapping):
        raise TypeError(f"default_collate: sample 0 is a dict but sample {i} is a {type(sample).__name__}")
    if key not in sample:
        raise ValueError(f"default_collate: sample {i} has no key {key!r}, which sample 0 has")
    return sample[key]


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
        generator = _check_generator("DataLoader", generator)
        _check_dataset("DataLoader", dataset)
        if shuffle is not None and not isinstance(shuffle, bool):
            raise TypeError(f"DataLoader: shuffle must be True, False or None, got {type(shuffle).__name__}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"DataLoader: drop_last must be True or False, got {type(drop_last).__name__}")
        for name, given in (("sampler", sampler), ("batch_sampler", batch_sampler)):
            if given is not None and not isinstance(given, Iterable):
                raise TypeError(
                    f"DataLoader: {name} must be an iterable of indices, got {type(given).__name__}"
                )
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
