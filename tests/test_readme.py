"""The README's examples run and print what they say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_examples_run_and_print_what_their_comments_say() -> None:
    blocks = python_blocks()
    assert blocks, "README has no python example"
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), {})
        printed = out.getvalue().split("\n")
        # Each `print(...)  # value` line's comment starts with what it prints.
        expected = [m.group(1) for m in re.finditer(r"^print\(.*?\)\s+#\s*(\S+)", block, flags=re.M)]
        assert [p.split()[0] for p in printed if p.strip()][: len(expected)] == expected
