"""Save and load state dicts as ``.npz`` files, safely.

`save` never leaves a half-written file where the model was: it writes a temporary file in the
same folder, flushes it to disk, then renames it over the target in one step (``os.replace``),
and removes the temporary file if anything fails. Saving over a file keeps its permission bits,
and saving through a symbolic link writes to the file it points to (the link stays). The result
is a plain ``.npz`` that ``np.load`` reads back key for key; keys that would not survive that
(``"a"`` beside ``"a.npy"``, ``"/"``, NUL, empty) are refused before anything is written.

`load` turns every kind of bad file (missing, truncated, not an ``.npz``, pickled objects, a
header that claims more data than the file holds) into one clear error naming the file and the
member, instead of numpy's or zipfile's. It never unpickles, and before inflating anything it
checks what the archive declares (each member's uncompressed size, and their total) and what each
``.npy`` header declares (shape x itemsize) against a limit, ``max_bytes`` (default `MAX_BYTES`,
1 GiB), so a small crafted file (a "zip bomb") cannot make it allocate gigabytes.

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

from nn.state import _as_array

__all__ = ["MAX_BYTES", "load", "save"]

PathLike = str | os.PathLike[str]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip
_NUMERIC = "biuf"
# How many bytes one compressed byte may become: deflate's hard limit is about 1032, so a member
# whose directory entry claims more is lying, and its claim must not size an allocation.
_MAX_RATIO = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: 1032}
_MAX_NAME_BYTES = 0xFFFF - 4  # a zip member's name has a 16-bit length, and ".npy" is added

MAX_BYTES = 1 << 30
"""The most bytes `load` inflates from one file unless told otherwise (1 GiB): the total of its
members' declared uncompressed sizes. Pass ``nn.load(path, max_bytes=...)`` for one call, or set
``nn.serialize.MAX_BYTES`` for all of them."""


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


_OPTIMIZER_STATE = (
    "save: this is an optimizer's state_dict() ('state' and 'param_groups': nested dicts of "
    "settings and per-parameter arrays), which a flat .npz of named arrays cannot hold. Save the "
    "model's state_dict() here; to resume the optimizer too, keep its state dict with pickle "
    "(pickle.dump(opt.state_dict(), file), and load only pickles you trust), or start a new optimizer"
)


def _to_arrays(state_dict: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"save: expected a dict of arrays, got {type(state_dict).__name__}")
    if {"state", "param_groups"} <= set(state_dict) and isinstance(state_dict["state"], Mapping):
        raise TypeError(_OPTIMIZER_STATE)
    arrays = {}
    for key, value in state_dict.items():
        _check_key(key)
        if isinstance(value, Mapping):
            raise TypeError(
                f"save: {key!r} is a dict: save writes one flat state dict of names to arrays (as "
                "model.state_dict() gives); save each nested dict to a file of its own"
            )
        try:
            array = np.asarray(_as_array(value))
        except (TypeError, ValueError):  # ragged lists, objects numpy cannot convert
            raise TypeError(
                f"save: {key!r} cannot be read as an array of numbers (a ragged nested list, or "
                f"items that are not numbers), got {type(value).__name__}"
            ) from None
        if array.dtype.kind not in _NUMERIC:
            what = f"an array of {array.dtype}" if isinstance(value, np.ndarray) else type(value).__name__
            if isinstance(value, (list, tuple)):
                odd = next((x for x in array.ravel() if not isinstance(x, (int, float, np.number))), None)
                held = type(odd).__name__ if odd is not None else array.dtype
                what = f"a {type(value).__name__} holding {held}"
            raise TypeError(f"save: {key!r} must hold numbers, got {what}")
        arrays[key] = array
    for key in arrays:
        # np.load looks a name up as a member name first: "a.npy" would give back "a"'s array
        if key.endswith(".npy") and key[:-4] in arrays:
            raise ValueError(
                f"save: keys {key[:-4]!r} and {key!r} would collide in the .npz "
                f"(np.load would return {key[:-4]!r}'s array for {key!r})"
            )
    return arrays


_TEMP_STEM_CHARS = 16  # of the target's name, in the temporary's: at most 64 bytes (4 per character)


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new, uniquely named file ``.{name[:16]}.{16 hex digits}.tmp`` in ``folder``, opened for
    writing. At most 86 bytes long whatever ``name`` is, so it fits the 255-byte limit of a file
    name (NAME_MAX) for every target name that fits it (adding to the full name would not).

    Like ``tempfile.mkstemp``, but created with mode 0666 so the system applies the umask (and
    any default ACL), as for any new file: mkstemp's 0600 would make a saved model unreadable to
    the group and others, unlike the file ``np.savez`` writes.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    stem = name[:_TEMP_STEM_CHARS]
    for _ in range(100):
        tmp = os.path.join(folder, f".{stem}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {folder!r}")


def _special_kind(st_mode: int | None) -> str:
    """What a path that exists but is neither a regular file nor a folder is ("" otherwise)."""
    if st_mode is None:
        return ""
    kinds = {
        stat.S_ISFIFO: "FIFO (a named pipe)",
        stat.S_ISCHR: "character device",
        stat.S_ISBLK: "block device",
        stat.S_ISSOCK: "socket",
    }
    return next((kind for test, kind in kinds.items() if test(st_mode)), "")


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
        st_mode: int | None = os.stat(target).st_mode
    except OSError:
        st_mode = None  # a new file: the umask decides its mode, as for any new file
    special = _special_kind(st_mode)
    if special:  # /dev/null, a FIFO: the rename would replace it with a regular file
        raise OSError(errno.EINVAL, f"save: cannot write {shown!r}: it is a {special}, not a regular file")
    mode = None if st_mode is None else stat.S_IMODE(st_mode) & 0o777  # not setuid and friends
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


_CHUNK = 1 << 24  # read a member 16 MB at a time: never a second copy of a big array


def _read_member(shown: str, key: str, member: Any, size: int, max_bytes: int) -> np.ndarray:
    """The array in ``member`` (``size`` bytes in all), its .npy header read once and checked
    before anything is allocated: a dtype that is not plain numbers (never unpickled), or a shape
    that needs more bytes than there are (or than ``max_bytes``), is refused."""
    magic = member.read(len(npy_format.MAGIC_PREFIX) + 2)
    if magic[:-2] != npy_format.MAGIC_PREFIX:  # raw bytes, a pickle: not an .npy at all
        raise _BadFileError(f"load: {shown!r} is not a valid .npz state dict: {key!r} is not a numeric array")
    version = (magic[-2], magic[-1])
    if version == (1, 0):
        shape, fortran_order, dtype = npy_format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran_order, dtype = npy_format.read_array_header_2_0(member)
    else:
        raise _BadFileError(
            f"load: {shown!r}: member {key!r} is a .npy file of version {version}, not 1.0 or 2.0"
        )
    if dtype.hasobject or dtype.kind not in _NUMERIC:
        raise _BadFileError(
            f"load: {shown!r} is not a valid .npz state dict: {key!r} is not a numeric array ({dtype})"
        )
    claimed = math.prod(shape) * dtype.itemsize
    if claimed > max_bytes:  # (the archive's own sizes were checked against it before)
        raise _BadFileError(
            f"load: {shown!r}: member {key!r} claims shape {shape} of {dtype} ({claimed} bytes), "
            f"over the limit of {max_bytes} bytes (raise it with nn.load(path, max_bytes=...))"
        )
    available = size - member.tell()
    if claimed > available:
        raise _BadFileError(
            f"load: {shown!r}: member {key!r} claims shape {shape} of {dtype} ({claimed} bytes) "
            f"but holds {available} bytes: it is truncated or crafted"
        )
    data = bytearray(claimed)
    view, done = memoryview(data), 0
    while done < claimed:
        chunk = member.read(min(claimed - done, _CHUNK))
        if not chunk:
            raise _BadFileError(f"load: {shown!r}: member {key!r} ends after {done} of {claimed} bytes")
        view[done : done + len(chunk)] = chunk
        done += len(chunk)
    while member.read(_CHUNK):  # to the end, so zipfile checks the member's CRC
        pass
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")


def _check_limit(max_bytes: Any) -> int:
    if max_bytes is None:
        max_bytes = MAX_BYTES
    if isinstance(max_bytes, (bool, np.bool_)) or not isinstance(max_bytes, (int, np.integer)):
        raise TypeError(f"load: max_bytes must be an int (a number of bytes), got {type(max_bytes).__name__}")
    if max_bytes < 0:
        raise ValueError(f"load: max_bytes must be >= 0, got {max_bytes}")
    return int(max_bytes)


def _check_sizes(shown: str, keys: list[str], infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse, before inflating anything, an archive whose members claim more than ``max_bytes``
    uncompressed bytes, one by one or together: a 3 MB file can inflate to 3 GB."""
    total = 0
    for key, info in zip(keys, infos):
        total += info.file_size
        if total > max_bytes:
            alone = "" if total == info.file_size else f" ({total} with the members before it)"
            raise _BadFileError(
                f"load: {shown!r}: member {key!r} claims {info.file_size} bytes uncompressed{alone}, "
                f"over the limit of {max_bytes} bytes (raise it with nn.load(path, max_bytes=...))"
            )


