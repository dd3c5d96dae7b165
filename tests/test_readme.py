"""The README's examples run, and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# A python block, optionally followed by "prints" and a text block with its exact output.
EXAMPLE = re.compile(r"```python\n(.*?)```(?:\s*prints\s*```text\n(.*?)```)?", flags=re.S)


def examples() -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


def readme_ops() -> list[str]:
    """The primitives the README lists, between its ``<!-- primitives -->`` markers."""
    block = re.search(
        r"<!-- primitives -->(.*?)<!-- /primitives -->", README.read_text(encoding="utf-8"), re.S
    )
    assert block, "the README has no <!-- primitives --> list"
    return re.findall(r"`([^`]+)`", block.group(1))


def ops_missing_from_readme(primitives: list[Any]) -> list[str]:
    """The names of ``primitives`` the README's list leaves out."""
    listed = set(readme_ops())
    return [p.name for p in primitives if p.name not in listed]


def test_the_readme_lists_every_built_in_primitive_and_no_other() -> None:
    from autograd import array_ops, ops
    from autograd.primitive import Primitive

    built_in = list(
        dict.fromkeys(p for m in (ops, array_ops) for p in vars(m).values() if isinstance(p, Primitive))
    )
    assert ops_missing_from_readme(built_in) == []
    assert sorted(readme_ops()) == sorted(p.name for p in built_in)


def test_readme_has_examples() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize("index", range(len(examples())))
def test_readme_example(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, expected_output = examples()[index]
    if "draw_graph" in code and shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    monkeypatch.chdir(tmp_path)  # examples may write files (net.npz, graph.svg)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README example {index}", "exec"), {"__name__": "readme"})
    printed = out.getvalue()
    if expected_output is not None:
        assert printed == expected_output
    # Each `print(...)  # value` line's comment starts with what it prints.
    claims = [m.group(1) for m in re.finditer(r"^print\(.*?\)\s+#\s*(\S+)", code, flags=re.M)]
    lines = [line for line in printed.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines[: len(claims)]] == claims
