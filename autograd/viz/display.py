"""What `backward_page` returns: one self-contained HTML document, to save as a file or to show
in a notebook (live in an iframe where scripts run, a static picture where they do not).

>>> page = BackwardPage("<!DOCTYPE html><html></html>", "L = 3·x² + 2", 8)
>>> page
<BackwardPage: 'L = 3·x² + 2', 8 steps>
"""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path
from typing import Any

from autograd.viz.render import NOTEBOOK_PT, fit_width, output_path, write_file

ABOUT = "the graph after the backward pass, each box with its data and its gradient"


class BackwardPage:
    """A step page: ``html`` (one self-contained document), ``save(path)``, and inline display in
    notebooks: the page in an iframe, interactive, no server. Where scripts do not run (GitHub's
    notebook viewer, an untrusted notebook) the cell shows ``picture`` instead: a static SVG of
    the graph with every value and gradient, which the live page replaces when scripts run."""

    def __init__(
        self,
        document: str,
        title: str,
        steps: int,
        picture: str = "",
        about: str = ABOUT,
        mode: str = "",
    ) -> None:
        self.html = document
        self.title = title
        self.steps = steps
        self.picture = picture
        self.about = about  # what the static picture shows
        self.mode = mode  # "" for the backward pass, else which pass: "forward mode (d/dx)"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (checked first; an OSError names it). Returns the path."""
        return write_file(
            output_path(path, "BackwardPage.save"), self.html.encode("utf-8"), "BackwardPage.save"
        )

    def _repr_html_(self) -> str:
        key = f"scratchgrad-page-{uuid.uuid4().hex}"  # the script finds its own cell by it
        still = (
            f'<div class="scratchgrad-static">{self.picture}<p style="font-size: 0.85em; color: #555">'
            f"{html.escape(self.title)}: {html.escape(self.about)}. Run the cell with scripts on (a trusted "
            "notebook) to step through it.</p></div>"
            if self.picture
            else ""
        )
        frame = (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="{html.escape(self.title)}" '
            'sandbox="allow-scripts" hidden style="width: 100%; height: 760px; border: 1px solid #dee2e6; '
            'border-radius: 6px; resize: vertical"></iframe>'
        )
        swap = (
            f'<script>(function () {{ var cell = document.getElementById("{key}"); if (!cell) return; '
            'cell.querySelector("iframe").hidden = false; '
            'var still = cell.querySelector(".scratchgrad-static"); if (still) still.remove(); })();</script>'
        )
        return f'<div id="{key}" class="scratchgrad-page">{still}{frame}{swap}</div>'

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        """The live page (HTML, with the static picture inside it) and the static picture alone
        (SVG), for viewers that show no HTML."""
        bundle = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        if self.picture:
            bundle["image/svg+xml"] = self.picture
        wanted = set(include) if include is not None else set(bundle)
        return {k: v for k, v in bundle.items() if k in wanted - set(exclude or ())}

    def __repr__(self) -> str:
        mode = f", {self.mode}" if self.mode else ""
        return f"<BackwardPage: {self.title!r}{mode}, {self.steps} steps>"


def still_picture(svg: str) -> str:
    """The page's picture as a notebook shows it where scripts do not run: its ids dropped (a
    notebook holds many), no wider than the output area."""
    return fit_width(re.sub(r'\s(?:id|class)="[^"]*"', "", svg), NOTEBOOK_PT)