def load(path: PathLike, *, max_bytes: int | None = None) -> dict[str, np.ndarray]:
    """The state dict saved at ``path``: {name: array}.

    FileNotFoundError if there is no such file; ValueError naming the file (and the member) if
    it is truncated, not an ``.npz`` archive, holds anything but plain numeric arrays (nothing is
    ever unpickled), or claims more data than it holds.

    ``max_bytes``: the most bytes the arrays may take once inflated, all members together
    (default: `MAX_BYTES`, 1 GiB; set ``nn.serialize.MAX_BYTES`` to change it for every call).
    The sizes the archive and the ``.npy`` headers declare are checked against it before anything
    is inflated: a file over it raises ValueError naming the member and the sizes.
    """
    limit = _check_limit(max_bytes)
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
            _check_sizes(shown, keys, infos, limit)
            for key, info in zip(keys, infos):
                if key in state:
                    raise _BadFileError(f"load: {shown!r}: key {key!r} appears twice in the archive")
                with archive.open(info) as member:
                    state[key] = _read_member(shown, key, member, info.file_size, limit)
    except _BadFileError as err:
        raise ValueError(str(err)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, RuntimeError) as err:
        # `from None`: the cause is the file, not a bug to trace through numpy and zipfile.
        # (RuntimeError: an encrypted member; OSError: a broken stream inside the archive.)
        reason = " ".join(str(err).split())  # numpy's words may span lines: one line here
        raise ValueError(f"load: {shown!r} is truncated or not a valid .npz state dict ({reason})") from None
    except NotImplementedError as err:  # a compression zipfile cannot read
        reason = " ".join(str(err).split())
        raise ValueError(f"load: {shown!r} is not a valid .npz state dict ({reason})") from None
    return state
