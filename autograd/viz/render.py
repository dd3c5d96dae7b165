"""Rendering through Graphviz's ``dot``: the picture type, `save`, and a clear error without ``dot``."""

from __future__ import annotations

from collections.abc import Iterator
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


class GraphPicture(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install ``dot`` when it is missing.

    Everything else is graphviz's: ``.source``, ``.pipe(format=...)``, ``.render(...)``, and the
    ``_repr_mimebundle_`` that makes Jupyter show the picture inline (as SVG).
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with needs_dot():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with needs_dot():
            return super().render(*args, **kwargs)


def save(picture: graphviz.Digraph, path: str | Path, format: str | None = None) -> Path:
    """Write ``picture`` to ``path`` as SVG, PNG or PDF (from the suffix unless ``format`` is given;
    ``.dot``/``.gv`` write the source, which needs no Graphviz program). Returns the path."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt in ("dot", "gv"):
        path.write_text(picture.source, encoding="utf-8")
        return path
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise ValueError(f"save: unknown format {fmt!r} for {str(path)!r}; formats: {known} (or dot, gv)")
    with needs_dot():  # ``picture`` may be any graphviz.Digraph, not only a GraphPicture
        data = picture.pipe(format=fmt)
    path.write_bytes(data)
    return path
