"""The harness changes only the torch import lines of a program, and refuses what it cannot rewrite."""

from __future__ import annotations

import pytest
from harness import IMPORT_REWRITES, PROGRAMS, check_imports, rewrite_imports, run_lecture

# --- the harness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_rewrite_changes_only_the_torch_import_lines(name: str) -> None:
    source = PROGRAMS[name].read_text()
    rewritten = rewrite_imports(source, name)
    before, after = source.splitlines(), rewritten.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed and all(IMPORT_REWRITES[a] == b for a, b in changed)
    assert "import torch" in before  # every program imports torch itself, on its own line
    compile(rewritten, name, "exec")
    assert not any(line.startswith(("import torch", "from torch")) for line in after)


@pytest.mark.parametrize(
    "line",
    [
        "from torch.utils.data import DataLoader",
        "import torch.nn as nn",
        "import torch as T",
        "import numpy, torch",
        "if True:\n    import torch",
    ],
)
def test_harness_refuses_other_torch_imports(line: str) -> None:
    with pytest.raises(ValueError, match="imports torch"):
        check_imports("import torch\n" + line + "\n")


def test_harness_rejects_an_unknown_backend() -> None:
    with pytest.raises(ValueError, match="backend"):
        run_lecture(PROGRAMS["quickstart"], "jax")
