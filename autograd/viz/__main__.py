"""``python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg``: see `autograd.viz.main`."""

from autograd.viz import main

if __name__ == "__main__":
    raise SystemExit(main())
