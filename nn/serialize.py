"""Save and load state dicts as ``.npz`` files, safely.

`save` never leaves a half-written file where the model was: it writes a temporary file in the
same folder, flushes it to disk, then renames it over the target in one step (``os.replace``),
and removes the temporary file if anything fails. Saving over a file keeps its permission bits,
and saving through a symbolic link writes to the file it points to (the link stays). The result
is a plain ``.npz`` that ``np.load`` reads back key for key; keys that would not survive that
(``"a"`` beside ``"a.npy"``, ``"/"``, NUL, empty) are refused before anything is written.

`load` turns every kind of bad file (missing, truncated, not an ``.npz``, pickled objects, a
header that claims more data than the file holds) into one clear error naming the file and the
member, instead of numpy's or zipfile's, and checks each member's claimed size before reading
it, so a small crafted file cannot make it allocate gigabytes.

>>> import os, tempfile, numpy as np, nn
>>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
>>> nn.save({"0.weight": np.eye(2)}, path)
>>> nn.load(path)["0.weight"].tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import secrets
import stat
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from autograd.tensor import Tensor
from autograd.value import Value

__all__ = ["load", "save"]

PathLike = str | os.PathLike[str]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip
_NUMERIC = "biuf"
# How many bytes one compressed byte may become: deflate's hard limit is about 1032, so a member
# whose directory entry claims more is lying, and its claim must not size an allocation.
_MAX_RATIO = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: 1032}
_MAX_NAME_BYTES = 0xFFFF - 4  # a zip member's name has a 16-bit length, and ".npy" is added


def _fspath(who: str, path: Any) -> str:
    """``path`` as a str, or TypeError: a str or an ``os.PathLike`` of str (not bytes, not None)."""
    try:
        text = os.fspath(path)
    except TypeError:
        raise TypeError(f"{who}: path must be a str or an os.PathLike, got {type(path).__name__}") from None
    if not isinstance(text, str):
        raise TypeError(f"{who}: path must be a str or an os.PathLike of str, got {type(text).__name__}")
    if not text:
        raise ValueError(f"{who}: path is empty")
    if "\0" in text:
        raise ValueError(f"{who}: path {text!r} contains a NUL character")
    return text


# --- save -------------------------------------------------------------------------------------


def _check_key(key: Any) -> None:
    """Refuse a key that would not come back from ``np.load`` under the same name."""
    if not isinstance(key, str):
        raise TypeError(f"save: keys must be non-empty strings, got {key!r}")
    if not key:
        raise ValueError("save: keys must be non-empty strings, got ''")
    # zipfile cuts a name at NUL; "/" and "\\" make folders inside the zip (Windows reads "\\"
    # as "/"); control characters are not portable member names.
    bad = next((c for c in key if c in "/\\" or ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        raise ValueError(f"save: key {key!r} contains {bad!r}, which a zip member name cannot hold")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(f"save: key {key!r} is not valid Unicode (it holds a lone surrogate)") from None
    if size > _MAX_NAME_BYTES:
        raise ValueError(
            f"save: key {key[:40]!r}... is {size} bytes long; a zip member name holds 65531 at most"
        )


def _to_arrays(state_dict: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"save: expected a dict of arrays, got {type(state_dict).__name__}")
    arrays = {}
    for key, value in state_dict.items():
        _check_key(key)
        try:
            array = np.asarray(value.data if isinstance(value, (Tensor, Value)) else value)
        except (TypeError, ValueError) as err:  # ragged lists, objects numpy cannot convert
            raise TypeError(f"save: {key!r} cannot be read as an array of numbers ({err})") from None
        if array.dtype.kind not in _NUMERIC:
            raise TypeError(f"save: {key!r} must hold numbers, got an array of {array.dtype}")
        arrays[key] = array
    for key in arrays:
        # np.load looks a name up as a member name first: "a.npy" would give back "a"'s array
        if key.endswith(".npy") and key[:-4] in arrays:
            raise ValueError(
                f"save: keys {key[:-4]!r} and {key!r} would collide in the .npz "
                f"(np.load would return {key[:-4]!r}'s array for {key!r})"
            )
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
    raise FileExistsError(f"could not create a temporary file in {folder!r}")


def _about(who: str, path: str, err: OSError) -> OSError:
    """``err`` again, of the same kind and errno, but naming the user's path (not a temporary)."""
    reason = err.strerror or str(err)
    if err.errno is None:
        return type(err)(f"{who}: cannot write {path!r}: {reason}")
    return OSError(err.errno, f"{who}: cannot write {path!r}: {reason}")


