"""Run a lecture program under PyTorch or under scratchgrad, and hand back its ``RESULTS``.

Each program in this folder is written for PyTorch, as a learner types it while following a
lecture, and records its key numbers in a module-level dict ``RESULTS``. Under the backend
``"scratchgrad"`` exactly three import lines are rewritten, and nothing else::

    import torch                      ->  import scratchgrad as torch
    import torch.nn.functional as F   ->  import scratchgrad.nn.functional as F
    from torch import nn              ->  from scratchgrad import nn

so a program that runs there runs unchanged for a learner but for those lines. A program that
imports torch in any other way (``from torch.utils.data import DataLoader``, an indented import)
is refused: the rewrite would leave torch in it.

PyTorch runs on one intra-op thread here (``threads=1``): these programs make many small ops, and on
a busy 2-core machine PyTorch's spinning worker threads made them up to ten times slower.

Before each run the backend's global generator is seeded with ``GLOBAL_SEED``, as a fresh
interpreter would be seeded, so that the programs that draw from it (``torch.randn(...)`` with no
``generator=``) draw the same numbers on every run and on both backends.
"""

from __future__ import annotations

import ast
import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BACKENDS = ("torch", "scratchgrad")
GLOBAL_SEED = 1337

# the only torch imports a program may have, each alone on its line, and what they become
IMPORT_REWRITES = {
    "import torch": "import scratchgrad as torch",
    "import torch.nn.functional as F": "import scratchgrad.nn.functional as F",
    "from torch import nn": "from scratchgrad import nn",
}

PROGRAMS = {
    "makemore1_bigram": HERE / "makemore1_bigram.py",
    "makemore2_mlp": HERE / "makemore2_mlp.py",
    "makemore3_batchnorm": HERE / "makemore3_batchnorm.py",
    "makemore4_backprop_ninja": HERE / "makemore4_backprop_ninja.py",
    "makemore5_wavenet": HERE / "makemore5_wavenet.py",
    "quickstart": HERE / "quickstart.py",
}


def _imports_torch(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name == "torch" or alias.name.startswith("torch.") for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        return node.level == 0 and (module == "torch" or module.startswith("torch."))
    return False


def check_imports(source: str, filename: str = "<lecture>") -> None:
    """Raise ValueError unless every torch import is one of the three lines, alone at column 0."""
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source, filename)):
        if not _imports_torch(node):
            continue
        line = lines[node.lineno - 1]
        if line.rstrip() not in IMPORT_REWRITES:
            raise ValueError(
                f"{filename}:{node.lineno}: {line.strip()!r} imports torch in a way the harness does not "
                f"rewrite; use only {', '.join(repr(k) for k in IMPORT_REWRITES)} (each alone on its line)"
            )


def rewrite_imports(source: str, filename: str = "<lecture>") -> str:
    """The program's text with exactly the three torch import lines swapped for scratchgrad's."""
    check_imports(source, filename)
    out = []
    for line in source.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if body.rstrip() in IMPORT_REWRITES:
            out.append(IMPORT_REWRITES[body.rstrip()] + ending)
        else:
            out.append(line)
    return "".join(out)


def run_lecture(
    path: str | os.PathLike[str],
    backend: str,
    env: Mapping[str, str] | None = None,
    threads: int | None = 1,
) -> dict[str, Any]:
    """Execute the lecture program at ``path`` under ``backend`` and return its ``RESULTS``.

    ``backend`` is ``"torch"`` (the program as written) or ``"scratchgrad"`` (the three import
    lines rewritten). The program runs in a fresh namespace with ``__file__`` set to its path and
    ``__name__ == "__main__"``; ``env`` sets environment variables (``LECTURE_STEPS``, ...) for the
    run only; ``threads`` is PyTorch's number of intra-op threads for the run (None: leave it).
    """
    if backend not in BACKENDS:
        raise ValueError(f"run_lecture: backend must be one of {BACKENDS}, not {backend!r}")
    path = Path(path).resolve()
    source = path.read_text()
    if backend == "scratchgrad":
        source = rewrite_imports(source, str(path))
    else:
        check_imports(source, str(path))
    code = compile(source, str(path), "exec")

    module = importlib.import_module(backend)
    module.manual_seed(GLOBAL_SEED)

    saved = {key: os.environ.get(key) for key in (env or {})}
    os.environ.update(env or {})
    torch_threads = None
    if backend == "torch" and threads is not None:
        torch_threads = module.get_num_threads()
        module.set_num_threads(threads)
    try:
        namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(path)}
        exec(code, namespace)
    finally:
        if torch_threads is not None:
            module.set_num_threads(torch_threads)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    results = namespace.get("RESULTS")
    if not isinstance(results, dict):
        raise TypeError(f"run_lecture: {path.name} left no dict RESULTS")
    return results
