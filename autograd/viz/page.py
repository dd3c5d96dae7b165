"""`write_backward_html`: one self-contained page that steps through the backward pass."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from autograd.viz.draw import visible
from autograd.viz.graph import GraphView, check_root
from autograd.viz.render import output_path, run_dot, write_file
from autograd.viz.steps import backward_steps, d, grad_text

_PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.2rem;
       color: #212529; background: #fff; }
h1 { font-size: 1.25rem; margin: 0 0 .8rem; }
.controls { display: flex; align-items: center; gap: .6rem; margin-bottom: .8rem; flex-wrap: wrap; }
.controls button { font-size: 1rem; padding: .3rem .9rem; cursor: pointer; }
.controls input[type=range] { flex: 1; min-width: 10rem; max-width: 30rem; }
#counter { font-variant-numeric: tabular-nums; min-width: 7rem; }
.step { display: flex; gap: 1.5rem; align-items: flex-start; }
.step[hidden] { display: none; }
.picture { flex: 0 1 auto; max-width: 72%; min-width: 0; overflow: auto; padding: .5rem;
           border: 1px solid #dee2e6; border-radius: 6px; }
.picture svg { max-width: 100%; height: auto; }
.text { flex: 1 1 18rem; min-width: 16rem; max-width: 32rem; }
.sentence { font-size: 1.1rem; line-height: 1.5; background: #fff9db; border-left: 4px solid #fab005;
            padding: .6rem .8rem; margin: 0 0 1rem; }
.sofar { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; padding-left: 1.2rem; }
.hint { color: #868e96; font-size: .85rem; }
@media (max-width: 60rem) { .step { flex-direction: column; } .text { max-width: none; } }
"""

_PAGE_SCRIPT = """
(function () {
  var steps = document.querySelectorAll('.step');
  var slider = document.getElementById('slider');
  var counter = document.getElementById('counter');
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    for (var k = 0; k < steps.length; k++) { steps[k].hidden = (k !== current); }
    slider.value = current + 1;
    counter.textContent = 'Step ' + (current + 1) + ' of ' + steps.length;
    document.getElementById('prev').disabled = current === 0;
    document.getElementById('next').disabled = current === steps.length - 1;
  }
  document.getElementById('prev').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  slider.addEventListener('input', function () { show(slider.valueAsNumber - 1); });
  document.addEventListener('keydown', function (e) {
    if (e.target === slider) { return; }  /* the slider handles its own arrow keys */
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { show(current + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { show(current - 1); }
    else if (e.key === 'Home') { show(0); }
    else if (e.key === 'End') { show(steps.length - 1); }
    else { return; }
    e.preventDefault();
  });
  show(0);
})();
"""


def _svgs(pictures: Sequence[graphviz.Digraph], timeout: float | None = None) -> list[str]:
    """All pictures rendered by one run of ``dot`` (it lays out every graph in its input)."""
    source = "\n".join(p.source for p in pictures)
    out = run_dot(source, "svg", timeout=timeout, who="write_backward_html")
    svgs = re.findall(r"<svg[\s\S]*?</svg>", out.decode("utf-8"))
    if len(svgs) != len(pictures):  # pragma: no cover - dot printed something unexpected
        raise RuntimeError(f"write_backward_html: dot made {len(svgs)} pictures of {len(pictures)}")
    # Comments and <title>s (the node ids) carry nothing for a reader; tooltips of "v3" confuse.
    return [re.sub(r"<!--[\s\S]*?-->|<title>[^<]*</title>", "", s) for s in svgs]


def _check_start(root: Any) -> None:
    """ValueError naming write_backward_html when no backward pass starts at ``root``: else the
    page would have no steps, or the engine's error would name backward()."""
    if getattr(root, "requires_grad", True) is False:
        raise ValueError(
            "write_backward_html: root does not require grad (no input it was computed from has "
            "requires_grad=True, or it was computed under no_grad): there is no backward pass to step through"
        )
    if isinstance(root.data, np.ndarray) and root.data.size != 1:
        raise ValueError(
            f"write_backward_html: root has shape {root.data.shape}; the backward pass starts from an "
            "output of one element (a loss), so reduce it first (e.g. .sum())"
        )
    try:
        root._seed(None, False)  # what backward() starts from; it says why when nothing can start
    except ValueError as err:
        reason = str(err).removeprefix("backward: ")
        raise ValueError(f"write_backward_html: no backward pass to step through: {reason}") from None


def write_backward_html(
    root: Any,
    path: str | Path,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "BT",
    max_steps: int = 300,
    timeout: float | None = None,
) -> Path:
    """Write one self-contained HTML page that steps through the backward pass from ``root``.

    Each step shows its picture (inline SVG) with its chain-rule sentence beside it and the
    gradients found so far; previous/next buttons, the arrow keys and a slider move between
    steps. The page loads nothing from anywhere (no network, no external scripts). Needs ``dot``.
    ``rankdir="BT"`` by default: the output on top, so the backward pass reads downwards.
    Raises ValueError past ``max_steps`` steps: such a page would be too big to be useful; and when
    no backward pass starts at ``root`` (a Tensor that does not require grad, a node computed under
    ``no_grad``, an output of more than one element). The path is checked before ``dot`` runs;
    past ``timeout`` seconds ``dot`` is stopped and TimeoutError raised.
    """
    check_root(root, "write_backward_html")
    _check_start(root)
    path = output_path(path, "write_backward_html")
    steps = backward_steps(root, names=names, module=module, rankdir=rankdir)
    if len(steps) > max_steps:
        raise ValueError(
            f"write_backward_html: {len(steps)} steps > max_steps={max_steps}; "
            "draw a smaller graph or raise max_steps"
        )
    svgs = _svgs([s.picture for s in steps], timeout)
    root_name = steps[0].name
    dR = d(root_name)
    formula = GraphView(root, names, module).formula(root)
    formula = f" = {formula}" if formula else ""
    parts = []
    for k, (step, svg) in enumerate(zip(steps, svgs)):
        done = [f"{dR}/{d(s.name)} = {grad_text(s.grad)}" for s in steps[: k + 1]]
        so_far = "".join(f"<li>{html.escape(visible(line))}</li>" for line in done)
        parts.append(
            f'<section class="step" id="step-{k + 1}">'
            f'<div class="picture">{svg}</div>'
            f'<div class="text"><p class="sentence">{html.escape(visible(step.sentence))}</p>'
            f'<p>Gradients so far:</p><ol class="sofar">{so_far}</ol></div></section>'
        )
    title = visible(f"The backward pass of {root_name}{formula}, step by step")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_PAGE_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div class="controls">
<button id="prev" type="button" aria-label="previous step">&#9664; Previous</button>
<button id="next" type="button" aria-label="next step">Next &#9654;</button>
<input id="slider" type="range" min="1" max="{len(steps)}" value="1" aria-label="step">
<span id="counter">Step 1 of {len(steps)}</span>
<span class="hint">keys: &larr; &rarr;, Home, End</span>
</div>
{"".join(parts)}
<script>{_PAGE_SCRIPT}</script>
</body>
</html>
"""
    return write_file(path, page.encode("utf-8"), "write_backward_html")
