"""``torch.utils``: ``data`` (Dataset, TensorDataset, DataLoader, random_split)."""

from scratchgrad.utils import data as data

__all__ = ["data"]
