"""What every demo shares: where pictures go, how figures are saved, how progress is shown."""

from __future__ import annotations

import argparse
import contextlib
import inspect
import math
import numbers
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

# Figures are made without pyplot: they need no display and leave the user's backend alone (a
# notebook that imports a demo keeps its inline plots).
from matplotlib.figure import Figure

from autograd.viz import DotNotFoundError

DATA = Path(__file__).resolve().parent / "data"
DPI = 120


def demo_dir(out: str | os.PathLike[str] | None, name: str) -> Path | None:
    """``out/<name>``, created; None when no pictures are wanted (``out`` is None)."""
    if out is None:
        return None
    path = Path(out) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


class OutFolderError(OSError):
    """``run(out=...)``: the demo's picture folder ``out/<demo>`` cannot be made or written (a file
    is in the way, no permission). Raised by `check_options`, before any training."""

    def __str__(self) -> str:  # one line, without OSError's "[Errno 20]"
        return self.strerror or super().__str__()


def unwritable(folder: str | os.PathLike[str]) -> str | None:
    """Why files cannot be written in ``folder`` (created if need be), naming the path; None if
    they can. A file where a folder should be is named as such (mkdir would say "File exists")."""
    path = Path(folder)
    try:  # exists() itself may fail: a name too long, a folder on the way that cannot be searched
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            return f"{str(blocker)!r} is a file, not a folder"
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        return f"{str(path)!r}: {err.strerror or err}"
    return None


def check_writable(out: str | os.PathLike[str], names: Sequence[str] = ()) -> str | None:
    """None if files can be written under ``out`` and in its subfolders ``names`` (the demos'
    picture folders; all created if need be), else a one-line error.

    Asked before training, so a bad ``--out`` is reported at once, not after minutes.
    """
    for folder in (Path(out), *(Path(out) / name for name in names)):
        reason = unwritable(folder)
        if reason is not None:
            return f"error: cannot write to --out {str(out)!r}: {reason}"
    return None


def new_figure(ncols: int = 1, width: float = 6.4, height: float = 4.6) -> tuple[Figure, Any]:
    """A figure with ``ncols`` side-by-side axes (a single Axes when ``ncols`` is 1)."""
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(1, ncols)


def save_figure(fig: Figure, folder: Path, filename: str) -> Path:
    """Write ``fig`` as a PNG into ``folder``."""
    path = folder / filename
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    return path


@contextlib.contextmanager
def graphviz_optional(what: str) -> Iterator[None]:
    """Around drawing a graph picture: without Graphviz's ``dot``, warn and go on (the matplotlib
    pictures and the numbers need no Graphviz)."""
    try:
        yield
    except DotNotFoundError as err:
        print(f"warning: {what} not drawn: {err}", file=sys.stderr)


def _bar_class() -> Any:
    """tqdm's bar when it can show: tqdm installed (the ``demos`` extra), stderr a terminal, and
    no test running; else None (progress then goes as lines, or nowhere)."""
    if "PYTEST_CURRENT_TEST" in os.environ or not getattr(sys.stderr, "isatty", lambda: False)():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


