"""The viz tests share small helpers (``viz_helpers.py`` beside this file): this folder goes on the
import path so that each test file can import them by name."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
