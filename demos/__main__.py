"""``python -m demos [NAME ...] [--out DIR] [--list]``: run the demos, print one summary table
(demo, our figure, the published figure) and write ``DIR/index.html``, a gallery of every picture.
"""

from __future__ import annotations

import html
import importlib
import re
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from demos import NAMES
from demos._common import OneLineParser, check_writable, out_folder


def load(name: str) -> ModuleType:
    return importlib.import_module(f"demos.{name}")


def table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    """A Markdown table (readable as text, pasteable into a README)."""
    header = ("demo", "ours", "published", "time")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |"
        for row in [header, *rows]
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def _is_wide(png: Path) -> bool:
    """Whether a PNG is much wider than tall (its size sits at bytes 16-24 of the header)."""
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    return width > 2.2 * height  # two-panel plots and LR graphs; not a single plot


def _prose(docstring: str) -> str:
    """Docstring text as HTML: escaped, with its ``code`` and `name` spans as <code>."""
    return re.sub(r"``?([^`]+)``?", r"<code>\1</code>", html.escape(docstring))


def _figure(out: Path, name: str, filename: str, caption: str) -> str:
    href = html.escape(f"{name}/{filename}")
    text = html.escape(caption)
    if not filename.endswith(".png"):  # a page of its own (the step-through): a link
        kind, body = "page", f'<a href="{href}">Open {html.escape(filename)}</a>'
    elif "graph" in filename:  # a computation graph: at its own size, scrolled, so its text stays readable
        kind, body = (
            "graph",
            f'<div class="scroll"><a href="{href}"><img src="{href}" alt="{text}"></a></div>',
        )
    else:
        kind = "wide" if _is_wide(out / name / filename) else "half"
        body = f'<a href="{href}"><img src="{href}" alt="{text}"></a>'
    return f'<figure class="{kind}">{body}<figcaption>{text}</figcaption></figure>'


def gallery(out: Path, rows: Sequence[tuple[str, str, str, str]]) -> Path:
    """Write ``out/index.html``: per demo what it reproduces, ours beside the published figure, and
    every picture it wrote, each with a line of text."""
    sections, contents = [], []
    for name, ours, published, _ in rows:
        module = load(name)
        # The docstring's first paragraph names the tutorial; the second says what it and we do.
        source, _, about = (module.__doc__ or "").strip().partition("\n\n")
        about = about.partition("\n\n")[0]
        figures = [
            _figure(out, name, filename, caption)
            for filename, caption in module.PICTURES.items()
            if (out / name / filename).exists()
        ]
        contents.append(f'<li><a href="#{name}">{html.escape(module.TITLE)}</a>: {html.escape(ours)}</li>')
        sections.append(
            f'<section id="{name}"><h2>{html.escape(module.TITLE)} <code>{name}</code></h2>\n'
            f'<p class="source">{_prose(source)}</p>\n'
            f"<p>{_prose(about)}</p>\n"
            f"<p><b>Ours:</b> {html.escape(ours)}. <b>Published:</b> {html.escape(published)}.</p>\n"
            + "\n".join(figures)
            + "</section>"
        )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scratchgrad demos</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 76rem; margin: 2rem auto; padding: 0 1rem; }}
section {{ border-top: 1px solid #ccc; padding-top: 1rem; margin-top: 2rem; }}
.source {{ color: #555; font-style: italic; }}
figure {{ display: inline-block; vertical-align: top; margin: 0.5rem 1rem 0.5rem 0; }}
figure.half {{ width: calc(50% - 2rem); }}
figure.wide {{ width: calc(100% - 1rem); }}
figure.page {{ width: auto; display: block; }}
figure.graph {{ display: block; width: calc(100% - 1rem); }}
figure img {{ max-width: 100%; max-height: 40rem; border: 1px solid #ddd; }}
figure.graph .scroll {{ overflow: auto; max-height: 45rem; border: 1px solid #ddd; }}
figure.graph img {{ max-width: none; max-height: none; border: 0; }}
nav ol {{ columns: 2; }}
figcaption {{ font-size: 0.9rem; color: #444; }}
</style></head><body>
<h1>Demos trained with this engine</h1>
<p>Each demo reproduces a from-scratch tutorial, taking every gradient from the engine's
<code>backward()</code>. Click a picture for its full size. Made by <code>python -m demos</code>.</p>
<nav><h2>Contents</h2><ol>{"".join(contents)}</ol></nav>
{chr(10).join(sections)}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m demos",
        description="Run the worked examples, print ours beside the published figures, write a gallery.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="demos to run (default: all, in order)")
    parser.add_argument(
        "--out", type=out_folder, default="out", help="folder for pictures and index.html (default: out)"
    )
    parser.add_argument("--list", action="store_true", help="list the demos and exit")
    args = parser.parse_args(argv)

    if args.list:
        for name in NAMES:
            print(f"{name:24} {load(name).TITLE}")
        return 0
    unknown = [name for name in args.names if name not in NAMES]
    if unknown:
        print(f"unknown demo {', '.join(unknown)}; valid names: {', '.join(NAMES)}", file=sys.stderr)
        return 2
    out = Path(args.out)
    names = args.names or list(NAMES)
    problem = check_writable(out, names)  # every demo's folder, before the first one trains
    if problem:
        print(problem, file=sys.stderr)
        return 1

    rows = []
    start_all = time.perf_counter()
    for i, name in enumerate(names, 1):
        module = load(name)
        print(f"\n== [{i}/{len(names)}] {name}: {module.TITLE}", flush=True)
        start = time.perf_counter()
        result = module.run(out=str(out), verbose=True)
        rows.append((name, module.summary(result), module.PUBLISHED, f"{time.perf_counter() - start:.1f} s"))
    print("\n" + table(rows))
    print(f"\n{len(rows)} demos in {time.perf_counter() - start_all:.1f} s; gallery: {gallery(out, rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
