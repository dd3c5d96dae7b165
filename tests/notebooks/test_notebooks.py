"""The notebooks run top to bottom in a real Jupyter kernel, and are kept in git without outputs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (the dev extra has it)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (the dev extra has it)")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (the dev extra has it)")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_the_notebooks_the_readme_links() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert len(NOTEBOOKS) >= 3
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_kept_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="the notebooks draw graphs: Graphviz `dot` is missing"
)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    shown = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in shown if o.output_type == "error"]
    data = [o.get("data", {}) for o in shown]
    plots = sum(cell.source.count("plt.show()") for cell in notebook.cells)
    graphs = [d for d in data if "image/svg+xml" in d and "text/html" not in d]
    # Every plot shows inline (nothing switched the backend); each graph as SVG and as PNG.
    assert sum("image/png" in d and "image/svg+xml" not in d for d in data) == plots
    assert graphs and all("image/png" in d for d in graphs)
    if any("backward_page(" in cell.source for cell in notebook.cells):
        pages = [d["text/html"] for d in data if "text/html" in d]
        assert pages and all("<iframe srcdoc=" in page for page in pages)  # the step page, inline
        assert all('<div class="scratchgrad-static"><svg' in page for page in pages)  # and its picture
    if any("display_id=True" in cell.source for cell in notebook.cells):  # a live readout of training
        readouts = [d["text/plain"] for d in data if d.get("text/plain", "").startswith("step ")]
        assert readouts and re.match(r"step (100/100|10,000/10,000)  loss \d", readouts[-1]), readouts
