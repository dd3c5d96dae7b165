"""Save and load state dicts as ``.npz`` files, safely.

`save` never leaves a half-written file where the model was: it writes a temporary file in the
same folder, flushes it to disk, then renames it over the target in one step (``os.replace``),
and removes the temporary file if anything fails. `load` turns every kind of bad file (missing,
truncated, not an ``.npz``, pickled objects) into one clear error instead of numpy's or zipfile's.

>>> import os, tempfile, numpy as np, nn
>>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
>>> nn.save({"0.weight": np.eye(2)}, path)
>>> nn.load(path)["0.weight"].tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import os
import secrets
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.tensor import Tensor
from autograd.value import Value

__all__ = ["load", "save"]

PathLike = str | os.PathLike[str]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip


def _to_arrays(state_dict: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"save: expected a dict of arrays, got {type(state_dict).__name__}")
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"save: keys must be non-empty strings, got {key!r}")
        array = np.asarray(value.data if isinstance(value, (Tensor, Value)) else value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"save: {key!r} must hold numbers, got an array of {array.dtype}")
        arrays[key] = array
    return arrays


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new, uniquely named file ``.{name}.XXXXXXXX.tmp`` in ``folder``, opened for writing.

    Like ``tempfile.mkstemp``, but created with mode 0666 so the system applies the umask (and
    any default ACL), as for any new file: mkstemp's 0600 would make a saved model unreadable to
    the group and others, unlike the file ``np.savez`` writes.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"save: could not create a temporary file in {folder!r}")


def save(state_dict: Mapping[str, Any], path: PathLike) -> None:
    """Write ``state_dict`` ({name: array}) to ``path`` as an uncompressed ``.npz``, atomically."""
    arrays = _to_arrays(state_dict)  # check everything before touching the disk
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = _create_temporary(folder, os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            # Written member by member rather than with np.savez(f, **arrays): a key such as
            # "file" or "allow_pickle" would collide with savez's own keyword arguments.
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
                for key, array in arrays.items():
                    with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, array, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(path: PathLike) -> dict[str, np.ndarray]:
    """The state dict saved at ``path``: {name: array}.

    FileNotFoundError if there is no such file; ValueError naming the file if it is truncated,
    not an ``.npz`` archive, or holds anything but plain numeric arrays.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load: no such file: {path!r}")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic not in _ZIP_MAGIC:
        raise ValueError(f"load: {path!r} is not an .npz state dict (it does not start like a zip archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as err:
        # `from None`: the cause is the file, not a bug to trace through numpy and zipfile.
        raise ValueError(f"load: {path!r} is truncated or not a valid .npz state dict ({err})") from None
    for key, value in state.items():
        # numpy hands back the raw bytes of a member that is not a .npy array
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            raise ValueError(f"load: {path!r} is not a valid .npz state dict: {key!r} is not a numeric array")
    return state