class Progress:
    """Shows a long loop moving. On a terminal: a progress bar (tqdm) with the latest numbers
    beside it, and a line every ``every`` steps above it. Elsewhere (a log, a notebook's output,
    tests): only those lines. Nothing at all unless ``verbose``. ``every=0``: no lines of its own
    (the demo writes them with `write`).

    >>> p = Progress("demo", total=4, every=2, verbose=True)
    >>> for step in range(4):
    ...     p.update(step, loss=1.0 / (step + 1))
    [demo] step 2/4  loss 0.5
    [demo] step 4/4  loss 0.25
    """

    def __init__(self, name: str, total: int, every: int, verbose: bool = True, label: str = "step") -> None:
        self.name, self.total, self.every, self.verbose, self.label = name, total, every, verbose, label
        bar = _bar_class() if verbose else None
        self.bar: Any = None
        if bar is not None:  # cleared when done: the lines stay, the bar goes
            self.bar = bar(total=total, desc=name, unit=label, leave=False, dynamic_ncols=True)
        self.refresh = max(1, total // 200)  # the numbers beside the bar: 200 times a run at most

    def update(self, step: int, **metrics: float) -> None:
        """Step ``step`` (counted from 0) is done; ``metrics`` are shown as name value."""
        done = step + 1
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
            if done % self.refresh == 0 or done == self.total:
                self.bar.set_postfix_str(_metrics(metrics), refresh=False)
        if self.verbose and self.every and (done % self.every == 0 or done == self.total):
            self.write(f"[{self.name}] {self.label} {done}/{self.total}  {_metrics(metrics)}".rstrip())
        if self.bar is not None and done >= self.total:
            self.bar.close()

    def write(self, text: str) -> None:
        """Print a line (above the bar, when there is one) when verbose."""
        if not self.verbose:
            return
        if self.bar is not None:
            self.bar.write(text)
        else:
            print(text, flush=True)


def _metrics(metrics: Mapping[str, float]) -> str:
    return "  ".join(f"{key.replace('_', ' ')} {value:.4g}" for key, value in metrics.items())


def say(verbose: bool, text: str) -> None:
    """Print ``text`` when the demo is verbose (the default on the command line)."""
    if verbose:
        print(text, flush=True)


def dots(points: int) -> dict[str, Any]:
    """Line options that put a dot on each point of a short line (``ax.plot(..., **dots(n))``): a run
    of a step or two draws no line at all without them."""
    return {"marker": "o", "ms": 3} if points <= 20 else {}


@dataclass(frozen=True)
class Limits:
    """The values one numeric option of a demo may take: whole numbers (``int``) or finite numbers
    (``float``) from ``low`` to ``high`` (``low`` itself excluded when ``above``: a rate). The
    command line parses with `parse` and ``run()`` checks with `check`, so both refuse the same
    values, in the same words; ``high`` keeps a run to minutes and its numbers finite.

    >>> steps = Limits(int, 1, 1000)
    >>> steps.parse("10")
    10
    >>> steps.parse("1e9")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a whole number from 1 to 1000, got '1e9'
    >>> Limits(float, 0, 1, above=True).check("demo", "lr", float("nan"))
    Traceback (most recent call last):
    ValueError: demo: lr must be a finite number above 0 and at most 1, got nan
    """

    kind: type[int] | type[float]
    low: float
    high: float
    above: bool = False

    def describe(self) -> str:
        if self.kind is int:
            return f"a whole number from {self.low} to {self.high}"
        if self.above:
            return f"a finite number above {self.low:g} and at most {self.high:g}"
        return f"a finite number from {self.low:g} to {self.high:g}"

    def ok(self, value: Any) -> bool:
        if isinstance(value, int) and not self.low <= value <= self.high:
            return False  # before isfinite, which cannot take an int past a float's range
        low_ok = value > self.low if self.above else value >= self.low
        return math.isfinite(value) and low_ok and value <= self.high

    def parse(self, text: str) -> Any:
        """argparse ``type=``: the number in ``text``, or an error that says what is allowed."""
        try:
            value = self.kind(text)  # int("1.5") and int("1e3") fail: counts are written whole
        except (ValueError, OverflowError):
            value = math.nan
        if not self.ok(value):
            raise argparse.ArgumentTypeError(f"must be {self.describe()}, got {text!r}")
        return value

    def check(self, demo: str, name: str, value: Any) -> None:
        """What ``run(name=value)`` refuses: TypeError for a wrong kind, ValueError out of range."""
        kind = numbers.Integral if self.kind is int else numbers.Real
        if isinstance(value, bool) or not isinstance(value, kind):
            what = "a whole number (int)" if self.kind is int else "a real number"
            raise TypeError(f"{demo}: {name} must be {what}, got {type(value).__name__} {_shown(value)}")
        if not self.ok(value):
            raise ValueError(f"{demo}: {name} must be {self.describe()}, got {_shown(value)}")


def _shown(value: Any) -> str:
    """``repr(value)``, but a huge int by its size (its digits could be thousands, or too many to print)."""
    if isinstance(value, int) and abs(value) > 10**18:
        return f"an int of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


SEED = Limits(int, 0, 2**31 - 1)
"""A random seed: what numpy's ``RandomState`` takes (with room for seed + 1)."""


def add_option(
    parser: argparse.ArgumentParser,
    run: Callable[..., Any],
    limits: Mapping[str, Limits],
    name: str,
    help: str,
) -> None:
    """``--name`` on the command line: parsed by ``limits[name]``, its default ``run()``'s own
    (written once, in ``run``'s signature)."""
    default = inspect.signature(run).parameters[name].default
    parser.add_argument("--" + name.replace("_", "-"), type=limits[name].parse, default=default, help=help)


def check_options(demo: str, limits: Mapping[str, Limits], out: Any, **values: Any) -> None:
    """``run()``'s first line: ``out`` and each numeric option against the demo's ``LIMITS``, so a
    bad value fails at once, named, not as a NaN or an hour of training later. The picture folder
    ``out/<demo>`` is made and a file written in it here too (`OutFolderError` if it cannot be),
    so a file in its way is reported before the training, not after."""
    if out is not None:
        try:
            folder = os.fspath(out)
        except TypeError:
            raise TypeError(
                f"{demo}: out must be a folder path (str) or None, got {type(out).__name__}"
            ) from None
        if not isinstance(folder, str):
            raise TypeError(f"{demo}: out must be a folder path (str) or None, got {type(folder).__name__}")
        if not folder:
            raise ValueError(f"{demo}: out is empty; give a folder (None draws no pictures)")
        if "\0" in folder:
            raise ValueError(f"{demo}: out {folder!r} holds a NUL character")
    for name, value in values.items():
        limits[name].check(demo, name, value)
    if out is not None:  # last: a bad option makes no folder
        reason = unwritable(Path(out) / demo)
        if reason is not None:
            raise OutFolderError(f"{demo}: cannot write pictures under out={os.fspath(out)!r}: {reason}")


def out_folder(text: str) -> str:
    """argparse type of ``--out``: a folder path, not empty (Path("") is the current folder)."""
    if not text:
        raise argparse.ArgumentTypeError(
            "must be a folder, not empty (it would write into the current folder)"
        )
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"must be a folder path, got {text!r} (it holds a NUL character)")
    return text


