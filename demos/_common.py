"""What every demo shares: where pictures go, how figures are saved, how progress is shown."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # pictures go to files; no display is needed (or wanted) on a server
import matplotlib.pyplot as plt  # noqa: E402  (must come after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from autograd.viz import DotNotFoundError  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
DPI = 120


def demo_dir(out: str | os.PathLike[str] | None, name: str) -> Path | None:
    """``out/<name>``, created; None when no pictures are wanted (``out`` is None)."""
    if out is None:
        return None
    path = Path(out) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_writable(out: str | os.PathLike[str]) -> str | None:
    """None if files can be written under ``out`` (created if need be), else a one-line error.

    Asked before training, so a bad ``--out`` is reported at once, not after minutes.
    """
    try:
        Path(out).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as err:
        return f"error: cannot write to --out {str(out)!r}: {err.strerror or err}"
    return None


def new_figure(ncols: int = 1, width: float = 6.4, height: float = 4.6) -> tuple[Figure, Any]:
    """A figure with ``ncols`` side-by-side axes (a single Axes when ``ncols`` is 1)."""
    fig, axes = plt.subplots(1, ncols, figsize=(width, height))
    return fig, axes


def save_figure(fig: Figure, folder: Path, filename: str) -> Path:
    """Write ``fig`` as a PNG into ``folder`` and free it (figures are not garbage-collected by pyplot)."""
    path = folder / filename
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


@contextlib.contextmanager
def graphviz_optional(what: str) -> Iterator[None]:
    """Around drawing a graph picture: without Graphviz's ``dot``, warn and go on (the matplotlib
    pictures and the numbers need no Graphviz)."""
    try:
        yield
    except DotNotFoundError as err:
        print(f"warning: {what} not drawn: {err}", file=sys.stderr)


class Progress:
    """Prints a line at most every ``every`` steps (and at the last), so long loops are seen moving.

    >>> p = Progress("demo", total=4, every=2, verbose=True)
    >>> for step in range(4):
    ...     p.update(step, loss=1.0 / (step + 1))
    [demo] step 2/4  loss 0.5
    [demo] step 4/4  loss 0.25
    """

    def __init__(self, name: str, total: int, every: int, verbose: bool = True, label: str = "step") -> None:
        self.name, self.total, self.every, self.verbose, self.label = name, total, every, verbose, label

    def update(self, step: int, **metrics: float) -> None:
        """Report ``step`` (counted from 0) if it is time to; ``metrics`` are printed as name value."""
        done = step + 1
        if not self.verbose or (done % self.every and done != self.total):
            return
        shown = "  ".join(f"{key.replace('_', ' ')} {value:.4g}" for key, value in metrics.items())
        print(f"[{self.name}] {self.label} {done}/{self.total}  {shown}".rstrip(), flush=True)


def say(verbose: bool, text: str) -> None:
    """Print ``text`` when the demo is verbose (the default on the command line)."""
    if verbose:
        print(text, flush=True)


def dots(points: int) -> dict[str, Any]:
    """Line options that put a dot on each point of a short line (``ax.plot(..., **dots(n))``): a run
    of a step or two draws no line at all without them."""
    return {"marker": "o", "ms": 3} if points <= 20 else {}


def at_least(minimum: int) -> Callable[[str], int]:
    """argparse type of a count that must be at least ``minimum``: a whole number.

    >>> at_least(7)("7")
    7
    >>> at_least(7)("3")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a whole number of at least 7, got '3'
    """

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum}, got {text!r}")
        return value

    return whole_number


positive_int = at_least(1)
"""argparse type of a count (iterations, steps, rows, every N): a whole number, at least 1."""


def positive_float(text: str) -> float:
    """argparse type of a rate (a learning rate): a finite number above 0."""
    return _checked_float(text, lambda value: value > 0, "a finite number above 0")


def non_negative_float(text: str) -> float:
    """argparse type of a strength or a spread (L2 weight, noise std): a finite number, 0 or more."""
    return _checked_float(text, lambda value: value >= 0, "a finite number, 0 or more")


def random_seed(text: str) -> int:
    """argparse type of a random seed: what numpy's ``RandomState`` takes (plus room for seed + 1)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {2**31 - 1}, got {text!r}")
    return value


def _checked_float(text: str, ok: Callable[[float], bool], what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and ok(value)):
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
    return value


def demo_main(
    run: Callable[..., dict[str, Any]],
    doc: str | None,
    argv: Sequence[str] | None,
    add_options: Callable[[argparse.ArgumentParser], None],
) -> dict[str, Any]:
    """The shared command line of one demo: ``--out`` plus the demo's own options, then ``run``.

    ``doc`` is the demo's docstring; its first paragraph (the tutorial it follows) describes it.
    """
    parser = argparse.ArgumentParser(description=" ".join((doc or "").strip().partition("\n\n")[0].split()))
    parser.add_argument("--out", default="out", help="folder for pictures (they go to OUT/<demo>/)")
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    add_options(parser)
    args = vars(parser.parse_args(argv))
    args["verbose"] = not args.pop("quiet")
    problem = check_writable(args["out"])
    if problem:
        sys.exit(problem)  # exit status 1, the message on stderr
    start = time.perf_counter()
    result = run(**args)
    print(
        f"done in {time.perf_counter() - start:.1f} s: "
        + ", ".join(f"{k} = {_short(v)}" for k, v in result.items())
    )
    return result


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list) and len(value) > 4:
        return f"[{_short(value[0])}, ..., {_short(value[-1])}] ({len(value)} values)"
    return str(value)
