# `make demo` and `make test` each do the whole set-up on a fresh machine: a .venv with the
# project and its extras, and Graphviz's `dot` (plus Chromium for the browser test) via apt-get.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: all setup system-deps demo test lint bench mutate clean

all: test

# Re-install when the packaging or the set of packages changes (an editable install maps packages).
$(STAMP): pyproject.toml $(wildcard */__init__.py)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); bash .ci/system-deps python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demos,dev,test]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	@bash .ci/system-deps $(SYSTEM_DEPS)

demo: $(STAMP)
	@$(MAKE) --no-print-directory system-deps SYSTEM_DEPS=graphviz
	$(PY) -m demos --out $(OUT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy autograd nn scratchgrad demos

test: $(STAMP)
	@$(MAKE) --no-print-directory system-deps SYSTEM_DEPS="graphviz chromium"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy autograd nn scratchgrad demos
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_scalar.py
	$(PY) benchmarks/bench_tensor.py
	$(PY) benchmarks/bench_func.py

# Every derivative rule changed in turn (scaled, sign-flipped, operands swapped): the op tests
# must catch each one. The last line says how many did.
mutate: $(STAMP)
	$(PY) tests/mutate.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