def demo_main(
    run: Callable[..., dict[str, Any]],
    doc: str | None,
    argv: Sequence[str] | None,
    add_options: Callable[[argparse.ArgumentParser], None],
) -> dict[str, Any]:
    """The shared command line of one demo: ``--out`` plus the demo's own options, then ``run``.

    ``doc`` is the demo's docstring; its first paragraph (the tutorial it follows) describes it.
    """
    args = vars(demo_parser(run, doc, add_options).parse_args(argv))
    args["verbose"] = not args.pop("quiet")
    problem = check_writable(args["out"])
    if problem:
        sys.exit(problem)  # exit status 1, the message on stderr
    start = time.perf_counter()
    try:
        result = run(**args)
    except OutFolderError as err:  # out/<demo> is a file, or unwritable: run's first check
        sys.exit(f"error: {err}")
    print(
        f"done in {time.perf_counter() - start:.1f} s: "
        + ", ".join(f"{k} = {_short(v)}" for k, v in result.items())
    )
    return result


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is its one line, ``prog: error: ...`` (``--help`` shows the usage)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def demo_parser(
    run: Callable[..., dict[str, Any]],
    doc: str | None,
    add_options: Callable[[argparse.ArgumentParser], None],
) -> argparse.ArgumentParser:
    """The command line `demo_main` parses: ``--out``, ``--quiet`` and the demo's own options."""
    # Errors name the demo as it was started: python -m demos.moons_mlp (its module is __main__ then).
    spec = getattr(sys.modules.get(run.__module__), "__spec__", None)
    parser = OneLineParser(
        prog=f"python -m {spec.name}" if spec is not None else None,
        description=" ".join((doc or "").strip().partition("\n\n")[0].split()),
    )
    parser.add_argument(
        "--out", type=out_folder, default="out", help="folder for pictures (they go to OUT/<demo>/)"
    )
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    add_options(parser)
    return parser


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list) and len(value) > 4:
        return f"[{_short(value[0])}, ..., {_short(value[-1])}] ({len(value)} values)"
    return str(value)