def save(state_dict: Mapping[str, Any], path: PathLike) -> None:
    """Write ``state_dict`` ({name: array}) to ``path`` as an uncompressed ``.npz``, atomically.

    Everything is checked before the disk is touched. An existing file keeps its permission bits;
    a symbolic link keeps pointing where it did, at the new contents.
    """
    arrays = _to_arrays(state_dict)  # check everything before touching the disk
    shown = _fspath("save", path)
    if shown.endswith(("/", os.sep)):  # realpath would drop the slash and write a file there
        raise IsADirectoryError(errno.EISDIR, f"save: cannot write {shown!r}: it names a directory")
    target = os.path.realpath(shown)  # through symbolic links: replace the file, keep the link
    if os.path.islink(target):  # realpath gives up on a loop: there is no file to write to
        raise OSError(errno.ELOOP, f"save: cannot write {shown!r}: its symbolic links form a loop")
    folder, name = os.path.split(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) & 0o777  # not setuid and friends
    except OSError:
        mode = None  # a new file: the umask decides, as for any new file
    if mode is not None and not os.access(target, os.W_OK):
        # the rename would go through; opening the file to write it, as np.savez does, would not
        raise PermissionError(errno.EACCES, f"save: cannot write {shown!r}: the file is read-only to you")
    try:
        fd, tmp = _create_temporary(folder, name)
    except OSError as err:
        raise _about("save", shown, err) from None
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            # Written member by member rather than with np.savez(f, **arrays): a key such as
            # "file" or "allow_pickle" would collide with savez's own keyword arguments.
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
                for key, array in arrays.items():
                    with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                        npy_format.write_array(member, array, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(err, OSError):
            raise _about("save", shown, err) from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Flush the rename itself to disk (POSIX); where a folder cannot be opened, skip it."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- load -------------------------------------------------------------------------------------


class _BadFileError(ValueError):
    """A problem `load` found itself (its message is final), as opposed to a library's error."""


def _member_key(shown: str, info: zipfile.ZipInfo, size_on_disk: int) -> str:
    """The state-dict key of a member, after checking what its zip entry claims."""
    name = info.filename
    if not name.endswith(".npy"):
        raise _BadFileError(
            f"load: {shown!r} is not a valid .npz state dict: {name!r} is not a numeric array"
        )
    ratio = _MAX_RATIO.get(info.compress_type)
    if ratio is None:
        raise _BadFileError(f"load: {shown!r}: member {name!r} uses a compression .npz files do not use")
    if info.compress_size > size_on_disk or info.file_size > ratio * info.compress_size:
        raise _BadFileError(
            f"load: {shown!r}: member {name!r} claims {info.file_size} bytes from "
            f"{info.compress_size} in a {size_on_disk}-byte file: the archive is corrupted"
        )
    return name[:-4]


def _check_header(shown: str, key: str, member: Any, size: int) -> None:
    """Read the .npy header of ``member`` (``size`` bytes in all) and refuse, before any array is
    allocated, a dtype that is not plain numbers or a shape that needs more bytes than there are."""
    if member.read(len(npy_format.MAGIC_PREFIX)) != npy_format.MAGIC_PREFIX:  # raw bytes, not .npy
        raise _BadFileError(f"load: {shown!r} is not a valid .npz state dict: {key!r} is not a numeric array")
    member.seek(0)
    version = npy_format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = npy_format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = npy_format.read_array_header_2_0(member)
    else:
        raise _BadFileError(
            f"load: {shown!r}: member {key!r} is a .npy file of version {version}, not 1.0 or 2.0"
        )
    if dtype.hasobject or dtype.kind not in _NUMERIC:
        raise _BadFileError(
            f"load: {shown!r} is not a valid .npz state dict: {key!r} is not a numeric array ({dtype})"
        )
    claimed = math.prod(shape) * dtype.itemsize
    available = size - member.tell()
    if claimed > available:
        raise _BadFileError(
            f"load: {shown!r}: member {key!r} claims shape {shape} of {dtype} ({claimed} bytes) "
            f"but holds {available} bytes: it is truncated or crafted"
        )


def load(path: PathLike) -> dict[str, np.ndarray]:
    """The state dict saved at ``path``: {name: array}.

    FileNotFoundError if there is no such file; ValueError naming the file (and the member) if
    it is truncated, not an ``.npz`` archive, holds anything but plain numeric arrays, or claims
    more data than it holds.
    """
    shown = _fspath("load", path)
    if os.path.isdir(shown):
        raise IsADirectoryError(f"load: {shown!r} is a directory, not a file")
    if not os.path.exists(shown):
        raise FileNotFoundError(f"load: no such file: {shown!r}")
    if not os.path.isfile(shown):  # a FIFO would block, /dev/zero never end
        raise ValueError(f"load: {shown!r} is not a regular file")
    with open(shown, "rb") as f:
        magic = f.read(4)
        size_on_disk = os.fstat(f.fileno()).st_size
    if magic not in _ZIP_MAGIC:
        raise ValueError(f"load: {shown!r} is not an .npz state dict (it does not start like a zip archive)")
    state: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(shown) as archive:
            infos = archive.infolist()
            keys = [_member_key(shown, info, size_on_disk) for info in infos]
            for key, info in zip(keys, infos):
                if key in state:
                    raise _BadFileError(f"load: {shown!r}: key {key!r} appears twice in the archive")
                with archive.open(info) as member:
                    _check_header(shown, key, member, info.file_size)
                    member.seek(0)
                    state[key] = npy_format.read_array(member, allow_pickle=False)
    except _BadFileError as err:
        raise ValueError(str(err)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, RuntimeError) as err:
        # `from None`: the cause is the file, not a bug to trace through numpy and zipfile.
        # (RuntimeError: an encrypted member; OSError: a broken stream inside the archive.)
        raise ValueError(f"load: {shown!r} is truncated or not a valid .npz state dict ({err})") from None
    except NotImplementedError as err:  # a compression zipfile cannot read
        raise ValueError(f"load: {shown!r} is not a valid .npz state dict ({err})") from None
    return state
