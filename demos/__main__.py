"""``python -m demos [NAME ...] [--out DIR] [--list]``: run the demos, print one summary table
(demo, our figure, the published figure) and write ``DIR/index.html``, a gallery of every picture.
"""

from __future__ import annotations

import argparse
import html
import importlib
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from demos import NAMES


def load(name: str) -> ModuleType:
    return importlib.import_module(f"demos.{name}")


def check_writable(out: Path) -> None:
    """Raise OSError now, not after minutes of training, if pictures cannot be written under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=out):
        pass


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


def gallery(out: Path, rows: Sequence[tuple[str, str, str, str]]) -> Path:
    """Write ``out/index.html``: per demo its figures beside the published ones, then its pictures."""
    sections = []
    for name, ours, published, _ in rows:
        module = load(name)
        items = []
        for filename, caption in module.PICTURES.items():
            if not (out / name / filename).exists():
                continue
            href = html.escape(f"{name}/{filename}")
            if filename.endswith(".png"):
                body = f'<a href="{href}"><img src="{href}" alt="{html.escape(caption)}"></a>'
            else:
                body = f'<a href="{href}">open {html.escape(filename)}</a>'
            items.append(f"<figure>{body}<figcaption>{html.escape(caption)}</figcaption></figure>")
        sections.append(
            f'<section id="{name}"><h2>{html.escape(module.TITLE)} <code>{name}</code></h2>\n'
            f"<p>{html.escape((module.__doc__ or '').split(chr(10) + chr(10))[0])}</p>\n"
            f"<p><b>Ours:</b> {html.escape(ours)}. <b>Published:</b> {html.escape(published)}.</p>\n"
            + "\n".join(items)
            + "</section>"
        )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scratchgrad demos</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }}
section {{ border-top: 1px solid #ccc; padding-top: 1rem; margin-top: 2rem; }}
figure {{ display: inline-block; vertical-align: top; margin: 0.5rem 1rem 0.5rem 0; max-width: 100%; }}
figure img {{ max-width: 100%; max-height: 32rem; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.9rem; max-width: 40rem; color: #444; }}
</style></head><body>
<h1>Demos trained with this engine</h1>
<p>Each demo reproduces a from-scratch tutorial, taking every gradient from the engine's
<code>backward()</code>. Run them again with <code>python -m demos --out {html.escape(str(out))}</code>.</p>
{chr(10).join(sections)}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demos", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="demos to run (default: all, in order)")
    parser.add_argument("--out", default="out", help="folder for pictures and index.html (default: out)")
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
    try:
        check_writable(out)
    except OSError as err:
        print(f"error: cannot write to --out {str(out)!r}: {err.strerror or err}", file=sys.stderr)
        return 1

    names = args.names or list(NAMES)
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
