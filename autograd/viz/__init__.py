"""Pictures of computation graphs, and the backward pass shown step by step.

``draw_graph(root)`` returns a `graphviz.Digraph`: every value is a record
``{ label | data 2.0000 | grad 12.0000 }``, every operation a small node of its own, colours tell
inputs, parameters, constants, intermediates and the output apart, and a legend on the picture
says which is which. Its ``.source`` needs nothing else; SVG, PNG and PDF need Graphviz's ``dot``
program (see `save`). In notebooks the returned graph shows itself inline, as SVG and as PNG (for
viewers that show no SVG).

``backward_steps(root)`` replays the backward pass one node at a time, in the engine's order, with
the chain-rule sentence and a picture for each step; ``write_backward_html(root, path)`` puts
those pictures on one self-contained page (``backward_page(root)`` shows it inline in a notebook, and
a static picture of the graph where scripts do not run). From the shell::

    python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> L = 3 * x**2 + 2
>>> "not computed" in draw_graph(L).source     # before backward: no gradients yet
True
>>> L.backward()
>>> "grad 12.0000" in draw_graph(L).source
True
>>> [s.sentence.split(": ")[0] for s in backward_steps(L)]
['dL/dL = 1', 'dL/d(3·x²) = 1', 'dL/d(x²) = 3', 'dL/dx = 12']

The modules, in reading order: ``graph`` (reading a graph: numbers, formulas, roles, modules and
names, all from the primitives' definitions), ``draw`` (what fits on a picture, and drawing it),
``render`` (``dot``, `save`), ``steps`` (the backward pass in sentences and pictures),
``tangents`` (forward mode in sentences), ``page`` (the HTML page; ``forward_page``, its forward
mode; ``display``, the file and notebook cell it becomes) and ``cli`` (``python -m autograd.viz``).
"""

from autograd.viz.cli import ExpressionError, main, parse_expression
from autograd.viz.draw import FONT as FONT  # the style constants stay importable from here
from autograd.viz.draw import OP_FILL as OP_FILL
from autograd.viz.draw import ROLE_COLOURS as ROLE_COLOURS
from autograd.viz.draw import STEP_COLOURS as STEP_COLOURS
from autograd.viz.draw import draw_graph
from autograd.viz.page import BackwardPage, backward_page, write_backward_html
from autograd.viz.render import FORMATS, DotNotFoundError, GraphPicture, save
from autograd.viz.steps import BackwardStep, backward_steps

__all__ = [
    "FORMATS",
    "BackwardPage",
    "BackwardStep",
    "DotNotFoundError",
    "ExpressionError",
    "GraphPicture",
    "backward_page",
    "backward_steps",
    "draw_graph",
    "main",
    "parse_expression",
    "save",
    "write_backward_html",
]

# The public classes say they live here, where users import them from: tracebacks, reprs and
# pickles name ``autograd.viz.ExpressionError``, not the module that happens to define it.
for _cls in (BackwardPage, BackwardStep, DotNotFoundError, ExpressionError, GraphPicture):
    _cls.__module__ = __name__
del _cls
