"""Rendering through Graphviz's ``dot``: the picture type, `save`, and a clear error without ``dot``."""

from __future__ import annotations

import errno
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphviz

FORMATS = ("svg", "png", "pdf")
"""What `save` and ``draw_graph(format=...)`` render through ``dot`` (``.dot``/``.gv`` write source)."""

_INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH; the Python package `graphviz` alone cannot "
    "render. Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS), `conda install -c conda-forge graphviz`, or https://graphviz.org/download/ . "
    "`.source` works without it."
)


class DotNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` program, and it is not installed (the message says how)."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, _INSTALL_HINT)


@contextmanager
def needs_dot() -> Iterator[None]:
    """Turn graphviz's "dot not found" into `DotNotFoundError`, which says how to install it."""
    try:
        yield
    except DotNotFoundError:
        raise
    except graphviz.ExecutableNotFound as err:
        raise DotNotFoundError() from err


SVG_MIME, PNG_MIME = "image/svg+xml", "image/png"


class GraphPicture(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install ``dot`` when it is missing, and
    which shows itself in notebooks as SVG and as PNG, no wider than a notebook's output area.

    Everything else is graphviz's: ``.source``, ``.pipe(format=...)``, ``.render(...)``. Jupyter
    and VS Code draw the SVG; where SVG is not shown (GitHub's notebook viewer, some exports)
    the PNG is.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with needs_dot():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with needs_dot():
            return super().render(*args, **kwargs)

    def _repr_image_svg_xml(self) -> str:
        """The SVG, no wider than a notebook's output area (its viewBox keeps the whole drawing)."""
        return fit_width(super()._repr_image_svg_xml(), NOTEBOOK_PT)

    def _repr_svg_(self) -> str:
        return self._repr_image_svg_xml()

    def _repr_png_(self) -> bytes:
        """The PNG, drawn at 1.5 times a plain screen's resolution, and a big graph scaled down to
        at most twice a notebook's width: viewers fit it to the output area, and its text stays
        sharp where one zooms in."""
        sized = self.copy()
        sized.attr("graph", size=f"{PNG_MOST_PT / 72:.4f},1000", dpi=str(PNG_DPI))
        return sized.pipe(format="png")

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **_: Any
    ) -> dict[str, Any]:
        """SVG and PNG (both by default; ``include`` and ``exclude`` choose, as IPython asks)."""
        wanted = set(include) if include is not None else {SVG_MIME, PNG_MIME}
        wanted -= set(exclude or ())
        bundle: dict[str, Any] = {}
        if SVG_MIME in wanted:
            bundle[SVG_MIME] = self._repr_svg_()
        if PNG_MIME in wanted:
            bundle[PNG_MIME] = self._repr_png_()
        others = wanted - {SVG_MIME, PNG_MIME}
        if others:  # JPEG: graphviz's own
            bundle.update(super()._repr_mimebundle_(include=others))
        return bundle


NOTEBOOK_PT = 680.0
"""The width of a notebook's output area, in points (about 900 pixels)."""
PNG_DPI = 144
"""The resolution of the PNG shown in notebooks: 1.5 times the 96 of a plain screen."""
PNG_MOST_PT = 2 * NOTEBOOK_PT
"""The widest drawing a notebook's PNG holds, in points (2720 pixels at `PNG_DPI`)."""
_SIZE = re.compile(r'(<svg\b[^>]*?)\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def fit_width(svg: str, most: float) -> str:
    """``svg`` scaled down (its viewBox keeps the drawing) to at most ``most`` points wide.

    >>> fit_width('<svg width="1360pt" height="100pt" viewBox="0 0 1360 100">', 680)
    '<svg width="680pt" height="50pt" viewBox="0 0 1360 100">'
    """
    found = _SIZE.search(svg)
    if found is None or float(found[2]) <= most:
        return svg
    height = float(found[3]) * most / float(found[2])
    return svg[: found.start()] + f'{found[1]} width="{most:g}pt" height="{height:g}pt"' + svg[found.end() :]


MAX_LABEL = 100
"""The most characters of a name (a node's label, a module's title, an op's name) drawn in a
picture: longer ones are cut to this many with an ellipsis (…), and the full text (up to
`MAX_TOOLTIP` characters) goes into the node's tooltip. Graphviz's ``dot`` refuses any quoted
string over 16,384 bytes, so an uncut 20,000-character label made drawing fail."""
MAX_TOOLTIP = 1000
"""The most characters of a cut name kept in its tooltip: even written with escapes (up to 12
bytes a character) that stays far below dot's 16,384 bytes."""


def shorten(text: str, most: int = MAX_LABEL) -> str:
    """``text``, or its first ``most - 1`` characters and an ellipsis when it is longer.

    >>> shorten("a" * 200, 10)
    'aaaaaaaaa…'
    """
    return text if len(text) <= most else text[: most - 1] + "…"


# --- text as dot and an SVG can hold it -----------------------------------------------------------

_RECORD_SPECIAL = re.compile(r'([{}|<>"\\])')
# Control characters (a line break aside), lone surrogates, line and paragraph separators, bidi
# overrides and marks, zero-width spaces, byte-order marks and the two non-characters XML refuses:
# dot fails on a NUL, an SVG cannot hold most of the rest, bidi overrides would reorder the text
# shown, and an invisible character would make two different names look alike.
_INVISIBLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]"
)


def visible(text: str) -> str:
    r"""``text`` with its invisible and unsafe characters written as escapes, as Python writes them.

    >>> print(visible("a\x00b\tc\nd"))
    a\x00b\tc
    d
    """
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def record_field(text: str) -> str:
    """Text safe inside one field of a record label."""
    return _RECORD_SPECIAL.sub(r"\\\1", visible(text)).replace("\n", "\\n")  # a line break inside the field


def tooltip(text: str) -> dict[str, str]:
    """The tooltip of a name `shorten` cuts in the picture (nothing for one drawn whole)."""
    return {"tooltip": plain(shorten(text, MAX_TOOLTIP))} if len(text) > MAX_LABEL else {}


def plain(text: str) -> str:
    """Text shown as it is in a plain label: no ``\\l`` escapes, no ``<html>``, nothing dot refuses."""
    return graphviz.escape(visible(text))


def output_path(path: Any, who: str) -> Path:
    """``path`` as a `Path` to write, checked before any work is done: TypeError unless a str or
    an ``os.PathLike`` of str; ValueError if empty or holding a NUL; an OSError naming it if its
    folder does not exist, or it is a folder itself, or another thing that is not a regular file
    (a FIFO, a device)."""
    try:
        text = os.fspath(path)
    except TypeError:
        raise TypeError(f"{who}: path must be a str or an os.PathLike, got {type(path).__name__}") from None
    if not isinstance(text, str):
        raise TypeError(f"{who}: path must be a str or an os.PathLike of str, got {type(text).__name__}")
    if not text:
        raise ValueError(f"{who}: path is empty")  # Path("") is ".", the current folder
    if "\0" in text:
        raise ValueError(f"{who}: path {text!r} contains a NUL character")
    out = Path(text)
    folder = out.parent
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(
                errno.ENOTDIR, f"{who}: cannot write {text!r}: {str(folder)!r} is not a folder"
            )
        raise FileNotFoundError(
            errno.ENOENT, f"{who}: cannot write {text!r}: the folder {str(folder)!r} does not exist"
        )
    if out.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"{who}: cannot write {text!r}: it is a folder")
    if out.exists() and not out.is_file():  # a FIFO with no reader would block the write forever
        raise OSError(
            errno.EINVAL, f"{who}: cannot write {text!r}: it is not a regular file (a FIFO or a device)"
        )
    return out


def write_file(path: Path, data: bytes, who: str) -> Path:
    """Write ``data`` to ``path``; an OSError (permissions, a full disk) names ``who`` and the path.

    ``OSError(errno, message)`` makes the same subclass (PermissionError, ...) as the original.
    """
    try:
        path.write_bytes(data)
    except OSError as err:
        reason = err.strerror or str(err)
        raise OSError(err.errno, f"{who}: cannot write {str(path)!r}: {reason}") from None
    return path


def run_dot(source: str, fmt: str, *, timeout: float | None = None, who: str = "dot") -> bytes:
    """``source`` laid out by ``dot`` as ``fmt`` (svg, png, pdf). Past ``timeout`` seconds ``dot``
    is stopped and TimeoutError raised: its time grows much faster than the graph."""
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except FileNotFoundError:
        raise DotNotFoundError() from None
    except subprocess.TimeoutExpired:
        raise TimeoutError(
            f"{who}: Graphviz's dot did not finish in {timeout:.2g} s; draw a smaller graph"
        ) from None
    if done.returncode:
        raise graphviz.CalledProcessError(done.returncode, ["dot", f"-T{fmt}"], done.stdout, done.stderr)
    return done.stdout


def save(
    picture: graphviz.Digraph, path: str | Path, format: str | None = None, *, timeout: float | None = None
) -> Path:
    """Write ``picture`` to ``path`` as SVG, PNG or PDF (from the suffix unless ``format`` is given;
    ``.dot``/``.gv`` write the source, which needs no Graphviz program). Returns the path.

    TypeError if ``picture`` is not a graph from graphviz (`draw_graph` makes one); the path is
    checked before ``dot`` runs (see `output_path`); ``timeout``: see `run_dot`.
    """
    if not isinstance(picture, (graphviz.Digraph, graphviz.Graph, graphviz.Source)):
        raise TypeError(
            f"save: picture must be a graphviz.Digraph (draw_graph makes one), got {type(picture).__name__}"
        )
    if format is not None and not isinstance(format, str):
        raise TypeError(f"save: format must be a str or None, got {type(format).__name__}")
    path = output_path(path, "save")
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt in ("dot", "gv"):
        return write_file(path, picture.source.encode("utf-8"), "save")
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise ValueError(f"save: unknown format {fmt!r} for {str(path)!r}; formats: {known} (or dot, gv)")
    if timeout is not None:
        data = run_dot(picture.source, fmt, timeout=timeout, who="save")
    else:
        with needs_dot():  # ``picture`` may be any graphviz.Digraph (another engine), not only ours
            data = picture.pipe(format=fmt)
    return write_file(path, data, "save")
