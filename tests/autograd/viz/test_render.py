"""Rendering (autograd/viz/render.py): ``save`` as SVG, PNG, PDF or DOT source, a clear error
without Graphviz's dot (saying how to install it), paths checked before anything is drawn, dot
stopped past its time limit, and the pictures notebooks show: SVG and PNG, no wider than the cell."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from viz_helpers import SVG, needs_dot, quadratic

import nn
from autograd import Value
from autograd.viz import FORMATS, DotNotFoundError, draw_graph, save, write_backward_html

# --- save, and without dot --------------------------------------------------------------------


def test_save_writes_source_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    x, L = quadratic()
    path = save(draw_graph(L), tmp_path / "graph.gv")
    assert path.read_text(encoding="utf-8") == draw_graph(L).source


def test_missing_dot_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    x, L = quadratic()
    pic = draw_graph(L)
    for render in (lambda: pic.pipe(format="svg"), lambda: save(pic, tmp_path / "g.png")):
        with pytest.raises(DotNotFoundError, match="apt-get install graphviz") as info:
            render()
        assert isinstance(info.value, graphviz.ExecutableNotFound)  # graphviz's own handlers still work
    with pytest.raises(DotNotFoundError):
        write_backward_html(L, tmp_path / "steps.html")
    assert not (tmp_path / "steps.html").exists()


@needs_dot
def test_svg_renders_and_parses_with_the_expected_texts() -> None:
    x, L = quadratic()
    L.backward()
    svg = draw_graph(L).pipe(format="svg")
    tree = ET.fromstring(svg)
    texts = {t.text.strip() for t in tree.iter(f"{SVG}text") if t.text}
    for expected in ("x", "data 2.0000", "grad 12.0000", "x²", "3·x² + 2", "**2", "* 3", "+ 2", "legend"):
        assert expected in texts
    assert len([g for g in tree.iter(f"{SVG}g") if g.get("class") == "node"]) == 7


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF")])
def test_png_and_pdf_render(tmp_path: Path, fmt: str, magic: bytes) -> None:
    x, L = quadratic()
    L.backward()
    path = save(draw_graph(L), tmp_path / f"graph.{fmt}")
    assert path.read_bytes().startswith(magic)
    assert draw_graph(L, format=fmt).pipe().startswith(magic)
    assert fmt in FORMATS


def test_save_refuses_what_is_not_a_picture_or_a_path(tmp_path: Path) -> None:
    x, L = quadratic()
    for bad in ("str", None, L, draw_graph(L).source):
        with pytest.raises(TypeError, match=r"^save: picture must be a graphviz.Digraph"):
            save(bad, tmp_path / "x.svg")
    pic = draw_graph(L)
    with pytest.raises(TypeError, match=r"^save: path must be a str or an os.PathLike, got NoneType"):
        save(pic, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^save: path must be .* of str, got bytes"):
        save(pic, b"x.gv")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^save: path is empty"):
        save(pic, "")
    with pytest.raises(ValueError, match=r"^save: path .* contains a NUL"):
        save(pic, tmp_path / "a\0.gv")
    with pytest.raises(TypeError, match=r"^save: format must be a str or None, got int"):
        save(pic, tmp_path / "x.svg", format=3)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_save_into_a_missing_folder_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, L = quadratic()
    pic = draw_graph(L)
    monkeypatch.setenv("PATH", str(tmp_path))  # the path is checked before dot would be needed
    target = tmp_path / "missing" / "graph.svg"
    with pytest.raises(FileNotFoundError, match=r"^\[Errno 2\] save: cannot write .*graph\.svg") as info:
        save(pic, target)
    assert str(target) in str(info.value) and "does not exist" in str(info.value)
    (tmp_path / "folder.gv").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        save(pic, tmp_path / "folder.gv")
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError, match="is not a folder"):
        save(pic, tmp_path / "file" / "graph.gv")


def test_save_names_the_path_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, L = quadratic()

    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(PermissionError, match=r"save: cannot write .*g\.gv.*: Permission denied"):
        save(draw_graph(L), tmp_path / "g.gv")


@needs_dot
def test_save_stops_dot_past_its_timeout(tmp_path: Path) -> None:
    x, L = quadratic()
    with pytest.raises(TimeoutError, match=r"^save: Graphviz's dot did not finish"):
        save(draw_graph(L), tmp_path / "g.svg", timeout=1e-6)
    assert not (tmp_path / "g.svg").exists()
    assert save(draw_graph(L), tmp_path / "g.svg", timeout=30).read_bytes().startswith(b"<?xml")


# --- in notebooks -----------------------------------------------------------------------------


@needs_dot
def test_jupyter_shows_the_graph_inline() -> None:
    x, L = quadratic()
    bundle = draw_graph(L)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


@needs_dot
def test_jupyter_shows_a_big_picture_at_a_notebooks_width() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    out = model([Value(1.0), Value(2.0)])
    out.backward()
    svg = draw_graph(out, module=model)._repr_mimebundle_()["image/svg+xml"]
    width, height = (
        float(v) for v in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    natural = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg).groups()
    assert width == 680 and float(natural[0]) > 2000  # scaled down, drawing kept whole
    assert height / width == pytest.approx(float(natural[1]) / float(natural[0]), rel=1e-3)
    small = draw_graph(Value(2.0, label="x") * 3)._repr_mimebundle_()["image/svg+xml"]
    assert re.search(r'<svg width="([\d.]+)pt"', small)[1] != "680"  # a small one keeps its size


@needs_dot
def test_notebooks_get_a_png_beside_the_svg() -> None:
    x, L = quadratic()
    L.backward()
    pic = draw_graph(L)
    bundle = pic._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "image/png"}  # GitHub's viewer shows the PNG
    png = bundle["image/png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == pic._repr_png_()
    width, height = struct.unpack(">II", png[16:24])
    assert 300 < width <= 2 * 680 / 72 * 144 and height > 20  # at 1.5x, at most twice a cell's width
    assert bundle["image/svg+xml"] == pic._repr_svg_()
    assert set(pic._repr_mimebundle_(include=["image/png"])) == {"image/png"}
    assert set(pic._repr_mimebundle_(exclude=["image/png"])) == {"image/svg+xml"}
    assert pic._repr_mimebundle_(include=["image/jpeg"])["image/jpeg"].startswith(b"\xff\xd8")
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    big = draw_graph(model([Value(1.0), Value(2.0)]), module=model)._repr_png_()
    assert abs(struct.unpack(">I", big[16:20])[0] - 2 * 680 / 72 * 144) <= 1  # scaled down, not cut
