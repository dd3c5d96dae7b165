"""The notebooks run top to bottom in a real Jupyter kernel, and are kept in git without outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (the dev extra has it)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (the dev extra has it)")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (the dev extra has it)")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_the_notebooks_the_readme_links() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
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
    kinds = [key for o in shown for key in o.get("data", {})]
    plots = sum(cell.source.count("plt.show()") for cell in notebook.cells)
    assert kinds.count("image/png") == plots  # every plot shows inline (nothing switched the backend)
    assert "image/svg+xml" in kinds  # and the graphs
    if any("backward_page(" in cell.source for cell in notebook.cells):
        pages = [o["data"]["text/html"] for o in shown if "text/html" in o.get("data", {})]
        assert pages and all("<iframe srcdoc=" in page for page in pages)  # the step page, inline
