"""Mutation testing of the derivative rules: proof that the op tests catch a wrong rule.

Every rule of every built-in primitive is changed in turn, three ways: scaled by 1.5, its sign
flipped, and (for a two-operand op) its operands swapped. For each such mutant the op tests run
(``tests/autograd/test_ops.py``, on the rows of the op table that use the primitive, with the
mutant put in place of the primitive by ``tests/conftest.py``); the mutant is *killed* when a test
fails. A mutant that computes exactly what the rule computes on every node of the op table (the
operands of ``+``'s rule, ``g``, swapped) cannot be told apart by any test: it is reported as
equivalent and not counted. The last line is ``killed K of N mutants``; every one must die.

Run: ``make mutate`` (or ``python tests/mutate.py [--jobs 2] [--only NAME ...]``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "autograd")]

from autograd import Tensor, Value, array_ops, engine, grad, ops  # noqa: E402
from autograd.primitive import Primitive, _named_op, define, lookup  # noqa: E402
from autograd.viz.graph import sent_gradients  # noqa: E402

KINDS = ("scaled", "negated", "swapped")
TESTS = "tests/autograd/test_ops.py"


def built_in() -> list[Primitive]:
    return list(
        dict.fromkeys(
            p for module in (ops, array_ops) for p in vars(module).values() if isinstance(p, Primitive)
        )
    )


def mutate(rule: Callable[..., Any], kind: str) -> Callable[..., Any]:
    """``rule`` changed one way (see the module docstring)."""
    if kind == "scaled":
        return lambda g, out, *xs, **kw: rule(g, out, *xs, **kw) * 1.5
    if kind == "negated":
        return lambda g, out, *xs, **kw: -rule(g, out, *xs, **kw)
    return lambda g, out, a, b, **kw: rule(g, out, b, a, **kw)


def mutant(prim: Primitive, i: int, kind: str) -> Primitive:
    """``prim`` with its rule ``i`` mutated (a variadic primitive has one rule for all)."""
    rules = [prim.rules[0]] if prim.variadic else list(prim.rules)
    rules[i] = mutate(rules[i], kind)
    return prim.replaced(rules=rules)


def apply(spec: str) -> None:
    """Put the mutant ``name:i:kind`` in place of its primitive (tests/conftest.py calls this):
    in the registry (which methods, nn and the command line read) and under its name in
    autograd.ops or autograd.array_ops (which other primitives' rules call: BROADCAST, in the rule
    of sum on nodes)."""
    name, i, kind = spec.rsplit(":", 2)
    original = lookup(name)
    bad = define(mutant(original, int(i), kind), replace=True)
    for module in (ops, array_ops):
        for key, value in list(vars(module).items()):
            if value is original:
                setattr(module, key, bad)


# --- which rows of the op table use a primitive, and equivalent mutants -------------------------


def nodes_by_primitive() -> dict[Primitive, list[tuple[str, Any]]]:
    """For each primitive, the nodes it makes in the op table's graphs (first and second order),
    with the row each comes from."""
    from op_table import ROWS

    found: dict[Primitive, list[tuple[str, Any]]] = {}
    for row in ROWS:
        graphs = []
        for shapes in row.shapes:
            xs = [Tensor(a, requires_grad=True) for a in row.inputs(shapes)]
            out = row.fn(*xs)
            weights = Tensor(np.random.default_rng(3).uniform(0.5, 1.5, size=out.shape))
            total = (out * weights).sum()
            graphs += [total, *[g for g in grad(total, xs, create_graph=True) if g.requires_grad]]
        if row.scalar:
            vs = [Value(float(a)) for a in row.inputs(tuple(() for _ in row.shapes[0]))]
            out = row.fn(*vs)
            graphs += [out, *grad(out, vs, create_graph=True)]
        for node in engine.toposort(graphs):
            prim = getattr(node._op, "primitive", None)
            if prim is not None:
                found.setdefault(prim, []).append((row.name, node))
    return found


def equivalent(prim: Primitive, bad: Primitive, nodes: list[tuple[str, Any]]) -> bool:
    """Whether the mutant's rules give exactly the original's on every node of ``prim``."""
    rng = np.random.default_rng(0)
    for _, node in nodes:
        g = rng.uniform(0.5, 1.5, size=np.shape(node.data))
        g = float(g) if isinstance(node, Value) else g
        for x, y in zip(sent_gradients(node, g), _sends(node, bad, g)):
            try:
                if not np.array_equal(np.asarray(x[2]), np.asarray(y[2])):
                    return False
            except ValueError:
                return False
    return True


def _sends(node: Any, prim: Primitive, g: Any) -> list[Any]:
    op = node._op
    try:
        node._op = prim.op if str(op) == prim.name else _named_op(prim, str(op))
        return sent_gradients(node, g)
    except Exception:  # noqa: BLE001 - a mutant that fails is not equivalent
        return [(None, None, object())]
    finally:
        node._op = op


# --- running --------------------------------------------------------------------------------------


def run(spec: str, rows: list[str]) -> tuple[str, bool, float]:
    """Run the op tests of ``rows`` against the mutant ``spec``; killed when a test fails."""
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "pytest",
        TESTS,
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
    ]
    command += ["-k", " or ".join(sorted(set(rows)))]
    env = {**os.environ, "AUTOGRAD_MUTANT": spec, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 2-5: interrupted, internal error, usage, nothing collected
        raise RuntimeError(f"mutant {spec}: pytest could not run the tests:\n{done.stdout}\n{done.stderr}")
    return spec, done.returncode == 1, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--only", nargs="*", help="only these primitives (by name)")
    args = parser.parse_args(argv)
    uses = nodes_by_primitive()
    todo, same = [], []
    for prim in built_in():
        if args.only and prim.name not in args.only:
            continue
        if prim not in uses:
            raise SystemExit(
                f"primitive {prim.name!r} is in no row of the op table (tests/autograd/op_table.py)"
            )
        rows = [row for row, _ in uses[prim]]
        for i in range(1 if prim.variadic else len(prim.rules)):
            for kind in KINDS[:3] if prim.arity == 2 else KINDS[:2]:
                spec = f"{prim.name}:{i}:{kind}"
                if equivalent(prim, mutant(prim, i, kind), uses[prim]):
                    same.append(spec)
                else:
                    todo.append((spec, rows))
    _, failed, seconds = run("", sorted({row for _, rows in todo for row in rows}))
    if failed:  # a mutant counts as killed only if the tests pass without one
        raise SystemExit(f"the op tests fail without any mutant: fix them first ({TESTS})")
    print(f"the op tests pass as they are ({seconds:.0f} s)")
    print(f"{len(todo)} mutants of {len(built_in())} primitives' rules; running {TESTS} against each")
    killed, survived = 0, []
    with ThreadPoolExecutor(max(args.jobs, 1)) as pool:
        for spec, dead, seconds in pool.map(lambda job: run(*job), todo):
            print(f"  {spec:28s} {'killed' if dead else 'SURVIVED'} ({seconds:.1f} s)", flush=True)
            killed += dead
            if not dead:
                survived.append(spec)
    if same:
        print(f"equivalent, not counted (no test can tell them apart): {', '.join(same)}")
    if survived:
        print(f"survived: {', '.join(survived)}")
    print(f"killed {killed} of {len(todo)} mutants")
    return 0 if killed == len(todo) else 1


if __name__ == "__main__":
    sys.exit(main())
