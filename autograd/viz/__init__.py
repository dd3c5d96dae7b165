"""Pictures of computation graphs, and the backward pass shown step by step (see `autograd.viz.draw`)."""

from autograd.viz.draw import FONT as FONT  # the style constants stay importable from here, as before
from autograd.viz.draw import (
    FORMATS,
    BackwardStep,
    DotNotFoundError,
    ExpressionError,
    GraphPicture,
    backward_steps,
    draw_graph,
    main,
    parse_expression,
    save,
    write_backward_html,
)
from autograd.viz.draw import OP_FILL as OP_FILL
from autograd.viz.draw import ROLE_COLOURS as ROLE_COLOURS
from autograd.viz.draw import STEP_COLOURS as STEP_COLOURS

__all__ = [
    "FORMATS",
    "BackwardStep",
    "DotNotFoundError",
    "ExpressionError",
    "GraphPicture",
    "backward_steps",
    "draw_graph",
    "main",
    "parse_expression",
    "save",
    "write_backward_html",
]

# The public classes say they live here, where users import them from: tracebacks, reprs and
# pickles name ``autograd.viz.ExpressionError``, not the module that happens to define it.
for _cls in (BackwardStep, DotNotFoundError, ExpressionError, GraphPicture):
    _cls.__module__ = __name__
del _cls
