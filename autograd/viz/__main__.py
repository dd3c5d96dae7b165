"""``python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg``: see `autograd.viz.cli`."""

from autograd.viz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
